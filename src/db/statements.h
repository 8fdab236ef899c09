/*
 * Every SQL statement Meent runs, by name. The statements themselves live
 * in the stmt_*.def tables beside this file (one per domain), are prepared
 * on every new connection, and are called by enum: no SQL is built from
 * strings anywhere else.
 */
#ifndef MEENT_DB_STATEMENTS_H
#define MEENT_DB_STATEMENTS_H

enum db_stmt {
#define STMT(name, nparams, sql)	STMT_##name,
#include "db/stmt_core.def"
#include "db/stmt_ctl.def"
#include "db/stmt_ap.def"
#include "db/stmt_inbox.def"
#include "db/stmt_jobs.def"
#include "db/stmt_objects.def"
#include "db/stmt_api_core.def"
#include "db/stmt_api_instance.def"
#include "db/stmt_api_timelines.def"
#include "db/stmt_api_statuses.def"
#include "db/stmt_api_accounts.def"
#include "db/stmt_api_oauth.def"
#include "db/stmt_web_front.def"
#include "db/stmt_web_profile.def"
#include "db/stmt_web_post.def"
#undef STMT
	STMT__COUNT
};

struct db_statement {
	const char	*name;		/* the prepared statement's name */
	int		 nparams;	/* number of $n parameters */
	const char	*sql;
};

/* The statement for id; borrowed from a static table. */
const struct db_statement *db_statement_get(enum db_stmt id);

#endif
