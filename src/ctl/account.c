/*
 * meentctl account: the instance's own ActivityPub actors. Each belongs
 * to an organisation and has its RSA key pair; its URLs follow Mastodon's
 * layout, which other servers and clients take for granted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ap/keys.h"
#include "ap/urls.h"
#include "ctl/ctl.h"
#include "util/mem.h"
#include "util/validate.h"

#define ACCOUNT_DISPLAY_NAME_MAX	100	/* characters */

static const char *
account_check_type(const char *type)
{
	static const char *const types[] = {
		"Person", "Organization", "Service", "Group",
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i]) == 0)
			return NULL;
	return "--type is Person, Organization, Service or Group";
}

/* Looks up the organisation by slug; its id goes to org_id (new string). */
static int
account_org_id(struct ctl *c, const char *slug, char **org_id)
{
	PGresult	*res;
	char		 subject[128];

	snprintf(subject, sizeof(subject), "organisation '%s'", slug);
	if ((res = DB_EXEC(c->db, STMT_CTL_ORG_GET, slug)) == NULL)
		return ctl_stmt_fail(c, subject);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return ctl_fail(CTL_ERR, "%s not found (see meentctl org list)", subject);
	}
	*org_id = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return CTL_OK;
}

/* Inserts the account and its stats row in one transaction; id is new. */
static int
account_insert(struct ctl *c, const char *const *params, const char *subject,
    char **id)
{
	PGresult	*res = NULL, *stats = NULL;
	int		 rc = CTL_OK;

	if (db_begin(c->db) == -1)
		return ctl_stmt_fail(c, subject);
	if ((res = db_exec(c->db, STMT_CTL_ACCOUNT_INSERT, 16, params)) == NULL ||
	    (stats = DB_EXEC(c->db, STMT_CTL_ACCOUNT_STATS_INSERT,
	    PQgetvalue(res, 0, 0))) == NULL) {
		rc = ctl_stmt_fail(c, subject);
		db_rollback(c->db);
		goto out;
	}
	if (db_commit(c->db) == -1) {
		rc = ctl_stmt_fail(c, subject);
		goto out;
	}
	*id = xstrdup(PQgetvalue(res, 0, 0));
out:
	PQclear(stats);
	PQclear(res);
	return rc;
}

static void
account_created(struct ctl *c, const char *id, const char *name,
    const char *slug, const char *type, int locked, const struct ap_actor_urls *u)
{
	if (!c->json) {
		printf("created account @%s@%s (%s) in %s, id %s\n  %s\n", name,
		    c->cfg.domain, type, slug, id, u->uri);
		return;
	}
	ctl_print_json(json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:s,s:s,"
	    "s:s,s:s,s:s,s:s}",
	    "id", id, "username", name, "acct", name, "organisation", slug,
	    "actor_type", type, "locked", locked, "uri", u->uri, "url", u->url,
	    "inbox_url", u->inbox, "outbox_url", u->outbox,
	    "shared_inbox_url", u->shared_inbox, "followers_url", u->followers,
	    "following_url", u->following, "featured_url", u->featured,
	    "key_id", u->key_id));
}

