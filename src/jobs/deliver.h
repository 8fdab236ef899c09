/*
 * The "deliver" job: one POST of a body to a URL with given headers, the
 * transport half of ActivityPub delivery (ActivityPub §7.1). It judges the
 * answer as Mastodon does (jobs/policy.h), honours Retry-After and feeds
 * the per-domain circuit breaker (jobs/domain.h). What to send, and the
 * HTTP signature over it, are the caller's business.
 *
 * The payload: {"url": "https://b.example/inbox", "body": "<the exact
 * bytes, as a string>" or a JSON object or array (sent compact),
 * "headers": ["Content-Type: application/activity+json", ...]}. Without a
 * Content-Type header, application/activity+json is sent. Redirects are
 * not followed: a signature covers one URL.
 */
#ifndef MEENT_JOBS_DELIVER_H
#define MEENT_JOBS_DELIVER_H

struct db;
struct job_ctx;

#define JOB_DELIVER_KIND	"deliver"
#define JOB_DELIVER_QUEUE	"deliver"
#define JOB_DELIVER_MAX_HEADERS	32

/* The handler (jobs/job.h). */
void	 job_deliver_run(struct job_ctx *ctx);

/*
 * Queues a delivery of body (the exact bytes; borrowed) to url with
 * headers ("Name: value" lines, NULL-terminated; may be NULL), as
 * job_enqueue does (jobs/queue.h): *id (may be NULL) is the job's id, or 0
 * when dedup_key (may be NULL) was already queued. 0 or -1.
 */
int	 job_deliver_enqueue(struct db *db, const char *url, const char *body,
	    const char *const *headers, const char *dedup_key, long long *id);

#endif
