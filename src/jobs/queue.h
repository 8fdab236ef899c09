/*
 * The durable job queue: the jobs table in PostgreSQL (schema 0001 and
 * 0004). This header is how any module adds work, from any thread, on that
 * thread's own connection; the insert wakes idle job threads on every node
 * through NOTIFY meent_jobs. Running jobs is jobs/worker.h, and what a
 * kind of job does is jobs/job.h.
 */
#ifndef MEENT_JOBS_QUEUE_H
#define MEENT_JOBS_QUEUE_H

#include <time.h>

#include <jansson.h>

struct db;

#define JOB_QUEUE_DEFAULT	"default"

/* What to queue; borrowed for the job_enqueue call only. */
struct job_spec {
	const char	*kind;		/* a kind in the handler table (jobs/handlers.c) */
	const char	*queue;		/* NULL: JOB_QUEUE_DEFAULT; a label for stats and metrics */
	const json_t	*payload;	/* the handler's input; NULL: {} */
	time_t		 run_at;	/* 0: as soon as possible */
	const char	*dedup_key;	/* NULL: none; else at most one such job queued or running */
	int		 priority;	/* higher runs first; -32768 to 32767, 0 usually */
};

/*
 * Queues a job in the caller's transaction, if one is open, so that work
 * and the change that caused it commit together. *id (may be NULL) is the
 * new job's id, or 0 when a job with the same dedup_key was already queued
 * or running (nothing was added: that is not an error). 0, or -1 with the
 * reason logged and the database error left in db.
 */
int	 job_enqueue(struct db *db, const struct job_spec *js, long long *id);

#endif
