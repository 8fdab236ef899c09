/* Request metrics: see metrics.h. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "http/metrics.h"
#include "http/router.h"
#include "util/mem.h"

/* Statuses tracked one by one; anything else counts under its class. */
static const int metrics_statuses[] = {
	200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308,
	400, 401, 403, 404, 405, 406, 408, 409, 410, 413, 414, 415, 422, 429,
	500, 501, 502, 503, 504,
};
#define NSTATUS		(sizeof(metrics_statuses) / sizeof(metrics_statuses[0]))
#define NCLASS		5	/* 1xx..5xx not listed above */

static const double metrics_buckets[] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
};
#define NBUCKET		(sizeof(metrics_buckets) / sizeof(metrics_buckets[0]))

struct metrics_route {
	const char	*pattern;
	atomic_ulong	 status[NSTATUS + NCLASS];
	atomic_ulong	 bucket[NBUCKET];	/* non-cumulative; summed on output */
	atomic_ulong	 count;
	atomic_ulong	 sum_us;
};

struct http_metrics {
	size_t			 nroutes;	/* table rows + 1 for unmatched */
	struct metrics_route	*routes;
	atomic_long		 inflight;
};

struct http_metrics *
http_metrics_new(const struct http_route *table, size_t n)
{
	struct http_metrics *m = xcalloc(1, sizeof(*m));

	m->nroutes = n + 1;
	m->routes = xcalloc(m->nroutes, sizeof(*m->routes));
	for (size_t i = 0; i < n; i++)
		m->routes[i].pattern = table[i].pattern;
	m->routes[n].pattern = "unmatched";
	return m;
}

void
http_metrics_free(struct http_metrics *m)
{
	if (m == NULL)
		return;
	free(m->routes);
	free(m);
}

static size_t
metrics_status_slot(int status)
{
	for (size_t i = 0; i < NSTATUS; i++)
		if (metrics_statuses[i] == status)
			return i;
	if (status < 100 || status > 599)
		status = 500;
	return NSTATUS + (size_t)(status / 100 - 1);
}

void
http_metrics_observe(struct http_metrics *m, int route, int status, double seconds)
{
	struct metrics_route	*r;
	size_t			 b;

	if (route < 0 || (size_t)route >= m->nroutes - 1)
		route = (int)m->nroutes - 1;
	r = &m->routes[route];
	atomic_fetch_add_explicit(&r->status[metrics_status_slot(status)], 1,
	    memory_order_relaxed);
	for (b = 0; b < NBUCKET && seconds > metrics_buckets[b]; b++)
		;
	if (b < NBUCKET)
		atomic_fetch_add_explicit(&r->bucket[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->sum_us, (unsigned long)(seconds * 1e6),
	    memory_order_relaxed);
}

void
http_metrics_inflight(struct http_metrics *m, int delta)
{
	atomic_fetch_add_explicit(&m->inflight, delta, memory_order_relaxed);
}

static int
metrics_write_counts(const struct metrics_route *r, struct buf *out)
{
	int rc = 0;

	for (size_t s = 0; s < NSTATUS + NCLASS; s++) {
		unsigned long v = atomic_load_explicit(&r->status[s], memory_order_relaxed);
		if (v == 0)
			continue;
		if (s < NSTATUS)
			rc |= buf_printf(out, "meent_http_requests_total{route=\"%s\",status=\"%d\"} %lu\n",
			    r->pattern, metrics_statuses[s], v);
		else
			rc |= buf_printf(out, "meent_http_requests_total{route=\"%s\",status=\"%zuxx\"} %lu\n",
			    r->pattern, s - NSTATUS + 1, v);
	}
	return rc;
}

static int
metrics_write_histogram(const struct metrics_route *r, struct buf *out)
{
	unsigned long	 cum = 0, count;
	int		 rc = 0;

	count = atomic_load_explicit(&r->count, memory_order_relaxed);
	if (count == 0)
		return 0;
	for (size_t b = 0; b < NBUCKET; b++) {
		cum += atomic_load_explicit(&r->bucket[b], memory_order_relaxed);
		rc |= buf_printf(out, "meent_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lu\n",
		    r->pattern, metrics_buckets[b], cum);
	}
	rc |= buf_printf(out,
	    "meent_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lu\n"
	    "meent_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
	    "meent_http_request_duration_seconds_count{route=\"%s\"} %lu\n",
	    r->pattern, count, r->pattern,
	    (double)atomic_load_explicit(&r->sum_us, memory_order_relaxed) / 1e6,
	    r->pattern, count);
	return rc;
}

int
http_metrics_write(const struct http_metrics *m, struct buf *out)
{
	int rc = 0;

	rc |= buf_printf(out,
	    "# HELP meent_http_requests_total HTTP requests by route pattern and status.\n"
	    "# TYPE meent_http_requests_total counter\n");
	for (size_t i = 0; i < m->nroutes; i++)
		rc |= metrics_write_counts(&m->routes[i], out);
	rc |= buf_printf(out,
	    "# HELP meent_http_request_duration_seconds Time from routing to reply.\n"
	    "# TYPE meent_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < m->nroutes; i++)
		rc |= metrics_write_histogram(&m->routes[i], out);
	rc |= buf_printf(out,
	    "# HELP meent_http_requests_in_flight Requests being handled now.\n"
	    "# TYPE meent_http_requests_in_flight gauge\n"
	    "meent_http_requests_in_flight %ld\n",
	    atomic_load_explicit(&m->inflight, memory_order_relaxed));
	return rc ? -1 : 0;
}
