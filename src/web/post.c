/*
 * GET /@:username/:id: a local account's post as Mastodon shows it to a
 * reader without an account (its statuses/show page): the post, its
 * thread (the ancestors above, the public and unlisted replies below, as
 * /api/v1/statuses/:id/context gives them to an anonymous reader), its
 * edit history, and the preview tags of post_head.c. The same address
 * answers ActivityPub clients with the Note (ap/objects.h), as Mastodon's
 * does; a boost's own id sends the reader on to the boosted post, as
 * Mastodon's redirect_to_original does.
 *
 * Every status on the page comes from the API's cache of Status entities
 * (api/status_cache.h), so the page shows what the API shows: the lookup
 * is one query, the thread one more when there is one, the page of
 * entities one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "ap/objects.h"
#include "ap/actor.h"
#include "api/api.h"
#include "api/status_cache.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/mem.h"
#include "util/str.h"
#include "web/post_internal.h"
#include "web/post_routes.h"
#include "web/view.h"
#include "web/web.h"

/* Mastodon's anonymous context: ANCESTORS_LIMIT, DESCENDANTS_LIMIT and
 * DESCENDANTS_DEPTH_LIMIT (as api/status_read.c passes them). */
#define POST_ANCESTORS		"40"
#define POST_DESCENDANTS	"60"
#define POST_DEPTH		"20"
#define POST_THREAD_MAX		(40 + 1 + 60)	/* ids on one page */

/* Columns of WEB_POST_FIND (db/stmt_web_post.def). */
enum { FIND_ACCOUNT, FIND_ACCOUNT_GONE, FIND_ID, FIND_VISIBILITY, FIND_DELETED,
    FIND_REBLOG, FIND_ORIGINAL, FIND_HAS_PARENT, FIND_HAS_REPLIES, FIND_EDITED };

static int
post_flag(const PGresult *res, int c)
{
	return *PQgetvalue(res, 0, c) == 't';
}

static int
post_public(const char *visibility)
{
	return strcmp(visibility, "public") == 0 || strcmp(visibility, "unlisted") == 0;
}

enum web_post_state
web_post_find(struct http_req *req, const char *username, const char *id,
    struct web_post *out)
{
	PGresult		*res;
	enum web_post_state	 st;

	memset(out, 0, sizeof(*out));
	if (username == NULL || id == NULL || api_id_parse(id, &out->id) == -1)
		return WEB_POST_UNKNOWN;
	snprintf(out->id_s, sizeof(out->id_s), "%lld", out->id);
	if ((res = DB_EXEC(req->req_db, STMT_WEB_POST_FIND, username, out->id_s)) == NULL)
		return WEB_POST_ERROR;
	if (PQntuples(res) != 1)
		st = WEB_POST_UNKNOWN;
	else if (post_flag(res, FIND_ACCOUNT_GONE))
		st = WEB_POST_ACCOUNT_GONE;
	else if (PQgetisnull(res, 0, FIND_ID) ||
	    !post_public(PQgetvalue(res, 0, FIND_VISIBILITY)))
		st = WEB_POST_UNKNOWN;
	else if (post_flag(res, FIND_DELETED))
		st = WEB_POST_DELETED;
	else if (post_flag(res, FIND_REBLOG))
		st = PQgetisnull(res, 0, FIND_ORIGINAL) ? WEB_POST_UNKNOWN : WEB_POST_BOOST;
	else
		st = WEB_POST_SHOWN;
	if (st == WEB_POST_BOOST)
		out->original = xstrdup(PQgetvalue(res, 0, FIND_ORIGINAL));
	if (st == WEB_POST_SHOWN) {
		out->has_parent = post_flag(res, FIND_HAS_PARENT);
		out->has_replies = post_flag(res, FIND_HAS_REPLIES);
		out->edited = post_flag(res, FIND_EDITED);
	}
	PQclear(res);
	return st;
}

void
web_post_cleanup(struct web_post *p)
{
	if (p == NULL)
		return;
	free(p->original);
	memset(p, 0, sizeof(*p));
}

/* Appends the first column of res's rows to the id list in b. */
static void
post_ids_append(struct buf *b, const PGresult *res, size_t *n)
{
	for (int i = 0; i < PQntuples(res) && *n < POST_THREAD_MAX; i++, (*n)++)
		buf_printf(b, "%s%s", *n > 0 ? "," : "", PQgetvalue(res, i, 0));
}

/*
 * The replies' ids after those already in b, in Mastodon's order
 * (promote_by!): the author's own replies within the thread first, each
 * group in the order of the tree. -1 on a database error.
 */
static int
post_replies(struct http_req *req, const struct web_post *p, struct buf *b, size_t *n)
{
	PGresult	*res;

	res = DB_EXEC(req->req_db, STMT_API_ST_DESCENDANTS, p->id_s, POST_DESCENDANTS,
	    POST_DEPTH, NULL);
	if (res == NULL)
		return -1;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < PQntuples(res) && *n < POST_THREAD_MAX; i++) {
			/* account_id = in_reply_to_account_id: a self-reply */
			int self = strcmp(PQgetvalue(res, i, 1), PQgetvalue(res, i, 2)) == 0;

			if (self != (pass == 0))
				continue;
			buf_printf(b, ",%s", PQgetvalue(res, i, 0));
			(*n)++;
		}
	PQclear(res);
	return 0;
}

