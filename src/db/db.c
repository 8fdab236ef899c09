/*
 * A PostgreSQL connection with back-off and prepared statements: see db.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

#define DB_BACKOFF_MIN_MS	100
#define DB_BACKOFF_MAX_MS	5000
#define DB_CONNECT_TIMEOUT	"3"	/* seconds, libpq's connect_timeout */

struct db {
	PGconn		*db_conn;
	char		*db_conninfo;
	int		 db_timeout_ms;
	int		 db_flags;
	int		 db_backoff_ms;		/* current back-off */
	long long	 db_next_try_ms;	/* monotonic time of the next attempt */
	enum db_error	 db_err;
	char		 db_state[6];		/* SQLSTATE of the last failure */
	char		 db_msg[256];
	unsigned long	 db_reconnects;
	unsigned long	 db_failures;
	int		 db_ever_up;
	enum {
		DB_TX_NONE,		/* no transaction */
		DB_TX_PENDING,		/* db_begin'd: BEGIN goes with the next statement */
		DB_TX_OPEN,		/* BEGIN sent, not yet ended */
		DB_TX_ENDING,		/* db_commit_then'd: COMMIT goes with the next statement */
	}		 db_tx;
};

struct db *
db_new(const char *conninfo, int statement_timeout_ms, int flags)
{
	struct db *db = xcalloc(1, sizeof(*db));

	db->db_conninfo = xstrdup(conninfo);
	db->db_timeout_ms = statement_timeout_ms;
	db->db_flags = flags;
	return db;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	if (db->db_conn != NULL)
		PQfinish(db->db_conn);
	free(db->db_conninfo);
	free(db);
}

static void
db_set_error(struct db *db, enum db_error err, const char *state, const char *msg)
{
	size_t n;

	db->db_err = err;
	str_lcpy(db->db_state, state ? state : "", sizeof(db->db_state));
	str_lcpy(db->db_msg, msg ? msg : "", sizeof(db->db_msg));
	/* libpq messages end in a newline; keep log lines single. */
	n = strlen(db->db_msg);
	while (n > 0 && (db->db_msg[n - 1] == '\n' || db->db_msg[n - 1] == ' '))
		db->db_msg[--n] = '\0';
	for (char *p = db->db_msg; *p; p++)
		if (*p == '\n' || *p == '"')
			*p = ' ';
}

static void
db_mark_down(struct db *db)
{
	db->db_tx = DB_TX_NONE;
	if (db->db_conn != NULL) {
		PQfinish(db->db_conn);
		db->db_conn = NULL;
	}
	db->db_backoff_ms = db->db_backoff_ms == 0 ? DB_BACKOFF_MIN_MS :
	    db->db_backoff_ms * 2;
	if (db->db_backoff_ms > DB_BACKOFF_MAX_MS)
		db->db_backoff_ms = DB_BACKOFF_MAX_MS;
	db->db_next_try_ms = clock_ms() + db->db_backoff_ms;
	db->db_err = DB_DOWN;
}

static int
db_prepare_all(struct db *db)
{
	for (int i = 0; i < STMT__COUNT; i++) {
		const struct db_statement *st = db_statement_get((enum db_stmt)i);
		PGresult *res;

		res = PQprepare(db->db_conn, st->name, st->sql, st->nparams, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			db_set_error(db, DB_QUERY, PQresultErrorField(res,
			    PG_DIAG_SQLSTATE), PQresultErrorMessage(res));
			log_error("db_prepare_failed", "stmt=%s msg=\"%s\"",
			    st->name, db->db_msg);
			PQclear(res);
			return -1;
		}
		PQclear(res);
	}
	return 0;
}

