/*
 * What the profile group's files share (web/profile.c, tag.c, feed.c,
 * remote_follow.c): the account a page is about, pages of posts from the
 * API's Status entities, the pagination cursor and plain text for titles
 * and previews. Private to the group; the routes are in profile_routes.h.
 */
#ifndef MEENT_WEB_PROFILE_INTERNAL_H
#define MEENT_WEB_PROFILE_INTERNAL_H

#include <stddef.h>

#include <jansson.h>

struct http_req;

#define WEB_PROFILE_PAGE	20	/* posts per page, as Mastodon's profile */
#define WEB_PROFILE_TAG_MAX	256	/* bytes of a tag name (tags.name's CHECK) */

/* A local account as its page needs it; the strings are owned (cleanup). */
struct web_profile_acct {
	char		 id[24];
	char		*username;	/* as stored */
	char		*uri;		/* the actor id */
	char		*url;		/* the profile page */
	int		 suspended;
	int		 deleted;
	char		*moved_acct;	/* where it moved to: acct, or NULL */
	char		*moved_url;
};

enum web_profile_found {
	WEB_PROFILE_FOUND,
	WEB_PROFILE_UNKNOWN,	/* no such local account */
	WEB_PROFILE_ERROR,	/* database error: nothing replied yet */
};

/* Looks username up among local accounts into out (always safe to clean up). */
enum web_profile_found web_profile_find(struct http_req *req, const char *username,
	    struct web_profile_acct *out);
void	 web_profile_acct_cleanup(struct web_profile_acct *a);

/*
 * The Status entities of page (a PGresult with TL_PAGE's columns,
 * borrowed), in its order, with the page values of web/view.h: a new
 * array, or NULL on a database error.
 */
json_t	*web_profile_statuses(struct http_req *req, const char *locale, const void *page);

/*
 * The request's max_id: 0 and *max set to NULL when absent, 0 and *max
 * pointing to the value when it is an id, -1 when it is anything else.
 */
int	 web_profile_max_id(const struct http_req *req, const char **max);

/* The ?lang= of the request when it names a language we have, else NULL. */
const char *web_profile_lang(const struct http_req *req);

/*
 * The links between pages into ctx: "next", path?max_id=<last cursor>
 * (keeping ?lang=), when page (TL_PAGE rows, newest first, borrowed) was
 * full, so there may be older posts; "newest", path itself, when this is
 * not the first page (max is the request's max_id, or NULL).
 */
void	 web_profile_pager(const struct http_req *req, json_t *ctx, const char *path,
	    const void *page, int limit, const char *max);

/*
 * The RSS and Atom alternates of a page whose feeds are url.rss and
 * url.atom, titled by the messages "<title_key>_rss" and "_atom" rendered
 * with vars (borrowed), into ctx's "alternates", "rss_url" and "atom_url".
 */
void	 web_profile_feed_links(struct http_req *req, const char *locale, json_t *ctx,
	    const char *url, const char *title_key, json_t *vars);

/*
 * html (may be NULL) as plain text on one line, cut at a word boundary
 * to about max bytes with an ellipsis: a new JSON string (never NULL).
 */
json_t	*web_profile_plain(const char *html, size_t max);

/*
 * Adds {type, href, title} to the array under "alternates" in ctx
 * (creating it); title is a new reference (taken) or NULL.
 */
void	 web_profile_alternate(json_t *ctx, const char *type, const char *href,
	    json_t *title);

/*
 * An image address of web/view.h ("avatar_src": ours, absolute, or a
 * default image's path) as an absolute URL, for feeds and preview tags:
 * a new JSON string ("" for NULL).
 */
json_t	*web_profile_image_url(const struct http_req *req, const char *src);

/* Adds {property or name: key, content: value} to "meta" in ctx; value taken. */
void	 web_profile_meta(json_t *ctx, const char *attr, const char *key, json_t *value);

/*
 * Strips ".rss" or ".atom" from name (a route parameter) into out
 * (outsz bytes): returns "rss", "atom", or NULL (out is then name as it
 * is). A name too long for out comes back cut, which no lookup finds.
 */
const char *web_profile_feed_suffix(const char *name, char *out, size_t outsz);

/* Renders the profile page of a (found, neither suspended nor deleted).
 * error is a message key for the remote-follow form, or NULL; acct what
 * the reader typed (may be NULL). status: 200, or 422 with an error. */
void	 web_profile_page(struct http_req *req, const char *locale,
	    const struct web_profile_acct *a, int status, const char *error,
	    const char *acct);

/* The feeds (web/feed.c): kind is "rss" or "atom". */
void	 web_feed_account(struct http_req *req, const char *locale,
	    const struct web_profile_acct *a, const char *kind);
void	 web_feed_tag(struct http_req *req, const char *locale, const char *tag_id,
	    const char *name, const char *kind);

#endif
