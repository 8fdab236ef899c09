/*
 * Route matching: a method and a path against a table of patterns. A
 * pattern is literal segments and parameters: "/api/v1/accounts/:id" or
 * "/@:username" (a literal prefix, then the parameter). No allocation and
 * no libevent here, so the matcher is unit-tested on its own.
 */
#ifndef MEENT_HTTP_ROUTER_H
#define MEENT_HTTP_ROUTER_H

#include <stddef.h>

struct http_req;

/* Methods, as a bit set; the values are libevent's evhttp_cmd_type bits. */
#define HTTP_GET	0x001
#define HTTP_POST	0x002
#define HTTP_HEAD	0x004
#define HTTP_PUT	0x008
#define HTTP_DELETE	0x010
#define HTTP_OPTIONS	0x020
#define HTTP_PATCH	0x100

/* Route flags. */
#define HTTP_ROUTE_CORS		0x01	/* browser clients call it cross-origin */
#define HTTP_ROUTE_DB		0x02	/* needs the database: 503 while it is down */
#define HTTP_ROUTE_UPLOAD	0x04	/* may take bodies up to max_upload_size */

#define HTTP_MAX_PARAMS		8
#define HTTP_MAX_PATH		2048

typedef void (*http_handler)(struct http_req *req);

struct http_route {
	unsigned		 methods;	/* HTTP_GET | ...; GET also serves HEAD */
	const char		*pattern;
	http_handler		 handler;
	unsigned		 flags;		/* HTTP_ROUTE_* */
};

struct http_match {
	const struct http_route	*route;		/* borrowed from the table */
	int			 index;		/* the route's row, for metrics */
	int			 nparams;
	const char		*names[HTTP_MAX_PARAMS];	/* point into the pattern */
	size_t			 name_lens[HTTP_MAX_PARAMS];
	const char		*values[HTTP_MAX_PARAMS];	/* decoded, in storage */
	unsigned		 allowed;	/* methods the path accepts (405, OPTIONS) */
	char			 storage[HTTP_MAX_PATH];
};

enum http_match_result {
	HTTP_MATCH_OK,
	HTTP_MATCH_NOT_FOUND,
	HTTP_MATCH_BAD_METHOD,	/* the path exists; m->allowed says for what */
	HTTP_MATCH_BAD_PATH,	/* too long, or bad percent-encoding */
};

/*
 * Matches method and the raw (still percent-encoded) path, without query,
 * against table. A single trailing slash is ignored. Parameters are
 * percent-decoded into m->storage; a parameter may not decode to a NUL or
 * a '/'. On HTTP_MATCH_OK, m->route and the parameters are set.
 */
enum http_match_result http_router_match(const struct http_route *table,
	    size_t n, unsigned method, const char *path, struct http_match *m);

/* The value of parameter name, or NULL; borrowed from m. */
const char	*http_match_param(const struct http_match *m, const char *name);

/* Writes "GET, HEAD, POST" for a method set into buf. Returns buf. */
const char	*http_methods_string(unsigned methods, char *buf, size_t bufsz);

#endif
