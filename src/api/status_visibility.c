/* Loading a status for a viewer: see status_visibility.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "api/api.h"
#include "api/entity.h"
#include "api/status_visibility.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/mem.h"
#include "util/str.h"

static const char *
load_col(const PGresult *res, int c)
{
	return PQgetvalue(res, 0, c);
}

static long long
load_id(const PGresult *res, int c)
{
	return PQgetisnull(res, 0, c) ? 0 : strtoll(PQgetvalue(res, 0, c), NULL, 10);
}

static int
load_bool(const PGresult *res, int c)
{
	return strcmp(PQgetvalue(res, 0, c), "t") == 0;
}

int
api_status_load(struct http_req *req, long long viewer, long long id,
    struct api_status *st)
{
	PGresult	*res;
	char		 idbuf[24], vbuf[24];

	memset(st, 0, sizeof(*st));
	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	snprintf(vbuf, sizeof(vbuf), "%lld", viewer);
	res = DB_EXEC(req->req_db, STMT_API_ST_LOAD, idbuf, viewer != 0 ? vbuf : NULL);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 0;
	}
	st->id = id;
	st->account_id = load_id(res, API_ST_COL_ACCOUNT);
	st->reblog_of_id = load_id(res, API_ST_COL_REBLOG_OF);
	st->conversation_id = load_id(res, API_ST_COL_CONVERSATION);
	st->in_reply_to_account_id = load_id(res, API_ST_COL_IN_REPLY_TO_ACCOUNT);
	str_lcpy(st->id_s, idbuf, sizeof(st->id_s));
	str_lcpy(st->account_id_s, load_col(res, API_ST_COL_ACCOUNT), sizeof(st->account_id_s));
	str_lcpy(st->reblog_of_s, load_col(res, API_ST_COL_REBLOG_OF), sizeof(st->reblog_of_s));
	str_lcpy(st->visibility, load_col(res, API_ST_COL_VISIBILITY), sizeof(st->visibility));
	st->visible = load_bool(res, API_ST_COL_VISIBLE);
	st->local = load_bool(res, API_ST_COL_LOCAL);
	st->author_local = load_bool(res, API_ST_COL_AUTHOR_LOCAL);
	st->sensitive = load_bool(res, API_ST_COL_SENSITIVE);
	st->is_reply = load_bool(res, API_ST_COL_IS_REPLY);
	st->text = xstrdup(load_col(res, API_ST_COL_TEXT));
	st->spoiler_text = xstrdup(load_col(res, API_ST_COL_SPOILER));
	if (!PQgetisnull(res, 0, API_ST_COL_LANGUAGE))
		st->language = xstrdup(load_col(res, API_ST_COL_LANGUAGE));
	st->author_inbox = xstrdup(load_col(res, API_ST_COL_AUTHOR_INBOX));
	st->uri = xstrdup(load_col(res, API_ST_COL_URI));
	PQclear(res);
	return 1;
}

void
api_status_cleanup(struct api_status *st)
{
	free(st->text);
	free(st->spoiler_text);
	free(st->language);
	free(st->author_inbox);
	free(st->uri);
	memset(st, 0, sizeof(*st));
}

int
api_status_from_route(struct http_req *req, long long viewer, unsigned flags,
    struct api_status *st)
{
	long long	 id;
	int		 found;

	memset(st, 0, sizeof(*st));
	if (api_id_parse(http_req_param(req, "id"), &id) == -1) {
		api_reply_not_found(req);
		return -1;
	}
	if ((found = api_status_load(req, viewer, id, st)) == -1) {
		http_reply_db_error(req);
		return -1;
	}
	/* Mastodon answers a status one may not see as if it did not exist. */
	if (found == 0 || (!st->visible && !(flags & API_STATUS_ANY))) {
		api_reply_not_found(req);
		return -1;
	}
	return 0;
}

int
api_status_original(struct http_req *req, long long viewer, const struct api_status *st,
    struct api_status *orig)
{
	int found;

	memset(orig, 0, sizeof(*orig));
	if (st->reblog_of_id == 0)
		return 0;
	if ((found = api_status_load(req, viewer, st->reblog_of_id, orig)) == -1) {
		http_reply_db_error(req);
		return -1;
	}
	if (found == 0 || !orig->visible) {
		api_reply_not_found(req);
		return -1;
	}
	return 0;
}

int
api_status_id_of(struct http_req *req, enum db_stmt stmt, const char *p1, const char *p2,
    long long *out)
{
	PGresult	*res = DB_EXEC(req->req_db, stmt, p1, p2);
	int		 found;

	if (res == NULL)
		return -1;
	found = PQntuples(res) == 1 && !PQgetisnull(res, 0, 0);
	if (found)
		*out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return found;
}

int
api_status_visibility_valid(const char *v)
{
	static const char *const valid[] = { "public", "unlisted", "private", "direct" };

	for (size_t i = 0; v != NULL && i < sizeof(valid) / sizeof(valid[0]); i++)
		if (strcmp(v, valid[i]) == 0)
			return 1;
	return 0;
}

void
api_status_reply(struct http_req *req, long long viewer, long long id)
{
	json_t	*obj;

	if (api_status_render(req, viewer, id, &obj) == -1) {
		http_reply_db_error(req);
		return;
	}
	if (obj == NULL) {
		api_reply_not_found(req);
		return;
	}
	http_reply_json(req, 200, obj);
}
