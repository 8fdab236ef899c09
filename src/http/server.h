/*
 * The HTTP server: one listening socket (TCP or unix) shared by N threads,
 * each with its own event_base, evhttp and database connection. A request
 * is served start to finish on the thread that accepted it, so a slow one
 * holds up only that thread. Stopping is graceful: stop accepting, let the
 * requests in flight finish (bounded by shutdown_timeout), then exit.
 */
#ifndef MEENT_HTTP_SERVER_H
#define MEENT_HTTP_SERVER_H

#include <stddef.h>

#include "http/router.h"

struct meent;
struct http_server;
struct http_worker;

/*
 * Binds the listening socket named by m->cfg.listen. Returns the server
 * (new), or NULL with errbuf set. No thread runs yet.
 */
struct http_server *http_server_new(struct meent *m, const struct http_route *table,
		    size_t nroutes, char *errbuf, size_t errsz);
void		 http_server_free(struct http_server *srv);

/* Starts the threads; each connects to the database. 0 or -1. */
int		 http_server_start(struct http_server *srv, int nthreads);
/* Asks every thread to stop gracefully; safe from any thread. */
void		 http_server_stop(struct http_server *srv);
/* Waits for every thread to finish. */
void		 http_server_join(struct http_server *srv);

/* Pool state for /metrics: threads, connected ones, reconnects, failures. */
struct http_pool_stats {
	int		 workers;
	int		 db_up;
	unsigned long	 db_reconnects;
	unsigned long	 db_failures;
};
void		 http_server_pool_stats(struct http_server *srv, struct http_pool_stats *st);

/* The route table the server dispatches with (routes.c). */
extern const struct http_route	http_routes[];
extern const size_t		http_nroutes;

#endif
