/* The default images: see instance_images.h. */
#include <stddef.h>

#include "api/instance_images.h"
#include "api/instance_routes.h"
#include "http/reply.h"
#include "http/request.h"

/*
 * The URLs are stable and the bytes change only with a release, so caches
 * may keep them a long time; not "immutable", as the names carry no
 * fingerprint and a new release may redraw them.
 */
#define IMAGE_CACHE_CONTROL	"public, max-age=2592000"

static void
image_reply(struct http_req *req, const char *name)
{
	const struct api_image *img = name != NULL ? api_image_find(name) : NULL;

	if (img == NULL) {
		http_reply_error(req, 404, "Not found");
		return;
	}
	http_reply_header(req, "Cache-Control", IMAGE_CACHE_CONTROL);
	http_reply_body(req, 200, "image/png", (const char *)img->data, img->len);
}

void
api_image_avatar_missing_get(struct http_req *req)
{
	image_reply(req, "avatar-missing.png");
}

void
api_image_header_missing_get(struct http_req *req)
{
	image_reply(req, "header-missing.png");
}

void
api_image_get(struct http_req *req)
{
	image_reply(req, http_req_param(req, "name"));
}
