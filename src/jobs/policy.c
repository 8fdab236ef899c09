/* Retry policy of the job queue: see policy.h. */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "jobs/policy.h"
#include "util/str.h"

double
job_policy_backoff(long base, int attempt, double r)
{
	double d = base > 0 ? (double)base : 1.0;

	for (int i = 1; i < attempt && d < JOB_POLICY_MAX_DELAY; i++)
		d *= 2;
	if (d > JOB_POLICY_MAX_DELAY)
		d = JOB_POLICY_MAX_DELAY;
	if (r < 0 || r >= 1)
		r = 0.5;
	return d * (0.75 + r * 0.5);
}

/* The HTTP-date forms of RFC 9110 §5.6.7: IMF-fixdate, then the obsolete
 * RFC 850 and asctime forms. All are GMT. */
static const char *const policy_date_formats[] = {
	"%a, %d %b %Y %H:%M:%S GMT",
	"%A, %d-%b-%y %H:%M:%S GMT",
	"%a %b %e %H:%M:%S %Y",
};

int
job_policy_retry_after(const char *value, time_t now, long *seconds)
{
	long long	 v;
	struct tm	 tm;
	const char	*end;
	time_t		 t;

	if (value == NULL)
		return -1;
	while (isspace((unsigned char)*value))
		value++;
	if (isdigit((unsigned char)value[0])) {
		/* Huge delta-seconds are valid HTTP; they are only capped. */
		if (strspn(value, "0123456789") != strlen(value))
			return -1;
		if (str_to_ll(value, 0, 999999999999LL, &v) == -1)
			v = JOB_POLICY_MAX_RETRY_AFTER;
		*seconds = v > JOB_POLICY_MAX_RETRY_AFTER ? JOB_POLICY_MAX_RETRY_AFTER : (long)v;
		return 0;
	}
	for (size_t i = 0; i < sizeof(policy_date_formats) /
	    sizeof(policy_date_formats[0]); i++) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(value, policy_date_formats[i], &tm);
		if (end == NULL)
			continue;
		while (isspace((unsigned char)*end))
			end++;
		if (*end != '\0' || (t = timegm(&tm)) == (time_t)-1)
			continue;
		if (t <= now)
			*seconds = 0;
		else if (t - now > JOB_POLICY_MAX_RETRY_AFTER)
			*seconds = JOB_POLICY_MAX_RETRY_AFTER;
		else
			*seconds = (long)(t - now);
		return 0;
	}
	return -1;
}

int
job_policy_give_up(time_t now, time_t since, long window, int attempts,
    int max_attempts, double delay)
{
	if (attempts >= max_attempts)
		return 1;
	return (double)now + delay > (double)since + (double)window;
}

enum job_policy_verdict
job_policy_http_status(long status)
{
	if (status >= 200 && status <= 299)
		return JOB_POLICY_DONE;
	if (status == 401 || status == 408 || status == 429)
		return JOB_POLICY_RETRY;
	if (status >= 400 && status <= 499)
		return JOB_POLICY_PERMANENT;
	return JOB_POLICY_RETRY;
}
