/*
 * What one does to someone's status besides boosting it (docs:
 * methods/statuses): favourite and unfavourite, bookmark and unbookmark,
 * mute and unmute its conversation, pin and unpin one's own. Each answers
 * with the status as the caller now sees it. A favourite tells the author:
 * a notification when local, a Like when remote (Mastodon's
 * FavouriteService); a pin tells the followers through an Add.
 *
 * The undoing endpoints work on a status one can no longer see when there
 * is something to undo (a favourite of a post that went followers-only),
 * as Mastodon's controllers do; otherwise they answer 404 like the rest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/status_federate.h"
#include "api/status_visibility.h"
#include "api/statuses_routes.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/str.h"

/* StatusPinValidator::PIN_LIMIT */
#define ACTIONS_PIN_LIMIT	5

/*
 * Runs statement id with (account, status) and tells whether it returned
 * a row, whose first column goes to first (may be NULL). 1, 0, or -1.
 */
static int
actions_exec(struct http_req *req, enum db_stmt id, const char *account,
    const char *status, char *first, size_t firstsz)
{
	PGresult	*res = DB_EXEC(req->req_db, id, account, status);
	int		 rows;

	if (res == NULL)
		return -1;
	rows = PQntuples(res) > 0;
	if (rows && first != NULL)
		str_lcpy(first, PQgetvalue(res, 0, 0), firstsz);
	PQclear(res);
	return rows;
}

/* Ends a transaction begun by an action: commit, or roll back after err. */
static int
actions_finish(struct http_req *req, int err)
{
	if (err) {
		db_rollback(req->req_db);
		http_reply_db_error(req);
		return -1;
	}
	if (db_commit(req->req_db) == -1) {
		http_reply_db_error(req);
		return -1;
	}
	return 0;
}

/*
 * Tells the author of target about a favourite (or its undoing): a local
 * author by notification (which goes again with the favourite, as in
 * Mastodon), a remote one by Like or Undo. 0 or -1.
 */
static int
actions_tell_author(struct http_req *req, const struct api_auth *a,
    const struct api_status *target, const char *fav, int undo)
{
	PGresult *res;

	if (!target->author_local)
		return api_status_federate_like(req->req_db, a->account_id,
		    strtoll(fav, NULL, 10), target->uri, target->author_inbox, undo);
	if (undo)
		res = DB_EXEC(req->req_db, STMT_API_ST_UNNOTIFY, a->account_id_s, target->id_s,
		    "favourite");
	else
		res = DB_EXEC(req->req_db, STMT_API_ST_NOTIFY, target->account_id_s,
		    a->account_id_s, "favourite", target->id_s);
	PQclear(res);
	return res != NULL ? 0 : -1;
}

/*
 * favourite and unfavourite. Undoing works on a status one can no longer
 * see when there is a favourite to take back.
 */
static void
actions_favourite(struct http_req *req, int undo)
{
	struct api_auth		 a;
	struct api_status	 st, orig, *target;
	char			 fav[24];
	int			 changed, err;

	memset(&orig, 0, sizeof(orig));
	if (api_authenticate(req, "write:favourites", API_AUTH_USER, &a) == -1)
		return;
	if (api_status_from_route(req, a.account_id, undo ? API_STATUS_ANY : 0, &st) == -1 ||
	    api_status_original(req, a.account_id, &st, &orig) == -1)
		goto out;
	/* A boost's original: the only status other servers know. */
	target = orig.id != 0 ? &orig : &st;
	if (db_begin(req->req_db) == -1) {
		http_reply_db_error(req);
		goto out;
	}
	changed = actions_exec(req, undo ? STMT_API_ST_UNFAVOURITE : STMT_API_ST_FAVOURITE,
	    a.account_id_s, target->id_s, fav, sizeof(fav));
	err = changed == -1 || (changed == 1 &&
	    actions_tell_author(req, &a, target, fav, undo) == -1);
	if (actions_finish(req, err) == -1)
		goto out;
	if (changed == 0 && !st.visible)
		api_reply_not_found(req);
	else
		api_status_reply(req, a.account_id, st.id);
out:
	api_status_cleanup(&orig);
	api_status_cleanup(&st);
}

void
api_statuses_favourite(struct http_req *req)
{
	actions_favourite(req, 0);
}

void
api_statuses_unfavourite(struct http_req *req)
{
	actions_favourite(req, 1);
}

/*
 * The simple toggles: run stmt for (account, status), then reply with the
 * status. undo: the status may be invisible when the statement found
 * something to undo.
 */
