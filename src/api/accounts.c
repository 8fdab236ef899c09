/*
 * Reading accounts (docs.joinmastodon.org/methods/accounts): one account,
 * several, by address (lookup), its statuses, followers and following,
 * and the helpers the other accounts*.c files share (accounts_internal.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/accounts_internal.h"
#include "api/accounts_routes.h"
#include "api/acct.h"
#include "api/api.h"
#include "api/auth.h"
#include "api/entity.h"
#include "api/page.h"
#include "api/params.h"
#include "api/relationship.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/mem.h"
#include "util/str.h"

#define ACCOUNTS_LIMIT		40	/* accounts per page, Mastodon's default */
#define ACCOUNTS_LIMIT_MAX	80
#define STATUSES_LIMIT		20
#define STATUSES_LIMIT_MAX	40
#define ACCOUNTS_INDEX_MAX	80	/* ids in one GET /api/v1/accounts */

/* ---- shared helpers (accounts_internal.h) ---- */

int
api_accounts_target_get(struct db *db, long long id, struct acc_target *t)
{
	PGresult	*res;
	int		 rc = 1;

	memset(t, 0, sizeof(*t));
	snprintf(t->id_s, sizeof(t->id_s), "%lld", id);
	if ((res = DB_EXEC(db, STMT_ACC_TARGET, t->id_s)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		t->id = id;
		t->local = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
		t->locked = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
		t->uri = xstrdup(PQgetvalue(res, 0, 3));
		t->inbox = xstrdup(PQgetvalue(res, 0, 4));
		t->suspended = strcmp(PQgetvalue(res, 0, 5), "t") == 0;
		t->moved = strcmp(PQgetvalue(res, 0, 6), "t") == 0;
		rc = 0;
	}
	PQclear(res);
	return rc;
}

int
api_accounts_target_load(struct http_req *req, struct acc_target *t)
{
	long long	 id;
	int		 rc;

	memset(t, 0, sizeof(*t));
	if (api_id_parse(http_req_param(req, "id"), &id) == -1) {
		api_reply_not_found(req);
		return -1;
	}
	if ((rc = api_accounts_target_get(req->req_db, id, t)) == -1)
		http_reply_db_error(req);
	else if (rc == 1)
		api_reply_not_found(req);
	return rc == 0 ? 0 : -1;
}

void
api_accounts_target_cleanup(struct acc_target *t)
{
	free(t->uri);
	free(t->inbox);
	t->uri = t->inbox = NULL;
}

char *
api_accounts_uri(struct db *db, long long id)
{
	struct acc_target	 t;
	char			*uri = NULL;

	if (api_accounts_target_get(db, id, &t) == 0 && t.local) {
		uri = t.uri;
		t.uri = NULL;
	}
	api_accounts_target_cleanup(&t);
	return uri;
}

const char *
api_accounts_path(const struct http_req *req, char *buf, size_t bufsz)
{
	size_t	 n = strcspn(req->req_uri, "?");

	if (n >= bufsz)
		n = bufsz - 1;
	memcpy(buf, req->req_uri, n);
	buf[n] = '\0';
	return buf;
}

struct api_params *
api_accounts_params(struct http_req *req)
{
	struct api_params	*p;
	char			 err[256];

	if ((p = api_params_parse(req, err, sizeof(err))) == NULL)
		http_reply_error(req, 400, err);
	return p;
}

/*
 * The ids of column col of res in newest-first order (res came ascending
 * when asc), as a new array; the cursors of column curcol of the first and
 * last row in that order go into newest and oldest.
 */
static long long *
accounts_page_ids(const PGresult *res, int col, int curcol, int asc, size_t *n,
    char *newest, char *oldest, size_t cursz)
{
	int		 rows = PQntuples(res);
	long long	*ids = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof(*ids));

	*n = 0;
	newest[0] = oldest[0] = '\0';
	for (int i = 0; i < rows; i++) {
		int r = asc ? rows - 1 - i : i;

		if (api_id_parse(PQgetvalue(res, r, col), &ids[*n]) == 0)
			(*n)++;
	}
	if (rows > 0) {
		str_lcpy(newest, PQgetvalue(res, asc ? rows - 1 : 0, curcol), cursz);
		str_lcpy(oldest, PQgetvalue(res, asc ? 0 : rows - 1, curcol), cursz);
	}
	return ids;
}

