/* The media a post attaches: see status_media.h. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "api/api.h"
#include "api/params.h"
#include "api/status_media.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"

/* "{1,2,3}" of ids[n] into buf. */
static void
media_array(const long long *ids, size_t n, char *buf, size_t bufsz)
{
	size_t len = 0;

	len += (size_t)snprintf(buf, bufsz, "{");
	for (size_t i = 0; i < n && len < bufsz; i++)
		len += (size_t)snprintf(buf + len, bufsz - len, "%s%lld", i > 0 ? "," : "", ids[i]);
	if (len < bufsz)
		snprintf(buf + len, bufsz - len, "}");
}

/* Checks the rows of API_ST_MEDIA; the message of the first problem, or NULL. */
static const char *
media_problem(const PGresult *res)
{
	int	 rows = PQntuples(res), av = 0;

	for (int i = 0; i < rows; i++) {
		const char *type = PQgetvalue(res, i, 1);

		/* audio_or_video?: a GIF (gifv) may go with images. */
		if (strcmp(type, "video") == 0 || strcmp(type, "audio") == 0)
			av = 1;
	}
	if (rows > 1 && av)
		return "Cannot attach a video to a post that already contains images";
	for (int i = 0; i < rows; i++)
		if (strcmp(PQgetvalue(res, i, 2), "t") != 0)
			return "Cannot attach files that have not finished processing. "
			    "Try again in a moment!";
	return NULL;
}

int
api_status_media(struct http_req *req, const struct api_params *p, const char *account,
    const char *status, struct api_status_media *out)
{
	json_t		*list = api_param_list(p, "media_ids"), *v;
	long long	 want[API_STATUS_MEDIA_MAX];
	size_t		 i, nwant = 0;
	char		 arr[sizeof(out->array)];
	const char	*why;
	PGresult	*res;
	int		 rc = -1;

	memset(out, 0, sizeof(*out));
	media_array(NULL, 0, out->array, sizeof(out->array));
	if (json_array_size(list) == 0) {
		json_decref(list);
		return 0;
	}
	/* Mastodon counts what was sent, and refuses media with a poll. */
	if (json_array_size(list) > API_STATUS_MEDIA_MAX ||
	    json_object_get(api_params_json(p), "poll") != NULL) {
		http_reply_error(req, 422, "Cannot attach more than 4 files");
		goto out;
	}
	json_array_foreach(list, i, v)
		if (api_id_parse(json_string_value(v), &want[nwant]) == 0)
			nwant++;
	media_array(want, nwant, arr, sizeof(arr));
	if ((res = DB_EXEC(req->req_db, STMT_API_ST_MEDIA, account, arr, status)) == NULL) {
		http_reply_db_error(req);
		goto out;
	}
	if ((why = media_problem(res)) != NULL) {
		http_reply_error(req, 422, why);
		PQclear(res);
		goto out;
	}
	for (int r = 0; r < PQntuples(res) && out->n < API_STATUS_MEDIA_MAX; r++)
		api_id_parse(PQgetvalue(res, r, 0), &out->ids[out->n++]);
	PQclear(res);
	media_array(out->ids, out->n, out->array, sizeof(out->array));
	rc = 0;
out:
	json_decref(list);
	return rc;
}
