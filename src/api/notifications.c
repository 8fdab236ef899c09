/*
 * Notifications (docs.joinmastodon.org/methods/notifications), as
 * Mastodon 4.3's Api::V1::NotificationsController: the list with types[],
 * exclude_types[] and account_id, one notification, clear, dismiss and the
 * unread count. PostgreSQL renders each Notification with its account
 * (and report); the statuses of a page come from api_statuses_render in
 * one more query. Notifications from suspended accounts, from accounts
 * the owner blocks or mutes with hide_notifications, and about deleted
 * statuses are left out (db/stmt_api_timelines.def, NOTIF_VISIBLE).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/entity.h"
#include "api/page.h"
#include "api/params.h"
#include "api/timelines_internal.h"
#include "api/timelines_routes.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"

#define NOTIF_LIMIT		40	/* DEFAULT_NOTIFICATIONS_LIMIT; the cap is twice it */
#define NOTIF_COUNT_LIMIT	100	/* DEFAULT_NOTIFICATIONS_COUNT_LIMIT */
#define NOTIF_COUNT_MAX		1000	/* MAX_NOTIFICATIONS_COUNT_LIMIT */

/* Columns of the API_NOTIF* statements. */
enum notif_col { NOTIF_COL_ID, NOTIF_COL_STATUS, NOTIF_COL_JSON };

/* Notification::TYPES of Mastodon 4.3, the values types[] may name. */
static const char *const notif_types[] = {
	"mention", "status", "reblog", "follow", "follow_request", "favourite",
	"poll", "update", "admin.sign_up", "admin.report", "severed_relationships",
	"moderation_warning",
};
#define NOTIF_NTYPES	(sizeof(notif_types) / sizeof(notif_types[0]))

/* 1 when list (a JSON array of strings, may be NULL) holds s. */
static int
notif_listed(const json_t *list, const char *s)
{
	size_t	 i;
	json_t	*v;

	json_array_foreach(list, i, v)
		if (strcmp(json_string_value(v), s) == 0)
			return 1;
	return 0;
}

/*
 * The types to show as a text[] literal into out, or "" for all of them
 * (Notification.browserable): types[] (all when absent) that Mastodon
 * knows, less exclude_types[]. Unknown names are ignored; when nothing is
 * left, "{}" shows nothing.
 */
static void
notif_types_filter(const struct api_params *p, char *out, size_t outsz)
{
	json_t	*types = api_param_list(p, "types");
	json_t	*exclude = api_param_list(p, "exclude_types");
	size_t	 len = 0, n = 0;

	len += (size_t)snprintf(out, outsz, "{");
	for (size_t i = 0; i < NOTIF_NTYPES; i++) {
		if ((json_array_size(types) > 0 && !notif_listed(types, notif_types[i])) ||
		    notif_listed(exclude, notif_types[i]))
			continue;
		if (len < outsz)
			len += (size_t)snprintf(out + len, outsz - len, "%s\"%s\"",
			    n > 0 ? "," : "", notif_types[i]);
		n++;
	}
	if (len < outsz)
		snprintf(out + len, outsz - len, "}");
	if (n == NOTIF_NTYPES)
		*out = '\0';
	json_decref(types);
	json_decref(exclude);
}

/* The account_id filter: the id, "0" (no account: nothing matches) for a
 * value that is not an id, or NULL when absent. */
static const char *
notif_from(const struct api_params *p, char *buf, size_t bufsz)
{
	const char	*v = api_param_str(p, "account_id");
	long long	 id;

	if (v == NULL || *v == '\0')
		return NULL;
	snprintf(buf, bufsz, "%lld", api_id_parse(v, &id) == 0 ? id : 0LL);
	return buf;
}

/* The rendered status of arr (borrowed) whose id is id, or NULL. */
static json_t *
notif_find_status(const json_t *arr, const char *id)
{
	size_t	 i;
	json_t	*st;

	json_array_foreach(arr, i, st)
		if (strcmp(json_string_value(json_object_get(st, "id")), id) == 0)
			return st;
	return NULL;
}

/*
 * The Notification entities of res's rows, in order, with their statuses
 * rendered for viewer; into *out (new). A notification whose status does
 * not render is left out. 0, or -1 on a database error.
 */
static int
notif_render(struct http_req *req, long long viewer, const PGresult *res,
    int reverse, json_t **out)
{
	long long	*ids;
	size_t		 n;
	json_t		*statuses, *obj, *st;
	int		 rows = PQntuples(res);

	*out = NULL;
	if (api_ids_from_column(res, NOTIF_COL_STATUS, &ids, &n) == -1)
		return -1;
	if (api_statuses_render(req, viewer, ids, n, &statuses) == -1) {
		free(ids);
		return -1;
	}
	free(ids);
	*out = json_array();
	for (int k = 0; k < rows; k++) {
		int	 i = reverse ? rows - 1 - k : k;

		if ((obj = json_loads(PQgetvalue(res, i, NOTIF_COL_JSON), 0, NULL)) == NULL)
			continue;
		if (!PQgetisnull(res, i, NOTIF_COL_STATUS)) {
			st = notif_find_status(statuses, PQgetvalue(res, i, NOTIF_COL_STATUS));
			if (st == NULL) {
				json_decref(obj);
				continue;
			}
			json_object_set(obj, "status", st);
		}
		json_array_append_new(*out, obj);
	}
	json_decref(statuses);
	return 0;
}

