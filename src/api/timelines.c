/*
 * The home and public timelines (docs.joinmastodon.org/methods/timelines),
 * and what every listing of this group shares (timelines_internal.h).
 *
 * A page is two queries after the token's: the ids, one index range over
 * home_feeds or the public-status indexes (db/stmt_api_timelines.def), and
 * the entities of the whole page (api_statuses_render). Mastodon 4.3's
 * default lets anonymous readers see the public and hashtag timelines
 * (Setting.timeline_preview is true); a token, when given, must carry
 * read:statuses.
 */
#include <stdlib.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "api/auth.h"
#include "api/entity.h"
#include "api/page.h"
#include "api/params.h"
#include "api/timelines_internal.h"
#include "api/timelines_routes.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"

struct api_params *
api_tl_params(struct http_req *req, int deflimit, int maxlimit, struct api_page *pg)
{
	struct api_params *p;
	char		 err[256];

	if ((p = api_params_parse(req, err, sizeof(err))) == NULL) {
		http_reply_error(req, 400, err);
		return NULL;
	}
	api_page_parse(p, deflimit, maxlimit, pg);
	return p;
}

const char *
api_tl_lower(const struct api_page *pg)
{
	return api_page_arg(pg->ascending ? pg->min_id : pg->since_id);
}

void
api_tl_reply(struct http_req *req, long long viewer, const PGresult *res, int idcol,
    int curcol, const struct api_page *pg, const char *path)
{
	long long	*ids = NULL, t;
	size_t		 n;
	json_t		*arr;
	int		 rows = PQntuples(res);

	if (api_ids_from_column(res, idcol, &ids, &n) == -1) {
		http_reply_error(req, 500, "Internal server error");
		return;
	}
	/* An ascending page (after min_id) goes out newest first too. */
	for (size_t i = 0; pg->ascending && i < n / 2; i++) {
		t = ids[i];
		ids[i] = ids[n - 1 - i];
		ids[n - 1 - i] = t;
	}
	if (api_statuses_render(req, viewer, ids, n, &arr) == -1) {
		free(ids);
		http_reply_db_error(req);
		return;
	}
	free(ids);
	/* The cursors are the rows', even for a status that no longer
	 * renders, so the next page starts where this query ended. */
	if (rows > 0)
		api_page_link(req, path,
		    PQgetvalue(res, pg->ascending ? rows - 1 : 0, curcol),
		    PQgetvalue(res, pg->ascending ? 0 : rows - 1, curcol));
	http_reply_json(req, 200, arr);
}

/* GET /api/v1/timelines/home: the viewer's home feed (schema 0006). */
void
api_timelines_home(struct http_req *req)
{
	struct api_auth	 a;
	struct api_params *p;
	struct api_page	 pg;
	PGresult	*res;

	if (api_authenticate(req, "read:statuses", API_AUTH_USER, &a) == -1)
		return;
	if ((p = api_tl_params(req, API_TL_LIMIT, API_TL_MAX_LIMIT, &pg)) == NULL)
		return;
	res = DB_EXEC(req->req_db, pg.ascending ? STMT_API_TL_HOME_ASC : STMT_API_TL_HOME_DESC,
	    a.account_id_s, api_page_arg(pg.max_id), api_tl_lower(&pg), pg.limit);
	if (res == NULL)
		http_reply_db_error(req);
	else
		api_tl_reply(req, a.account_id, res, 0, 0, &pg, "/api/v1/timelines/home");
	PQclear(res);
	api_params_free(p);
}

/*
 * GET /api/v1/timelines/public (local, remote, only_media). Only public
 * statuses, without reblogs or replies to others, as Mastodon's
 * PublicFeed; the viewer's blocks and mutes apply when there is one.
 */
void
api_timelines_public(struct http_req *req)
{
	struct api_auth	 a;
	struct api_params *p;
	struct api_page	 pg;
	PGresult	*res;
	enum db_stmt	 st;
	int		 local;

	if (api_authenticate(req, "read:statuses", API_AUTH_OPTIONAL, &a) == -1)
		return;
	if ((p = api_tl_params(req, API_TL_LIMIT, API_TL_MAX_LIMIT, &pg)) == NULL)
		return;
	local = api_param_bool(p, "local", 0);
	if (local)
		st = pg.ascending ? STMT_API_TL_LOCAL_ASC : STMT_API_TL_LOCAL_DESC;
	else
		st = pg.ascending ? STMT_API_TL_PUBLIC_ASC : STMT_API_TL_PUBLIC_DESC;
	res = DB_EXEC(req->req_db, st, api_page_arg(pg.max_id), api_tl_lower(&pg),
	    api_param_bool(p, "remote", 0) ? "t" : "f",
	    api_param_bool(p, "only_media", 0) ? "t" : "f",
	    a.account_id != 0 ? a.account_id_s : NULL, pg.limit);
	if (res == NULL)
		http_reply_db_error(req);
	else
		api_tl_reply(req, a.account_id, res, 0, 0, &pg, "/api/v1/timelines/public");
	PQclear(res);
	api_params_free(p);
}
