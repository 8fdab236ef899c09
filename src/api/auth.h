/*
 * Who is calling the client API: the bearer token of a request, checked
 * against oauth_tokens (only its SHA-256 is stored), its scopes against
 * what the endpoint needs, and the rate limit of the token or, without
 * one, of the address. Every /api/ handler starts with api_authenticate.
 *
 * The errors are Mastodon's, so apps react to them as they do there:
 *   401 {"error": "The access token is invalid"}      no, unknown, revoked or expired token
 *   403 {"error": "This action is outside the authorized scopes"}
 *   403 {"error": "Your login is currently disabled"}   user disabled
 *   403 {"error": "Your login is missing a confirmed e-mail address"} (unused)
 *   422 {"error": "This method requires an authenticated user"}  app token
 *   429 {"error": "Too many requests"}                  with X-RateLimit-*
 */
#ifndef MEENT_API_AUTH_H
#define MEENT_API_AUTH_H

#include "api/scopes.h"

struct http_req;

#define API_AUTH_OPTIONAL	0x01	/* a request without a token is served (public reads) */
#define API_AUTH_USER		0x02	/* an app-only token (client_credentials) is refused */
#define API_AUTH_APP		0x04	/* any valid token, app or user, without scope check */

/* Rate limits, Mastodon's defaults (config/initializers/rack_attack.rb). */
#define API_RATE_LIMIT		300	/* requests per API_RATE_PERIOD per token or address */
#define API_RATE_PERIOD		300	/* seconds */

struct api_auth {
	long long	 token_id;	/* 0: no token (API_AUTH_OPTIONAL) */
	long long	 app_id;	/* 0: a token made by meentctl */
	long long	 user_id;	/* 0: an app-only token */
	long long	 account_id;	/* the account the token acts as; 0 with user_id */
	char		 token_id_s[24];	/* the same as decimal text, for SQL */
	char		 app_id_s[24];		/* "" when 0 */
	char		 user_id_s[24];
	char		 account_id_s[24];
	char		 scopes[API_SCOPES_MAX];
	char		 role[16];	/* the user's instance role: admin, moderator, none */
};

/*
 * Authenticates req for an endpoint that needs scope (one scope such as
 * "read:statuses"; NULL for none). On success fills a and returns 0. On
 * failure replies (see above) and returns -1: the handler just returns.
 * Also applies the rate limit and adds the X-RateLimit-* headers.
 */
int	 api_authenticate(struct http_req *req, const char *scope, unsigned flags,
	    struct api_auth *a);

/* 1 when the authenticated token's scopes cover scope, else 0. */
int	 api_auth_allows(const struct api_auth *a, const char *scope);

/*
 * A rate limit of its own: at most limit hits per period seconds for key
 * (e.g. "apps:<address>"), counted in the database so every meentd sees
 * the same count. Returns 0 when allowed; replies 429 and returns -1 when
 * over; replies 503/500 and returns -1 on a database failure. Adds the
 * X-RateLimit-* headers either way.
 */
int	 api_rate_limit(struct http_req *req, const char *key, int limit, int period);

/*
 * Adds X-RateLimit-Limit, -Remaining (limit less hits, at least 0) and
 * -Reset (reset, Unix seconds, as ISO 8601) to the reply: for limits
 * counted elsewhere whose refusal is not JSON (the sign-in page).
 */
void	 api_rate_headers(struct http_req *req, int limit, long long hits,
	    long long reset);

#endif
