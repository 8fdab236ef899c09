/* Bearer tokens: see token.h. */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "util/log.h"
#include "util/rand.h"
#include "util/token.h"

void
token_new(char out[TOKEN_BUFSZ])
{
	rand_token(out, TOKEN_BUFSZ, TOKEN_BYTES);
}

int
token_hash(const char *token, char out[TOKEN_HASH_BUFSZ])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen = 0;

	if (EVP_Digest(token, strlen(token), md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen * 2 != TOKEN_HASH_LEN) {
		log_error("token_hash", "msg=\"SHA-256 failed\"");
		return -1;
	}
	for (unsigned int i = 0; i < mdlen; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[TOKEN_HASH_LEN] = '\0';
	return 0;
}

int
token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	/* The lengths are public (every token and digest has a fixed one). */
	if (la != lb)
		return 0;
	return CRYPTO_memcmp(a, b, la) == 0;
}
