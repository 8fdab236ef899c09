/*
 * The job threads: see worker.h. A thread's struct job_worker is touched
 * by that thread only, except its atomics (read by /metrics) and its stop
 * event (activated by the main thread). Database statements are
 * synchronous, as on the HTTP threads; only the jobs' network waits are
 * asynchronous.
 *
 * A thread claims when it may have work (w_more): a NOTIFY arrived that
 * is its to act on, the poll timer fired, its last claim came back full,
 * or a sibling handed work on. Every thread receives every NOTIFY; the
 * payload is a job id (schema 0007) and the thread whose index is that id
 * modulo the thread count claims, so one insert costs one claim per node,
 * not one per thread. A thread that is full, or whose claim came back
 * full, kicks the next thread, so a backlog still spreads over all.
 *
 * Jobs that ran to the end are marked done together, once the callbacks
 * of the loop turn that finished them have run (w_flush_ev), or before
 * the next claim: a fan-out finishes dozens of deliveries in one turn,
 * and one statement each cost more than the claim. A node that dies in
 * between runs those jobs again when their lease runs out: at least once,
 * as everywhere else.
 *
 * A claim that empties the queue is followed by the next no sooner than
 * JOB_CLAIM_PACE_MS later, so that jobs arriving one by one (an inbox
 * under load) are claimed a few at a time rather than each with a claim
 * and a "done" of its own. A full claim is followed at once. A claim
 * that found jobs but emptied the queue is always followed by one more:
 * an insert sends no NOTIFY while the queue has jobs ready (schema 0008),
 * so the jobs queued while this claim ran may have no other wake-up.
 *
 * Statements read notifications into libpq's queue while they run, which
 * leaves the socket quiet, so the queue is drained after statements, not
 * only when the socket is readable.
 */
#include <sys/queue.h>

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <jansson.h>
#include <libpq-fe.h>

#include "db/db.h"
#include "http/client.h"
#include "jobs/job.h"
#include "jobs/policy.h"
#include "jobs/queue_internal.h"
#include "jobs/worker.h"
#include "meent.h"
#include "util/clock.h"
#include "util/evbase.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/rand.h"
#include "util/str.h"

#define JOB_CHANNEL		"meent_jobs"	/* schema 0001: jobs_notify() */
#define JOB_CLAIM_BATCH		32	/* rows per claim: keeps each statement short */
#define JOB_DONE_BATCH		64	/* finished jobs marked done in one statement */
#define JOB_CLAIM_PACE_MS	5	/* after a claim that emptied the queue */
#define JOB_DRAIN_TICK_MS	20
#define JOB_PURGE_EVERY		60	/* seconds between purges of finished jobs */
#define JOB_NODE_MAX		128
#define JOB_REASON_MAX		600

enum job_outcome {
	JOB_OUTCOME_DONE,
	JOB_OUTCOME_RETRY,
	JOB_OUTCOME_DEAD,
};

struct job_ctx {
	TAILQ_ENTRY(job_ctx)	 j_entry;
	struct job_worker	*j_worker;
	const struct job_handler *j_handler;
	size_t			 j_kind;	/* row in the handler table, for counters */
	char			 j_id[24];
	json_t			*j_payload;
	int			 j_attempt;	/* 1 on the first run */
	int			 j_max_attempts;
	time_t			 j_since;	/* start of the retry window */
	int			 j_released;	/* given back at shutdown: finish writes nothing */
};

TAILQ_HEAD(job_ctx_list, job_ctx);

/* Outcomes counted per kind since start, for /metrics. */
enum job_count {
	JOB_COUNT_DONE,
	JOB_COUNT_RETRIED,
	JOB_COUNT_DEAD,
	JOB_COUNT__N,
};

struct job_counters {
	atomic_ulong	 c[JOB_COUNT__N];
};

