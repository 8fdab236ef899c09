/*
 * A request as handlers see it: the route's parameters, the query string,
 * headers and body, the thread's database connection and the process
 * context. Handlers answer through reply.h, exactly once.
 */
#ifndef MEENT_HTTP_REQUEST_H
#define MEENT_HTTP_REQUEST_H

#include <stddef.h>
#include <time.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "http/router.h"

struct meent;
struct db;
struct http_client;
struct http_worker;

struct http_req {
	struct evhttp_request	*req_ev;	/* libevent's request; borrowed */
	struct http_worker	*req_worker;	/* the thread serving it */
	struct meent		*req_meent;
	struct db		*req_db;	/* the thread's connection */
	unsigned		 req_method;	/* HTTP_GET, ... */
	const char		*req_uri;	/* raw request URI; borrowed */
	struct http_match	 req_match;
	struct evkeyvalq	 req_query;	/* decoded query parameters */
	int			 req_query_ok;
	char			 req_id[17];	/* hex request id, logged and sent */
	struct timespec		 req_start;
	int			 req_status;	/* 0 until replied */
	size_t			 req_bytes;	/* body bytes sent */
	int			 req_held;	/* the handler replies later */
	int			 req_in_dispatch; /* the server still holds req on its stack */
	const char		*req_body;	/* set by the first http_req_body */
	size_t			 req_body_len;
};

/* A route parameter (":id"), percent-decoded; NULL if the route has none. */
const char	*http_req_param(const struct http_req *req, const char *name);
/* A query parameter, decoded; NULL when absent. Borrowed. */
const char	*http_req_query(const struct http_req *req, const char *name);
/* A request header, NULL when absent. Borrowed. */
const char	*http_req_header(const struct http_req *req, const char *name);
/*
 * The body as one contiguous NUL-terminated buffer (borrowed, valid until
 * the reply). *len gets its size. Never NULL; "" when there is no body.
 */
const char	*http_req_body(struct http_req *req, size_t *len);
/* The peer's address as text, into buf. Returns buf. */
const char	*http_req_peer(const struct http_req *req, char *buf, size_t bufsz);
/* 1 when the Accept header prefers type (a simple media-range check). */
int		 http_req_accepts(const struct http_req *req, const char *type);

/*
 * Keeps req alive past the handler's return, for a handler that waits on
 * something asynchronous (a remote fetch on this thread's client). The
 * handler must reply later, on this thread, exactly once; the reply frees
 * req. If the client has gone meanwhile, the reply is dropped quietly.
 */
void		 http_req_hold(struct http_req *req);

/* This thread's outbound HTTP client (borrowed; same thread only). */
struct http_client *http_req_client(const struct http_req *req);

#endif
