/*
 * The activities that account actions send (see accounts_internal.h),
 * shaped as Mastodon's serializers shape them, so that Mastodon and what
 * copies it (ap/process.c on another Meent among them) recognise them:
 * FollowSerializer, UndoFollowSerializer, BlockSerializer,
 * UndoBlockSerializer, AcceptFollowSerializer, RejectFollowSerializer and
 * UpdateSerializer of the actor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ap/actor.h"
#include "ap/fanout.h"
#include "ap/outbox.h"
#include "api/accounts_internal.h"
#include "api/api.h"
#include "db/db.h"
#include "http/request.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/rand.h"

#define AS_CONTEXT	"https://www.w3.org/ns/activitystreams"
#define AS_PUBLIC	"https://www.w3.org/ns/activitystreams#Public"

char *
api_accounts_activity_id(struct http_req *req)
{
	unsigned char	 u[16];
	char		 base[300];

	/* A version 4 UUID, as Mastodon's TagManager#generate_uri_for. */
	rand_bytes(u, sizeof(u));
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	return xasprintf("%s/%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", api_base(req, base, sizeof(base)),
	    u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
	    u[10], u[11], u[12], u[13], u[14], u[15]);
}

int
api_accounts_send(struct db *db, long long actor, const char *inbox, json_t *activity)
{
	int	 rc = 0;

	if (activity == NULL)
		return -1;
	if (inbox != NULL && *inbox != '\0')
		rc = ap_outbox_send(db, actor, inbox, activity);
	json_decref(activity);
	return rc;
}

char *
api_accounts_object_id(const char *uri, const char *actor, const char *what, const char *row)
{
	if (uri != NULL && *uri != '\0')
		return xstrdup(uri);
	return xasprintf("%s#%s/%s", actor, what, row);
}

json_t *
api_accounts_activity(const char *type, const char *id, const char *actor, const char *object)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s}", "@context", AS_CONTEXT, "id", id,
	    "type", type, "actor", actor, "object", object);
}

json_t *
api_accounts_undo_activity(const char *actor, const char *what, const char *row,
    json_t *object)
{
	json_t	*undo;
	char	*id;

	if (object == NULL)
		return NULL;
	/* The embedded object goes without its own @context. */
	json_object_del(object, "@context");
	id = xasprintf("%s#%s/%s/undo", actor, what, row);
	undo = json_pack("{s:s,s:s,s:s,s:s,s:o}", "@context", AS_CONTEXT, "id", id,
	    "type", "Undo", "actor", actor, "object", object);
	free(id);
	return undo;
}

json_t *
api_accounts_answer_activity(const char *answer, const char *actor, const char *row,
    const char *follow_id, const char *follower)
{
	json_t	*act;
	char	*id;

	id = xasprintf("%s#%s/follows/%s", actor, strcmp(answer, "Accept") == 0 ?
	    "accepts" : "rejects", row);
	act = json_pack("{s:s,s:s,s:s,s:s,s:{s:s,s:s,s:s,s:s}}", "@context", AS_CONTEXT,
	    "id", id, "type", answer, "actor", actor,
	    "object", "id", follow_id, "type", "Follow", "actor", follower, "object", actor);
	free(id);
	return act;
}

int
api_accounts_federate_update(struct db *db, long long id)
{
	PGresult	*res;
	json_t		*actor = NULL, *update = NULL;
	char		 ids[24], *aid = NULL;
	int		 rc = -1;

	snprintf(ids, sizeof(ids), "%lld", id);
	if ((res = DB_EXEC(db, STMT_ACC_ACTOR, ids)) == NULL)
		return -1;
	if (PQntuples(res) != 1)
		goto out;
	actor = ap_actor_render(res, 0);
	/* The actor's @context is the Update's: Mastodon puts it outside. */
	update = json_pack("{s:O,s:s,s:s,s:s,s:[s],s:O}",
	    "@context", json_object_get(actor, "@context"), "id", "", "type", "Update",
	    "actor", PQgetvalue(res, 0, AP_ACTOR_COL_URI), "to", AS_PUBLIC,
	    "object", actor);
	if (update == NULL)
		goto out;
	json_object_del(json_object_get(update, "object"), "@context");
	/* "<uri>#updates/<time>": one id per change, as UpdateSerializer. */
	aid = xasprintf("%s#updates/%lld", PQgetvalue(res, 0, AP_ACTOR_COL_URI),
	    (long long)time(NULL));
	json_object_set_new(update, "id", json_string(aid));
	rc = ap_fanout_queue(db, id, update, NULL);
out:
	if (rc == -1)
		log_warn("account_update_not_federated", "account=%lld", id);
	free(aid);
	json_decref(actor);
	json_decref(update);
	PQclear(res);
	return rc;
}
