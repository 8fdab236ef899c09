/*
 * The HTTP server: see server.h. Every worker runs the same accept loop on
 * the shared socket; the kernel hands each new connection to one of them.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "db/db.h"
#include "http/client.h"
#include "http/metrics.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/server.h"
#include "http/server_internal.h"
#include "meent.h"
#include "util/clock.h"
#include "util/evbase.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/rand.h"
#include "util/str.h"

#define HTTP_BACKLOG		1024
#define HTTP_DRAIN_TICK_MS	20
#define HTTP_DRAIN_MIN_MS	100	/* let requests already on the wire arrive */
#define HTTP_THREAD_STACK	(256 * 1024)

struct http_worker {
	struct http_server	*w_srv;
	int			 w_idx;
	pthread_t		 w_tid;
	int			 w_started;
	struct event_base	*w_base;
	struct evhttp		*w_http;
	struct evconnlistener	*w_lev;
	struct event		*w_stop_ev;	/* activated by http_server_stop */
	struct event		*w_drain_ev;	/* ticks while draining */
	struct db		*w_db;
	struct http_client	*w_client;	/* outbound requests of this thread */
	int			 w_outstanding;	/* requests not yet fully written */
	long long		 w_drain_start_ms;
	atomic_int		 w_db_up;	/* snapshots for /metrics */
	atomic_ulong		 w_db_reconnects;
	atomic_ulong		 w_db_failures;
};

struct http_server {
	struct meent		*s_meent;
	const struct http_route	*s_routes;
	size_t			 s_nroutes;
	int			 s_fd;
	char			*s_unix_path;	/* owned; unlinked on free */
	int			 s_nworkers;
	struct http_worker	*s_workers;
};

/* Listening socket */

static int
listen_unix(struct http_server *srv, const char *path, char *errbuf, size_t errsz)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(errbuf, errsz, "unix socket path too long: %s", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1)
		goto fail;
	/* A stale socket from a previous run would make bind fail. */
	(void)unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    chmod(path, 0660) == -1 || listen(fd, HTTP_BACKLOG) == -1)
		goto fail;
	srv->s_unix_path = xstrdup(path);
	return fd;
fail:
	snprintf(errbuf, errsz, "cannot listen on unix:%s: %s", path, strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}

static int
listen_tcp(const char *spec, char *errbuf, size_t errsz)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	char		 host[256], *port;
	int		 fd = -1, one = 1, gai;
	const char	*h;

	if (str_lcpy(host, spec, sizeof(host)) >= sizeof(host) ||
	    (port = strrchr(host, ':')) == NULL) {
		snprintf(errbuf, errsz, "listen: expected host:port, got '%s'", spec);
		return -1;
	}
	*port++ = '\0';
	h = host;
	if (host[0] == '[') {
		size_t l = strlen(host);
		if (l < 2 || host[l - 1] != ']') {
			snprintf(errbuf, errsz, "listen: bad IPv6 address in '%s'", spec);
			return -1;
		}
		host[l - 1] = '\0';
		h = host + 1;
	}
	if (*h == '\0' || strcmp(h, "*") == 0)
		h = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((gai = getaddrinfo(h, port, &hints, &res)) != 0) {
		snprintf(errbuf, errsz, "listen: cannot resolve '%s': %s", spec,
		    gai_strerror(gai));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1)
			continue;
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		/* Accepted sockets inherit it (Linux): without it a reply of
		 * more than one segment on a kept-alive connection waits for
		 * the client's delayed ACK, 40 ms, by Nagle's algorithm. */
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, HTTP_BACKLOG) == 0)
			break;
		close(fd);
		fd = -1;
	}
	if (fd == -1)
		snprintf(errbuf, errsz, "cannot listen on %s: %s", spec, strerror(errno));
	freeaddrinfo(res);
	return fd;
}

struct http_server *
http_server_new(struct meent *m, const struct http_route *table, size_t nroutes,
    char *errbuf, size_t errsz)
{
	struct http_server	*srv = xcalloc(1, sizeof(*srv));
	const char		*spec = m->cfg.listen;

	srv->s_meent = m;
	srv->s_routes = table;
	srv->s_nroutes = nroutes;
	if (str_has_prefix(spec, "unix:"))
		srv->s_fd = listen_unix(srv, spec + 5, errbuf, errsz);
	else
		srv->s_fd = listen_tcp(spec, errbuf, errsz);
	if (srv->s_fd == -1) {
		free(srv);
		return NULL;
	}
	return srv;
}