/* GET /api/v1/notifications */
void
api_notifications_list(struct http_req *req)
{
	struct api_auth	 a;
	struct api_params *p;
	struct api_page	 pg;
	PGresult	*res;
	json_t		*arr;
	char		 types[512], from[24], base[300];

	if (api_authenticate(req, "read:notifications", API_AUTH_USER, &a) == -1)
		return;
	if ((p = api_tl_params(req, NOTIF_LIMIT, 2 * NOTIF_LIMIT, &pg)) == NULL)
		return;
	notif_types_filter(p, types, sizeof(types));
	res = DB_EXEC(req->req_db, pg.ascending ? STMT_API_NOTIFS_ASC : STMT_API_NOTIFS_DESC,
	    a.account_id_s, api_page_arg(types), notif_from(p, from, sizeof(from)),
	    api_page_arg(pg.max_id), api_tl_lower(&pg), pg.limit,
	    api_base(req, base, sizeof(base)));
	if (res == NULL || notif_render(req, a.account_id, res, pg.ascending, &arr) == -1) {
		http_reply_db_error(req);
		goto out;
	}
	api_page_link_result(req, "/api/v1/notifications", &pg, res, NOTIF_COL_ID);
	http_reply_json(req, 200, arr);
out:
	PQclear(res);
	api_params_free(p);
}

/* GET /api/v1/notifications/:id; another account's is not found. */
void
api_notifications_get(struct http_req *req)
{
	struct api_auth	 a;
	PGresult	*res = NULL;
	json_t		*arr = NULL;
	long long	 id;
	char		 ids[24], base[300];

	if (api_authenticate(req, "read:notifications", API_AUTH_USER, &a) == -1)
		return;
	if (api_id_parse(http_req_param(req, "id"), &id) == -1) {
		api_reply_not_found(req);
		return;
	}
	snprintf(ids, sizeof(ids), "%lld", id);
	res = DB_EXEC(req->req_db, STMT_API_NOTIF_GET, a.account_id_s, NULL, NULL, ids,
	    api_base(req, base, sizeof(base)));
	if (res == NULL || notif_render(req, a.account_id, res, 0, &arr) == -1)
		http_reply_db_error(req);
	else if (json_array_size(arr) != 1)
		api_reply_not_found(req);
	else
		http_reply_json(req, 200, json_incref(json_array_get(arr, 0)));
	json_decref(arr);
	PQclear(res);
}

/* POST /api/v1/notifications/clear: {} */
void
api_notifications_clear(struct http_req *req)
{
	struct api_auth	 a;
	PGresult	*res;

	if (api_authenticate(req, "write:notifications", API_AUTH_USER, &a) == -1)
		return;
	if ((res = DB_EXEC(req->req_db, STMT_API_NOTIFS_CLEAR, a.account_id_s)) == NULL) {
		http_reply_db_error(req);
		return;
	}
	PQclear(res);
	http_reply_json(req, 200, json_object());
}

/* POST /api/v1/notifications/:id/dismiss: {}, or 404 when it is not the caller's. */
void
api_notifications_dismiss(struct http_req *req)
{
	struct api_auth	 a;
	PGresult	*res;
	long long	 id;
	char		 ids[24];

	if (api_authenticate(req, "write:notifications", API_AUTH_USER, &a) == -1)
		return;
	if (api_id_parse(http_req_param(req, "id"), &id) == -1) {
		api_reply_not_found(req);
		return;
	}
	snprintf(ids, sizeof(ids), "%lld", id);
	if ((res = DB_EXEC(req->req_db, STMT_API_NOTIF_DISMISS, a.account_id_s, ids)) == NULL) {
		http_reply_db_error(req);
		return;
	}
	if (PQntuples(res) == 1)
		http_reply_json(req, 200, json_object());
	else
		api_reply_not_found(req);
	PQclear(res);
}

/*
 * GET /api/v1/notifications/unread_count (Mastodon 4.3): notifications
 * newer than the notifications marker, filtered as the list is, counted
 * up to limit (default 100, at most 1,000).
 */
void
api_notifications_unread_count(struct http_req *req)
{
	struct api_auth	 a;
	struct api_params *p;
	struct api_page	 pg;
	PGresult	*res;
	char		 types[512], from[24];

	if (api_authenticate(req, "read:notifications", API_AUTH_USER, &a) == -1)
		return;
	if ((p = api_tl_params(req, NOTIF_COUNT_LIMIT, NOTIF_COUNT_MAX, &pg)) == NULL)
		return;
	notif_types_filter(p, types, sizeof(types));
	res = DB_EXEC(req->req_db, STMT_API_NOTIFS_UNREAD, a.account_id_s,
	    api_page_arg(types), notif_from(p, from, sizeof(from)), pg.limit);
	if (res == NULL)
		http_reply_db_error(req);
	else
		http_reply_json(req, 200, json_pack("{s:I}", "count",
		    (json_int_t)strtoll(PQgetvalue(res, 0, 0), NULL, 10)));
	PQclear(res);
	api_params_free(p);
}
