/*
 * GET and POST /oauth/authorize (RFC 6749 §4.1.1, as Doorkeeper serves it
 * for Mastodon): the request is checked, the person signs in
 * (oauth_signin.c), then approves or denies on a consent page that names
 * the app, its scopes in words, and lets them choose which of their
 * accounts the app acts as. Approval redirects to the app with a code
 * valid for 10 minutes, or shows the code for the out-of-band URN.
 * Errors in the request are pages, never redirects: an unchecked
 * redirect_uri must not receive anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <openssl/crypto.h>

#include "api/api.h"
#include "api/oauth_internal.h"
#include "api/oauth_routes.h"
#include "api/oauth_uri.h"
#include "api/params.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/token.h"
#include "web/session.h"
#include "web/web.h"

/* The parameters an authorization request carries through the pages. */
static const char *const preauth_keys[] = {
	"response_type", "client_id", "redirect_uri", "scope", "state",
	"code_challenge", "code_challenge_method", "lang",
};
#define PREAUTH_NKEYS	(sizeof(preauth_keys) / sizeof(preauth_keys[0]))

static const char *
preauth_value(const struct oauth_preauth *pa, size_t i)
{
	const char *const v[PREAUTH_NKEYS] = {
		pa->pa_response_type, pa->pa_client_id, pa->pa_redirect_uri,
		pa->pa_scopes, pa->pa_state, pa->pa_challenge, pa->pa_method, pa->pa_lang,
	};

	return v[i] != NULL && *v[i] != '\0' ? v[i] : NULL;
}

/* Replies the error page for e; detail is a message key or NULL. */
static int
preauth_fail(struct http_req *req, const char *locale, enum oauth_error e,
    const char *detail_key, const char *param)
{
	json_t	*ctx = json_object();
	char	 key[96];

	snprintf(key, sizeof(key), "oauth_error.%s", oauth_error_name(e));
	json_object_set_new(ctx, "error", json_string(oauth_error_name(e)));
	if (param != NULL)
		json_object_set_new(ctx, "param", json_string(param));
	json_object_set_new(ctx, "description", web_text(req, locale, key, ctx));
	if (detail_key != NULL)
		json_object_set_new(ctx, "detail", web_text(req, locale, detail_key, ctx));
	web_reply_page(req, oauth_error_status(e), "oauth_error", locale, ctx, NULL);
	json_decref(ctx);
	return -1;
}

/*
 * A parameter of the request: NULL when absent or empty; *bad set when it
 * is longer than any honest value.
 */
static const char *
preauth_param(const struct api_params *p, const char *key, const char **bad)
{
	const char	*v = api_param_str(p, key);

	if (v != NULL && strlen(v) > OAUTH_PARAM_MAX)
		*bad = key;
	return v != NULL && *v != '\0' ? v : NULL;
}

static int
preauth_redirect_ok(const struct oauth_preauth *pa)
{
	json_t	*v;
	size_t	 i;

	if (pa->pa_redirect_uri == NULL)
		return 0;
	json_array_foreach(pa->pa_app.oa_redirect_uris, i, v)
		if (oauth_redirect_uri_match(pa->pa_redirect_uri, json_string_value(v)))
			return 1;
	return 0;
}