void
http_server_free(struct http_server *srv)
{
	if (srv == NULL)
		return;
	for (int i = 0; i < srv->s_nworkers; i++) {
		struct http_worker *w = &srv->s_workers[i];

		/* Cancels outbound requests first: their callbacks may still
		 * reply to held requests on w_http. */
		http_client_free(w->w_client);
		if (w->w_http != NULL)
			evhttp_free(w->w_http);	/* frees w_lev too */
		if (w->w_stop_ev != NULL)
			event_free(w->w_stop_ev);
		if (w->w_drain_ev != NULL)
			event_free(w->w_drain_ev);
		if (w->w_base != NULL)
			event_base_free(w->w_base);
		db_free(w->w_db);
	}
	free(srv->s_workers);
	if (srv->s_fd != -1)
		close(srv->s_fd);
	if (srv->s_unix_path != NULL) {
		(void)unlink(srv->s_unix_path);
		free(srv->s_unix_path);
	}
	free(srv);
}

/* Dispatch */

static unsigned
method_bit(enum evhttp_cmd_type cmd)
{
	return (unsigned)cmd;	/* router.h uses libevent's bit values */
}

static int
path_wants_cors(const char *uri)
{
	return str_has_prefix(uri, "/api/") || str_has_prefix(uri, "/.well-known/") ||
	    str_has_prefix(uri, "/oauth/") || str_has_prefix(uri, "/nodeinfo/");
}

static void
request_complete_cb(struct evhttp_request *ev, void *arg)
{
	struct http_worker *w = arg;

	w->w_outstanding--;
}

/* CORS preflight: browsers send OPTIONS before cross-origin API calls. */
static void
dispatch_options(struct http_req *req, enum http_match_result mr)
{
	char		 allowed[96];
	const char	*want;

	if (mr == HTTP_MATCH_NOT_FOUND || mr == HTTP_MATCH_BAD_PATH) {
		http_reply_error(req, 404, "Record not found");
		return;
	}
	http_methods_string(req->req_match.allowed | HTTP_OPTIONS, allowed,
	    sizeof(allowed));
	http_reply_header(req, "Allow", allowed);
	if (path_wants_cors(req->req_uri)) {
		http_reply_header(req, "Access-Control-Allow-Methods", allowed);
		want = http_req_header(req, "Access-Control-Request-Headers");
		http_reply_header(req, "Access-Control-Allow-Headers", want != NULL &&
		    strlen(want) < 1024 ? want :
		    "Authorization, Content-Type, Idempotency-Key");
		http_reply_header(req, "Access-Control-Max-Age", "86400");
	}
	http_reply_empty(req, 204);
}

static int
body_too_large(struct http_req *req)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(req->req_ev);
	size_t		 len = evbuffer_get_length(in);
	long long	 max = req->req_meent->cfg.max_body_size;

	if (req->req_match.route->flags & HTTP_ROUTE_UPLOAD)
		max = req->req_meent->cfg.max_upload_size;
	return (long long)len > max;
}

/* Ends a request's life: counters, and the memory unless a handler holds it. */
static void
dispatch_done(struct http_req *req)
{
	struct http_worker *w = req->req_worker;

	atomic_store(&w->w_db_up, db_is_up(w->w_db));
	atomic_store(&w->w_db_reconnects, db_reconnects(w->w_db));
	atomic_store(&w->w_db_failures, db_failures(w->w_db));
	http_metrics_inflight(w->w_srv->s_meent->metrics, -1);
	evhttp_clear_headers(&req->req_query);
	free(req);
}

void
http_req_hold(struct http_req *req)
{
	req->req_held = 1;
}

struct http_client *
http_req_client(const struct http_req *req)
{
	return req->req_worker->w_client;
}

/*
 * Called by reply.c after a reply: a held request is finished here. When
 * the client went away while we waited, libevent dropped the request from
 * its connection and our completion callback will not run: count it here.
 */

void
http_req_replied(struct http_req *req, int connected)
{
	/* A held request answered before its handler returned is freed by
	 * dispatch itself, which still uses it. */
	if (!req->req_held || req->req_in_dispatch)
		return;
	if (!connected)
		req->req_worker->w_outstanding--;
	dispatch_done(req);
}

