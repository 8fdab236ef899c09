/*
 * Reading positions (docs.joinmastodon.org/methods/markers), as Mastodon
 * 4.3's Api::V1::MarkersController: GET answers the markers of the
 * timelines asked for (home, notifications) as an object keyed by
 * timeline; POST saves home[last_read_id] and notifications[last_read_id]
 * in one transaction and answers the markers it saved. A marker's version
 * is Rails' lock_version: 0 when created, one more at every change.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/params.h"
#include "api/timelines_routes.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"

/* Marker::TIMELINES */
static const char *const marker_timelines[] = { "home", "notifications" };
#define MARKER_NTIMELINES	2

/* GET /api/v1/markers?timeline[]=home&timeline[]=notifications */
void
api_markers_get(struct http_req *req)
{
	struct api_auth	 a;
	struct api_params *p;
	PGresult	*res;
	json_t		*asked, *out;
	char		 err[256], list[64];
	size_t		 len = 0;

	if (api_authenticate(req, "read:statuses", API_AUTH_USER, &a) == -1)
		return;
	if ((p = api_params_parse(req, err, sizeof(err))) == NULL) {
		http_reply_error(req, 400, err);
		return;
	}
	/* Only known names go into the text[] literal, so nothing needs quoting. */
	asked = api_param_list(p, "timeline");
	len += (size_t)snprintf(list, sizeof(list), "{");
	for (size_t t = 0; t < MARKER_NTIMELINES; t++) {
		size_t	 i;
		json_t	*v;

		json_array_foreach(asked, i, v) {
			if (strcmp(json_string_value(v), marker_timelines[t]) == 0) {
				len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
				    len > 1 ? "," : "", marker_timelines[t]);
				break;
			}
		}
	}
	snprintf(list + len, sizeof(list) - len, "}");
	json_decref(asked);
	api_params_free(p);

	if ((res = DB_EXEC(req->req_db, STMT_API_MARKERS_GET, a.account_id_s, list)) == NULL) {
		http_reply_db_error(req);
		return;
	}
	out = json_object();
	for (int i = 0; i < PQntuples(res); i++)
		json_object_set_new(out, PQgetvalue(res, i, 0),
		    json_loads(PQgetvalue(res, i, 1), 0, NULL));
	PQclear(res);
	http_reply_json(req, 200, out);
}

/*
 * The last_read_id of a timeline's parameters (a JSON body may give a
 * number) as decimal text into buf; NULL when absent or not an id, which
 * Mastodon refuses as blank.
 */
static const char *
marker_last_read(const json_t *obj, char *buf, size_t bufsz)
{
	const json_t	*v = json_object_get(obj, "last_read_id");
	long long	 id;

	if (json_is_integer(v) && json_integer_value(v) > 0)
		id = (long long)json_integer_value(v);
	else if (!json_is_string(v) || api_id_parse(json_string_value(v), &id) == -1)
		return NULL;
	snprintf(buf, bufsz, "%lld", id);
	return buf;
}

/* Saves every marker p names into out; 0, or -1 after replying. */
static int
marker_save_all(struct http_req *req, const struct api_auth *a,
    const struct api_params *p, json_t *out)
{
	PGresult	*res;
	char		 id[24];

	for (size_t t = 0; t < MARKER_NTIMELINES; t++) {
		json_t	*obj = api_param_object(p, marker_timelines[t]);

		if (obj == NULL)
			continue;
		if (marker_last_read(obj, id, sizeof(id)) == NULL) {
			api_reply_invalid(req, "Last read can't be blank");
			return -1;
		}
		res = DB_EXEC(req->req_db, STMT_API_MARKER_SAVE, a->account_id_s,
		    marker_timelines[t], id);
		if (res == NULL || PQntuples(res) != 1) {
			PQclear(res);
			http_reply_db_error(req);
			return -1;
		}
		json_object_set_new(out, marker_timelines[t],
		    json_loads(PQgetvalue(res, 0, 0), 0, NULL));
		PQclear(res);
	}
	return 0;
}

/* POST /api/v1/markers (home[last_read_id], notifications[last_read_id]) */
void
api_markers_post(struct http_req *req)
{
	struct api_auth	 a;
	struct api_params *p;
	json_t		*out;
	char		 err[256];

	if (api_authenticate(req, "write:statuses", API_AUTH_USER, &a) == -1)
		return;
	if ((p = api_params_parse(req, err, sizeof(err))) == NULL) {
		http_reply_error(req, 400, err);
		return;
	}
	out = json_object();
	if (db_begin(req->req_db) == -1) {
		http_reply_db_error(req);
		goto out;
	}
	if (marker_save_all(req, &a, p, out) == -1) {
		db_rollback(req->req_db);
		goto out;
	}
	if (db_commit(req->req_db) == -1) {
		http_reply_db_error(req);
		goto out;
	}
	http_reply_json(req, 200, json_incref(out));
out:
	json_decref(out);
	api_params_free(p);
}