/* Doorkeeper's order of checks (Doorkeeper::OAuth::PreAuthorization). */
int
oauth_preauth_check(struct http_req *req, const struct api_params *p,
    const char *locale, struct oauth_preauth *pa)
{
	const char	*bad = NULL, *scope;

	memset(pa, 0, sizeof(*pa));
	pa->pa_client_id = preauth_param(p, "client_id", &bad);
	pa->pa_redirect_uri = preauth_param(p, "redirect_uri", &bad);
	pa->pa_response_type = preauth_param(p, "response_type", &bad);
	pa->pa_state = preauth_param(p, "state", &bad);
	pa->pa_challenge = preauth_param(p, "code_challenge", &bad);
	pa->pa_method = preauth_param(p, "code_challenge_method", &bad);
	pa->pa_lang = preauth_param(p, "lang", &bad);
	scope = preauth_param(p, "scope", &bad);

	if (pa->pa_client_id == NULL)
		return preauth_fail(req, locale, OAUTH_INVALID_REQUEST, "oauth_error.missing",
		    "client_id");
	if (oauth_app_find(req, pa->pa_client_id, &pa->pa_app) == -1) {
		web_reply_message(req, 503, locale, "error.database", NULL);
		return -1;
	}
	if (pa->pa_app.oa_id == NULL)
		return preauth_fail(req, locale, OAUTH_INVALID_CLIENT, NULL, NULL);
	if (!preauth_redirect_ok(pa))
		return preauth_fail(req, locale, OAUTH_INVALID_REDIRECT_URI, NULL, NULL);
	if (bad != NULL)
		return preauth_fail(req, locale, OAUTH_INVALID_REQUEST, "oauth_error.too_long",
		    bad);
	if (pa->pa_response_type == NULL)
		return preauth_fail(req, locale, OAUTH_INVALID_REQUEST, "oauth_error.missing",
		    "response_type");
	if (strcmp(pa->pa_response_type, "code") != 0)
		return preauth_fail(req, locale, OAUTH_UNSUPPORTED_RESPONSE_TYPE, NULL, NULL);
	if (oauth_scopes_for_app(scope, pa->pa_app.oa_scopes, pa->pa_scopes) == -1)
		return preauth_fail(req, locale, OAUTH_INVALID_SCOPE, NULL, NULL);
	if (pa->pa_challenge != NULL && (pa->pa_method == NULL ||
	    strcmp(pa->pa_method, "S256") != 0))
		return preauth_fail(req, locale, OAUTH_INVALID_CODE_CHALLENGE_METHOD, NULL, NULL);
	if (pa->pa_challenge != NULL && !oauth_pkce_valid(pa->pa_challenge))
		return preauth_fail(req, locale, OAUTH_INVALID_REQUEST, "oauth_error.malformed",
		    "code_challenge");
	if (pa->pa_challenge == NULL)
		pa->pa_method = NULL;
	return 0;
}

void
oauth_preauth_cleanup(struct oauth_preauth *pa)
{
	oauth_app_cleanup(&pa->pa_app);
}

json_t *
oauth_preauth_fields(const struct oauth_preauth *pa)
{
	json_t	*arr = json_array();

	for (size_t i = 0; i < PREAUTH_NKEYS; i++)
		if (preauth_value(pa, i) != NULL)
			json_array_append_new(arr, json_pack("{s:s,s:s}", "name",
			    preauth_keys[i], "value", preauth_value(pa, i)));
	return arr;
}

char *
oauth_preauth_query(const struct oauth_preauth *pa)
{
	struct buf	 b;

	buf_init(&b, 0);
	buf_puts(&b, "/oauth/authorize");
	for (size_t i = 0; i < PREAUTH_NKEYS; i++) {
		char	*enc;

		if (preauth_value(pa, i) == NULL ||
		    (enc = evhttp_uriencode(preauth_value(pa, i), -1, 0)) == NULL)
			continue;
		buf_printf(&b, "%c%s=%s", b.len == 16 ? '?' : '&', preauth_keys[i], enc);
		free(enc);
	}
	return buf_take(&b);
}

/* The scopes of pa in words, [{"name", "text"}]. */
static json_t *
consent_scopes(struct http_req *req, const char *locale, const char *scopes)
{
	json_t		*arr = json_array();
	const char	*s = scopes;

	while (*s != '\0') {
		size_t	 n = strcspn(s, " ");
		char	 key[API_SCOPES_MAX + 8];

		snprintf(key, sizeof(key), "scope.%.*s", (int)n, s);
		json_array_append_new(arr, json_pack("{s:s%,s:o}", "name", s, n,
		    "text", web_text(req, locale, key, NULL)));
		s += n;
		s += strspn(s, " ");
	}
	return arr;
}

/* The accounts the user may act as, [{"id", "username", "display_name", "checked"}]. */
static json_t *
consent_accounts(struct http_req *req, const struct web_session *s, int *db)
{
	PGresult	*res;
	json_t		*arr;

	*db = 0;
	if ((res = DB_EXEC(req->req_db, STMT_API_OAUTH_USER_ACCOUNTS, s->ws_user_id_s)) == NULL) {
		*db = 1;
		return NULL;
	}
	arr = json_array();
	for (int i = 0; i < PQntuples(res); i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:b}",
		    "id", PQgetvalue(res, i, 0), "username", PQgetvalue(res, i, 1),
		    "display_name", PQgetvalue(res, i, 2), "checked", i == 0));
	PQclear(res);
	return arr;
}

