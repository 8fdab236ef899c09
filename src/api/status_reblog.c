/*
 * Boosts (POST /api/v1/statuses/:id/reblog and /unreblog), as Mastodon's
 * ReblogService and ReblogsController do them. A boost is a status of its
 * own, with its own id and uri, whose reblog_of_id is the original
 * (Ivory shows a boost that reuses the original's id as the original).
 * Boosting a boost boosts its original; boosting twice returns the first
 * boost. Direct posts cannot be boosted, followers-only ones only by their
 * author, and a boost of those keeps the original's visibility. Other
 * servers hear an Announce (to the booster's followers and the original's
 * author), or its Undo; a local author gets a "reblog" notification.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/entity.h"
#include "api/params.h"
#include "api/status_compose.h"
#include "api/status_delete.h"
#include "api/status_federate.h"
#include "api/status_visibility.h"
#include "api/statuses_routes.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/str.h"

/*
 * Answers with the boost. Its "reblogged" is true, as Mastodon renders a
 * boost it has just made (Account#reblogged? looks at the original).
 */
static void
reblog_reply(struct http_req *req, long long viewer, long long boost)
{
	json_t *obj;

	if (api_status_render(req, viewer, boost, &obj) == -1) {
		http_reply_db_error(req);
		return;
	}
	if (obj == NULL) {
		api_reply_not_found(req);
		return;
	}
	json_object_set_new(obj, "reblogged", json_true());
	http_reply_json(req, 200, obj);
}

/*
 * The original to boost: st itself, or a boost's original (loaded into
 * orig). Then StatusPolicy#reblog?: 403 for a direct post and for someone
 * else's followers-only one. 0, or -1 after replying.
 */
static int
reblog_target(struct http_req *req, const struct api_auth *a, const struct api_status *st,
    struct api_status *orig, const struct api_status **target)
{
	if (api_status_original(req, a->account_id, st, orig) == -1)
		return -1;
	*target = orig->id != 0 ? orig : st;
	if (strcmp((*target)->visibility, "direct") == 0 ||
	    (strcmp((*target)->visibility, "private") == 0 &&
	    (*target)->account_id != a->account_id)) {
		http_reply_error(req, 403, "This action is not allowed");
		return -1;
	}
	return 0;
}

/*
 * The boost's visibility into vis: a followers-only original's own;
 * otherwise the "visibility" parameter, or the user's default. NULL when
 * valid, else Mastodon's validation message.
 */
static const char *
reblog_visibility(const struct api_status *target, const char *param,
    const char *user_default, char *vis, size_t vissz)
{
	if (strcmp(target->visibility, "private") == 0)
		param = target->visibility;
	else if (param == NULL || *param == '\0')
		param = user_default;
	str_lcpy(vis, param, vissz);
	if (strcmp(param, "direct") == 0 || strcmp(param, "limited") == 0)
		return "Visibility is reserved";
	if (!api_status_visibility_valid(param))
		return "Visibility is not included in the list";
	return NULL;
}

/* Stores the boost and what goes with it, in one transaction; its id into out. */
static int
reblog_store(struct http_req *req, const struct api_auth *a, const struct api_status *target,
    const char *username, const char *vis, long long *out)
{
	PGresult	*res;
	char		 base[300];
	int		 rc = -1;

	if (db_begin(req->req_db) == -1)
		return -1;
	res = DB_EXEC(req->req_db, STMT_API_ST_INSERT, a->account_id_s,
	    api_base(req, base, sizeof(base)), username, NULL, NULL, NULL, "", "", "", "f",
	    vis, NULL, a->app_id != 0 ? a->app_id_s : NULL, target->id_s);
	if (res == NULL)
		goto fail;
	*out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (target->author_local) {
		res = DB_EXEC(req->req_db, STMT_API_ST_NOTIFY, target->account_id_s,
		    a->account_id_s, "reblog", target->id_s);
		if (res == NULL)
			goto fail;
		PQclear(res);
	}
	if (api_status_federate_create(req->req_db, &req->req_meent->cfg, a->account_id,
	    *out) == -1)
		goto fail;
	if (db_commit(req->req_db) == 0)
		rc = 0;
	return rc;
fail:
	db_rollback(req->req_db);
	return -1;
}

