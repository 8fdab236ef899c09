/*
 * GET /@:username: a local account's public profile, as Mastodon shows it
 * to a reader without an account: header, avatar, name, handle, bio,
 * fields (rel="me" verified ones marked), counts, pinned posts, then its
 * public and unlisted posts and boosts, newest first, 20 a page. The same
 * URL answers ActivityPub clients with the actor (ap/actor.h) and, with
 * ".rss" or ".atom", the account's feeds (web/feed.c). Suspended and
 * deleted accounts are 410, as Mastodon's permanently unavailable ones;
 * unknown and remote ones 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "ap/actor.h"
#include "ap/urls.h"
#include "api/entity.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/mem.h"
#include "util/str.h"
#include "web/profile_internal.h"
#include "web/profile_routes.h"
#include "web/view.h"
#include "web/web.h"

#define PROFILE_DESCRIPTION_MAX	200	/* bytes of og:description */

/* Columns of WEB_PROFILE_ACCOUNT (db/stmt_web_profile.def). */
enum { ACCT_ID, ACCT_USERNAME, ACCT_URI, ACCT_URL, ACCT_SUSPENDED, ACCT_DELETED,
    ACCT_MOVED_ACCT, ACCT_MOVED_URL };

static char *
profile_col(const PGresult *res, int c)
{
	return PQgetisnull(res, 0, c) ? NULL : xstrdup(PQgetvalue(res, 0, c));
}

enum web_profile_found
web_profile_find(struct http_req *req, const char *username, struct web_profile_acct *out)
{
	PGresult	*res;

	memset(out, 0, sizeof(*out));
	if ((res = DB_EXEC(req->req_db, STMT_WEB_PROFILE_ACCOUNT, username)) == NULL)
		return WEB_PROFILE_ERROR;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return WEB_PROFILE_UNKNOWN;
	}
	str_lcpy(out->id, PQgetvalue(res, 0, ACCT_ID), sizeof(out->id));
	out->username = profile_col(res, ACCT_USERNAME);
	out->uri = profile_col(res, ACCT_URI);
	out->url = profile_col(res, ACCT_URL);
	out->suspended = *PQgetvalue(res, 0, ACCT_SUSPENDED) == 't';
	out->deleted = *PQgetvalue(res, 0, ACCT_DELETED) == 't';
	out->moved_acct = profile_col(res, ACCT_MOVED_ACCT);
	out->moved_url = profile_col(res, ACCT_MOVED_URL);
	PQclear(res);
	return WEB_PROFILE_FOUND;
}

void
web_profile_acct_cleanup(struct web_profile_acct *a)
{
	if (a == NULL)
		return;
	free(a->username);
	free(a->uri);
	free(a->url);
	free(a->moved_acct);
	free(a->moved_url);
	memset(a, 0, sizeof(*a));
}

/* A page of posts of statement id into ctx[key]; -1 on a database error. */
static int
profile_posts(struct http_req *req, const char *locale, json_t *ctx, const char *key,
    PGresult *res)
{
	json_t	*arr;

	if (res == NULL || (arr = web_profile_statuses(req, locale, res)) == NULL)
		return -1;
	json_object_set_new(ctx, key, arr);
	return 0;
}

/* The head of the page: alternates, preview tags, canonical, robots. */
static void
profile_head(struct http_req *req, const char *locale, json_t *ctx,
    const struct web_profile_acct *a, json_t *account)
{
	const char	*avatar = json_string_value(json_object_get(account, "avatar_src"));
	char		 base[300], href[700];

	ap_url_base(&req->req_meent->cfg, base, sizeof(base));
	json_object_set_new(ctx, "canonical", json_string(a->url));
	web_profile_alternate(ctx, "application/activity+json", a->uri, NULL);
	snprintf(href, sizeof(href), "%s/@%s", base, a->username);
	web_profile_feed_links(req, locale, ctx, href, "profile.feed", account);

	web_profile_meta(ctx, "property", "og:type", json_string("profile"));
	web_profile_meta(ctx, "property", "og:site_name",
	    json_string(req->req_meent->cfg.instance_name));
	web_profile_meta(ctx, "property", "og:title", json_incref(json_object_get(ctx, "title")));
	web_profile_meta(ctx, "property", "og:description",
	    web_profile_plain(json_string_value(json_object_get(account, "note")),
	    PROFILE_DESCRIPTION_MAX));
	web_profile_meta(ctx, "property", "og:url", json_string(a->url));
	/* Our own images only (web/view.h): a remote one is never linked. */
	web_profile_meta(ctx, "property", "og:image", web_profile_image_url(req, avatar));
	web_profile_meta(ctx, "property", "profile:username",
	    json_string(json_string_value(json_object_get(account, "acct"))));
	web_profile_meta(ctx, "name", "twitter:card", json_string("summary"));
	/* The account's wish (Mastodon's noindex, from "indexable"). */
	if (json_is_true(json_object_get(account, "noindex")))
		json_object_set_new(ctx, "noindex", json_true());
}

