/* URL origins: see url.h. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/str.h"
#include "util/url.h"

#define URL_NAME_MAX	253	/* RFC 1035 §2.3.4, without the root dot */

/* A bracketed IPv6 literal (RFC 3986 §3.2.2): hex digits, ':' and '.'. */
static const char *
host_ipv6(const char *h, size_t len)
{
	if (len < 4 || h[len - 1] != ']')
		return "URL has a malformed IPv6 literal";
	for (size_t i = 1; i < len - 1; i++)
		if (!isxdigit((unsigned char)h[i]) && h[i] != ':' && h[i] != '.')
			return "URL has a malformed IPv6 literal";
	return NULL;
}

/*
 * A registered name. Percent-encoded and non-ASCII hosts are refused: the
 * client and the peer would each decode or punycode them their own way.
 */
static const char *
host_name(const char *h, size_t len)
{
	if (len > URL_NAME_MAX)
		return "URL host is too long";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)h[i];

		if (c == '.') {
			/* No empty labels: "a..b", ".a" and "a." name no host. */
			if (i == 0 || i == len - 1 || h[i - 1] == '.')
				return "URL host has an empty label";
		} else if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '-' && c != '_') {
			/* Spelt out: isalnum() takes bytes over 127 in some locales. */
			return "URL host has invalid characters";
		}
	}
	return NULL;
}

/* ":port" after the host: 1-65535; the scheme's default port is dropped. */
static const char *
host_port(const char *p, size_t len, int https, long long *port)
{
	char digits[8];

	*port = 0;
	if (len == 0)
		return NULL;
	if (len < 2 || len > 6 || p[0] != ':')
		return "URL port is invalid";
	memcpy(digits, p + 1, len - 1);
	digits[len - 1] = '\0';
	for (size_t i = 0; digits[i]; i++)
		if (!isdigit((unsigned char)digits[i]))
			return "URL port is invalid";
	if (str_to_ll(digits, 1, 65535, port) == -1)
		return "URL port is invalid";
	if (*port == (https ? 443 : 80))
		*port = 0;
	return NULL;
}

/* Checks the whole URL for bytes no parser should have to interpret. */
static const char *
url_bytes(const char *url)
{
	size_t len = strnlen(url, URL_MAX + 1);

	if (len == 0)
		return "URL is empty";
	if (len > URL_MAX)
		return "URL is too long";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)url[i];

		/* WHATWG parsers read '\' as '/', RFC 3986 ones do not. */
		if (c <= ' ' || c == 0x7f || c == '\\')
			return "URL contains spaces, control characters or backslashes";
	}
	return NULL;
}

const char *
url_origin_parse(const char *url, int allow_http, struct url_origin *out)
{
	const char	*auth, *why;
	size_t		 alen, hlen;
	long long	 port;

	if (url == NULL)
		return "URL is empty";
	if ((why = url_bytes(url)) != NULL)
		return why;
	if (strncasecmp(url, "https://", 8) == 0) {
		out->uo_https = 1;
		auth = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		if (!allow_http)
			return "URL is not https";
		out->uo_https = 0;
		auth = url + 7;
	} else {
		return allow_http ? "URL is not http or https" : "URL is not https";
	}
	alen = strcspn(auth, "/?#");
	if (memchr(auth, '@', alen) != NULL)
		return "URL has userinfo";
	if (alen == 0)
		return "URL has an empty host";
	if (auth[0] == '[') {
		const char *end = memchr(auth, ']', alen);

		hlen = end ? (size_t)(end - auth) + 1 : alen;
		why = host_ipv6(auth, hlen);
	} else {
		const char *colon = memchr(auth, ':', alen);

		hlen = colon ? (size_t)(colon - auth) : alen;
		why = hlen == 0 ? "URL has an empty host" : host_name(auth, hlen);
	}
	if (why == NULL && hlen > URL_NAME_MAX)
		why = "URL host is too long";
	if (why != NULL)
		return why;
	if ((why = host_port(auth + hlen, alen - hlen, out->uo_https, &port)) != NULL)
		return why;
	for (size_t i = 0; i < hlen; i++)
		out->uo_host[i] = (char)tolower((unsigned char)auth[i]);
	out->uo_host[hlen] = '\0';
	/* At most 253 + 6 bytes: URL_HOST_MAX leaves room. */
	if (port != 0)
		snprintf(out->uo_host + hlen, URL_HOST_MAX - hlen, ":%lld", port);
	return NULL;
}

int
url_same_host(const char *a, const char *b)
{
	struct url_origin oa, ob;

	if (url_origin_parse(a, 1, &oa) != NULL || url_origin_parse(b, 1, &ob) != NULL)
		return 0;
	return strcmp(oa.uo_host, ob.uo_host) == 0;
}
