/*
 * The job threads' side of the queue (worker.c), and nothing else: claim,
 * finish, lease, recover and purge. A job belongs to the node whose id is
 * in locked_by while its lease runs; every call that finishes a job names
 * the node, so a node whose lease ran out (its job since claimed by
 * another) changes nothing.
 */
#ifndef MEENT_JOBS_QUEUE_INTERNAL_H
#define MEENT_JOBS_QUEUE_INTERNAL_H

#include <libpq-fe.h>

struct db;

/*
 * Claims up to limit ready jobs whose kind is in kinds (a PostgreSQL text
 * array literal) for node, leased for lease seconds, counting an attempt.
 * Returns the rows (new; PQclear them): id, kind, queue, payload (text),
 * attempts, max_attempts, start of the retry window (Unix seconds). NULL
 * when the database failed (logged).
 */
PGresult	*job_queue_claim(struct db *db, const char *node, long lease,
		    const char *kinds, int limit);

/*
 * Marks the n jobs ids (a PostgreSQL bigint array literal) of node done.
 * 0, or -1 when the database failed or some job is no longer the node's
 * (both logged).
 */
int		 job_queue_done(struct db *db, const char *node, const char *ids, long n);
/* Finishing one job of node otherwise. 0, or -1 as above. */
int		 job_queue_retry(struct db *db, const char *node, const char *id,
		    double delay, const char *error);
int		 job_queue_dead(struct db *db, const char *node, const char *id,
		    const char *error);

/*
 * For the jobs ids (a PostgreSQL bigint array literal) of node: give them
 * back to the queue now without counting the attempt (release), or extend
 * their lease to lease seconds from now (extend). The number of jobs
 * changed, or -1 when the database failed (logged).
 */
long		 job_queue_release(struct db *db, const char *node, const char *ids);
long		 job_queue_extend(struct db *db, const char *node, const char *ids,
		    long lease);

/* Requeues (or buries, past max_attempts) the jobs whose lease ran out.
 * The number, or -1 (logged). */
long		 job_queue_recover(struct db *db);

/* Deletes up to 1000 jobs in state ("done" or "dead") finished more than
 * age seconds ago. The number, or -1 (logged). */
long		 job_queue_purge(struct db *db, const char *state, long age);

#endif