void
api_accounts_list_reply(struct http_req *req, const struct api_params *p,
    enum db_stmt desc, enum db_stmt asc, const char *owner_s, int with_viewer,
    const char *viewer_s, int deflimit, int maxlimit)
{
	struct api_page	 pg;
	PGresult	*res;
	long long	*ids;
	size_t		 n;
	json_t		*arr;
	char		 newest[24], oldest[24], path[512];
	const char	*lower;

	api_page_parse(p, deflimit, maxlimit, &pg);
	lower = api_page_arg(pg.ascending ? pg.min_id : pg.since_id);
	if (with_viewer)
		res = DB_EXEC(req->req_db, pg.ascending ? asc : desc, owner_s,
		    api_page_arg(pg.max_id), lower, pg.limit, viewer_s);
	else
		res = DB_EXEC(req->req_db, pg.ascending ? asc : desc, owner_s,
		    api_page_arg(pg.max_id), lower, pg.limit);
	if (res == NULL) {
		http_reply_db_error(req);
		return;
	}
	ids = accounts_page_ids(res, 1, 0, pg.ascending, &n, newest, oldest, sizeof(newest));
	PQclear(res);
	if (api_accounts_render(req, ids, n, &arr) == -1) {
		free(ids);
		http_reply_db_error(req);
		return;
	}
	free(ids);
	api_page_link(req, api_accounts_path(req, path, sizeof(path)), newest, oldest);
	http_reply_json(req, 200, arr);
}

void
api_accounts_own_list(struct http_req *req, const char *scope, enum db_stmt desc,
    enum db_stmt asc)
{
	struct api_auth		 a;
	struct api_params	*p;

	if (api_authenticate(req, scope, API_AUTH_USER, &a) == -1 ||
	    (p = api_accounts_params(req)) == NULL)
		return;
	api_accounts_list_reply(req, p, desc, asc, a.account_id_s, 0, NULL, ACCOUNTS_LIMIT,
	    ACCOUNTS_LIMIT_MAX);
	api_params_free(p);
}

void
api_accounts_act(struct http_req *req, const char *scope, api_accounts_action fn)
{
	struct api_auth		 a;
	struct api_params	*p = NULL;
	struct acc_target	 t;
	int			 rc;

	memset(&t, 0, sizeof(t));
	if (api_authenticate(req, scope, API_AUTH_USER, &a) == -1 ||
	    api_accounts_target_load(req, &t) == -1 || (p = api_accounts_params(req)) == NULL)
		goto out;
	if (db_begin(req->req_db) == -1) {
		http_reply_db_error(req);
		goto out;
	}
	if ((rc = fn(req, &a, &t, p)) != 0) {
		db_rollback(req->req_db);
		if (rc == -1)
			http_reply_db_error(req);
		goto out;
	}
	if (db_commit(req->req_db) == -1)
		http_reply_db_error(req);
	else
		api_relationship_reply(req, a.account_id, t.id);
out:
	api_params_free(p);
	api_accounts_target_cleanup(&t);
}

/* ---- one account ---- */

/*
 * A suspended account shows nothing of its profile, as Mastodon's
 * REST::AccountSerializer does for unavailable accounts.
 */
static void
accounts_blank_unavailable(struct http_req *req, json_t *acct)
{
	char	 base[300], url[400];

	if (!json_is_true(json_object_get(acct, "suspended")))
		return;
	api_base(req, base, sizeof(base));
	json_object_set_new(acct, "display_name", json_string(""));
	json_object_set_new(acct, "note", json_string(""));
	snprintf(url, sizeof(url), "%s/avatars/original/missing.png", base);
	json_object_set_new(acct, "avatar", json_string(url));
	json_object_set_new(acct, "avatar_static", json_string(url));
	snprintf(url, sizeof(url), "%s/headers/original/missing.png", base);
	json_object_set_new(acct, "header", json_string(url));
	json_object_set_new(acct, "header_static", json_string(url));
	json_object_set_new(acct, "locked", json_false());
	json_object_set_new(acct, "bot", json_false());
	json_object_set_new(acct, "discoverable", json_false());
	json_object_set_new(acct, "indexable", json_false());
	json_object_set_new(acct, "fields", json_array());
	json_object_set_new(acct, "emojis", json_array());
}

