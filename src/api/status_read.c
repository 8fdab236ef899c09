/*
 * Reading statuses (docs.joinmastodon.org/methods/statuses): one, several
 * by id, a thread around one, an edit history and the source text. Each
 * shows only what the viewer may see (api/status_visibility.h), and
 * anonymous readers get what Mastodon gives them: public and unlisted
 * posts, and a shorter thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/entity.h"
#include "api/params.h"
#include "api/status_visibility.h"
#include "api/statuses_routes.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/mem.h"

/* Mastodon's StatusesController: DEFAULT_STATUSES_LIMIT ids per request. */
#define READ_MAX_IDS		20
/* A thread for a signed-in reader: CONTEXT_LIMIT each way, any depth. */
#define READ_CONTEXT_LIMIT	"4096"
/* For anonymous readers: ANCESTORS_LIMIT, DESCENDANTS_LIMIT, ..._DEPTH_LIMIT. */
#define READ_ANON_ANCESTORS	"40"
#define READ_ANON_DESCENDANTS	"60"
#define READ_ANON_DEPTH		"20"

void
api_statuses_show(struct http_req *req)
{
	struct api_auth		 a;
	struct api_status	 st;

	if (api_authenticate(req, "read:statuses", API_AUTH_OPTIONAL, &a) == -1)
		return;
	if (api_status_from_route(req, a.account_id, 0, &st) == 0)
		api_status_reply(req, a.account_id, st.id);
	api_status_cleanup(&st);
}

/*
 * The distinct ids of the "id" list, in the order given; those that are
 * not ids are skipped (Mastodon's to_i makes them 0, which matches
 * nothing). -1 when there are more than READ_MAX_IDS.
 */
static int
read_ids(const struct api_params *p, long long *ids, size_t *n)
{
	json_t		*list = api_param_list(p, "id"), *v;
	size_t		 i, j, count = 0;
	long long	 id;

	*n = 0;
	json_array_foreach(list, i, v) {
		if (api_id_parse(json_string_value(v), &id) == -1)
			id = 0;
		for (j = 0; j < *n && ids[j] != id; j++)
			;
		if (j < *n)
			continue;
		if (++count > READ_MAX_IDS) {
			json_decref(list);
			return -1;
		}
		if (id != 0)
			ids[(*n)++] = id;
	}
	json_decref(list);
	return 0;
}

/* "{1,2,3}" for statements (new). */
static char *
read_id_array(const long long *ids, size_t n)
{
	char	*buf = xmalloc(n * 21 + 3), *p = buf;

	*p++ = '{';
	for (size_t i = 0; i < n; i++)
		p += snprintf(p, 22, "%s%lld", i > 0 ? "," : "", ids[i]);
	*p++ = '}';
	*p = '\0';
	return buf;
}

/* Keeps those of ids[n] that res (one id column) lists, in their order. */
static void
read_keep_listed(long long *ids, size_t *n, const PGresult *res)
{
	size_t	 k = 0;

	for (size_t i = 0; i < *n; i++)
		for (int r = 0; r < PQntuples(res); r++)
			if (strtoll(PQgetvalue(res, r, 0), NULL, 10) == ids[i]) {
				ids[k++] = ids[i];
				break;
			}
	*n = k;
}

void
api_statuses_index(struct http_req *req)
{
	struct api_auth		 a;
	struct api_params	*p;
	long long		 ids[READ_MAX_IDS];
	size_t			 n = 0;
	char			 err[256], vbuf[24], *arr;
	PGresult		*res;
	json_t			*out;

	if (api_authenticate(req, "read:statuses", API_AUTH_OPTIONAL, &a) == -1)
		return;
	if ((p = api_params_parse(req, err, sizeof(err))) == NULL) {
		http_reply_error(req, 400, err);
		return;
	}
	if (read_ids(p, ids, &n) == -1) {
		/* Mastodon raises a bare Mastodon::ValidationError here. */
		http_reply_error(req, 422, "Mastodon::ValidationError");
		goto out;
	}
	snprintf(vbuf, sizeof(vbuf), "%lld", a.account_id);
	arr = read_id_array(ids, n);
	res = DB_EXEC(req->req_db, STMT_API_ST_VISIBLE_IDS, arr, a.account_id ? vbuf : NULL);
	free(arr);
	if (res == NULL) {
		http_reply_db_error(req);
		goto out;
	}
	read_keep_listed(ids, &n, res);
	PQclear(res);
	if (api_statuses_render(req, a.account_id, ids, n, &out) == -1) {
		http_reply_db_error(req);
		goto out;
	}
	http_reply_json(req, 200, out);
out:
	api_params_free(p);
}

/*
 * Mastodon's promote_by!: self-replies (a reply by the author of what it
 * answers) move up, in their order, ahead of the first other reply.
 */
