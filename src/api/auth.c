/* Client API authentication, scopes and rate limits: see auth.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libpq-fe.h>

#include "api/auth.h"
#include "api/scopes.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/log.h"
#include "util/str.h"
#include "util/token.h"

/* Columns of API_AUTH_TOKEN and API_AUTH_TOKEN_NOLIMIT. */
enum {
	COL_ID, COL_APP, COL_USER, COL_ACCOUNT, COL_SCOPES, COL_ROLE,
	COL_DISABLED, COL_SUSPENDED, COL_NOT_MEMBER, COL_HITS, COL_WINDOW,
};

/*
 * The bearer token of req: "Authorization: Bearer <token>" (the scheme in
 * any case), or the access_token query parameter that Doorkeeper accepts
 * too (streaming clients use it). NULL when there is none.
 */
static const char *
auth_bearer(const struct http_req *req)
{
	const char	*h = http_req_header(req, "Authorization");

	if (h != NULL) {
		if (strncasecmp(h, "Bearer ", 7) != 0)
			return NULL;
		h += 7;
		while (*h == ' ')
			h++;
		return h;
	}
	return http_req_query(req, "access_token");
}

/* Sets header name to value, replacing what an earlier limit set. */
static void
auth_rate_header(struct http_req *req, const char *name, const char *value)
{
	evhttp_remove_header(evhttp_request_get_output_headers(req->req_ev), name);
	http_reply_header(req, name, value);
}

void
api_rate_headers(struct http_req *req, int limit, long long hits, long long reset)
{
	char		 buf[64];
	time_t		 t = (time_t)reset;
	struct tm	 tm;

	/* A second limit on the same request (the :statuses family after the
	 * token's) describes itself, as Mastodon's override_rate_limit_headers
	 * does: one set of headers, not two. */
	snprintf(buf, sizeof(buf), "%d", limit);
	auth_rate_header(req, "X-RateLimit-Limit", buf);
	snprintf(buf, sizeof(buf), "%lld", hits >= limit ? 0 : limit - hits);
	auth_rate_header(req, "X-RateLimit-Remaining", buf);
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	auth_rate_header(req, "X-RateLimit-Reset", buf);
}

static void
auth_rate_headers(struct http_req *req, int limit, long long hits, long long window)
{
	api_rate_headers(req, limit, hits, window + API_RATE_PERIOD);
}

static int
auth_over_limit(struct http_req *req, int limit, long long hits, long long window)
{
	auth_rate_headers(req, limit, hits, window);
	if (hits <= limit)
		return 0;
	char	 retry[32];
	long long left = window + API_RATE_PERIOD - (long long)time(NULL);

	snprintf(retry, sizeof(retry), "%lld", left > 0 ? left : 1);
	http_reply_header(req, "Retry-After", retry);
	http_reply_error(req, 429, "Too many requests");
	return 1;
}

int
api_rate_limit(struct http_req *req, const char *key, int limit, int period)
{
	PGresult	*res;
	char		 periods[16];
	long long	 hits, window;
	int		 rc = -1;

	if (req->req_meent->cfg.api_rate_limit == 0)
		return 0;
	snprintf(periods, sizeof(periods), "%d", period);
	res = DB_EXEC(req->req_db, STMT_API_RATE_HIT, key, periods);
	if (res == NULL || PQntuples(res) != 1) {
		http_reply_db_error(req);
		goto out;
	}
	hits = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	window = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	/* The headers describe this limit's own window. */
	window += period - API_RATE_PERIOD;
	if (auth_over_limit(req, limit, hits, window))
		goto out;
	rc = 0;
out:
	PQclear(res);
	return rc;
}

static int
auth_bool(const PGresult *res, int col)
{
	return strcmp(PQgetvalue(res, 0, col), "t") == 0;
}

static void
auth_copy_id(const PGresult *res, int col, long long *id, char *s, size_t sz)
{
	const char	*v = PQgetisnull(res, 0, col) ? "" : PQgetvalue(res, 0, col);

	snprintf(s, sz, "%s", v);
	*id = *v != '\0' ? strtoll(v, NULL, 10) : 0;
}

