/*
 * Direct conversations (docs.joinmastodon.org/methods/conversations):
 * the direct statuses the account wrote or was mentioned in, by thread and
 * participants as Mastodon's AccountConversation groups them, computed
 * from the statuses themselves (db/stmt_api_instance.def). There is no
 * per-account state yet, so a conversation is never unread and cannot be
 * removed from the list (DELETE is not offered); marking one read answers
 * it as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/entity.h"
#include "api/instance_routes.h"
#include "api/page.h"
#include "api/params.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/mem.h"

#define CONV_LIMIT	20	/* Mastodon's default; at most twice that */

enum { CONV_COL_ID, CONV_COL_LAST, CONV_COL_ACCOUNTS };

/* The object of arr (borrowed) whose "id" is id, or NULL. */
static json_t *
conv_find(const json_t *arr, const char *id)
{
	size_t	 i;
	json_t	*obj;

	json_array_foreach(arr, i, obj) {
		const char *v = json_string_value(json_object_get(obj, "id"));

		if (v != NULL && strcmp(v, id) == 0)
			return obj;
	}
	return NULL;
}

/*
 * The participants of every row, as one array of distinct ids (new, in
 * *ids, *n) to render in one query. 0, or -1 on a malformed row.
 */
static int
conv_participants(const PGresult *res, long long **ids, size_t *n)
{
	int	 rows = PQntuples(res);
	size_t	 cap = 16, i;
	json_t	*arr, *v;
	long long id;

	*n = 0;
	*ids = xmalloc(cap * sizeof(**ids));
	for (int r = 0; r < rows; r++) {
		if ((arr = json_loads(PQgetvalue(res, r, CONV_COL_ACCOUNTS), 0, NULL)) == NULL)
			goto fail;
		json_array_foreach(arr, i, v) {
			if (api_id_parse(json_string_value(v), &id) == -1) {
				json_decref(arr);
				goto fail;
			}
			size_t k = 0;
			while (k < *n && (*ids)[k] != id)
				k++;
			if (k < *n)
				continue;
			if (*n == cap)
				*ids = xrealloc(*ids, (cap *= 2) * sizeof(**ids));
			(*ids)[(*n)++] = id;
		}
		json_decref(arr);
	}
	return 0;
fail:
	free(*ids);
	*ids = NULL;
	return -1;
}

/* One Conversation entity of row r, with its accounts and last status. */
static json_t *
conv_entity(const PGresult *res, int r, const json_t *accounts, const json_t *statuses)
{
	json_t	*ids, *list = json_array(), *acct, *v, *last;
	size_t	 i;

	ids = json_loads(PQgetvalue(res, r, CONV_COL_ACCOUNTS), 0, NULL);
	json_array_foreach(ids, i, v)
		if ((acct = conv_find(accounts, json_string_value(v))) != NULL)
			json_array_append(list, acct);
	json_decref(ids);
	last = conv_find(statuses, PQgetvalue(res, r, CONV_COL_LAST));
	return json_pack("{s:s,s:b,s:o,s:O}", "id", PQgetvalue(res, r, CONV_COL_ID),
	    "unread", 0, "accounts", list, "last_status", last != NULL ? last : json_null());
}

/*
 * The Conversation entities of res's rows, newest first (res is oldest
 * first when reverse), into *out (new). 0, or -1 on a database error.
 */
static int
conv_render(struct http_req *req, long long viewer, const PGresult *res, int reverse,
    json_t **out)
{
	long long	*ids = NULL;
	size_t		 n;
	json_t		*statuses = NULL, *accounts = NULL;
	int		 rows = PQntuples(res), rc = -1;

	*out = NULL;
	if (api_ids_from_column(res, CONV_COL_LAST, &ids, &n) == -1 ||
	    api_statuses_render(req, viewer, ids, n, &statuses) == -1)
		goto out;
	free(ids);
	if (conv_participants(res, &ids, &n) == -1 ||
	    api_accounts_render(req, ids, n, &accounts) == -1)
		goto out;
	*out = json_array();
	for (int k = 0; k < rows; k++)
		json_array_append_new(*out, conv_entity(res, reverse ? rows - 1 - k : k,
		    accounts, statuses));
	rc = 0;
out:
	free(ids);
	json_decref(statuses);
	json_decref(accounts);
	return rc;
}

/* GET /api/v1/conversations */
void
api_conversations_get(struct http_req *req)
{
	struct api_auth	 a;
	struct api_params *p;
	struct api_page	 pg;
	PGresult	*res;
	json_t		*arr;
	char		 err[256];

	if (api_authenticate(req, "read:statuses", API_AUTH_USER, &a) == -1)
		return;
	if ((p = api_params_parse(req, err, sizeof(err))) == NULL) {
		http_reply_error(req, 400, err);
		return;
	}
	api_page_parse(p, CONV_LIMIT, 2 * CONV_LIMIT, &pg);
	res = DB_EXEC(req->req_db,
	    pg.ascending ? STMT_API_CONVERSATIONS_ASC : STMT_API_CONVERSATIONS_DESC,
	    a.account_id_s, api_page_arg(pg.max_id),
	    api_page_arg(pg.ascending ? pg.min_id : pg.since_id), pg.limit, NULL);
	if (res == NULL || conv_render(req, a.account_id, res, pg.ascending, &arr) == -1) {
		http_reply_db_error(req);
		goto out;
	}
	api_page_link_result(req, "/api/v1/conversations", &pg, res, CONV_COL_LAST);
	http_reply_json(req, 200, arr);
out:
	PQclear(res);
	api_params_free(p);
}

/*
 * POST /api/v1/conversations/:id/read: the conversation, read. Without
 * per-account state it was never unread; someone else's is not found.
 */
void
api_conversation_read(struct http_req *req)
{
	struct api_auth	 a;
	PGresult	*res;
	json_t		*arr = NULL;
	long long	 id;
	char		 ids[24];

	if (api_authenticate(req, "write:conversations", API_AUTH_USER, &a) == -1)
		return;
	if (api_id_parse(http_req_param(req, "id"), &id) == -1) {
		api_reply_not_found(req);
		return;
	}
	snprintf(ids, sizeof(ids), "%lld", id);
	res = DB_EXEC(req->req_db, STMT_API_CONVERSATIONS_DESC, a.account_id_s, NULL, NULL,
	    "1", ids);
	if (res == NULL || conv_render(req, a.account_id, res, 0, &arr) == -1)
		http_reply_db_error(req);
	else if (json_array_size(arr) == 0)
		api_reply_not_found(req);
	else
		http_reply_json(req, 200, json_incref(json_array_get(arr, 0)));
	json_decref(arr);
	PQclear(res);
}
