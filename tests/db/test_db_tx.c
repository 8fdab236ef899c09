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

	db_free(db);
	db_free(other);
	return done_testing();
}
