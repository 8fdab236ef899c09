/*
 * Mastodon's entities as the API returns them: Account and Status (with
 * its nested account, reblog, media, mentions and tags), rendered by
 * PostgreSQL in one statement per batch (db/stmt_api_core.def), so a
 * timeline page of 40 statuses is one query. Fields Mastodon never sends
 * as null are never null; ids are decimal strings; times are ISO 8601
 * with milliseconds in UTC.
 *
 * viewer is the account whose view it is (favourited, reblogged,
 * bookmarked, muted, pinned), or 0 for an anonymous reader, for whom
 * those fields are left out as Mastodon leaves them out.
 *
 * The renderers do not decide visibility: callers pass only ids the
 * viewer may see. Deleted statuses and unknown ids are skipped.
 */
#ifndef MEENT_API_ENTITY_H
#define MEENT_API_ENTITY_H

#include <stddef.h>

#include <jansson.h>

struct db;
struct http_req;

/*
 * Renders the n accounts ids as Account entities in that order, into
 * *out (a new array). 0, or -1 on a database error (*out NULL).
 */
int	 api_accounts_render(struct http_req *req, const long long *ids, size_t n,
	    json_t **out);
/* One account: *out is the new object, or NULL when there is none. 0 or -1. */
int	 api_account_render(struct http_req *req, long long id, json_t **out);

/*
 * Renders the n statuses ids as Status entities for viewer, in that order,
 * into *out (a new array). A reblog carries the original in "reblog".
 * 0, or -1 on a database error (*out NULL).
 */
int	 api_statuses_render(struct http_req *req, long long viewer,
	    const long long *ids, size_t n, json_t **out);
/* One status: *out is the new object, or NULL when there is none. 0 or -1. */
int	 api_status_render(struct http_req *req, long long viewer, long long id,
	    json_t **out);

/*
 * The ids of a result column (decimal text, NULL skipped) as a new array
 * of n long longs in *ids (free it); for feeding a listing's ids to the
 * renderers. 0, or -1 when a value is not an id.
 */
int	 api_ids_from_column(const void *pgresult, int col, long long **ids, size_t *n);

#endif
