/*
 * GET /api/v1/timelines/tag/:hashtag (any[], all[], none[], local, remote,
 * only_media), as Mastodon 4.3's TagFeed: public statuses tagged with the
 * hashtag or any of any[], with all of all[] and none of none[]. As there,
 * each mode takes at most its first four names, names of hashtags that do
 * not exist are ignored, and an unknown hashtag is an empty timeline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "api/auth.h"
#include "api/page.h"
#include "api/params.h"
#include "api/timelines_internal.h"
#include "api/timelines_routes.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/str.h"

#define TAG_PER_MODE	4	/* TagFeed::LIMIT_PER_MODE */
#define TAG_NAME_MAX	256	/* tags.name's CHECK */

enum tag_mode { TAG_ANY, TAG_ALL, TAG_NONE, TAG_NMODES };

static const char *const tag_mode_param[TAG_NMODES] = { "any", "all", "none" };

struct tag_query {
	json_t		*names;			/* every name, modes one after another */
	size_t		 first[TAG_NMODES + 1];	/* where each mode starts in names */
	struct buf	 ids[TAG_NMODES];	/* bigint[] literals of the tag ids */
	int		 named;			/* names[0] is the hashtag itself */
	int		 found;			/* and it exists */
};

/* Adds name to the current mode unless it is empty, too long or already there. */
static void
tag_add(struct tag_query *q, enum tag_mode m, const char *name)
{
	size_t	 len = strlen(name);

	if (m == TAG_ANY && *name == '#')
		name++, len--;
	if (len == 0 || len > TAG_NAME_MAX ||
	    json_array_size(q->names) - q->first[m] >= TAG_PER_MODE)
		return;
	for (size_t i = q->first[m]; i < json_array_size(q->names); i++)
		if (strcmp(json_string_value(json_array_get(q->names, i)), name) == 0)
			return;
	json_array_append_new(q->names, json_stringn(name, len));
}

/* Collects the names of every mode from the hashtag and the parameters. */
static void
tag_collect(struct tag_query *q, const char *hashtag, const struct api_params *p)
{
	for (int m = 0; m < TAG_NMODES; m++) {
		json_t	*list = api_param_list(p, tag_mode_param[m]), *v;
		size_t	 i;

		q->first[m] = json_array_size(q->names);
		if (m == TAG_ANY && hashtag != NULL) {
			tag_add(q, m, hashtag);
			q->named = json_array_size(q->names) == 1;
		}
		json_array_foreach(list, i, v)
			tag_add(q, (enum tag_mode)m, json_string_value(v));
		json_decref(list);
	}
	q->first[TAG_NMODES] = json_array_size(q->names);
}

/* Looks the names up and fills q->ids and q->found. 0, or -1 on a database error. */
static int
tag_resolve(struct http_req *req, struct tag_query *q)
{
	PGresult	*res;
	char		*names;
	int		 m;

	names = json_dumps(q->names, JSON_COMPACT);
	res = DB_EXEC(req->req_db, STMT_API_TL_TAG_IDS, names);
	free(names);
	if (res == NULL)
		return -1;
	for (m = 0; m < TAG_NMODES; m++)
		buf_puts(&q->ids[m], "{");
	for (int i = 0; i < PQntuples(res); i++) {
		size_t	 at = strtoul(PQgetvalue(res, i, 0), NULL, 10) - 1;

		for (m = TAG_NMODES - 1; m > 0 && at < q->first[m]; m--)
			;
		if (at == 0)
			q->found = 1;
		buf_printf(&q->ids[m], "%s%s", q->ids[m].len > 1 ? "," : "",
		    PQgetvalue(res, i, 1));
	}
	for (m = 0; m < TAG_NMODES; m++)
		buf_puts(&q->ids[m], "}");
	PQclear(res);
	return 0;
}

/* The request's path as it arrived (still encoded), for the Link header. */
static void
tag_path(const struct http_req *req, char *out, size_t outsz)
{
	size_t	 n = strcspn(req->req_uri, "?");

	snprintf(out, outsz, "%.*s", (int)(n < outsz ? n : outsz - 1), req->req_uri);
}

static void
tag_list(struct http_req *req, const struct api_auth *a, const struct api_params *p,
    const struct api_page *pg, struct tag_query *q)
{
	PGresult	*res;
	char		 path[HTTP_MAX_PATH];

	if (tag_resolve(req, q) == -1) {
		http_reply_db_error(req);
		return;
	}
	if (!q->found) {
		http_reply_json(req, 200, json_array());
		return;
	}
	res = DB_EXEC(req->req_db, pg->ascending ? STMT_API_TL_TAG_ASC : STMT_API_TL_TAG_DESC,
	    q->ids[TAG_ANY].data, q->ids[TAG_ALL].data, q->ids[TAG_NONE].data,
	    api_page_arg(pg->max_id), api_tl_lower(pg),
	    api_param_bool(p, "local", 0) ? "t" : "f",
	    api_param_bool(p, "remote", 0) ? "t" : "f",
	    api_param_bool(p, "only_media", 0) ? "t" : "f",
	    a->account_id != 0 ? a->account_id_s : NULL, pg->limit);
	if (res == NULL) {
		http_reply_db_error(req);
		return;
	}
	tag_path(req, path, sizeof(path));
	api_tl_reply(req, res, pg, path);
	PQclear(res);
}

void
api_timelines_tag(struct http_req *req)
{
	struct api_auth	 a;
	struct api_params *p;
	struct api_page	 pg;
	struct tag_query q;

	if (api_authenticate(req, "read:statuses", API_AUTH_OPTIONAL, &a) == -1)
		return;
	if ((p = api_tl_params(req, API_TL_LIMIT, API_TL_MAX_LIMIT, &pg)) == NULL)
		return;
	memset(&q, 0, sizeof(q));
	q.names = json_array();
	for (int m = 0; m < TAG_NMODES; m++)
		buf_init(&q.ids[m], 0);
	tag_collect(&q, http_req_param(req, "hashtag"), p);
	if (!q.named)	/* an empty or over-long hashtag */
		http_reply_json(req, 200, json_array());
	else
		tag_list(req, &a, p, &pg, &q);
	for (int m = 0; m < TAG_NMODES; m++)
		buf_cleanup(&q.ids[m]);
	json_decref(q.names);
	api_params_free(p);
}
