/*
 * The signed-in account itself (docs.joinmastodon.org/methods/accounts/
 * #verify_credentials and #update_credentials): the CredentialAccount,
 * and profile changes as Mastodon's CredentialsController and
 * UpdateAccountService make them: validated all at once with Mastodon's
 * messages, avatar and header checked by their bytes and stored without
 * their metadata, pending requests accepted when the account unlocks,
 * and an Update of the actor sent to the followers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap/actor.h"
#include "api/accounts_internal.h"
#include "api/accounts_routes.h"
#include "api/api.h"
#include "api/auth.h"
#include "api/image.h"
#include "api/media_store.h"
#include "api/params.h"
#include "api/profile.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

/* Account::Avatar::AVATAR_LIMIT and Account::Header::HEADER_LIMIT (4.3). */
#define CRED_IMAGE_MAX		(8 * 1024 * 1024)
#define CRED_ERRORS_MAX		2048

/* Replies with the CredentialAccount of a's account. */
static void
cred_reply(struct http_req *req, const struct api_auth *a)
{
	PGresult	*res;
	char		 base[300];

	res = DB_EXEC(req->req_db, STMT_ACC_CREDENTIALS, a->account_id_s, a->user_id_s,
	    api_base(req, base, sizeof(base)));
	if (res == NULL) {
		http_reply_db_error(req);
		return;
	}
	if (PQntuples(res) != 1)
		api_reply_not_found(req);
	else
		http_reply_json(req, 200, json_loads(PQgetvalue(res, 0, 0), 0, NULL));
	PQclear(res);
}

/* GET /api/v1/accounts/verify_credentials (read:accounts, or profile since 4.3) */
void
api_accounts_verify_credentials(struct http_req *req)
{
	struct api_auth	 a;

	if (api_authenticate(req, NULL, API_AUTH_USER, &a) == -1)
		return;
	if (!api_auth_allows(&a, "read:accounts") && !api_auth_allows(&a, "profile")) {
		http_reply_error(req, 403, "This action is outside the authorized scopes");
		return;
	}
	cred_reply(req, &a);
}

/* An image upload, checked and ready to store. */
struct cred_image {
	const char	*kind;		/* "avatar" or "header" */
	unsigned char	*data;		/* owned: the stripped bytes; NULL: no upload */
	size_t		 len;
	struct api_image img;
	char		*key;		/* owned: where it went */
	char		*old;		/* owned: the key it replaced */
};

/* Everything update_credentials changes; NULL fields stay as they are. */
struct cred_update {
	const char	*display_name;	/* borrowed from the params */
	const char	*note;
	char		*note_html;
	const char	*locked, *bot, *discoverable, *indexable;	/* "t", "f" or NULL */
	char		*fields;	/* JSON text */
	const char	*privacy, *sensitive, *language;
	struct cred_image images[2];
	struct buf	 errors;	/* Mastodon's messages, ", "-separated */
};

static void
cred_error(struct cred_update *u, const char *what)
{
	if (u->errors.len > 0)
		buf_puts(&u->errors, ", ");
	buf_puts(&u->errors, what);
}

static const char *
cred_flag(int v)
{
	return v == -1 ? NULL : v ? "t" : "f";
}

/* A Rails boolean inside a nested parameter: -1 absent, else 0 or 1. */
static int
cred_json_bool(const json_t *v)
{
	static const char *const falsy[] = { "0", "f", "F", "false", "FALSE", "off", "OFF" };
	const char	*s;

	if (v == NULL || json_is_null(v))
		return -1;
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if ((s = json_string_value(v)) == NULL || *s == '\0')
		return -1;
	for (size_t i = 0; i < sizeof(falsy) / sizeof(falsy[0]); i++)
		if (strcmp(s, falsy[i]) == 0)
			return 0;
	return 1;
}

/* "de", "fil", "pt-BR": the language codes Mastodon's posting default takes. */
static int
cred_language_ok(const char *s)
{
	size_t	 n = 0;

	while (s[n] >= 'a' && s[n] <= 'z')
		n++;
	if (n < 2 || n > 3)
		return 0;
	if (s[n] == '\0')
		return 1;
	return s[n] == '-' && s[n + 1] >= 'A' && s[n + 1] <= 'Z' &&
	    s[n + 2] >= 'A' && s[n + 2] <= 'Z' && s[n + 3] == '\0';
}

/* source[privacy], source[sensitive], source[language] */
static void
cred_source(struct cred_update *u, const struct api_params *p)
{
	const json_t	*src = api_param_object(p, "source");
	const char	*v;
	int		 b;

	if (src == NULL)
		return;
	if ((v = json_string_value(json_object_get(src, "privacy"))) != NULL) {
		if (strcmp(v, "public") == 0 || strcmp(v, "unlisted") == 0 ||
		    strcmp(v, "private") == 0)
			u->privacy = v;
		else
			cred_error(u, "Default privacy is not included in the list");
	}
	if ((b = cred_json_bool(json_object_get(src, "sensitive"))) != -1)
		u->sensitive = b ? "t" : "f";
	if ((v = json_string_value(json_object_get(src, "language"))) != NULL) {
		if (*v == '\0' || cred_language_ok(v))
			u->language = v;
		else
			cred_error(u, "Default language is not included in the list");
	}
}