/*
 * The thread of p as rendered Status entities with the page values, in
 * the page's order, into ctx: "ancestors", "status", "replies". -1 on a
 * database error, 1 when the post itself no longer renders (deleted
 * meanwhile), else 0.
 */
static int
post_thread(struct http_req *req, const char *locale, const struct web_post *p, json_t *ctx)
{
	struct buf	 ids;
	PGresult	*res = NULL;
	json_t		*arr = NULL, *st, *up = json_array(), *down = json_array(), *self = NULL;
	const char	*text;
	size_t		 n = 0, len, i;
	int		 rc = -1;

	buf_init(&ids, 32 * (POST_THREAD_MAX + 2));
	buf_puts(&ids, "{");
	if (p->has_parent) {
		res = DB_EXEC(req->req_db, STMT_API_ST_ANCESTORS, p->id_s, POST_ANCESTORS, NULL);
		if (res == NULL)
			goto out;
		post_ids_append(&ids, res, &n);
		PQclear(res);
	}
	buf_printf(&ids, "%s%s", n > 0 ? "," : "", p->id_s);
	n++;
	if (p->has_replies && post_replies(req, p, &ids, &n) == -1)
		goto out;
	buf_puts(&ids, "}");
	if ((res = DB_EXEC(req->req_db, STMT_WEB_POST_THREAD, ids.data)) == NULL ||
	    (text = api_status_page_render(req, res, 0, &len)) == NULL ||
	    (arr = json_loadb(text, len, 0, NULL)) == NULL)
		goto out;
	json_array_foreach(arr, i, st) {
		const char *id = json_string_value(json_object_get(st, "id"));

		web_status_view(st, req, locale);
		if (id != NULL && strcmp(id, p->id_s) == 0)
			self = st;
		else
			json_array_append(self == NULL ? up : down, st);
	}
	rc = 1;
	if (self == NULL)
		goto out;
	json_object_set(ctx, "status", self);
	json_object_set(ctx, "ancestors", up);
	json_object_set(ctx, "replies", down);
	rc = 0;
out:
	PQclear(res);
	buf_cleanup(&ids);
	json_decref(arr);
	json_decref(up);
	json_decref(down);
	return rc;
}

static void
post_page(struct http_req *req, const char *locale, const struct web_post *p)
{
	json_t	*ctx = json_object(), *status, *history;
	int	 rc;

	if ((rc = post_thread(req, locale, p, ctx)) != 0) {
		if (rc == 1)
			web_reply_public_message(req, 404, locale, "error.not_found", NULL);
		else
			web_reply_public_message(req, 503, locale, "error.database", NULL);
		goto out;
	}
	status = json_object_get(ctx, "status");
	if (p->edited) {
		if ((history = web_post_history(req, locale, p->id_s)) == NULL) {
			web_reply_public_message(req, 503, locale, "error.database", NULL);
			goto out;
		}
		json_object_set_new(ctx, "history_count", json_integer(
		    (json_int_t)json_array_size(history)));
		json_object_set_new(ctx, "history", history);
	}
	/* The versions are in the post's language (a StatusEdit has none). */
	json_object_set(ctx, "post_language", json_object_get(status, "language"));
	json_object_set_new(ctx, "has_ancestors",
	    json_boolean(json_array_size(json_object_get(ctx, "ancestors")) > 0));
	json_object_set_new(ctx, "heading", web_text(req, locale, "post.heading",
	    json_object_get(status, "account")));
	web_post_head(req, locale, ctx, status);
	web_reply_public(req, 200, "post", locale, ctx, NULL);
out:
	json_decref(ctx);
}

/* The message pages of the states that show no post. */
static const struct {
	int		 status;
	const char	*key;
} post_refusals[] = {
	[WEB_POST_UNKNOWN] = { 404, "error.not_found" },
	[WEB_POST_DELETED] = { 410, "post.deleted" },
	[WEB_POST_ACCOUNT_GONE] = { 410, "post.account_gone" },
	[WEB_POST_ERROR] = { 503, "error.database" },
};

void
web_post_get(struct http_req *req)
{
	const char		*locale = web_locale(req, http_req_query(req, "lang"));
	struct web_post		 p;
	enum web_post_state	 st;

	/* Mastodon serves the Note at its page's address too; ap/objects.c
	 * reads the same route parameters (username, id). */
	if (ap_actor_wants_json(req)) {
		ap_object_status_get(req);
		return;
	}
	if (web_reply_cached(req, locale))
		return;
	st = web_post_find(req, http_req_param(req, "username"), http_req_param(req, "id"), &p);
	if (st == WEB_POST_SHOWN)
		post_page(req, locale, &p);
	else if (st == WEB_POST_BOOST) {
		/* The answer depends on Accept (the Note above). */
		http_reply_header(req, "Vary", "Accept");
		http_reply_redirect(req, 302, p.original);
	} else
		web_reply_public_message(req, post_refusals[st].status, locale,
		    post_refusals[st].key, NULL);
	web_post_cleanup(&p);
}
