/*
 * meentctl: the administration command. Each command group (db, org, user,
 * account, member, token) lives in its own file and registers its
 * subcommands in a table; this header is what they share.
 */
#ifndef MEENT_CTL_CTL_H
#define MEENT_CTL_CTL_H

#include <jansson.h>

#include "db/db.h"
#include "util/config.h"

/* Exit codes, for scripts. */
#define CTL_OK		0
#define CTL_ERR		1	/* the operation failed (not found, conflict, ...) */
#define CTL_USAGE	2	/* bad command line */
#define CTL_DBERR	3	/* the database cannot be reached or refused */

struct ctl {
	struct config	 cfg;
	const char	*config_path;
	int		 json;		/* --json: machine-readable output */
	struct db	*db;		/* connected on first use */
};

struct ctl_cmd {
	const char	*group;		/* "user" */
	const char	*name;		/* "create" */
	const char	*args;		/* usage synopsis of the arguments */
	const char	*help;		/* one line */
	int		(*run)(struct ctl *c, int argc, char **argv);
	int		 needs_schema;	/* 0 only for db migrate / db status */
};

/* Connects (once) and returns the connection, or NULL after printing why. */
struct db	*ctl_db(struct ctl *c);

/* Prints an error line to stderr ("meentctl: ..."); returns code. */
int		 ctl_fail(int code, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* Prints the database error for a failed statement; returns CTL_ERR or CTL_DBERR. */
int		 ctl_db_fail(struct ctl *c, const char *what);
/* Prints obj as JSON on stdout (takes the reference). */
void		 ctl_print_json(json_t *obj);

/* The command tables of each group, ended by a row with group NULL. */
extern const struct ctl_cmd	ctl_db_cmds[];

#endif
