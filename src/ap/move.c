/* The "move" job: see move.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ap/fetch.h"
#include "ap/move.h"
#include "ap/outbox.h"
#include "db/db.h"
#include "jobs/job.h"
#include "jobs/queue.h"
#include "util/log.h"
#include "util/mem.h"

#define AS_CONTEXT	"https://www.w3.org/ns/activitystreams"

/* Columns of AP_MOVE_FOLLOWERS. */
enum { MV_LOCAL, MV_LOCAL_URI, MV_OLD_FOLLOW, MV_OLD_FOLLOW_URI, MV_NEW_FOLLOW_URI };

int
ap_move_queue(struct db *db, long long from, const char *target)
{
	struct job_spec	 js = { 0 };
	json_t		*payload = json_pack("{s:I,s:s}", "from", (json_int_t)from,
			    "target", target);
	char		*dedup = xasprintf("move:%lld", from);
	int		 rc;

	js.kind = AP_MOVE_KIND;
	js.payload = payload;
	js.dedup_key = dedup;
	rc = payload != NULL ? job_enqueue(db, &js, NULL) : -1;
	json_decref(payload);
	free(dedup);
	return rc;
}

/* Undo of the old follow and Follow of the new account, for one follower. */
static int
move_send(struct db *db, const PGresult *res, int row, const char *old_uri,
    const char *old_inbox, const char *new_uri, const char *new_inbox)
{
	long long	 local = strtoll(PQgetvalue(res, row, MV_LOCAL), NULL, 10);
	const char	*me = PQgetvalue(res, row, MV_LOCAL_URI);
	char		*follow_id, *undo_id;
	json_t		*undo, *follow = NULL;
	int		 rc = 0;

	follow_id = PQgetisnull(res, row, MV_OLD_FOLLOW_URI) ?
	    xasprintf("%s#follows/%s", me, PQgetvalue(res, row, MV_OLD_FOLLOW)) :
	    xstrdup(PQgetvalue(res, row, MV_OLD_FOLLOW_URI));
	undo_id = xasprintf("%s#follows/%s/undo", me, PQgetvalue(res, row, MV_OLD_FOLLOW));
	undo = json_pack("{s:s,s:s,s:s,s:s,s:{s:s,s:s,s:s,s:s}}", "@context", AS_CONTEXT,
	    "id", undo_id, "type", "Undo", "actor", me,
	    "object", "id", follow_id, "type", "Follow", "actor", me, "object", old_uri);
	if (undo == NULL || (*old_inbox != '\0' &&
	    ap_outbox_send(db, local, old_inbox, undo) == -1))
		rc = -1;
	if (rc == 0 && !PQgetisnull(res, row, MV_NEW_FOLLOW_URI) && *new_inbox != '\0') {
		follow = json_pack("{s:s,s:s,s:s,s:s,s:s}", "@context", AS_CONTEXT,
		    "id", PQgetvalue(res, row, MV_NEW_FOLLOW_URI), "type", "Follow",
		    "actor", me, "object", new_uri);
		if (follow == NULL || ap_outbox_send(db, local, new_inbox, follow) == -1)
			rc = -1;
	}
	json_decref(undo);
	json_decref(follow);
	free(follow_id);
	free(undo_id);
	return rc;
}

/*
 * In one transaction: check the alias, mark the old account, move the
 * follows and queue the activities. 0 done (or refused, logged), -1 retry.
 */
static int
move_apply(struct db *db, const char *from, long long to)
{
	PGresult	*chk = NULL, *res = NULL, *acc = NULL;
	char		 tobuf[24];
	int		 ok = 0;

	snprintf(tobuf, sizeof(tobuf), "%lld", to);
	if (db_begin(db) == -1)
		return -1;
	if ((chk = DB_EXEC(db, STMT_AP_MOVE_CHECK, from, tobuf)) == NULL)
		goto out;
	if (PQntuples(chk) != 1 || strcmp(PQgetvalue(chk, 0, 0), "t") != 0) {
		log_info("move_refused", "from=%s to=%s reason=\"the new account does not "
		    "name the old one in alsoKnownAs\"", from, tobuf);
		PQclear(chk);
		db_rollback(db);
		return 0;
	}
	if ((res = DB_EXEC(db, STMT_AP_MOVE_FOLLOWERS, from, tobuf)) == NULL)
		goto out;
	for (int i = 0; i < PQntuples(res); i++)
		if (move_send(db, res, i, PQgetvalue(chk, 0, 1), PQgetvalue(chk, 0, 2),
		    PQgetvalue(chk, 0, 3), PQgetvalue(chk, 0, 4)) == -1)
			goto out;
	if ((acc = DB_EXEC(db, STMT_AP_MOVE_ACCEPT_LOCAL, tobuf)) == NULL)
		goto out;
	ok = 1;
	log_info("account_moved", "from=%s to=%s followers=%d", from, tobuf, PQntuples(res));
out:
	PQclear(chk);
	PQclear(res);
	PQclear(acc);
	if (ok)
		return db_commit(db);
	db_rollback(db);
	return -1;
}

static void
move_on_target(const struct ap_fetch_result *res, void *arg)
{
	struct job_ctx	*ctx = arg;
	char		 from[24];

	if (!res->ok) {
		if (res->transient)
			job_retry(ctx, 0, res->error);
		else
			job_fail_permanently(ctx, res->error);
		return;
	}
	snprintf(from, sizeof(from), "%lld",
	    (long long)json_integer_value(json_object_get(job_payload(ctx), "from")));
	if (move_apply(job_db(ctx), from, res->account_id) == -1)
		job_retry(ctx, 0, "database unavailable");
	else
		job_done(ctx);
}

void
ap_move_run(struct job_ctx *ctx)
{
	const char		*target = json_string_value(json_object_get(job_payload(ctx),
				    "target"));
	struct ap_fetch_env	 env;
	PGresult		*r;

	if (target == NULL) {
		job_fail_permanently(ctx, "bad payload");
		return;
	}
	/* A move to one of our own accounts needs no fetch. */
	if ((r = DB_EXEC(job_db(ctx), STMT_IN_LOCAL_ACTOR, target)) == NULL) {
		job_retry(ctx, 0, "database unavailable");
		return;
	}
	if (PQntuples(r) == 1) {
		long long	 to = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		char		 from[24];

		PQclear(r);
		snprintf(from, sizeof(from), "%lld", (long long)json_integer_value(
		    json_object_get(job_payload(ctx), "from")));
		if (move_apply(job_db(ctx), from, to) == -1)
			job_retry(ctx, 0, "database unavailable");
		else
			job_done(ctx);
		return;
	}
	PQclear(r);
	/* Always fetched afresh: the alias may have been added a moment ago. */
	env.client = job_client(ctx);
	env.db = job_db(ctx);
	env.cfg = job_config(ctx);
	ap_fetch_actor(&env, target, move_on_target, ctx);
}
