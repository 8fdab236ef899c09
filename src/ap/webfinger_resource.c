/*
 * The WebFinger resource parser (see webfinger.h): pure, so the fuzzer and
 * the unit tests exercise it without a server.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "ap/webfinger.h"
#include "util/str.h"

#define WEBFINGER_RESOURCE_MAX	1024

static int
username_ok(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
			return 0;
	return 1;
}

static enum ap_webfinger_result
copy_user(const char *s, size_t len, char *user, size_t usersz)
{
	if (!username_ok(s, len) || len >= usersz)
		return AP_WEBFINGER_NOT_FOUND;
	memcpy(user, s, len);
	user[len] = '\0';
	return AP_WEBFINGER_OK;
}

/* "user@domain" (after any "acct:"). */
static enum ap_webfinger_result
parse_acct(const char *s, const char *domain, char *user, size_t usersz)
{
	const char *at;

	if (*s == '@')	/* "acct:@user@domain", as some clients send */
		s++;
	if ((at = strrchr(s, '@')) == NULL || at == s || at[1] == '\0')
		return AP_WEBFINGER_MALFORMED;
	if (strcasecmp(at + 1, domain) != 0)
		return AP_WEBFINGER_NOT_FOUND;
	/* acct:domain@domain is the instance actor, as in Mastodon. */
	if ((size_t)(at - s) == strlen(domain) && strncasecmp(s, domain, strlen(domain)) == 0) {
		user[0] = '\0';
		return AP_WEBFINGER_OK;
	}
	return copy_user(s, (size_t)(at - s), user, usersz);
}

/* "https://domain/@user", "https://domain/users/user", "https://domain/actor". */
static enum ap_webfinger_result
parse_url(const char *s, const char *domain, char *user, size_t usersz)
{
	const char	*host, *path;
	size_t		 hostlen, len;

	host = s + (str_has_prefix(s, "https://") ? 8 : 7);
	path = strchr(host, '/');
	hostlen = path ? (size_t)(path - host) : strlen(host);
	if (hostlen == 0)
		return AP_WEBFINGER_MALFORMED;
	if (hostlen != strlen(domain) || strncasecmp(host, domain, hostlen) != 0)
		return AP_WEBFINGER_NOT_FOUND;
	if (path == NULL)
		return AP_WEBFINGER_NOT_FOUND;
	if (strcmp(path, "/actor") == 0) {
		user[0] = '\0';
		return AP_WEBFINGER_OK;
	}
	if (str_has_prefix(path, "/@"))
		path += 2;
	else if (str_has_prefix(path, "/users/"))
		path += 7;
	else
		return AP_WEBFINGER_NOT_FOUND;
	len = strcspn(path, "/?#");
	if (path[len] != '\0')
		return AP_WEBFINGER_NOT_FOUND;
	return copy_user(path, len, user, usersz);
}

enum ap_webfinger_result
ap_webfinger_parse_resource(const char *resource, const char *domain, char *user,
    size_t usersz)
{
	if (resource == NULL || *resource == '\0' || usersz < 2 ||
	    strlen(resource) > WEBFINGER_RESOURCE_MAX)
		return AP_WEBFINGER_MALFORMED;
	for (const char *p = resource; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p == 0x7f)
			return AP_WEBFINGER_MALFORMED;
	if (strncasecmp(resource, "acct:", 5) == 0)
		return parse_acct(resource + 5, domain, user, usersz);
	if (str_has_prefix(resource, "https://") || str_has_prefix(resource, "http://"))
		return parse_url(resource, domain, user, usersz);
	if (strchr(resource, '@') != NULL && strchr(resource, ':') == NULL)
		return parse_acct(resource, domain, user, usersz);
	return AP_WEBFINGER_MALFORMED;
}
