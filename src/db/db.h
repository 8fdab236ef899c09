/*
 * One PostgreSQL connection with its prepared statements, owned by one
 * thread. When the server goes away the connection is marked down; the
 * next use reconnects, no sooner than an exponential back-off allows, so a
 * dead database costs a request one cheap check and not a connect attempt.
 */
#ifndef MEENT_DB_DB_H
#define MEENT_DB_DB_H

#include <libpq-fe.h>

#include "db/statements.h"

struct db;

enum db_error {
	DB_OK,
	DB_DOWN,	/* no connection: the caller answers 503 */
	DB_QUERY,	/* the statement failed: see db_sqlstate() */
};

#define DB_PREPARE	0x01	/* prepare every statement on connect */

/*
 * A connection handle for conninfo (copied). Nothing is connected until
 * db_connect or db_ensure. statement_timeout_ms bounds every statement.
 */
struct db	*db_new(const char *conninfo, int statement_timeout_ms, int flags);
void		 db_free(struct db *db);

/* Connects now, whatever the back-off says. 0, or -1 with the reason logged. */
int		 db_connect(struct db *db);
/* Connected, or reconnected now if the back-off allows. 0 or -1. */
int		 db_ensure(struct db *db);
int		 db_is_up(const struct db *db);

/* The raw connection, for migrations and LISTEN; borrowed, may be NULL. */
PGconn		*db_conn(struct db *db);

/*
 * Runs the prepared statement id with nparams text parameters (NULL is SQL
 * NULL). Returns the result (new, PQclear it) of a successful statement, or
 * NULL with db_last_error() saying why. nparams must match the table.
 */
PGresult	*db_exec(struct db *db, enum db_stmt id, int nparams,
		    const char *const *params);
#define DB_EXEC(db, id, ...) \
	db_exec((db), (id), \
	    (int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *)), \
	    (const char *[]){ __VA_ARGS__ })
#define DB_EXEC0(db, id)	db_exec((db), (id), 0, NULL)

/*
 * db_exec for the last statement of the open transaction: its COMMIT goes
 * in the same round trip. The transaction is over either way (committed,
 * or rolled back when the statement or the commit failed); the db_commit
 * or db_rollback that follows does nothing. Outside a transaction, the
 * same as db_exec.
 */
PGresult	*db_exec_last(struct db *db, enum db_stmt id, int nparams,
		    const char *const *params);
#define DB_EXEC_LAST(db, id, ...) \
	db_exec_last((db), (id), \
	    (int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *)), \
	    (const char *[]){ __VA_ARGS__ })

/* One statement of a batch (db_exec_batch); DB_CALL makes one. */
struct db_call {
	enum db_stmt		 id;
	int			 nparams;
	const char *const	*params;
};
#define DB_CALL(id, ...) { (id), \
	(int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *)), \
	(const char *[]){ __VA_ARGS__ } }
#define DB_BATCH_MAX	8

/*
 * Runs the n (at most DB_BATCH_MAX) statements of calls in order in one
 * round trip: for statements that do not need each other's results, a
 * round trip costing more than most statements. In the open transaction;
 * outside one, the batch is a transaction of its own. 0 with res[i] the
 * result of calls[i] (new, PQclear each); -1 with every res[i] NULL when
 * a statement failed (the rest did not run; db_last_error says why, and a
 * transaction is left aborted, as after a failed db_exec).
 */
int		 db_exec_batch(struct db *db, const struct db_call *calls, size_t n,
		    PGresult **res);

/*
 * Transactions on this connection. 0 or -1. BEGIN is sent with the next
 * statement, in the same round trip, so a failure to begin shows as that
 * statement's failure; a transaction without statements, or one that
 * db_exec_last ended, has nothing left to commit or roll back.
 */
int		 db_begin(struct db *db);
int		 db_commit(struct db *db);
/*
 * Commits with the next statement: its COMMIT is sent first, in the same
 * round trip, and the statement runs after it, outside the transaction.
 * For what is read once the transaction is done (the entity a write
 * answers with). A failed COMMIT is that statement's failure: the caller
 * must treat it as the transaction's, and must send a statement next (or
 * call db_commit or db_rollback, which end it at once).
 */
int		 db_commit_then(struct db *db);
int		 db_rollback(struct db *db);

enum db_error	 db_last_error(const struct db *db);
/*
 * 1 when the last failure is worth retrying: the server is down, or the
 * statement was cancelled by statement_timeout, lost a lock wait, a
 * deadlock or a serialisation conflict. HTTP answers those with 503.
 */
int		 db_error_is_transient(const struct db *db);
/* The SQLSTATE of the last failed statement ("" if none); borrowed. */
const char	*db_sqlstate(const struct db *db);
/* The server's message for the last failure; borrowed. */
const char	*db_errmsg(const struct db *db);

/* Counters for /metrics. */
unsigned long	 db_reconnects(const struct db *db);
unsigned long	 db_failures(const struct db *db);

#endif
