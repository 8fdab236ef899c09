/*
 * POST /api/v1/apps and GET /api/v1/apps/verify_credentials
 * (docs.joinmastodon.org/methods/apps). An app registers its name,
 * redirect URIs, scopes and website and gets a client_id and a
 * client_secret that is shown this once: only its SHA-256 is kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/api.h"
#include "api/auth.h"
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
#include "util/validate.h"

/* Adds "<what>" to the list of validation failures in b. */
static void
apps_fail(struct buf *b, const char *what, const char *why)
{
	buf_printf(b, "%s%s %s", b->len > 0 ? ", " : "", what, why);
}

/*
 * The redirect URIs as one text: a string as it is, a list joined by
 * newlines (Mastodon 4.3 takes either). New; NULL when absent.
 */
static char *
apps_redirect_text(const struct api_params *p)
{
	const char	*s = api_param_str(p, "redirect_uris");
	json_t		*list, *v;
	struct buf	 b;
	size_t		 i;

	if (s != NULL)
		return xstrdup(s);
	if ((list = api_param_list(p, "redirect_uris")) == NULL)
		return NULL;
	/* No cap: the body's size bounds it, and the URIs' length check
	 * refuses what is too long as a whole. */
	buf_init(&b, 0);
	json_array_foreach(list, i, v)
		buf_printf(&b, "%s%s", i > 0 ? "\n" : "", json_string_value(v));
	json_decref(list);
	return buf_take(&b);
}

static void
apps_check_name(struct buf *fail, const char *name)
{
	const char	*why;

	if (name == NULL || name[strspn(name, " \t\r\n")] == '\0') {
		apps_fail(fail, "Application name", "can't be blank");
		return;
	}
	if ((why = validate_text(name, 1, OAUTH_APP_NAME_MAX, 0)) == NULL)
		return;
	if (strcmp(why, "text too long") == 0)
		apps_fail(fail, "Application name", "is too long (maximum is 60 characters)");
	else
		apps_fail(fail, "Application name", "is invalid");
}

static void
apps_check_website(struct buf *fail, const char *website)
{
	if (website == NULL || *website == '\0')
		return;
	if (strlen(website) > OAUTH_WEBSITE_MAX)
		apps_fail(fail, "Application website", "is too long (maximum is 2000 characters)");
	else if (validate_http_url(website) != NULL)
		apps_fail(fail, "Application website", "is invalid");
}

/* Replies the new app with its client credentials. */
static void
apps_insert(struct http_req *req, const char *name, const char *website,
    json_t *uris, const char *scopes)
{
	char		 client_id[TOKEN_BUFSZ], secret[TOKEN_BUFSZ], hash[TOKEN_HASH_BUFSZ];
	char		*uris_text = json_dumps(uris, JSON_COMPACT);
	PGresult	*res = NULL;
	json_t		*app;

	token_new(client_id);
	token_new(secret);
	if (uris_text == NULL || token_hash(secret, hash) == -1) {
		http_reply_error(req, 500, "Internal server error");
		goto out;
	}
	res = DB_EXEC(req->req_db, STMT_API_OAUTH_APP_INSERT, name, website, uris_text,
	    scopes, client_id, hash);
	if (res == NULL || PQntuples(res) != 1) {
		http_reply_db_error(req);
		goto out;
	}
	if ((app = json_loads(PQgetvalue(res, 0, 0), 0, NULL)) == NULL) {
		http_reply_error(req, 500, "Internal server error");
		goto out;
	}
	/* CredentialApplication: the secret this once; it never expires. */
	json_object_set_new(app, "client_id", json_string(client_id));
	json_object_set_new(app, "client_secret", json_string(secret));
	json_object_set_new(app, "client_secret_expires_at", json_integer(0));
	http_reply_header(req, "Cache-Control", "no-store");
	http_reply_json(req, 200, app);
out:
	PQclear(res);
	free(uris_text);
	OPENSSL_cleanse(secret, sizeof(secret));
}

void
api_oauth_apps_create(struct http_req *req)
{
	struct api_params *p = NULL;
	const char	*name, *website, *scopes, *why;
	char		*redirect = NULL, peer[64], key[96], err[256];
	char		 norm[API_SCOPES_MAX];
	json_t		*uris = NULL;
	struct buf	 fail;

	buf_init(&fail, 2048);
	/* Mastodon 4.3's throttle_oauth_application_registrations/ip. */
	snprintf(key, sizeof(key), "apps:%s", http_req_peer(req, peer, sizeof(peer)));
	if (api_rate_limit(req, key, OAUTH_APPS_LIMIT, OAUTH_APPS_PERIOD) == -1)
		goto out;
	if ((p = api_params_parse(req, err, sizeof(err))) == NULL) {
		http_reply_error(req, 400, err);
		goto out;
	}
	name = api_param_str(p, "client_name");
	website = api_param_str(p, "website");
	scopes = api_param_str(p, "scopes");
	if (scopes == NULL || scopes[strspn(scopes, " \t")] == '\0')
		scopes = "read";
	apps_check_name(&fail, name);
	redirect = apps_redirect_text(p);
	if ((why = oauth_redirect_uris_parse(redirect != NULL ? redirect : "", &uris)) != NULL)
		apps_fail(&fail, "Redirect URI", why);
	if (api_scopes_normalize(scopes, norm, sizeof(norm)) == -1)
		apps_fail(&fail, "Scopes", "doesn't match configured on the server.");
	apps_check_website(&fail, website);
	if (fail.len > 0) {
		api_reply_invalid(req, fail.data);
		goto out;
	}
	apps_insert(req, name, website != NULL ? website : "", uris, norm);
out:
	buf_cleanup(&fail);
	json_decref(uris);
	free(redirect);
	api_params_free(p);
}

void
api_oauth_apps_verify(struct http_req *req)
{
	struct api_auth	 a;
	PGresult	*res;
	json_t		*app;

	/* Any token of the app, whatever its scopes (Mastodon 4.3). */
	if (api_authenticate(req, NULL, API_AUTH_APP, &a) == -1)
		return;
	if (a.app_id == 0) {
		/* A token made with meentctl belongs to no app. */
		api_reply_not_found(req);
		return;
	}
	if ((res = DB_EXEC(req->req_db, STMT_API_OAUTH_APP_ENTITY, a.app_id_s)) == NULL) {
		http_reply_db_error(req);
		return;
	}
	if (PQntuples(res) != 1 || (app = json_loads(PQgetvalue(res, 0, 0), 0, NULL)) == NULL)
		api_reply_not_found(req);
	else
		http_reply_json(req, 200, app);
	PQclear(res);
}
