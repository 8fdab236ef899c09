/*
 * Replies: JSON bodies, Mastodon-style errors ({"error": "..."}), plain
 * bodies and redirects. Every reply carries X-Request-Id and, on CORS
 * routes, the CORS headers; each one ends in the access log and metrics.
 */
#ifndef MEENT_HTTP_REPLY_H
#define MEENT_HTTP_REPLY_H

#include <stddef.h>

#include <jansson.h>

struct http_req;

/* Adds a response header (copied) before the reply is sent. */
void	 http_reply_header(struct http_req *req, const char *name, const char *value);

/* Sends body (takes the reference) as application/json with status. */
void	 http_reply_json(struct http_req *req, int status, json_t *body);
/* Sends {"error": msg} with status, as Mastodon does. */
void	 http_reply_error(struct http_req *req, int status, const char *msg);
/* Sends len bytes of body (copied) with content_type. */
void	 http_reply_body(struct http_req *req, int status, const char *content_type,
	    const char *body, size_t len);
/* Sends a status with no body (204, 304). */
void	 http_reply_empty(struct http_req *req, int status);
/* Sends a redirect (301, 302, 303, 307, 308) to location. */
void	 http_reply_redirect(struct http_req *req, int status, const char *location);
/*
 * Answers a failed database call: 503 with Retry-After when the database
 * is unreachable or the failure is transient (a statement timeout, a lock
 * or serialisation conflict), 500 otherwise.
 */
void	 http_reply_db_error(struct http_req *req);

#endif
