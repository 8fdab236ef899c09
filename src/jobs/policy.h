/*
 * When a failed job runs again, and when it is given up: exponential
 * back-off with jitter, Retry-After (RFC 9110 §10.2.3), the retry window,
 * and how a delivery's HTTP status is judged. Pure functions of their
 * arguments, so the policy can be tested without a database or a clock.
 */
#ifndef MEENT_JOBS_POLICY_H
#define MEENT_JOBS_POLICY_H

#include <time.h>

#define JOB_POLICY_MAX_DELAY		(6 * 3600)	/* back-off stops doubling here */
#define JOB_POLICY_MAX_RETRY_AFTER	(24 * 3600)	/* a longer Retry-After is cut to this */

/*
 * Seconds to wait before the next run after failed attempt number attempt
 * (1 after the first failure): base doubled attempt-1 times, at most
 * JOB_POLICY_MAX_DELAY, then spread over [0.75, 1.25) of that by r in
 * [0, 1) so that jobs failing together do not return together.
 */
double	 job_policy_backoff(long base, int attempt, double r);

/*
 * Parses a Retry-After value: delta-seconds or an HTTP-date in any of the
 * three forms RFC 9110 §5.6.7 requires recipients to accept. *seconds is
 * the wait from now (0 for a date in the past), at most
 * JOB_POLICY_MAX_RETRY_AFTER. 0, or -1 for NULL or anything else.
 */
int	 job_policy_retry_after(const char *value, time_t now, long *seconds);

/*
 * 1 when a job that failed its attempt number attempts should not run
 * again after delay seconds: it has had max_attempts, or the next run
 * would fall after its retry window (window seconds from since).
 */
int	 job_policy_give_up(time_t now, time_t since, long window, int attempts,
	    int max_attempts, double delay);

enum job_policy_verdict {
	JOB_POLICY_DONE,	/* delivered */
	JOB_POLICY_RETRY,	/* may work later */
	JOB_POLICY_PERMANENT,	/* will never work: do not retry */
};

/*
 * Judges the HTTP status of a delivery as Mastodon does: 2xx delivered;
 * 401, 408 and 429 and every other status (1xx, 3xx, 5xx) retried; any
 * other 4xx (410 Gone included) permanent.
 */
enum job_policy_verdict job_policy_http_status(long status);

#endif