struct job_worker {
	struct job_workers	*w_pool;
	int			 w_idx;
	pthread_t		 w_tid;
	int			 w_started;
	struct event_base	*w_base;
	struct db		*w_db;
	struct http_client	*w_client;
	struct event		*w_kick_ev;	/* claim now */
	struct event		*w_poll_ev;	/* every job_poll_interval */
	struct event		*w_lease_ev;	/* extends the leases of w_jobs */
	struct event		*w_stop_ev;	/* activated by job_workers_stop */
	struct event		*w_drain_ev;	/* ticks while stopping */
	struct event		*w_flush_ev;	/* marks w_done done */
	struct buf		 w_done;	/* ids finished, not yet marked: "1,2" */
	long			 w_ndone;
	struct event		*w_listen_ev;	/* the LISTEN connection's socket */
	PGconn			*w_listen_conn;	/* the connection LISTEN was sent on */
	unsigned long		 w_listen_gen;	/* db_reconnects() then: a new conn may reuse the address */
	char			 w_node[JOB_NODE_MAX];	/* jobs.locked_by of our jobs */
	struct job_ctx_list	 w_jobs;	/* in flight */
	int			 w_inflight;
	int			 w_more;	/* ready jobs may be waiting */
	long long		 w_emptied_ms;	/* the last claim emptied the queue then, or 0 */
	atomic_int		 w_kicked;	/* a sibling handed work on */
	int			 w_owned;	/* a NOTIFY of ours came: hand on if full */
	int			 w_stopping;
	long long		 w_drain_start_ms;
	time_t			 w_next_purge;
	atomic_int		 w_inflight_pub;	/* w_inflight, for /metrics */
};

struct job_workers {
	struct meent		*jw_meent;
	int			 jw_n;
	struct job_worker	*jw_workers;
	size_t			 jw_nkinds;
	struct job_counters	*jw_counters;	/* jw_nkinds of them */
	char			*jw_kinds;	/* the kinds we claim, as a text[] literal */
};

static void	 worker_claim(struct job_worker *w);

static const struct config *
worker_cfg(const struct job_worker *w)
{
	return &w->w_pool->jw_meent->cfg;
}

/* Handler API (job.h) */

const json_t *
job_payload(const struct job_ctx *ctx)
{
	return ctx->j_payload;
}

const char *
job_id(const struct job_ctx *ctx)
{
	return ctx->j_id;
}

int
job_attempt(const struct job_ctx *ctx)
{
	return ctx->j_attempt;
}

struct db *
job_db(struct job_ctx *ctx)
{
	return ctx->j_worker->w_db;
}

struct http_client *
job_client(struct job_ctx *ctx)
{
	return ctx->j_worker->w_client;
}

const struct config *
job_config(const struct job_ctx *ctx)
{
	return worker_cfg(ctx->j_worker);
}

/* LISTEN/NOTIFY */

/*
 * Moves pending notifications out of libpq; one naming a job this thread
 * owns, or naming none (a schema before 0007), means: claim.
 */
static void
worker_notifies(struct job_worker *w)
{
	PGconn		*conn = db_conn(w->w_db);
	PGnotify	*n;
	long long	 id;

	if (conn == NULL || conn != w->w_listen_conn)
		return;
	while ((n = PQnotifies(conn)) != NULL) {
		if (str_to_ll(n->extra, 0, LLONG_MAX, &id) == -1 ||
		    id % w->w_pool->jw_n == w->w_idx)
			w->w_more = w->w_owned = 1;
		PQfreemem(n);
	}
}

/* Asks the thread after w to claim too; safe across threads. */
static void
worker_kick_next(struct job_worker *w)
{
	struct job_workers	*jw = w->w_pool;
	struct job_worker	*next = &jw->jw_workers[(w->w_idx + 1) % jw->jw_n];

	if (next == w || next->w_kick_ev == NULL)
		return;
	atomic_store(&next->w_kicked, 1);
	event_active(next->w_kick_ev, EV_TIMEOUT, 0);
}

static void
worker_unlisten(struct job_worker *w)
{
	if (w->w_listen_ev != NULL)
		event_free(w->w_listen_ev);
	w->w_listen_ev = NULL;
	w->w_listen_conn = NULL;
}

static void
listen_cb(evutil_socket_t fd, short what, void *arg)
{
	struct job_worker	*w = arg;
	PGconn			*conn = db_conn(w->w_db);

	if (conn == NULL || conn != w->w_listen_conn ||
	    db_reconnects(w->w_db) != w->w_listen_gen) {
		worker_unlisten(w);
		return;
	}
	if (PQconsumeInput(conn) == 0) {
		/* The connection broke: the poll reconnects and listens again. */
		log_warn("job_listen_lost", "worker=%d msg=\"%s\"", w->w_idx,
		    PQerrorMessage(conn));
		worker_unlisten(w);
		return;
	}
	worker_claim(w);
}

