/*
 * Following (docs.joinmastodon.org/methods/accounts/#follow, #unfollow,
 * #remove_from_followers, and methods/follow_requests), as Mastodon's
 * FollowService, UnfollowService, RemoveFromFollowersService,
 * AuthorizeFollowService and RejectFollowService do it:
 *
 *   local, unlocked target   the follow is made at once, "follow" notification
 *   local, locked target     a follow request, "follow_request" notification
 *   remote target            a follow request whose uri is the id of the
 *                            Follow we send; ap/process.c turns it into a
 *                            follow when their Accept names our account
 *                            (STMT_IN_FOLLOW_ACCEPTED: follower and signer)
 *
 * Each change and the activity it sends are one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/accounts_internal.h"
#include "api/accounts_routes.h"
#include "api/api.h"
#include "api/auth.h"
#include "api/params.h"
#include "api/relationship.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/mem.h"

#define FOLLOW_RATE_LIMIT	400	/* follows a day, Mastodon's :follows rate limit */
#define FOLLOW_RATE_PERIOD	86400
#define FOLLOW_LANGUAGES_MAX	100

/* One statement whose result is only success or failure. */
static int
follow_exec_ok(PGresult *res)
{
	PQclear(res);
	return res != NULL ? 0 : -1;
}

/* ---- the follow's options ---- */

struct follow_opts {
	const char	*reblogs;	/* "t", "f" or NULL: keep */
	const char	*notify;
	char		*languages;	/* a JSON array (owned), or NULL: keep */
};

static const char *
follow_bool_opt(const struct api_params *p, const char *key)
{
	int v = api_param_bool(p, key, -1);

	return v == -1 ? NULL : v ? "t" : "f";
}

/* An ISO 639 code: two or three lower-case letters. */
static int
follow_language_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n < 2 || n > 3)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
	return 1;
}

/* Reads reblogs, notify and languages[]; NULL, or the reason for a 422. */
static const char *
follow_opts_parse(const struct api_params *p, struct follow_opts *o)
{
	json_t	*list, *v;
	size_t	 i;

	memset(o, 0, sizeof(*o));
	o->reblogs = follow_bool_opt(p, "reblogs");
	o->notify = follow_bool_opt(p, "notify");
	if ((list = api_param_list(p, "languages")) == NULL)
		return NULL;
	if (json_array_size(list) > FOLLOW_LANGUAGES_MAX) {
		json_decref(list);
		return "Languages is invalid";
	}
	json_array_foreach(list, i, v)
		if (!follow_language_ok(json_string_value(v))) {
			json_decref(list);
			return "Languages is invalid";
		}
	o->languages = json_dumps(list, JSON_COMPACT);
	json_decref(list);
	return NULL;
}

/* ---- follow ---- */

/* The follow's state between me and t: -1 DB error, else bits. */
#define FOLLOW_BLOCKED		0x01
#define FOLLOW_FOLLOWING	0x02
#define FOLLOW_REQUESTED	0x04

static int
follow_state(struct db *db, const char *me, const char *target)
{
	PGresult	*res = DB_EXEC(db, STMT_ACC_FOLLOW_STATE, me, target);
	int		 st = 0;

	if (res == NULL)
		return -1;
	if (strcmp(PQgetvalue(res, 0, 0), "t") == 0)
		st |= FOLLOW_BLOCKED;
	if (strcmp(PQgetvalue(res, 0, 1), "t") == 0)
		st |= FOLLOW_FOLLOWING;
	if (strcmp(PQgetvalue(res, 0, 2), "t") == 0)
		st |= FOLLOW_REQUESTED;
	PQclear(res);
	return st;
}

/* Runs an upsert; *fresh is whether it made a new row. 0 or -1. */
static int
follow_upsert(PGresult *res, int *fresh)
{
	*fresh = 0;
	if (res == NULL)
		return -1;
	*fresh = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	PQclear(res);
	return 0;
}

