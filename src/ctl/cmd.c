/*
 * What the command groups share: option parsing, database error messages
 * and reading result cells. See ctl.h.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"
#include "util/str.h"

/* Finds the option named by arg ("--name" or "--name=value"). */
static struct ctl_opt *
ctl_opt_find(struct ctl_opt *opts, const char *arg, const char **inline_value)
{
	const char	*eq = strchr(arg, '=');
	size_t		 len = eq ? (size_t)(eq - arg) : strlen(arg);

	*inline_value = eq ? eq + 1 : NULL;
	for (struct ctl_opt *o = opts; o != NULL && o->name != NULL; o++)
		if (strlen(o->name) == len && strncmp(o->name, arg, len) == 0)
			return o;
	return NULL;
}

int
ctl_args(struct ctl *c, const char *cmd, int argc, char **argv,
    struct ctl_opt *opts, const char **pos, int minpos, int maxpos, int *npos)
{
	struct ctl_opt	*o;
	const char	*inl;
	int		 n = 0, only_pos = 0;

	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (!only_pos && strcmp(arg, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (only_pos || arg[0] != '-' || arg[1] == '\0') {
			if (n >= maxpos)
				return ctl_fail(CTL_USAGE, "%s: unexpected argument '%s'",
				    cmd, arg);
			pos[n++] = arg;
			continue;
		}
		if (strcmp(arg, "--json") == 0) {
			c->json = 1;
			continue;
		}
		if ((o = ctl_opt_find(opts, arg, &inl)) == NULL)
			return ctl_fail(CTL_USAGE, "%s: unknown option '%s'", cmd, arg);
		if (!o->has_arg) {
			if (inl != NULL)
				return ctl_fail(CTL_USAGE, "%s: %s takes no value",
				    cmd, o->name);
			o->value = "";
		} else if (inl != NULL)
			o->value = inl;
		else if (i + 1 < argc)
			o->value = argv[++i];
		else
			return ctl_fail(CTL_USAGE, "%s: %s needs a value", cmd, o->name);
	}
	if (n < minpos)
		return ctl_fail(CTL_USAGE, "%s: missing argument%s (see --help)", cmd,
		    minpos - n > 1 ? "s" : "");
	if (npos != NULL)
		*npos = n;
	return CTL_OK;
}

int
ctl_stmt_fail(struct ctl *c, const char *subject)
{
	const char *state = db_sqlstate(c->db);

	if (db_last_error(c->db) == DB_DOWN)
		return ctl_fail(CTL_DBERR, "%s: database unreachable: %s", subject,
		    db_errmsg(c->db));
	if (strcmp(state, "23505") == 0)
		return ctl_fail(CTL_ERR, "%s already exists", subject);
	if (strcmp(state, "23503") == 0)
		return ctl_fail(CTL_ERR, "%s refers to something that does not exist "
		    "(removed meanwhile?)", subject);
	return ctl_fail(CTL_ERR, "%s: %s", subject, db_errmsg(c->db));
}

json_t *
ctl_json_cell(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return json_null();
	/* The database holds UTF-8 only; a NULL here would be a bug. */
	return json_string(PQgetvalue(res, row, col));
}

int
ctl_cell_bool(const PGresult *res, int row, int col)
{
	return !PQgetisnull(res, row, col) && PQgetvalue(res, row, col)[0] == 't';
}

long long
ctl_cell_ll(const PGresult *res, int row, int col)
{
	long long v;

	if (PQgetisnull(res, row, col) ||
	    str_to_ll(PQgetvalue(res, row, col), LLONG_MIN, LLONG_MAX, &v) == -1)
		return 0;
	return v;
}

long long
ctl_affected(PGresult *res)
{
	long long v;

	if (str_to_ll(PQcmdTuples(res), 0, LLONG_MAX, &v) == -1)
		return 0;
	return v;
}