int
db_connect(struct db *db)
{
	const char	*keys[] = { "dbname", "connect_timeout",
			    "application_name", "options", NULL };
	char		 options[64];
	const char	*vals[5];

	if (db->db_conn != NULL) {
		PQfinish(db->db_conn);
		db->db_conn = NULL;
	}
	/* statement_timeout bounds every query, so a stuck statement ties up
	 * one thread for a bounded time and never the whole server. */
	snprintf(options, sizeof(options), "-c statement_timeout=%d",
	    db->db_timeout_ms);
	vals[0] = db->db_conninfo;
	vals[1] = DB_CONNECT_TIMEOUT;
	vals[2] = "meent";
	vals[3] = options;
	vals[4] = NULL;
	db->db_conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(db->db_conn) != CONNECTION_OK) {
		db_set_error(db, DB_DOWN, "08006", PQerrorMessage(db->db_conn));
		log_warn("db_connect_failed", "msg=\"%s\" retry_ms=%d",
		    db->db_msg, db->db_backoff_ms ? db->db_backoff_ms * 2 :
		    DB_BACKOFF_MIN_MS);
		db_mark_down(db);
		db_set_error(db, DB_DOWN, "08006", db->db_msg);
		return -1;
	}
	if ((db->db_flags & DB_PREPARE) && db_prepare_all(db) == -1) {
		/* A statement that does not prepare means the schema is not
		 * what this binary expects; retrying soon will not help. */
		db_mark_down(db);
		db->db_next_try_ms = clock_ms() + DB_BACKOFF_MAX_MS;
		return -1;
	}
	if (db->db_ever_up)
		db->db_reconnects++;
	if (db->db_ever_up || db->db_backoff_ms != 0)
		log_info("db_connected", "reconnects=%lu", db->db_reconnects);
	db->db_ever_up = 1;
	db->db_backoff_ms = 0;
	db->db_err = DB_OK;
	return 0;
}

int
db_ensure(struct db *db)
{
	if (db->db_conn != NULL && PQstatus(db->db_conn) == CONNECTION_OK)
		return 0;
	if (db->db_conn != NULL)
		db_mark_down(db);
	if (clock_ms() < db->db_next_try_ms) {
		db->db_err = DB_DOWN;
		return -1;
	}
	return db_connect(db);
}

int
db_is_up(const struct db *db)
{
	return db->db_conn != NULL && PQstatus(db->db_conn) == CONNECTION_OK;
}

PGconn *
db_conn(struct db *db)
{
	return db->db_conn;
}

/* Decides whether a failed result means the connection is gone. */
static int
db_check_result(struct db *db, PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return 0;
	db->db_failures++;
	if (res == NULL || PQstatus(db->db_conn) != CONNECTION_OK) {
		db_set_error(db, DB_DOWN, "08006", PQerrorMessage(db->db_conn));
		log_warn("db_down", "msg=\"%s\"", db->db_msg);
		db_mark_down(db);
		db->db_err = DB_DOWN;
		return -1;
	}
	db_set_error(db, DB_QUERY, PQresultErrorField(res, PG_DIAG_SQLSTATE),
	    PQresultErrorMessage(res));
	/* Admin shutdown and friends leave the socket open for a moment:
	 * treat class 57P (operator intervention) and 08 as a lost server. */
	if (strncmp(db->db_state, "57P", 3) == 0 ||
	    strncmp(db->db_state, "08", 2) == 0) {
		log_warn("db_down", "state=%s msg=\"%s\"", db->db_state, db->db_msg);
		db_mark_down(db);
		db->db_err = DB_DOWN;
	}
	return -1;
}

static int
db_result_ok(const PGresult *r)
{
	return PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
}

/*
 * Sends before (BEGIN or COMMIT; NULL: nothing), the n calls, after
 * (COMMIT or NULL) and a sync in one round trip (libpq's pipeline mode),
 * and reads the answers: r[i] the result of the i-th query sent, NULL
 * where none came. A query after a failure comes back
 * PGRES_PIPELINE_ABORTED. 0, or -1 when sending failed.
 */
