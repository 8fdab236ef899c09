/* Operational endpoints: see health.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"
#include "http/health.h"
#include "http/metrics.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/server.h"
#include "jobs/worker.h"
#include "meent.h"
#include "util/str.h"

#define METRICS_MAX	(4 * 1024 * 1024)

void
http_health_live(struct http_req *req)
{
	http_reply_json(req, 200, json_pack("{s:s}", "status", "ok"));
}

void
http_health_ready(struct http_req *req)
{
	PGresult	*res;
	long long	 version = -1;

	if ((res = DB_EXEC0(req->req_db, STMT_SCHEMA_VERSION)) == NULL) {
		http_reply_db_error(req);
		return;
	}
	(void)str_to_ll(PQgetvalue(res, 0, 0), 0, 9999, &version);
	PQclear(res);
	if (version < DB_SCHEMA_VERSION) {
		http_reply_json(req, 503, json_pack("{s:s,s:I,s:i}",
		    "error", "Database schema is out of date: run meentctl db migrate",
		    "schema_version", (json_int_t)version,
		    "expected_version", DB_SCHEMA_VERSION));
		return;
	}
	http_reply_json(req, 200, json_pack("{s:s,s:I}", "status", "ok",
	    "schema_version", (json_int_t)version));
}

/* Jobs by queue and state; skipped (not an error) while the database is down. */
static void
metrics_jobs(struct http_req *req, struct buf *out)
{
	PGresult *res;

	buf_puts(out,
	    "# HELP meent_jobs Jobs in the queue by queue and state.\n"
	    "# TYPE meent_jobs gauge\n");
	if ((res = DB_EXEC0(req->req_db, STMT_JOBS_DEPTH)) == NULL)
		return;
	for (int i = 0; i < PQntuples(res); i++)
		buf_printf(out, "meent_jobs{queue=\"%s\",state=\"%s\"} %s\n",
		    PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
	PQclear(res);
}

static long
metrics_rss_bytes(void)
{
	FILE	*fp = fopen("/proc/self/statm", "r");
	long	 size = 0, rss = 0;

	if (fp == NULL)
		return 0;
	if (fscanf(fp, "%ld %ld", &size, &rss) != 2)
		rss = 0;
	fclose(fp);
	return rss * sysconf(_SC_PAGESIZE);
}

void
http_health_metrics(struct http_req *req)
{
	struct meent		*m = req->req_meent;
	struct http_pool_stats	 ps;
	struct buf		 out;
	char			*text;

	buf_init(&out, METRICS_MAX);
	http_metrics_write(m->metrics, &out);
	http_server_pool_stats(m->server, &ps);
	buf_printf(&out,
	    "# HELP meent_db_connections Database connections by state (one per HTTP thread).\n"
	    "# TYPE meent_db_connections gauge\n"
	    "meent_db_connections{state=\"up\"} %d\n"
	    "meent_db_connections{state=\"down\"} %d\n"
	    "# HELP meent_db_reconnects_total Reconnections after the database went away.\n"
	    "# TYPE meent_db_reconnects_total counter\n"
	    "meent_db_reconnects_total %lu\n"
	    "# HELP meent_db_failures_total Failed database statements.\n"
	    "# TYPE meent_db_failures_total counter\n"
	    "meent_db_failures_total %lu\n",
	    ps.db_up, ps.workers - ps.db_up, ps.db_reconnects, ps.db_failures);
	metrics_jobs(req, &out);
	job_workers_metrics(m->jobs, req->req_db, &out);
	buf_printf(&out,
	    "# HELP meent_process_resident_memory_bytes Resident set size.\n"
	    "# TYPE meent_process_resident_memory_bytes gauge\n"
	    "meent_process_resident_memory_bytes %ld\n"
	    "# HELP meent_process_start_time_seconds Start time since the Unix epoch.\n"
	    "# TYPE meent_process_start_time_seconds gauge\n"
	    "meent_process_start_time_seconds %lld\n"
	    "# HELP meent_build_info Version of this build.\n"
	    "# TYPE meent_build_info gauge\n"
	    "meent_build_info{version=\"%s\"} 1\n",
	    metrics_rss_bytes(), (long long)m->started_at, MEENT_VERSION);
	text = buf_take(&out);
	http_reply_body(req, 200, "text/plain; version=0.0.4; charset=utf-8",
	    text, strlen(text));
	free(text);
}
