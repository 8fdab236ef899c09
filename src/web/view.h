/*
 * What the page templates show of Mastodon's entities. A public page
 * renders the same Account and Status entities the API returns
 * (api/entity.h, for an anonymous reader), so a post looks the same
 * through an app and on its page; these functions add what a page needs
 * besides, in place:
 *
 *   Account: "handle" (@user@domain, also for local accounts), "local",
 *     "display" (display name, or the username when it is empty),
 *     "note_html", "avatar_src" and "header_src" (images this server
 *     serves: a remote account's own images are not shown, so that a
 *     reader's browser never asks another server for anything), and for
 *     each field "value_html" and "verified".
 *   Status: "content_html", "local", "created_human", "edited_human",
 *     the account as above (and the reblogged status as a status), each
 *     media attachment's "alt", "is_image", "is_video", "is_audio" and,
 *     for local files, "src" and "preview_src", and a poll's options' "percent".
 *
 * The _html values are HTML we built (local posts and bios, api/text.h)
 * or sanitised on arrival (remote ones, ap/sanitize.h); templates write
 * them with {{&..._html}} (web/template.h).
 */
#ifndef MEENT_WEB_VIEW_H
#define MEENT_WEB_VIEW_H

#include <jansson.h>

struct http_req;

/* Adds the page values to an Account entity (borrowed, changed in place). */
void	 web_account_view(json_t *account, const struct http_req *req, const char *locale);

/* Adds the page values to a Status entity (borrowed, changed in place). */
void	 web_status_view(json_t *status, const struct http_req *req, const char *locale);

/*
 * An ISO 8601 time as the entities give it ("2026-11-23T12:20:16.000Z")
 * written for a reader of locale ("23 November 2026, 12:20 UTC"), as a
 * new JSON string; the text itself when it is not such a time.
 */
json_t	*web_date(const struct http_req *req, const char *locale, const char *iso);

#endif
