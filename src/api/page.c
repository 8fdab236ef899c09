/* Mastodon's pagination: see page.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "api/api.h"
#include "api/page.h"
#include "api/params.h"
#include "http/reply.h"
#include "http/request.h"

static void
page_id(const struct api_params *p, const char *key, char *out, size_t outsz)
{
	const char	*v = api_param_str(p, key);
	long long	 id;

	*out = '\0';
	if (v != NULL && api_id_parse(v, &id) == 0)
		snprintf(out, outsz, "%lld", id);
}

void
api_page_parse(const struct api_params *p, int deflimit, int maxlimit,
    struct api_page *pg)
{
	const char	*v = api_param_str(p, "limit");
	char		*end;
	long		 n = deflimit;

	memset(pg, 0, sizeof(*pg));
	page_id(p, "max_id", pg->max_id, sizeof(pg->max_id));
	page_id(p, "since_id", pg->since_id, sizeof(pg->since_id));
	page_id(p, "min_id", pg->min_id, sizeof(pg->min_id));
	if (v != NULL && *v != '\0') {
		n = strtol(v, &end, 10);
		if (*end != '\0')
			n = deflimit;
	}
	if (n < 1)
		n = 1;
	if (n > maxlimit)
		n = maxlimit;
	pg->nlimit = (int)n;
	snprintf(pg->limit, sizeof(pg->limit), "%d", pg->nlimit);
	pg->ascending = pg->min_id[0] != '\0';
}

const char *
api_page_arg(const char *field)
{
	return field != NULL && *field != '\0' ? field : NULL;
}

/* 1 when the query pair starting at s (up to len bytes) is a cursor. */
static int
page_is_cursor(const char *s, size_t len)
{
	static const char *const cursors[] = { "max_id", "min_id", "since_id" };

	for (size_t i = 0; i < 3; i++) {
		size_t	 n = strlen(cursors[i]);

		if (len >= n && strncmp(s, cursors[i], n) == 0 &&
		    (len == n || s[n] == '='))
			return 1;
	}
	return 0;
}

/*
 * Writes "<base><path>?<other params>&<cursor>=<id>" into out: the query
 * of the request without its cursors, as they arrived (still encoded).
 */
static void
page_url(const struct http_req *req, const char *path, const char *cursor,
    const char *id, char *out, size_t outsz)
{
	const char	*q = strchr(req->req_uri, '?');
	size_t		 len;
	char		 base[300];

	len = (size_t)snprintf(out, outsz, "%s%s?", api_base(req, base, sizeof(base)), path);
	if (q != NULL) {
		q++;
		while (*q != '\0' && len < outsz) {
			const char *amp = strchr(q, '&');
			size_t	 n = amp != NULL ? (size_t)(amp - q) : strlen(q);

			if (n > 0 && !page_is_cursor(q, n) && len + n + 1 < outsz) {
				memcpy(out + len, q, n);
				len += n;
				out[len++] = '&';
				out[len] = '\0';
			}
			q += n;
			if (*q == '&')
				q++;
		}
	}
	if (len < outsz)
		snprintf(out + len, outsz - len, "%s=%s", cursor, id);
}

void
api_page_link(struct http_req *req, const char *path, const char *newest,
    const char *oldest)
{
	char	 next[2048], prev[2048], link[4200];

	if (newest == NULL || oldest == NULL || *newest == '\0' || *oldest == '\0')
		return;
	page_url(req, path, "max_id", oldest, next, sizeof(next));
	page_url(req, path, "min_id", newest, prev, sizeof(prev));
	snprintf(link, sizeof(link), "<%s>; rel=\"next\", <%s>; rel=\"prev\"", next, prev);
	http_reply_header(req, "Link", link);
}

void
api_page_link_result(struct http_req *req, const char *path, const struct api_page *pg,
    const void *pgresult, int col)
{
	const PGresult	*res = pgresult;
	int		 rows = PQntuples(res);

	if (rows == 0)
		return;
	api_page_link(req, path, PQgetvalue(res, pg->ascending ? rows - 1 : 0, col),
	    PQgetvalue(res, pg->ascending ? 0 : rows - 1, col));
}
