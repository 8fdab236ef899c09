/*
 * Schema migrations: the numbered files NNNN_name.sql in the schema
 * directory, applied in order, each recorded in schema_migrations. Used by
 * meentctl (db migrate, db status) and by meentd to refuse an old schema.
 */
#ifndef MEENT_DB_MIGRATE_H
#define MEENT_DB_MIGRATE_H

#include <libpq-fe.h>

/* The highest migration this build knows; tests/unit keep it in step with schema/. */
#define DB_SCHEMA_VERSION	9

struct db_migration {
	int	 version;	/* NNNN of the file name */
	char	*name;		/* file name; owned */
	char	*path;		/* full path; owned */
	int	 applied;	/* set by db_migrate_status */
};

struct db_migration_list {
	struct db_migration	*items;		/* owned, sorted by version */
	int			 count;
};

/*
 * Lists the migrations in dir. Files not named NNNN_*.sql are ignored;
 * two files with one number are an error. 0, or -1 with errbuf set.
 */
int	 db_migrations_scan(const char *dir, struct db_migration_list *out,
	    char *errbuf, size_t errsz);
void	 db_migrations_cleanup(struct db_migration_list *list);

/*
 * The highest applied version: 0 when nothing is applied (no table yet),
 * -1 when the server cannot be asked.
 */
int	 db_schema_version(PGconn *conn);

/* Marks the applied ones in list. 0 or -1 with errbuf set. */
int	 db_migrate_status(PGconn *conn, struct db_migration_list *list,
	    char *errbuf, size_t errsz);

/*
 * Applies every missing migration in one transaction under an advisory
 * lock, so two nodes running it at once apply each file exactly once (the
 * second waits, then finds nothing to do). *napplied is how many this call
 * applied. 0, or -1 with errbuf set and nothing applied.
 */
int	 db_migrate_apply(PGconn *conn, struct db_migration_list *list,
	    int *napplied, char *errbuf, size_t errsz);

#endif
