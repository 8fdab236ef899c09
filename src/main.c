/*
 * meentd: start-up, signals and shutdown. Configuration is read and
 * checked, the schema version verified, the HTTP threads and then the job
 * threads started; the main thread then only waits for signals
 * (SIGTERM/SIGINT stop both gracefully, SIGHUP reopens the log file).
 */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>

#include "config.h"
#include "ap/instance_actor.h"
#include "db/db.h"
#include "db/migrate.h"
#include "http/metrics.h"
#include "http/server.h"
#include "jobs/worker.h"
#include "meent.h"
#include "util/log.h"

#define STARTUP_DB_TRIES	10	/* one a second: rides out a database that starts with us */
#define MALLOC_TRIM_BYTES	(4 << 20)	/* free memory an arena keeps (malloc_tune) */
#define MALLOC_MMAP_BYTES	(1 << 20)	/* blocks from this size get their own mapping */

/*
 * GnuTLS is loaded but never used: Debian's libcurl (OpenSSL flavour) links
 * OpenLDAP and librtmp, libpq links OpenLDAP, and both of those link
 * GnuTLS, which sets itself up in a library constructor unless the
 * program defines this symbol (GNUTLS_SKIP_GLOBAL_INIT in
 * <gnutls/gnutls.h>, whose header we need not include for it). That
 * set-up costs meentd 1 MiB of resident memory (README, Performance).
 * Nothing is lost: our curl handles speak only HTTP(S), through OpenSSL,
 * and OpenLDAP and librtmp call gnutls_global_init() themselves before
 * any use. The definition must stay in the executable, where the dynamic
 * linker finds it first, and exported, which it is because libgnutls
 * refers to it at link time.
 */
int	_gnutls_global_init_skip(void);

int
_gnutls_global_init_skip(void)
{
	return 1;
}

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: meentd --config FILE [--check-config]\n"
	    "       meentd --version\n"
	    "\n"
	    "  -c, --config FILE    the configuration file (see meent.conf.example);\n"
	    "                       every key may be overridden by MEENT_<KEY>\n"
	    "  -t, --check-config   validate the configuration and exit\n"
	    "  -V, --version        print the version and exit\n");
}

/* Refuses to run on a schema older than this build expects. */
static int
check_schema(struct meent *m)
{
	struct db	*db = db_new(m->cfg.database, 5000, 0);
	int		 version = -1, rc = -1;

	for (int i = 0; i < STARTUP_DB_TRIES; i++) {
		if (db_connect(db) == 0)
			break;
		sleep(1);
	}
	if (!db_is_up(db)) {
		log_error("startup_failed", "msg=\"cannot connect to the database\" detail=\"%s\"",
		    db_errmsg(db));
		goto out;
	}
	version = db_schema_version(db_conn(db));
	if (version < DB_SCHEMA_VERSION) {
		log_error("startup_failed",
		    "msg=\"database schema is version %d, this meentd needs %d: run meentctl db migrate\"",
		    version < 0 ? 0 : version, DB_SCHEMA_VERSION);
		fprintf(stderr, "meentd: the database schema is out of date (version %d, need %d).\n"
		    "Run: meentctl --config %s db migrate\n", version < 0 ? 0 : version,
		    DB_SCHEMA_VERSION, m->config_path ? m->config_path : "FILE");
		goto out;
	}
	if (version > DB_SCHEMA_VERSION)
		log_warn("schema_newer", "schema_version=%d build_version=%d "
		    "msg=\"a newer meent migrated this database; upgrade this node\"",
		    version, DB_SCHEMA_VERSION);
	/* The schema is known now: statements can be prepared. */
	db_free(db);
	db = db_new(m->cfg.database, 5000, DB_PREPARE);
	if (db_connect(db) == -1 || ap_instance_actor_ensure(db, &m->cfg) == -1)
		goto out;
	rc = 0;
out:
	db_free(db);
	return rc;
}

struct signal_ctx {
	struct meent		*m;
	struct event_base	*base;
};

static void
on_stop_signal(evutil_socket_t sig, short what, void *arg)
{
	struct signal_ctx *sc = arg;

	log_info("shutdown", "signal=%d timeout_s=%lld", (int)sig,
	    sc->m->cfg.shutdown_timeout);
	http_server_stop(sc->m->server);
	job_workers_stop(sc->m->jobs);
	event_base_loopbreak(sc->base);
}

static void
on_hup(evutil_socket_t sig, short what, void *arg)
{
	if (log_reopen() == -1)
		log_error("log_reopen_failed", "errno=%d", errno);
	else
		log_info("log_reopened", "signal=%d", (int)sig);
}

