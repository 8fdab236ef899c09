/*
 * Schema migrations: see migrate.h. Migration files are run with PQexec,
 * which accepts several statements; everything else here uses parameters.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/migrate.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

/* Any constant will do as long as nothing else takes the same lock. */
#define DB_MIGRATE_LOCK	"7305462390144"
#define DB_MIGRATION_MAX_BYTES	(16 * 1024 * 1024)

static int
db_migration_cmp(const void *a, const void *b)
{
	const struct db_migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

static int
db_migration_version(const char *name)
{
	long long	 v;
	char		 num[5];
	size_t		 len = strlen(name);

	if (len < 10 || strcmp(name + len - 4, ".sql") != 0 || name[4] != '_')
		return -1;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)name[i]))
			return -1;
	memcpy(num, name, 4);
	num[4] = '\0';
	if (str_to_ll(num, 1, 9999, &v) == -1)
		return -1;
	return (int)v;
}

int
db_migrations_scan(const char *dir, struct db_migration_list *out,
    char *errbuf, size_t errsz)
{
	DIR		*d;
	struct dirent	*de;
	int		 cap = 0;

	out->items = NULL;
	out->count = 0;
	if ((d = opendir(dir)) == NULL) {
		snprintf(errbuf, errsz, "cannot open schema directory %s: %s",
		    dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		int v = db_migration_version(de->d_name);

		if (v < 0)
			continue;
		if (out->count == cap) {
			cap = cap ? cap * 2 : 16;
			out->items = xrealloc(out->items, (size_t)cap * sizeof(*out->items));
		}
		out->items[out->count].version = v;
		out->items[out->count].name = xstrdup(de->d_name);
		out->items[out->count].path = xasprintf("%s/%s", dir, de->d_name);
		out->items[out->count].applied = 0;
		out->count++;
	}
	closedir(d);
	if (out->count > 1)
		qsort(out->items, (size_t)out->count, sizeof(*out->items),
		    db_migration_cmp);
	for (int i = 1; i < out->count; i++) {
		if (out->items[i].version == out->items[i - 1].version) {
			snprintf(errbuf, errsz, "two migrations numbered %04d: %s and %s",
			    out->items[i].version, out->items[i - 1].name,
			    out->items[i].name);
			db_migrations_cleanup(out);
			return -1;
		}
	}
	return 0;
}

void
db_migrations_cleanup(struct db_migration_list *list)
{
	for (int i = 0; i < list->count; i++) {
		free(list->items[i].name);
		free(list->items[i].path);
	}
	free(list->items);
	list->items = NULL;
	list->count = 0;
}

static int
db_fail(char *errbuf, size_t errsz, const char *what, PGresult *res, PGconn *conn)
{
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);

	snprintf(errbuf, errsz, "%s: %s", what, msg ? msg : "unknown error");
	/* Drop libpq's trailing newline. */
	errbuf[strcspn(errbuf, "\n")] = '\0';
	return -1;
}

int
db_schema_version(PGconn *conn)
{
	PGresult	*res;
	long long	 v = -1;

	res = PQexec(conn, "SELECT coalesce(max(version), 0) FROM schema_migrations");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		if (str_to_ll(PQgetvalue(res, 0, 0), 0, 9999, &v) == -1)
			v = -1;
	} else if (PQstatus(conn) == CONNECTION_OK) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		/* 42P01: undefined_table, an empty database. */
		if (state != NULL && strcmp(state, "42P01") == 0)
			v = 0;
	}
	PQclear(res);
	return (int)v;
}

static int
db_read_file(const char *path, char **out, char *errbuf, size_t errsz)
{
	FILE	*fp;
	struct buf b;
	char	 chunk[8192];
	size_t	 n;

	buf_init(&b, DB_MIGRATION_MAX_BYTES);
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(errbuf, errsz, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (buf_append(&b, chunk, n) == -1) {
			snprintf(errbuf, errsz, "%s is too large", path);
			fclose(fp);
			buf_cleanup(&b);
			return -1;
		}
	}
	fclose(fp);
	*out = buf_take(&b);
	return 0;
}

