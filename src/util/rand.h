/*
 * Cryptographically strong random values from OpenSSL's DRBG, for request
 * ids, tokens, CSRF values and secrets.
 */
#ifndef MEENT_UTIL_RAND_H
#define MEENT_UTIL_RAND_H

#include <stddef.h>

/* Fills p with n random bytes; aborts if the DRBG fails (broken invariant). */
void	 rand_bytes(void *p, size_t n);
/* Writes 2*nbytes hex digits and a NUL to out (out must hold 2*nbytes+1). */
void	 rand_hex(char *out, size_t nbytes);
/* Writes a base64url (unpadded) encoding of nbytes random bytes to out. */
void	 rand_token(char *out, size_t outsz, size_t nbytes);

#endif
