/*
 * meentctl token: bearer tokens for scripts and bots, without an OAuth
 * application. A token acts for one user as one account the user is a
 * member of; only its SHA-256 is stored, and the token itself is shown
 * once.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/scopes.h"
#include "ctl/ctl.h"
#include "util/str.h"
#include "util/token.h"

/* What token create needs from the database, looked up in its transaction. */
struct token_target {
	char	 uid[32];		/* users.id */
	char	 aid[32];		/* accounts.id */
	char	 role[16];		/* memberships.role */
};

/* Finds the user and the account and checks that the one may act as the
 * other; must run inside the transaction that inserts the token. */
static int
token_check_member(struct ctl *c, const char *user, const char *account,
    struct token_target *t)
{
	PGresult	*res;
	int		 rc = CTL_OK;

	if ((res = DB_EXEC(c->db, STMT_CTL_USER_GET, user)) == NULL)
		return ctl_stmt_fail(c, "looking up the user");
	if (PQntuples(res) == 0)
		rc = ctl_fail(CTL_ERR, "user '%s' not found", user);
	else if (ctl_cell_bool(res, 0, 2))
		rc = ctl_fail(CTL_ERR, "user '%s' is disabled", user);
	else
		str_lcpy(t->uid, PQgetvalue(res, 0, 0), sizeof(t->uid));
	PQclear(res);
	if (rc != CTL_OK)
		return rc;

	if ((res = DB_EXEC(c->db, STMT_CTL_ACCOUNT_GET, account)) == NULL)
		return ctl_stmt_fail(c, "looking up the account");
	if (PQntuples(res) == 0)
		rc = ctl_fail(CTL_ERR, "account '%s' not found", account);
	else if (ctl_cell_bool(res, 0, 2))
		rc = ctl_fail(CTL_ERR, "account '%s' is suspended", account);
	else
		str_lcpy(t->aid, PQgetvalue(res, 0, 0), sizeof(t->aid));
	PQclear(res);
	if (rc != CTL_OK)
		return rc;

	if ((res = DB_EXEC(c->db, STMT_CTL_MEMBER_ROLE, t->uid, t->aid)) == NULL)
		return ctl_stmt_fail(c, "checking the membership");
	if (PQntuples(res) == 0)
		rc = ctl_fail(CTL_ERR, "user '%s' is not a member of account '%s': "
		    "meentctl member add %s %s", user, account, user, account);
	else
		str_lcpy(t->role, PQgetvalue(res, 0, 0), sizeof(t->role));
	PQclear(res);
	return rc;
}

static void
token_print(struct ctl *c, const PGresult *res, const char *token,
    const char *scopes, const char *user, const char *account)
{
	if (c->json) {
		ctl_print_json(json_pack("{s:o,s:s,s:s,s:s,s:s,s:s,s:o}",
		    "id", ctl_json_cell(res, 0, 0), "access_token", token,
		    "token_type", "Bearer", "scopes", scopes, "account", account,
		    "user", user, "created_at", ctl_json_cell(res, 0, 1)));
		return;
	}
	/* The token alone on stdout, so TOKEN=$(meentctl token create ...) works. */
	printf("%s\n", token);
	fprintf(stderr, "token %s for user %s as account %s, scopes '%s'.\n"
	    "It is shown only this once: store it now.\n", PQgetvalue(res, 0, 0),
	    user, account, scopes);
}

static int
ctl_token_create(struct ctl *c, int argc, char **argv)
{
	struct ctl_opt		 opts[] = {
		{ "--user", 1, NULL },
		{ "--account", 1, NULL },
		{ "--scopes", 1, NULL },
		{ NULL, 0, NULL },
	};
	struct token_target	 t;
	const char		*why, *bad = "", *user, *account, *scopes_in;
	char			 scopes[API_SCOPES_MAX + 1], token[TOKEN_BUFSZ];
	char			 hash[TOKEN_HASH_BUFSZ];
	size_t			 badlen = 0;
	PGresult		*res = NULL;
	int			 rc;

	if ((rc = ctl_args(c, "token create", argc, argv, opts, NULL, 0, 0, NULL)) != CTL_OK)
		return rc;
	user = opts[0].value;
	account = opts[1].value;
	/* Mastodon's default scope when an app asks for none. */
	scopes_in = opts[2].value ? opts[2].value : "read";
	if (user == NULL || account == NULL)
		return ctl_fail(CTL_USAGE, "token create: --user and --account are required");
	if ((why = api_scopes_check(scopes_in, &bad, &badlen)) != NULL) {
		if (badlen > 0)
			return ctl_fail(CTL_USAGE, "token create: %s '%.*s' (Mastodon's "
			    "scopes: read, write, push, profile, follow, admin:read, "
			    "admin:write and their read:x / write:x parts)", why,
			    (int)badlen, bad);
		return ctl_fail(CTL_USAGE, "token create: %s", why);
	}
	if (api_scopes_normalize(scopes_in, scopes, sizeof(scopes)) == -1)
		return ctl_fail(CTL_USAGE, "token create: bad scopes");

	token_new(token);
	if (token_hash(token, hash) == -1) {
		rc = ctl_fail(CTL_ERR, "token create: hashing the token failed");
		goto out;
	}
	if (db_begin(c->db) == -1) {
		rc = ctl_stmt_fail(c, "token create");
		goto out;
	}
	if ((rc = token_check_member(c, user, account, &t)) != CTL_OK) {
		db_rollback(c->db);
		goto out;
	}
	if ((res = DB_EXEC(c->db, STMT_CTL_TOKEN_INSERT, hash, t.uid, t.aid,
	    scopes)) == NULL) {
		rc = ctl_stmt_fail(c, "token create");
		db_rollback(c->db);
		goto out;
	}
	if (db_commit(c->db) == -1) {
		rc = ctl_stmt_fail(c, "token create");
		goto out;
	}
	token_print(c, res, token, scopes, user, account);
	rc = CTL_OK;
out:
	PQclear(res);
	OPENSSL_cleanse(token, sizeof(token));
	return rc;
}