/* Routes the request, checks what every route shares, runs the handler. */
static void
dispatch_route(struct http_req *req, const char *path)
{
	struct http_server	*srv = req->req_worker->w_srv;
	enum http_match_result	 mr;
	char			 allowed[96];

	mr = http_router_match(srv->s_routes, srv->s_nroutes, req->req_method, path,
	    &req->req_match);
	if (req->req_method == HTTP_OPTIONS) {
		dispatch_options(req, mr);
		return;
	}
	switch (mr) {
	case HTTP_MATCH_OK:
		break;
	case HTTP_MATCH_NOT_FOUND:
		http_reply_error(req, 404, "Record not found");
		return;
	case HTTP_MATCH_BAD_PATH:
		http_reply_error(req, 400, "Malformed request path");
		return;
	case HTTP_MATCH_BAD_METHOD:
		http_methods_string(req->req_match.allowed | HTTP_OPTIONS, allowed,
		    sizeof(allowed));
		http_reply_header(req, "Allow", allowed);
		http_reply_error(req, 405, "Method not allowed");
		return;
	}
	if (!req->req_query_ok) {
		http_reply_error(req, 400, "Malformed query string");
		return;
	}
	if (body_too_large(req)) {
		http_reply_error(req, 413, "Request body too large");
		return;
	}
	if ((req->req_match.route->flags & HTTP_ROUTE_DB) &&
	    db_ensure(req->req_db) == -1) {
		http_reply_db_error(req);
		return;
	}
	req->req_match.route->handler(req);
	if (req->req_status == 0 && !req->req_held) {
		log_error("handler_no_reply", "route=%s", req->req_match.route->pattern);
		http_reply_error(req, 500, "Internal server error");
	}
}

static void
dispatch(struct evhttp_request *ev, void *arg)
{
	struct http_worker		*w = arg;
	struct http_req			*req;
	const struct evhttp_uri		*uri;
	const char			*path, *query;

	/* Heap, not stack: a handler may hold the request past its return. */
	req = xcalloc(1, sizeof(*req));
	req->req_ev = ev;
	req->req_worker = w;
	req->req_meent = w->w_srv->s_meent;
	req->req_db = w->w_db;
	req->req_method = method_bit(evhttp_request_get_command(ev));
	req->req_uri = evhttp_request_get_uri(ev);
	req->req_match.index = -1;
	TAILQ_INIT(&req->req_query);
	clock_gettime(CLOCK_MONOTONIC, &req->req_start);
	rand_hex(req->req_id, 8);

	w->w_outstanding++;
	evhttp_request_set_on_complete_cb(ev, request_complete_cb, w);
	http_metrics_inflight(w->w_srv->s_meent->metrics, 1);

	uri = evhttp_request_get_evhttp_uri(ev);
	path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	if (path == NULL || *path == '\0')
		path = "/";
	query = uri != NULL ? evhttp_uri_get_query(uri) : NULL;
	req->req_query_ok = query == NULL ||
	    evhttp_parse_query_str(query, &req->req_query) == 0;

	req->req_in_dispatch = 1;
	dispatch_route(req, path);
	req->req_in_dispatch = 0;
	/* Held and not yet answered: the handler's callback replies later. */
	if (!req->req_held || req->req_status != 0)
		dispatch_done(req);
}

/* Life cycle */

static void
drain_tick(evutil_socket_t fd, short what, void *arg)
{
	struct http_worker	*w = arg;
	long long		 elapsed = clock_ms() - w->w_drain_start_ms;
	long long		 limit = w->w_srv->s_meent->cfg.shutdown_timeout * 1000;

	if ((w->w_outstanding == 0 && elapsed >= HTTP_DRAIN_MIN_MS) ||
	    elapsed >= limit) {
		if (w->w_outstanding > 0)
			log_warn("shutdown_timeout", "worker=%d abandoned=%d",
			    w->w_idx, w->w_outstanding);
		event_base_loopexit(w->w_base, NULL);
	}
}

static void
stop_cb(evutil_socket_t fd, short what, void *arg)
{
	struct http_worker	*w = arg;
	struct timeval		 tick = { 0, HTTP_DRAIN_TICK_MS * 1000 };

	if (w->w_drain_start_ms != 0)
		return;
	evconnlistener_disable(w->w_lev);
	w->w_drain_start_ms = clock_ms();
	event_add(w->w_drain_ev, &tick);
}

