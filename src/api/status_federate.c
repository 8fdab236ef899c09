/* What the statuses endpoints federate: see status_federate.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "ap/fanout.h"
#include "ap/note.h"
#include "ap/outbox.h"
#include "api/status_federate.h"
#include "db/db.h"
#include "util/log.h"

#define FEDERATE_AS		"https://www.w3.org/ns/activitystreams"
#define FEDERATE_PUBLIC		FEDERATE_AS "#Public"

/*
 * Sends act (borrowed) about a status to its audience, aud its
 * API_ST_AUDIENCE row: the author's followers and the accounts it names,
 * or for a direct post only the latter, one delivery per inbox.
 */
static int
federate_send(struct db *db, long long actor, const char *visibility, const PGresult *aud,
    const json_t *act)
{
	PGresult	*inboxes;
	json_t		*audience;
	int		 rc;

	if (strcmp(visibility, "direct") != 0) {
		audience = json_loads(PQgetvalue(aud, 0, 0), 0, NULL);
		rc = audience != NULL ? ap_fanout_queue(db, actor, act, audience) : -1;
		json_decref(audience);
		return rc;
	}
	if ((inboxes = DB_EXEC(db, STMT_API_ST_INBOXES, PQgetvalue(aud, 0, 0))) == NULL)
		return -1;
	rc = 0;
	for (int i = 0; i < PQntuples(inboxes) && rc == 0; i++)
		rc = ap_outbox_send(db, actor, PQgetvalue(inboxes, i, 0), act);
	PQclear(inboxes);
	return rc;
}

/* res when it has exactly one row, else NULL (res cleared; logged as what). */
static PGresult *
federate_one(PGresult *res, const char *what, long long id)
{
	if (res != NULL && PQntuples(res) != 1) {
		log_warn("status_federate_missing", "%s=%lld", what, id);
		PQclear(res);
		res = NULL;
	}
	return res;
}

/* What an activity about a status is made from. */
struct federate_what {
	const struct config	*cfg;
	long long		 id;		/* the status */
	const char		*edited;	/* Update: the edit's time in seconds */
	const PGresult		*note;		/* its Note row (ap/note.h) */
};

/* Mastodon's UpdateSerializer: id <uri>#updates/<edited_at seconds>,
 * published the edit, addressed as the Note. */
static json_t *
federate_update(const struct federate_what *w)
{
	json_t	*obj = ap_note_render(w->cfg, w->note, 0, 0);
	json_t	*act = json_object();

	json_object_set_new(act, "@context", ap_note_context());
	json_object_set_new(act, "id", json_sprintf("%s#updates/%s",
	    PQgetvalue(w->note, 0, AP_NOTE_COL_URI), w->edited));
	json_object_set_new(act, "type", json_string("Update"));
	json_object_set_new(act, "actor", json_string(PQgetvalue(w->note, 0, AP_NOTE_COL_ACTOR)));
	json_object_set(act, "published", json_object_get(obj, "updated"));
	json_object_set(act, "to", json_object_get(obj, "to"));
	json_object_set(act, "cc", json_object_get(obj, "cc"));
	json_object_set_new(act, "object", obj);
	return act;
}

/* Mastodon's UndoAnnounceSerializer: the Announce, embedded, undone. */
static json_t *
federate_undo_announce(const struct federate_what *w)
{
	const char	*actor = PQgetvalue(w->note, 0, AP_NOTE_COL_ACTOR);
	json_t		*announce = ap_create_render(w->cfg, w->note, 0);

	json_object_del(announce, "@context");
	return json_pack("{s:s,s:o,s:s,s:s,s:[s],s:o}", "@context", FEDERATE_AS,
	    "id", json_sprintf("%s#announces/%lld/undo", actor, w->id),
	    "type", "Undo", "actor", actor, "to", FEDERATE_PUBLIC, "object", announce);
}

/* Mastodon's DeleteSerializer: to Public, the object a Tombstone; for a
 * boost, the Undo of its Announce instead. */
static json_t *
federate_delete(const struct federate_what *w)
{
	const char *uri = PQgetvalue(w->note, 0, AP_NOTE_COL_URI);

	if (ap_note_is_reblog(w->note, 0))
		return federate_undo_announce(w);
	return json_pack("{s:[s,{s:s,s:s}],s:o,s:s,s:s,s:[s],s:{s:s,s:s,s:s}}",
	    "@context", FEDERATE_AS, "ostatus", "http://ostatus.org#", "atomUri", "ostatus:atomUri",
	    "id", json_sprintf("%s#delete", uri), "type", "Delete",
	    "actor", PQgetvalue(w->note, 0, AP_NOTE_COL_ACTOR), "to", FEDERATE_PUBLIC,
	    "object", "id", uri, "type", "Tombstone", "atomUri", uri);
}

