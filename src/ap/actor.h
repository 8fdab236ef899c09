/*
 * Local actors as ActivityPub documents: GET /users/:username and the
 * instance actor at /actor, rendered the way Mastodon renders them
 * (app/serializers/activitypub/actor_serializer.rb), with content
 * negotiation between ActivityPub JSON and the HTML profile.
 */
#ifndef MEENT_AP_ACTOR_H
#define MEENT_AP_ACTOR_H

#include <jansson.h>
#include <libpq-fe.h>

struct http_req;

/* Columns of AP_ACTOR_COLUMNS (db/stmt_ap.def), in order. */
enum ap_actor_col {
	AP_ACTOR_COL_ID, AP_ACTOR_COL_USERNAME, AP_ACTOR_COL_TYPE, AP_ACTOR_COL_NAME,
	AP_ACTOR_COL_NOTE, AP_ACTOR_COL_URI, AP_ACTOR_COL_URL, AP_ACTOR_COL_INBOX,
	AP_ACTOR_COL_OUTBOX, AP_ACTOR_COL_SHARED_INBOX, AP_ACTOR_COL_FOLLOWERS,
	AP_ACTOR_COL_FOLLOWING, AP_ACTOR_COL_FEATURED, AP_ACTOR_COL_PUBKEY,
	AP_ACTOR_COL_KEY_ID, AP_ACTOR_COL_LOCKED, AP_ACTOR_COL_DISCOVERABLE,
	AP_ACTOR_COL_INDEXABLE, AP_ACTOR_COL_MEMORIAL, AP_ACTOR_COL_FIELDS,
	AP_ACTOR_COL_AKA, AP_ACTOR_COL_MOVED_TO, AP_ACTOR_COL_SUSPENDED,
	AP_ACTOR_COL_DELETED, AP_ACTOR_COL_PUBLISHED, AP_ACTOR_COL_AVATAR,
	AP_ACTOR_COL_HEADER,
};

/* The JSON-LD @context Mastodon puts on actors (new reference). */
json_t	*ap_actor_context(void);

/*
 * Renders row (a result of an AP_ACTOR_COLUMNS query) as an actor
 * document (new reference). Suspended accounts keep only what peers need
 * to verify their last signatures, with "suspended": true.
 */
json_t	*ap_actor_render(const PGresult *res, int row);

/* 1 when the request asks for ActivityPub JSON rather than HTML. */
int	 ap_actor_wants_json(const struct http_req *req);

/* Sends doc (takes the reference) as application/activity+json. */
void	 ap_reply_activity(struct http_req *req, int status, json_t *doc);

void	 ap_actor_get(struct http_req *req);		/* GET /users/:username */
void	 ap_instance_actor_get(struct http_req *req);	/* GET /actor */

#endif
