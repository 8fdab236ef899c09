/*
 * The server-rendered pages (sign-in and consent today, the public web
 * later): templates, message catalogues and the stylesheet, read once per
 * process from the web directory, and replies that render a page in the
 * reader's language with the headers every page carries (a strict
 * Content-Security-Policy, no framing, no caching, no referrer).
 *
 * The web directory (the web_dir key, $(pkgdatadir)/web by default) holds
 * templates/<name>.html (and <name>.xml for feeds); locales/<code>.txt with the shared words and
 * locales/<code>/<page>.txt with each page's; static/meent.css followed by
 * static/css/<page>.css, served as the one stylesheet.
 */
#ifndef MEENT_WEB_WEB_H
#define MEENT_WEB_WEB_H

#include <stddef.h>

#include <jansson.h>

struct buf;
struct http_req;

#define WEB_MAX_PAGE	(512 * 1024)	/* bytes of one rendered page */

/*
 * The language to show req in: lang (a "lang" parameter, may be NULL)
 * when we have it, else the best match of Accept-Language, else "en".
 * Returns a static code ("en", "nl").
 */
const char	*web_locale(const struct http_req *req, const char *lang);

/*
 * Renders the template name with ctx (borrowed; web_reply_page adds
 * "lang", "title" from the message "<name>.title", "instance", "domain"
 * and "css_url") in locale and replies with status as text/html, private to the reader
 * (Cache-Control: private, no-store; robots kept out).
 * form_action is the CSP form-action source list: NULL for 'self'; the
 * consent page adds the app's redirect target; "" leaves the directive
 * out (browsers check form-action on the redirect after a post too). On a rendering failure
 * (templates missing, page too large) it answers 500 instead.
 */
void		 web_reply_page(struct http_req *req, int status, const char *name,
		    const char *locale, json_t *ctx, const char *form_action);

/*
 * A public page (front page, profile, post, tag): rendered as
 * web_reply_page renders, for anyone and any cache: ctx must hold nothing
 * private, no cookie is read or set, and a 200 carries Cache-Control
 * "public, max-age=60" and an ETag of the body (If-None-Match gets 304).
 * ctx may set "noindex" (the account asked search engines to stay away),
 * "canonical", "alternates" ([{type, href, title}]) and "meta"
 * ([{property, content}] for OpenGraph, [{name, content}]).
 * Every page also gets "lang_links" (the switch to other languages) and,
 * when the reader chose a language with ?lang=, "lang_qs" ("lang=nl") to
 * carry on the page's links.
 */
void		 web_reply_public(struct http_req *req, int status, const char *name,
		    const char *locale, json_t *ctx, const char *form_action);

/*
 * A page with a heading and a paragraph: the messages "<key>.title" and
 * "<key>.text" rendered with ctx (may be NULL), for errors and notices.
 */
void		 web_reply_message(struct http_req *req, int status, const char *locale,
		    const char *key, json_t *ctx);

/*
 * The message key in locale rendered as plain text (not HTML) with ctx
 * (may be NULL), as a new JSON string to put into a context; the key
 * itself when there is no such message. req only finds the assets.
 */
json_t		*web_text(const struct http_req *req, const char *locale, const char *key,
		    json_t *ctx);

/*
 * Replies with the page for req's URI in locale when this process
 * rendered it less than page_cache_ms ago (web/page_cache.h), and returns
 * 1; else 0, and the handler renders it (web_reply_public keeps it).
 * Handlers of public pages call it once they know the reader wants the
 * page (not the ActivityPub JSON) and in which language.
 */
int		 web_reply_cached(struct http_req *req, const char *locale);

/*
 * A public document that is not a page (an RSS or Atom feed, from a
 * template templates/<name>.xml): rendered with ctx as a public page is,
 * cached and with an ETag as one, as content_type.
 */
void		 web_reply_document(struct http_req *req, const char *name,
		    const char *locale, json_t *ctx, const char *content_type);

/* The same as a public page: for "not found" and "gone" on public URLs. */
void		 web_reply_public_message(struct http_req *req, int status,
		    const char *locale, const char *key, json_t *ctx);

/* GET /static/meent.css: the stylesheet, cached for a year (its URL is versioned). */
void		 web_static_css(struct http_req *req);

#endif
