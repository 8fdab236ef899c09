/*
 * meentctl jobs: the job queue as an operator sees it. How much is waiting
 * and failing, which jobs died and why, running them again, and deleting
 * finished ones. meentd's job threads do the work (src/jobs); this only
 * reads and edits the jobs table, so it works while meentd runs.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"
#include "util/str.h"

#define JOBS_LIST_DEFAULT	50
#define JOBS_LIST_MAX		10000
#define JOBS_PURGE_DEFAULT_DAYS	"7"
#define JOBS_PURGE_MAX_DAYS	3650

static const char *const jobs_states[] = { "queued", "running", "done", "failed", "dead" };

static int
jobs_state_valid(const char *s)
{
	for (size_t i = 0; i < sizeof(jobs_states) / sizeof(jobs_states[0]); i++)
		if (strcmp(s, jobs_states[i]) == 0)
			return 1;
	return 0;
}

/* The column names of CTL_JOBS_STATS from column 2 on. */
static const char *const jobs_stats_cols[] = {
	"ready", "scheduled", "retrying", "running", "done", "dead",
	"oldest_ready_seconds",
};
#define JOBS_STATS_NCOLS	(sizeof(jobs_stats_cols) / sizeof(jobs_stats_cols[0]))

static json_t *
jobs_domains_json(const PGresult *res)
{
	json_t *arr = json_array();

	for (int i = 0; i < PQntuples(res); i++)
		json_array_append_new(arr, json_pack("{s:o,s:I,s:o,s:o,s:o,s:o}",
		    "domain", ctl_json_cell(res, i, 0),
		    "failures", (json_int_t)ctl_cell_ll(res, i, 1),
		    "failing_since", ctl_json_cell(res, i, 2),
		    "last_failure_at", ctl_json_cell(res, i, 3),
		    "last_error", ctl_json_cell(res, i, 4),
		    "unavailable_at", ctl_json_cell(res, i, 5)));
	return arr;
}

static void
jobs_stats_print(const PGresult *st, const PGresult *dom)
{
	printf("%-12s %-12s %8s %9s %8s %7s %8s %6s %10s\n", "QUEUE", "KIND", "READY",
	    "SCHEDULED", "RETRYING", "RUNNING", "DONE", "DEAD", "OLDEST(s)");
	for (int i = 0; i < PQntuples(st); i++)
		printf("%-12s %-12s %8s %9s %8s %7s %8s %6s %10s\n",
		    PQgetvalue(st, i, 0), PQgetvalue(st, i, 1), PQgetvalue(st, i, 2),
		    PQgetvalue(st, i, 3), PQgetvalue(st, i, 4), PQgetvalue(st, i, 5),
		    PQgetvalue(st, i, 6), PQgetvalue(st, i, 7), PQgetvalue(st, i, 8));
	if (PQntuples(dom) == 0)
		return;
	printf("\n%-32s %8s %-24s %-24s %s\n", "FAILING DOMAIN", "FAILURES", "SINCE",
	    "UNAVAILABLE SINCE", "LAST ERROR");
	for (int i = 0; i < PQntuples(dom); i++)
		printf("%-32s %8s %-24s %-24s %s\n", PQgetvalue(dom, i, 0),
		    PQgetvalue(dom, i, 1), PQgetvalue(dom, i, 2),
		    PQgetisnull(dom, i, 5) ? "-" : PQgetvalue(dom, i, 5),
		    PQgetvalue(dom, i, 4));
}

static int
ctl_jobs_stats(struct ctl *c, int argc, char **argv)
{
	PGresult	*st = NULL, *dom = NULL;
	json_t		*queues, *o;
	int		 rc;

	if ((rc = ctl_args(c, "jobs stats", argc, argv, NULL, NULL, 0, 0, NULL)) != CTL_OK)
		return rc;
	if ((st = DB_EXEC0(c->db, STMT_CTL_JOBS_STATS)) == NULL ||
	    (dom = DB_EXEC0(c->db, STMT_CTL_JOBS_DOMAINS)) == NULL) {
		rc = ctl_stmt_fail(c, "reading the job queue");
		goto out;
	}
	if (c->json) {
		queues = json_array();
		for (int i = 0; i < PQntuples(st); i++) {
			o = json_pack("{s:o,s:o}", "queue", ctl_json_cell(st, i, 0),
			    "kind", ctl_json_cell(st, i, 1));
			for (size_t k = 0; k < JOBS_STATS_NCOLS; k++)
				json_object_set_new(o, jobs_stats_cols[k],
				    json_integer(ctl_cell_ll(st, i, (int)k + 2)));
			json_array_append_new(queues, o);
		}
		ctl_print_json(json_pack("{s:o,s:o}", "queues", queues,
		    "failing_domains", jobs_domains_json(dom)));
	} else
		jobs_stats_print(st, dom);
	rc = CTL_OK;
out:
	PQclear(st);
	PQclear(dom);
	return rc;
}

