/*
 * POST /oauth/token (RFC 6749 §4, as Doorkeeper answers it for Mastodon):
 * authorization_code (with PKCE S256 when the app sent a challenge),
 * refresh_token (rotated on use), password (refused with 2FA) and
 * client_credentials (an app token with no user). Every grant needs the
 * client's id and secret. POST /oauth/revoke (RFC 7009).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/api.h"
#include "api/oauth_internal.h"
#include "api/oauth_routes.h"
#include "api/oauth_uri.h"
#include "api/params.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/log.h"
#include "util/token.h"

/* Columns of API_OAUTH_CODE_CLAIM. */
enum {
	CODE_APP, CODE_USER, CODE_ACCOUNT, CODE_REDIRECT, CODE_SCOPES, CODE_CHALLENGE,
	CODE_METHOD, CODE_LIVE, CODE_MEMBER,
};

static int
token_bool(const PGresult *res, int col)
{
	return strcmp(PQgetvalue(res, 0, col), "t") == 0;
}

int
oauth_token_create(struct http_req *req, const char *app_id, const char *user_id,
    const char *account_id, const char *scopes, int refresh, struct oauth_issued *t)
{
	char		 hash[TOKEN_HASH_BUFSZ], rhash[TOKEN_HASH_BUFSZ];
	PGresult	*res;

	memset(t, 0, sizeof(*t));
	token_new(t->ot_access);
	if (refresh)
		token_new(t->ot_refresh);
	if (token_hash(t->ot_access, hash) == -1 ||
	    (refresh && token_hash(t->ot_refresh, rhash) == -1))
		goto fail;
	res = DB_EXEC(req->req_db, STMT_API_OAUTH_TOKEN_INSERT, hash,
	    refresh ? rhash : NULL, app_id, user_id, account_id, scopes);
	if (res == NULL || PQntuples(res) != 1) {
		PQclear(res);
		goto fail;
	}
	t->ot_created_at = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	snprintf(t->ot_scopes, sizeof(t->ot_scopes), "%s", scopes);
	PQclear(res);
	return 0;
fail:
	OPENSSL_cleanse(t, sizeof(*t));
	return -1;
}

void
oauth_token_reply(struct http_req *req, struct oauth_issued *t)
{
	json_t	*body;

	body = json_pack("{s:s,s:s,s:s,s:I}", "access_token", t->ot_access,
	    "token_type", "Bearer", "scope", t->ot_scopes,
	    "created_at", (json_int_t)t->ot_created_at);
	if (t->ot_refresh[0] != '\0')
		json_object_set_new(body, "refresh_token", json_string(t->ot_refresh));
	OPENSSL_cleanse(t, sizeof(*t));
	/* RFC 6749 §5.1: token responses are never cached. */
	http_reply_header(req, "Cache-Control", "no-store");
	http_reply_header(req, "Pragma", "no-cache");
	http_reply_json(req, 200, body);
}

/*
 * Creates a token and replies it; in a transaction begun by the caller
 * when tx is set, committed before the reply (a token is never shown
 * before it exists). Replies a database error itself.
 */
static void
token_issue(struct http_req *req, const char *app_id, const char *user_id,
    const char *account_id, const char *scopes, int refresh, int tx)
{
	struct oauth_issued t;

	if (oauth_token_create(req, app_id, user_id, account_id, scopes, refresh, &t) == -1 ||
	    (tx && db_commit(req->req_db) == -1)) {
		if (tx)
			db_rollback(req->req_db);
		OPENSSL_cleanse(&t, sizeof(t));
		http_reply_db_error(req);
		return;
	}
	oauth_token_reply(req, &t);
}

int
oauth_user_first_account(struct http_req *req, const char *user_id, char out[24],
    int *db)
{
	PGresult	*res;
	int		 rc = -1;

	*db = 0;
	if ((res = DB_EXEC(req->req_db, STMT_API_OAUTH_USER_ACCOUNTS, user_id)) == NULL) {
		*db = 1;
		return -1;
	}
	if (PQntuples(res) > 0) {
		snprintf(out, 24, "%s", PQgetvalue(res, 0, 0));
		rc = 0;
	}
	PQclear(res);
	return rc;
}

/*
 * Checks a claimed code against the request: 0 when it may be exchanged,
 * 1 when not (*missing set when only the verifier is missing).
 */
