/*
 * Pages of Status entities for the timelines, from a cache of rendered
 * entities. Rendering Status entities in PostgreSQL (api/entity.h) costs
 * more than everything else of a timeline request together, and the
 * same statuses are asked for again and again (every follower's home,
 * every reload), so each status's entity as an anonymous reader sees it
 * is kept, as JSON text, under a version: the row versions of everything
 * it is built from (db/stmt_api_timelines.def, TL_PAGE). A listing's
 * query returns those versions and the viewer's flags (favourited,
 * reblogged, bookmarked, muted, pinned) with its rows; the texts come
 * from the cache, and from api_statuses_render (one query) for the ones
 * missing or out of date.
 *
 * The cache is one per process, bounded in entries and bytes, shared by
 * the HTTP threads under a mutex. Nothing here decides visibility: the
 * listings return only statuses the viewer may see.
 */
#ifndef MEENT_API_STATUS_CACHE_H
#define MEENT_API_STATUS_CACHE_H

#include <stddef.h>

struct http_req;

#define API_STATUS_CACHE_SLOTS	4096		/* entries, a power of two */
#define API_STATUS_CACHE_BYTES	(24u << 20)	/* at most this much text */

/*
 * Columns of a page of statuses, as the listings of
 * db/stmt_api_timelines.def return them (TL_PAGE): the row's cursor, the
 * status id, the reblogged original's id, the status's version (NULL when
 * it does not render), the viewer's flags on it, and the same two for
 * the original.
 */
enum api_status_page_col {
	API_STATUS_PAGE_CURSOR, API_STATUS_PAGE_ID, API_STATUS_PAGE_REBLOG,
	API_STATUS_PAGE_VERSION, API_STATUS_PAGE_FLAGS,
	API_STATUS_PAGE_ORIG_VERSION, API_STATUS_PAGE_ORIG_FLAGS,
};

/*
 * The JSON array of the Status entities of the rows of page (a PGresult
 * with the columns above; borrowed), in its order, or the reverse when
 * reverse is set; a reblog carries its original in "reblog". Rows that do
 * not render are skipped. Returns the text with its length in *len,
 * borrowed: it stays valid until the next call on the same thread. NULL
 * on a database error.
 */
const char *api_status_page_render(struct http_req *req, const void *page, int reverse,
	    size_t *len);

#endif
