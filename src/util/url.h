/*
 * The origin of an absolute http(s) URL: its scheme and host[:port]
 * (RFC 3986 §3.2), read strictly enough that we and the HTTP client cannot
 * disagree about which host a URL names. Federation compares origins to
 * tie a document to the server it came from. Pure: no resolution, no
 * network, no percent-decoding, no IDN (hosts must already be ASCII).
 */
#ifndef MEENT_UTIL_URL_H
#define MEENT_UTIL_URL_H

#include <stddef.h>

#define URL_MAX		4096	/* longest URL accepted, in bytes */
#define URL_HOST_MAX	264	/* host (253 bytes) plus ":65535", terminated */

struct url_origin {
	int	 uo_https;		/* 1: https, 0: http */
	char	 uo_host[URL_HOST_MAX];	/* lower case; ":port" unless the scheme's default */
};

/*
 * Reads the origin of url into out (caller's storage). url must be an
 * absolute "https://" URL, or also "http://" when allow_http is set. Hosts
 * are names of letters, digits, '-', '_' and '.', or bracketed IPv6
 * literals; a port must be 1-65535. Refused: userinfo ("https://a@b/",
 * which has fooled more than one parser into naming the wrong host), empty
 * hosts, other schemes, spaces, control characters and backslashes
 * anywhere in the URL, and URLs over URL_MAX bytes.
 * Returns NULL when valid, otherwise the reason (static text); out is
 * then unspecified.
 */
const char	*url_origin_parse(const char *url, int allow_http, struct url_origin *out);

/*
 * 1 when a and b are both valid (as url_origin_parse with allow_http)
 * and name the same host and port, compared without regard to case; the
 * scheme is not compared. 0 otherwise.
 */
int		 url_same_host(const char *a, const char *b);

#endif