/*
 * Makes sure the thread's current connection listens. db.c reconnects on
 * its own after an outage, and LISTEN belongs to the session, so this is
 * checked before each claim. A fresh LISTEN means notifications may have
 * been missed: the thread then looks at the queue.
 */
static void
worker_listen(struct job_worker *w)
{
	PGconn		*conn = db_conn(w->w_db);
	PGresult	*res;

	if (conn != NULL && conn == w->w_listen_conn &&
	    db_reconnects(w->w_db) == w->w_listen_gen)
		return;
	worker_unlisten(w);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK)
		return;
	/* LISTEN is a utility statement and cannot be prepared: the one
	 * statement sent as text, on the raw connection db.h offers for it. */
	res = PQexec(conn, "LISTEN " JOB_CHANNEL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_warn("job_listen_failed", "worker=%d msg=\"%s\"", w->w_idx,
		    PQresultErrorMessage(res));
		PQclear(res);
		return;
	}
	PQclear(res);
	w->w_listen_ev = event_new(w->w_base, PQsocket(conn), EV_READ | EV_PERSIST,
	    listen_cb, w);
	if (w->w_listen_ev == NULL || event_add(w->w_listen_ev, NULL) == -1) {
		log_error("job_listen_failed", "worker=%d msg=\"cannot watch the socket\"",
		    w->w_idx);
		worker_unlisten(w);
		return;
	}
	w->w_listen_conn = conn;
	w->w_listen_gen = db_reconnects(w->w_db);
	w->w_more = 1;
}

/* Finishing jobs */

/* Marks the jobs of w_done done, in one statement. */
static void
worker_flush_done(struct job_worker *w)
{
	char	*ids;

	if (w->w_ndone == 0)
		return;
	buf_puts(&w->w_done, "}");
	ids = buf_take(&w->w_done);
	(void)job_queue_done(w->w_db, w->w_node, ids, w->w_ndone);
	free(ids);
	w->w_ndone = 0;
}

static void
flush_cb(evutil_socket_t fd, short what, void *arg)
{
	worker_flush_done(arg);
}

/* Job id finished well: marked done with the others of this loop turn. */
static void
worker_done_later(struct job_worker *w, const char *id)
{
	buf_printf(&w->w_done, "%s%s", w->w_ndone == 0 ? "{" : ",", id);
	if (++w->w_ndone == 1)
		event_active(w->w_flush_ev, EV_TIMEOUT, 0);
	else if (w->w_ndone >= JOB_DONE_BATCH)
		worker_flush_done(w);
}

/* The ids of the jobs in flight as a bigint[] literal; new. */
static char *
worker_ids(struct job_worker *w)
{
	struct buf	 b;
	struct job_ctx	*ctx;
	int		 first = 1;

	buf_init(&b, 0);
	buf_puts(&b, "{");
	TAILQ_FOREACH(ctx, &w->w_jobs, j_entry) {
		buf_printf(&b, "%s%s", first ? "" : ",", ctx->j_id);
		first = 0;
	}
	buf_puts(&b, "}");
	return buf_take(&b);
}

static double
worker_random(void)
{
	uint32_t r;

	rand_bytes(&r, sizeof(r));
	return (double)r / 4294967296.0;
}

static void
worker_bury(struct job_ctx *ctx, const char *reason)
{
	struct job_worker	*w = ctx->j_worker;
	char			 q[JOB_REASON_MAX];

	(void)job_queue_dead(w->w_db, w->w_node, ctx->j_id, reason);
	atomic_fetch_add(&w->w_pool->jw_counters[ctx->j_kind].c[JOB_COUNT_DEAD], 1);
	log_warn("job_dead", "id=%s kind=%s attempt=%d reason=%s", ctx->j_id,
	    ctx->j_handler->kind, ctx->j_attempt, log_quote(q, sizeof(q), reason));
}

