/*
 * Replies: see reply.h. Every reply goes through reply_send, which adds
 * the common headers, writes the access log line and records metrics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "db/db.h"
#include "http/metrics.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/server_internal.h"
#include "meent.h"
#include "util/log.h"
#include "util/str.h"

static const char *
reply_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "Unknown";
	}
}

void
http_reply_header(struct http_req *req, const char *name, const char *value)
{
	evhttp_add_header(evhttp_request_get_output_headers(req->req_ev), name, value);
}

static int
reply_wants_cors(const struct http_req *req)
{
	if (req->req_match.route != NULL)
		return (req->req_match.route->flags & HTTP_ROUTE_CORS) != 0;
	/* Errors on API paths carry CORS headers too, or a browser client
	 * sees a network failure instead of the error. */
	return str_has_prefix(req->req_uri, "/api/") ||
	    str_has_prefix(req->req_uri, "/.well-known/") ||
	    str_has_prefix(req->req_uri, "/oauth/") ||
	    str_has_prefix(req->req_uri, "/nodeinfo/");
}

static void
reply_log(struct http_req *req, double secs)
{
	char		 peer[64], qpath[600], uri[512];
	const char	*route = req->req_match.route ? req->req_match.route->pattern : "-";
	static const char *const mnames[] = { "GET", "POST", "HEAD", "PUT", "DELETE",
	    "OPTIONS", "TRACE", "CONNECT", "PATCH" };
	const char	*method = "-";

	for (int i = 0; i < 9; i++)
		if (req->req_method == (1u << i))
			method = mnames[i];
	str_lcpy(uri, req->req_uri ? req->req_uri : "-", sizeof(uri));
	log_info("request", "id=%s method=%s path=%s route=%s status=%d ms=%.3f bytes=%zu peer=%s",
	    req->req_id, method, log_quote(qpath, sizeof(qpath), uri), route,
	    req->req_status, secs * 1000, req->req_bytes,
	    http_req_peer(req, peer, sizeof(peer)));
}

static void
reply_send(struct http_req *req, int status, struct evbuffer *body)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req->req_ev);
	struct timespec		 end;
	double			 secs;
	char			 clen[32];
	int			 connected;

	if (req->req_status != 0) {
		log_error("double_reply", "id=%s status=%d", req->req_id, status);
		return;
	}
	req->req_status = status;
	req->req_bytes = body ? evbuffer_get_length(body) : 0;
	evhttp_add_header(h, "X-Request-Id", req->req_id);
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	if (reply_wants_cors(req)) {
		evhttp_add_header(h, "Access-Control-Allow-Origin", "*");
		evhttp_add_header(h, "Access-Control-Expose-Headers",
		    "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id");
	}
	/* HEAD: the length of what GET would send, and no body. */
	if (req->req_method == HTTP_HEAD && body != NULL) {
		snprintf(clen, sizeof(clen), "%zu", evbuffer_get_length(body));
		evhttp_remove_header(h, "Content-Length");
		evhttp_add_header(h, "Content-Length", clen);
		evbuffer_drain(body, evbuffer_get_length(body));
	}
	/* Log first: when the client has gone, sending frees libevent's
	 * request, and the URI and peer with it. */
	clock_gettime(CLOCK_MONOTONIC, &end);
	secs = (double)(end.tv_sec - req->req_start.tv_sec) +
	    (double)(end.tv_nsec - req->req_start.tv_nsec) / 1e9;
	http_metrics_observe(req->req_meent->metrics, req->req_match.index, status, secs);
	reply_log(req, secs);
	connected = evhttp_request_get_connection(req->req_ev) != NULL;
	evhttp_send_reply(req->req_ev, status, reply_reason(status), body);
	/* A held request is freed now; the caller must not touch req again. */
	http_req_replied(req, connected);
}

void
http_reply_body(struct http_req *req, int status, const char *content_type,
    const char *body, size_t len)
{
	struct evbuffer *buf = evbuffer_new();

	if (buf == NULL) {
		reply_send(req, 500, NULL);
		return;
	}
	evbuffer_add(buf, body, len);
	evhttp_add_header(evhttp_request_get_output_headers(req->req_ev),
	    "Content-Type", content_type);
	reply_send(req, status, buf);
	evbuffer_free(buf);
}

void
http_reply_json(struct http_req *req, int status, json_t *body)
{
	char	*text;

	text = body != NULL ? json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	json_decref(body);
	if (text == NULL) {
		static const char err[] = "{\"error\":\"Internal server error\"}";
		http_reply_body(req, 500, "application/json; charset=utf-8",
		    err, sizeof(err) - 1);
		return;
	}
	http_reply_body(req, status, "application/json; charset=utf-8",
	    text, strlen(text));
	free(text);
}

void
http_reply_error(struct http_req *req, int status, const char *msg)
{
	http_reply_json(req, status, json_pack("{s:s}", "error", msg));
}

void
http_reply_empty(struct http_req *req, int status)
{
	reply_send(req, status, NULL);
}

void
http_reply_redirect(struct http_req *req, int status, const char *location)
{
	http_reply_header(req, "Location", location);
	reply_send(req, status, NULL);
}

void
http_reply_db_error(struct http_req *req)
{
	if (db_last_error(req->req_db) == DB_DOWN) {
		http_reply_header(req, "Retry-After", "5");
		http_reply_error(req, 503,
		    "Service temporarily unavailable: the database cannot be reached");
		return;
	}
	if (db_error_is_transient(req->req_db)) {
		http_reply_header(req, "Retry-After", "1");
		http_reply_error(req, 503,
		    "Service temporarily unavailable: the database is busy");
		return;
	}
	http_reply_error(req, 500, "Internal server error");
}