/* Checks an uploaded avatar or header by its bytes and strips it. */
static void
cred_image(struct cred_update *u, struct cred_image *ci, const struct api_params *p,
    const char *kind, const char *label)
{
	const struct api_file	*f = api_params_file(p, kind);
	char			 msg[96];

	ci->kind = kind;
	if (f == NULL)
		return;
	if (f->len >= CRED_IMAGE_MAX) {
		snprintf(msg, sizeof(msg), "%s file size must be less than 8 MB", label);
		cred_error(u, msg);
		return;
	}
	if (api_image_sniff(f->data, f->len, &ci->img) != NULL ||
	    (ci->data = api_image_strip(f->data, f->len, &ci->img, &ci->len)) == NULL) {
		snprintf(msg, sizeof(msg), "%s content type is invalid", label);
		cred_error(u, msg);
	}
}

/* The profile fields from fields_attributes, if given. 0, or -1 on a DB failure. */
static int
cred_fields(struct http_req *req, const struct api_auth *a, const struct api_profile_env *env,
    const struct api_params *p, struct cred_update *u)
{
	const json_t	*attrs = json_object_get(api_params_json(p), "fields_attributes");
	const char	*why;
	json_t		*fields, *old;
	PGresult	*res;

	/* A scalar is what Rails' permit drops: no change. */
	if (!json_is_object(attrs) && !json_is_array(attrs))
		return 0;
	if ((res = DB_EXEC(req->req_db, STMT_ACC_FIELDS, a->account_id_s)) == NULL)
		return -1;
	old = PQntuples(res) == 1 ? json_loads(PQgetvalue(res, 0, 0), 0, NULL) : NULL;
	PQclear(res);
	fields = api_profile_fields(env, attrs, old, &why);
	json_decref(old);
	if (fields == NULL) {
		if (why == NULL)
			return -1;
		cred_error(u, why);
		return 0;
	}
	u->fields = json_dumps(fields, JSON_COMPACT);
	json_decref(fields);
	return 0;
}

/* Reads and validates every parameter into u. 0, or -1 on a DB failure. */
static int
cred_parse(struct http_req *req, const struct api_auth *a, const struct api_profile_env *env,
    const struct api_params *p, struct cred_update *u)
{
	const char	*why;

	if ((u->display_name = api_param_str(p, "display_name")) != NULL &&
	    (why = api_profile_name_check(u->display_name)) != NULL)
		cred_error(u, why);
	if ((u->note = api_param_str(p, "note")) != NULL &&
	    (u->note_html = api_profile_note_html(env, u->note, &why)) == NULL) {
		if (why == NULL)
			return -1;
		cred_error(u, why);
	}
	u->locked = cred_flag(api_param_bool(p, "locked", -1));
	u->bot = cred_flag(api_param_bool(p, "bot", -1));
	u->discoverable = cred_flag(api_param_bool(p, "discoverable", -1));
	u->indexable = cred_flag(api_param_bool(p, "indexable", -1));
	if (cred_fields(req, a, env, p, u) == -1)
		return -1;
	cred_source(u, p);
	cred_image(u, &u->images[0], p, "avatar", "Avatar");
	cred_image(u, &u->images[1], p, "header", "Header");
	return 0;
}

static void
cred_update_cleanup(struct cred_update *u)
{
	for (size_t i = 0; i < 2; i++) {
		free(u->images[i].data);
		free(u->images[i].key);
		free(u->images[i].old);
	}
	free(u->note_html);
	free(u->fields);
	buf_cleanup(&u->errors);
}

/* Writes the uploads to media_dir. 0, or -1 (logged). */
static int
cred_store_images(const struct config *cfg, struct cred_update *u)
{
	for (size_t i = 0; i < 2; i++) {
		struct cred_image *ci = &u->images[i];

		if (ci->data == NULL)
			continue;
		ci->key = api_media_store_put(cfg->media_dir, i == 0 ? "accounts/avatars" :
		    "accounts/headers", ci->img.ext, ci->data, ci->len);
		if (ci->key == NULL)
			return -1;
	}
	return 0;
}

/* Removes the files of the images' key (after a failure) or old key (after success). */
static void
cred_remove_images(const struct config *cfg, struct cred_update *u, int old)
{
	for (size_t i = 0; i < 2; i++) {
		const char *key = old ? u->images[i].old : u->images[i].key;

		if (key != NULL)
			api_media_store_remove(cfg->media_dir, key);
	}
}

