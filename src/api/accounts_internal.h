/*
 * Shared by the accounts group's files (accounts*.c, relationship.c),
 * nobody else: loading the account an action is aimed at, and the
 * ActivityPub activities those actions send, shaped as Mastodon's
 * serializers shape them (app/serializers/activitypub/).
 */
#ifndef MEENT_API_ACCOUNTS_INTERNAL_H
#define MEENT_API_ACCOUNTS_INTERNAL_H

#include <stddef.h>

#include <jansson.h>

#include "db/statements.h"

struct api_auth;
struct api_page;
struct api_params;
struct db;
struct http_req;

/* The account an action is aimed at (ACC_TARGET). */
struct acc_target {
	long long	 id;
	char		 id_s[24];
	int		 local;
	int		 locked;
	int		 suspended;
	int		 moved;
	char		*uri;		/* owned */
	char		*inbox;		/* owned; "" when it has none */
};

/*
 * Loads the account whose id is the route's :id into t. On failure
 * replies (404 "Record not found" for a bad or unknown id, or the
 * database error) and returns -1. Clean up with api_accounts_target_cleanup
 * either way.
 */
int	 api_accounts_target_load(struct http_req *req, struct acc_target *t);
/* The same for an id already parsed; 0, 1 when there is none (no reply), -1 on a DB error (no reply). */
int	 api_accounts_target_get(struct db *db, long long id, struct acc_target *t);
void	 api_accounts_target_cleanup(struct acc_target *t);

/* The actor URI of the local account id (new), or NULL. */
char	*api_accounts_uri(struct db *db, long long id);

/* A new id for an activity of ours, Mastodon style: "<base>/<uuid>" (new). */
char	*api_accounts_activity_id(struct http_req *req);

/*
 * Sends activity (takes the reference) by the local account actor to the
 * remote inbox, as a delivery job in the caller's transaction. Nothing is
 * sent when inbox is empty. 0 or -1.
 */
int	 api_accounts_send(struct db *db, long long actor, const char *inbox, json_t *activity);

/*
 * An activity {id, type, actor, object} with a URI as its object (new
 * reference): a Follow (ActivityPub::FollowSerializer) or a Block
 * (BlockSerializer).
 */
json_t	*api_accounts_activity(const char *type, const char *id, const char *actor,
	    const char *object);
/*
 * The id of an activity we sent and stored as uri (borrowed; may be NULL
 * or ""), or for rows from before we kept them Mastodon's fallback
 * "<actor>#<what>/<row>" (new either way).
 */
char	*api_accounts_object_id(const char *uri, const char *actor, const char *what,
	    const char *row);

/*
 * Sends t the Undo of the Follow (row, uri as stored) that the local
 * account me (me_uri) sent it: an unfollow, a withdrawn request. 0 or -1.
 */
int	 api_accounts_undo_follow(struct db *db, long long me, const char *me_uri,
	    const struct acc_target *t, const char *row, const char *uri);

/* An Undo of object (takes the reference) with id "<actor>#<what>/<row>/undo". */
json_t	*api_accounts_undo_activity(const char *actor, const char *what, const char *row,
	    json_t *object);
/*
 * An Accept or Reject (answer) by actor of the Follow follow_id that
 * follower sent to actor; its id "<actor>#accepts/follows/<row>" (or
 * rejects) as Mastodon's AcceptFollowSerializer makes it.
 */
json_t	*api_accounts_answer_activity(const char *answer, const char *actor, const char *row,
	    const char *follow_id, const char *follower);

/*
 * Queues an Update of the local account id's actor document to its
 * followers (Mastodon's UpdateDistributionWorker). 0 or -1.
 */
int	 api_accounts_federate_update(struct db *db, long long id);

/*
 * The local account me authorizes (answer "Accept") or rejects
 * ("Reject") the follow request of requester: the database change, the
 * Accept or Reject to a remote requester. In the caller's transaction.
 * 0, 1 when there was no such request, -1 on a database error.
 */
int	 api_accounts_answer_request(struct db *db, long long me, long long requester,
	    const char *answer);

/*
 * What a follow, block or mute endpoint does to the target t once it is
 * loaded, in the transaction api_accounts_act opens: 0 (committed, and
 * the relationship is the answer), 1 when it answered itself (an error:
 * rolled back) or -1 on a database failure (rolled back, 503 or 500).
 */
typedef int	(*api_accounts_action)(struct http_req *req, const struct api_auth *a,
		    const struct acc_target *t, const struct api_params *p);

/*
 * Authenticates for scope (a user token), loads the route's :id and its
 * parameters, runs fn in a transaction and answers with the relationship.
 */
void	 api_accounts_act(struct http_req *req, const char *scope, api_accounts_action fn);

/*
 * Replies with a page of the token's own account listing (blocks, mutes,
 * follow requests), after authenticating for scope: see below.
 */
void	 api_accounts_own_list(struct http_req *req, const char *scope, enum db_stmt desc,
	    enum db_stmt asc);

/*
 * Reads the page (max_id, since_id, min_id, limit with deflimit and
 * maxlimit), runs the listing statement (desc, or asc for min_id) with
 * $1 owner, $2 max, $3 min, $4 limit and, with_viewer, $5 viewer_s (may
 * be NULL); renders column 1 as accounts, adds the Link header with the
 * cursors of column 0 and replies.
 */
void	 api_accounts_list_reply(struct http_req *req, const struct api_params *p,
	    enum db_stmt desc, enum db_stmt asc, const char *owner_s, int with_viewer,
	    const char *viewer_s, int deflimit, int maxlimit);

/* The request's path without its query (for Link headers), into buf. */
const char *api_accounts_path(const struct http_req *req, char *buf, size_t bufsz);

/*
 * Parses the request's parameters; on failure replies 400 with the
 * reason and returns NULL. Free with api_params_free.
 */
struct api_params *api_accounts_params(struct http_req *req);

#endif