static int
run(struct meent *m)
{
	struct signal_ctx	 sc = { 0 };
	struct event		*ev_term = NULL, *ev_int = NULL, *ev_hup = NULL;
	char			 err[512];
	int			 nthreads, rc = 1;

	m->metrics = http_metrics_new(http_routes, http_nroutes);
	/* Before the HTTP threads start: /metrics reads it. */
	m->jobs = job_workers_new(m, (int)m->cfg.job_workers);
	m->server = http_server_new(m, http_routes, http_nroutes, err, sizeof(err));
	if (m->server == NULL) {
		log_error("startup_failed", "msg=\"%s\"", err);
		goto out;
	}
	sc.m = m;
	if ((sc.base = event_base_new()) == NULL)
		goto out;
	ev_term = evsignal_new(sc.base, SIGTERM, on_stop_signal, &sc);
	ev_int = evsignal_new(sc.base, SIGINT, on_stop_signal, &sc);
	ev_hup = evsignal_new(sc.base, SIGHUP, on_hup, &sc);
	if (ev_term == NULL || ev_int == NULL || ev_hup == NULL ||
	    event_add(ev_term, NULL) || event_add(ev_int, NULL) || event_add(ev_hup, NULL))
		goto out;
	nthreads = config_http_threads(&m->cfg);
	if (http_server_start(m->server, nthreads) == -1 ||
	    job_workers_start(m->jobs) == -1) {
		http_server_stop(m->server);
		job_workers_stop(m->jobs);
		http_server_join(m->server);
		job_workers_join(m->jobs);
		goto out;
	}
	log_info("started", "version=%s listen=%s threads=%d job_workers=%lld domain=%s pid=%ld",
	    MEENT_VERSION, m->cfg.listen, nthreads, m->cfg.job_workers, m->cfg.domain,
	    (long)getpid());
	event_base_dispatch(sc.base);
	http_server_join(m->server);
	job_workers_join(m->jobs);
	log_info("stopped", "msg=\"clean exit\"");
	rc = 0;
out:
	if (ev_term != NULL)
		event_free(ev_term);
	if (ev_int != NULL)
		event_free(ev_int);
	if (ev_hup != NULL)
		event_free(ev_hup);
	if (sc.base != NULL)
		event_base_free(sc.base);
	http_server_free(m->server);
	job_workers_free(m->jobs);
	http_metrics_free(m->metrics);
	return rc;
}

/*
 * glibc gives the free memory at the top of a thread's arena back to the
 * kernel once it passes 128 KiB, and maps blocks of that size on their
 * own. A page of forty statuses is 70 KiB or more of JSON, and its result
 * rows and reply buffers as much again, all freed when the request ends:
 * with the defaults every request handed those pages back and took them
 * again, one page fault per 4 KiB, which cost meentd half of its CPU time
 * per home timeline request (README, Performance). An arena now keeps up
 * to 4 MiB free, and only blocks of 1 MiB or more are mapped on their
 * own; setting both also ends glibc's own adjustment of the latter.
 */
static void
malloc_tune(void)
{
	/* Only speed depends on it; the sanitizers' allocator ignores it. */
	(void)mallopt(M_TRIM_THRESHOLD, MALLOC_TRIM_BYTES);
	(void)mallopt(M_MMAP_THRESHOLD, MALLOC_MMAP_BYTES);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct meent		 m;
	struct config_err	 cerr;
	enum log_level		 lvl;
	int			 ch, check_only = 0, rc;

	memset(&m, 0, sizeof(m));
	m.config_path = getenv("MEENT_CONFIG");
	while ((ch = getopt_long(argc, argv, "c:tVh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': m.config_path = optarg; break;
		case 't': check_only = 1; break;
		case 'V': printf("meentd %s\n", MEENT_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || m.config_path == NULL) {
		usage(stderr);
		return 2;
	}
	config_init(&m.cfg);
	if (config_load(&m.cfg, m.config_path, &cerr) == -1) {
		fprintf(stderr, "meentd: %s\n", cerr.msg);
		config_cleanup(&m.cfg);
		return 1;
	}
	if (check_only) {
		printf("meentd: %s: configuration ok\n", m.config_path);
		config_cleanup(&m.cfg);
		return 0;
	}
	(void)log_level_parse(m.cfg.log_level, &lvl);
	log_set_level(lvl);
	if (log_open(m.cfg.log_file) == -1) {
		fprintf(stderr, "meentd: cannot open log file %s: %s\n",
		    m.cfg.log_file, strerror(errno));
		config_cleanup(&m.cfg);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	malloc_tune();
	m.started_at = time(NULL);
	if (evthread_use_pthreads() == -1) {
		log_error("startup_failed", "msg=\"libevent without thread support\"");
		return 1;
	}
	rc = 1;
	if (check_schema(&m) == 0)
		rc = run(&m);
	config_cleanup(&m.cfg);
	libevent_global_shutdown();
	return rc;
}
