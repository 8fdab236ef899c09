/* meentctl db: migrate and status. */
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"
#include "db/migrate.h"

static int
ctl_db_migrate(struct ctl *c, int argc, char **argv)
{
	struct db_migration_list	 list;
	char				 err[1024];
	int				 napplied, version;
	PGresult			*res;

	if (argc != 0)
		return ctl_fail(CTL_USAGE, "db migrate takes no arguments");
	if (db_migrations_scan(c->cfg.schema_dir, &list, err, sizeof(err)) == -1)
		return ctl_fail(CTL_ERR, "%s", err);
	if (ctl_db(c) == NULL) {
		db_migrations_cleanup(&list);
		return CTL_DBERR;
	}
	if (db_migrate_apply(db_conn(c->db), &list, &napplied, err, sizeof(err)) == -1) {
		db_migrations_cleanup(&list);
		return ctl_fail(CTL_ERR, "%s", err);
	}
	version = db_schema_version(db_conn(c->db));
	db_migrations_cleanup(&list);
	/* The configured domain is the instance's primary domain; record it
	 * now that the tables exist. */
	db_free(c->db);
	c->db = db_new(c->cfg.database, (int)c->cfg.db_statement_timeout, DB_PREPARE);
	if (db_connect(c->db) == -1 ||
	    (res = DB_EXEC(c->db, STMT_INSTANCE_DOMAIN_ENSURE, c->cfg.domain)) == NULL)
		return ctl_db_fail(c, "recording the instance domain");
	PQclear(res);
	if (c->json)
		ctl_print_json(json_pack("{s:i,s:i}", "applied", napplied,
		    "schema_version", version));
	else
		printf("applied %d migration%s; schema is at version %d\n", napplied,
		    napplied == 1 ? "" : "s", version);
	return CTL_OK;
}

static int
ctl_db_status(struct ctl *c, int argc, char **argv)
{
	struct db_migration_list	 list;
	char				 err[1024];
	int				 pending = 0;
	json_t				*arr;

	if (argc != 0)
		return ctl_fail(CTL_USAGE, "db status takes no arguments");
	if (db_migrations_scan(c->cfg.schema_dir, &list, err, sizeof(err)) == -1)
		return ctl_fail(CTL_ERR, "%s", err);
	if (ctl_db(c) == NULL) {
		db_migrations_cleanup(&list);
		return CTL_DBERR;
	}
	if (db_migrate_status(db_conn(c->db), &list, err, sizeof(err)) == -1) {
		db_migrations_cleanup(&list);
		return ctl_fail(CTL_ERR, "%s", err);
	}
	arr = json_array();
	for (int i = 0; i < list.count; i++) {
		pending += !list.items[i].applied;
		if (c->json)
			json_array_append_new(arr, json_pack("{s:i,s:s,s:b}",
			    "version", list.items[i].version, "name",
			    list.items[i].name, "applied", list.items[i].applied));
		else
			printf("%s  %s\n", list.items[i].applied ? "applied" : "pending",
			    list.items[i].name);
	}
	if (c->json)
		ctl_print_json(json_pack("{s:o,s:i}", "migrations", arr, "pending", pending));
	else {
		json_decref(arr);
		printf("%d pending\n", pending);
	}
	db_migrations_cleanup(&list);
	/* Scripts can tell "needs migrating" from the exit code. */
	return pending ? CTL_ERR : CTL_OK;
}

const struct ctl_cmd ctl_db_cmds[] = {
	{ "db", "migrate", "", "apply the missing schema migrations (safe to run on several nodes at once)",
	    ctl_db_migrate, 0 },
	{ "db", "status", "", "list the migrations and whether each is applied; exits 1 when some are pending",
	    ctl_db_status, 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
