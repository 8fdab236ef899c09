/*
 * Shared between the files of api/oauth: apps and client authentication
 * (oauth_client.c), Doorkeeper's errors, password checks and sign-in
 * limits (oauth_login.c), token issuing (oauth_token.c), the
 * authorization request (oauth_authorize.c) and the sign-in page
 * (oauth_signin.c). Nothing outside api/oauth includes it.
 */
#ifndef MEENT_API_OAUTH_INTERNAL_H
#define MEENT_API_OAUTH_INTERNAL_H

#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "api/oauth_proof.h"
#include "api/scopes.h"
#include "util/token.h"
#include "web/session.h"

struct api_params;
struct http_req;

#define OAUTH_PARAM_MAX		2048	/* bytes of one OAuth parameter (state, ...) */
#define OAUTH_APP_NAME_MAX	60	/* characters, Mastodon's limit */
#define OAUTH_WEBSITE_MAX	2000
#define OAUTH_APPS_LIMIT	5	/* registrations per address ... */
#define OAUTH_APPS_PERIOD	600	/* ... per 10 minutes (Mastodon 4.3's rack-attack) */
#define OAUTH_SIGNIN_LIMIT	25	/* sign-in attempts per address ... */
#define OAUTH_SIGNIN_PERIOD	300	/* ... per 5 minutes, and per user name ... */
#define OAUTH_SIGNIN_NAME_PERIOD 3600	/* ... per hour (Mastodon's throttle_login_*) */

/* Doorkeeper's errors (RFC 6749 §4.1.2.1, §5.2), with its status codes. */
enum oauth_error {
	OAUTH_INVALID_REQUEST,
	OAUTH_INVALID_CLIENT,
	OAUTH_INVALID_GRANT,
	OAUTH_UNAUTHORIZED_CLIENT,
	OAUTH_UNSUPPORTED_GRANT_TYPE,
	OAUTH_INVALID_SCOPE,
	OAUTH_INVALID_REDIRECT_URI,
	OAUTH_UNSUPPORTED_RESPONSE_TYPE,
	OAUTH_INVALID_CODE_CHALLENGE_METHOD,
	OAUTH_ACCESS_DENIED,
};

/* The error's name ("invalid_grant"). */
const char	*oauth_error_name(enum oauth_error e);
/* Doorkeeper's English description of the error. */
const char	*oauth_error_text(enum oauth_error e);
/* 401 for invalid_client and unauthorized_client, else 400, as Doorkeeper. */
int		 oauth_error_status(enum oauth_error e);

/*
 * Replies Doorkeeper's JSON error {"error", "error_description"} with its
 * status; detail replaces the standard description when not NULL.
 */
void		 oauth_reply_error(struct http_req *req, enum oauth_error e,
		    const char *detail);

/* A registered app; the strings point into oa_res. */
struct oauth_app {
	PGresult	*oa_res;		/* owned */
	const char	*oa_id;			/* NULL: no such app */
	const char	*oa_name;
	const char	*oa_website;		/* "" when none */
	const char	*oa_scopes;
	const char	*oa_secret_hash;
	json_t		*oa_redirect_uris;	/* owned array of strings */
};

/*
 * Looks up the app of client_id (borrowed, may be NULL) into app. 0 with
 * app->oa_id NULL when there is none, 0 with app filled, or -1 when the
 * database failed (nothing replied). Clean up with oauth_app_cleanup.
 */
int		 oauth_app_find(struct http_req *req, const char *client_id,
		    struct oauth_app *app);
void		 oauth_app_cleanup(struct oauth_app *app);

/*
 * Authenticates the client of a token or revocation request: HTTP Basic
 * first, then client_id and client_secret parameters, as Doorkeeper
 * reads them. 0 with app filled; otherwise replies (401 invalid_client,
 * or a database error) and returns -1.
 */
int		 oauth_client_authenticate(struct http_req *req, const struct api_params *p,
		    struct oauth_app *app);

/*
 * The scope parameter of a request (NULL or blank: Doorkeeper's default
 * "read") normalised into out when every scope is known and covered by
 * the app's scopes (api_scopes_allow); 0, or -1 when not.
 */
int		 oauth_scopes_for_app(const char *requested, const char *app_scopes,
		    char out[API_SCOPES_MAX]);

/* A string parameter of at most OAUTH_PARAM_MAX bytes; NULL when absent, empty or longer. */
const char	*oauth_param(const struct api_params *p, const char *key);