static void
consent_page(struct http_req *req, const char *locale, const struct oauth_preauth *pa,
    const struct web_session *s)
{
	json_t	*accounts, *ctx;
	char	 csp[600], *query;
	int	 db;

	if ((accounts = consent_accounts(req, s, &db)) == NULL || json_array_size(accounts) == 0) {
		json_decref(accounts);
		web_reply_message(req, db ? 503 : 403, locale,
		    db ? "error.database" : "error.no_account", NULL);
		return;
	}
	query = oauth_preauth_query(pa);
	ctx = json_pack("{s:{s:s,s:s?},s:o,s:o,s:b,s:o,s:s,s:s,s:s+}",
	    "app", "name", pa->pa_app.oa_name,
	    "website", *pa->pa_app.oa_website != '\0' ? pa->pa_app.oa_website : NULL,
	    "scopes", consent_scopes(req, locale, pa->pa_scopes),
	    "accounts", accounts,
	    "several_accounts", json_array_size(accounts) > 1,
	    "hidden", oauth_preauth_fields(pa),
	    "csrf", s->ws_csrf,
	    "user", s->ws_username,
	    "switch_url", query, "&force_login=true");
	free(query);
	/* Browsers apply form-action to the redirect that follows the post. */
	if (oauth_redirect_csp(pa->pa_redirect_uri, csp, sizeof(csp)) == -1)
		csp[0] = '\0';
	web_reply_page(req, 200, "consent", locale, ctx, csp);
	json_decref(ctx);
}

int
oauth_page_begin(struct http_req *req, struct oauth_page *pg)
{
	char	 err[256];

	memset(pg, 0, sizeof(*pg));
	pg->op_locale = web_locale(req, NULL);
	if ((pg->op_params = api_params_parse(req, err, sizeof(err))) == NULL) {
		web_reply_message(req, 400, pg->op_locale, "error.bad_request", NULL);
		return -1;
	}
	pg->op_locale = web_locale(req, api_param_str(pg->op_params, "lang"));
	if (oauth_preauth_check(req, pg->op_params, pg->op_locale, &pg->op_pa) == -1)
		return -1;
	if (web_session_load(req, &pg->op_session) == -1) {
		web_reply_message(req, 503, pg->op_locale, "error.database", NULL);
		return -1;
	}
	return 0;
}

void
oauth_page_end(struct oauth_page *pg)
{
	web_session_cleanup(&pg->op_session);
	oauth_preauth_cleanup(&pg->op_pa);
	api_params_free(pg->op_params);
}

void
api_oauth_authorize_get(struct http_req *req)
{
	struct oauth_page pg;

	if (oauth_page_begin(req, &pg) == 0) {
		/* force_login: the person wants another of their sign-ins (Mastodon). */
		if (pg.op_session.ws_user_id == 0 ||
		    api_param_bool(pg.op_params, "force_login", 0))
			oauth_signin_page(req, 200, pg.op_locale, &pg.op_pa, &pg.op_session,
			    NULL, NULL);
		else
			consent_page(req, pg.op_locale, &pg.op_pa, &pg.op_session);
	}
	oauth_page_end(&pg);
}

/* Appends "key=value" (value URL-encoded) to b with the right separator. */
static void
authorize_query_add(struct buf *b, const char *key, const char *value)
{
	char	*enc = evhttp_uriencode(value, -1, 0);

	if (enc == NULL)
		return;
	buf_printf(b, "%c%s=%s", strchr(b->data, '?') != NULL ? '&' : '?', key, enc);
	free(enc);
}

static void
authorize_deny(struct http_req *req, const char *locale, const struct oauth_preauth *pa)
{
	struct buf	 b;

	if (oauth_redirect_is_oob(pa->pa_redirect_uri)) {
		web_reply_message(req, 200, locale, "denied", NULL);
		return;
	}
	buf_init(&b, 0);
	buf_puts(&b, pa->pa_redirect_uri);
	authorize_query_add(&b, "error", oauth_error_name(OAUTH_ACCESS_DENIED));
	authorize_query_add(&b, "error_description", oauth_error_text(OAUTH_ACCESS_DENIED));
	if (pa->pa_state != NULL)
		authorize_query_add(&b, "state", pa->pa_state);
	http_reply_header(req, "Cache-Control", "no-store");
	http_reply_redirect(req, 302, b.data);
	buf_cleanup(&b);
}