static json_t *
jobs_row_json(const PGresult *res, int row)
{
	json_t		*payload;
	json_error_t	 jerr;

	payload = json_loads(PQgetvalue(res, row, 11), JSON_DECODE_ANY, &jerr);
	return json_pack("{s:I,s:o,s:o,s:o,s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:o*}",
	    "id", (json_int_t)ctl_cell_ll(res, row, 0),
	    "queue", ctl_json_cell(res, row, 1),
	    "kind", ctl_json_cell(res, row, 2),
	    "state", ctl_json_cell(res, row, 3),
	    "attempts", (json_int_t)ctl_cell_ll(res, row, 4),
	    "max_attempts", (json_int_t)ctl_cell_ll(res, row, 5),
	    "run_at", ctl_json_cell(res, row, 6),
	    "created_at", ctl_json_cell(res, row, 7),
	    "updated_at", ctl_json_cell(res, row, 8),
	    "last_error", ctl_json_cell(res, row, 9),
	    "locked_by", ctl_json_cell(res, row, 10),
	    "payload", payload);
}

static int
ctl_jobs_list(struct ctl *c, int argc, char **argv)
{
	struct ctl_opt	 opts[] = {
		{ "--state", 1, NULL },
		{ "--kind", 1, NULL },
		{ "--limit", 1, NULL },
		{ NULL, 0, NULL },
	};
	PGresult	*res;
	json_t		*arr;
	long long	 limit = JOBS_LIST_DEFAULT;
	char		 slimit[24];
	int		 rc;

	if ((rc = ctl_args(c, "jobs list", argc, argv, opts, NULL, 0, 0, NULL)) != CTL_OK)
		return rc;
	if (opts[0].value != NULL && !jobs_state_valid(opts[0].value))
		return ctl_fail(CTL_USAGE, "jobs list: --state: expected queued, running, "
		    "done, failed or dead, got '%s'", opts[0].value);
	if (opts[2].value != NULL &&
	    str_to_ll(opts[2].value, 1, JOBS_LIST_MAX, &limit) == -1)
		return ctl_fail(CTL_USAGE, "jobs list: --limit: expected 1 to %d, got '%s'",
		    JOBS_LIST_MAX, opts[2].value);
	snprintf(slimit, sizeof(slimit), "%lld", limit);
	if ((res = DB_EXEC(c->db, STMT_CTL_JOBS_LIST, opts[0].value, opts[1].value,
	    slimit)) == NULL)
		return ctl_stmt_fail(c, "listing jobs");
	if (c->json) {
		arr = json_array();
		for (int i = 0; i < PQntuples(res); i++)
			json_array_append_new(arr, jobs_row_json(res, i));
		ctl_print_json(arr);
	} else {
		printf("%-20s %-10s %-10s %-8s %8s  %-24s %s\n", "ID", "KIND", "QUEUE",
		    "STATE", "ATTEMPTS", "RUN AT", "LAST ERROR");
		for (int i = 0; i < PQntuples(res); i++)
			printf("%-20s %-10s %-10s %-8s %8s  %-24s %s\n", PQgetvalue(res, i, 0),
			    PQgetvalue(res, i, 2), PQgetvalue(res, i, 1),
			    PQgetvalue(res, i, 3), PQgetvalue(res, i, 4),
			    PQgetvalue(res, i, 6), PQgetvalue(res, i, 9));
	}
	PQclear(res);
	return CTL_OK;
}

