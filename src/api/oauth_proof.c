/* Client credentials and PKCE: see oauth_proof.h. */
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "api/oauth_proof.h"
#include "util/token.h"

/* The value of a standard base64 digit (RFC 4648 §4), or -1. */
static int
b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decodes base64 (padding optional) into out (outsz bytes); the decoded
 * length, or -1 on a bad digit, bad padding, or no room.
 */
static long
b64_decode(const char *s, size_t len, unsigned char *out, size_t outsz)
{
	unsigned	 acc = 0;
	int		 bits = 0;
	size_t		 n = 0;

	while (len > 0 && s[len - 1] == '=')
		len--;
	for (size_t i = 0; i < len; i++) {
		int	 v = b64_val((unsigned char)s[i]);

		if (v < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == outsz)
				return -1;
			out[n++] = (unsigned char)(acc >> bits);
		}
		acc &= (1u << bits) - 1;
	}
	/* A lone trailing digit carries fewer than 8 bits: malformed. */
	return bits >= 6 ? -1 : (long)n;
}

int
oauth_basic_parse(const char *header, char id[OAUTH_CLIENT_MAX + 1],
    char secret[OAUTH_CLIENT_MAX + 1])
{
	unsigned char	 raw[2 * OAUTH_CLIENT_MAX + 2];
	const char	*b64, *colon;
	size_t		 len, idlen;
	long		 n;
	int		 rc = -1;

	id[0] = secret[0] = '\0';
	if (header == NULL || strncasecmp(header, "Basic ", 6) != 0)
		return -1;
	b64 = header + 6;
	while (*b64 == ' ')
		b64++;
	len = strcspn(b64, " \t");
	if (b64[len + strspn(b64 + len, " \t")] != '\0')
		return -1;
	if ((n = b64_decode(b64, len, raw, sizeof(raw))) <= 0)
		return -1;
	if ((colon = memchr(raw, ':', (size_t)n)) == NULL || memchr(raw, '\0', (size_t)n))
		goto out;
	idlen = (size_t)(colon - (const char *)raw);
	if (idlen == 0 || idlen > OAUTH_CLIENT_MAX || (size_t)n - idlen - 1 == 0 ||
	    (size_t)n - idlen - 1 > OAUTH_CLIENT_MAX)
		goto out;
	memcpy(id, raw, idlen);
	id[idlen] = '\0';
	memcpy(secret, colon + 1, (size_t)n - idlen - 1);
	secret[(size_t)n - idlen - 1] = '\0';
	rc = 0;
out:
	OPENSSL_cleanse(raw, sizeof(raw));
	if (rc == -1)
		OPENSSL_cleanse(secret, OAUTH_CLIENT_MAX + 1);
	return rc;
}

int
oauth_pkce_valid(const char *s)
{
	size_t	 n = 0;

	for (; s[n] != '\0'; n++) {
		char	 c = s[n];

		if (n >= OAUTH_PKCE_MAX)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~'))
			return 0;
	}
	return n >= OAUTH_PKCE_MIN;
}

int
oauth_pkce_verify(const char *verifier, const char *challenge)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char	 md[SHA256_DIGEST_LENGTH];
	char		 enc[TOKEN_BUFSZ];
	size_t		 o = 0;
	unsigned	 acc = 0;
	int		 bits = 0;

	if (!oauth_pkce_valid(verifier))
		return 0;
	SHA256((const unsigned char *)verifier, strlen(verifier), md);
	/* base64url without padding: 32 bytes make 43 characters. */
	for (size_t i = 0; i < sizeof(md); i++) {
		acc = (acc << 8) | md[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			enc[o++] = alphabet[(acc >> bits) & 63];
		}
		acc &= (1u << bits) - 1;
	}
	if (bits > 0)
		enc[o++] = alphabet[(acc << (6 - bits)) & 63];
	enc[o] = '\0';
	return token_equal(enc, challenge);
}
