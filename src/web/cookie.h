/*
 * Reading the Cookie request header (RFC 6265 §5.4): "a=b; c=d". Pure:
 * setting cookies and what they mean is web/session.h.
 */
#ifndef MEENT_WEB_COOKIE_H
#define MEENT_WEB_COOKIE_H

#include <stddef.h>

#define WEB_COOKIE_MAX_HEADER	8192	/* bytes of a Cookie header we read */

/*
 * The value of cookie name in the Cookie header value header (borrowed,
 * may be NULL), without surrounding double quotes, copied to out. 0, or
 * -1 when the cookie is absent, its value does not fit outsz (it is
 * never cut), or the header is longer than WEB_COOKIE_MAX_HEADER. The
 * first of several cookies of that name wins (browsers send the most
 * specific path first).
 */
int	 web_cookie_get(const char *header, const char *name, char *out, size_t outsz);

#endif
