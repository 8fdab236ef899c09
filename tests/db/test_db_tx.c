/*
 * Transactions of db/db.h against a real server: BEGIN travels with the
 * transaction's first statement (one round trip), so what matters is that
 * the statements still commit and roll back together, that a failing
 * first statement leaves a transaction that rolls back cleanly, and that
 * an empty transaction sends nothing. Run by tests/integration/test_db.py,
 * which starts the cluster and passes its conninfo in MEENT_TEST_CONNINFO.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "../unit/tap.h"

/* API_RATE_HIT on key in windows of window seconds (with last, as the
 * transaction's last statement): the hits, or -1. */
static long
hit_as(struct db *db, const char *key, const char *window, int last)
{
	PGresult	*res = last ? DB_EXEC_LAST(db, STMT_API_RATE_HIT, key, window) :
			    DB_EXEC(db, STMT_API_RATE_HIT, key, window);
	long		 n;

	if (res == NULL)
		return -1;
	n = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return n;
}

static long
hit(struct db *db, const char *key, const char *window)
{
	return hit_as(db, key, window, 0);
}

/* The hits of each result of a batch, as "a,b,..." in buf; the results
 * are cleared. */
static const char *
hits_of(PGresult **res, size_t n, char *buf, size_t sz)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && at < sz; i++) {
		at += (size_t)snprintf(buf + at, sz - at, "%s%s", i > 0 ? "," : "",
		    res[i] != NULL ? PQgetvalue(res[i], 0, 0) : "-");
		PQclear(res[i]);
	}
	return buf;
}

