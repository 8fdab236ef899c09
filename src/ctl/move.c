/*
 * meentctl account alias / account move: moving an official account to
 * another server, or onto this one, as Mastodon's account migration does.
 * The new account must first name the old one as an alias (alsoKnownAs);
 * then the old one announces a Move to its followers, whose servers move
 * them over, and the local followers are moved by the "move" job.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ap/fanout.h"
#include "ap/move.h"
#include "ctl/ctl.h"
#include "util/mem.h"
#include "util/str.h"

/* The local account USERNAME: its id and uri into the buffers. */
static int
move_local(struct ctl *c, const char *username, char *id, size_t idsz, char *uri,
    size_t urisz)
{
	PGresult	*res;
	int		 rc = CTL_OK;

	if ((res = DB_EXEC(c->db, STMT_CTL_ACCOUNT_URI, username)) == NULL)
		return ctl_stmt_fail(c, "looking up the account");
	if (PQntuples(res) == 0)
		rc = ctl_fail(CTL_ERR, "account '%s' not found", username);
	else if (ctl_cell_bool(res, 0, 2))
		rc = ctl_fail(CTL_ERR, "account '%s' is suspended", username);
	else {
		str_lcpy(id, PQgetvalue(res, 0, 0), idsz);
		str_lcpy(uri, PQgetvalue(res, 0, 1), urisz);
	}
	PQclear(res);
	return rc;
}

static int
ctl_account_alias(struct ctl *c, int argc, char **argv)
{
	struct ctl_opt		 opts[] = { { "--remove", 0, NULL }, { NULL, 0, NULL } };
	const char		*pos[2];
	struct ctl_actor	 a;
	char			 id[24], uri[2048];
	PGresult		*res;
	int			 npos, rc, remove;

	if ((rc = ctl_args(c, "account alias", argc, argv, opts, pos, 2, 2, &npos)) != CTL_OK)
		return rc;
	remove = opts[0].value != NULL;
	if ((rc = move_local(c, pos[0], id, sizeof(id), uri, sizeof(uri))) != CTL_OK)
		return rc;
	if ((rc = ctl_fetch_actor(c, pos[1], &a)) != CTL_OK)
		return rc;
	res = DB_EXEC(c->db, remove ? STMT_CTL_ALIAS_REMOVE : STMT_CTL_ALIAS_ADD, id, a.uri);
	if (res == NULL)
		return ctl_stmt_fail(c, "changing the aliases");
	if (c->json)
		ctl_print_json(json_pack("{s:s,s:s,s:b}", "account", pos[0], "alias", a.uri,
		    "removed", remove));
	else
		printf("%s %s %s as an alias\n", pos[0], remove ? "no longer names" : "names",
		    a.uri);
	PQclear(res);
	return CTL_OK;
}

static int
ctl_account_move(struct ctl *c, int argc, char **argv)
{
	struct ctl_actor	 a;
	char			 id[24], uri[2048], *mid = NULL;
	PGresult		*res;
	json_t			*act = NULL;
	int			 rc, claims;

	if (argc != 2)
		return ctl_fail(CTL_USAGE, "account move takes USERNAME and the new account "
		    "(user@domain or its URL)");
	if ((rc = move_local(c, argv[0], id, sizeof(id), uri, sizeof(uri))) != CTL_OK)
		return rc;
	/* Fetched afresh: the alias may have been added a moment ago. */
	if ((rc = ctl_fetch_actor(c, argv[1], &a)) != CTL_OK)
		return rc;
	if ((res = DB_EXEC(c->db, STMT_CTL_ALIAS_CLAIMS, a.uri, uri)) == NULL)
		return ctl_stmt_fail(c, "checking the new account's aliases");
	claims = PQntuples(res) == 1 && ctl_cell_bool(res, 0, 0);
	PQclear(res);
	if (!claims)
		return ctl_fail(CTL_ERR, "%s does not name %s as an alias (alsoKnownAs); add "
		    "it on the new account first", a.uri, uri);

	mid = xasprintf("%s#moves/%lld", uri, (long long)time(NULL));
	act = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}",
	    "@context", "https://www.w3.org/ns/activitystreams", "id", mid, "type", "Move",
	    "actor", uri, "object", uri, "target", a.uri);
	rc = CTL_ERR;
	if (act == NULL || db_begin(c->db) == -1)
		goto out;
	/* The remote followers' servers move them; the "move" job marks the
	 * account and moves its local followers. */
	if (ap_fanout_queue(c->db, strtoll(id, NULL, 10), act, NULL) == -1 ||
	    ap_move_queue(c->db, strtoll(id, NULL, 10), a.uri) == -1 ||
	    db_commit(c->db) == -1) {
		db_rollback(c->db);
		rc = ctl_stmt_fail(c, "queueing the move");
		goto out;
	}
	if (c->json)
		ctl_print_json(json_pack("{s:s,s:s,s:s}", "account", argv[0], "moved_to", a.uri,
		    "activity", mid));
	else
		printf("%s is moving to %s; its followers are being told\n", argv[0], a.uri);
	rc = CTL_OK;
out:
	json_decref(act);
	free(mid);
	return rc;
}

const struct ctl_cmd ctl_move_cmds[] = {
	{ "account", "alias", "USERNAME ACCT|URL [--remove]",
	    "name (or stop naming) a remote account as a former account of USERNAME, so it "
	    "can move here",
	    ctl_account_alias, 1 },
	{ "account", "move", "USERNAME ACCT|URL",
	    "move USERNAME to a new account that names it as an alias: followers are moved",
	    ctl_account_move, 1 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
