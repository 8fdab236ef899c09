/*
 * The RSS 2.0 and Atom 1.0 (RFC 4287) feeds of an account and of a
 * hashtag, from templates/feed_rss.xml and feed_atom.xml: the 20 newest
 * public posts, no boosts, as Mastodon's accounts/show.rss and
 * tags/show.rss. Each item has a title (the content warning, or the
 * start of the text), the post's link and id, its dates (RFC 822 for
 * RSS, RFC 3339 for Atom), its HTML escaped once as the formats want it,
 * its local media as enclosures and its hashtags as categories.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "ap/urls.h"
#include "api/entity.h"
#include "db/db.h"
#include "http/request.h"
#include "meent.h"
#include "util/mem.h"
#include "util/str.h"
#include "web/profile_internal.h"
#include "web/view.h"
#include "web/web.h"

#define FEED_TITLE_MAX	80	/* bytes of an item title made from the text */

/*
 * XML 1.0 allows no C0 control characters but tab, newline and return,
 * even escaped (§2.2). The texts we keep (display names, content warnings)
 * are checked on the way in, but a remote one need not be: blank them.
 */
static void
feed_clean(json_t *obj, const char *key)
{
	const char	*s = json_string_value(json_object_get(obj, key));
	char		*t;

	if (s == NULL || strcspn(s, "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
	    "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f") == strlen(s))
		return;
	t = xstrdup(s);
	for (char *p = t; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			*p = ' ';
	json_object_set_new(obj, key, json_string(t));
	free(t);
}

/*
 * An entity's time ("2026-11-23T12:20:16.000Z") as RFC 822 (RSS 2.0's
 * pubDate: "Mon, 23 Nov 2026 12:20:16 +0000"), spelled in English
 * whatever the reader's language, as the format wants. NULL when it is
 * not such a time.
 */
static json_t *
feed_rfc822(const char *iso)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm	 tm;
	time_t		 t;

	memset(&tm, 0, sizeof(tm));
	if (iso == NULL || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6 ||
	    tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_year < 1970)
		return NULL;
	tm.tm_year -= 1900;
	tm.tm_mon--;
	if ((t = timegm(&tm)) == (time_t)-1 || gmtime_r(&t, &tm) == NULL)
		return NULL;
	return json_sprintf("%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
	    tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The local attachments of statuses: attachment id -> [content type, bytes]. */
static json_t *
feed_media(struct http_req *req, json_t *statuses)
{
	struct buf	 ids;
	json_t		*st, *out = json_object();
	PGresult	*res;
	size_t		 i;

	buf_init(&ids, 0);
	buf_puts(&ids, "{");
	json_array_foreach(statuses, i, st)
		if (json_array_size(json_object_get(st, "media_attachments")) > 0)
			buf_printf(&ids, "%s%s", ids.len > 1 ? "," : "",
			    json_string_value(json_object_get(st, "id")));
	buf_puts(&ids, "}");
	if (ids.len > 2 && (res = DB_EXEC(req->req_db, STMT_WEB_FEED_MEDIA, ids.data)) != NULL) {
		for (int r = 0; r < PQntuples(res); r++)
			json_object_set_new(out, PQgetvalue(res, r, 0), json_pack("[s,s]",
			    PQgetvalue(res, r, 1), PQgetvalue(res, r, 2)));
		PQclear(res);
	}
	buf_cleanup(&ids);
	return out;
}

/* What an item needs beyond the status's page values. */
static void
feed_item(json_t *st, json_t *media)
{
	const char	*spoiler = json_string_value(json_object_get(st, "spoiler_text"));
	const char	*edited = json_string_value(json_object_get(st, "edited_at"));
	json_t		*m, *file, *tag, *tags = json_array(), *enclosures = json_array();
	size_t		 i;

	/* A content warning is the title, so a reader's list does not show
	 * what the author hid behind it. */
	json_object_set_new(st, "item_title", spoiler != NULL && *spoiler != '\0' ?
	    json_string(spoiler) : web_profile_plain(json_string_value(
	    json_object_get(st, "content")), FEED_TITLE_MAX));
	feed_clean(st, "item_title");
	feed_clean(st, "spoiler_text");
	/* Mastodon's url may be null for a remote post; its id is a link too. */
	if (!json_is_string(json_object_get(st, "url")))
		json_object_set(st, "url", json_object_get(st, "uri"));
	feed_clean(json_object_get(st, "account"), "display");
	json_object_set_new(st, "pub_date", feed_rfc822(json_string_value(
	    json_object_get(st, "created_at"))));
	json_object_set(st, "updated", json_object_get(st, edited != NULL ?
	    "edited_at" : "created_at"));
	json_array_foreach(json_object_get(st, "media_attachments"), i, m) {
		const char	*type = json_string_value(json_object_get(m, "type"));

		file = json_object_get(media, json_string_value(json_object_get(m, "id")));
		if (!json_is_string(json_object_get(m, "src")) || file == NULL)
			continue;
		feed_clean(m, "alt");
		json_array_append_new(enclosures, json_pack("{s:O,s:O,s:O,s:s,s:O}",
		    "url", json_object_get(m, "src"), "type", json_array_get(file, 0),
		    "length", json_array_get(file, 1), "medium",
		    type != NULL && strcmp(type, "gifv") != 0 ? type : "image",
		    "alt", json_object_get(m, "alt")));
	}
	/* RSS 2.0 has room for one enclosure; media:content lists them all. */
	if (json_array_size(enclosures) > 0)
		json_object_set(st, "enclosure", json_array_get(enclosures, 0));
	json_object_set_new(st, "enclosures", enclosures);
	json_array_foreach(json_object_get(st, "tags"), i, tag)
		json_array_append(tags, json_object_get(tag, "name"));
	json_object_set_new(st, "categories", tags);
}

/* Renders the feed kind of statuses with the channel values in ctx. */
static void
feed_reply(struct http_req *req, const char *locale, json_t *ctx, json_t *statuses,
    const char *kind)
{
	json_t		*media = feed_media(req, statuses), *st;
	const char	*newest = NULL;
	char		 now[32];
	time_t		 t = time(NULL);
	struct tm	 tm;
	size_t		 i;

	json_array_foreach(statuses, i, st)
		feed_item(st, media);
	json_decref(media);
	json_object_set(ctx, "items", statuses);
	st = json_array_get(statuses, 0);
	newest = json_string_value(json_object_get(st, "updated"));
	/* Atom wants a time even for an empty feed. */
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(ctx, "updated", json_string(newest != NULL ? newest : now));
	if (st != NULL)
		json_object_set_new(ctx, "build_date", feed_rfc822(json_string_value(
		    json_object_get(st, "created_at"))));
	feed_clean(ctx, "title");
	feed_clean(ctx, "description");
	if (strcmp(kind, "rss") == 0)
		web_reply_document(req, "feed_rss", locale, ctx,
		    "application/rss+xml; charset=utf-8");
	else
		web_reply_document(req, "feed_atom", locale, ctx,
		    "application/atom+xml; charset=utf-8");
}

void
web_feed_account(struct http_req *req, const char *locale, const struct web_profile_acct *a,
    const char *kind)
{
	json_t		*account = NULL, *ctx = NULL, *statuses = NULL;
	PGresult	*res = NULL;
	char		 base[300], href[700];

	if (api_account_render(req, strtoll(a->id, NULL, 10), &account) == -1 ||
	    (res = DB_EXEC(req->req_db, STMT_WEB_PROFILE_FEED, a->id, "20")) == NULL ||
	    (statuses = web_profile_statuses(req, locale, res)) == NULL) {
		web_reply_public_message(req, 503, locale, "error.database", NULL);
		goto out;
	}
	if (account == NULL) {
		web_reply_public_message(req, 404, locale, "error.not_found", NULL);
		goto out;
	}
	web_account_view(account, req, locale);
	ap_url_base(&req->req_meent->cfg, base, sizeof(base));
	ctx = json_pack("{s:O,s:s,s:s}", "title", json_object_get(account, "display"),
	    "link", a->url, "feed_id", a->uri);
	json_object_set_new(ctx, "description",
	    web_text(req, locale, "profile.feed_description", account));
	json_object_set_new(ctx, "author", json_incref(json_object_get(ctx, "title")));
	snprintf(href, sizeof(href), "%s/@%s.%s", base, a->username, kind);
	json_object_set_new(ctx, "self", json_string(href));
	json_object_set_new(ctx, "image", web_profile_image_url(req,
	    json_string_value(json_object_get(account, "avatar_src"))));
	feed_reply(req, locale, ctx, statuses, kind);
out:
	PQclear(res);
	json_decref(statuses);
	json_decref(account);
	json_decref(ctx);
}

void
web_feed_tag(struct http_req *req, const char *locale, const char *tag_id,
    const char *name, const char *kind)
{
	json_t		*ctx, *statuses = NULL;
	PGresult	*res = NULL;
	char		 base[300], href[WEB_PROFILE_TAG_MAX + 400], ids[40];

	ctx = json_pack("{s:s}", "tag", name);
	if (tag_id != NULL) {
		snprintf(ids, sizeof(ids), "{%s}", tag_id);
		/* The API's hashtag timeline for an anonymous reader. */
		res = DB_EXEC(req->req_db, STMT_API_TL_TAG_DESC, ids, "{}", "{}", NULL, NULL,
		    "false", "false", "false", NULL, "20");
		if (res == NULL || (statuses = web_profile_statuses(req, locale, res)) == NULL) {
			web_reply_public_message(req, 503, locale, "error.database", NULL);
			goto out;
		}
	} else
		statuses = json_array();
	ap_url_base(&req->req_meent->cfg, base, sizeof(base));
	json_object_set_new(ctx, "title", web_text(req, locale, "profile.tag_title", ctx));
	json_object_set_new(ctx, "description", web_text(req, locale, "profile.tag_feed_description",
	    ctx));
	json_object_set_new(ctx, "author", json_string(req->req_meent->cfg.instance_name));
	snprintf(href, sizeof(href), "%s/tags/%s", base, name);
	json_object_set_new(ctx, "link", json_string(href));
	json_object_set_new(ctx, "feed_id", json_string(href));
	snprintf(href, sizeof(href), "%s/tags/%s.%s", base, name, kind);
	json_object_set_new(ctx, "self", json_string(href));
	feed_reply(req, locale, ctx, statuses, kind);
out:
	PQclear(res);
	json_decref(statuses);
	json_decref(ctx);
}
