/*
 * Tests of db/migrate.h that need no server: the directory scan, and that
 * DB_SCHEMA_VERSION is the highest migration in schema/ (a build that
 * forgot to bump it would let meentd run on a schema it does not know).
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/migrate.h"
#include "tap.h"

static void
touch(const char *dir, const char *name)
{
	char	 p[512];
	FILE	*fp;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fp = fopen(p, "w");
	fputs("SELECT 1;\n", fp);
	fclose(fp);
}

int
main(void)
{
	struct db_migration_list	 list;
	char				 err[512], dir[] = "/tmp/meent-test-mig-XXXXXX";
	char				 schema[1024], cmd[600];
	const char			*src = getenv("MEENT_SRCDIR");

	snprintf(schema, sizeof(schema), "%s/schema", src ? src : ".");
	ok(db_migrations_scan(schema, &list, err, sizeof(err)) == 0, "scan schema/: %s", err);
	ok(list.count > 0, "schema/ has migrations");
	if (list.count > 0)
		is_int(list.items[list.count - 1].version, DB_SCHEMA_VERSION,
		    "DB_SCHEMA_VERSION is the highest migration");
	for (int i = 0; i < list.count; i++)
		is_int(list.items[i].version, i + 1, "%s numbered without gaps", list.items[i].name);
	db_migrations_cleanup(&list);

	ok(mkdtemp(dir) != NULL, "temp dir");
	touch(dir, "0002_b.sql");
	touch(dir, "0001_a.sql");
	touch(dir, "README.md");
	touch(dir, "12_bad.sql");
	ok(db_migrations_scan(dir, &list, err, sizeof(err)) == 0, "scan");
	is_int(list.count, 2, "only NNNN_*.sql files count");
	is_int(list.items[0].version, 1, "sorted");
	is_str(list.items[1].name, "0002_b.sql", "names kept");
	db_migrations_cleanup(&list);

	touch(dir, "0002_c.sql");
	ok(db_migrations_scan(dir, &list, err, sizeof(err)) == -1, "duplicate number refused");
	ok(strstr(err, "two migrations numbered 0002") != NULL, "says so: %s", err);

	ok(db_migrations_scan("/nonexistent", &list, err, sizeof(err)) == -1, "missing dir");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void)!system(cmd);
	return done_testing();
}
