/*
 * Local statuses at their ids: see objects.h.
 *
 * Who sees what, as Mastodon's StatusPolicy#show? decides: public and
 * unlisted statuses anyone (unlisted only keeps a status off public
 * timelines); private ones the author's followers and those mentioned;
 * direct ones only those mentioned. "Anyone" means a signed request in
 * authorized-fetch mode. Refusals are 404, never 403, so that a private
 * status cannot be told apart from one that does not exist.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ap/actor.h"
#include "ap/note.h"
#include "ap/objects.h"
#include "ap/verify.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/str.h"

struct object_route {
	int	 activity;	/* 1: the Create/Announce, 0: the Note */
};

static struct object_route object_note = { 0 };
static struct object_route object_activity = { 1 };

static const char *
col(const PGresult *res, int c)
{
	return PQgetvalue(res, 0, c);
}

/*
 * A deleted status: 410 with a Tombstone naming the status itself (also
 * at .../activity: what peers must drop is the Note).
 */
static void
object_gone(struct http_req *req, const char *uri)
{
	ap_reply_activity(req, 410, json_pack("{s:s,s:s,s:s}",
	    "@context", "https://www.w3.org/ns/activitystreams",
	    "id", uri, "type", "Tombstone"));
}

/*
 * 1 when signer (0: nobody) may see the status in res, 0 when not, -1 on
 * a database error (replied).
 */
static int
object_allowed(struct http_req *req, const PGresult *res, long long signer)
{
	const char	*vis = col(res, AP_NOTE_COL_VISIBILITY);
	char		 who[24];
	PGresult	*acc;
	int		 mentioned, follows;

	if (strcmp(vis, "public") == 0 || strcmp(vis, "unlisted") == 0)
		return 1;
	if (signer == 0)
		return 0;
	snprintf(who, sizeof(who), "%lld", signer);
	acc = DB_EXEC(req->req_db, STMT_OBJ_STATUS_ACCESS, col(res, AP_NOTE_COL_ID), who);
	if (acc == NULL) {
		http_reply_db_error(req);
		return -1;
	}
	mentioned = strcmp(PQgetvalue(acc, 0, 0), "t") == 0;
	follows = strcmp(PQgetvalue(acc, 0, 1), "t") == 0;
	PQclear(acc);
	if (strcmp(vis, "private") == 0)
		return mentioned || follows;
	return mentioned;
}

/* Replies for the status once the signer (0: none or not needed) is known. */
static void
object_serve(struct http_req *req, const struct object_route *rt, int json,
    long long signer)
{
	const char	*id = http_req_param(req, "id");
	long long	 n;
	PGresult	*res = NULL;
	int		 ok;

	if (id == NULL || str_to_ll(id, 1, LLONG_MAX, &n) == -1) {
		http_reply_error(req, 404, "Record not found");
		return;
	}
	res = DB_EXEC(req->req_db, STMT_OBJ_STATUS_BY_USERNAME,
	    http_req_param(req, "username"), id);
	if (res == NULL) {
		http_reply_db_error(req);
		return;
	}
	if (PQntuples(res) != 1) {
		http_reply_error(req, 404, "Record not found");
		goto out;
	}
	/* The account first, as Mastodon's AccountOwnedConcern: a deleted
	 * account is gone with everything it wrote, a suspended one 403s. */
	if (strcmp(col(res, AP_NOTE_COL_ACCOUNT_DELETED), "t") == 0 ||
	    strcmp(col(res, AP_NOTE_COL_DELETED), "t") == 0) {
		object_gone(req, col(res, AP_NOTE_COL_URI));
		goto out;
	}
	if (strcmp(col(res, AP_NOTE_COL_ACCOUNT_SUSPENDED), "t") == 0) {
		http_reply_error(req, 403, "This account is suspended");
		goto out;
	}
	if ((ok = object_allowed(req, res, signer)) == -1)
		goto out;
	if (!ok) {
		http_reply_error(req, 404, "Record not found");
		goto out;
	}
	if (!ap_note_is_reblog(res, 0) || rt->activity) {
		/* A non-public status must not sit in a shared cache. */
		if (strcmp(col(res, AP_NOTE_COL_VISIBILITY), "public") != 0 &&
		    strcmp(col(res, AP_NOTE_COL_VISIBILITY), "unlisted") != 0)
			http_reply_header(req, "Cache-Control", "private, no-store");
		if (!json) {	/* people following a link get the status page */
			http_reply_header(req, "Vary", "Accept");
			http_reply_redirect(req, 302, *col(res, AP_NOTE_COL_URL) != '\0' ?
			    col(res, AP_NOTE_COL_URL) : col(res, AP_NOTE_COL_URI));
		} else if (rt->activity)
			ap_reply_activity(req, 200, ap_create_render(&req->req_meent->cfg, res, 0));
		else
			ap_reply_activity(req, 200, ap_note_render(&req->req_meent->cfg, res, 0, 1));
		goto out;
	}
	/* A reblog has no Note of its own: Mastodon's redirect_to_original
	 * sends the client to the reblogged status. */
	http_reply_header(req, "Vary", "Accept");
	http_reply_redirect(req, 302, col(res, AP_NOTE_COL_REBLOG_URI));
out:
	PQclear(res);
}

static void
object_verified(struct http_req *req, enum ap_verify_outcome outcome,
    const struct ap_signer *signer, const char *reason, void *arg)
{
	const struct object_route *rt = arg;

	if (outcome == AP_VERIFY_OK) {
		object_serve(req, rt, 1, signer->account_id);
		return;
	}
	/* Outside authorized-fetch mode a missing or bad signature only
	 * means "anonymous", as Mastodon's signed_request_account is nil. */
	if (req->req_meent->cfg.authorized_fetch) {
		http_reply_error(req, ap_verify_status(outcome), reason);
		return;
	}
	object_serve(req, rt, 1, 0);
}

static void
object_get(struct http_req *req, struct object_route *rt)
{
	/* The HTML redirect needs no signature; ActivityPub JSON is checked
	 * for one always: it may open a private status even when not required. */
	if (!ap_actor_wants_json(req)) {
		object_serve(req, rt, 0, 0);
		return;
	}
	ap_verify_request(req, object_verified, rt);
}

void
ap_object_status_get(struct http_req *req)
{
	object_get(req, &object_note);
}

void
ap_object_activity_get(struct http_req *req)
{
	object_get(req, &object_activity);
}