static void
worker_retry(struct job_ctx *ctx, long retry_after, const char *reason)
{
	struct job_worker	*w = ctx->j_worker;
	const struct config	*cfg = worker_cfg(w);
	char			 why[JOB_REASON_MAX], q[JOB_REASON_MAX];
	double			 delay;

	delay = job_policy_backoff((long)cfg->job_retry_base, ctx->j_attempt,
	    worker_random());
	if (retry_after > JOB_POLICY_MAX_RETRY_AFTER)
		retry_after = JOB_POLICY_MAX_RETRY_AFTER;
	if ((double)retry_after > delay)
		delay = (double)retry_after;
	if (job_policy_give_up(time(NULL), ctx->j_since, (long)cfg->job_retry_window,
	    ctx->j_attempt, ctx->j_max_attempts, delay)) {
		snprintf(why, sizeof(why), "gave up after %d attempts: %s",
		    ctx->j_attempt, reason);
		worker_bury(ctx, why);
		return;
	}
	(void)job_queue_retry(w->w_db, w->w_node, ctx->j_id, delay, reason);
	atomic_fetch_add(&w->w_pool->jw_counters[ctx->j_kind].c[JOB_COUNT_RETRIED], 1);
	log_info("job_retry", "id=%s kind=%s attempt=%d delay_s=%.1f reason=%s",
	    ctx->j_id, ctx->j_handler->kind, ctx->j_attempt, delay,
	    log_quote(q, sizeof(q), reason));
}

/* Records the outcome (unless the job was given back) and frees ctx. */
static void
worker_finish(struct job_ctx *ctx, enum job_outcome outcome, long retry_after,
    const char *reason)
{
	struct job_worker *w = ctx->j_worker;

	if (reason == NULL || reason[0] == '\0')
		reason = "unknown";
	if (!ctx->j_released) {
		switch (outcome) {
		case JOB_OUTCOME_DONE:
			worker_done_later(w, ctx->j_id);
			atomic_fetch_add(&w->w_pool->jw_counters[ctx->j_kind].c[JOB_COUNT_DONE], 1);
			log_debug("job_done", "id=%s kind=%s attempt=%d", ctx->j_id,
			    ctx->j_handler->kind, ctx->j_attempt);
			break;
		case JOB_OUTCOME_RETRY:
			worker_retry(ctx, retry_after, reason);
			break;
		case JOB_OUTCOME_DEAD:
			worker_bury(ctx, reason);
			break;
		}
	}
	TAILQ_REMOVE(&w->w_jobs, ctx, j_entry);
	w->w_inflight--;
	atomic_store(&w->w_inflight_pub, w->w_inflight);
	json_decref(ctx->j_payload);
	free(ctx);
	/* A free slot: claim more, from the event loop, never from inside a
	 * handler that is still on the stack. */
	if (!w->w_stopping) {
		worker_notifies(w);
		if (w->w_more)
			event_active(w->w_kick_ev, EV_TIMEOUT, 0);
	}
}

void
job_done(struct job_ctx *ctx)
{
	worker_finish(ctx, JOB_OUTCOME_DONE, 0, NULL);
}

void
job_retry(struct job_ctx *ctx, long retry_after, const char *reason)
{
	worker_finish(ctx, JOB_OUTCOME_RETRY, retry_after, reason);
}

void
job_fail_permanently(struct job_ctx *ctx, const char *reason)
{
	worker_finish(ctx, JOB_OUTCOME_DEAD, 0, reason);
}

/* Claiming and running */

