/*
 * The job threads of meentd: job_workers threads, each with its own
 * event_base, PostgreSQL connection (which also LISTENs on meent_jobs) and
 * outbound HTTP client, each running up to job_concurrency jobs at once.
 * New jobs wake them through NOTIFY; a timer every job_poll_interval
 * catches retries that came due and the jobs of nodes that died (expired
 * leases). Any number of meentd share one queue: a job is claimed with
 * FOR UPDATE SKIP LOCKED and runs on one node at a time, at least once.
 *
 * Stopping: no new claims; jobs in flight get shutdown_timeout to finish;
 * those still running then are given back to the queue at once, without
 * counting the attempt (their requests are cancelled; a delivery that was
 * already sent is sent again later, which the receiver's activity-id
 * check absorbs). If the database is unreachable at that moment they are
 * left to their lease and run again when it expires.
 */
#ifndef MEENT_JOBS_WORKER_H
#define MEENT_JOBS_WORKER_H

struct buf;
struct db;
struct job_workers;
struct meent;

/*
 * nthreads job threads (0: none; then this node runs no jobs) for m
 * (borrowed; must outlive them), none running yet. New. Create it before
 * the HTTP threads start, since /metrics reads it.
 */
struct job_workers *job_workers_new(struct meent *m, int nthreads);
/* Accepts NULL. Only after job_workers_join, or when none was started. */
void		 job_workers_free(struct job_workers *jw);

/* Starts the threads; each connects to the database. 0 or -1. */
int		 job_workers_start(struct job_workers *jw);
/* Asks every thread to stop as described above; safe from any thread. */
void		 job_workers_stop(struct job_workers *jw);
/* Waits for every thread to finish. */
void		 job_workers_join(struct job_workers *jw);

/*
 * Appends the job metrics to out (Prometheus text): jobs finished by kind
 * and outcome since start, jobs in flight, job threads, and domains marked
 * unavailable (asked of db, borrowed; left out when it is down). Safe from
 * any thread. 0, or -1 when out is full.
 */
int		 job_workers_metrics(struct job_workers *jw, struct db *db,
		    struct buf *out);

#endif
