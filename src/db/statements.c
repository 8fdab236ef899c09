/* The statement table: see statements.h. */
#include <stddef.h>

#include "db/statements.h"

static const struct db_statement db_statements[STMT__COUNT] = {
#define STMT(name, nparams, sql)	[STMT_##name] = { #name, nparams, sql },
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
};

const struct db_statement *
db_statement_get(enum db_stmt id)
{
	if ((int)id < 0 || id >= STMT__COUNT)
		return NULL;
	return &db_statements[id];
}
