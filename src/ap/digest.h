/*
 * Body digests that HTTP signatures cover: the legacy Digest header
 * (RFC 3230, "SHA-256=<base64>", what cavage signers send) and
 * Content-Digest (RFC 9530, "sha-256=:<base64>:", used with RFC 9421).
 * This module computes and checks the values; whether a digest must be
 * signed is ap/signature's business.
 */
#ifndef MEENT_AP_DIGEST_H
#define MEENT_AP_DIGEST_H

#include <stddef.h>

/* "SHA-512=" + 88 base64 characters + NUL fits. */
#define AP_DIGEST_HEADER_LEN	100

/*
 * Writes the Digest header value for body, "SHA-256=<base64>", into buf
 * (at least AP_DIGEST_HEADER_LEN bytes). body may be NULL when len is 0.
 * 0 or -1.
 */
int	 ap_digest_header(const void *body, size_t len, char *buf, size_t bufsz);

/* The same as a Content-Digest value, "sha-256=:<base64>:". */
int	 ap_digest_content_header(const void *body, size_t len, char *buf,
	    size_t bufsz);

/*
 * Checks a received Digest value against body, as Mastodon does: the
 * value may list several "alg=value" pairs separated by commas, but only
 * SHA-256 counts, so a value without one is refused even when another
 * algorithm matches. Returns NULL when the SHA-256 digest is the body's,
 * otherwise the reason (static).
 */
const char *ap_digest_check(const char *value, const void *body, size_t len);

/*
 * Checks a received Content-Digest value (an RFC 8941 dictionary) against
 * body. sha-256 and sha-512 are understood (RFC 9530 §5); every one of
 * them present must match and at least one must be. NULL when valid,
 * otherwise the reason (static).
 */
const char *ap_digest_check_content(const char *value, const void *body,
	    size_t len);

#endif
