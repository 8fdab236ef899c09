/*
 * DELETE /api/v1/statuses/:id: one's own status goes (a tombstone, so
 * that ActivityPub answers 410 Gone for it), with its boosts by anyone,
 * its pin and the notifications about it. The answer is the status as it
 * was, with its source "text" for delete-and-redraft; its media are
 * detached so that the redraft can attach them again (Mastodon's
 * RemovalWorker with redraft). Other servers get a Delete with a
 * Tombstone, or for a boost the Undo of its Announce. Someone else's
 * status is 404, as Mastodon finds it only among the caller's own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/entity.h"
#include "api/status_delete.h"
#include "api/status_federate.h"
#include "api/status_visibility.h"
#include "api/statuses_routes.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"

int
api_status_remove(struct http_req *req, const struct api_auth *a, const struct api_status *st)
{
	PGresult	*res;

	if (db_begin(req->req_db) == -1)
		return -1;
	if ((res = DB_EXEC(req->req_db, STMT_API_ST_DELETE, st->id_s, a->account_id_s)) == NULL)
		goto fail;
	PQclear(res);
	/* A boost's "reblog" notification went to the original's author. */
	if (st->reblog_of_id != 0) {
		res = DB_EXEC(req->req_db, STMT_API_ST_UNNOTIFY, a->account_id_s, st->reblog_of_s,
		    "reblog");
		if (res == NULL)
			goto fail;
		PQclear(res);
	}
	if (api_status_federate_delete(req->req_db, &req->req_meent->cfg, a->account_id,
	    st->id) == -1)
		goto fail;
	return db_commit(req->req_db);
fail:
	db_rollback(req->req_db);
	return -1;
}

void
api_statuses_delete(struct http_req *req)
{
	struct api_auth		 a;
	struct api_status	 st;
	json_t			*obj = NULL;

	if (api_authenticate(req, "write:statuses", API_AUTH_USER, &a) == -1)
		return;
	if (api_status_from_route(req, a.account_id, 0, &st) == -1)
		goto out;
	if (st.account_id != a.account_id) {
		api_reply_not_found(req);
		goto out;
	}
	/* Rendered before it goes: deleted statuses are not rendered. */
	if (api_status_render(req, a.account_id, st.id, &obj) == -1 || obj == NULL) {
		http_reply_db_error(req);
		goto out;
	}
	json_object_set_new(obj, "text", json_string(st.text));
	if (api_status_remove(req, &a, &st) == -1) {
		http_reply_db_error(req);
		goto out;
	}
	http_reply_json(req, 200, obj);
	obj = NULL;
out:
	json_decref(obj);
	api_status_cleanup(&st);
}