int
api_authenticate(struct http_req *req, const char *scope, unsigned flags,
    struct api_auth *a)
{
	const struct config *cfg = &req->req_meent->cfg;
	const char	*token = auth_bearer(req);
	PGresult	*res = NULL;
	char		 hash[TOKEN_HASH_BUFSZ], peer[64], key[96], periods[16];
	int		 limit = (int)cfg->api_rate_limit, rc = -1;

	memset(a, 0, sizeof(*a));
	snprintf(a->role, sizeof(a->role), "none");
	http_req_peer(req, peer, sizeof(peer));

	if (token == NULL || *token == '\0') {
		if (!(flags & API_AUTH_OPTIONAL)) {
			http_reply_error(req, 401, "The access token is invalid");
			return -1;
		}
		snprintf(key, sizeof(key), "addr:%s", peer);
		return api_rate_limit(req, key, limit, API_RATE_PERIOD);
	}

	/* A token longer than ours can never match; do not hash megabytes. */
	if (strlen(token) > 256 || token_hash(token, hash) == -1) {
		http_reply_error(req, 401, "The access token is invalid");
		return -1;
	}
	snprintf(periods, sizeof(periods), "%d", API_RATE_PERIOD);
	if (limit > 0)
		res = DB_EXEC(req->req_db, STMT_API_AUTH_TOKEN, hash, peer, periods);
	else
		res = DB_EXEC(req->req_db, STMT_API_AUTH_TOKEN_NOLIMIT, hash);
	if (res == NULL) {
		http_reply_db_error(req);
		goto out;
	}
	if (limit > 0 && PQntuples(res) == 1 &&
	    auth_over_limit(req, limit, strtoll(PQgetvalue(res, 0, COL_HITS), NULL, 10),
	    strtoll(PQgetvalue(res, 0, COL_WINDOW), NULL, 10)))
		goto out;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, COL_ID)) {
		http_reply_error(req, 401, "The access token is invalid");
		goto out;
	}

	auth_copy_id(res, COL_ID, &a->token_id, a->token_id_s, sizeof(a->token_id_s));
	auth_copy_id(res, COL_APP, &a->app_id, a->app_id_s, sizeof(a->app_id_s));
	auth_copy_id(res, COL_USER, &a->user_id, a->user_id_s, sizeof(a->user_id_s));
	auth_copy_id(res, COL_ACCOUNT, &a->account_id, a->account_id_s,
	    sizeof(a->account_id_s));
	snprintf(a->scopes, sizeof(a->scopes), "%s", PQgetvalue(res, 0, COL_SCOPES));
	snprintf(a->role, sizeof(a->role), "%s", PQgetvalue(res, 0, COL_ROLE));

	if (a->user_id != 0) {
		/* A user who was disabled, or lost the account the token acts
		 * as, or whose account was suspended, can no longer use it. */
		if (auth_bool(res, COL_DISABLED) || auth_bool(res, COL_SUSPENDED)) {
			http_reply_error(req, 403, "Your login is currently disabled");
			goto out;
		}
		if (auth_bool(res, COL_NOT_MEMBER)) {
			http_reply_error(req, 401, "The access token is invalid");
			goto out;
		}
	} else if (flags & API_AUTH_USER) {
		http_reply_error(req, 422, "This method requires an authenticated user");
		goto out;
	}
	if (!(flags & API_AUTH_APP) && scope != NULL && !api_auth_allows(a, scope)) {
		http_reply_error(req, 403, "This action is outside the authorized scopes");
		goto out;
	}
	rc = 0;
out:
	PQclear(res);
	if (rc == -1)
		memset(a, 0, sizeof(*a));
	return rc;
}

int
api_auth_allows(const struct api_auth *a, const char *scope)
{
	if (a->token_id == 0)
		return 0;
	return api_scopes_allow(a->scopes, scope);
}