/* Starts the job in row i of a claim's result. */
static void
worker_run(struct job_worker *w, const PGresult *res, int i)
{
	struct job_ctx	*ctx = xcalloc(1, sizeof(*ctx));
	const char	*kind = PQgetvalue(res, i, 1);
	long long	 v;

	ctx->j_worker = w;
	str_lcpy(ctx->j_id, PQgetvalue(res, i, 0), sizeof(ctx->j_id));
	for (size_t k = 0; k < w->w_pool->jw_nkinds; k++)
		if (strcmp(job_handler_at(k)->kind, kind) == 0) {
			ctx->j_handler = job_handler_at(k);
			ctx->j_kind = k;
		}
	ctx->j_payload = json_loads(PQgetvalue(res, i, 3), JSON_DECODE_ANY, NULL);
	ctx->j_attempt = str_to_ll(PQgetvalue(res, i, 4), 0, INT32_MAX, &v) == 0 ?
	    (int)v : 1;
	ctx->j_max_attempts = str_to_ll(PQgetvalue(res, i, 5), 0, INT32_MAX, &v) == 0 ?
	    (int)v : 1;
	ctx->j_since = str_to_ll(PQgetvalue(res, i, 6), 0, INT64_MAX, &v) == 0 ?
	    (time_t)v : time(NULL);
	TAILQ_INSERT_TAIL(&w->w_jobs, ctx, j_entry);
	w->w_inflight++;
	atomic_store(&w->w_inflight_pub, w->w_inflight);
	if (ctx->j_handler == NULL) {
		/* The claim names only our kinds: a broken invariant, but one
		 * job's, not the process's. */
		ctx->j_handler = job_handler_at(0);
		job_fail_permanently(ctx, "no handler for this kind");
		return;
	}
	log_debug("job_start", "id=%s kind=%s attempt=%d worker=%d", ctx->j_id, kind,
	    ctx->j_attempt, w->w_idx);
	if (ctx->j_payload == NULL) {
		job_fail_permanently(ctx, "payload is not JSON");
		return;
	}
	ctx->j_handler->run(ctx);
}

static void
worker_claim(struct job_worker *w)
{
	const struct config	*cfg = worker_cfg(w);
	PGresult		*res;
	int			 limit, batch, n, full;

	worker_flush_done(w);
	worker_notifies(w);
	if (w->w_stopping || !w->w_more)
		return;
	limit = (int)cfg->job_concurrency - w->w_inflight;
	batch = (int)cfg->job_concurrency < JOB_CLAIM_BATCH ? (int)cfg->job_concurrency :
	    JOB_CLAIM_BATCH;
	/* With jobs in flight, a thread claims once a whole batch's worth of
	 * slots is free: a claim walks past the index entries of the jobs
	 * claimed before it that vacuum has not cleared yet, so it costs
	 * about the same for one job as for a batch (a 10,000-server fan-out
	 * claimed 18 deliveries at a time, 3 ms a claim). */
	if (limit <= 0 || (w->w_inflight > 0 && limit < batch)) {
		/* A finishing job claims again; meanwhile a sibling may, if
		 * the wake-up was ours (a sibling's kick goes no further, or
		 * two full threads would kick each other until one is free). */
		if (w->w_owned)
			worker_kick_next(w);
		w->w_owned = 0;
		return;
	}
	if (w->w_emptied_ms != 0) {
		long long wait = w->w_emptied_ms + JOB_CLAIM_PACE_MS - clock_ms();

		if (wait > 0) {
			struct timeval tv = { 0, (suseconds_t)(wait * 1000) };

			if (!event_pending(w->w_kick_ev, EV_TIMEOUT, NULL))
				event_add(w->w_kick_ev, &tv);
			return;
		}
	}
	w->w_owned = 0;
	if (limit > batch)
		limit = batch;
	res = job_queue_claim(w->w_db, w->w_node, (long)cfg->job_lease_timeout,
	    w->w_pool->jw_kinds, limit);
	worker_listen(w);	/* the claim may have reconnected */
	if (res == NULL) {
		w->w_more = 0;	/* the poll tries again */
		return;
	}
	n = PQntuples(res);
	full = n == limit;
	w->w_emptied_ms = full ? 0 : clock_ms();
	/* Found some and emptied the queue: one more look, JOB_CLAIM_PACE_MS
	 * later (see the top of this file). */
	w->w_more = n > 0;
	for (int i = 0; i < n; i++)
		worker_run(w, res, i);
	PQclear(res);
	if (w->w_more)
		event_active(w->w_kick_ev, EV_TIMEOUT, 0);
	if (full)
		worker_kick_next(w);
}

static void
kick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct job_worker *w = arg;

	if (atomic_exchange(&w->w_kicked, 0))
		w->w_more = 1;
	worker_claim(w);
}

/* Deletes old finished jobs, once a minute, from one thread per node. */
static void
worker_purge(struct job_worker *w)
{
	const struct config	*cfg = worker_cfg(w);
	time_t			 now = time(NULL);

	if (w->w_idx != 0 || now < w->w_next_purge)
		return;
	w->w_next_purge = now + JOB_PURGE_EVERY;
	if (cfg->job_keep_done > 0)
		(void)job_queue_purge(w->w_db, "done", (long)cfg->job_keep_done);
	if (cfg->job_keep_dead > 0)
		(void)job_queue_purge(w->w_db, "dead", (long)cfg->job_keep_dead);
}

