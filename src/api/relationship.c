/*
 * Relationships: see relationship.h, and GET /api/v1/accounts/relationships
 * (docs.joinmastodon.org/methods/accounts/#relationships).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/accounts_internal.h"
#include "api/accounts_routes.h"
#include "api/api.h"
#include "api/auth.h"
#include "api/params.h"
#include "api/relationship.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/mem.h"
#include "util/str.h"

int
api_relationships_render(struct http_req *req, long long viewer, const long long *ids,
    size_t n, int with_suspended, json_t **out)
{
	PGresult	*res;
	struct buf	 b;
	char		 vbuf[24];

	*out = NULL;
	snprintf(vbuf, sizeof(vbuf), "%lld", viewer);
	buf_init(&b, 0);
	buf_puts(&b, "{");
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i > 0 ? "," : "", ids[i]);
	buf_puts(&b, "}");
	res = DB_EXEC(req->req_db, STMT_ACC_RELATIONSHIPS, vbuf, b.data,
	    with_suspended ? "t" : "f");
	buf_cleanup(&b);
	if (res == NULL)
		return -1;
	*out = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		json_t *r = json_loads(PQgetvalue(res, i, 1), 0, NULL);

		if (r != NULL)
			json_array_append_new(*out, r);
	}
	PQclear(res);
	return 0;
}

void
api_relationship_reply(struct http_req *req, long long viewer, long long target)
{
	json_t	*arr;

	/* The target may have been suspended meanwhile: still answer for it. */
	if (api_relationships_render(req, viewer, &target, 1, 1, &arr) == -1) {
		http_reply_db_error(req);
		return;
	}
	if (json_array_size(arr) != 1) {
		json_decref(arr);
		api_reply_not_found(req);
		return;
	}
	http_reply_json(req, 200, json_incref(json_array_get(arr, 0)));
	json_decref(arr);
}

/* GET /api/v1/accounts/relationships?id[]=...&with_suspended= */
void
api_accounts_relationships(struct http_req *req)
{
	struct api_auth		 a;
	struct api_params	*p;
	json_t			*list, *v, *arr;
	long long		*ids;
	size_t			 i, n = 0;
	int			 with_suspended;

	if (api_authenticate(req, "read:follows", API_AUTH_USER, &a) == -1)
		return;
	if ((p = api_accounts_params(req)) == NULL)
		return;
	list = api_param_list(p, "id");
	with_suspended = api_param_bool(p, "with_suspended", 0);
	api_params_free(p);
	/* The list is bounded by the parameters' own cap (API_PARAMS_MAX_KEYS). */
	ids = xcalloc(json_array_size(list) + 1, sizeof(*ids));
	/* Ids that are not ids are skipped, as Mastodon's to_i makes them 0. */
	json_array_foreach(list, i, v)
		if (n < API_RELATIONSHIPS_MAX && api_id_parse(json_string_value(v), &ids[n]) == 0)
			n++;
	json_decref(list);
	if (api_relationships_render(req, a.account_id, ids, n, with_suspended, &arr) == -1)
		http_reply_db_error(req);
	else
		http_reply_json(req, 200, arr);
	free(ids);
}
