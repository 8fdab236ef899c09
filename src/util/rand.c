/* Random values: see rand.h. */
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "util/log.h"
#include "util/rand.h"

void
rand_bytes(void *p, size_t n)
{
	if (RAND_bytes(p, (int)n) != 1) {
		log_error("rand_failed", "msg=\"RAND_bytes failed\"");
		abort();
	}
}

void
rand_hex(char *out, size_t nbytes)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 b[64];
	size_t			 i;

	if (nbytes > sizeof(b))
		nbytes = sizeof(b);
	rand_bytes(b, nbytes);
	for (i = 0; i < nbytes; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[2 * nbytes] = '\0';
}

void
rand_token(char *out, size_t outsz, size_t nbytes)
{
	static const char	 b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char		 b[96];
	size_t			 i, o = 0;
	unsigned int		 acc = 0;
	int			 bits = 0;

	if (nbytes > sizeof(b))
		nbytes = sizeof(b);
	rand_bytes(b, nbytes);
	for (i = 0; i < nbytes && o + 1 < outsz; i++) {
		acc = (acc << 8) | b[i];
		bits += 8;
		while (bits >= 6 && o + 1 < outsz) {
			bits -= 6;
			out[o++] = b64[(acc >> bits) & 63];
		}
	}
	if (bits > 0 && o + 1 < outsz)
		out[o++] = b64[(acc << (6 - bits)) & 63];
	out[o] = '\0';
	OPENSSL_cleanse(b, sizeof(b));
}
