/*
 * Pagination exactly as Mastodon does it: max_id (older than), since_id
 * (newer than, newest first), min_id (newer than, the oldest of them
 * first: the page right after min_id), and limit (default and cap per
 * endpoint). Results always go to the client newest first. The Link
 * header names the next (older) and prev (newer) pages and keeps the
 * request's other query parameters.
 */
#ifndef MEENT_API_PAGE_H
#define MEENT_API_PAGE_H

struct http_req;
struct api_params;

struct api_page {
	char	 max_id[24];	/* "" when absent: pass NULL to SQL (api_page_arg) */
	char	 since_id[24];
	char	 min_id[24];
	char	 limit[8];	/* always set, decimal */
	int	 nlimit;
	int	 ascending;	/* min_id given: query id > min_id ORDER BY id ASC, then reverse */
};

/*
 * Reads max_id, since_id, min_id and limit from p. A value that is not an
 * id is ignored, as Mastodon ignores it; limit is clamped to 1..maxlimit,
 * deflimit when absent or not a number.
 */
void	 api_page_parse(const struct api_params *p, int deflimit, int maxlimit,
	    struct api_page *pg);

/* The SQL parameter for one of pg's id fields: the text, or NULL when "". */
const char *api_page_arg(const char *field);

/*
 * Adds the Link header for a page whose ids, newest first, run from
 * newest to oldest (the values the cursors take: status ids, or the ids
 * of the rows paginated, such as follows or notifications). Nothing when
 * the page is empty. path is the request's path ("/api/v1/timelines/home").
 */
void	 api_page_link(struct http_req *req, const char *path, const char *newest,
	    const char *oldest);

/*
 * The same from a listing's result (a PGresult, borrowed) whose column col
 * holds the cursor: rows come newest first, or oldest first when the page
 * was queried ascending (pg->ascending).
 */
void	 api_page_link_result(struct http_req *req, const char *path,
	    const struct api_page *pg, const void *pgresult, int col);

#endif
