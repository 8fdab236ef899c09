/*
 * What the listings of the timelines group share (api/timelines.c): the
 * parameters and page of a request, and the reply with a page of
 * statuses. Private to src/api/timelines*.c, notifications.c and
 * saved_statuses.c.
 */
#ifndef MEENT_API_TIMELINES_INTERNAL_H
#define MEENT_API_TIMELINES_INTERNAL_H

#include <libpq-fe.h>

#include "api/page.h"

struct http_req;
struct api_params;

/* Mastodon's DEFAULT_STATUSES_LIMIT; the cap is twice it. */
#define API_TL_LIMIT		20
#define API_TL_MAX_LIMIT	40

/*
 * Parses req's parameters (new; api_params_free them) and its page with
 * deflimit and maxlimit into pg. On malformed parameters replies 400 and
 * returns NULL.
 */
struct api_params *api_tl_params(struct http_req *req, int deflimit, int maxlimit,
		    struct api_page *pg);

/*
 * The lower bound of pg for SQL: min_id when ascending, else since_id;
 * NULL when absent. Borrowed from pg.
 */
const char	*api_tl_lower(const struct api_page *pg);

/*
 * Replies with the page of statuses res (borrowed), a listing's result
 * with the columns of api/status_cache.h: rows in the query's order,
 * oldest first when pg->ascending; the client always gets newest first.
 * Adds the Link header for path from the rows' cursors when the page is
 * not empty.
 */
void		 api_tl_reply(struct http_req *req, const PGresult *res,
		    const struct api_page *pg, const char *path);

#endif
