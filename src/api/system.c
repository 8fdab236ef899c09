/*
 * GET /system/<key>: the files clients uploaded (api/media_store.h), at
 * the path Mastodon serves its own uploads from. Keys are random and a
 * file never changes under its key, so caches may keep it for a year.
 * The type comes from our own extension, and a sandboxing CSP (with the
 * X-Content-Type-Options: nosniff every reply carries, http/reply.c)
 * keeps a browser from running anything that pretends to be an image.
 */
#include <stdlib.h>
#include <string.h>

#include "api/accounts_routes.h"
#include "api/media_store.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/str.h"

static const char *const system_params[] = { "a", "b", "c", "d" };

/* The key from the route's segments (":a/:b[/:c[/:d]]"), or -1. */
static int
system_key(struct http_req *req, char *key, size_t keysz)
{
	struct buf	 b;
	int		 rc = -1;

	buf_init(&b, keysz - 1);
	for (size_t i = 0; i < sizeof(system_params) / sizeof(system_params[0]); i++) {
		const char *seg = http_req_param(req, system_params[i]);

		if (seg == NULL)
			break;
		if ((i > 0 && buf_puts(&b, "/") == -1) || buf_puts(&b, seg) == -1)
			goto out;
	}
	if (b.data != NULL && api_media_key_valid(b.data)) {
		str_lcpy(key, b.data, keysz);
		rc = 0;
	}
out:
	buf_cleanup(&b);
	return rc;
}

void
api_system_get(struct http_req *req)
{
	const struct config	*cfg = &req->req_meent->cfg;
	const char		*type;
	unsigned char		*data = NULL;
	size_t			 len;
	char			 key[API_MEDIA_KEY_MAX];

	if (system_key(req, key, sizeof(key)) == -1 ||
	    (type = api_media_content_type(key)) == NULL ||
	    api_media_store_get(cfg->media_dir, key, (size_t)cfg->max_upload_size,
	    &data, &len) == -1) {
		http_reply_error(req, 404, "Not found");
		return;
	}
	http_reply_header(req, "Cache-Control", "public, max-age=31536000, immutable");
	http_reply_header(req, "Content-Security-Policy", "default-src 'none'; sandbox");
	http_reply_body(req, 200, type, (const char *)data, len);
	free(data);
}
