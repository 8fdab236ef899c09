/*
 * GET /api/v1/preferences (docs.joinmastodon.org/methods/preferences):
 * the signed-in user's posting defaults and reading choices, from the
 * users columns of schema 0006, keyed as Mastodon keys them
 * ("posting:default:visibility", ...). They belong to the user, not to
 * the account the token acts as, as in Mastodon.
 */
#include <jansson.h>
#include <libpq-fe.h>

#include "api/auth.h"
#include "api/timelines_routes.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"

void
api_preferences_get(struct http_req *req)
{
	struct api_auth	 a;
	PGresult	*res;
	json_t		*prefs;

	if (api_authenticate(req, "read:accounts", API_AUTH_USER, &a) == -1)
		return;
	if ((res = DB_EXEC(req->req_db, STMT_API_PREFERENCES, a.user_id_s)) == NULL) {
		http_reply_db_error(req);
		return;
	}
	if (PQntuples(res) != 1 ||
	    (prefs = json_loads(PQgetvalue(res, 0, 0), 0, NULL)) == NULL)
		http_reply_error(req, 500, "Internal server error");
	else
		http_reply_json(req, 200, prefs);
	PQclear(res);
}
