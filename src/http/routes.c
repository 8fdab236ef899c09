/*
 * Every HTTP route of meentd, one per line: methods, path pattern, handler
 * and flags. The first matching row wins, so list specific patterns before
 * general ones. Metrics are labelled with the pattern.
 */
#include <stddef.h>

#include "http/health.h"
#include "http/router.h"
#include "http/server.h"

const struct http_route http_routes[] = {
	{ HTTP_GET, "/healthz",		http_health_live,	0 },
	{ HTTP_GET, "/readyz",		http_health_ready,	HTTP_ROUTE_DB },
	{ HTTP_GET, "/metrics",		http_health_metrics,	0 },
};

const size_t http_nroutes = sizeof(http_routes) / sizeof(http_routes[0]);