static void
poll_cb(evutil_socket_t fd, short what, void *arg)
{
	struct job_worker *w = arg;

	if (w->w_stopping || db_ensure(w->w_db) == -1)
		return;
	worker_listen(w);
	(void)job_queue_recover(w->w_db);
	worker_purge(w);
	w->w_more = 1;
	worker_claim(w);
}

static void
lease_cb(evutil_socket_t fd, short what, void *arg)
{
	struct job_worker	*w = arg;
	char			*ids;
	long			 n;

	if (w->w_inflight == 0)
		return;
	ids = worker_ids(w);
	n = job_queue_extend(w->w_db, w->w_node, ids,
	    (long)worker_cfg(w)->job_lease_timeout);
	if (n >= 0 && n < w->w_inflight)
		log_warn("job_lease_lost", "worker=%d in_flight=%d extended=%ld "
		    "msg=\"some jobs were taken over by another node\"", w->w_idx,
		    w->w_inflight, n);
	free(ids);
	worker_notifies(w);
	if (w->w_more && !w->w_stopping)
		event_active(w->w_kick_ev, EV_TIMEOUT, 0);
}

/* Stopping */

/* Gives every job in flight back to the queue (see worker.h). */
static void
worker_release(struct job_worker *w)
{
	struct job_ctx	*ctx;
	char		*ids = worker_ids(w);
	long		 n;

	n = job_queue_release(w->w_db, w->w_node, ids);
	if (n < 0)
		log_warn("job_release_failed", "worker=%d in_flight=%d "
		    "msg=\"left to their lease\"", w->w_idx, w->w_inflight);
	else
		log_info("job_released", "worker=%d jobs=%ld", w->w_idx, n);
	TAILQ_FOREACH(ctx, &w->w_jobs, j_entry)
		ctx->j_released = 1;
	free(ids);
}

static void
drain_tick(evutil_socket_t fd, short what, void *arg)
{
	struct job_worker	*w = arg;
	long long		 limit = worker_cfg(w)->shutdown_timeout * 1000;

	worker_flush_done(w);
	if (w->w_inflight == 0) {
		event_base_loopexit(w->w_base, NULL);
		return;
	}
	if (clock_ms() - w->w_drain_start_ms >= limit) {
		worker_release(w);
		event_base_loopexit(w->w_base, NULL);
	}
}

static void
stop_cb(evutil_socket_t fd, short what, void *arg)
{
	struct job_worker	*w = arg;
	struct timeval		 tick = { 0, JOB_DRAIN_TICK_MS * 1000 };

	if (w->w_stopping)
		return;
	w->w_stopping = 1;
	event_del(w->w_poll_ev);
	worker_unlisten(w);
	w->w_drain_start_ms = clock_ms();
	if (w->w_inflight > 0)
		log_info("job_draining", "worker=%d in_flight=%d", w->w_idx, w->w_inflight);
	event_add(w->w_drain_ev, &tick);
	drain_tick(-1, 0, w);
}

/* Life cycle */

