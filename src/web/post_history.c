/*
 * The edit history of a post for its page: the versions Mastodon keeps
 * (status_edits), as /api/v1/statuses/:id/history serves them
 * (API_ST_HISTORY renders the StatusEdit entities), newest first as
 * Mastodon's web interface lists them. See post_internal.h.
 */
#include <jansson.h>
#include <libpq-fe.h>

#include "api/api.h"
#include "db/db.h"
#include "http/request.h"
#include "web/post_internal.h"
#include "web/view.h"

json_t *
web_post_history(struct http_req *req, const char *locale, const char *id)
{
	PGresult	*res;
	json_t		*out, *v;
	char		 base[300];
	int		 n;

	res = DB_EXEC(req->req_db, STMT_API_ST_HISTORY, id, api_base(req, base, sizeof(base)));
	if (res == NULL)
		return NULL;
	out = json_array();
	n = PQntuples(res);
	for (int i = n - 1; i >= 0; i--) {
		if ((v = json_loads(PQgetvalue(res, i, 0), 0, NULL)) == NULL)
			continue;
		/* A StatusEdit has a Status's fields for what changes: the
		 * same page values (content_html, created_human, media). */
		web_status_view(v, req, locale);
		json_object_set_new(v, "version", json_integer(i + 1));
		json_object_set_new(v, "current", json_boolean(i == n - 1));
		json_object_set_new(v, "original", json_boolean(i == 0));
		json_array_append_new(out, v);
	}
	PQclear(res);
	return out;
}
