/*
 * GET /api/oembed?url=...[&maxwidth=&maxheight=]: the oEmbed document
 * (oembed.com) of one of our public or unlisted posts, with the fields
 * Mastodon's Api::OEmbedController and OEmbedSerializer answer (type
 * "rich", version "1.0", title, author_name, author_url, provider_name,
 * provider_url, cache_age, html, width, height; docs.joinmastodon.org/
 * methods/oembed). Unknown, foreign and non-public addresses are 404
 * {"error": "Record not found"}, as Mastodon's.
 *
 * Mastodon's html is an iframe of the post's /embed page plus its
 * embed.js. Our pages run no script and may not be framed anywhere
 * (X-Frame-Options DENY, CSP frame-ancestors 'none', web/web.c), so an
 * iframe would show nothing and a script would be one more thing to trust;
 * the html here is a blockquote with the text (or its content warning),
 * the author and a link to the post, which any site can show as it is and
 * style as it likes: nothing in it loads from this server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/api.h"
#include "api/entity.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "ap/urls.h"
#include "util/str.h"
#include "web/oembed_url.h"
#include "web/post_internal.h"
#include "web/post_routes.h"
#include "web/template.h"
#include "web/view.h"
#include "web/web.h"

#define OEMBED_WIDTH		400	/* Mastodon's maxwidth_or_default */
#define OEMBED_SIZE_MAX		10000	/* pixels we take for maxwidth, maxheight */
#define OEMBED_CACHE_AGE	86400	/* seconds, as Mastodon's */
#define OEMBED_TEXT_MAX		500	/* bytes of the quoted text */

static const char *
oembed_str(const json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/* A size parameter: a number of pixels, or NULL (JSON null) when absent or not one. */
static json_t *
oembed_size(const struct http_req *req, const char *name, int dflt)
{
	const char	*v = http_req_query(req, name);
	long long	 n;

	if (v != NULL && strspn(v, "0123456789") == strlen(v) &&
	    str_to_ll(v, 1, OEMBED_SIZE_MAX, &n) == 0)
		return json_integer(n);
	return dflt > 0 ? json_integer(dflt) : json_null();
}

/* Appends s escaped, as HTML text or attribute value. */
static void
oembed_put(struct buf *b, const char *s)
{
	tpl_escape(b, s, strlen(s));
}

/* The embed: see above. status has the page values of web/view.h. */
static json_t *
oembed_html(struct http_req *req, const char *locale, json_t *status)
{
	json_t		*account = json_object_get(status, "account");
	json_t		*text = web_post_summary(status, OEMBED_TEXT_MAX), *s, *out;
	const char	*url = oembed_str(status, "url");
	struct buf	 b;

	buf_init(&b, 16384);
	buf_puts(&b, "<blockquote class=\"meent-embed\" cite=\"");
	oembed_put(&b, url);
	buf_puts(&b, "\"");
	if (*oembed_str(status, "language") != '\0') {
		buf_puts(&b, " lang=\"");
		oembed_put(&b, oembed_str(status, "language"));
		buf_puts(&b, "\"");
	}
	buf_puts(&b, "><p>");
	/* Behind a warning the text stays on the post's page. */
	if (*oembed_str(status, "spoiler_text") != '\0') {
		s = web_text(req, locale, "post.content_warning", status);
		oembed_put(&b, json_string_value(s));
		json_decref(s);
	} else
		oembed_put(&b, json_string_value(text));
	buf_puts(&b, "</p><p>&#8212; ");
	oembed_put(&b, oembed_str(account, "display"));
	buf_puts(&b, " (");
	oembed_put(&b, oembed_str(account, "handle"));
	buf_puts(&b, ") <a href=\"");
	oembed_put(&b, url);
	buf_puts(&b, "\">");
	oembed_put(&b, oembed_str(status, "created_human"));
	buf_puts(&b, "</a></p></blockquote>");
	out = json_string(b.data != NULL ? b.data : "");
	buf_cleanup(&b);
	json_decref(text);
	return out;
}

static void
oembed_reply(struct http_req *req, const char *locale, const struct web_post *p)
{
	json_t		*status = NULL, *account, *doc;
	char		 base[300], root[310], title[400];

	if (api_status_render(req, 0, p->id, &status) == -1) {
		http_reply_db_error(req);
		return;
	}
	if (status == NULL) {
		api_reply_not_found(req);
		return;
	}
	web_status_view(status, req, locale);
	account = json_object_get(status, "account");
	snprintf(root, sizeof(root), "%s/", ap_url_base(&req->req_meent->cfg, base,
	    sizeof(base)));
	/* Mastodon's Status#title. */
	snprintf(title, sizeof(title), "New status by %s", oembed_str(account, "acct"));
	doc = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:o,s:o,s:o}",
	    "type", "rich", "version", "1.0", "title", title,
	    "author_name", oembed_str(account, "display"),
	    "author_url", oembed_str(account, "url"),
	    "provider_name", req->req_meent->cfg.domain,
	    "provider_url", root,
	    "cache_age", OEMBED_CACHE_AGE,
	    "html", oembed_html(req, locale, status),
	    "width", oembed_size(req, "maxwidth", OEMBED_WIDTH),
	    "height", oembed_size(req, "maxheight", 0));
	json_decref(status);
	http_reply_json(req, 200, doc);
}

void
web_oembed_get(struct http_req *req)
{
	const char	*locale = web_locale(req, http_req_query(req, "lang"));
	char		 user[WEB_OEMBED_USER_MAX], id[WEB_OEMBED_ID_MAX];
	struct web_post	 p;

	if (web_oembed_url_parse(http_req_query(req, "url"), req->req_meent->cfg.domain,
	    user, sizeof(user), id, sizeof(id)) == -1) {
		api_reply_not_found(req);
		return;
	}
	/* Only what the post's page shows: a boost, a private post, a gone
	 * one or account have no oEmbed (Mastodon: not_found if hidden?). */
	switch (web_post_find(req, user, id, &p)) {
	case WEB_POST_ERROR:
		http_reply_db_error(req);
		break;
	case WEB_POST_SHOWN:
		oembed_reply(req, locale, &p);
		break;
	default:
		api_reply_not_found(req);
		break;
	}
	web_post_cleanup(&p);
}