static void *
worker_main(void *arg)
{
	struct job_worker	*w = arg;
	sigset_t		 set;

	/* Signals belong to the main thread's event loop. */
	sigfillset(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	/* A database that is down now is retried by the poll. */
	(void)db_connect(w->w_db);
	worker_listen(w);
	w->w_more = 1;
	event_active(w->w_kick_ev, EV_TIMEOUT, 0);
	event_base_dispatch(w->w_base);
	/*
	 * Jobs still in flight were given back: cancelling their requests
	 * makes each handler finish its job (which then writes nothing) and
	 * free it, here on the thread that owns them.
	 */
	http_client_free(w->w_client);
	w->w_client = NULL;
	worker_flush_done(w);
	if (w->w_inflight > 0)
		log_error("job_handler_stuck", "worker=%d in_flight=%d "
		    "msg=\"handlers did not finish when their requests were cancelled\"",
		    w->w_idx, w->w_inflight);
	worker_unlisten(w);
	return NULL;
}

/* A node id unique across hosts, processes and restarts (pid 1 in every
 * container): host, pid, thread and a random part. */
static void
worker_node_id(struct job_worker *w)
{
	char	 host[64], rnd[9];

	if (gethostname(host, sizeof(host)) == -1)
		str_lcpy(host, "localhost", sizeof(host));
	host[sizeof(host) - 1] = '\0';
	rand_hex(rnd, 4);
	snprintf(w->w_node, sizeof(w->w_node), "%s:%ld:%d:%s", host, (long)getpid(),
	    w->w_idx, rnd);
}

static int
worker_init(struct job_workers *jw, struct job_worker *w)
{
	const struct config		*cfg = &jw->jw_meent->cfg;
	struct http_client_config	 hc;
	struct timeval			 poll = { (time_t)cfg->job_poll_interval, 0 };
	struct timeval			 lease = { (time_t)(cfg->job_lease_timeout / 3), 0 };
	char				 err[256];

	worker_node_id(w);
	if ((w->w_base = evbase_new()) == NULL)
		return -1;
	w->w_kick_ev = event_new(w->w_base, -1, 0, kick_cb, w);
	w->w_poll_ev = event_new(w->w_base, -1, EV_PERSIST, poll_cb, w);
	w->w_lease_ev = event_new(w->w_base, -1, EV_PERSIST, lease_cb, w);
	w->w_stop_ev = event_new(w->w_base, -1, 0, stop_cb, w);
	w->w_drain_ev = event_new(w->w_base, -1, EV_PERSIST, drain_tick, w);
	w->w_flush_ev = event_new(w->w_base, -1, 0, flush_cb, w);
	buf_init(&w->w_done, 0);
	if (w->w_kick_ev == NULL || w->w_poll_ev == NULL || w->w_lease_ev == NULL ||
	    w->w_stop_ev == NULL || w->w_drain_ev == NULL || w->w_flush_ev == NULL ||
	    event_add(w->w_poll_ev, &poll) == -1 || event_add(w->w_lease_ev, &lease) == -1)
		return -1;
	w->w_db = db_new(cfg->database, (int)cfg->db_statement_timeout, DB_PREPARE);
	http_client_config_init(&hc, cfg);
	if ((w->w_client = http_client_new(w->w_base, &hc, err, sizeof(err))) == NULL) {
		log_error("client_init_failed", "job_worker=%d msg=\"%s\"", w->w_idx, err);
		return -1;
	}
	return 0;
}

struct job_workers *
job_workers_new(struct meent *m, int nthreads)
{
	struct job_workers	*jw = xcalloc(1, sizeof(*jw));
	struct buf		 kinds;

	jw->jw_meent = m;
	jw->jw_n = nthreads;
	jw->jw_workers = xcalloc((size_t)(nthreads > 0 ? nthreads : 1),
	    sizeof(*jw->jw_workers));
	for (int i = 0; i < nthreads; i++) {
		struct job_worker *w = &jw->jw_workers[i];

		w->w_pool = jw;
		w->w_idx = i;
		TAILQ_INIT(&w->w_jobs);
		atomic_init(&w->w_inflight_pub, 0);
	}
	jw->jw_nkinds = job_handler_count();
	jw->jw_counters = xcalloc(jw->jw_nkinds, sizeof(*jw->jw_counters));
	for (size_t k = 0; k < jw->jw_nkinds; k++)
		for (int c = 0; c < JOB_COUNT__N; c++)
			atomic_init(&jw->jw_counters[k].c[c], 0);
	/* Kinds are identifiers from our own table: quoting is enough. */
	buf_init(&kinds, 0);
	buf_puts(&kinds, "{");
	for (size_t k = 0; k < jw->jw_nkinds; k++)
		buf_printf(&kinds, "%s\"%s\"", k ? "," : "", job_handler_at(k)->kind);
	buf_puts(&kinds, "}");
	jw->jw_kinds = buf_take(&kinds);
	return jw;
}

int
job_workers_start(struct job_workers *jw)
{
	for (int i = 0; i < jw->jw_n; i++) {
		if (worker_init(jw, &jw->jw_workers[i]) == -1) {
			log_error("job_worker_init_failed", "worker=%d", i);
			return -1;
		}
	}
	for (int i = 0; i < jw->jw_n; i++) {
		struct job_worker *w = &jw->jw_workers[i];

		if (pthread_create(&w->w_tid, NULL, worker_main, w) != 0) {
			log_error("thread_create_failed", "job_worker=%d", i);
			return -1;
		}
		w->w_started = 1;
	}
	return 0;
}

void
job_workers_stop(struct job_workers *jw)
{
	for (int i = 0; i < jw->jw_n; i++)
		if (jw->jw_workers[i].w_stop_ev != NULL)
			event_active(jw->jw_workers[i].w_stop_ev, EV_READ, 0);
}

void
job_workers_join(struct job_workers *jw)
{
	for (int i = 0; i < jw->jw_n; i++)
		if (jw->jw_workers[i].w_started)
			pthread_join(jw->jw_workers[i].w_tid, NULL);
}

void
job_workers_free(struct job_workers *jw)
{
	if (jw == NULL)
		return;
	for (int i = 0; i < jw->jw_n; i++) {
		struct job_worker *w = &jw->jw_workers[i];

		http_client_free(w->w_client);	/* set when the thread never ran */
		worker_unlisten(w);
		if (w->w_kick_ev != NULL)
			event_free(w->w_kick_ev);
		if (w->w_poll_ev != NULL)
			event_free(w->w_poll_ev);
		if (w->w_lease_ev != NULL)
			event_free(w->w_lease_ev);
		if (w->w_stop_ev != NULL)
			event_free(w->w_stop_ev);
		if (w->w_drain_ev != NULL)
			event_free(w->w_drain_ev);
		if (w->w_flush_ev != NULL)
			event_free(w->w_flush_ev);
		buf_cleanup(&w->w_done);
		if (w->w_base != NULL)
			event_base_free(w->w_base);
		db_free(w->w_db);
	}
	free(jw->jw_workers);
	free(jw->jw_counters);
	free(jw->jw_kinds);
	free(jw);
}

/* Metrics */

static int
metrics_counter(struct job_workers *jw, struct buf *out, const char *name,
    const char *help, enum job_count which)
{
	int rc = 0;

	rc |= buf_printf(out, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
	for (size_t k = 0; k < jw->jw_nkinds; k++)
		rc |= buf_printf(out, "%s{kind=\"%s\"} %lu\n", name,
		    job_handler_at(k)->kind, atomic_load(&jw->jw_counters[k].c[which]));
	return rc;
}

int
job_workers_metrics(struct job_workers *jw, struct db *db, struct buf *out)
{
	PGresult	*res;
	int		 inflight = 0, rc = 0;

	if (jw != NULL) {
		rc |= metrics_counter(jw, out, "meent_jobs_processed_total",
		    "Jobs this process finished successfully, by kind.",
		    JOB_COUNT_DONE);
		rc |= metrics_counter(jw, out, "meent_jobs_retried_total",
		    "Failed attempts this process scheduled to run again, by kind.",
		    JOB_COUNT_RETRIED);
		rc |= metrics_counter(jw, out, "meent_jobs_failed_total",
		    "Jobs this process gave up on (now dead), by kind.",
		    JOB_COUNT_DEAD);
		for (int i = 0; i < jw->jw_n; i++)
			inflight += atomic_load(&jw->jw_workers[i].w_inflight_pub);
		rc |= buf_printf(out,
		    "# HELP meent_jobs_in_flight Jobs running in this process now.\n"
		    "# TYPE meent_jobs_in_flight gauge\n"
		    "meent_jobs_in_flight %d\n"
		    "# HELP meent_job_workers Job threads of this process.\n"
		    "# TYPE meent_job_workers gauge\n"
		    "meent_job_workers %d\n", inflight, jw->jw_n);
	}
	if ((res = DB_EXEC0(db, STMT_JOB_DOMAINS_UNAVAILABLE_COUNT)) == NULL)
		return rc ? -1 : 0;
	rc |= buf_printf(out,
	    "# HELP meent_domains_unavailable Remote domains whose deliveries are "
	    "postponed (circuit breaker open).\n"
	    "# TYPE meent_domains_unavailable gauge\n"
	    "meent_domains_unavailable %s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc ? -1 : 0;
}
