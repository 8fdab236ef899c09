/* Tests of http/router.h: literal and parameter segments, 404/405, decoding. */
#include <string.h>

#include "http/router.h"
#include "tap.h"

static void h(struct http_req *r) { (void)r; }

static const struct http_route table[] = {
	{ HTTP_GET, "/healthz", h, 0 },
	{ HTTP_GET | HTTP_POST, "/api/v1/statuses", h, 0 },
	{ HTTP_GET, "/api/v1/accounts/verify_credentials", h, 0 },
	{ HTTP_GET, "/api/v1/accounts/:id", h, 0 },
	{ HTTP_GET, "/api/v1/accounts/:id/statuses", h, 0 },
	{ HTTP_DELETE, "/api/v1/statuses/:id", h, 0 },
	{ HTTP_GET, "/@:username", h, 0 },
	{ HTTP_GET, "/@:username/:id", h, 0 },
	{ HTTP_GET, "/", h, 0 },
};
#define N (sizeof(table) / sizeof(table[0]))

int
main(void)
{
	struct http_match	m;
	char			buf[64], longpath[HTTP_MAX_PATH + 10];

	is_int(http_router_match(table, N, HTTP_GET, "/healthz", &m), HTTP_MATCH_OK, "literal");
	is_int(m.index, 0, "row index");
	is_int(http_router_match(table, N, HTTP_HEAD, "/healthz", &m), HTTP_MATCH_OK,
	    "HEAD matches GET routes");
	is_int(http_router_match(table, N, HTTP_GET, "/healthz/", &m), HTTP_MATCH_OK,
	    "trailing slash ignored");
	is_int(http_router_match(table, N, HTTP_GET, "/", &m), HTTP_MATCH_OK, "root");
	is_int(http_router_match(table, N, HTTP_GET, "/nope", &m), HTTP_MATCH_NOT_FOUND, "404");
	is_int(http_router_match(table, N, HTTP_GET, "/healthzz", &m), HTTP_MATCH_NOT_FOUND,
	    "no prefix match");

	is_int(http_router_match(table, N, HTTP_GET, "/api/v1/accounts/verify_credentials", &m),
	    HTTP_MATCH_OK, "literal before parameter");
	is_int(m.index, 2, "first matching row wins");
	is_int(m.nparams, 0, "no parameters");

	is_int(http_router_match(table, N, HTTP_GET, "/api/v1/accounts/123", &m),
	    HTTP_MATCH_OK, "parameter");
	is_str(http_match_param(&m, "id"), "123", "parameter value");
	ok(http_match_param(&m, "other") == NULL, "unknown parameter is NULL");

	is_int(http_router_match(table, N, HTTP_GET, "/api/v1/accounts/123/statuses", &m),
	    HTTP_MATCH_OK, "parameter in the middle");
	is_int(m.index, 4, "right row");
	is_str(http_match_param(&m, "id"), "123", "value");

	is_int(http_router_match(table, N, HTTP_GET, "/api/v1/accounts//statuses", &m),
	    HTTP_MATCH_NOT_FOUND, "empty parameter does not match");

	is_int(http_router_match(table, N, HTTP_PUT, "/api/v1/statuses", &m),
	    HTTP_MATCH_BAD_METHOD, "405 for a known path");
	is_str(http_methods_string(m.allowed, buf, sizeof(buf)), "GET, HEAD, POST",
	    "allowed methods");
	is_int(http_router_match(table, N, HTTP_GET, "/api/v1/statuses/9", &m),
	    HTTP_MATCH_BAD_METHOD, "405 across rows");
	is_str(http_methods_string(m.allowed, buf, sizeof(buf)), "DELETE", "DELETE only");

	is_int(http_router_match(table, N, HTTP_GET, "/@alice", &m), HTTP_MATCH_OK,
	    "prefixed parameter");
	is_str(http_match_param(&m, "username"), "alice", "prefix stripped");
	is_int(http_router_match(table, N, HTTP_GET, "/@alice/42", &m), HTTP_MATCH_OK,
	    "two parameters");
	is_str(http_match_param(&m, "username"), "alice", "first");
	is_str(http_match_param(&m, "id"), "42", "second");
	is_int(http_router_match(table, N, HTTP_GET, "/@", &m), HTTP_MATCH_NOT_FOUND,
	    "prefix alone is not a parameter");

	is_int(http_router_match(table, N, HTTP_GET, "/@al%69ce", &m), HTTP_MATCH_OK,
	    "percent-decoding");
	is_str(http_match_param(&m, "username"), "alice", "decoded");
	is_int(http_router_match(table, N, HTTP_GET, "/@a%2Fb", &m), HTTP_MATCH_NOT_FOUND,
	    "encoded slash refused");
	is_int(http_router_match(table, N, HTTP_GET, "/@a%00b", &m), HTTP_MATCH_NOT_FOUND,
	    "encoded NUL refused");
	is_int(http_router_match(table, N, HTTP_GET, "/@a%zz", &m), HTTP_MATCH_NOT_FOUND,
	    "bad escape refused");
	is_int(http_router_match(table, N, HTTP_GET, "/@a%4", &m), HTTP_MATCH_NOT_FOUND,
	    "truncated escape refused");

	is_int(http_router_match(table, N, HTTP_GET, "", &m), HTTP_MATCH_BAD_PATH, "empty path");
	is_int(http_router_match(table, N, HTTP_GET, "healthz", &m), HTTP_MATCH_BAD_PATH,
	    "relative path");
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	is_int(http_router_match(table, N, HTTP_GET, longpath, &m), HTTP_MATCH_BAD_PATH,
	    "over-long path");
	return done_testing();
}