/* Makes the code for the account chosen and redirects to the app with it. */
static void
authorize_approve(struct http_req *req, const struct api_params *p, const char *locale,
    const struct oauth_preauth *pa, const struct web_session *s)
{
	const char	*account = api_param_str(p, "account_id");
	char		 code[TOKEN_BUFSZ], hash[TOKEN_HASH_BUFSZ], first[24];
	long long	 id;
	PGresult	*res = NULL;
	struct buf	 b;
	int		 db;

	if (account == NULL) {
		if (oauth_user_first_account(req, s->ws_user_id_s, first, &db) == -1) {
			web_reply_message(req, db ? 503 : 403, locale,
			    db ? "error.database" : "error.no_account", NULL);
			return;
		}
		account = first;
	}
	token_new(code);
	if (api_id_parse(account, &id) == -1 || token_hash(code, hash) == -1) {
		web_reply_message(req, 403, locale, "error.no_account", NULL);
		goto out;
	}
	res = DB_EXEC(req->req_db, STMT_API_OAUTH_CODE_INSERT, hash, pa->pa_app.oa_id,
	    s->ws_user_id_s, account, pa->pa_redirect_uri, pa->pa_scopes, pa->pa_challenge,
	    pa->pa_method);
	if (res == NULL) {
		web_reply_message(req, 503, locale, "error.database", NULL);
		goto out;
	}
	if (PQntuples(res) != 1) {
		web_reply_message(req, 403, locale, "error.no_account", NULL);
		goto out;
	}
	buf_init(&b, 0);
	/* Doorkeeper's native redirect shows the code on a page of its own. */
	buf_puts(&b, oauth_redirect_is_oob(pa->pa_redirect_uri) ?
	    "/oauth/authorize/native" : pa->pa_redirect_uri);
	authorize_query_add(&b, "code", code);
	if (pa->pa_state != NULL)
		authorize_query_add(&b, "state", pa->pa_state);
	http_reply_header(req, "Cache-Control", "no-store");
	http_reply_redirect(req, 302, b.data);
	OPENSSL_cleanse(b.data, b.len);
	buf_cleanup(&b);
out:
	PQclear(res);
	OPENSSL_cleanse(code, sizeof(code));
}

void
api_oauth_authorize_post(struct http_req *req)
{
	struct oauth_page pg;
	const char	*decision;
	char		*query;

	if (oauth_page_begin(req, &pg) == -1)
		goto out;
	if (pg.op_session.ws_user_id == 0) {
		/* The session ended meanwhile: sign in again, then consent. */
		query = oauth_preauth_query(&pg.op_pa);
		http_reply_redirect(req, 303, query);
		free(query);
		goto out;
	}
	if (!web_session_csrf_ok(&pg.op_session, api_param_str(pg.op_params, "csrf_token"))) {
		web_reply_message(req, 403, pg.op_locale, "error.csrf", NULL);
		goto out;
	}
	decision = api_param_str(pg.op_params, "decision");
	if (decision != NULL && strcmp(decision, "deny") == 0)
		authorize_deny(req, pg.op_locale, &pg.op_pa);
	else if (decision != NULL && strcmp(decision, "approve") == 0)
		authorize_approve(req, pg.op_params, pg.op_locale, &pg.op_pa, &pg.op_session);
	else
		web_reply_message(req, 400, pg.op_locale, "error.bad_request", NULL);
out:
	oauth_page_end(&pg);
}

/* GET /oauth/authorize/native?code=...: the code for an out-of-band app. */
void
api_oauth_authorize_native(struct http_req *req)
{
	const char	*code = http_req_query(req, "code");
	const char	*locale = web_locale(req, http_req_query(req, "lang"));
	json_t		*ctx;

	/* Only something we could have made is shown back. */
	if (code == NULL || strlen(code) != TOKEN_LEN ||
	    strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") != TOKEN_LEN) {
		web_reply_message(req, 404, locale, "error.not_found", NULL);
		return;
	}
	ctx = json_pack("{s:s}", "code", code);
	web_reply_page(req, 200, "native", locale, ctx, NULL);
	json_decref(ctx);
}