static int
ctl_account_create(struct ctl *c, int argc, char **argv)
{
	struct ctl_opt		 opts[] = {
		{ "--org", 1, NULL },
		{ "--display-name", 1, NULL },
		{ "--type", 1, NULL },
		{ "--locked", 0, NULL },
		{ NULL, 0, NULL },
	};
	struct ap_actor_urls	 u;
	const char		*pos[1], *why, *dname, *type, *params[16];
	char			*org_id = NULL, *priv = NULL, *pub = NULL, *id = NULL;
	char			 subject[128];
	int			 rc, locked;

	if ((rc = ctl_args(c, "account create", argc, argv, opts, pos, 1, 1, NULL)) != CTL_OK)
		return rc;
	dname = opts[1].value ? opts[1].value : "";
	type = opts[2].value ? opts[2].value : "Person";
	locked = opts[3].value != NULL;
	if (opts[0].value == NULL)
		return ctl_fail(CTL_USAGE, "account create: --org SLUG is required");
	if ((why = validate_account_username(pos[0])) != NULL)
		return ctl_fail(CTL_USAGE, "account create: %s", why);
	/* The instance actor's username is the domain (as Mastodon's is). */
	if (strcasecmp(pos[0], c->cfg.domain) == 0)
		return ctl_fail(CTL_USAGE, "account create: username is reserved "
		    "for the instance actor");
	if ((why = account_check_type(type)) != NULL)
		return ctl_fail(CTL_USAGE, "account create: %s", why);
	if ((why = validate_text(dname, 0, ACCOUNT_DISPLAY_NAME_MAX, 0)) != NULL)
		return ctl_fail(CTL_USAGE, "account create: --display-name: %s (at "
		    "most %d characters)", why, ACCOUNT_DISPLAY_NAME_MAX);
	if ((rc = account_org_id(c, opts[0].value, &org_id)) != CTL_OK)
		return rc;
	if (ap_keys_generate(&priv, &pub) == -1) {
		free(org_id);
		return ctl_fail(CTL_ERR, "account create: generating the key pair failed");
	}
	/* The configured domain is the one meentd serves, and db migrate
	 * records it as the primary instance domain. */
	ap_actor_urls_init(&u, &c->cfg, pos[0]);
	params[0] = pos[0];		params[1] = org_id;
	params[2] = type;		params[3] = dname;
	params[4] = locked ? "true" : "false";
	params[5] = u.uri;		params[6] = u.url;
	params[7] = u.inbox;		params[8] = u.outbox;
	params[9] = u.shared_inbox;	params[10] = u.followers;
	params[11] = u.following;	params[12] = u.featured;
	params[13] = pub;		params[14] = priv;
	params[15] = u.key_id;
	snprintf(subject, sizeof(subject), "account '%s'", pos[0]);
	if ((rc = account_insert(c, params, subject, &id)) == CTL_OK)
		account_created(c, id, pos[0], opts[0].value, type, locked, &u);
	ap_actor_urls_cleanup(&u);
	ap_keys_pem_free(priv);
	free(pub);
	free(org_id);
	free(id);
	return rc;
}

static int
ctl_account_list(struct ctl *c, int argc, char **argv)
{
	struct ctl_opt	 opts[] = {
		{ "--org", 1, NULL },
		{ NULL, 0, NULL },
	};
	json_t		*arr;
	PGresult	*res;
	char		*org_id = NULL;
	int		 rc;

	if ((rc = ctl_args(c, "account list", argc, argv, opts, NULL, 0, 0, NULL)) != CTL_OK)
		return rc;
	/* An unknown organisation is an error, not an empty list. */
	if (opts[0].value != NULL &&
	    (rc = account_org_id(c, opts[0].value, &org_id)) != CTL_OK)
		return rc;
	free(org_id);
	if ((res = DB_EXEC(c->db, STMT_CTL_ACCOUNT_LIST, opts[0].value)) == NULL)
		return ctl_stmt_fail(c, "listing accounts");
	if (c->json) {
		arr = json_array();
		for (int i = 0; i < PQntuples(res); i++)
			json_array_append_new(arr, json_pack(
			    "{s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:b,s:o,s:o,s:I}",
			    "id", ctl_json_cell(res, i, 0),
			    "username", ctl_json_cell(res, i, 1),
			    "organisation", ctl_json_cell(res, i, 2),
			    "actor_type", ctl_json_cell(res, i, 3),
			    "display_name", ctl_json_cell(res, i, 4),
			    "uri", ctl_json_cell(res, i, 5),
			    "locked", ctl_cell_bool(res, i, 6),
			    "suspended", !PQgetisnull(res, i, 7),
			    "suspended_at", ctl_json_cell(res, i, 7),
			    "created_at", ctl_json_cell(res, i, 8),
			    "members", (json_int_t)ctl_cell_ll(res, i, 9)));
		ctl_print_json(arr);
	} else {
		printf("%-30s %-20s %-12s %-9s %7s  %s\n", "USERNAME", "ORGANISATION",
		    "TYPE", "STATE", "MEMBERS", "DISPLAY NAME");
		for (int i = 0; i < PQntuples(res); i++)
			printf("%-30s %-20s %-12s %-9s %7s  %s\n", PQgetvalue(res, i, 1),
			    PQgetvalue(res, i, 2), PQgetvalue(res, i, 3),
			    PQgetisnull(res, i, 7) ? "active" : "suspended",
			    PQgetvalue(res, i, 9), PQgetvalue(res, i, 4));
	}
	PQclear(res);
	return CTL_OK;
}

