/*
 * Bearer tokens: new random tokens and the SHA-256 digest that is all the
 * database ever stores (schema: oauth_tokens.token_hash). This module owns
 * the token format, not its lifetime, scopes or storage.
 */
#ifndef MEENT_UTIL_TOKEN_H
#define MEENT_UTIL_TOKEN_H

#include <stddef.h>

#define TOKEN_BYTES	32			/* 256 bits of randomness */
#define TOKEN_LEN	43			/* base64url of 32 bytes, unpadded */
#define TOKEN_BUFSZ	(TOKEN_LEN + 1)
#define TOKEN_HASH_LEN	64			/* SHA-256 in lower-case hex */
#define TOKEN_HASH_BUFSZ (TOKEN_HASH_LEN + 1)

/* Writes a new random token and a NUL to out. Wipe it after use. */
void	 token_new(char out[TOKEN_BUFSZ]);

/*
 * Writes the lower-case hex SHA-256 of token (borrowed, NUL-terminated)
 * and a NUL to out. 0, or -1 (logged) if the digest fails.
 */
int	 token_hash(const char *token, char out[TOKEN_HASH_BUFSZ]);

/*
 * 1 when a and b (borrowed) are equal, else 0, in time that depends only
 * on their lengths: for comparing secrets or their digests.
 */
int	 token_equal(const char *a, const char *b);

#endif