/* Replies with the Account id (which must be listed), or 404. */
static void
accounts_reply_one(struct http_req *req, long long id)
{
	struct acc_target	 t;
	json_t			*acct;
	int			 rc;

	if ((rc = api_accounts_target_get(req->req_db, id, &t)) != 0) {
		api_accounts_target_cleanup(&t);
		if (rc == -1)
			http_reply_db_error(req);
		else
			api_reply_not_found(req);
		return;
	}
	api_accounts_target_cleanup(&t);
	if (api_account_render(req, id, &acct) == -1) {
		http_reply_db_error(req);
		return;
	}
	if (acct == NULL) {
		api_reply_not_found(req);
		return;
	}
	accounts_blank_unavailable(req, acct);
	http_reply_json(req, 200, acct);
}

/* GET /api/v1/accounts/:id */
void
api_accounts_get(struct http_req *req)
{
	struct api_auth	 a;
	long long	 id;

	if (api_authenticate(req, "read:accounts", API_AUTH_OPTIONAL, &a) == -1)
		return;
	if (api_id_parse(http_req_param(req, "id"), &id) == -1) {
		api_reply_not_found(req);
		return;
	}
	accounts_reply_one(req, id);
}

/* GET /api/v1/accounts/lookup?acct=: local or already known accounts only
 * (Mastodon skips WebFinger here; search with resolve=true does it). */
void
api_accounts_lookup(struct http_req *req)
{
	struct api_auth		 a;
	struct api_params	*p;
	struct api_acct		 acct;
	PGresult		*res;
	long long		 id = 0;

	if (api_authenticate(req, "read:accounts", API_AUTH_OPTIONAL, &a) == -1)
		return;
	if ((p = api_accounts_params(req)) == NULL)
		return;
	if (api_acct_parse(api_param_str(p, "acct"), req->req_meent->cfg.domain, &acct) != NULL) {
		api_params_free(p);
		api_reply_not_found(req);
		return;
	}
	api_params_free(p);
	res = DB_EXEC(req->req_db, STMT_ACC_LOOKUP, acct.user, acct.local ? NULL : acct.domain);
	if (res == NULL) {
		http_reply_db_error(req);
		return;
	}
	if (PQntuples(res) == 1)
		(void)api_id_parse(PQgetvalue(res, 0, 0), &id);
	PQclear(res);
	if (id == 0) {
		api_reply_not_found(req);
		return;
	}
	accounts_reply_one(req, id);
}

/* GET /api/v1/accounts?id[]=...: the accounts that exist, in no promised order. */
void
api_accounts_index(struct http_req *req)
{
	struct api_auth		 a;
	struct api_params	*p;
	json_t			*list, *v, *arr = NULL;
	struct buf		 b;
	PGresult		*res = NULL;
	long long		*ids = NULL, id;
	size_t			 i, n = 0;

	if (api_authenticate(req, "read:accounts", API_AUTH_OPTIONAL, &a) == -1)
		return;
	if ((p = api_accounts_params(req)) == NULL)
		return;
	list = api_param_list(p, "id");
	api_params_free(p);
	buf_init(&b, 0);
	buf_puts(&b, "{");
	json_array_foreach(list, i, v) {
		if (i >= ACCOUNTS_INDEX_MAX)
			break;
		if (api_id_parse(json_string_value(v), &id) == 0)
			buf_printf(&b, "%s%lld", b.len > 1 ? "," : "", id);
	}
	buf_puts(&b, "}");
	json_decref(list);
	if ((res = DB_EXEC(req->req_db, STMT_ACC_EXISTING, b.data)) == NULL ||
	    api_ids_from_column(res, 0, &ids, &n) == -1 ||
	    api_accounts_render(req, ids, n, &arr) == -1) {
		http_reply_db_error(req);
		goto out;
	}
	http_reply_json(req, 200, arr);
out:
	PQclear(res);
	free(ids);
	buf_cleanup(&b);
}

/* ---- an account's statuses, followers and following ---- */

/* A boolean parameter as SQL text. */
static const char *
accounts_flag(const struct api_params *p, const char *key)
{
	return api_param_bool(p, key, 0) ? "t" : "f";
}