static int
token_code_refused(const PGresult *res, const struct oauth_app *app,
    const char *redirect_uri, const char *verifier, int *missing)
{
	const char	*challenge = PQgetvalue(res, 0, CODE_CHALLENGE);

	*missing = 0;
	if (strcmp(PQgetvalue(res, 0, CODE_APP), app->oa_id) != 0 ||
	    !token_bool(res, CODE_LIVE) || !token_bool(res, CODE_MEMBER))
		return 1;
	if (strcmp(PQgetvalue(res, 0, CODE_REDIRECT), redirect_uri) != 0)
		return 1;
	if (*challenge != '\0' && verifier == NULL) {
		*missing = 1;
		return 1;
	}
	/* A verifier for a code made without a challenge is refused too, as
	 * Doorkeeper does: someone is confused about which code this is. */
	if (verifier != NULL && (*challenge == '\0' ||
	    strcmp(PQgetvalue(res, 0, CODE_METHOD), "S256") != 0 ||
	    !oauth_pkce_verify(verifier, challenge)))
		return 1;
	return 0;
}

static void
token_authorization_code(struct http_req *req, const struct api_params *p,
    const struct oauth_app *app)
{
	const char	*code = oauth_param(p, "code");
	const char	*redirect_uri = oauth_param(p, "redirect_uri");
	const char	*verifier = oauth_param(p, "code_verifier");
	char		 hash[TOKEN_HASH_BUFSZ];
	PGresult	*res = NULL;
	int		 missing;

	if (redirect_uri == NULL) {
		oauth_reply_error(req, OAUTH_INVALID_REQUEST,
		    "Missing required parameter: redirect_uri.");
		return;
	}
	if (code == NULL || strlen(code) > 256 || token_hash(code, hash) == -1) {
		oauth_reply_error(req, OAUTH_INVALID_GRANT, NULL);
		return;
	}
	/* The claim marks the code used; a refused exchange rolls it back,
	 * and the row lock makes a second, simultaneous exchange wait and
	 * then find the code used. */
	if (db_begin(req->req_db) == -1 ||
	    (res = DB_EXEC(req->req_db, STMT_API_OAUTH_CODE_CLAIM, hash)) == NULL) {
		db_rollback(req->req_db);
		http_reply_db_error(req);
		return;
	}
	if (PQntuples(res) != 1 || token_code_refused(res, app, redirect_uri, verifier,
	    &missing)) {
		db_rollback(req->req_db);
		if (PQntuples(res) == 1 && missing)
			oauth_reply_error(req, OAUTH_INVALID_REQUEST,
			    "Missing required parameter: code_verifier.");
		else
			oauth_reply_error(req, OAUTH_INVALID_GRANT, NULL);
		PQclear(res);
		return;
	}
	token_issue(req, app->oa_id, PQgetvalue(res, 0, CODE_USER),
	    PQgetvalue(res, 0, CODE_ACCOUNT), PQgetvalue(res, 0, CODE_SCOPES), 1, 1);
	PQclear(res);
}

static void
token_refresh(struct http_req *req, const struct api_params *p, const struct oauth_app *app)
{
	const char	*refresh = oauth_param(p, "refresh_token");
	const char	*scope = oauth_param(p, "scope");
	char		 hash[TOKEN_HASH_BUFSZ], scopes[API_SCOPES_MAX];
	PGresult	*res = NULL;

	if (refresh == NULL) {
		oauth_reply_error(req, OAUTH_INVALID_REQUEST,
		    "Missing required parameter: refresh_token.");
		return;
	}
	if (strlen(refresh) > 256 || token_hash(refresh, hash) == -1) {
		oauth_reply_error(req, OAUTH_INVALID_GRANT, NULL);
		return;
	}
	if (db_begin(req->req_db) == -1 ||
	    (res = DB_EXEC(req->req_db, STMT_API_OAUTH_REFRESH_CLAIM, hash, app->oa_id)) == NULL) {
		db_rollback(req->req_db);
		http_reply_db_error(req);
		return;
	}
	if (PQntuples(res) != 1 || !token_bool(res, 3)) {
		db_rollback(req->req_db);
		PQclear(res);
		oauth_reply_error(req, OAUTH_INVALID_GRANT, NULL);
		return;
	}
	/* A narrower scope may be asked for, never a wider one (RFC 6749 §6). */
	snprintf(scopes, sizeof(scopes), "%s", PQgetvalue(res, 0, 2));
	if (scope != NULL && oauth_scopes_for_app(scope, PQgetvalue(res, 0, 2), scopes) == -1) {
		db_rollback(req->req_db);
		PQclear(res);
		oauth_reply_error(req, OAUTH_INVALID_SCOPE, NULL);
		return;
	}
	token_issue(req, app->oa_id, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
	    scopes, 1, 1);
	PQclear(res);
}

