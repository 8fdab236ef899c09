/* The handlers of the public web's post pages (web/routes_post.inc). */
#ifndef MEENT_WEB_POST_ROUTES_H
#define MEENT_WEB_POST_ROUTES_H

struct http_req;

/* GET /@:username/:id: a post's page, or its Note for ActivityPub
 * clients (web/post.c). */
void	 web_post_get(struct http_req *req);

/* GET /api/oembed: a post's oEmbed document (web/oembed.c). */
void	 web_oembed_get(struct http_req *req);

#endif