/* GET /api/v1/accounts/:id/statuses */
void
api_accounts_statuses(struct http_req *req)
{
	struct api_auth		 a;
	struct api_params	*p = NULL;
	struct acc_target	 t;
	struct api_page		 pg;
	PGresult		*res = NULL;
	long long		*ids = NULL;
	size_t			 n = 0;
	json_t			*arr = NULL;
	const char		*tagged;
	char			 newest[24], oldest[24], path[512];

	memset(&t, 0, sizeof(t));
	if (api_authenticate(req, "read:statuses", API_AUTH_OPTIONAL, &a) == -1 ||
	    api_accounts_target_load(req, &t) == -1 || (p = api_accounts_params(req)) == NULL)
		goto out;
	if (t.suspended) {
		http_reply_json(req, 200, json_array());
		goto out;
	}
	api_page_parse(p, STATUSES_LIMIT, STATUSES_LIMIT_MAX, &pg);
	if ((tagged = api_param_str(p, "tagged")) != NULL && *tagged == '#')
		tagged++;
	res = DB_EXEC(req->req_db, pg.ascending ? STMT_ACC_STATUSES_ASC : STMT_ACC_STATUSES,
	    t.id_s, a.account_id ? a.account_id_s : NULL, api_page_arg(pg.max_id),
	    api_page_arg(pg.ascending ? pg.min_id : pg.since_id), pg.limit,
	    accounts_flag(p, "pinned"), accounts_flag(p, "only_media"),
	    accounts_flag(p, "exclude_replies"), accounts_flag(p, "exclude_reblogs"),
	    tagged != NULL && *tagged != '\0' ? tagged : NULL,
	    accounts_flag(p, "exclude_sensitive"));
	if (res == NULL) {
		http_reply_db_error(req);
		goto out;
	}
	ids = accounts_page_ids(res, 0, 0, pg.ascending, &n, newest, oldest, sizeof(newest));
	if (api_statuses_render(req, a.account_id, ids, n, &arr) == -1) {
		http_reply_db_error(req);
		goto out;
	}
	api_page_link(req, api_accounts_path(req, path, sizeof(path)), newest, oldest);
	http_reply_json(req, 200, arr);
out:
	free(ids);
	PQclear(res);
	api_params_free(p);
	api_accounts_target_cleanup(&t);
}

/* Followers or following of :id, paginated by the follows row. */
static void
accounts_follows(struct http_req *req, enum db_stmt desc, enum db_stmt asc)
{
	struct api_auth		 a;
	struct api_params	*p = NULL;
	struct acc_target	 t;

	memset(&t, 0, sizeof(t));
	if (api_authenticate(req, "read:accounts", API_AUTH_OPTIONAL, &a) == -1 ||
	    api_accounts_target_load(req, &t) == -1 || (p = api_accounts_params(req)) == NULL)
		goto out;
	if (t.suspended)
		http_reply_json(req, 200, json_array());
	else
		api_accounts_list_reply(req, p, desc, asc, t.id_s, 1,
		    a.account_id ? a.account_id_s : NULL, ACCOUNTS_LIMIT, ACCOUNTS_LIMIT_MAX);
out:
	api_params_free(p);
	api_accounts_target_cleanup(&t);
}

/* GET /api/v1/accounts/:id/followers */
void
api_accounts_followers(struct http_req *req)
{
	accounts_follows(req, STMT_ACC_FOLLOWERS, STMT_ACC_FOLLOWERS_ASC);
}

/* GET /api/v1/accounts/:id/following */
void
api_accounts_following(struct http_req *req)
{
	accounts_follows(req, STMT_ACC_FOLLOWING, STMT_ACC_FOLLOWING_ASC);
}

/*
 * GET /api/v1/accounts/:id/featured_tags and /identity_proofs: neither
 * exists here (identity proofs are gone from Mastodon too); an empty list
 * for an account that exists.
 */
void
api_accounts_empty_list(struct http_req *req)
{
	struct api_auth		 a;
	struct acc_target	 t;

	memset(&t, 0, sizeof(t));
	if (api_authenticate(req, "read:accounts", API_AUTH_OPTIONAL, &a) == 0 &&
	    api_accounts_target_load(req, &t) == 0)
		http_reply_json(req, 200, json_array());
	api_accounts_target_cleanup(&t);
}
