/* Tests of jobs/policy.h: back-off, Retry-After, giving up, HTTP verdicts. */
#include <time.h>

#include "jobs/policy.h"
#include "tap.h"

static void
test_backoff(void)
{
	double d;

	ok(job_policy_backoff(30, 1, 0.5) == 30.0, "first retry: the base (jitter centred)");
	ok(job_policy_backoff(30, 2, 0.5) == 60.0, "second: doubled");
	ok(job_policy_backoff(30, 5, 0.5) == 480.0, "fifth: 2^4 times the base");
	ok(job_policy_backoff(30, 1, 0.0) == 22.5, "jitter low end: 0.75 times");
	d = job_policy_backoff(30, 1, 0.999999);
	ok(d > 37.4 && d < 37.5, "jitter high end: just under 1.25 times (%f)", d);
	ok(job_policy_backoff(30, 40, 0.5) == JOB_POLICY_MAX_DELAY,
	    "capped at JOB_POLICY_MAX_DELAY, no overflow at attempt 40");
	ok(job_policy_backoff(30, 100000, 0.5) == JOB_POLICY_MAX_DELAY,
	    "and at absurd attempt counts");
	ok(job_policy_backoff(0, 1, 0.5) == 1.0, "a base below 1 s counts as 1 s");
	ok(job_policy_backoff(30, 1, 7.0) == 30.0, "an out-of-range random is centred");
}

static void
test_retry_after(void)
{
	time_t	 now = 784111777;	/* Sun, 06 Nov 1994 08:49:37 GMT */
	long	 s = -1;

	ok(job_policy_retry_after("120", now, &s) == 0 && s == 120, "delta-seconds");
	ok(job_policy_retry_after(" 5 ", now, &s) == -1, "trailing space: not a number");
	ok(job_policy_retry_after(" 5", now, &s) == 0 && s == 5, "leading space allowed");
	ok(job_policy_retry_after("0", now, &s) == 0 && s == 0, "zero");
	ok(job_policy_retry_after("99999999999999999999", now, &s) == 0 &&
	    s == JOB_POLICY_MAX_RETRY_AFTER, "huge delta capped");
	ok(job_policy_retry_after("-5", now, &s) == -1, "negative refused");
	ok(job_policy_retry_after("12abc", now, &s) == -1, "garbage after digits refused");
	ok(job_policy_retry_after("Sun, 06 Nov 1994 08:51:37 GMT", now, &s) == 0 && s == 120,
	    "IMF-fixdate");
	ok(job_policy_retry_after("Sunday, 06-Nov-94 08:50:37 GMT", now, &s) == 0 && s == 60,
	    "RFC 850 date");
	ok(job_policy_retry_after("Sun Nov  6 08:50:07 1994", now, &s) == 0 && s == 30,
	    "asctime date");
	ok(job_policy_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now, &s) == 0 && s == 0,
	    "a date in the past: now");
	ok(job_policy_retry_after("Sun, 06 Nov 2094 08:00:00 GMT", now, &s) == 0 &&
	    s == JOB_POLICY_MAX_RETRY_AFTER, "a date a century away: capped");
	ok(job_policy_retry_after("soon", now, &s) == -1, "words refused");
	ok(job_policy_retry_after("", now, &s) == -1, "empty refused");
	ok(job_policy_retry_after(NULL, now, &s) == -1, "absent refused");
}

static void
test_give_up(void)
{
	time_t now = 1000000;

	ok(!job_policy_give_up(now, now - 100, 172800, 1, 20, 30),
	    "young job, first failure: retry");
	ok(job_policy_give_up(now, now - 172790, 172800, 5, 20, 30),
	    "the next run would fall past the window: give up");
	ok(!job_policy_give_up(now, now - 172700, 172800, 5, 20, 30),
	    "the next run falls inside the window: retry");
	ok(job_policy_give_up(now, now, 172800, 20, 20, 30), "max_attempts reached");
	ok(job_policy_give_up(now, now, 0, 1, 20, 1), "window 0: never retried");
}

static void
test_http_status(void)
{
	static const struct {
		long	status;
		enum job_policy_verdict want;
	} cases[] = {
		{ 200, JOB_POLICY_DONE }, { 202, JOB_POLICY_DONE }, { 204, JOB_POLICY_DONE },
		{ 301, JOB_POLICY_RETRY }, { 400, JOB_POLICY_PERMANENT },
		{ 401, JOB_POLICY_RETRY }, { 403, JOB_POLICY_PERMANENT },
		{ 404, JOB_POLICY_PERMANENT }, { 408, JOB_POLICY_RETRY },
		{ 410, JOB_POLICY_PERMANENT }, { 422, JOB_POLICY_PERMANENT },
		{ 429, JOB_POLICY_RETRY }, { 500, JOB_POLICY_RETRY },
		{ 502, JOB_POLICY_RETRY }, { 503, JOB_POLICY_RETRY },
		{ 100, JOB_POLICY_RETRY },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(job_policy_http_status(cases[i].status), cases[i].want,
		    "HTTP %ld", cases[i].status);
}

int
main(void)
{
	test_backoff();
	test_retry_after();
	test_give_up();
	test_http_status();
	return done_testing();
}
