/*
 * Request metrics in Prometheus' text exposition format: counts by route
 * and status, and a latency histogram by route. Counters are relaxed
 * atomics, written by every HTTP thread without locks.
 */
#ifndef MEENT_HTTP_METRICS_H
#define MEENT_HTTP_METRICS_H

#include <stddef.h>

#include "util/str.h"

struct http_metrics;
struct http_route;

/* Metrics for a route table of n rows (plus one row for unmatched paths). */
struct http_metrics	*http_metrics_new(const struct http_route *table, size_t n);
void			 http_metrics_free(struct http_metrics *m);

/* Records one request: route row (-1: unmatched), status and seconds taken. */
void	 http_metrics_observe(struct http_metrics *m, int route, int status,
	    double seconds);
/* Adds/removes a request in flight. */
void	 http_metrics_inflight(struct http_metrics *m, int delta);

/* Appends the request metrics to out. 0, or -1 when out is full. */
int	 http_metrics_write(const struct http_metrics *m, struct buf *out);

#endif
