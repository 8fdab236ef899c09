/*
 * What a kind of job is: a handler in the table of jobs/handlers.c, run on
 * a job thread (jobs/worker.h) with that thread's database connection and
 * outbound HTTP client. A handler may finish at once or later, from a
 * callback on the same thread, so a thread runs many jobs at once while
 * they wait on the network. Either way it ends every job with exactly one
 * of job_done, job_retry or job_fail_permanently.
 */
#ifndef MEENT_JOBS_JOB_H
#define MEENT_JOBS_JOB_H

#include <stddef.h>

#include <jansson.h>

struct config;
struct db;
struct http_client;
struct job_ctx;

struct job_handler {
	const char	*kind;				/* jobs.kind */
	void		(*run)(struct job_ctx *ctx);	/* starts the job; see above */
};

/* The handler of kind, from a static table; NULL when this build has none. */
const struct job_handler *job_handler_find(const char *kind);
/* The table: job_handler_count() rows, each borrowed. */
size_t		 job_handler_count(void);
const struct job_handler *job_handler_at(size_t i);

/*
 * A running job. Everything returned is borrowed and valid until the job
 * is finished; the connection and the client are the job thread's, to be
 * used from that thread only.
 */
const json_t	*job_payload(const struct job_ctx *ctx);
const char	*job_id(const struct job_ctx *ctx);		/* decimal */
int		 job_attempt(const struct job_ctx *ctx);	/* 1 on the first run */
struct db	*job_db(struct job_ctx *ctx);
struct http_client *job_client(struct job_ctx *ctx);
const struct config *job_config(const struct job_ctx *ctx);

/*
 * Finishing a job; each takes ctx, which is invalid afterwards. reason is
 * a short single-line text for logs and jobs.last_error (borrowed).
 *
 * job_retry runs the job again after the back-off of jobs/policy.h, and
 * no sooner than retry_after seconds (a Retry-After; 0: none), or gives up
 * (dead) when that would fall outside job_retry_window. While the node is
 * shutting down and the job has been given back, these only free ctx: the
 * job runs again elsewhere.
 */
void		 job_done(struct job_ctx *ctx);
void		 job_retry(struct job_ctx *ctx, long retry_after, const char *reason);
void		 job_fail_permanently(struct job_ctx *ctx, const char *reason);

#endif
