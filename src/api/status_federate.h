/*
 * What the statuses endpoints tell other servers, in the shapes Mastodon
 * sends (app/serializers/activitypub): Create, Update and Delete of a
 * local post, Announce and its Undo for a boost, Like and its Undo, Add
 * and Remove on the featured collection for pins. Each is queued as a job
 * in the caller's open transaction (ap/fanout.h, ap/outbox.h), so a post
 * and its delivery are committed together or not at all. Who receives
 * what is Mastodon's StatusReachFinder: the author's followers and the
 * accounts the post reaches (db/stmt_api_statuses.def API_ST_AUDIENCE);
 * a direct post only the accounts it mentions.
 */
#ifndef MEENT_API_STATUS_FEDERATE_H
#define MEENT_API_STATUS_FEDERATE_H

struct config;
struct db;

/*
 * Queues the Create of the local status id by actor (the Announce for a
 * boost) to its audience. 0, or -1 on a database failure.
 */
int	 api_status_federate_create(struct db *db, const struct config *cfg,
	    long long actor, long long id);

/*
 * The Update of an edited status, with the Note as it now is; edited is
 * the edit's time in seconds since the epoch (the activity's id). 0 or -1.
 */
int	 api_status_federate_update(struct db *db, const struct config *cfg,
	    long long actor, long long id, const char *edited);

/*
 * The Delete (a Tombstone) of a deleted status, or for a boost the Undo of
 * its Announce, to everyone it reached, interactions included. 0 or -1.
 */
int	 api_status_federate_delete(struct db *db, const struct config *cfg,
	    long long actor, long long id);

/*
 * Like (or with undo its Undo) of the status at status_uri by actor,
 * favourite fav_id, to the remote author's inbox. 0 or -1.
 */
int	 api_status_federate_like(struct db *db, long long actor, long long fav_id,
	    const char *status_uri, const char *inbox, int undo);

/*
 * Add (or with remove a Remove) of the status at status_uri to actor's
 * featured collection, to its followers; serial makes the activity's id
 * unique. 0 or -1.
 */
int	 api_status_federate_pin(struct db *db, long long actor, const char *status_uri,
	    const char *serial, int remove);

#endif
