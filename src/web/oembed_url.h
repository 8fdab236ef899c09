/*
 * The addresses of posts that GET /api/oembed takes (web/oembed.c), read
 * as Mastodon's StatusFinder reads them: only this instance's own, only
 * a status's page. Pure parsing, no database: the fuzz target
 * tests/fuzz/fuzz_web_oembed_url.c runs it on anything.
 */
#ifndef MEENT_WEB_OEMBED_URL_H
#define MEENT_WEB_OEMBED_URL_H

#include <stddef.h>

#define WEB_OEMBED_URL_MAX	2048	/* bytes of a url parameter we read at all */
#define WEB_OEMBED_USER_MAX	64	/* bytes of a username, terminated */
#define WEB_OEMBED_ID_MAX	24	/* bytes of an id, terminated */

/*
 * Reads url (NUL-terminated, borrowed) as the address of a status on
 * domain (our host, with its port if it has one; any case):
 * http(s)://<domain>/@<username>/<id> or
 * http(s)://<domain>/users/<username>/statuses/<id>, with at most a
 * trailing slash, a query or a fragment after it. The username is
 * [A-Za-z0-9_.-] (what a local username can be), the id 1 to 19 digits.
 * 0 with the username copied into user (usersz bytes) and the id into id
 * (idsz bytes); -1 for anything else, including a part too long for its
 * buffer.
 */
int	 web_oembed_url_parse(const char *url, const char *domain, char *user,
	    size_t usersz, char *id, size_t idsz);

#endif
