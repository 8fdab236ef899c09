/*
 * The head of a post's page: the title, the alternates (the Note for
 * ActivityPub clients, oEmbed for sites that embed links) and the
 * preview tags other sites read when someone links to the post
 * (OpenGraph, ogp.me; Twitter cards), as Mastodon's statuses/show page
 * and its StatusesHelper#status_description write them. A content
 * warning is shown instead of the text in all of them, and the images
 * of a sensitive post are left out (the author's avatar stands in), so a
 * preview never shows what the author put behind a warning. See
 * post_internal.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <jansson.h>

#include "ap/urls.h"
#include "http/request.h"
#include "meent.h"
#include "util/str.h"
#include "web/post_internal.h"
#include "web/profile_internal.h"
#include "web/template.h"
#include "web/web.h"

#define POST_QUOTE_MAX		50	/* bytes of the title's quote, as Mastodon's truncate */
#define POST_DESCRIPTION_MAX	300	/* bytes of the text in og:description */

static const char *
head_str(const json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

json_t *
web_post_summary(const json_t *status, size_t max)
{
	const char	*cw = head_str(status, "spoiler_text");
	struct buf	 b;
	json_t		*s;

	if (*cw == '\0')
		return web_profile_plain(head_str(status, "content"), max);
	/* The warning is plain text: as HTML it comes back unchanged. */
	buf_init(&b, 4 * strlen(cw) + 16);
	if (tpl_escape(&b, cw, strlen(cw)) == -1 || b.data == NULL)
		s = json_string("");
	else
		s = web_profile_plain(b.data, max);
	buf_cleanup(&b);
	return s;
}

/* The first image of status anyone may see in a preview, or NULL. */
static const json_t *
head_image(const json_t *status)
{
	const json_t	*m;
	size_t		 i;

	if (json_is_true(json_object_get(status, "sensitive")) ||
	    *head_str(status, "spoiler_text") != '\0')
		return NULL;
	json_array_foreach(json_object_get(status, "media_attachments"), i, m)
		if (json_is_true(json_object_get(m, "is_image")) &&
		    json_is_string(json_object_get(m, "src")))
			return m;
	return NULL;
}

/*
 * Mastodon's og:description: what is attached and the content warning,
 * then the text when there is no warning.
 */
static json_t *
head_description(struct http_req *req, const char *locale, json_t *status)
{
	static const char *const kinds[] = { "image", "video", "audio" };
	json_t		*m, *vars = json_object(), *s;
	struct buf	 b;
	char		 key[48];
	size_t		 i, k, count;

	buf_init(&b, 4096);
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		count = 0;
		json_array_foreach(json_object_get(status, "media_attachments"), i, m)
			count += strcmp(head_str(m, "type"), kinds[k]) == 0 ||
			    (k == 0 && strcmp(head_str(m, "type"), "gifv") == 0);
		if (count == 0)
			continue;
		json_object_set_new(vars, "count", json_integer((json_int_t)count));
		snprintf(key, sizeof(key), "post.media_%s_%s", kinds[k], count == 1 ? "one" : "other");
		s = web_text(req, locale, key, vars);
		buf_printf(&b, "%s%s", b.len > 0 ? ", " : "", json_string_value(s));
		json_decref(s);
	}
	if (b.len > 0) {
		json_object_set_new(vars, "list", json_string(b.data));
		s = web_text(req, locale, "post.attached", vars);
		buf_cleanup(&b);
		buf_puts(&b, json_string_value(s));
		json_decref(s);
	}
	if (*head_str(status, "spoiler_text") != '\0') {
		s = web_text(req, locale, "post.content_warning", status);
		buf_printf(&b, "%s%s", b.len > 0 ? " · " : "", json_string_value(s));
	} else {
		s = web_profile_plain(head_str(status, "content"), POST_DESCRIPTION_MAX);
		buf_printf(&b, "%s%s", b.len > 0 && *json_string_value(s) != '\0' ? "\n\n" : "",
		    json_string_value(s));
	}
	json_decref(s);
	s = json_string(b.data != NULL ? b.data : "");
	buf_cleanup(&b);
	json_decref(vars);
	return s != NULL ? s : json_string("");
}

/* The alternates: the Note, and the oEmbed document of the post's page. */
static void
head_alternates(struct http_req *req, json_t *ctx, const json_t *status)
{
	const char	*url = head_str(status, "url");
	char		 base[300], href[1500], *enc;

	web_profile_alternate(ctx, "application/activity+json", head_str(status, "uri"), NULL);
	if ((enc = evhttp_uriencode(url, -1, 0)) == NULL)
		return;
	ap_url_base(&req->req_meent->cfg, base, sizeof(base));
	/* A URL too long to link is one of no post of ours. */
	if ((size_t)snprintf(href, sizeof(href), "%s/api/oembed?url=%s", base, enc) <
	    sizeof(href))
		web_profile_alternate(ctx, "application/json+oembed", href, NULL);
	free(enc);
}

void
web_post_head(struct http_req *req, const char *locale, json_t *ctx, json_t *status)
{
	json_t		*account = json_object_get(status, "account");
	const json_t	*image = head_image(status);
	json_t		*vars;

	vars = json_pack("{s:O,s:o}", "display", json_object_get(account, "display"),
	    "quote", web_post_summary(status, POST_QUOTE_MAX));
	json_object_set_new(ctx, "title", web_text(req, locale, "post.title", vars));
	json_decref(vars);
	json_object_set_new(ctx, "canonical", json_string(head_str(status, "url")));
	head_alternates(req, ctx, status);

	web_profile_meta(ctx, "property", "og:type", json_string("article"));
	web_profile_meta(ctx, "property", "og:site_name",
	    json_string(req->req_meent->cfg.instance_name));
	web_profile_meta(ctx, "property", "og:title",
	    web_text(req, locale, "post.og_title", account));
	web_profile_meta(ctx, "property", "og:description",
	    head_description(req, locale, status));
	web_profile_meta(ctx, "property", "og:url", json_string(head_str(status, "url")));
	web_profile_meta(ctx, "property", "og:published_time",
	    json_string(head_str(status, "created_at")));
	/* Our own images only (web/view.h): a remote one is never linked. */
	if (image != NULL) {
		web_profile_meta(ctx, "property", "og:image",
		    web_profile_image_url(req, head_str(image, "src")));
		web_profile_meta(ctx, "property", "og:image:alt",
		    json_string(head_str(image, "alt")));
	} else
		web_profile_meta(ctx, "property", "og:image",
		    web_profile_image_url(req, head_str(account, "avatar_src")));
	web_profile_meta(ctx, "name", "twitter:card",
	    json_string(image != NULL ? "summary_large_image" : "summary"));
	/* The account's wish (Mastodon's noindex, from "indexable"). */
	if (json_is_true(json_object_get(account, "noindex")))
		json_object_set_new(ctx, "noindex", json_true());
}
