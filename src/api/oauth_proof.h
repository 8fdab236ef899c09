/*
 * What an OAuth client presents to prove who it is or that it started the
 * flow: client credentials in an HTTP Basic header (RFC 6749 §2.3.1,
 * RFC 7617) and PKCE code verifiers (RFC 7636 §4.6, S256 only, as
 * Mastodon 4.3 accepts). Pure: no database, no HTTP.
 */
#ifndef MEENT_API_OAUTH_PROOF_H
#define MEENT_API_OAUTH_PROOF_H

#include <stddef.h>

#define OAUTH_CLIENT_MAX	256	/* bytes of a client_id or client_secret we read */
#define OAUTH_PKCE_MIN		43	/* RFC 7636 §4.1 */
#define OAUTH_PKCE_MAX		128

/*
 * Reads "Basic <base64(id:secret)>" (the scheme in any case) from header
 * (borrowed) into id and secret (each OAUTH_CLIENT_MAX + 1 bytes). 0, or
 * -1 when header is NULL, another scheme, bad base64, has no ':', or
 * either part is empty or too long. The secret is wiped on failure.
 */
int	 oauth_basic_parse(const char *header, char id[OAUTH_CLIENT_MAX + 1],
	    char secret[OAUTH_CLIENT_MAX + 1]);

/*
 * 1 when s is a well-formed PKCE value (a code_verifier, or an S256
 * code_challenge): 43 to 128 of A-Z a-z 0-9 - . _ ~. Otherwise 0.
 */
int	 oauth_pkce_valid(const char *s);

/*
 * 1 when verifier (well-formed) hashes to challenge:
 * BASE64URL(SHA-256(verifier)) == challenge, compared in constant time.
 * Otherwise 0.
 */
int	 oauth_pkce_verify(const char *verifier, const char *challenge);

#endif
