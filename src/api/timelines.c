/*
 * The home and public timelines (docs.joinmastodon.org/methods/timelines),
 * and what every listing of this group shares (timelines_internal.h).
 *
 * A page is two queries after the token's: the ids, one index range over
 * home_feeds or the public-status indexes (db/stmt_api_timelines.def), and
 * with the versions of the page's statuses and the viewer's flags on them
 * (TL_PAGE); the entities come from api/status_cache.h, rendered by
 * api_statuses_render in one more query when they are not cached or out
 * of date. Mastodon 4.3's
 * default lets anonymous readers see the public and hashtag timelines
 * (Setting.timeline_preview is true); a token, when given, must carry
 * read:statuses.
 */
#include <stdlib.h>

#include <libpq-fe.h>

#include "api/auth.h"
#include "api/page.h"
#include "api/params.h"
#include "api/status_cache.h"
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
api_tl_reply(struct http_req *req, const PGresult *res, const struct api_page *pg,
    const char *path)
{
	const char *body;
	size_t	 len;

	/* An ascending page (after min_id) goes out newest first too. */
	if ((body = api_status_page_render(req, res, pg->ascending, &len)) == NULL) {
		http_reply_db_error(req);
		return;
	}
	/* The cursors are the rows', even for a status that no longer
	 * renders, so the next page starts where this query ended. */
	api_page_link_result(req, path, pg, res, API_STATUS_PAGE_CURSOR);
	http_reply_body(req, 200, "application/json; charset=utf-8", body, len);
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
		api_tl_reply(req, res, &pg, "/api/v1/timelines/home");
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
		api_tl_reply(req, res, &pg, "/api/v1/timelines/public");
	PQclear(res);
	api_params_free(p);
}