static void *
worker_main(void *arg)
{
	struct http_worker	*w = arg;
	sigset_t		 set;

	/* Signals belong to the main thread's event loop. */
	sigfillset(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	/* A database that is down now is retried on the first request. */
	(void)db_connect(w->w_db);
	atomic_store(&w->w_db_up, db_is_up(w->w_db));
	event_base_dispatch(w->w_base);
	return NULL;
}

static int
worker_init(struct http_server *srv, struct http_worker *w, int idx)
{
	const struct config		*cfg = &srv->s_meent->cfg;
	struct http_client_config	 hc;
	char				 err[256];

	w->w_srv = srv;
	w->w_idx = idx;
	if ((w->w_base = evbase_new()) == NULL ||
	    (w->w_http = evhttp_new(w->w_base)) == NULL)
		return -1;
	/* The listener does not own the shared socket: closing is ours. */
	w->w_lev = evconnlistener_new(w->w_base, NULL, NULL,
	    LEV_OPT_CLOSE_ON_EXEC, 0, srv->s_fd);
	if (w->w_lev == NULL || evhttp_bind_listener(w->w_http, w->w_lev) == NULL)
		return -1;
	evhttp_set_gencb(w->w_http, dispatch, w);
	evhttp_set_timeout(w->w_http, (int)cfg->request_timeout);
	evhttp_set_max_headers_size(w->w_http, 64 * 1024);
	/* The transport cap; routes enforce max_body_size with a JSON 413. */
	evhttp_set_max_body_size(w->w_http, (ev_ssize_t)cfg->max_upload_size);
	evhttp_set_allowed_methods(w->w_http, HTTP_GET | HTTP_POST | HTTP_HEAD |
	    HTTP_PUT | HTTP_DELETE | HTTP_OPTIONS | HTTP_PATCH);
	evhttp_set_default_content_type(w->w_http, "application/json; charset=utf-8");
	w->w_stop_ev = event_new(w->w_base, -1, 0, stop_cb, w);
	w->w_drain_ev = event_new(w->w_base, -1, EV_PERSIST, drain_tick, w);
	if (w->w_stop_ev == NULL || w->w_drain_ev == NULL)
		return -1;
	w->w_db = db_new(cfg->database, (int)cfg->db_statement_timeout, DB_PREPARE);
	http_client_config_init(&hc, cfg);
	if ((w->w_client = http_client_new(w->w_base, &hc, err, sizeof(err))) == NULL) {
		log_error("client_init_failed", "worker=%d msg=\"%s\"", idx, err);
		return -1;
	}
	return 0;
}

int
http_server_start(struct http_server *srv, int nthreads)
{
	pthread_attr_t attr;

	srv->s_workers = xcalloc((size_t)nthreads, sizeof(*srv->s_workers));
	srv->s_nworkers = nthreads;
	for (int i = 0; i < nthreads; i++) {
		if (worker_init(srv, &srv->s_workers[i], i) == -1) {
			log_error("worker_init_failed", "worker=%d", i);
			return -1;
		}
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, HTTP_THREAD_STACK);
	for (int i = 0; i < nthreads; i++) {
		struct http_worker *w = &srv->s_workers[i];

		if (pthread_create(&w->w_tid, &attr, worker_main, w) != 0) {
			log_error("thread_create_failed", "worker=%d", i);
			pthread_attr_destroy(&attr);
			return -1;
		}
		w->w_started = 1;
	}
	pthread_attr_destroy(&attr);
	return 0;
}

void
http_server_stop(struct http_server *srv)
{
	for (int i = 0; i < srv->s_nworkers; i++)
		if (srv->s_workers[i].w_stop_ev != NULL)
			event_active(srv->s_workers[i].w_stop_ev, EV_READ, 0);
}

void
http_server_join(struct http_server *srv)
{
	for (int i = 0; i < srv->s_nworkers; i++)
		if (srv->s_workers[i].w_started)
			pthread_join(srv->s_workers[i].w_tid, NULL);
}

void
http_server_pool_stats(struct http_server *srv, struct http_pool_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->workers = srv->s_nworkers;
	for (int i = 0; i < srv->s_nworkers; i++) {
		struct http_worker *w = &srv->s_workers[i];

		st->db_up += atomic_load(&w->w_db_up);
		st->db_reconnects += atomic_load(&w->w_db_reconnects);
		st->db_failures += atomic_load(&w->w_db_failures);
	}
}
