/*
 * Fetching remote actors: by URL, or by acct: through WebFinger, signed
 * with the instance actor's key (so authorized-fetch peers answer), then
 * validated and cached in the accounts table. A fetch succeeds only when
 * the document's id is on the host it came from (after redirects) and
 * WebFinger round-trips: acct:preferredUsername@domain points back at the
 * same actor, confirmed on that domain itself. Runs on the calling
 * thread's event loop with its http_client and database connection.
 */
#ifndef MEENT_AP_FETCH_H
#define MEENT_AP_FETCH_H

#include <jansson.h>

struct config;
struct db;
struct http_client;

/* What a fetch runs with; borrowed, must outlive the fetch. */
struct ap_fetch_env {
	struct http_client	*client;
	struct db		*db;
	const struct config	*cfg;
};

/* The outcome; everything is borrowed for the callback's duration. */
struct ap_fetch_result {
	int		 ok;		/* the actor is cached; the fields below are set */
	int		 transient;	/* failed, but may work later (timeout, 5xx, DB busy) */
	int		 gone;		/* the origin answered 410 Gone */
	const char	*error;		/* why it failed; "" when ok */
	long long	 account_id;
	const char	*uri;		/* the actor's id */
	const char	*domain;	/* its WebFinger domain, lower case */
	const char	*key_id;
	const char	*public_key_pem;
};

typedef void	(*ap_fetch_cb)(const struct ap_fetch_result *res, void *arg);

/*
 * Fetches the actor at url and caches it. cb runs exactly once, possibly
 * before this function returns (an immediate failure).
 */
void	 ap_fetch_actor(const struct ap_fetch_env *env, const char *url,
	    ap_fetch_cb cb, void *arg);

/* The same for acct:user@domain, looked up through WebFinger first. */
void	 ap_fetch_acct(const struct ap_fetch_env *env, const char *user,
	    const char *domain, ap_fetch_cb cb, void *arg);

/* The outcome of ap_fetch_object; borrowed for the callback's duration. */
struct ap_fetch_object_result {
	int		 ok;		/* doc is set */
	int		 transient;
	int		 gone;		/* 410 Gone: the object was deleted */
	const char	*error;		/* "" when ok */
	const json_t	*doc;		/* the document, an object whose "id" is on url's host */
	const char	*url;		/* where it was served from, after redirects */
};
typedef void	(*ap_fetch_object_cb)(const struct ap_fetch_object_result *res, void *arg);

/*
 * Fetches the ActivityPub document at url, signed with the instance actor
 * (so authorized-fetch servers answer), following redirects. Only JSON
 * objects whose id is on the host that served them are handed over; what
 * the document is and whether to trust its claims is the caller's
 * business. cb runs exactly once, possibly before this returns.
 */
void	 ap_fetch_object(const struct ap_fetch_env *env, const char *url,
	    ap_fetch_object_cb cb, void *arg);

#endif