/* The Create (or a boost's Announce) as ap/note.c renders it. */
static json_t *
federate_create(const struct federate_what *w)
{
	return ap_create_render(w->cfg, w->note, 0);
}

/*
 * Builds the activity about status id with build and sends it to the
 * status's audience (with interactions: also to everyone who interacted).
 */
static int
federate_status(struct db *db, const struct config *cfg, long long actor, long long id,
    const char *edited, int interactions, json_t *(*build)(const struct federate_what *))
{
	struct federate_what	 w = { cfg, id, edited, NULL };
	char			 idbuf[24];
	/* The Note (ap_note_query's statement) and its audience, in one
	 * round trip. */
	struct db_call		 calls[] = {
		DB_CALL(STMT_OBJ_STATUS_BY_ID, idbuf),
		DB_CALL(STMT_API_ST_AUDIENCE, idbuf, interactions ? "t" : "f"),
	};
	PGresult		*res[2], *note;
	json_t			*act;
	int			 rc = -1;

	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	if (db_exec_batch(db, calls, 2, res) == -1)
		return -1;
	if ((note = federate_one(res[0], "status", id)) == NULL)
		goto out;
	w.note = note;
	if ((act = build(&w)) != NULL)
		rc = federate_send(db, actor, PQgetvalue(note, 0, AP_NOTE_COL_VISIBILITY),
		    res[1], act);
	json_decref(act);
	PQclear(note);
out:
	PQclear(res[1]);
	return rc;
}

int
api_status_federate_create(struct db *db, const struct config *cfg, long long actor,
    long long id)
{
	return federate_status(db, cfg, actor, id, NULL, 0, federate_create);
}

int
api_status_federate_update(struct db *db, const struct config *cfg, long long actor,
    long long id, const char *edited)
{
	return federate_status(db, cfg, actor, id, edited, 1, federate_update);
}

int
api_status_federate_delete(struct db *db, const struct config *cfg, long long actor,
    long long id)
{
	return federate_status(db, cfg, actor, id, NULL, 1, federate_delete);
}

/* The uri and featured collection of local actor id, or NULL. */
static PGresult *
federate_actor(struct db *db, long long id)
{
	char idbuf[24];

	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	return federate_one(DB_EXEC(db, STMT_API_ST_ACTOR, idbuf), "actor", id);
}

int
api_status_federate_like(struct db *db, long long actor, long long fav_id,
    const char *status_uri, const char *inbox, int undo)
{
	PGresult	*who;
	json_t		*like, *act;
	const char	*uri;
	int		 rc;

	if (inbox == NULL || *inbox == '\0')
		return 0;
	if ((who = federate_actor(db, actor)) == NULL)
		return -1;
	uri = PQgetvalue(who, 0, 0);
	/* Mastodon's LikeSerializer: <actor>#likes/<favourite id>. */
	like = json_pack("{s:s,s:o,s:s,s:s,s:s}", "@context", FEDERATE_AS,
	    "id", json_sprintf("%s#likes/%lld", uri, fav_id), "type", "Like",
	    "actor", uri, "object", status_uri);
	act = like;
	if (undo) {
		json_object_del(like, "@context");
		act = json_pack("{s:s,s:o,s:s,s:s,s:o}", "@context", FEDERATE_AS,
		    "id", json_sprintf("%s#likes/%lld/undo", uri, fav_id), "type", "Undo",
		    "actor", uri, "object", like);
	}
	rc = act != NULL ? ap_outbox_send(db, actor, inbox, act) : -1;
	json_decref(act);
	PQclear(who);
	return rc;
}

int
api_status_federate_pin(struct db *db, long long actor, const char *status_uri,
    const char *serial, int remove)
{
	PGresult	*who;
	json_t		*act;
	int		 rc;

	if ((who = federate_actor(db, actor)) == NULL)
		return -1;
	/* Mastodon's AddSerializer and RemoveSerializer carry no id; ours
	 * has one, because inboxes (ours included) drop activities without. */
	act = json_pack("{s:s,s:o,s:s,s:s,s:s,s:s}", "@context", FEDERATE_AS,
	    "id", json_sprintf("%s#featured/%s", PQgetvalue(who, 0, 0), serial),
	    "type", remove ? "Remove" : "Add", "actor", PQgetvalue(who, 0, 0),
	    "target", PQgetvalue(who, 0, 1), "object", status_uri);
	rc = act != NULL ? ap_fanout_queue(db, actor, act, NULL) : -1;
	json_decref(act);
	PQclear(who);
	return rc;
}
