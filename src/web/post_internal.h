/*
 * What the post group's files share (web/post.c, post_head.c,
 * post_history.c, oembed.c): finding a local account's status by the
 * username and id of its address, and deciding what anyone may be told
 * of it. Private to the group; the routes are in post_routes.h.
 */
#ifndef MEENT_WEB_POST_INTERNAL_H
#define MEENT_WEB_POST_INTERNAL_H

#include <jansson.h>

struct http_req;

/* What an address /@username/:id comes to for a reader without an account. */
enum web_post_state {
	WEB_POST_SHOWN,		/* public or unlisted: the page */
	WEB_POST_UNKNOWN,	/* no such post here, or not for everyone: 404 */
	WEB_POST_DELETED,	/* a public post that was deleted: 410 */
	WEB_POST_ACCOUNT_GONE,	/* its account is suspended or deleted: 410 */
	WEB_POST_BOOST,		/* a boost: off to the original (web_post.original) */
	WEB_POST_ERROR,		/* database error: nothing replied yet */
};

/* A status found by web_post_find; the strings are owned (cleanup). */
struct web_post {
	long long	 id;
	char		 id_s[24];
	char		*original;	/* a boost's original's page, or NULL */
	int		 has_parent;	/* a reply: ancestors to show */
	int		 has_replies;	/* a reply to it exists */
	int		 edited;	/* has an edit history */
};

/*
 * Looks the status id (text from a URL; anything but an id is unknown)
 * of the local account username up into out (always safe to clean up)
 * and says what may be shown, as Mastodon's StatusesController does with
 * its AccountOwnedConcern: the account first (suspended or deleted: gone
 * with all it wrote), then the status (only its own; private and direct
 * ones are unknown, so a private post cannot be told from none; a
 * deleted one is gone only when it was public or unlisted, for the
 * same reason).
 */
enum web_post_state web_post_find(struct http_req *req, const char *username,
	    const char *id, struct web_post *out);
void	 web_post_cleanup(struct web_post *p);

/*
 * The head of a post's page into ctx: "title" (Mastodon's
 * NAME: "first words…"), canonical, the ActivityPub and oEmbed
 * alternates, OpenGraph and Twitter card tags. status is the post's
 * Status entity with web/view.h's values (borrowed). A content warning
 * stands for the text everywhere a preview would show it.
 */
void	 web_post_head(struct http_req *req, const char *locale, json_t *ctx,
	    json_t *status);

/*
 * The post's text as a preview may show it: the content warning when
 * there is one, else the text as plain text, cut to about max bytes
 * with an ellipsis. A new JSON string.
 */
json_t	*web_post_summary(const json_t *status, size_t max);

/*
 * The edit history of status id (ours to show) as the API's StatusEdit
 * entities (API_ST_HISTORY), newest first, each with "content_html",
 * "created_human" and its media's "alt": a new array, or NULL on a
 * database error.
 */
json_t	*web_post_history(struct http_req *req, const char *locale, const char *id);

#endif