static void
token_password(struct http_req *req, const struct api_params *p, const struct oauth_app *app)
{
	const char	*login = oauth_param(p, "username");
	const char	*password = api_param_str(p, "password");
	char		 scopes[API_SCOPES_MAX], uid[24], account[24];
	long long	 user_id;
	enum oauth_login result;
	int		 limited, db;

	if (oauth_scopes_for_app(oauth_param(p, "scope"), app->oa_scopes, scopes) == -1) {
		oauth_reply_error(req, OAUTH_INVALID_SCOPE, NULL);
		return;
	}
	/* The password grant guesses passwords as well as the sign-in page. */
	if ((limited = oauth_login_limit(req, login)) != 0) {
		if (limited == 1)
			http_reply_error(req, 429, "Too many requests");
		else
			http_reply_db_error(req);
		return;
	}
	if (oauth_login_check(req, login, password, &user_id, &result) == -1) {
		http_reply_db_error(req);
		return;
	}
	if (result != OAUTH_LOGIN_OK) {
		oauth_reply_error(req, OAUTH_INVALID_GRANT, NULL);
		return;
	}
	snprintf(uid, sizeof(uid), "%lld", user_id);
	if (oauth_user_first_account(req, uid, account, &db) == -1) {
		if (db)
			http_reply_db_error(req);
		else
			oauth_reply_error(req, OAUTH_INVALID_GRANT, NULL);
		return;
	}
	token_issue(req, app->oa_id, uid, account, scopes, 1, 0);
}

static void
token_client_credentials(struct http_req *req, const struct api_params *p,
    const struct oauth_app *app)
{
	char	 scopes[API_SCOPES_MAX];

	if (oauth_scopes_for_app(oauth_param(p, "scope"), app->oa_scopes, scopes) == -1) {
		oauth_reply_error(req, OAUTH_INVALID_SCOPE, NULL);
		return;
	}
	/* RFC 6749 §4.4.3: no refresh token for an app's own token. */
	token_issue(req, app->oa_id, NULL, NULL, scopes, 0, 0);
}

static const struct {
	const char	*name;
	void		(*grant)(struct http_req *, const struct api_params *,
			    const struct oauth_app *);
} token_grants[] = {
	{ "authorization_code",	token_authorization_code },
	{ "refresh_token",	token_refresh },
	{ "password",		token_password },
	{ "client_credentials",	token_client_credentials },
};

void
api_oauth_token(struct http_req *req)
{
	struct api_params *p;
	struct oauth_app app;
	const char	*grant;
	char		 err[256];
	size_t		 i;

	if ((p = api_params_parse(req, err, sizeof(err))) == NULL) {
		oauth_reply_error(req, OAUTH_INVALID_REQUEST, NULL);
		return;
	}
	if ((grant = oauth_param(p, "grant_type")) == NULL) {
		oauth_reply_error(req, OAUTH_INVALID_REQUEST,
		    "Missing required parameter: grant_type.");
		goto out;
	}
	for (i = 0; i < sizeof(token_grants) / sizeof(token_grants[0]); i++)
		if (strcmp(grant, token_grants[i].name) == 0)
			break;
	if (i == sizeof(token_grants) / sizeof(token_grants[0])) {
		oauth_reply_error(req, OAUTH_UNSUPPORTED_GRANT_TYPE, NULL);
		goto out;
	}
	if (oauth_client_authenticate(req, p, &app) == -1)
		goto out;
	token_grants[i].grant(req, p, &app);
	oauth_app_cleanup(&app);
out:
	api_params_free(p);
}

void
api_oauth_revoke(struct http_req *req)
{
	struct api_params *p;
	struct oauth_app app;
	const char	*token;
	char		 err[256], hash[TOKEN_HASH_BUFSZ];
	PGresult	*res;

	if ((p = api_params_parse(req, err, sizeof(err))) == NULL) {
		oauth_reply_error(req, OAUTH_INVALID_REQUEST, NULL);
		return;
	}
	if (oauth_client_authenticate(req, p, &app) == -1)
		goto out;
	/* RFC 7009 §2.2: an unknown or malformed token is answered as revoked. */
	token = api_param_str(p, "token");
	if (token == NULL || strlen(token) > 256 || token_hash(token, hash) == -1) {
		http_reply_json(req, 200, json_object());
		goto done;
	}
	if ((res = DB_EXEC(req->req_db, STMT_API_OAUTH_TOKEN_REVOKE, hash, app.oa_id)) == NULL) {
		http_reply_db_error(req);
		goto done;
	}
	if (PQntuples(res) == 1 && !token_bool(res, 0))
		http_reply_json(req, 403, json_pack("{s:s,s:s}", "error", "unauthorized_client",
		    "error_description", "You are not authorized to revoke this token"));
	else
		http_reply_json(req, 200, json_object());
	PQclear(res);
done:
	oauth_app_cleanup(&app);
out:
	api_params_free(p);
}
