/*
 * GET /: the instance's front page, for a reader without an account: what
 * this server is, who runs it and how to reach them, the directory of its
 * organisations and their accounts, its rules, the servers it moderates
 * with the public reasons, and how to follow an account from another
 * server. Everything on it is public already (/api/v2/instance,
 * /api/v1/instance/domain_blocks, the accounts' own pages), and it comes
 * from the same statements, so the page and the API never disagree.
 *
 * An ActivityPub client asking for "/" gets the page too, as from
 * Mastodon: the instance actor lives at /actor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "api/entity.h"
#include "db/db.h"
#include "http/request.h"
#include "meent.h"
#include "util/mem.h"
#include "util/str.h"
#include "web/front_routes.h"
#include "web/view.h"
#include "web/web.h"

/*
 * Accounts the directory lists at most. A page of 500 is about 200 KB;
 * an instance that grows past it needs a directory of its own with
 * pages, and until then the page says that the list is cut short.
 */
#define FRONT_MAX_ACCOUNTS	500

/* Columns of WEB_FRONT_DIRECTORY (db/stmt_web_front.def). */
enum { DIR_ORG_ID, DIR_ORG_NAME, DIR_ORG_DESCRIPTION, DIR_ORG_URL, DIR_ACCOUNT_ID };

/* Columns of API_INSTANCE_FACTS (db/stmt_api_instance.def). */
enum { FACTS_RULES, FACTS_CONTACT };

/* What one rendering of the page loads; every member new, NULL when absent. */
struct front_data {
	PGresult	*fd_facts;	/* rules and the contact account's id */
	PGresult	*fd_dir;	/* the directory's rows */
	PGresult	*fd_blocks;	/* the moderated servers, as a JSON array */
	json_t		*fd_accounts;	/* id -> Account entity with the page values */
};

static void
front_data_cleanup(struct front_data *fd)
{
	PQclear(fd->fd_facts);
	PQclear(fd->fd_dir);
	PQclear(fd->fd_blocks);
	json_decref(fd->fd_accounts);
	memset(fd, 0, sizeof(*fd));
}

/* The id in column col of row, or 0 when it is NULL or not an id. */
static long long
front_id(const PGresult *res, int row, int col)
{
	long long	 v = 0;

	if (PQgetisnull(res, row, col) ||
	    str_to_ll(PQgetvalue(res, row, col), 1, (long long)1 << 62, &v) == -1)
		return 0;
	return v;
}

/*
 * Renders the contact account and every account of the directory in one
 * go (one query for all of them) into fd_accounts, keyed by id, each with
 * the page values of web/view.h. 0, or -1 on a database error.
 */
static int
front_render_accounts(struct http_req *req, const char *locale, struct front_data *fd)
{
	int		 rows = PQntuples(fd->fd_dir);
	long long	*ids = xcalloc((size_t)rows + 1, sizeof(*ids));
	size_t		 n = 0, i;
	json_t		*arr = NULL, *a;
	int		 rc = -1;

	if ((ids[n] = front_id(fd->fd_facts, 0, FACTS_CONTACT)) != 0)
		n++;
	for (int r = 0; r < rows && r < FRONT_MAX_ACCOUNTS; r++)
		if ((ids[n] = front_id(fd->fd_dir, r, DIR_ACCOUNT_ID)) != 0)
			n++;
	if (api_accounts_render(req, ids, n, &arr) == -1)
		goto out;
	fd->fd_accounts = json_object();
	json_array_foreach(arr, i, a) {
		const char *id = json_string_value(json_object_get(a, "id"));

		if (id == NULL)
			continue;
		web_account_view(a, req, locale);
		json_object_set(fd->fd_accounts, id, a);
	}
	rc = 0;
out:
	json_decref(arr);
	free(ids);
	return rc;
}

/*
 * An organisation's web address, when it is one a reader may follow: the
 * operator typed it, and only http(s) links are shown (never javascript:
 * or data: ones).
 */
static const char *
front_org_url(const char *url)
{
	if (strncasecmp(url, "https://", 8) == 0 || strncasecmp(url, "http://", 7) == 0)
		return url;
	return "";
}

/*
 * The directory: [{id, name, description, url, accounts: [Account]}], in
 * the statement's order. Sets "directory_cut" when there were more
 * accounts than the page lists.
 */
static json_t *
front_directory(const struct front_data *fd, json_t *ctx)
{
	json_t		*orgs = json_array(), *org = NULL, *acct;
	const char	*last = "";
	int		 rows = PQntuples(fd->fd_dir);

	for (int r = 0; r < rows && r < FRONT_MAX_ACCOUNTS; r++) {
		const char	*org_id = PQgetvalue(fd->fd_dir, r, DIR_ORG_ID);

		acct = json_object_get(fd->fd_accounts,
		    PQgetvalue(fd->fd_dir, r, DIR_ACCOUNT_ID));
		if (acct == NULL)	/* gone between the two queries */
			continue;
		if (org == NULL || strcmp(org_id, last) != 0) {
			org = json_pack("{s:s,s:s,s:s,s:s,s:[]}", "id", org_id,
			    "name", PQgetvalue(fd->fd_dir, r, DIR_ORG_NAME),
			    "description", PQgetvalue(fd->fd_dir, r, DIR_ORG_DESCRIPTION),
			    "url", front_org_url(PQgetvalue(fd->fd_dir, r, DIR_ORG_URL)),
			    "accounts");
			json_array_append_new(orgs, org);
			last = org_id;
		}
		json_array_append(json_object_get(org, "accounts"), acct);
	}
	if (rows > FRONT_MAX_ACCOUNTS)
		json_object_set_new(ctx, "directory_cut", json_integer(FRONT_MAX_ACCOUNTS));
	return orgs;
}

