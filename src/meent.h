/*
 * The process-wide state of meentd, created in main.c and passed to whoever
 * needs it. Nothing here is needed by another process: several meentd on
 * several machines share only the database.
 */
#ifndef MEENT_MEENT_H
#define MEENT_MEENT_H

#include <stdatomic.h>
#include <time.h>

#include "config.h"
#include "util/config.h"

struct http_server;
struct http_metrics;
struct job_workers;

struct meent {
	struct config		 cfg;
	const char		*config_path;	/* borrowed from argv */
	struct http_server	*server;
	struct http_metrics	*metrics;
	struct job_workers	*jobs;		/* the job threads (jobs/worker.h) */
	time_t			 started_at;
};

#define MEENT_VERSION	PACKAGE_VERSION

#endif
