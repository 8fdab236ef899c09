/*
 * Pages of posts for the profile and tag pages and their feeds: the
 * API's Status entities from its cache (api/status_cache.h), the max_id
 * cursor, and the values a page's head carries (alternates, preview
 * tags, plain text). See profile_internal.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "ap/sanitize.h"
#include "ap/urls.h"
#include "api/status_cache.h"
#include "http/request.h"
#include "meent.h"
#include "util/str.h"
#include "web/profile_internal.h"
#include "web/view.h"
#include "web/web.h"

json_t *
web_profile_statuses(struct http_req *req, const char *locale, const void *page)
{
	const char	*text;
	size_t		 len, i;
	json_t		*arr, *st;

	if ((text = api_status_page_render(req, page, 0, &len)) == NULL)
		return NULL;
	if ((arr = json_loadb(text, len, 0, NULL)) == NULL || !json_is_array(arr)) {
		json_decref(arr);
		return NULL;
	}
	json_array_foreach(arr, i, st) {
		json_t	*reblog = json_object_get(st, "reblog");

		web_status_view(st, req, locale);
		/* A boost shows the boosted post, which names who boosted it
		 * (web/templates/_profile_posts.html). */
		if (json_is_object(reblog))
			json_object_set(reblog, "boosted_by",
			    json_object_get(json_object_get(st, "account"), "display"));
	}
	return arr;
}

int
web_profile_max_id(const struct http_req *req, const char **max)
{
	const char	*v = http_req_query(req, "max_id");
	long long	 id;

	*max = NULL;
	if (v == NULL || *v == '\0')
		return 0;
	/* Only digits: str_to_ll alone would take a sign or spaces. */
	if (strspn(v, "0123456789") != strlen(v) ||
	    str_to_ll(v, 1, 9223372036854775807LL, &id) == -1)
		return -1;
	*max = v;
	return 0;
}

const char *
web_profile_lang(const struct http_req *req)
{
	const char	*lang = http_req_query(req, "lang");

	/* Only a language we have, as the switch offers it. */
	return lang != NULL && strcmp(web_locale(req, lang), lang) == 0 ? lang : NULL;
}

void
web_profile_pager(const struct http_req *req, json_t *ctx, const char *path,
    const void *page, int limit, const char *max)
{
	const PGresult	*res = page;
	const char	*lang = web_profile_lang(req);
	int		 n = PQntuples(res);
	char		 href[1200];

	/* The cursor of the last row, even one that no longer renders, so
	 * the next page starts where this one's query ended. */
	if (n >= limit && n > 0) {
		snprintf(href, sizeof(href), "%s?max_id=%s%s%s", path,
		    PQgetvalue(res, n - 1, API_STATUS_PAGE_CURSOR),
		    lang != NULL ? "&lang=" : "", lang != NULL ? lang : "");
		json_object_set_new(ctx, "next", json_string(href));
	}
	if (max != NULL) {
		snprintf(href, sizeof(href), "%s%s%s", path, lang != NULL ? "?lang=" : "",
		    lang != NULL ? lang : "");
		json_object_set_new(ctx, "newest", json_string(href));
	}
}

void
web_profile_feed_links(struct http_req *req, const char *locale, json_t *ctx,
    const char *url, const char *title_key, json_t *vars)
{
	static const char *const kinds[][2] = {
		{ "rss", "application/rss+xml" }, { "atom", "application/atom+xml" } };
	char	 href[1200], key[120];

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		snprintf(href, sizeof(href), "%s.%s", url, kinds[i][0]);
		snprintf(key, sizeof(key), "%s_%s", title_key, kinds[i][0]);
		web_profile_alternate(ctx, kinds[i][1], href, web_text(req, locale, key, vars));
		snprintf(key, sizeof(key), "%s_url", kinds[i][0]);
		json_object_set_new(ctx, key, json_string(href));
	}
}

json_t *
web_profile_plain(const char *html, size_t max)
{
	char	*text = ap_html_to_text(html != NULL ? html : "", html != NULL ? strlen(html) : 0);
	size_t	 len, cut;
	json_t	*s;

	if (text == NULL)
		return json_string("");
	for (char *p = text; *p != '\0'; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	len = strlen(text);
	if (len > max) {
		/* Back to a space, or at least to the start of a character. */
		for (cut = max; cut > max / 2 && text[cut] != ' '; cut--)
			;
		if (text[cut] != ' ')
			for (cut = max; cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80; cut--)
				;
		text[cut] = '\0';
		s = json_sprintf("%s…", str_trim(text));
	} else
		s = json_string(str_trim(text));
	free(text);
	return s != NULL ? s : json_string("");
}

void
web_profile_alternate(json_t *ctx, const char *type, const char *href, json_t *title)
{
	json_t	*arr = json_object_get(ctx, "alternates"), *o;

	if (!json_is_array(arr)) {
		arr = json_array();
		json_object_set_new(ctx, "alternates", arr);
	}
	/* An empty title, not none: _head.html would find the page's. */
	o = json_pack("{s:s,s:s,s:o}", "type", type, "href", href, "title",
	    title != NULL ? title : json_string(""));
	json_array_append_new(arr, o);
}

json_t *
web_profile_image_url(const struct http_req *req, const char *src)
{
	char	 base[300];

	if (src == NULL)
		return json_string("");
	if (*src != '/')
		return json_string(src);
	ap_url_base(&req->req_meent->cfg, base, sizeof(base));
	return json_sprintf("%s%s", base, src);
}

void
web_profile_meta(json_t *ctx, const char *attr, const char *key, json_t *value)
{
	json_t	*arr = json_object_get(ctx, "meta");

	if (!json_is_array(arr)) {
		arr = json_array();
		json_object_set_new(ctx, "meta", arr);
	}
	json_array_append_new(arr, json_pack("{s:s,s:o}", attr, key, "content",
	    value != NULL ? value : json_string("")));
}

const char *
web_profile_feed_suffix(const char *name, char *out, size_t outsz)
{
	static const char *const kinds[] = { "rss", "atom" };
	size_t	 n = strlen(name);

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t	 k = strlen(kinds[i]);

		if (n > k + 1 && name[n - k - 1] == '.' && strcmp(name + n - k, kinds[i]) == 0) {
			snprintf(out, outsz, "%.*s", (int)(n - k - 1), name);
			return kinds[i];
		}
	}
	snprintf(out, outsz, "%s", name);
	return NULL;
}
