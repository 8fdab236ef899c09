/*
 * The text of a post being written or edited, made ready to store: the
 * checks Mastodon's Status model makes of it (blank, too long), its
 * mentions resolved to accounts (known ones from the accounts table,
 * unknown remote ones through WebFinger, asynchronously, as
 * ProcessMentionsService does before the status is saved), and then the
 * text to store and its HTML (api/text.h). Shared by POST and PUT
 * /api/v1/statuses; what gets stored is their business.
 */
#ifndef MEENT_API_STATUS_COMPOSE_H
#define MEENT_API_STATUS_COMPOSE_H

#include <stddef.h>

#include "ap/fetch.h"
#include "api/text.h"
#include "util/str.h"

struct http_req;

/* At most this many unknown remote accounts are looked up for one post. */
#define API_COMPOSE_MAX_LOOKUPS		20
/* At most this many mentions of one post are resolved at all. */
#define API_COMPOSE_MAX_MENTIONS	250

/* An account a mention resolved to. */
struct api_compose_account {
	long long	 id;		/* 0: not resolved, the mention stays text */
	int		 local;
	char		*username;	/* owned */
	char		*domain;	/* owned; NULL when local */
	char		*url;		/* owned */
};

struct api_compose;
typedef void	(*api_compose_cb)(struct api_compose *c, int rc, void *arg);

struct api_compose {
	struct http_req		*req;		/* borrowed; held while resolving */
	long long		 author;
	char			*author_username;	/* owned */
	char			*text;		/* owned: as given, stripped */
	char			*spoiler_text;	/* owned: stripped */
	struct api_text_scan	 scan;
	struct api_compose_account *accounts;	/* scan.nmentions entries */
	struct api_text_result	 result;	/* after resolving: text, html, tags */
	long long		*mentioned;	/* distinct accounts mentioned, in text order */
	int			*mentioned_local;
	size_t			 nmentioned;

	/* While resolving. */
	struct ap_fetch_env	 env;
	api_compose_cb		 cb;
	void			*cb_arg;
	int			 pending;	/* fetches not answered yet, plus one while starting */
	int			 held;		/* the request was held */
};

/*
 * A compose for author (account id and username) with text and
 * spoiler_text (either may be NULL: ""), both stripped of surrounding ASCII
 * whitespace as Rails strips them. New; free with api_compose_free.
 */
struct api_compose *api_compose_new(struct http_req *req, long long author,
		    const char *username, const char *text, const char *spoiler_text);
void		 api_compose_free(struct api_compose *c);

/* Columns of API_ST_POSTER. */
enum api_poster_col {
	API_POSTER_USERNAME, API_POSTER_VISIBILITY, API_POSTER_SENSITIVE,
	API_POSTER_LANGUAGE, API_POSTER_LOCALE, API_POSTER_SILENCED,
};

/*
 * What posting needs to know of the poster: account acting for user (text
 * ids), its username and the user's defaults (API_ST_POSTER). The one-row
 * result (new; PQclear it), or NULL after replying with a database error.
 */
struct pg_result *api_compose_poster(struct http_req *req, const char *account,
		    const char *user);

/* Rails' blank?: s holds nothing but Unicode White_Space. 1 or 0. */
int		 api_compose_blank(const char *s);

/*
 * Mastodon's "a blank text takes the content warning as its text" (the
 * warning then goes): PostStatusService and UpdateStatusService do this.
 * Returns 1 when it happened.
 */
int		 api_compose_spoiler_as_text(struct api_compose *c);

/*
 * The Status model's validation: the complaints already in errs (whatever
 * the caller checked first, such as the visibility), then those about the
 * text joined by ", " as Rails joins them: "Text can't be blank" (unless
 * with_media), "Text character limit of <max_status_chars> exceeded".
 * 0 when there are none; otherwise replies 422 "Validation failed: ..."
 * and returns -1. Cleans errs up either way.
 */
int		 api_compose_validate(const struct api_compose *c, int with_media,
		    struct buf *errs);

/*
 * Mastodon's RateLimiter family :statuses, which posting, editing and
 * boosting share: 300 in 3 hours per account (text id). 0, or -1 after
 * replying 429.
 */
int		 api_compose_rate_limit(struct http_req *req, const char *account);

/*
 * Resolves the mentions and renders the text. cb runs exactly once with
 * rc 0 (c->result and c->mentioned are set) or -1 (a database failure;
 * nothing replied yet), maybe before this returns. While WebFinger
 * lookups run, the request is held (http_req_hold); cb then runs later on
 * the request's thread and must reply.
 */
void		 api_compose_resolve(struct api_compose *c, api_compose_cb cb, void *arg);

#endif
