/* meentctl org: the organisations (tenants) that own local accounts. */
#include <stdio.h>

#include "ctl/ctl.h"
#include "util/validate.h"

#define ORG_NAME_MAX		200	/* schema: organisations.name */
#define ORG_DESCRIPTION_MAX	5000

static json_t *
org_json(const PGresult *res, int row)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}",
	    "id", ctl_json_cell(res, row, 0),
	    "slug", ctl_json_cell(res, row, 1),
	    "name", ctl_json_cell(res, row, 2),
	    "description", ctl_json_cell(res, row, 3),
	    "url", ctl_json_cell(res, row, 4),
	    "created_at", ctl_json_cell(res, row, 5));
}

static int
ctl_org_create(struct ctl *c, int argc, char **argv)
{
	struct ctl_opt	 opts[] = {
		{ "--description", 1, NULL },
		{ "--url", 1, NULL },
		{ NULL, 0, NULL },
	};
	const char	*pos[2], *why, *desc, *url;
	char		 subject[128];
	PGresult	*res;
	int		 rc;

	if ((rc = ctl_args(c, "org create", argc, argv, opts, pos, 2, 2, NULL)) != CTL_OK)
		return rc;
	desc = opts[0].value ? opts[0].value : "";
	url = opts[1].value ? opts[1].value : "";
	if ((why = validate_org_slug(pos[0])) != NULL)
		return ctl_fail(CTL_USAGE, "org create: %s", why);
	if ((why = validate_text(pos[1], 1, ORG_NAME_MAX, 0)) != NULL)
		return ctl_fail(CTL_USAGE, "org create: name: %s (1 to %d characters)",
		    why, ORG_NAME_MAX);
	if ((why = validate_text(desc, 0, ORG_DESCRIPTION_MAX, 1)) != NULL)
		return ctl_fail(CTL_USAGE, "org create: description: %s (at most %d "
		    "characters)", why, ORG_DESCRIPTION_MAX);
	if (url[0] != '\0' && (why = validate_http_url(url)) != NULL)
		return ctl_fail(CTL_USAGE, "org create: --url: %s", why);

	snprintf(subject, sizeof(subject), "organisation '%s'", pos[0]);
	if ((res = DB_EXEC(c->db, STMT_CTL_ORG_INSERT, pos[0], pos[1], desc, url)) == NULL)
		return ctl_stmt_fail(c, subject);
	if (c->json)
		ctl_print_json(org_json(res, 0));
	else
		printf("created organisation %s (%s), id %s\n", PQgetvalue(res, 0, 1),
		    PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 0));
	PQclear(res);
	return CTL_OK;
}

static int
ctl_org_list(struct ctl *c, int argc, char **argv)
{
	json_t		*arr;
	PGresult	*res;
	int		 rc;

	if ((rc = ctl_args(c, "org list", argc, argv, NULL, NULL, 0, 0, NULL)) != CTL_OK)
		return rc;
	if ((res = DB_EXEC0(c->db, STMT_CTL_ORG_LIST)) == NULL)
		return ctl_stmt_fail(c, "listing organisations");
	if (c->json) {
		arr = json_array();
		for (int i = 0; i < PQntuples(res); i++) {
			json_t *o = org_json(res, i);

			json_object_set_new(o, "accounts",
			    json_integer(ctl_cell_ll(res, i, 6)));
			json_array_append_new(arr, o);
		}
		ctl_print_json(arr);
	} else {
		printf("%-24s %8s  %s\n", "SLUG", "ACCOUNTS", "NAME");
		for (int i = 0; i < PQntuples(res); i++)
			printf("%-24s %8s  %s\n", PQgetvalue(res, i, 1),
			    PQgetvalue(res, i, 6), PQgetvalue(res, i, 2));
	}
	PQclear(res);
	return CTL_OK;
}

const struct ctl_cmd ctl_org_cmds[] = {
	{ "org", "create", "SLUG NAME [--description TEXT] [--url URL]",
	    "create an organisation; SLUG is lower-case letters, digits and -",
	    ctl_org_create, 1 },
	{ "org", "list", "", "list the organisations and how many accounts each has",
	    ctl_org_list, 1 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
