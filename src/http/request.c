/* Request accessors: see request.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "http/request.h"

const char *
http_req_param(const struct http_req *req, const char *name)
{
	return http_match_param(&req->req_match, name);
}

const char *
http_req_query(const struct http_req *req, const char *name)
{
	return evhttp_find_header(&req->req_query, name);
}

const char *
http_req_header(const struct http_req *req, const char *name)
{
	return evhttp_find_header(evhttp_request_get_input_headers(req->req_ev), name);
}

const char *
http_req_body(struct http_req *req, size_t *len)
{
	struct evbuffer		*in = evhttp_request_get_input_buffer(req->req_ev);
	size_t			 n = evbuffer_get_length(in);
	const unsigned char	*p;

	/* Once only: the terminator below is appended to the buffer. */
	if (req->req_body != NULL) {
		*len = req->req_body_len;
		return req->req_body;
	}
	/* A NUL past the end lets parsers treat the body as a string; *len
	 * excludes it. */
	if (evbuffer_add(in, "", 1) == -1 || (p = evbuffer_pullup(in, -1)) == NULL) {
		*len = 0;
		return "";
	}
	req->req_body = (const char *)p;
	req->req_body_len = n;
	*len = n;
	return req->req_body;
}

const char *
http_req_peer(const struct http_req *req, char *buf, size_t bufsz)
{
	struct evhttp_connection	*conn;
	char				*addr = NULL;
	ev_uint16_t			 port = 0;

	conn = evhttp_request_get_connection(req->req_ev);
	if (conn != NULL)
		evhttp_connection_get_peer(conn, &addr, &port);
	snprintf(buf, bufsz, "%s", addr != NULL && *addr != '\0' ? addr : "-");
	return buf;
}

int
http_req_accepts(const struct http_req *req, const char *type)
{
	const char	*accept = http_req_header(req, "Accept");
	size_t		 len = strlen(type);

	if (accept == NULL)
		return 0;
	/* Good enough for content negotiation between a handful of types:
	 * look for the media type as a whole token. */
	for (const char *p = accept; (p = strcasestr(p, type)) != NULL; p += len) {
		int before = p == accept || p[-1] == ',' || p[-1] == ' ';
		int after = p[len] == '\0' || p[len] == ',' || p[len] == ';' ||
		    p[len] == ' ';
		if (before && after)
			return 1;
	}
	return 0;
}