static int
ctl_token_list(struct ctl *c, int argc, char **argv)
{
	struct ctl_opt	 opts[] = {
		{ "--user", 1, NULL },
		{ NULL, 0, NULL },
	};
	char		 uid[32];
	json_t		*arr;
	PGresult	*res;
	int		 rc;

	if ((rc = ctl_args(c, "token list", argc, argv, opts, NULL, 0, 0, NULL)) != CTL_OK)
		return rc;
	if (opts[0].value == NULL)
		return ctl_fail(CTL_USAGE, "token list: --user is required");
	if ((res = DB_EXEC(c->db, STMT_CTL_USER_GET, opts[0].value)) == NULL)
		return ctl_stmt_fail(c, "looking up the user");
	if (PQntuples(res) == 0) {
		PQclear(res);
		return ctl_fail(CTL_ERR, "user '%s' not found", opts[0].value);
	}
	str_lcpy(uid, PQgetvalue(res, 0, 0), sizeof(uid));
	PQclear(res);
	if ((res = DB_EXEC(c->db, STMT_CTL_TOKEN_LIST, uid)) == NULL)
		return ctl_stmt_fail(c, "listing tokens");
	if (c->json) {
		arr = json_array();
		for (int i = 0; i < PQntuples(res); i++)
			json_array_append_new(arr, json_pack(
			    "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b}",
			    "id", ctl_json_cell(res, i, 0),
			    "account", ctl_json_cell(res, i, 1),
			    "scopes", ctl_json_cell(res, i, 2),
			    "application", ctl_json_cell(res, i, 3),
			    "created_at", ctl_json_cell(res, i, 4),
			    "last_used_at", ctl_json_cell(res, i, 5),
			    "revoked_at", ctl_json_cell(res, i, 6),
			    "expires_at", ctl_json_cell(res, i, 7),
			    "revoked", !PQgetisnull(res, i, 6)));
		ctl_print_json(arr);
	} else {
		printf("%-20s %-24s %-8s %-24s %s\n", "ID", "ACCOUNT", "STATE",
		    "CREATED", "SCOPES");
		for (int i = 0; i < PQntuples(res); i++)
			printf("%-20s %-24s %-8s %-24s %s\n", PQgetvalue(res, i, 0),
			    PQgetvalue(res, i, 1),
			    PQgetisnull(res, i, 6) ? "active" : "revoked",
			    PQgetvalue(res, i, 4), PQgetvalue(res, i, 2));
	}
	PQclear(res);
	return CTL_OK;
}

static int
ctl_token_revoke(struct ctl *c, int argc, char **argv)
{
	const char	*pos[1];
	long long	 id;
	PGresult	*res;
	int		 rc;

	if ((rc = ctl_args(c, "token revoke", argc, argv, NULL, pos, 1, 1, NULL)) != CTL_OK)
		return rc;
	if (str_to_ll(pos[0], 1, LLONG_MAX, &id) == -1)
		return ctl_fail(CTL_USAGE, "token revoke: '%s' is not a token id "
		    "(see meentctl token list)", pos[0]);
	if ((res = DB_EXEC(c->db, STMT_CTL_TOKEN_REVOKE, pos[0])) == NULL)
		return ctl_stmt_fail(c, "token revoke");
	if (PQntuples(res) == 0)
		rc = ctl_fail(CTL_ERR, "token %s not found", pos[0]);
	else if (c->json)
		ctl_print_json(json_pack("{s:o,s:o,s:b}", "id", ctl_json_cell(res, 0, 0),
		    "revoked_at", ctl_json_cell(res, 0, 1),
		    "already_revoked", ctl_cell_bool(res, 0, 2)));
	else
		printf("token %s %s\n", PQgetvalue(res, 0, 0),
		    ctl_cell_bool(res, 0, 2) ? "was already revoked" : "revoked");
	PQclear(res);
	return rc;
}

const struct ctl_cmd ctl_token_cmds[] = {
	{ "token", "create", "--user USER --account ACCOUNT [--scopes \"read write ...\"]",
	    "make a bearer token for a user acting as an account the user is a "
	    "member of (default scope read); the token is printed once",
	    ctl_token_create, 1 },
	{ "token", "list", "--user USER",
	    "list a user's tokens (never the tokens themselves)",
	    ctl_token_list, 1 },
	{ "token", "revoke", "ID", "revoke a token by its id",
	    ctl_token_revoke, 1 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