int
db_migrate_status(PGconn *conn, struct db_migration_list *list,
    char *errbuf, size_t errsz)
{
	PGresult	*res;
	int		 version = db_schema_version(conn);

	if (version < 0)
		return db_fail(errbuf, errsz, "cannot read schema version", NULL, conn);
	if (version == 0)
		return 0;
	res = PQexec(conn, "SELECT version FROM schema_migrations");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_fail(errbuf, errsz, "cannot read schema_migrations", res, conn);
		PQclear(res);
		return -1;
	}
	for (int r = 0; r < PQntuples(res); r++) {
		long long v;

		if (str_to_ll(PQgetvalue(res, r, 0), 0, 9999, &v) == -1)
			continue;
		for (int i = 0; i < list->count; i++)
			if (list->items[i].version == v)
				list->items[i].applied = 1;
	}
	PQclear(res);
	return 0;
}

static int
db_exec_ok(PGconn *conn, const char *sql, const char *what, char *errbuf, size_t errsz)
{
	PGresult	*res = PQexec(conn, sql);
	ExecStatusType	 st = PQresultStatus(res);
	int		 rc = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = db_fail(errbuf, errsz, what, res, conn);
	PQclear(res);
	return rc;
}

/* PostgreSQL's NOTICEs ("already exists, skipping") are not for operators. */
static void
db_notice_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int
db_migrate_apply(PGconn *conn, struct db_migration_list *list, int *napplied,
    char *errbuf, size_t errsz)
{
	char	*sql = NULL, vbuf[16];
	int	 applied = 0;

	*napplied = 0;
	PQsetNoticeProcessor(conn, db_notice_quiet, NULL);
	if (db_exec_ok(conn, "BEGIN", "begin", errbuf, errsz) == -1)
		return -1;
	/* Serialises concurrent migrators: the loser waits here, then sees
	 * the winner's rows below and has nothing to do. */
	if (db_exec_ok(conn, "SELECT pg_advisory_xact_lock(" DB_MIGRATE_LOCK ")",
	    "advisory lock", errbuf, errsz) == -1)
		goto fail;
	if (db_exec_ok(conn,
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version integer PRIMARY KEY,"
	    " name text NOT NULL,"
	    " applied_at timestamptz NOT NULL DEFAULT now())",
	    "create schema_migrations", errbuf, errsz) == -1)
		goto fail;
	if (db_migrate_status(conn, list, errbuf, errsz) == -1)
		goto fail;
	for (int i = 0; i < list->count; i++) {
		struct db_migration	*m = &list->items[i];
		const char		*params[2];
		PGresult		*res;

		if (m->applied)
			continue;
		if (db_read_file(m->path, &sql, errbuf, errsz) == -1)
			goto fail;
		res = PQexec(conn, sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK &&
		    PQresultStatus(res) != PGRES_TUPLES_OK) {
			char what[300];
			snprintf(what, sizeof(what), "migration %s failed", m->name);
			db_fail(errbuf, errsz, what, res, conn);
			PQclear(res);
			goto fail;
		}
		PQclear(res);
		free(sql);
		sql = NULL;
		snprintf(vbuf, sizeof(vbuf), "%d", m->version);
		params[0] = vbuf;
		params[1] = m->name;
		res = PQexecParams(conn,
		    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
		    2, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			db_fail(errbuf, errsz, "record migration", res, conn);
			PQclear(res);
			goto fail;
		}
		PQclear(res);
		m->applied = 1;
		applied++;
	}
	if (db_exec_ok(conn, "COMMIT", "commit", errbuf, errsz) == -1)
		goto fail_nocommit;
	*napplied = applied;
	return 0;
fail:
	free(sql);
	PQclear(PQexec(conn, "ROLLBACK"));
fail_nocommit:
	for (int i = 0; i < list->count; i++)
		list->items[i].applied = 0;
	(void)db_migrate_status(conn, list, vbuf, sizeof(vbuf));
	return -1;
}