/* account suspend and unsuspend differ only in statement and wording. */
static int
account_set_suspended(struct ctl *c, int argc, char **argv, int suspend)
{
	const char	*cmd = suspend ? "account suspend" : "account unsuspend";
	const char	*pos[1];
	char		 subject[128];
	PGresult	*res;
	int		 rc;

	if ((rc = ctl_args(c, cmd, argc, argv, NULL, pos, 1, 1, NULL)) != CTL_OK)
		return rc;
	snprintf(subject, sizeof(subject), "account '%s'", pos[0]);
	res = DB_EXEC(c->db, suspend ? STMT_CTL_ACCOUNT_SUSPEND :
	    STMT_CTL_ACCOUNT_UNSUSPEND, pos[0]);
	if (res == NULL)
		return ctl_stmt_fail(c, subject);
	if (PQntuples(res) == 0)
		rc = ctl_fail(CTL_ERR, "%s not found", subject);
	else if (c->json)
		ctl_print_json(json_pack("{s:o,s:o}", "username",
		    ctl_json_cell(res, 0, 0), "suspended_at",
		    suspend ? ctl_json_cell(res, 0, 1) : json_null()));
	else
		printf("account %s %s\n", PQgetvalue(res, 0, 0),
		    suspend ? "suspended" : "unsuspended");
	PQclear(res);
	return rc;
}

static int
ctl_account_suspend(struct ctl *c, int argc, char **argv)
{
	return account_set_suspended(c, argc, argv, 1);
}

static int
ctl_account_unsuspend(struct ctl *c, int argc, char **argv)
{
	return account_set_suspended(c, argc, argv, 0);
}

static int
ctl_account_rotate_key(struct ctl *c, int argc, char **argv)
{
	const char	*pos[1];
	char		*priv = NULL, *pub = NULL, subject[128];
	PGresult	*res = NULL;
	int		 rc;

	if ((rc = ctl_args(c, "account rotate-key", argc, argv, NULL, pos, 1, 1,
	    NULL)) != CTL_OK)
		return rc;
	snprintf(subject, sizeof(subject), "account '%s'", pos[0]);
	if (ap_keys_generate(&priv, &pub) == -1)
		return ctl_fail(CTL_ERR, "account rotate-key: generating the key pair failed");
	if ((res = DB_EXEC(c->db, STMT_CTL_ACCOUNT_SET_KEYS, pos[0], pub, priv)) == NULL) {
		rc = ctl_stmt_fail(c, subject);
		goto out;
	}
	if (PQntuples(res) == 0) {
		rc = ctl_fail(CTL_ERR, "%s not found", subject);
		goto out;
	}
	if (c->json)
		ctl_print_json(json_pack("{s:o,s:o,s:s}", "username",
		    ctl_json_cell(res, 0, 0), "key_id", ctl_json_cell(res, 0, 1),
		    "public_key_pem", pub));
	else
		printf("new key pair for %s; the key id stays %s.\n"
		    "Remote servers refetch the actor when a signature with that key id\n"
		    "fails to verify, so they pick up the new public key by themselves.\n",
		    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	rc = CTL_OK;
out:
	PQclear(res);
	ap_keys_pem_free(priv);
	free(pub);
	return rc;
}

const struct ctl_cmd ctl_account_cmds[] = {
	{ "account", "create",
	    "USERNAME --org SLUG [--display-name NAME] "
	    "[--type Person|Organization|Service|Group] [--locked]",
	    "create a local account in an organisation, with a new RSA-2048 key pair",
	    ctl_account_create, 1 },
	{ "account", "list", "[--org SLUG]",
	    "list the local accounts, of every organisation or of one",
	    ctl_account_list, 1 },
	{ "account", "suspend", "USERNAME", "suspend a local account",
	    ctl_account_suspend, 1 },
	{ "account", "unsuspend", "USERNAME", "lift the suspension of a local account",
	    ctl_account_unsuspend, 1 },
	{ "account", "rotate-key", "USERNAME",
	    "give a local account a new key pair under the same key id",
	    ctl_account_rotate_key, 1 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