/* A new follow or request of me to t, in the caller's transaction. */
static int
follow_create(struct http_req *req, const struct api_auth *a, const struct acc_target *t,
    const struct follow_opts *o)
{
	struct db	*db = req->req_db;
	char		*id = NULL, *me_uri = NULL;
	int		 fresh, rc = -1;

	if (t->local && !t->locked) {
		if (follow_upsert(DB_EXEC(db, STMT_ACC_FOLLOW_UPSERT, a->account_id_s, t->id_s,
		    o->reblogs, o->notify, o->languages), &fresh) == -1)
			return -1;
		return fresh ? follow_exec_ok(DB_EXEC(db, STMT_ACC_NOTIFY, t->id_s,
		    a->account_id_s, "follow")) : 0;
	}
	if (t->local) {
		if (follow_upsert(DB_EXEC(db, STMT_ACC_FOLLOW_REQUEST_UPSERT, a->account_id_s,
		    t->id_s, o->reblogs, o->notify, NULL), &fresh) == -1)
			return -1;
		return fresh ? follow_exec_ok(DB_EXEC(db, STMT_ACC_NOTIFY, t->id_s,
		    a->account_id_s, "follow_request")) : 0;
	}
	/* Remote: the request waits for their Accept (ap/process.c). */
	id = api_accounts_activity_id(req);
	if ((me_uri = api_accounts_uri(db, a->account_id)) == NULL)
		goto out;
	if (follow_upsert(DB_EXEC(db, STMT_ACC_FOLLOW_REQUEST_UPSERT, a->account_id_s,
	    t->id_s, o->reblogs, o->notify, id), &fresh) == -1)
		goto out;
	rc = fresh ? api_accounts_send(db, a->account_id, t->inbox,
	    api_accounts_activity("Follow", id, me_uri, t->uri)) : 0;
out:
	free(id);
	free(me_uri);
	return rc;
}

/* Changes the options of an existing follow or request; 0 or -1. */
static int
follow_change(struct db *db, const struct api_auth *a, const struct acc_target *t,
    const struct follow_opts *o, int state)
{
	int	 fresh;

	if (state & FOLLOW_FOLLOWING)
		return follow_upsert(DB_EXEC(db, STMT_ACC_FOLLOW_UPSERT, a->account_id_s, t->id_s,
		    o->reblogs, o->notify, o->languages), &fresh);
	return follow_upsert(DB_EXEC(db, STMT_ACC_FOLLOW_REQUEST_UPSERT, a->account_id_s,
	    t->id_s, o->reblogs, o->notify, NULL), &fresh);
}

/*
 * The follow itself, in api_accounts_act's transaction; 1 when it
 * answered (an error) itself. The rate limit counts new follows only.
 */
static int
follow_apply(struct http_req *req, const struct api_auth *a, const struct acc_target *t,
    const struct api_params *p)
{
	struct follow_opts	 o;
	const char		*why;
	char			 key[48];
	int			 state, rc = 1;

	/* Yourself or a suspended account: FollowService's RecordNotFound. */
	if (t->id == a->account_id || t->suspended) {
		api_reply_not_found(req);
		return 1;
	}
	if ((why = follow_opts_parse(p, &o)) != NULL) {
		api_reply_invalid(req, why);
		return 1;
	}
	if ((state = follow_state(req->req_db, a->account_id_s, t->id_s)) == -1)
		rc = -1;
	else if ((state & FOLLOW_BLOCKED) || t->moved)
		http_reply_error(req, 403, "This action is not allowed");
	else if (state & (FOLLOW_FOLLOWING | FOLLOW_REQUESTED))
		rc = follow_change(req->req_db, a, t, &o, state);
	else {
		snprintf(key, sizeof(key), "follows:%s", a->account_id_s);
		if (api_rate_limit(req, key, FOLLOW_RATE_LIMIT, FOLLOW_RATE_PERIOD) == 0)
			rc = follow_create(req, a, t, &o);
	}
	free(o.languages);
	return rc;
}

/* POST /api/v1/accounts/:id/follow (reblogs, notify, languages[]) */
void
api_accounts_follow(struct http_req *req)
{
	api_accounts_act(req, "write:follows", follow_apply);
}

/* ---- unfollow, remove from followers ---- */

int
api_accounts_undo_follow(struct db *db, long long me, const char *me_uri,
    const struct acc_target *t, const char *row, const char *uri)
{
	char	*id = api_accounts_object_id(uri, me_uri, "follows", row);
	int	 rc;

	rc = api_accounts_send(db, me, t->inbox, api_accounts_undo_activity(me_uri, "follows",
	    row, api_accounts_activity("Follow", id, me_uri, t->uri)));
	free(id);
	return rc;
}

static int
follow_unfollow(struct http_req *req, const struct api_auth *a, const struct acc_target *t,
    const struct api_params *p)
{
	struct db	*db = req->req_db;
	PGresult	*res;
	char		*me_uri = NULL;
	int		 rc = -1, col;

	(void)p;
	if ((res = DB_EXEC(db, STMT_ACC_UNFOLLOW, a->account_id_s, t->id_s)) == NULL)
		return -1;
	/* Column 0 and 1: the follow; 2 and 3: the request. */
	col = !PQgetisnull(res, 0, 0) ? 0 : !PQgetisnull(res, 0, 2) ? 2 : -1;
	if (t->local || col == -1) {
		rc = 0;
		goto out;
	}
	if ((me_uri = api_accounts_uri(db, a->account_id)) == NULL)
		goto out;
	rc = api_accounts_undo_follow(db, a->account_id, me_uri, t, PQgetvalue(res, 0, col),
	    PQgetisnull(res, 0, col + 1) ? NULL : PQgetvalue(res, 0, col + 1));
out:
	free(me_uri);
	PQclear(res);
	return rc;
}

