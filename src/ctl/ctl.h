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

/*
 * Helpers for the command implementations (cmd.c).
 */

/* One option of a command: "--email" with a value, or a flag. */
struct ctl_opt {
	const char	*name;		/* "--email" */
	int		 has_arg;	/* 1 when it takes a value */
	const char	*value;		/* out: borrowed from argv, "" for a flag,
					 * NULL when not given */
};

/*
 * Splits argv (borrowed) into the options in opts (ended by a NULL name)
 * and between minpos and maxpos positional arguments, stored in pos.
 * Accepts "--opt value", "--opt=value", "--" and the global --json
 * anywhere. Returns CTL_OK, or CTL_USAGE after printing why; cmd
 * ("user create") names the command in messages.
 */
int		 ctl_args(struct ctl *c, const char *cmd, int argc, char **argv,
		    struct ctl_opt *opts, const char **pos, int minpos, int maxpos,
		    int *npos);

/*
 * Prints why a statement about subject ("user 'jan'") failed and returns
 * the exit code: CTL_DBERR when the database is gone, otherwise CTL_ERR
 * with "already exists" for a unique violation (23505), "refers to
 * something that does not exist" for a foreign key (23503) and the
 * server's message for anything else.
 */
int		 ctl_stmt_fail(struct ctl *c, const char *subject);

/* Value of a result cell as a new JSON string, or JSON null for SQL NULL. */
json_t		*ctl_json_cell(const PGresult *res, int row, int col);
/* A count or id cell as a number; 0 for NULL or anything unparsable. */
long long	 ctl_cell_ll(const PGresult *res, int row, int col);
/* Rows a command changed (PQcmdTuples as a number). */
long long	 ctl_affected(PGresult *res);
/* 1 when a boolean result cell is true. */
int		 ctl_cell_bool(const PGresult *res, int row, int col);

/* A remote actor fetched and cached by ctl_fetch_actor. */
struct ctl_actor {
	long long	 id;		/* accounts.id */
	char		 uri[2048];
	char		 domain[300];
	char		 key_id[2048];
};

/*
 * Fetches (or refreshes) the remote actor named by what (user@domain,
 * acct:user@domain or its URL) as meentd does, into out. Returns CTL_OK,
 * or the exit code after printing why.
 */
int		 ctl_fetch_actor(struct ctl *c, const char *what, struct ctl_actor *out);

/* The command tables of each group, ended by a row with group NULL. */
extern const struct ctl_cmd	ctl_db_cmds[];
extern const struct ctl_cmd	ctl_org_cmds[];
extern const struct ctl_cmd	ctl_user_cmds[];
extern const struct ctl_cmd	ctl_account_cmds[];
extern const struct ctl_cmd	ctl_member_cmds[];
extern const struct ctl_cmd	ctl_token_cmds[];
extern const struct ctl_cmd	ctl_remote_cmds[];
extern const struct ctl_cmd	ctl_move_cmds[];
extern const struct ctl_cmd	ctl_jobs_cmds[];

#endif
