/*
 * meentctl member: which users may act as which local accounts. Several
 * staff can run one official account and one person can run several;
 * the role (owner, manager, editor) says what they may do there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"
#include "util/mem.h"

/*
 * Looks up a user and a local account by name; their ids go to uid and
 * aid (new strings). Either may be NULL to skip that lookup.
 */
static int
member_lookup(struct ctl *c, const char *user, const char *account, char **uid,
    char **aid)
{
	PGresult	*res;
	char		 subject[128];

	if (uid != NULL) {
		snprintf(subject, sizeof(subject), "user '%s'", user);
		if ((res = DB_EXEC(c->db, STMT_CTL_USER_GET, user)) == NULL)
			return ctl_stmt_fail(c, subject);
		if (PQntuples(res) == 0) {
			PQclear(res);
			return ctl_fail(CTL_ERR, "%s not found (see meentctl user list)",
			    subject);
		}
		*uid = xstrdup(PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	if (aid != NULL) {
		snprintf(subject, sizeof(subject), "account '%s'", account);
		if ((res = DB_EXEC(c->db, STMT_CTL_ACCOUNT_GET, account)) == NULL)
			return ctl_stmt_fail(c, subject);
		if (PQntuples(res) == 0) {
			PQclear(res);
			return ctl_fail(CTL_ERR, "%s not found (see meentctl account "
			    "list)", subject);
		}
		*aid = xstrdup(PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	return CTL_OK;
}

static int
ctl_member_add(struct ctl *c, int argc, char **argv)
{
	struct ctl_opt	 opts[] = {
		{ "--role", 1, NULL },
		{ NULL, 0, NULL },
	};
	const char	*pos[2], *role;
	char		*uid = NULL, *aid = NULL, subject[160];
	PGresult	*res = NULL;
	int		 rc;

	if ((rc = ctl_args(c, "member add", argc, argv, opts, pos, 2, 2, NULL)) != CTL_OK)
		return rc;
	role = opts[0].value ? opts[0].value : "editor";
	if (strcmp(role, "owner") != 0 && strcmp(role, "manager") != 0 &&
	    strcmp(role, "editor") != 0)
		return ctl_fail(CTL_USAGE, "member add: --role is owner, manager or editor");
	if ((rc = member_lookup(c, pos[0], pos[1], &uid, &aid)) != CTL_OK)
		goto out;
	snprintf(subject, sizeof(subject), "membership of '%s' in '%s'", pos[0], pos[1]);
	if ((res = DB_EXEC(c->db, STMT_CTL_MEMBER_UPSERT, uid, aid, role)) == NULL) {
		rc = ctl_stmt_fail(c, subject);
		goto out;
	}
	if (c->json)
		ctl_print_json(json_pack("{s:s,s:s,s:o,s:o,s:b}", "user", pos[0],
		    "account", pos[1], "role", ctl_json_cell(res, 0, 0),
		    "previous_role", ctl_json_cell(res, 0, 1),
		    "created", PQgetisnull(res, 0, 1)));
	else if (PQgetisnull(res, 0, 1))
		printf("%s is now %s of %s\n", pos[0], role, pos[1]);
	else
		printf("%s was %s of %s, is now %s\n", pos[0],
		    PQgetvalue(res, 0, 1), pos[1], role);
	rc = CTL_OK;
out:
	PQclear(res);
	free(uid);
	free(aid);
	return rc;
}

/* Removes the membership and, in the same transaction, the user's tokens
 * for that account: they were issued on the strength of the membership. */
static int
ctl_member_remove(struct ctl *c, int argc, char **argv)
{
	const char	*pos[2];
	char		*uid = NULL, *aid = NULL, subject[160];
	PGresult	*res = NULL, *rev = NULL;
	int		 rc;

	if ((rc = ctl_args(c, "member remove", argc, argv, NULL, pos, 2, 2, NULL)) != CTL_OK)
		return rc;
	if ((rc = member_lookup(c, pos[0], pos[1], &uid, &aid)) != CTL_OK)
		goto out;
	snprintf(subject, sizeof(subject), "membership of '%s' in '%s'", pos[0], pos[1]);
	if (db_begin(c->db) == -1) {
		rc = ctl_stmt_fail(c, subject);
		goto out;
	}
	if ((res = DB_EXEC(c->db, STMT_CTL_MEMBER_DELETE, uid, aid)) == NULL ||
	    (rev = DB_EXEC(c->db, STMT_CTL_MEMBER_REVOKE_TOKENS, uid, aid)) == NULL) {
		rc = ctl_stmt_fail(c, subject);
		db_rollback(c->db);
		goto out;
	}
	if (PQntuples(res) == 0) {
		rc = ctl_fail(CTL_ERR, "%s is not a member of %s", pos[0], pos[1]);
		db_rollback(c->db);
		goto out;
	}
	if (db_commit(c->db) == -1) {
		rc = ctl_stmt_fail(c, subject);
		goto out;
	}
	if (c->json)
		ctl_print_json(json_pack("{s:s,s:s,s:o,s:I}", "user", pos[0],
		    "account", pos[1], "role", ctl_json_cell(res, 0, 0),
		    "tokens_revoked", (json_int_t)ctl_affected(rev)));
	else
		printf("%s is no longer %s of %s; %lld token(s) revoked\n", pos[0],
		    PQgetvalue(res, 0, 0), pos[1], ctl_affected(rev));
	rc = CTL_OK;
out:
	PQclear(rev);
	PQclear(res);
	free(uid);
	free(aid);
	return rc;
}

static int
ctl_member_list(struct ctl *c, int argc, char **argv)
{
	const char	*pos[1] = { NULL };
	char		*aid = NULL;
	json_t		*arr;
	PGresult	*res = NULL;
	int		 rc, npos;

	if ((rc = ctl_args(c, "member list", argc, argv, NULL, pos, 0, 1, &npos)) != CTL_OK)
		return rc;
	if (npos == 1 && (rc = member_lookup(c, NULL, pos[0], NULL, &aid)) != CTL_OK)
		return rc;
	if ((res = DB_EXEC(c->db, STMT_CTL_MEMBER_LIST, aid)) == NULL) {
		rc = ctl_stmt_fail(c, "listing memberships");
		goto out;
	}
	if (c->json) {
		arr = json_array();
		for (int i = 0; i < PQntuples(res); i++)
			json_array_append_new(arr, json_pack("{s:o,s:o,s:o,s:o,s:o}",
			    "user", ctl_json_cell(res, i, 0),
			    "account", ctl_json_cell(res, i, 1),
			    "role", ctl_json_cell(res, i, 2),
			    "created_at", ctl_json_cell(res, i, 3),
			    "organisation", ctl_json_cell(res, i, 4)));
		ctl_print_json(arr);
	} else {
		printf("%-30s %-24s %-8s %s\n", "ACCOUNT", "USER", "ROLE", "ORGANISATION");
		for (int i = 0; i < PQntuples(res); i++)
			printf("%-30s %-24s %-8s %s\n", PQgetvalue(res, i, 1),
			    PQgetvalue(res, i, 0), PQgetvalue(res, i, 2),
			    PQgetvalue(res, i, 4));
	}
	rc = CTL_OK;
out:
	PQclear(res);
	free(aid);
	return rc;
}

const struct ctl_cmd ctl_member_cmds[] = {
	{ "member", "add", "USER ACCOUNT [--role owner|manager|editor]",
	    "let a user act as a local account (default role editor); "
	    "run again to change the role",
	    ctl_member_add, 1 },
	{ "member", "remove", "USER ACCOUNT",
	    "take a user off an account and revoke the user's tokens for it",
	    ctl_member_remove, 1 },
	{ "member", "list", "[ACCOUNT]",
	    "list the memberships, of every account or of one",
	    ctl_member_list, 1 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
