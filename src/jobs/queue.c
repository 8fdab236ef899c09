/* The job queue's statements: see queue.h and queue_internal.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "jobs/queue.h"
#include "jobs/queue_internal.h"
#include "util/log.h"
#include "util/str.h"

#define JOB_ERROR_MAX	1000	/* last_error is for people: keep it short */

int
job_enqueue(struct db *db, const struct job_spec *js, long long *id)
{
	PGresult	*res = NULL;
	char		*payload = NULL, run_at[32], priority[16];
	long long	 v = 0;
	int		 rc = -1;

	if (id != NULL)
		*id = 0;
	if (js->kind == NULL || js->kind[0] == '\0') {
		log_error("job_enqueue_failed", "msg=\"no kind\"");
		return -1;
	}
	payload = js->payload != NULL ? json_dumps(js->payload, JSON_COMPACT |
	    JSON_ENCODE_ANY) : NULL;
	if (js->payload != NULL && payload == NULL) {
		log_error("job_enqueue_failed", "kind=%s msg=\"payload not encodable\"",
		    js->kind);
		goto out;
	}
	snprintf(run_at, sizeof(run_at), "%lld", (long long)js->run_at);
	snprintf(priority, sizeof(priority), "%d", js->priority);
	res = DB_EXEC(db, STMT_JOB_ENQUEUE, js->kind,
	    js->queue != NULL ? js->queue : JOB_QUEUE_DEFAULT,
	    payload != NULL ? payload : "{}", js->run_at != 0 ? run_at : NULL,
	    js->dedup_key, priority);
	if (res == NULL) {
		log_error("job_enqueue_failed", "kind=%s state=%s msg=\"%s\"", js->kind,
		    db_sqlstate(db), db_errmsg(db));
		goto out;
	}
	if (PQntuples(res) == 1)
		(void)str_to_ll(PQgetvalue(res, 0, 0), 1, INT64_MAX, &v);
	if (id != NULL)
		*id = v;
	rc = 0;
out:
	PQclear(res);
	free(payload);
	return rc;
}

PGresult *
job_queue_claim(struct db *db, const char *node, long lease, const char *kinds,
    int limit)
{
	PGresult	*res;
	char		 slease[24], slimit[16];

	snprintf(slease, sizeof(slease), "%ld", lease);
	snprintf(slimit, sizeof(slimit), "%d", limit);
	res = DB_EXEC(db, STMT_JOB_CLAIM, node, slease, kinds, slimit);
	if (res == NULL && db_last_error(db) != DB_DOWN)
		log_error("job_claim_failed", "node=%s state=%s msg=\"%s\"", node,
		    db_sqlstate(db), db_errmsg(db));
	return res;
}

/*
 * Runs a statement that finishes the n jobs id (one id, or a bigint array
 * literal of n); 0 when it changed all their rows.
 */
static int
queue_finish(struct db *db, PGresult *res, const char *what, const char *node,
    const char *id, long n)
{
	long	 changed;

	if (res == NULL) {
		/* The lease runs out and the job runs again elsewhere: at least
		 * once, never lost. */
		log_warn("job_finish_failed", "id=%s node=%s outcome=%s msg=\"%s\"",
		    id, node, what, db_errmsg(db));
		return -1;
	}
	changed = strtol(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	if (changed != n) {
		log_warn("job_lease_lost", "id=%s node=%s outcome=%s changed=%ld "
		    "msg=\"not all are ours any more: their lease ran out\"", id, node, what,
		    changed);
		return -1;
	}
	return 0;
}

/* A bounded, single-line copy of an error for last_error. */
static void
queue_error_text(char *dst, size_t dstsz, const char *error)
{
	str_lcpy(dst, error != NULL ? error : "", dstsz);
	for (char *p = dst; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

int
job_queue_done(struct db *db, const char *node, const char *ids, long n)
{
	return queue_finish(db, DB_EXEC(db, STMT_JOB_DONE, ids, node), "done", node, ids, n);
}

int
job_queue_retry(struct db *db, const char *node, const char *id, double delay,
    const char *error)
{
	char	 sdelay[32], err[JOB_ERROR_MAX];

	snprintf(sdelay, sizeof(sdelay), "%.3f", delay);
	queue_error_text(err, sizeof(err), error);
	return queue_finish(db, DB_EXEC(db, STMT_JOB_RETRY, id, node, sdelay, err),
	    "retry", node, id, 1);
}

int
job_queue_dead(struct db *db, const char *node, const char *id, const char *error)
{
	char err[JOB_ERROR_MAX];

	queue_error_text(err, sizeof(err), error);
	return queue_finish(db, DB_EXEC(db, STMT_JOB_DEAD, id, node, err), "dead",
	    node, id, 1);
}

/* The number of rows a statement changed, or -1 (logged) when it failed. */
static long
queue_count(struct db *db, PGresult *res, const char *event)
{
	long long n = 0;

	if (res == NULL) {
		if (db_last_error(db) != DB_DOWN)
			log_error(event, "state=%s msg=\"%s\"", db_sqlstate(db),
			    db_errmsg(db));
		return -1;
	}
	(void)str_to_ll(PQcmdTuples(res), 0, INT64_MAX, &n);
	PQclear(res);
	return (long)n;
}

long
job_queue_release(struct db *db, const char *node, const char *ids)
{
	return queue_count(db, DB_EXEC(db, STMT_JOB_RELEASE, ids, node),
	    "job_release_failed");
}

long
job_queue_extend(struct db *db, const char *node, const char *ids, long lease)
{
	char slease[24];

	snprintf(slease, sizeof(slease), "%ld", lease);
	return queue_count(db, DB_EXEC(db, STMT_JOB_EXTEND, ids, node, slease),
	    "job_extend_failed");
}

long
job_queue_recover(struct db *db)
{
	PGresult	*res = DB_EXEC0(db, STMT_JOB_RECOVER);
	long		 n;

	if (res == NULL)
		return queue_count(db, NULL, "job_recover_failed");
	n = PQntuples(res);
	for (long i = 0; i < n; i++)
		log_warn("job_recovered", "id=%s state=%s msg=\"lease expired: its "
		    "node stopped without finishing it\"", PQgetvalue(res, (int)i, 0),
		    PQgetvalue(res, (int)i, 1));
	PQclear(res);
	return n;
}

long
job_queue_purge(struct db *db, const char *state, long age)
{
	char sage[24];

	snprintf(sage, sizeof(sage), "%ld", age);
	return queue_count(db, DB_EXEC(db, STMT_JOB_PURGE_OLD, state, sage),
	    "job_purge_failed");
}