static void
actions_toggle(struct http_req *req, const char *scope, enum db_stmt stmt, int undo)
{
	struct api_auth		 a;
	struct api_status	 st;
	PGresult		*res;
	int			 rows;

	if (api_authenticate(req, scope, API_AUTH_USER, &a) == -1)
		return;
	if (api_status_from_route(req, a.account_id, undo ? API_STATUS_ANY : 0, &st) == -1)
		goto out;
	if ((res = DB_EXEC(req->req_db, stmt, a.account_id_s, st.id_s)) == NULL) {
		http_reply_db_error(req);
		goto out;
	}
	/* Rows affected: "0" when there was nothing to undo. */
	rows = strcmp(PQcmdTuples(res), "0") != 0;
	PQclear(res);
	if (undo && rows == 0 && !st.visible)
		api_reply_not_found(req);
	else
		api_status_reply(req, a.account_id, st.id);
out:
	api_status_cleanup(&st);
}

void
api_statuses_bookmark(struct http_req *req)
{
	actions_toggle(req, "write:bookmarks", STMT_API_ST_BOOKMARK, 0);
}

void
api_statuses_unbookmark(struct http_req *req)
{
	actions_toggle(req, "write:bookmarks", STMT_API_ST_UNBOOKMARK, 1);
}

void
api_statuses_mute(struct http_req *req)
{
	actions_toggle(req, "write:mutes", STMT_API_ST_MUTE, 0);
}

void
api_statuses_unmute(struct http_req *req)
{
	actions_toggle(req, "write:mutes", STMT_API_ST_UNMUTE, 0);
}

/*
 * Mastodon's StatusPinValidator, its messages in its order, joined the
 * way Rails joins full messages. 0 when the pin is valid, 1 after
 * replying 422, -1 after a database error (replied).
 */
static int
actions_pin_invalid(struct http_req *req, const struct api_auth *a,
    const struct api_status *st)
{
	char		 msg[400] = "";
	PGresult	*res;
	long long	 pins;

	if (st->reblog_of_id != 0)
		str_lcpy(msg, "A boost cannot be pinned", sizeof(msg));
	if (st->account_id != a->account_id)
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), "%sSomeone else's post "
		    "cannot be pinned", *msg ? ", " : "");
	if (strcmp(st->visibility, "direct") == 0)
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), "%sPosts that are only "
		    "visible to mentioned users cannot be pinned", *msg ? ", " : "");
	if ((res = DB_EXEC(req->req_db, STMT_API_ST_PIN_COUNT, a->account_id_s)) == NULL) {
		http_reply_db_error(req);
		return -1;
	}
	pins = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (pins >= ACTIONS_PIN_LIMIT)
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), "%sYou have already "
		    "pinned the maximum number of posts", *msg ? ", " : "");
	if (*msg == '\0')
		return 0;
	api_reply_invalid(req, msg);
	return 1;
}

void
api_statuses_pin(struct http_req *req)
{
	struct api_auth		 a;
	struct api_status	 st;
	char			 serial[24];
	int			 fresh, err;

	if (api_authenticate(req, "write:accounts", API_AUTH_USER, &a) == -1)
		return;
	if (api_status_from_route(req, a.account_id, 0, &st) == -1 ||
	    actions_pin_invalid(req, &a, &st) != 0)
		goto out;
	if (db_begin(req->req_db) == -1) {
		http_reply_db_error(req);
		goto out;
	}
	fresh = actions_exec(req, STMT_API_ST_PIN, a.account_id_s, st.id_s, serial, sizeof(serial));
	if (fresh == 0) {
		/* The unique index, as Api::BaseController answers RecordNotUnique. */
		db_rollback(req->req_db);
		http_reply_error(req, 422, "Duplicate record");
		goto out;
	}
	err = fresh == -1 || api_status_federate_pin(req->req_db, a.account_id, st.uri,
	    serial, 0) == -1;
	if (actions_finish(req, err) == 0)
		api_status_reply(req, a.account_id, st.id);
out:
	api_status_cleanup(&st);
}

void
api_statuses_unpin(struct http_req *req)
{
	struct api_auth		 a;
	struct api_status	 st;
	char			 serial[24];
	int			 had, err;

	if (api_authenticate(req, "write:accounts", API_AUTH_USER, &a) == -1)
		return;
	if (api_status_from_route(req, a.account_id, 0, &st) == -1)
		goto out;
	if (db_begin(req->req_db) == -1) {
		http_reply_db_error(req);
		goto out;
	}
	had = actions_exec(req, STMT_API_ST_UNPIN, a.account_id_s, st.id_s, serial, sizeof(serial));
	err = had == -1 || (had == 1 && api_status_federate_pin(req->req_db, a.account_id,
	    st.uri, serial, 1) == -1);
	if (actions_finish(req, err) == 0)
		api_status_reply(req, a.account_id, st.id);
out:
	api_status_cleanup(&st);
}
