/*
 * GET /tags/:name: the public posts with a hashtag, local and remote,
 * newest first, 20 a page, as Mastodon's tag page (its TagFeed: public
 * only, no silenced or suspended authors); "/tags/:name.rss" and ".atom"
 * are its feeds (web/feed.c). A name that could be a hashtag but has no
 * posts yet is an empty page; one that could not is 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "ap/urls.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "web/profile_input.h"
#include "web/profile_internal.h"
#include "web/profile_routes.h"
#include "web/web.h"

/* The page of posts of tag id (NULL: no such tag yet) into ctx; -1 on a database error. */
static int
tag_posts(struct http_req *req, const char *locale, json_t *ctx, const char *tag_id,
    const char *name, const char *max)
{
	PGresult	*res;
	json_t		*arr;
	char		 ids[40], path[WEB_PROFILE_TAG_MAX * 3 + 16];

	if (tag_id == NULL)
		return 0;
	snprintf(ids, sizeof(ids), "{%s}", tag_id);
	/* The API's hashtag timeline for an anonymous reader, any origin. */
	res = DB_EXEC(req->req_db, STMT_API_TL_TAG_DESC, ids, "{}", "{}", max, NULL,
	    "false", "false", "false", NULL, "20");
	if (res == NULL || (arr = web_profile_statuses(req, locale, res)) == NULL) {
		PQclear(res);
		return -1;
	}
	json_object_set_new(ctx, "statuses", arr);
	snprintf(path, sizeof(path), "/tags/%s", name);
	web_profile_pager(req, ctx, path, res, WEB_PROFILE_PAGE, max);
	PQclear(res);
	return 0;
}

static void
tag_page(struct http_req *req, const char *locale, const char *tag_id, const char *name)
{
	json_t		*ctx = json_pack("{s:s}", "tag", name);
	const char	*max;
	char		 base[300], href[WEB_PROFILE_TAG_MAX + 400];

	if (web_profile_max_id(req, &max) == -1) {
		web_reply_public_message(req, 400, locale, "error.bad_request", NULL);
		goto out;
	}
	if (tag_posts(req, locale, ctx, tag_id, name, max) == -1) {
		web_reply_public_message(req, 503, locale, "error.database", NULL);
		goto out;
	}
	json_object_set_new(ctx, "title", web_text(req, locale, "profile.tag_title", ctx));
	ap_url_base(&req->req_meent->cfg, base, sizeof(base));
	snprintf(href, sizeof(href), "%s/tags/%s", base, name);
	json_object_set_new(ctx, "canonical", json_string(href));
	web_profile_meta(ctx, "property", "og:type", json_string("website"));
	web_profile_meta(ctx, "property", "og:title", json_incref(json_object_get(ctx, "title")));
	web_profile_meta(ctx, "property", "og:url", json_string(href));
	web_profile_meta(ctx, "name", "twitter:card", json_string("summary"));
	snprintf(href, sizeof(href), "%s/tags/%s", base, name);
	web_profile_feed_links(req, locale, ctx, href, "profile.tag_feed", ctx);
	web_reply_public(req, 200, "tag", locale, ctx, NULL);
out:
	json_decref(ctx);
}

void
web_tag_get(struct http_req *req)
{
	const char	*param = http_req_param(req, "name");
	const char	*locale = web_locale(req, http_req_query(req, "lang"));
	const char	*kind;
	char		 name[WEB_PROFILE_TAG_MAX + 8], *tag_id = NULL, *stored = NULL;
	PGresult	*res;

	if (web_reply_cached(req, locale))
		return;
	kind = web_profile_feed_suffix(param != NULL ? param : "", name, sizeof(name));
	if (!web_tag_name_valid(name)) {
		web_reply_public_message(req, 404, locale, "error.not_found", NULL);
		return;
	}
	if ((res = DB_EXEC(req->req_db, STMT_WEB_TAG_FIND, name)) == NULL) {
		web_reply_public_message(req, 503, locale, "error.database", NULL);
		return;
	}
	/* The name as first written, as Mastodon shows a tag's display name. */
	if (PQntuples(res) == 1) {
		tag_id = PQgetvalue(res, 0, 0);
		stored = PQgetvalue(res, 0, 1);
	}
	if (kind != NULL)
		web_feed_tag(req, locale, tag_id, stored != NULL ? stored : name, kind);
	else
		tag_page(req, locale, tag_id, stored != NULL ? stored : name);
	PQclear(res);
}
