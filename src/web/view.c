/*
 * The page values of the API's entities: see view.h.
 */
#include <stdio.h>
#include <string.h>

#include "http/request.h"
#include "meent.h"
#include "web/view.h"
#include "web/web.h"

/* The default images meentd serves (api/instance_images.h). */
#define VIEW_MISSING_AVATAR	"/avatars/original/missing.png"
#define VIEW_MISSING_HEADER	"/headers/original/missing.png"

static const char *
view_str(const json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/* Whether url is on this instance: its images may be shown as they are. */
static int
view_is_ours(const struct http_req *req, const char *url)
{
	const char	*domain = req->req_meent->cfg.domain;
	size_t		 dlen = strlen(domain);

	if (strncmp(url, "https://", 8) == 0)
		url += 8;
	else if (strncmp(url, "http://", 7) == 0)
		url += 7;
	else
		return 0;
	return strncmp(url, domain, dlen) == 0 && (url[dlen] == '/' || url[dlen] == ':');
}

json_t *
web_date(const struct http_req *req, const char *locale, const char *iso)
{
	int	 y, mo, d, h, mi;
	char	 key[16], year[8], day[4], time[8];
	json_t	*ctx, *s;

	if (iso == NULL)
		return json_string("");
	if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5 ||
	    mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || y < 0)
		return json_string(iso);
	snprintf(key, sizeof(key), "month.%d", mo);
	snprintf(year, sizeof(year), "%d", y);
	snprintf(day, sizeof(day), "%d", d);
	snprintf(time, sizeof(time), "%02d:%02d", h, mi);
	ctx = json_pack("{s:s,s:s,s:s}", "year", year, "day", day, "time", time);
	json_object_set_new(ctx, "month", web_text(req, locale, key, NULL));
	s = web_text(req, locale, "date.format", ctx);
	json_decref(ctx);
	return s;
}

void
web_account_view(json_t *account, const struct http_req *req, const char *locale)
{
	const char	*acct = view_str(account, "acct");
	const char	*name = view_str(account, "display_name");
	const char	*avatar = view_str(account, "avatar");
	const char	*header = view_str(account, "header");
	int		 local = strchr(acct, '@') == NULL;
	char		 handle[600];
	json_t		*f;
	size_t		 i;

	(void)locale;
	if (!json_is_object(account))
		return;
	if (local)
		snprintf(handle, sizeof(handle), "@%s@%s", acct, req->req_meent->cfg.domain);
	else
		snprintf(handle, sizeof(handle), "@%s", acct);
	json_object_set_new(account, "handle", json_string(handle));
	json_object_set_new(account, "local", json_boolean(local));
	json_object_set_new(account, "display", json_string(*name != '\0' ? name :
	    view_str(account, "username")));
	json_object_set_new(account, "note_html", json_string(view_str(account, "note")));
	json_object_set_new(account, "avatar_src", json_string(
	    view_is_ours(req, avatar) ? avatar : VIEW_MISSING_AVATAR));
	json_object_set_new(account, "header_src", json_string(
	    view_is_ours(req, header) ? header : VIEW_MISSING_HEADER));
	json_array_foreach(json_object_get(account, "fields"), i, f) {
		json_object_set_new(f, "value_html", json_string(view_str(f, "value")));
		json_object_set_new(f, "verified",
		    json_boolean(json_is_string(json_object_get(f, "verified_at"))));
	}
}

/* A poll's options with their share of the votes, in whole percent. */
static void
view_poll(json_t *poll)
{
	json_t		*o;
	json_int_t	 total = json_integer_value(json_object_get(poll, "votes_count"));
	size_t		 i;

	json_array_foreach(json_object_get(poll, "options"), i, o) {
		json_int_t v = json_integer_value(json_object_get(o, "votes_count"));

		json_object_set_new(o, "percent",
		    json_integer(total > 0 ? (v * 100 + total / 2) / total : 0));
	}
}

void
web_status_view(json_t *status, const struct http_req *req, const char *locale)
{
	json_t		*m, *reblog = json_object_get(status, "reblog"), *edited;
	const char	*url;
	size_t		 i;

	if (!json_is_object(status))
		return;
	web_account_view(json_object_get(status, "account"), req, locale);
	if (json_is_object(reblog))
		web_status_view(reblog, req, locale);
	json_object_set_new(status, "content_html", json_string(view_str(status, "content")));
	url = view_str(status, "uri");
	json_object_set_new(status, "local", json_boolean(view_is_ours(req, url)));
	json_object_set_new(status, "created_human",
	    web_date(req, locale, view_str(status, "created_at")));
	edited = json_object_get(status, "edited_at");
	if (json_is_string(edited))
		json_object_set_new(status, "edited_human",
		    web_date(req, locale, json_string_value(edited)));
	json_array_foreach(json_object_get(status, "media_attachments"), i, m) {
		const char	*src = view_str(m, "url");
		const char	*preview = view_str(m, "preview_url");

		const char	*type = view_str(m, "type");

		json_object_set_new(m, "alt", json_string(view_str(m, "description")));
		json_object_set_new(m, "is_image", json_boolean(strcmp(type, "image") == 0 ||
		    strcmp(type, "gifv") == 0));
		json_object_set_new(m, "is_video", json_boolean(strcmp(type, "video") == 0));
		json_object_set_new(m, "is_audio", json_boolean(strcmp(type, "audio") == 0));
		if (view_is_ours(req, src)) {
			json_object_set_new(m, "src", json_string(src));
			json_object_set_new(m, "preview_src",
			    json_string(view_is_ours(req, preview) ? preview : src));
		}
	}
	if (json_is_object(json_object_get(status, "poll")))
		view_poll(json_object_get(status, "poll"));
}
