/*
 * meentctl: parses the global options, loads the same configuration as
 * meentd and dispatches "GROUP COMMAND [ARGS]" through the command tables.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ctl/ctl.h"
#include "db/migrate.h"
#include "util/log.h"

static const struct ctl_cmd *const ctl_tables[] = {
	ctl_db_cmds,
	ctl_org_cmds,
	ctl_user_cmds,
	ctl_account_cmds,
	ctl_move_cmds,
	ctl_member_cmds,
	ctl_token_cmds,
	ctl_remote_cmds,
	ctl_jobs_cmds,
};
#define CTL_NTABLES	(sizeof(ctl_tables) / sizeof(ctl_tables[0]))

int
ctl_fail(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("meentctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int
ctl_db_fail(struct ctl *c, const char *what)
{
	if (db_last_error(c->db) == DB_DOWN)
		return ctl_fail(CTL_DBERR, "%s: database unreachable: %s", what,
		    db_errmsg(c->db));
	return ctl_fail(CTL_ERR, "%s: %s", what, db_errmsg(c->db));
}

void
ctl_print_json(json_t *obj)
{
	char *s = json_dumps(obj, JSON_INDENT(2) | JSON_ENCODE_ANY);

	if (s != NULL)
		puts(s);
	free(s);
	json_decref(obj);
}

struct db *
ctl_db(struct ctl *c)
{
	if (c->db != NULL)
		return c->db;
	c->db = db_new(c->cfg.database, (int)c->cfg.db_statement_timeout, 0);
	if (db_connect(c->db) == -1) {
		ctl_fail(CTL_DBERR, "cannot connect to the database: %s", db_errmsg(c->db));
		db_free(c->db);
		c->db = NULL;
	}
	return c->db;
}

/* Statements are prepared only once the schema is known to be current. */
static int
ctl_prepare(struct ctl *c)
{
	int version;

	if (ctl_db(c) == NULL)
		return CTL_DBERR;
	version = db_schema_version(db_conn(c->db));
	if (version < DB_SCHEMA_VERSION)
		return ctl_fail(CTL_ERR, "database schema is version %d, need %d: "
		    "run meentctl db migrate", version < 0 ? 0 : version,
		    DB_SCHEMA_VERSION);
	db_free(c->db);
	c->db = db_new(c->cfg.database, (int)c->cfg.db_statement_timeout, DB_PREPARE);
	if (db_connect(c->db) == -1)
		return ctl_fail(CTL_DBERR, "cannot prepare statements: %s",
		    db_errmsg(c->db));
	return CTL_OK;
}

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: meentctl [--config FILE] [--json] GROUP COMMAND [ARGS]\n"
	    "       meentctl GROUP COMMAND --help\n"
	    "\n"
	    "The configuration is the one meentd reads (--config, or MEENT_CONFIG).\n"
	    "\n"
	    "commands:\n");
	for (size_t t = 0; t < CTL_NTABLES; t++)
		for (const struct ctl_cmd *cmd = ctl_tables[t]; cmd->group; cmd++)
			fprintf(fp, "  %s %s %s\n      %s\n", cmd->group, cmd->name,
			    cmd->args, cmd->help);
}

static const struct ctl_cmd *
ctl_find(const char *group, const char *name, int *group_found)
{
	*group_found = 0;
	for (size_t t = 0; t < CTL_NTABLES; t++)
		for (const struct ctl_cmd *cmd = ctl_tables[t]; cmd->group; cmd++) {
			if (strcmp(cmd->group, group) != 0)
				continue;
			*group_found = 1;
			if (name != NULL && strcmp(cmd->name, name) == 0)
				return cmd;
		}
	return NULL;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl		 c;
	struct config_err	 cerr;
	const struct ctl_cmd	*cmd;
	int			 ch, rc, group_found;

	memset(&c, 0, sizeof(c));
	c.config_path = getenv("MEENT_CONFIG");
	/* "+" stops at the first non-option: the rest belongs to the command. */
	while ((ch = getopt_long(argc, argv, "+c:jhV", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': c.config_path = optarg; break;
		case 'j': c.json = 1; break;
		case 'h': usage(stdout); return CTL_OK;
		case 'V': printf("meentctl %s\n", PACKAGE_VERSION); return CTL_OK;
		default: usage(stderr); return CTL_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return CTL_USAGE;
	}
	cmd = ctl_find(argv[0], argc > 1 ? argv[1] : NULL, &group_found);
	if (cmd == NULL) {
		if (!group_found)
			ctl_fail(CTL_USAGE, "unknown command group '%s'", argv[0]);
		else
			ctl_fail(CTL_USAGE, "unknown %s command '%s'", argv[0],
			    argc > 1 ? argv[1] : "");
		usage(stderr);
		return CTL_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: meentctl %s %s %s\n\n%s\n", cmd->group, cmd->name,
			    cmd->args, cmd->help);
			return CTL_OK;
		}
	}
	if (c.config_path == NULL)
		return ctl_fail(CTL_USAGE, "no configuration: use --config FILE or MEENT_CONFIG");
	config_init(&c.cfg);
	if (config_load(&c.cfg, c.config_path, &cerr) == -1) {
		config_cleanup(&c.cfg);
		return ctl_fail(CTL_USAGE, "%s", cerr.msg);
	}
	log_set_level(LOG_LEVEL_ERROR);
	rc = cmd->needs_schema ? ctl_prepare(&c) : CTL_OK;
	if (rc == CTL_OK)
		rc = cmd->run(&c, argc - 2, argv + 2);
	db_free(c.db);
	config_cleanup(&c.cfg);
	return rc;
}