int
main(void)
{
	const char	*conninfo = getenv("MEENT_TEST_CONNINFO");
	struct db	*db, *other;

	if (conninfo == NULL) {
		printf("1..0 # SKIP MEENT_TEST_CONNINFO not set (tests/integration/test_db.py sets it)\n");
		return 0;
	}
	db = db_new(conninfo, 5000, DB_PREPARE);
	other = db_new(conninfo, 5000, DB_PREPARE);
	ok(db_connect(db) == 0 && db_connect(other) == 0, "two connections");

	ok(db_begin(db) == 0, "begin");
	is_int(hit(db, "tx:rolled", "3600"), 1, "the first statement runs in the transaction");
	is_int(hit(db, "tx:rolled", "3600"), 2, "and so does the second");
	ok(db_rollback(db) == 0, "rollback");
	is_int(hit(other, "tx:rolled", "3600"), 1, "both were rolled back");

	ok(db_begin(db) == 0 && hit(db, "tx:kept", "3600") == 1 && hit(db, "tx:kept", "3600") == 2,
	    "a transaction of two statements");
	ok(db_commit(db) == 0, "commit");
	is_int(hit(other, "tx:kept", "3600"), 3, "both were committed");

	ok(db_begin(db) == 0 && db_commit(db) == 0, "an empty transaction commits");
	ok(db_begin(db) == 0 && db_rollback(db) == 0, "and rolls back");
	is_int(hit(db, "tx:after", "3600"), 1, "a statement after them");
	is_int(hit(other, "tx:after", "3600"), 2, "runs on its own and is committed at once");

	ok(db_begin(db) == 0, "begin");
	ok(hit(db, "tx:bad", "not a number") == -1, "a first statement that fails");
	is_int((int)db_last_error(db), DB_QUERY, "fails as a statement");
	is_str(db_sqlstate(db), "22P02", "with the statement's own error");
	ok(hit(db, "tx:bad", "3600") == -1 && strcmp(db_sqlstate(db), "25P02") == 0,
	    "the transaction is aborted (%s)", db_sqlstate(db));
	ok(db_rollback(db) == 0, "and rolls back");
	is_int(hit(db, "tx:bad", "3600"), 1, "the connection is usable after it");

	/* db_exec_last: the statement and COMMIT in one round trip. */
	ok(db_begin(db) == 0 && hit(db, "tx:last", "3600") == 1, "a transaction");
	is_int(hit_as(db, "tx:last", "3600", 1), 2, "its last statement");
	ok(db_rollback(db) == 0, "a rollback after it does nothing");
	is_int(hit(other, "tx:last", "3600"), 3, "both statements were committed with the last");
	ok(db_begin(db) == 0, "begin");
	is_int(hit_as(db, "tx:only", "3600", 1), 1, "a last statement that is also the first");
	ok(db_commit(db) == 0, "the commit after it does nothing");
	is_int(hit(other, "tx:only", "3600"), 2, "it was committed (BEGIN, it, COMMIT at once)");
	ok(db_begin(db) == 0 && hit(db, "tx:lastbad", "3600") == 1, "a transaction");
	ok(hit_as(db, "tx:lastbad", "x", 1) == -1 && strcmp(db_sqlstate(db), "22P02") == 0,
	    "whose last statement fails (%s)", db_sqlstate(db));
	ok(db_rollback(db) == 0, "the rollback after it does nothing");
	is_int(hit(other, "tx:lastbad", "3600"), 1, "the transaction was rolled back");
	is_int(hit(db, "tx:lastbad", "3600"), 2, "the connection is usable, outside a transaction");
	is_int(hit_as(db, "tx:lastbad", "3600", 1), 3, "db_exec_last outside one is db_exec");
	is_int(hit(other, "tx:lastbad", "3600"), 4, "and commits at once");

	/* db_exec_batch: several statements in one round trip. */
	{
		struct db_call	 two[] = {
			DB_CALL(STMT_API_RATE_HIT, "tx:batch", "3600"),
			DB_CALL(STMT_API_RATE_HIT, "tx:batch", "3600"),
		};
		struct db_call	 bad[] = {
			DB_CALL(STMT_API_RATE_HIT, "tx:batchbad", "3600"),
			DB_CALL(STMT_API_RATE_HIT, "tx:batchbad", "x"),
			DB_CALL(STMT_API_RATE_HIT, "tx:batchbad", "3600"),
		};
		PGresult	*res[3];
		char		 buf[64];

		ok(db_exec_batch(db, two, 2, res) == 0, "a batch of two outside a transaction");
		is_str(hits_of(res, 2, buf, sizeof(buf)), "1,2", "runs both, in order");
		is_int(hit(other, "tx:batch", "3600"), 3, "and commits them");
		ok(db_exec_batch(db, bad, 3, res) == -1 && res[0] == NULL && res[2] == NULL,
		    "a batch whose second statement fails fails, without results");
		is_str(db_sqlstate(db), "22P02", "with the failing statement's error");
		is_int(hit(other, "tx:batchbad", "3600"), 1,
		    "outside a transaction the batch was all or nothing");

		ok(db_begin(db) == 0 && db_exec_batch(db, two, 2, res) == 0,
		    "a batch that opens a transaction (BEGIN with it)");
		is_str(hits_of(res, 2, buf, sizeof(buf)), "4,5", "sees what came before");
		is_int(hit(db, "tx:batch", "3600"), 6, "a statement after it, in the transaction");
		ok(db_rollback(db) == 0, "rollback");
		is_int(hit(other, "tx:batch", "3600"), 4, "the batch was rolled back with the rest");
		ok(db_begin(db) == 0 && hit(db, "tx:batchbad", "3600") == 2 &&
		    db_exec_batch(db, bad, 3, res) == -1, "a failing batch inside a transaction");
		ok(hit(db, "tx:batchbad", "3600") == -1 && strcmp(db_sqlstate(db), "25P02") == 0,
		    "leaves it aborted (%s)", db_sqlstate(db));
		ok(db_rollback(db) == 0, "and it rolls back");
		is_int(hit(db, "tx:batchbad", "3600"), 2, "nothing of it was kept");
		ok(db_exec_batch(db, two, 0, res) == 0, "an empty batch sends nothing");

		/* db_commit_then: COMMIT goes with the next statement. */
		ok(db_begin(db) == 0 && hit(db, "tx:then", "3600") == 1 &&
		    db_commit_then(db) == 0, "a transaction, to commit with the next statement");
		/* (Another connection cannot look before that: the open
		 * transaction holds the row.) */
		is_int(hit(db, "tx:then", "3600"), 2, "the next statement sees the transaction");
		is_int(hit(other, "tx:then", "3600"), 3,
		    "and both are committed: the transaction, and the statement after it");
		ok(db_begin(db) == 0 && hit(db, "tx:then2", "3600") == 1 &&
		    db_commit_then(db) == 0 && db_exec_batch(db, two, 1, res) == 0,
		    "a batch after db_commit_then");
		PQclear(res[0]);
		is_int(hit(other, "tx:then2", "3600"), 2, "commits too");
		ok(db_begin(db) == 0 && hit(db, "tx:then3", "3600") == 1 &&
		    db_commit_then(db) == 0 && db_rollback(db) == 0,
		    "a rollback instead of the next statement");
		is_int(hit(other, "tx:then3", "3600"), 1, "ends it, rolled back");
		ok(db_begin(db) == 0 && db_commit_then(db) == 0, "db_commit_then of an empty one");
		is_int(hit(db, "tx:then4", "3600"), 1, "leaves nothing to commit");
		is_int(hit(other, "tx:then4", "3600"), 2, "the statement after it commits at once");
	}

	db_free(db);
	db_free(other);
	return done_testing();
}