static int
db_pipeline(struct db *db, const char *before, const struct db_call *calls, size_t n,
    const char *after, PGresult **r)
{
	PGconn		*c = db->db_conn;
	PGresult	*x;
	size_t		 want = n + (before != NULL) + (after != NULL), got = 0;
	int		 rc = -1;

	if (PQenterPipelineMode(c) == 0)
		return -1;
	if (before != NULL && PQsendQueryParams(c, before, 0, NULL, NULL, NULL, NULL, 0) == 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (PQsendQueryPrepared(c, db_statement_get(calls[i].id)->name, calls[i].nparams,
		    calls[i].params, NULL, NULL, 0) == 0)
			goto out;
	if ((after != NULL && PQsendQueryParams(c, after, 0, NULL, NULL, NULL, NULL, 0) == 0) ||
	    PQpipelineSync(c) == 0)
		goto out;
	/* A result and a NULL for each query, then the sync's. */
	while (got < want) {
		if ((x = PQgetResult(c)) == NULL) {
			got++;
			continue;
		}
		if (PQresultStatus(x) == PGRES_PIPELINE_SYNC) {
			PQclear(x);	/* the connection broke off early */
			goto out;
		}
		if (r[got] == NULL)
			r[got] = x;
		else
			PQclear(x);
	}
	while ((x = PQgetResult(c)) != NULL) {
		ExecStatusType sync = PQresultStatus(x);

		PQclear(x);
		if (sync == PGRES_PIPELINE_SYNC)
			break;
	}
	rc = 0;
out:
	if (PQexitPipelineMode(c) == 0)
		log_warn("db_pipeline_exit", "msg=\"%s\"", PQerrorMessage(c));
	return rc;
}

/* The first of the n results that failed (or is missing), taken out of
 * r, or -1 when all succeeded. */
static int
db_first_failure(PGresult **r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (r[i] == NULL || !db_result_ok(r[i]))
			return (int)i;
	return -1;
}

/* 0 when the calls match the statement table, else -1 logged as a
 * programming error, which fails the request and not the process. */
static int
db_check_calls(struct db *db, const struct db_call *calls, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct db_statement *st = db_statement_get(calls[i].id);

		if (st == NULL || st->nparams != calls[i].nparams) {
			log_error("db_bad_call", "stmt=%s nparams=%d",
			    st ? st->name : "?", calls[i].nparams);
			db_set_error(db, DB_QUERY, "XX000", "bad statement call");
			return -1;
		}
	}
	return 0;
}

/* After a failed res (taken; NULL: nothing came back): the error noted,
 * the connection marked down if it is gone. */
static void
db_failed(struct db *db, enum db_stmt id, PGresult *res)
{
	if (db_check_result(db, res) == -1 && db->db_err == DB_QUERY)
		log_debug("db_query_failed", "stmt=%s state=%s msg=\"%s\"",
		    db_statement_get(id)->name, db->db_state, db->db_msg);
	PQclear(res);
}

/* Ends the transaction state after a COMMIT that went with a statement:
 * a failure before it leaves the transaction open and aborted. */
static void
db_committed(struct db *db)
{
	db->db_tx = DB_TX_NONE;
	if (PQtransactionStatus(db->db_conn) == PQTRANS_INERROR)
		PQclear(PQexec(db->db_conn, "ROLLBACK"));
}

/* What goes before the next statement: the transaction's deferred BEGIN,
 * or its deferred COMMIT (db_commit_then), or nothing. The state moves on
 * as if it had been sent. */
static const char *
db_before(struct db *db)
{
	switch (db->db_tx) {
	case DB_TX_PENDING:
		db->db_tx = DB_TX_OPEN;
		return "BEGIN";
	case DB_TX_ENDING:
		db->db_tx = DB_TX_NONE;
		return "COMMIT";
	default:
		return NULL;
	}
}

/*
 * Runs the n calls in one round trip between before and after (NULL:
 * nothing). 0 with res[i] the result of calls[i] (new); -1 with every
 * res[i] NULL and the first failure noted: a failed BEGIN or COMMIT as
 * the nearest call's, nothing back at all as a lost connection.
 */