/* What a password check found. */
enum oauth_login {
	OAUTH_LOGIN_OK,
	OAUTH_LOGIN_BAD,	/* no such user, no password, or the wrong one */
	OAUTH_LOGIN_DISABLED,	/* the right password, but the user is disabled */
	OAUTH_LOGIN_OTP,	/* the right password, but 2FA is on (password grant) */
};

/*
 * Checks login (a user name or e-mail address) and password, taking the
 * same time whether or not the user exists. On OAUTH_LOGIN_OK sets
 * *user_id and records the sign-in. 0 with *result set, or -1 when the
 * database failed (nothing replied).
 */
int		 oauth_login_check(struct http_req *req, const char *login,
		    const char *password, long long *user_id, enum oauth_login *result);

/*
 * Counts one sign-in attempt by req's address and by login (may be NULL)
 * in the rate limits. 0 when allowed; 1 when over a limit (the
 * X-RateLimit-* and Retry-After headers are added, nothing replied);
 * -1 when the database failed (nothing replied).
 */
int		 oauth_login_limit(struct http_req *req, const char *login);

/* A token just made, to be shown once. */
struct oauth_issued {
	char		 ot_access[TOKEN_BUFSZ];
	char		 ot_refresh[TOKEN_BUFSZ];	/* "" when none */
	char		 ot_scopes[API_SCOPES_MAX];
	long long	 ot_created_at;			/* Unix seconds */
};

/*
 * Stores a new access token for app_id (decimal) and user_id and
 * account_id (both NULL for an app token) with scopes, plus a refresh
 * token when refresh is set, into t. 0, or -1 when the database failed
 * (nothing replied).
 */
int		 oauth_token_create(struct http_req *req, const char *app_id,
		    const char *user_id, const char *account_id, const char *scopes,
		    int refresh, struct oauth_issued *t);

/* Replies Doorkeeper's token response for t, and wipes t. */
void		 oauth_token_reply(struct http_req *req, struct oauth_issued *t);

/*
 * The first account user_id (decimal) may act as, into out. 0, or -1
 * when there is none, or when the database failed (then *db is set).
 */
int		 oauth_user_first_account(struct http_req *req, const char *user_id,
		    char out[24], int *db);

/*
 * The authorization request of /oauth/authorize, checked as Doorkeeper's
 * pre-authorization: the parameters are borrowed from the request's.
 */
struct oauth_preauth {
	struct oauth_app pa_app;
	const char	*pa_client_id;
	const char	*pa_redirect_uri;
	const char	*pa_response_type;
	const char	*pa_state;		/* NULL when none */
	const char	*pa_challenge;		/* NULL without PKCE */
	const char	*pa_method;
	const char	*pa_lang;
	char		 pa_scopes[API_SCOPES_MAX];	/* normalised */
};

/*
 * Checks the authorization request in p into pa. 0 when it is valid;
 * otherwise replies an error page in locale (or a database error) and
 * returns -1. Clean up with oauth_preauth_cleanup either way.
 */
int		 oauth_preauth_check(struct http_req *req, const struct api_params *p,
		    const char *locale, struct oauth_preauth *pa);
void		 oauth_preauth_cleanup(struct oauth_preauth *pa);

/*
 * The parameters of pa as hidden form fields, [{"name", "value"}], or as
 * the query string of /oauth/authorize (new), to come back to it.
 */
json_t		*oauth_preauth_fields(const struct oauth_preauth *pa);
char		*oauth_preauth_query(const struct oauth_preauth *pa);

/* A request of the authorization pages, parsed and checked. */
struct oauth_page {
	struct api_params	*op_params;
	const char		*op_locale;	/* static */
	struct oauth_preauth	 op_pa;
	struct web_session	 op_session;
};

/*
 * What every page of the flow starts with: parses the parameters, picks
 * the language, checks the authorization request and loads the browser
 * session into pg. 0, or -1 when it has replied (an error page). Either
 * way end with oauth_page_end.
 */
int		 oauth_page_begin(struct http_req *req, struct oauth_page *pg);
void		 oauth_page_end(struct oauth_page *pg);

/*
 * Replies the sign-in page for pa with status; error is the catalogue key
 * of a message to show (NULL for none) and login the name to fill in.
 */
void		 oauth_signin_page(struct http_req *req, int status, const char *locale,
		    const struct oauth_preauth *pa, struct web_session *s,
		    const char *error, const char *login);

#endif
