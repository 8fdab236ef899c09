/*
 * The statuses an account saved: GET /api/v1/bookmarks and
 * GET /api/v1/favourites (docs.joinmastodon.org/methods/bookmarks,
 * /methods/favourites). As in Mastodon, both are paginated by the
 * bookmark's or favourite's own id, not the status's, so the Link header
 * carries those ids; the order is when it was saved, newest first.
 */
#include <libpq-fe.h>

#include "api/auth.h"
#include "api/page.h"
#include "api/params.h"
#include "api/timelines_internal.h"
#include "api/timelines_routes.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"

struct saved_list {
	const char	*scope;
	enum db_stmt	 desc, asc;
	const char	*path;
};

static const struct saved_list saved_bookmarks = {
	"read:bookmarks", STMT_API_BOOKMARKS_DESC, STMT_API_BOOKMARKS_ASC, "/api/v1/bookmarks",
};
static const struct saved_list saved_favourites = {
	"read:favourites", STMT_API_FAVOURITES_DESC, STMT_API_FAVOURITES_ASC, "/api/v1/favourites",
};

static void
saved_get(struct http_req *req, const struct saved_list *l)
{
	struct api_auth	 a;
	struct api_params *p;
	struct api_page	 pg;
	PGresult	*res;

	if (api_authenticate(req, l->scope, API_AUTH_USER, &a) == -1)
		return;
	if ((p = api_tl_params(req, API_TL_LIMIT, API_TL_MAX_LIMIT, &pg)) == NULL)
		return;
	res = DB_EXEC(req->req_db, pg.ascending ? l->asc : l->desc, a.account_id_s,
	    api_page_arg(pg.max_id), api_tl_lower(&pg), pg.limit);
	if (res == NULL)
		http_reply_db_error(req);
	else
		api_tl_reply(req, res, &pg, l->path);
	PQclear(res);
	api_params_free(p);
}

void
api_bookmarks_list(struct http_req *req)
{
	saved_get(req, &saved_bookmarks);
}

void
api_favourites_list(struct http_req *req)
{
	saved_get(req, &saved_favourites);
}