static int
db_pipelined(struct db *db, const char *before, const struct db_call *calls, size_t n,
    const char *after, PGresult **res)
{
	PGresult	*r[DB_BATCH_MAX + 2] = { NULL };
	size_t		 first = before != NULL, want = n + first + (after != NULL), at;
	int		 bad;

	for (size_t i = 0; i < n; i++)
		res[i] = NULL;
	bad = db_pipeline(db, before, calls, n, after, r) == -1 ? -2 :
	    db_first_failure(r, want);
	if (bad != -1) {
		at = bad > (int)first ? (size_t)bad - first : 0;
		db_failed(db, calls[at < n ? at : n - 1].id, bad >= 0 ? r[bad] : NULL);
		if (bad >= 0)
			r[bad] = NULL;
		for (size_t i = 0; i < want; i++)
			PQclear(r[i]);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		res[i] = r[first + i];
	if (first)
		PQclear(r[0]);
	if (after != NULL)
		PQclear(r[want - 1]);
	return 0;
}

/* Runs one statement, with what the transaction needs around it. */
static PGresult *
db_run(struct db *db, enum db_stmt id, int nparams, const char *const *params, int commit)
{
	struct db_call	 call = { id, nparams, params };
	PGresult	*res;
	const char	*before;
	int		 rc;

	if (db_check_calls(db, &call, 1) == -1 || db_ensure(db) == -1)
		return NULL;
	before = db_before(db);
	if (before == NULL && !commit) {
		res = PQexecPrepared(db->db_conn, db_statement_get(id)->name, nparams, params,
		    NULL, NULL, 0);
		if (!db_result_ok(res)) {
			db_failed(db, id, res);
			return NULL;
		}
	} else {
		rc = db_pipelined(db, before, &call, 1, commit ? "COMMIT" : NULL, &res);
		if (commit)
			db_committed(db);
		if (rc == -1)
			return NULL;
	}
	db->db_err = DB_OK;
	return res;
}

int
db_exec_batch(struct db *db, const struct db_call *calls, size_t n, PGresult **res)
{
	for (size_t i = 0; i < n; i++)
		res[i] = NULL;
	if (n == 0)
		return 0;
	if (n > DB_BATCH_MAX) {
		log_error("db_bad_call", "batch=%zu", n);
		db_set_error(db, DB_QUERY, "XX000", "bad statement call");
		return -1;
	}
	if (db_check_calls(db, calls, n) == -1 || db_ensure(db) == -1 ||
	    db_pipelined(db, db_before(db), calls, n, NULL, res) == -1)
		return -1;
	db->db_err = DB_OK;
	return 0;
}

PGresult *
db_exec(struct db *db, enum db_stmt id, int nparams, const char *const *params)
{
	return db_run(db, id, nparams, params, 0);
}

PGresult *
db_exec_last(struct db *db, enum db_stmt id, int nparams, const char *const *params)
{
	return db_run(db, id, nparams, params,
	    db->db_tx == DB_TX_PENDING || db->db_tx == DB_TX_OPEN);
}

static int
db_simple(struct db *db, const char *sql)
{
	PGresult	*res;
	int		 rc;

	if (db_ensure(db) == -1)
		return -1;
	res = PQexec(db->db_conn, sql);
	rc = db_check_result(db, res);
	PQclear(res);
	return rc;
}

/*
 * BEGIN waits for the transaction's first statement and travels with it:
 * a round trip costs more than most statements, and every transaction
 * has a first statement. One that has none commits or rolls back nothing.
 */
int
db_begin(struct db *db)
{
	if (db_ensure(db) == -1)
		return -1;
	db->db_tx = DB_TX_PENDING;
	return 0;
}

/* COMMIT or ROLLBACK, unless there is nothing to end: the transaction ran
 * no statement, or db_exec_last ended it. */
static int
db_end(struct db *db, const char *sql)
{
	int open = db->db_tx == DB_TX_OPEN || db->db_tx == DB_TX_ENDING;

	db->db_tx = DB_TX_NONE;
	return open ? db_simple(db, sql) : 0;
}

int
db_commit_then(struct db *db)
{
	if (db->db_tx == DB_TX_OPEN)
		db->db_tx = DB_TX_ENDING;
	else if (db->db_tx == DB_TX_PENDING)
		db->db_tx = DB_TX_NONE;		/* nothing ran: nothing to commit */
	return 0;
}

int
db_commit(struct db *db)
{
	return db_end(db, "COMMIT");
}

int
db_rollback(struct db *db)
{
	return db_end(db, "ROLLBACK");
}

enum db_error
db_last_error(const struct db *db)
{
	return db->db_err;
}

int
db_error_is_transient(const struct db *db)
{
	static const char *const transient[] = {
		"57014",	/* query_canceled: statement_timeout */
		"55P03",	/* lock_not_available */
		"40001",	/* serialization_failure */
		"40P01",	/* deadlock_detected */
		"53300",	/* too_many_connections */
	};

	if (db->db_err == DB_DOWN)
		return 1;
	for (size_t i = 0; i < sizeof(transient) / sizeof(transient[0]); i++)
		if (strcmp(db->db_state, transient[i]) == 0)
			return 1;
	return 0;
}

const char *
db_sqlstate(const struct db *db)
{
	return db->db_state;
}

const char *
db_errmsg(const struct db *db)
{
	return db->db_msg;
}

unsigned long
db_reconnects(const struct db *db)
{
	return db->db_reconnects;
}

unsigned long
db_failures(const struct db *db)
{
	return db->db_failures;
}