/* POST /api/v1/accounts/:id/unfollow */
void
api_accounts_unfollow(struct http_req *req)
{
	api_accounts_act(req, "write:follows", follow_unfollow);
}

static int
follow_remove_follower(struct http_req *req, const struct api_auth *a,
    const struct acc_target *t, const struct api_params *p)
{
	struct db	*db = req->req_db;
	PGresult	*res;
	char		*me_uri = NULL, *uri = NULL;
	int		 rc = 0;

	(void)p;
	if ((res = DB_EXEC(db, STMT_ACC_FOLLOWER_REMOVE, a->account_id_s, t->id_s)) == NULL)
		return -1;
	if (PQntuples(res) == 1 && !t->local) {
		/* Their Follow is rejected after the fact, as Mastodon tells them. */
		if ((me_uri = api_accounts_uri(db, a->account_id)) == NULL) {
			rc = -1;
			goto out;
		}
		uri = api_accounts_object_id(PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1),
		    t->uri, "follows", PQgetvalue(res, 0, 0));
		rc = api_accounts_send(db, a->account_id, t->inbox, api_accounts_answer_activity(
		    "Reject", me_uri, PQgetvalue(res, 0, 0), uri, t->uri));
	}
out:
	free(uri);
	free(me_uri);
	PQclear(res);
	return rc;
}

/* POST /api/v1/accounts/:id/remove_from_followers */
void
api_accounts_remove_from_followers(struct http_req *req)
{
	api_accounts_act(req, "write:follows", follow_remove_follower);
}

/* ---- follow requests ---- */

int
api_accounts_answer_request(struct db *db, long long me, long long requester,
    const char *answer)
{
	struct acc_target	 t;
	PGresult		*res = NULL;
	char			 me_s[24], *me_uri = NULL;
	int			 rc;

	if ((rc = api_accounts_target_get(db, requester, &t)) != 0)
		goto out;
	snprintf(me_s, sizeof(me_s), "%lld", me);
	res = DB_EXEC(db, strcmp(answer, "Accept") == 0 ? STMT_ACC_REQUEST_AUTHORIZE :
	    STMT_ACC_REQUEST_REJECT, me_s, t.id_s);
	if (res == NULL) {
		rc = -1;
		goto out;
	}
	if (PQntuples(res) != 1) {
		rc = 1;
		goto out;
	}
	/* A remote requester hears the answer to its Follow (uri is its id). */
	if (!t.local && !PQgetisnull(res, 0, 1)) {
		if ((me_uri = api_accounts_uri(db, me)) == NULL) {
			rc = -1;
			goto out;
		}
		rc = api_accounts_send(db, me, t.inbox, api_accounts_answer_activity(answer,
		    me_uri, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), t.uri));
	}
out:
	free(me_uri);
	PQclear(res);
	api_accounts_target_cleanup(&t);
	return rc;
}

/* GET /api/v1/follow_requests */
void
api_follow_requests_list(struct http_req *req)
{
	api_accounts_own_list(req, "read:follows", STMT_ACC_REQUESTS, STMT_ACC_REQUESTS_ASC);
}

/* POST /api/v1/follow_requests/:id/authorize and /reject (:id the requester) */
static void
follow_request_answer(struct http_req *req, const char *answer)
{
	struct api_auth	 a;
	long long	 id;
	int		 rc;

	if (api_authenticate(req, "write:follows", API_AUTH_USER, &a) == -1)
		return;
	if (api_id_parse(http_req_param(req, "id"), &id) == -1) {
		api_reply_not_found(req);
		return;
	}
	if (db_begin(req->req_db) == -1) {
		http_reply_db_error(req);
		return;
	}
	rc = api_accounts_answer_request(req->req_db, a.account_id, id, answer);
	if (rc != 0) {
		db_rollback(req->req_db);
		if (rc == 1)
			api_reply_not_found(req);
		else
			http_reply_db_error(req);
		return;
	}
	if (db_commit(req->req_db) == -1)
		http_reply_db_error(req);
	else
		api_relationship_reply(req, a.account_id, id);
}

void
api_follow_requests_authorize(struct http_req *req)
{
	follow_request_answer(req, "Accept");
}

void
api_follow_requests_reject(struct http_req *req)
{
	follow_request_answer(req, "Reject");
}