void
api_statuses_reblog(struct http_req *req)
{
	struct api_auth		 a;
	struct api_status	 st, orig;
	const struct api_status	*target;
	struct api_params	*p = NULL;
	PGresult		*poster = NULL;
	const char		*why;
	char			 err[256], vis[16];
	long long		 boost;
	int			 found;

	memset(&orig, 0, sizeof(orig));
	if (api_authenticate(req, "write:statuses", API_AUTH_USER, &a) == -1)
		return;
	if (api_status_from_route(req, a.account_id, 0, &st) == -1 ||
	    reblog_target(req, &a, &st, &orig, &target) == -1)
		goto out;
	found = api_status_id_of(req, STMT_API_ST_REBLOG_OF, a.account_id_s, target->id_s, &boost);
	if (found != 0) {
		if (found == -1)
			http_reply_db_error(req);
		else
			reblog_reply(req, a.account_id, boost);
		goto out;
	}
	if (api_compose_rate_limit(req, a.account_id_s) == -1)
		goto out;
	if ((p = api_params_parse(req, err, sizeof(err))) == NULL) {
		http_reply_error(req, 400, err);
		goto out;
	}
	if ((poster = api_compose_poster(req, a.account_id_s, a.user_id_s)) == NULL)
		goto out;
	why = reblog_visibility(target, api_param_str(p, "visibility"),
	    PQgetvalue(poster, 0, API_POSTER_VISIBILITY), vis, sizeof(vis));
	if (why != NULL) {
		api_reply_invalid(req, why);
		goto out;
	}
	if (reblog_store(req, &a, target, PQgetvalue(poster, 0, API_POSTER_USERNAME), vis,
	    &boost) == -1) {
		/* Two boosts at once: the unique index kept one; return it. */
		if (strcmp(db_sqlstate(req->req_db), "23505") == 0 &&
		    api_status_id_of(req, STMT_API_ST_REBLOG_OF, a.account_id_s, target->id_s,
		    &boost) == 1)
			reblog_reply(req, a.account_id, boost);
		else
			http_reply_db_error(req);
		goto out;
	}
	reblog_reply(req, a.account_id, boost);
out:
	PQclear(poster);
	api_params_free(p);
	api_status_cleanup(&orig);
	api_status_cleanup(&st);
}

/*
 * Takes back account's boost of st: the boost is deleted like any status
 * of one's own (its notification and the Undo of its Announce with it).
 * 1 when there was one, 0 when not, -1 on a database failure.
 */
static int
reblog_undo(struct http_req *req, const struct api_auth *a, const struct api_status *st)
{
	struct api_status	 boost;
	long long		 id;
	int			 found;

	if ((found = api_status_id_of(req, STMT_API_ST_REBLOG_OF, a->account_id_s, st->id_s,
	    &id)) != 1)
		return found;
	if ((found = api_status_load(req, a->account_id, id, &boost)) == 1 &&
	    api_status_remove(req, a, &boost) == -1)
		found = -1;
	api_status_cleanup(&boost);
	return found;
}

void
api_statuses_unreblog(struct http_req *req)
{
	struct api_auth		 a;
	struct api_status	 st;
	int			 undone;

	if (api_authenticate(req, "write:statuses", API_AUTH_USER, &a) == -1)
		return;
	/* The id is the original's; Mastodon finds the caller's boost of it,
	 * and answers with the original even when it is no longer visible. */
	if (api_status_from_route(req, a.account_id, API_STATUS_ANY, &st) == -1)
		goto out;
	if ((undone = reblog_undo(req, &a, &st)) == -1)
		http_reply_db_error(req);
	else if (undone == 0 && !st.visible)
		api_reply_not_found(req);
	else
		api_status_reply(req, a.account_id, st.id);
out:
	api_status_cleanup(&st);
}