/* Points the account at its new images; keeps the keys they replace. */
static int
cred_set_images(struct http_req *req, const struct api_auth *a, struct cred_update *u)
{
	char	 base[300], *url;

	api_base(req, base, sizeof(base));
	for (size_t i = 0; i < 2; i++) {
		struct cred_image	*ci = &u->images[i];
		PGresult		*res;

		if (ci->key == NULL)
			continue;
		url = xasprintf("%s/system/%s", base, ci->key);
		res = DB_EXEC(req->req_db, STMT_ACC_IMAGE_SET, a->account_id_s, ci->kind,
		    ci->key, url);
		free(url);
		if (res == NULL)
			return -1;
		if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
			ci->old = xstrdup(PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	return 0;
}

/*
 * Unlocking accepts every waiting request (UpdateAccountService's
 * authorize_all_follow_requests).
 */
static int
cred_accept_pending(struct db *db, const struct api_auth *a)
{
	PGresult	*res;
	int		 rc = 0;

	if ((res = DB_EXEC(db, STMT_ACC_REQUESTS_PENDING, a->account_id_s)) == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res) && rc != -1; i++)
		rc = api_accounts_answer_request(db, a->account_id,
		    strtoll(PQgetvalue(res, i, 0), NULL, 10), "Accept");
	PQclear(res);
	return rc == -1 ? -1 : 0;
}

/* Everything in the database, and the Update, in one transaction. */
static int
cred_apply(struct http_req *req, const struct api_auth *a, struct cred_update *u)
{
	struct db	*db = req->req_db;
	PGresult	*res;
	int		 was_locked;

	res = DB_EXEC(db, STMT_ACC_PROFILE_UPDATE, a->account_id_s, u->display_name,
	    u->note_html, u->note, u->locked, u->bot, u->discoverable, u->indexable, u->fields);
	if (res == NULL)
		return -1;
	was_locked = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (cred_set_images(req, a, u) == -1)
		return -1;
	if (u->privacy != NULL || u->sensitive != NULL || u->language != NULL) {
		res = DB_EXEC(db, STMT_ACC_USER_DEFAULTS, a->user_id_s, u->privacy,
		    u->sensitive, u->language);
		if (res == NULL)
			return -1;
		PQclear(res);
	}
	if (was_locked && u->locked != NULL && strcmp(u->locked, "f") == 0 &&
	    cred_accept_pending(db, a) == -1)
		return -1;
	/* Mastodon sends the Update whatever changed (UpdateDistributionWorker). */
	return api_accounts_federate_update(db, a->account_id);
}

/* The account's username and profile page, for formatting its words. */
static int
cred_env(struct http_req *req, const struct api_auth *a, struct api_profile_env *env,
    PGresult **res)
{
	*res = DB_EXEC(req->req_db, STMT_ACC_ACTOR, a->account_id_s);
	if (*res == NULL)
		return -1;
	if (PQntuples(*res) != 1)
		return 1;
	env->db = req->req_db;
	env->domain = req->req_meent->cfg.domain;
	env->username = PQgetvalue(*res, 0, AP_ACTOR_COL_USERNAME);
	env->url = PQgetvalue(*res, 0, AP_ACTOR_COL_URL);
	return 0;
}

/* PATCH /api/v1/accounts/update_credentials */
void
api_accounts_update_credentials(struct http_req *req)
{
	const struct config	*cfg = &req->req_meent->cfg;
	struct api_auth		 a;
	struct api_params	*p = NULL;
	struct api_profile_env	 env;
	struct cred_update	 u;
	PGresult		*self = NULL;
	char			 base[300];
	int			 rc;

	memset(&u, 0, sizeof(u));
	memset(&env, 0, sizeof(env));
	buf_init(&u.errors, CRED_ERRORS_MAX);
	if (api_authenticate(req, "write:accounts", API_AUTH_USER, &a) == -1 ||
	    (p = api_accounts_params(req)) == NULL)
		goto out;
	env.base_url = api_base(req, base, sizeof(base));
	if ((rc = cred_env(req, &a, &env, &self)) != 0 || cred_parse(req, &a, &env, p, &u) == -1) {
		if (rc == 1)
			api_reply_not_found(req);
		else
			http_reply_db_error(req);
		goto out;
	}
	if (u.errors.len > 0) {
		api_reply_invalid(req, u.errors.data);
		goto out;
	}
	if (cred_store_images(cfg, &u) == -1) {
		cred_remove_images(cfg, &u, 0);
		http_reply_error(req, 500, "Internal server error");
		goto out;
	}
	if (db_begin(req->req_db) == -1 || cred_apply(req, &a, &u) == -1 ||
	    db_commit(req->req_db) == -1) {
		db_rollback(req->req_db);
		cred_remove_images(cfg, &u, 0);
		http_reply_db_error(req);
		goto out;
	}
	cred_remove_images(cfg, &u, 1);
	cred_reply(req, &a);
out:
	PQclear(self);
	cred_update_cleanup(&u);
	api_params_free(p);
}
