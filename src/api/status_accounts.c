/*
 * Who favourited and who boosted a status (GET /api/v1/statuses/:id/
 * favourited_by and /reblogged_by): pages of Account entities, paginated
 * as Mastodon paginates them, by the favourite's id and by the boost's id,
 * which only the Link header gives away.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/entity.h"
#include "api/page.h"
#include "api/params.h"
#include "api/status_visibility.h"
#include "api/statuses_routes.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"

/* Defaults to 40 accounts, at most 80 (docs: favourited_by, reblogged_by). */
#define ACCOUNTS_LIMIT_DEFAULT	40
#define ACCOUNTS_LIMIT_MAX	80

struct accounts_list {
	const char	*path;		/* "favourited_by" or "reblogged_by" */
	enum db_stmt	 desc;		/* max_id / since_id, newest first */
	enum db_stmt	 asc;		/* min_id, oldest first */
};

/* Runs the page query; rows are (cursor, account id), oldest first for min_id. */
static PGresult *
accounts_page(struct http_req *req, const struct accounts_list *l,
    const struct api_status *st, const struct api_page *pg)
{
	if (pg->ascending)
		return DB_EXEC(req->req_db, l->asc, st->id_s, pg->min_id, pg->limit);
	return DB_EXEC(req->req_db, l->desc, st->id_s, api_page_arg(pg->max_id),
	    api_page_arg(pg->since_id), pg->limit);
}

static void
accounts_list_reply(struct http_req *req, const struct accounts_list *l)
{
	struct api_auth		 a;
	struct api_status	 st;
	struct api_params	*p = NULL;
	struct api_page		 pg;
	PGresult		*res = NULL;
	long long		*ids = NULL;
	size_t			 n = 0;
	json_t			*out;
	char			 err[256], path[96];

	if (api_authenticate(req, "read:accounts", API_AUTH_OPTIONAL, &a) == -1)
		return;
	if (api_status_from_route(req, a.account_id, 0, &st) == -1)
		goto out;
	if ((p = api_params_parse(req, err, sizeof(err))) == NULL) {
		http_reply_error(req, 400, err);
		goto out;
	}
	api_page_parse(p, ACCOUNTS_LIMIT_DEFAULT, ACCOUNTS_LIMIT_MAX, &pg);
	if ((res = accounts_page(req, l, &st, &pg)) == NULL ||
	    api_ids_from_column(res, 1, &ids, &n) == -1) {
		http_reply_db_error(req);
		goto out;
	}
	if (pg.ascending)	/* oldest first from the query: the client wants newest first */
		for (size_t i = 0; i < n / 2; i++) {
			long long t = ids[i];

			ids[i] = ids[n - 1 - i];
			ids[n - 1 - i] = t;
		}
	if (api_accounts_render(req, ids, n, &out) == -1) {
		http_reply_db_error(req);
		goto out;
	}
	snprintf(path, sizeof(path), "/api/v1/statuses/%s/%s", st.id_s, l->path);
	api_page_link_result(req, path, &pg, res, 0);
	http_reply_json(req, 200, out);
out:
	free(ids);
	PQclear(res);
	api_params_free(p);
	api_status_cleanup(&st);
}

void
api_statuses_favourited_by(struct http_req *req)
{
	static const struct accounts_list l = { "favourited_by",
	    STMT_API_ST_FAVOURITED_BY, STMT_API_ST_FAVOURITED_BY_ASC };

	accounts_list_reply(req, &l);
}

void
api_statuses_reblogged_by(struct http_req *req)
{
	static const struct accounts_list l = { "reblogged_by",
	    STMT_API_ST_REBLOGGED_BY, STMT_API_ST_REBLOGGED_BY_ASC };

	accounts_list_reply(req, &l);
}