/*
 * The moderated servers, as /api/v1/instance/domain_blocks lists them,
 * each with "severity_text": what the moderation means, in the reader's
 * language. Only "silence", "suspend" and a "noop" that rejects media
 * come out of the statement.
 */
static json_t *
front_blocks(struct http_req *req, const char *locale, const struct front_data *fd)
{
	json_t	*blocks, *b;
	size_t	 i;
	char	 key[64];

	blocks = json_loads(PQgetvalue(fd->fd_blocks, 0, 0), 0, NULL);
	if (!json_is_array(blocks)) {
		json_decref(blocks);
		return json_array();
	}
	json_array_foreach(blocks, i, b) {
		const char *sev = json_string_value(json_object_get(b, "severity"));

		if (sev == NULL || (strcmp(sev, "silence") != 0 && strcmp(sev, "suspend") != 0))
			sev = "noop";
		snprintf(key, sizeof(key), "front.severity_%s", sev);
		json_object_set_new(b, "severity_text", web_text(req, locale, key, NULL));
	}
	return blocks;
}

/* Loads what the page shows into fd. 0, or -1 on a database error. */
static int
front_load(struct http_req *req, const char *locale, struct front_data *fd)
{
	char	 limit[16];

	/* One more than the page shows, to know that there are more. */
	snprintf(limit, sizeof(limit), "%d", FRONT_MAX_ACCOUNTS + 1);
	fd->fd_facts = DB_EXEC0(req->req_db, STMT_API_INSTANCE_FACTS);
	if (fd->fd_facts == NULL || PQntuples(fd->fd_facts) != 1)
		return -1;
	fd->fd_dir = DB_EXEC(req->req_db, STMT_WEB_FRONT_DIRECTORY, limit);
	if (fd->fd_dir == NULL)
		return -1;
	fd->fd_blocks = DB_EXEC0(req->req_db, STMT_API_INSTANCE_DOMAIN_BLOCKS);
	if (fd->fd_blocks == NULL || PQntuples(fd->fd_blocks) != 1)
		return -1;
	return front_render_accounts(req, locale, fd);
}

/*
 * The page's context. The example handle of the "follow from elsewhere"
 * part is a real account's, the contact's or the first one listed.
 */
static json_t *
front_context(struct http_req *req, const char *locale, const struct front_data *fd)
{
	const struct config *cfg = &req->req_meent->cfg;
	json_t		*ctx = json_object(), *rules, *blocks, *contact, *orgs, *first;
	char		 id[24];

	snprintf(id, sizeof(id), "%lld", front_id(fd->fd_facts, 0, FACTS_CONTACT));
	contact = json_object_get(fd->fd_accounts, id);
	if (contact != NULL)
		json_object_set(ctx, "contact_account", contact);
	if (*cfg->contact_email != '\0')
		json_object_set_new(ctx, "contact_email", json_string(cfg->contact_email));
	orgs = front_directory(fd, ctx);
	json_object_set_new(ctx, "organisations", orgs);
	rules = json_loads(PQgetvalue(fd->fd_facts, 0, FACTS_RULES), 0, NULL);
	if (!json_is_array(rules)) {
		json_decref(rules);
		rules = json_array();
	}
	json_object_set_new(ctx, "rules", rules);
	json_object_set_new(ctx, "has_rules", json_boolean(json_array_size(rules) > 0));
	blocks = front_blocks(req, locale, fd);
	json_object_set_new(ctx, "has_blocks", json_boolean(json_array_size(blocks) > 0));
	json_object_set_new(ctx, "blocks", blocks);
	first = contact != NULL ? contact : json_array_get(json_object_get(
	    json_array_get(orgs, 0), "accounts"), 0);
	json_object_set_new(ctx, "example_handle", first != NULL ?
	    json_incref(json_object_get(first, "handle")) : json_string(""));
	return ctx;
}

void
web_front_get(struct http_req *req)
{
	const char		*locale = web_locale(req, http_req_query(req, "lang"));
	struct front_data	 fd;
	json_t			*ctx;

	if (web_reply_cached(req, locale))
		return;
	memset(&fd, 0, sizeof(fd));
	if (front_load(req, locale, &fd) == -1) {
		front_data_cleanup(&fd);
		web_reply_public_message(req, 503, locale, "error.database", NULL);
		return;
	}
	ctx = front_context(req, locale, &fd);
	web_reply_public(req, 200, "front", locale, ctx, NULL);
	json_decref(ctx);
	front_data_cleanup(&fd);
}
