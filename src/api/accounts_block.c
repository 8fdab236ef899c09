/*
 * Blocks and mutes (docs.joinmastodon.org/methods/accounts/#block,
 * #unblock, #mute, #unmute, methods/blocks and methods/mutes), as
 * Mastodon's BlockService, UnblockService, MuteService and UnmuteService:
 * a block ends the follows and requests both ways and, for a remote
 * account, sends the Undo of our Follow, the Reject of theirs and the
 * Block itself; an unblock sends the Undo of the Block. Mutes stay here.
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
#include "util/str.h"

#define MUTE_MAX_SECONDS	3153600000LL	/* a hundred years: for good, in effect */

/* The text of column col, or NULL when it is NULL. */
static const char *
block_col(const PGresult *res, int col)
{
	return PQgetisnull(res, 0, col) ? NULL : PQgetvalue(res, 0, col);
}

/* The federation of a new block of t (ACC_BLOCK's row in res). */
static int
block_federate(struct db *db, long long me, const char *me_uri, const struct acc_target *t,
    const PGresult *res, const char *block_uri)
{
	const char	*row = block_col(res, 1) ? block_col(res, 1) : block_col(res, 3);
	const char	*uri = block_col(res, 1) ? block_col(res, 2) : block_col(res, 4);
	const char	*theirs = block_col(res, 5) ? block_col(res, 5) : block_col(res, 6);
	int		 rc = 0;

	if (row != NULL)	/* our follow or request: Undo Follow */
		rc = api_accounts_undo_follow(db, me, me_uri, t, row, uri);
	if (rc == 0 && theirs != NULL && *theirs != '\0')	/* theirs: Reject */
		rc = api_accounts_send(db, me, t->inbox, api_accounts_answer_activity("Reject",
		    me_uri, block_col(res, 0), theirs, t->uri));
	if (rc == 0)
		rc = api_accounts_send(db, me, t->inbox,
		    api_accounts_activity("Block", block_uri, me_uri, t->uri));
	return rc;
}

static int
block_apply(struct http_req *req, const struct api_auth *a, const struct acc_target *t,
    const struct api_params *p)
{
	PGresult	*res = NULL;
	char		*uri = api_accounts_activity_id(req), *me_uri = NULL;
	int		 rc = -1;

	(void)p;
	/* Blocking oneself changes nothing: BlockService returns early. */
	if (t->id == a->account_id) {
		rc = 0;
		goto out;
	}
	if ((res = DB_EXEC(req->req_db, STMT_ACC_BLOCK, a->account_id_s, t->id_s, uri)) == NULL)
		goto out;
	/* An existing block changes nothing and sends nothing again. */
	if (t->local || PQgetisnull(res, 0, 0)) {
		rc = 0;
		goto out;
	}
	if ((me_uri = api_accounts_uri(req->req_db, a->account_id)) != NULL)
		rc = block_federate(req->req_db, a->account_id, me_uri, t, res, uri);
out:
	free(me_uri);
	free(uri);
	PQclear(res);
	return rc;
}

static int
unblock_apply(struct http_req *req, const struct api_auth *a, const struct acc_target *t,
    const struct api_params *p)
{
	PGresult	*res;
	char		*me_uri = NULL, *uri = NULL;
	int		 rc = -1;

	(void)p;
	if ((res = DB_EXEC(req->req_db, STMT_ACC_UNBLOCK, a->account_id_s, t->id_s)) == NULL)
		return -1;
	if (t->local || PQntuples(res) != 1) {
		rc = 0;
		goto out;
	}
	if ((me_uri = api_accounts_uri(req->req_db, a->account_id)) == NULL)
		goto out;
	uri = api_accounts_object_id(block_col(res, 1), me_uri, "blocks", PQgetvalue(res, 0, 0));
	rc = api_accounts_send(req->req_db, a->account_id, t->inbox,
	    api_accounts_undo_activity(me_uri, "blocks", PQgetvalue(res, 0, 0),
	    api_accounts_activity("Block", uri, me_uri, t->uri)));
out:
	free(uri);
	free(me_uri);
	PQclear(res);
	return rc;
}

/* POST /api/v1/accounts/:id/block */
void
api_accounts_block(struct http_req *req)
{
	api_accounts_act(req, "write:blocks", block_apply);
}

/* POST /api/v1/accounts/:id/unblock */
void
api_accounts_unblock(struct http_req *req)
{
	api_accounts_act(req, "write:blocks", unblock_apply);
}

/*
 * notifications (default true) and duration in seconds (0, the default,
 * is for good; Mastodon reads it with to_i, so junk is 0 too).
 */
static int
mute_apply(struct http_req *req, const struct api_auth *a, const struct acc_target *t,
    const struct api_params *p)
{
	const char	*d;
	char		 secs[24];
	long long	 n = 0;
	int		 notifications;
	PGresult	*res;

	if (t->id == a->account_id)	/* as MuteService, which returns early */
		return 0;
	notifications = api_param_bool(p, "notifications", 1);
	if ((d = api_param_str(p, "duration")) != NULL &&
	    str_to_ll(d, 0, MUTE_MAX_SECONDS, &n) == -1)
		n = 0;
	snprintf(secs, sizeof(secs), "%lld", n);
	res = DB_EXEC(req->req_db, STMT_ACC_MUTE, a->account_id_s, t->id_s,
	    notifications ? "t" : "f", n > 0 ? secs : NULL);
	PQclear(res);
	return res != NULL ? 0 : -1;
}

static int
unmute_apply(struct http_req *req, const struct api_auth *a, const struct acc_target *t,
    const struct api_params *p)
{
	PGresult *res = DB_EXEC(req->req_db, STMT_ACC_UNMUTE, a->account_id_s, t->id_s);

	(void)p;
	PQclear(res);
	return res != NULL ? 0 : -1;
}

/* POST /api/v1/accounts/:id/mute */
void
api_accounts_mute(struct http_req *req)
{
	api_accounts_act(req, "write:mutes", mute_apply);
}

/* POST /api/v1/accounts/:id/unmute */
void
api_accounts_unmute(struct http_req *req)
{
	api_accounts_act(req, "write:mutes", unmute_apply);
}

/* GET /api/v1/blocks */
void
api_blocks_list(struct http_req *req)
{
	api_accounts_own_list(req, "read:blocks", STMT_ACC_BLOCKS, STMT_ACC_BLOCKS_ASC);
}

/* GET /api/v1/mutes */
void
api_mutes_list(struct http_req *req)
{
	api_accounts_own_list(req, "read:mutes", STMT_ACC_MUTES, STMT_ACC_MUTES_ASC);
}
