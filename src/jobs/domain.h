/*
 * The per-domain circuit breaker of deliveries (table delivery_domains,
 * schema 0004). A remote host that keeps failing, without one success,
 * for job_domain_unavailable_after is marked unavailable; deliveries to it
 * are then postponed without being tried, except for one probe an hour.
 * The first success, or a signed request from the host, clears the mark.
 * Mastodon does the same (DeliveryFailureTracker), which is why peers
 * expect it. It knows hosts only, nothing of ActivityPub.
 */
#ifndef MEENT_JOBS_DOMAIN_H
#define MEENT_JOBS_DOMAIN_H

#include <stddef.h>

struct db;

#define JOB_DOMAIN_MAX		256	/* a host name and its NUL */
#define JOB_DOMAIN_PROBE_EVERY	3600	/* seconds between probes of an unavailable host */

/*
 * Writes the lower-cased host of url to out, without the port (an IPv6
 * address keeps its brackets). 0, or -1 when url has no host or it does
 * not fit.
 */
int	 job_domain_of_url(const char *url, char *out, size_t outsz);

/*
 * 1 when a delivery to domain should be skipped (marked unavailable, and
 * not this hour's probe); 0 when it should be tried, also when the
 * database cannot say: a breaker that fails open delays nothing. Sets
 * *record to whether a success must then be recorded with
 * job_domain_succeeded: not for a domain that has nothing to clear, which
 * is nearly all of them. (A failure recorded by a concurrent delivery in
 * between is then cleared by the next success instead.)
 */
int	 job_domain_skip(struct db *db, const char *domain, int *record);

/*
 * Records a failed delivery (why: a short reason, borrowed) or a
 * successful one. Failures spanning unavailable_after seconds mark the
 * domain; a success clears it. Database errors are logged, not returned:
 * the breaker is advice, the delivery's outcome does not depend on it.
 */
void	 job_domain_failed(struct db *db, const char *domain,
	    long unavailable_after, const char *why);
void	 job_domain_succeeded(struct db *db, const char *domain);

/*
 * A request signed by a key of a domain clears its breaker too: the
 * inbox's accept statement does it in the same round trip
 * (db/stmt_core.def DB_DOMAIN_SEEN, used by AP_INBOX_ACCEPT).
 */

#endif
