/*
 * Account and Status entities: see entity.h. PostgreSQL builds each
 * entity's JSON (db/stmt_api_core.def); here the rows are put back in the
 * order asked for and reblogs get their originals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "api/api.h"
#include "api/entity.h"
#include "db/db.h"
#include "http/request.h"
#include "util/mem.h"

/* "{1,2,3}": ids as a bigint[] literal (new). */
static char *
entity_id_array(const long long *ids, size_t n)
{
	size_t	 size = n * 21 + 3, len = 1;
	char	*buf = xmalloc(size);

	buf[0] = '{';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%lld", i > 0 ? "," : "", ids[i]);
	snprintf(buf + len, size - len, "}");
	return buf;
}

/* Parses column col of every row into objs[row] (new references). */
static json_t **
entity_parse_rows(const PGresult *res, int col)
{
	int	 n = PQntuples(res);
	json_t	**objs = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*objs));

	for (int i = 0; i < n; i++)
		objs[i] = json_loads(PQgetvalue(res, i, col), 0, NULL);
	return objs;
}

static void
entity_free_rows(json_t **objs, int n)
{
	for (int i = 0; i < n; i++)
		json_decref(objs[i]);
	free(objs);
}

/* The row of res whose column 0 is id, or -1. Pages are small. */
static int
entity_find(const PGresult *res, long long id)
{
	int	 n = PQntuples(res);

	for (int i = 0; i < n; i++)
		if (strtoll(PQgetvalue(res, i, 0), NULL, 10) == id)
			return i;
	return -1;
}

int
api_accounts_render(struct http_req *req, const long long *ids, size_t n,
    json_t **out)
{
	PGresult	*res;
	json_t		**objs;
	char		*arr, base[300];
	int		 row;

	*out = NULL;
	arr = entity_id_array(ids, n);
	res = DB_EXEC(req->req_db, STMT_API_ACCOUNTS, arr, api_base(req, base, sizeof(base)));
	free(arr);
	if (res == NULL)
		return -1;
	objs = entity_parse_rows(res, 1);
	*out = json_array();
	for (size_t i = 0; i < n; i++)
		if ((row = entity_find(res, ids[i])) >= 0 && objs[row] != NULL)
			json_array_append(*out, objs[row]);
	entity_free_rows(objs, PQntuples(res));
	PQclear(res);
	return 0;
}

int
api_account_render(struct http_req *req, long long id, json_t **out)
{
	json_t	*arr;

	*out = NULL;
	if (api_accounts_render(req, &id, 1, &arr) == -1)
		return -1;
	if (json_array_size(arr) == 1)
		*out = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	return 0;
}

/* Runs API_STATUSES for ids; the result (new) or NULL. */
static PGresult *
entity_statuses_query(struct http_req *req, long long viewer, const long long *ids,
    size_t n)
{
	PGresult	*res;
	char		*arr, base[300], vbuf[24];

	arr = entity_id_array(ids, n);
	snprintf(vbuf, sizeof(vbuf), "%lld", viewer);
	res = DB_EXEC(req->req_db, STMT_API_STATUSES, arr, viewer != 0 ? vbuf : NULL,
	    api_base(req, base, sizeof(base)));
	free(arr);
	return res;
}

int
api_statuses_render(struct http_req *req, long long viewer, const long long *ids,
    size_t n, json_t **out)
{
	PGresult	*res = NULL, *orig = NULL;
	json_t		**objs = NULL, **origs = NULL;
	long long	*reblogs = NULL;
	size_t		 nreblogs = 0;
	int		 row, rc = -1;

	*out = NULL;
	if ((res = entity_statuses_query(req, viewer, ids, n)) == NULL)
		goto out;
	objs = entity_parse_rows(res, 2);

	/* A reblog is its own status (its own id, as Ivory needs) that
	 * carries the original in "reblog": one more query for all of them. */
	reblogs = xcalloc((size_t)PQntuples(res) + 1, sizeof(*reblogs));
	for (int i = 0; i < PQntuples(res); i++)
		if (!PQgetisnull(res, i, 1))
			reblogs[nreblogs++] = strtoll(PQgetvalue(res, i, 1), NULL, 10);
	if (nreblogs > 0) {
		if ((orig = entity_statuses_query(req, viewer, reblogs, nreblogs)) == NULL)
			goto out;
		origs = entity_parse_rows(orig, 2);
	}

	*out = json_array();
	for (size_t i = 0; i < n; i++) {
		if ((row = entity_find(res, ids[i])) < 0 || objs[row] == NULL)
			continue;
		if (!PQgetisnull(res, row, 1)) {
			int o = entity_find(orig, strtoll(PQgetvalue(res, row, 1), NULL, 10));

			/* The original is gone: so is the reblog. */
			if (o < 0 || origs[o] == NULL)
				continue;
			json_object_set(objs[row], "reblog", origs[o]);
		}
		json_array_append(*out, objs[row]);
	}
	rc = 0;
out:
	if (objs != NULL)
		entity_free_rows(objs, PQntuples(res));
	if (origs != NULL)
		entity_free_rows(origs, PQntuples(orig));
	free(reblogs);
	PQclear(res);
	PQclear(orig);
	return rc;
}

int
api_status_render(struct http_req *req, long long viewer, long long id, json_t **out)
{
	json_t	*arr;

	*out = NULL;
	if (api_statuses_render(req, viewer, &id, 1, &arr) == -1)
		return -1;
	if (json_array_size(arr) == 1)
		*out = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	return 0;
}

int
api_ids_from_column(const void *pgresult, int col, long long **ids, size_t *n)
{
	const PGresult	*res = pgresult;
	int		 rows = PQntuples(res);

	*ids = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof(**ids));
	*n = 0;
	for (int i = 0; i < rows; i++) {
		if (PQgetisnull(res, i, col))
			continue;
		if (api_id_parse(PQgetvalue(res, i, col), &(*ids)[*n]) == -1) {
			free(*ids);
			*ids = NULL;
			*n = 0;
			return -1;
		}
		(*n)++;
	}
	return 0;
}