static void
read_promote_self_replies(long long *ids, const int *self, size_t n)
{
	long long	*tmp = xcalloc(n + 1, sizeof(*tmp));
	size_t		 k = 0, first = n;

	for (size_t i = 0; i < n; i++)
		if (!self[i]) {
			first = i;
			break;
		}
	for (size_t i = 0; i < first; i++)
		tmp[k++] = ids[i];
	for (size_t i = first; i < n; i++)
		if (self[i])
			tmp[k++] = ids[i];
	for (size_t i = first; i < n; i++)
		if (!self[i])
			tmp[k++] = ids[i];
	memcpy(ids, tmp, n * sizeof(*ids));
	free(tmp);
}

/* The descendants of st for the viewer as rendered Status entities (new), or NULL. */
static json_t *
read_descendants(struct http_req *req, const struct api_auth *a, const struct api_status *st,
    const char *viewer)
{
	PGresult	*res;
	long long	*ids;
	int		*self;
	size_t		 n;
	json_t		*out = NULL;

	res = DB_EXEC(req->req_db, STMT_API_ST_DESCENDANTS, st->id_s,
	    a->account_id ? READ_CONTEXT_LIMIT : READ_ANON_DESCENDANTS,
	    a->account_id ? NULL : READ_ANON_DEPTH, viewer);
	if (res == NULL)
		return NULL;
	n = (size_t)PQntuples(res);
	ids = xcalloc(n + 1, sizeof(*ids));
	self = xcalloc(n + 1, sizeof(*self));
	for (size_t i = 0; i < n; i++) {
		ids[i] = strtoll(PQgetvalue(res, (int)i, 0), NULL, 10);
		self[i] = strcmp(PQgetvalue(res, (int)i, 1), PQgetvalue(res, (int)i, 2)) == 0;
	}
	PQclear(res);
	read_promote_self_replies(ids, self, n);
	if (api_statuses_render(req, a->account_id, ids, n, &out) == -1)
		out = NULL;
	free(ids);
	free(self);
	return out;
}

/* The ancestors of st, root first, rendered (new), or NULL. */
static json_t *
read_ancestors(struct http_req *req, const struct api_auth *a, const struct api_status *st,
    const char *viewer)
{
	PGresult	*res;
	long long	*ids;
	size_t		 n;
	json_t		*out = NULL;

	res = DB_EXEC(req->req_db, STMT_API_ST_ANCESTORS, st->id_s,
	    a->account_id ? READ_CONTEXT_LIMIT : READ_ANON_ANCESTORS, viewer);
	if (res == NULL)
		return NULL;
	if (api_ids_from_column(res, 0, &ids, &n) == 0) {
		if (api_statuses_render(req, a->account_id, ids, n, &out) == -1)
			out = NULL;
		free(ids);
	}
	PQclear(res);
	return out;
}

void
api_statuses_context(struct http_req *req)
{
	struct api_auth		 a;
	struct api_status	 st;
	json_t			*up = NULL, *down = NULL;
	char			 vbuf[24];

	if (api_authenticate(req, "read:statuses", API_AUTH_OPTIONAL, &a) == -1)
		return;
	if (api_status_from_route(req, a.account_id, 0, &st) == -1)
		goto out;
	snprintf(vbuf, sizeof(vbuf), "%lld", a.account_id);
	up = read_ancestors(req, &a, &st, a.account_id ? vbuf : NULL);
	down = read_descendants(req, &a, &st, a.account_id ? vbuf : NULL);
	if (up == NULL || down == NULL) {
		http_reply_db_error(req);
		goto out;
	}
	http_reply_json(req, 200, json_pack("{s:O,s:O}", "ancestors", up, "descendants", down));
out:
	json_decref(up);
	json_decref(down);
	api_status_cleanup(&st);
}

void
api_statuses_history(struct http_req *req)
{
	struct api_auth		 a;
	struct api_status	 st;
	PGresult		*res;
	json_t			*out, *v;
	char			 base[300];

	if (api_authenticate(req, "read:statuses", API_AUTH_OPTIONAL, &a) == -1)
		return;
	if (api_status_from_route(req, a.account_id, 0, &st) == -1)
		goto out;
	res = DB_EXEC(req->req_db, STMT_API_ST_HISTORY, st.id_s, api_base(req, base, sizeof(base)));
	if (res == NULL) {
		http_reply_db_error(req);
		goto out;
	}
	out = json_array();
	for (int i = 0; i < PQntuples(res); i++)
		if ((v = json_loads(PQgetvalue(res, i, 0), 0, NULL)) != NULL)
			json_array_append_new(out, v);
	PQclear(res);
	http_reply_json(req, 200, out);
out:
	api_status_cleanup(&st);
}

void
api_statuses_source(struct http_req *req)
{
	struct api_auth		 a;
	struct api_status	 st;

	/* Mastodon's SourcesController wants a token with read:statuses;
	 * the status itself only has to be visible to it. */
	if (api_authenticate(req, "read:statuses", 0, &a) == -1)
		return;
	if (api_status_from_route(req, a.account_id, 0, &st) == 0)
		http_reply_json(req, 200, json_pack("{s:s,s:s,s:s}", "id", st.id_s,
		    "text", st.text, "spoiler_text", st.spoiler_text));
	api_status_cleanup(&st);
}
