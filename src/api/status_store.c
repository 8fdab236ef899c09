/* What a composed post writes beside its own row: see status_store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "api/status_compose.h"
#include "api/status_media.h"
#include "api/status_store.h"
#include "db/db.h"
#include "util/str.h"

/* Runs a statement whose result is not needed. 0 or -1. */
static int
store_exec(struct db *db, enum db_stmt id, int n, const char *const *params)
{
	PGresult *res = db_exec(db, id, n, params);

	PQclear(res);
	return res != NULL ? 0 : -1;
}

/* Mentions, each local account newly mentioned notified. */
static int
store_mentions(struct db *db, const struct api_compose *c, const char *id,
    const char *author, int edit)
{
	struct buf	 all;
	char		 acct[24];
	int		 rc = 0;

	buf_init(&all, 0);
	buf_puts(&all, "{");
	for (size_t i = 0; i < c->nmentioned && rc == 0; i++) {
		PGresult	*res;
		int		 fresh;

		snprintf(acct, sizeof(acct), "%lld", c->mentioned[i]);
		buf_printf(&all, "%s%s", i > 0 ? "," : "", acct);
		if ((res = DB_EXEC(db, STMT_API_ST_MENTION_ADD, id, acct)) == NULL) {
			rc = -1;
			break;
		}
		fresh = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
		if (fresh && c->mentioned_local[i])
			rc = store_exec(db, STMT_API_ST_NOTIFY, 4,
			    (const char *[]){ acct, author, "mention", id });
	}
	buf_puts(&all, "}");
	if (rc == 0 && edit)
		rc = store_exec(db, STMT_API_ST_MENTIONS_SILENCE, 2,
		    (const char *[]){ id, all.data });
	buf_cleanup(&all);
	return rc;
}

static int
store_tags(struct db *db, const struct api_compose *c, const char *id, int edit)
{
	struct db_call	 calls[2];
	PGresult	*res[2];
	json_t		*names;
	char		*body;
	int		 rc;

	if (c->result.ntags == 0 && !edit)
		return 0;
	names = json_array();
	for (size_t i = 0; i < c->result.ntags; i++)
		json_array_append_new(names, json_string(c->result.tags[i]));
	body = json_dumps(names, JSON_COMPACT);
	json_decref(names);
	if (body == NULL)
		return -1;
	/* Two statements (see API_ST_TAGS_ADD), one round trip; an edit that
	 * dropped every tag adds none. */
	calls[0] = (struct db_call)DB_CALL(STMT_API_ST_TAGS_ADD, body);
	calls[1] = (struct db_call)DB_CALL(STMT_API_ST_TAGS_SET, id, body);
	rc = db_exec_batch(db, calls, 2, res);
	PQclear(res[0]);
	PQclear(res[1]);
	free(body);
	return rc;
}

int
api_status_store_parts(struct db *db, const struct api_compose *c,
    const struct api_status_media *media, const char *id, const char *author, int edit)
{
	if (store_mentions(db, c, id, author, edit) == -1 || store_tags(db, c, id, edit) == -1)
		return -1;
	if (media->n == 0 && !edit)
		return 0;
	return store_exec(db, STMT_API_ST_MEDIA_ATTACH, 4,
	    (const char *[]){ id, author, media->array, edit ? "t" : "f" });
}
