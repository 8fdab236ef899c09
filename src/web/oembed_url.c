/*
 * Reading the address of one of our posts: see oembed_url.h.
 */
#include <string.h>
#include <strings.h>

#include "web/oembed_url.h"

/* The length of the run of s made of bytes in set; at most max + 1. */
static size_t
url_span(const char *s, const char *set, size_t max)
{
	size_t	 n = 0;

	while (s[n] != '\0' && strchr(set, s[n]) != NULL && n <= max)
		n++;
	return n;
}

/* Copies the n bytes at s into out (outsz bytes): -1 when n is 0 or too long. */
static int
url_copy(const char *s, size_t n, char *out, size_t outsz)
{
	if (n == 0 || n >= outsz)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/* Whether the path ends at p: nothing, one slash, a query or a fragment. */
static int
url_end(const char *p)
{
	if (*p == '/')
		p++;
	return *p == '\0' || *p == '?' || *p == '#';
}

int
web_oembed_url_parse(const char *url, const char *domain, char *user, size_t usersz,
    char *id, size_t idsz)
{
	static const char userset[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";
	size_t		 dlen = strlen(domain), n;
	const char	*p = url;
	int		 users;		/* /users/<name>/statuses/<id> */

	if (url == NULL || strlen(url) > WEB_OEMBED_URL_MAX || dlen == 0)
		return -1;
	if (strncasecmp(p, "https://", 8) == 0)
		p += 8;
	else if (strncasecmp(p, "http://", 7) == 0)
		p += 7;
	else
		return -1;
	/* Our host exactly: not a longer one that starts with it. */
	if (strncasecmp(p, domain, dlen) != 0 || p[dlen] != '/')
		return -1;
	p += dlen;
	if (strncmp(p, "/@", 2) == 0)
		users = 0;
	else if (strncmp(p, "/users/", 7) == 0)
		users = 1;
	else
		return -1;
	p += users ? 7 : 2;
	n = url_span(p, userset, usersz);
	if (url_copy(p, n, user, usersz) == -1)
		return -1;
	p += n;
	if (strncmp(p, users ? "/statuses/" : "/", users ? 10 : 1) != 0)
		return -1;
	p += users ? 10 : 1;
	n = url_span(p, "0123456789", idsz);
	if (n > 19 || url_copy(p, n, id, idsz) == -1)
		return -1;
	return url_end(p + n) ? 0 : -1;
}