/* The remote-follow form's values, with the error when there is one. */
static void
profile_form(struct http_req *req, const char *locale, json_t *ctx,
    const struct web_profile_acct *a, const char *error, const char *acct)
{
	const char	*lang = web_profile_lang(req);
	char		 action[600];

	snprintf(action, sizeof(action), "/@%s/remote_follow%s%s", a->username,
	    lang != NULL ? "?lang=" : "", lang != NULL ? lang : "");
	json_object_set_new(ctx, "remote_action", json_string(action));
	if (acct != NULL)
		json_object_set_new(ctx, "remote_acct", json_string(acct));
	if (error != NULL)
		json_object_set_new(ctx, "remote_error", web_text(req, locale, error, ctx));
}

void
web_profile_page(struct http_req *req, const char *locale, const struct web_profile_acct *a,
    int status, const char *error, const char *acct)
{
	json_t		*ctx = NULL, *account = NULL;
	PGresult	*pins = NULL, *posts = NULL;
	const char	*max;
	char		 path[300];

	if (web_profile_max_id(req, &max) == -1) {
		web_reply_public_message(req, 400, locale, "error.bad_request", NULL);
		return;
	}
	if (api_account_render(req, strtoll(a->id, NULL, 10), &account) == -1)
		goto dberror;
	if (account == NULL) {
		web_reply_public_message(req, 404, locale, "error.not_found", NULL);
		return;
	}
	web_account_view(account, req, locale);
	json_object_set_new(account, "has_fields",
	    json_boolean(json_array_size(json_object_get(account, "fields")) > 0));
	ctx = json_pack("{s:O}", "account", account);
	json_object_set_new(ctx, "title", web_text(req, locale, "profile.title", account));
	if (a->moved_acct != NULL)
		json_object_set_new(ctx, "moved", json_pack("{s:s,s:s}", "acct", a->moved_acct,
		    "url", a->moved_url != NULL ? a->moved_url : ""));
	/* Pinned posts head the first page only, as on Mastodon's. */
	if (max == NULL && profile_posts(req, locale, ctx, "pinned",
	    pins = DB_EXEC(req->req_db, STMT_WEB_PROFILE_PINS, a->id)) == -1)
		goto dberror;
	json_object_set_new(ctx, "has_pinned",
	    json_boolean(json_array_size(json_object_get(ctx, "pinned")) > 0));
	posts = DB_EXEC(req->req_db, STMT_WEB_PROFILE_STATUSES, a->id, max, "20");
	if (profile_posts(req, locale, ctx, "statuses", posts) == -1)
		goto dberror;
	snprintf(path, sizeof(path), "/@%s", a->username);
	web_profile_pager(req, ctx, path, posts, WEB_PROFILE_PAGE, max);
	profile_head(req, locale, ctx, a, account);
	profile_form(req, locale, ctx, a, error, acct);
	/* The remote-follow form ends in a redirect to the reader's own
	 * server, which form-action must allow (CSP applies to it). */
	web_reply_public(req, status, "profile", locale, ctx, "'self' https:");
	goto out;
dberror:
	web_reply_public_message(req, 503, locale, "error.database", NULL);
out:
	PQclear(pins);
	PQclear(posts);
	json_decref(account);
	json_decref(ctx);
}

void
web_profile_get(struct http_req *req)
{
	const char	*param = http_req_param(req, "username");
	const char	*locale = web_locale(req, http_req_query(req, "lang"));
	const char	*kind;
	char		 name[300];
	struct web_profile_acct a;

	kind = web_profile_feed_suffix(param != NULL ? param : "", name, sizeof(name));
	/* Mastodon serves the actor at its profile URL too. */
	if (kind == NULL && ap_actor_wants_json(req)) {
		ap_actor_get(req);
		return;
	}
	if (web_reply_cached(req, locale))
		return;
	switch (web_profile_find(req, name, &a)) {
	case WEB_PROFILE_ERROR:
		web_reply_public_message(req, 503, locale, "error.database", NULL);
		return;
	case WEB_PROFILE_UNKNOWN:
		web_reply_public_message(req, 404, locale, "error.not_found", NULL);
		return;
	case WEB_PROFILE_FOUND:
		break;
	}
	if (a.suspended || a.deleted)
		web_reply_public_message(req, 410, locale, "profile.gone", NULL);
	else if (kind != NULL)
		web_feed_account(req, locale, &a, kind);
	else
		web_profile_page(req, locale, &a, 200, NULL, NULL);
	web_profile_acct_cleanup(&a);
}
