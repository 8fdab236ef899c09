/*
 * The sign-in step of /oauth/authorize: the page (a user name or e-mail
 * address and a password) and POST /auth/sign_in, which checks the
 * password, starts a browser session and returns to the authorization
 * request. Failures say only that the name or password was wrong, take
 * as long whether or not the user exists, and are limited per address
 * and per name as Mastodon limits /auth/sign_in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/oauth_internal.h"
#include "api/oauth_routes.h"
#include "api/params.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/log.h"
#include "web/session.h"
#include "web/web.h"

void
oauth_signin_page(struct http_req *req, int status, const char *locale,
    const struct oauth_preauth *pa, struct web_session *s, const char *error,
    const char *login)
{
	json_t	*ctx;

	ctx = json_pack("{s:{s:s},s:o,s:s,s:s}",
	    "app", "name", pa->pa_app.oa_name,
	    "hidden", oauth_preauth_fields(pa),
	    "csrf", s->ws_csrf,
	    "login", login != NULL ? login : "");
	if (error != NULL)
		json_object_set_new(ctx, "error", web_text(req, locale, error, ctx));
	web_session_cookie(req, s);
	web_reply_page(req, status, "signin", locale, ctx, NULL);
	json_decref(ctx);
}

/* The page again after a refused attempt, with what went wrong. */
static void
signin_refused(struct http_req *req, int status, struct oauth_page *pg,
    const char *error, const char *login)
{
	oauth_signin_page(req, status, pg->op_locale, &pg->op_pa, &pg->op_session, error,
	    login);
}

/* What a refused password check tells the person, and with which status. */
static int
signin_result(enum oauth_login result, const char **error)
{
	switch (result) {
	case OAUTH_LOGIN_OK:
		return 0;
	case OAUTH_LOGIN_DISABLED:
		*error = "signin.error_disabled";
		return 403;
	case OAUTH_LOGIN_OTP:
		/* Two-factor sign-in is not built yet: never skip the factor. */
		*error = "signin.error_otp";
		return 403;
	default:
		*error = "signin.error_invalid";
		return 401;
	}
}

void
api_oauth_signin(struct http_req *req)
{
	struct oauth_page pg;
	enum oauth_login result;
	const char	*login, *password, *error = NULL;
	long long	 user_id;
	char		 peer[64], *query;
	int		 limited, status;

	if (oauth_page_begin(req, &pg) == -1)
		goto out;
	login = api_param_str(pg.op_params, "username");
	password = api_param_str(pg.op_params, "password");
	/* A post from another site, or from a page older than the cookie. */
	if (!web_session_csrf_ok(&pg.op_session, api_param_str(pg.op_params, "csrf_token"))) {
		signin_refused(req, 403, &pg, "signin.error_csrf", login);
		goto out;
	}
	if ((limited = oauth_login_limit(req, login)) != 0) {
		if (limited == 1)
			signin_refused(req, 429, &pg, "signin.error_limited", login);
		else
			web_reply_message(req, 503, pg.op_locale, "error.database", NULL);
		goto out;
	}
	if (oauth_login_check(req, login, password, &user_id, &result) == -1) {
		web_reply_message(req, 503, pg.op_locale, "error.database", NULL);
		goto out;
	}
	if ((status = signin_result(result, &error)) != 0) {
		log_info("signin_refused", "peer=%s status=%d",
		    http_req_peer(req, peer, sizeof(peer)), status);
		signin_refused(req, status, &pg, error, login);
		goto out;
	}
	if (web_session_start(req, &pg.op_session, user_id) == -1) {
		web_reply_message(req, 503, pg.op_locale, "error.database", NULL);
		goto out;
	}
	/* Back to the request, now signed in: the consent page. */
	query = oauth_preauth_query(&pg.op_pa);
	http_reply_header(req, "Cache-Control", "no-store");
	http_reply_redirect(req, 303, query);
	free(query);
out:
	oauth_page_end(&pg);
}