static int
ctl_jobs_retry(struct ctl *c, int argc, char **argv)
{
	struct ctl_opt	 opts[] = {
		{ "--kind", 1, NULL },
		{ NULL, 0, NULL },
	};
	const char	*pos[1];
	PGresult	*res;
	long long	 id, n;
	int		 rc, all;

	if ((rc = ctl_args(c, "jobs retry", argc, argv, opts, pos, 1, 1, NULL)) != CTL_OK)
		return rc;
	all = strcmp(pos[0], "all-dead") == 0;
	if (!all && str_to_ll(pos[0], 1, LLONG_MAX, &id) == -1)
		return ctl_fail(CTL_USAGE, "jobs retry: expected a job id or all-dead, "
		    "got '%s'", pos[0]);
	if (!all && opts[0].value != NULL)
		return ctl_fail(CTL_USAGE, "jobs retry: --kind goes with all-dead");
	res = all ? DB_EXEC(c->db, STMT_CTL_JOBS_RETRY_DEAD, opts[0].value) :
	    DB_EXEC(c->db, STMT_CTL_JOBS_RETRY, pos[0]);
	if (res == NULL)
		return ctl_stmt_fail(c, all ? "retrying dead jobs" : "retrying the job");
	n = PQntuples(res);
	PQclear(res);
	if (!all && n == 0)
		return ctl_fail(CTL_ERR, "jobs retry: no job %s waiting or dead "
		    "(running, done or unknown)", pos[0]);
	if (c->json)
		ctl_print_json(json_pack("{s:I}", "requeued", (json_int_t)n));
	else
		printf("requeued %lld job%s\n", n, n == 1 ? "" : "s");
	return CTL_OK;
}

static int
ctl_jobs_purge(struct ctl *c, int argc, char **argv)
{
	struct ctl_opt	 opts[] = {
		{ "--older-than", 1, NULL },
		{ "--state", 1, NULL },
		{ NULL, 0, NULL },
	};
	const char	*days = JOBS_PURGE_DEFAULT_DAYS, *states = "{done,dead}";
	PGresult	*res;
	long long	 v, n;
	int		 rc;

	if ((rc = ctl_args(c, "jobs purge", argc, argv, opts, NULL, 0, 0, NULL)) != CTL_OK)
		return rc;
	if (opts[0].value != NULL) {
		if (str_to_ll(opts[0].value, 0, JOBS_PURGE_MAX_DAYS, &v) == -1)
			return ctl_fail(CTL_USAGE, "jobs purge: --older-than: expected "
			    "days from 0 to %d, got '%s'", JOBS_PURGE_MAX_DAYS, opts[0].value);
		days = opts[0].value;
	}
	if (opts[1].value != NULL) {
		if (strcmp(opts[1].value, "done") == 0)
			states = "{done}";
		else if (strcmp(opts[1].value, "dead") == 0)
			states = "{dead}";
		else
			return ctl_fail(CTL_USAGE, "jobs purge: --state: expected done or "
			    "dead, got '%s'", opts[1].value);
	}
	if ((res = DB_EXEC(c->db, STMT_CTL_JOBS_PURGE, states, days)) == NULL)
		return ctl_stmt_fail(c, "purging jobs");
	n = ctl_affected(res);
	PQclear(res);
	if (c->json)
		ctl_print_json(json_pack("{s:I}", "deleted", (json_int_t)n));
	else
		printf("deleted %lld job%s\n", n, n == 1 ? "" : "s");
	return CTL_OK;
}

const struct ctl_cmd ctl_jobs_cmds[] = {
	{ "jobs", "stats", "",
	    "jobs by queue and kind: ready, scheduled, retrying, running, done, dead, "
	    "and failing domains", ctl_jobs_stats, 1 },
	{ "jobs", "list", "[--state queued|running|done|dead] [--kind KIND] [--limit N]",
	    "the newest jobs (50 unless --limit) with their attempts and last error",
	    ctl_jobs_list, 1 },
	{ "jobs", "retry", "ID | all-dead [--kind KIND]",
	    "run a dead or waiting job again now, with a fresh retry window",
	    ctl_jobs_retry, 1 },
	{ "jobs", "purge", "[--older-than DAYS] [--state done|dead]",
	    "delete finished jobs older than DAYS (7) in either or both states",
	    ctl_jobs_purge, 1 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
