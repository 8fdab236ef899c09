/*
 * Discovery of local accounts: WebFinger (RFC 7033) as Mastodon answers it,
 * and host-meta (RFC 6415) pointing at it. The resource parser is pure, so
 * it is unit-tested and fuzzed on its own.
 */
#ifndef MEENT_AP_WEBFINGER_H
#define MEENT_AP_WEBFINGER_H

#include <stddef.h>

struct http_req;

enum ap_webfinger_result {
	AP_WEBFINGER_OK,
	AP_WEBFINGER_MALFORMED,		/* 400: not a resource we can read */
	AP_WEBFINGER_NOT_FOUND,		/* 404: another server's, or no such name */
};

/*
 * Reads the username out of resource: "acct:user@domain", "user@domain",
 * "https://domain/@user" or "https://domain/users/user" (domain compared
 * without regard to case; "http:" accepted as well). The username (at most
 * usersz-1 bytes, letters, digits and "_.-" only) is copied into user.
 * For the instance actor ("acct:domain@domain", "https://domain/actor")
 * user is set to "" and the result is AP_WEBFINGER_OK.
 */
enum ap_webfinger_result ap_webfinger_parse_resource(const char *resource,
	    const char *domain, char *user, size_t usersz);

void	 ap_webfinger_get(struct http_req *req);	/* GET /.well-known/webfinger */
void	 ap_host_meta_get(struct http_req *req);	/* GET /.well-known/host-meta */

#endif
