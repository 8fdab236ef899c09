/*
 * OAuth clients: registered apps, client authentication, scopes an app
 * may be granted, and Doorkeeper's error replies. See oauth_internal.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/oauth_internal.h"
#include "api/params.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/token.h"

/* Doorkeeper's names and English texts (config/locales/doorkeeper.en.yml). */
static const struct {
	const char	*name;
	const char	*text;
} oauth_errors[] = {
	[OAUTH_INVALID_REQUEST] = { "invalid_request",
	    "The request is missing a required parameter, includes an unsupported "
	    "parameter value, or is otherwise malformed." },
	[OAUTH_INVALID_CLIENT] = { "invalid_client",
	    "Client authentication failed due to unknown client, no client "
	    "authentication included, or unsupported authentication method." },
	[OAUTH_INVALID_GRANT] = { "invalid_grant",
	    "The provided authorization grant is invalid, expired, revoked, does not "
	    "match the redirection URI used in the authorization request, or was "
	    "issued to another client." },
	[OAUTH_UNAUTHORIZED_CLIENT] = { "unauthorized_client",
	    "The client is not authorized to perform this request using this method." },
	[OAUTH_UNSUPPORTED_GRANT_TYPE] = { "unsupported_grant_type",
	    "The authorization grant type is not supported by the authorization server." },
	[OAUTH_INVALID_SCOPE] = { "invalid_scope",
	    "The requested scope is invalid, unknown, or malformed." },
	[OAUTH_INVALID_REDIRECT_URI] = { "invalid_redirect_uri",
	    "The requested redirect uri is malformed or doesn't match client redirect URI." },
	[OAUTH_UNSUPPORTED_RESPONSE_TYPE] = { "unsupported_response_type",
	    "The authorization server does not support this response type." },
	[OAUTH_INVALID_CODE_CHALLENGE_METHOD] = { "invalid_code_challenge_method",
	    "The code challenge method must be S256." },
	[OAUTH_ACCESS_DENIED] = { "access_denied",
	    "The resource owner or authorization server denied the request." },
};

const char *
oauth_error_name(enum oauth_error e)
{
	return oauth_errors[e].name;
}

const char *
oauth_error_text(enum oauth_error e)
{
	return oauth_errors[e].text;
}

int
oauth_error_status(enum oauth_error e)
{
	return e == OAUTH_INVALID_CLIENT || e == OAUTH_UNAUTHORIZED_CLIENT ? 401 : 400;
}

void
oauth_reply_error(struct http_req *req, enum oauth_error e, const char *detail)
{
	const char	*text = detail != NULL ? detail : oauth_error_text(e);

	if (e == OAUTH_INVALID_CLIENT) {
		char	 www[400];

		/* RFC 6749 §5.2: a 401 names the authentication scheme. */
		snprintf(www, sizeof(www), "Bearer realm=\"Doorkeeper\", error=\"%s\", "
		    "error_description=\"%s\"", oauth_error_name(e), text);
		http_reply_header(req, "WWW-Authenticate", www);
	}
	http_reply_header(req, "Cache-Control", "no-store");
	http_reply_header(req, "Pragma", "no-cache");
	http_reply_json(req, oauth_error_status(e), json_pack("{s:s,s:s}",
	    "error", oauth_error_name(e), "error_description", text));
}

const char *
oauth_param(const struct api_params *p, const char *key)
{
	const char	*v = api_param_str(p, key);

	if (v == NULL || *v == '\0' || strlen(v) > OAUTH_PARAM_MAX)
		return NULL;
	return v;
}

int
oauth_app_find(struct http_req *req, const char *client_id, struct oauth_app *app)
{
	PGresult	*res;

	memset(app, 0, sizeof(*app));
	if (client_id == NULL || strlen(client_id) > OAUTH_CLIENT_MAX)
		return 0;
	if ((res = DB_EXEC(req->req_db, STMT_API_OAUTH_APP_BY_CLIENT, client_id)) == NULL)
		return -1;
	app->oa_res = res;
	if (PQntuples(res) != 1)
		return 0;
	app->oa_id = PQgetvalue(res, 0, 0);
	app->oa_name = PQgetvalue(res, 0, 1);
	app->oa_website = PQgetvalue(res, 0, 2);
	app->oa_scopes = PQgetvalue(res, 0, 3);
	app->oa_redirect_uris = json_loads(PQgetvalue(res, 0, 4), 0, NULL);
	if (!json_is_array(app->oa_redirect_uris)) {
		json_decref(app->oa_redirect_uris);
		app->oa_redirect_uris = json_array();
	}
	app->oa_secret_hash = PQgetvalue(res, 0, 5);
	return 0;
}

void
oauth_app_cleanup(struct oauth_app *app)
{
	PQclear(app->oa_res);
	json_decref(app->oa_redirect_uris);
	memset(app, 0, sizeof(*app));
}

int
oauth_client_authenticate(struct http_req *req, const struct api_params *p,
    struct oauth_app *app)
{
	char		 id[OAUTH_CLIENT_MAX + 1], secret[OAUTH_CLIENT_MAX + 1];
	char		 hash[TOKEN_HASH_BUFSZ];
	const char	*pid, *psecret;
	int		 rc = -1;

	memset(app, 0, sizeof(*app));
	if (oauth_basic_parse(http_req_header(req, "Authorization"), id, secret) == -1) {
		pid = api_param_str(p, "client_id");
		psecret = api_param_str(p, "client_secret");
		if (pid == NULL || psecret == NULL || strlen(pid) > OAUTH_CLIENT_MAX ||
		    strlen(psecret) > OAUTH_CLIENT_MAX) {
			oauth_reply_error(req, OAUTH_INVALID_CLIENT, NULL);
			goto out;
		}
		snprintf(id, sizeof(id), "%s", pid);
		snprintf(secret, sizeof(secret), "%s", psecret);
	}
	if (oauth_app_find(req, id, app) == -1) {
		http_reply_db_error(req);
		goto out;
	}
	/* Hash even for an unknown client, so both take the same time. */
	if (token_hash(secret, hash) == -1 || app->oa_id == NULL ||
	    !token_equal(hash, app->oa_secret_hash)) {
		oauth_reply_error(req, OAUTH_INVALID_CLIENT, NULL);
		goto out;
	}
	rc = 0;
out:
	OPENSSL_cleanse(secret, sizeof(secret));
	if (rc == -1)
		oauth_app_cleanup(app);
	return rc;
}

int
oauth_scopes_for_app(const char *requested, const char *app_scopes,
    char out[API_SCOPES_MAX])
{
	const char	*s;

	if (requested == NULL || requested[strspn(requested, " \t")] == '\0')
		requested = "read";
	if (api_scopes_normalize(requested, out, API_SCOPES_MAX) == -1)
		return -1;
	/* Every word must be one the app registered, or covered by one. */
	s = out;
	while (*s != '\0') {
		char	 word[128];
		size_t	 n = strcspn(s, " ");

		if (n >= sizeof(word))
			return -1;
		memcpy(word, s, n);
		word[n] = '\0';
		if (!api_scopes_allow(app_scopes, word))
			return -1;
		s += n;
		s += strspn(s, " ");
	}
	return 0;
}
