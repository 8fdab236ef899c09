/*
 * Body digests: see digest.h. Received values are compared as decoded
 * bytes, in constant time, so a different but equivalent spelling of the
 * base64 (missing padding) neither fails nor leaks where it differs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ap/digest.h"
#include "ap/signature_internal.h"
#include "util/mem.h"

static int
hash(const EVP_MD *md, const void *body, size_t len, unsigned char *out)
{
	unsigned int n;

	if (body == NULL && len > 0)
		return -1;
	return EVP_Digest(body != NULL ? body : "", len, out, &n, md, NULL) == 1 ?
	    0 : -1;
}

static int
format_digest(const char *prefix, const char *suffix, const void *body, size_t len,
    char *buf, size_t bufsz)
{
	unsigned char	md[32];
	struct buf	b;
	int		rc = -1;

	if (hash(EVP_sha256(), body, len, md) == -1)
		return -1;
	buf_init(&b, bufsz);
	if (buf_puts(&b, prefix) == 0 && sig_b64_encode(&b, md, sizeof(md)) == 0 &&
	    buf_puts(&b, suffix) == 0 && b.len < bufsz) {
		memcpy(buf, b.data, b.len + 1);
		rc = 0;
	}
	buf_cleanup(&b);
	return rc;
}

int
ap_digest_header(const void *body, size_t len, char *buf, size_t bufsz)
{
	return format_digest("SHA-256=", "", body, len, buf, bufsz);
}

int
ap_digest_content_header(const void *body, size_t len, char *buf, size_t bufsz)
{
	return format_digest("sha-256=:", ":", body, len, buf, bufsz);
}

/* Compares a received digest with the body's; NULL when they agree. */
static const char *
compare(const EVP_MD *md, const void *got, size_t gotlen, const void *body,
    size_t len)
{
	unsigned char want[EVP_MAX_MD_SIZE];

	if (gotlen != (size_t)EVP_MD_get_size(md))
		return "digest has the wrong length for its algorithm";
	if (hash(md, body, len, want) == -1)
		return "cannot hash the body";
	return CRYPTO_memcmp(want, got, gotlen) == 0 ? NULL :
	    "digest does not match the body";
}

/*
 * RFC 3230 §4.3.2: instance-digest *( "," instance-digest ), each
 * "alg=value" with a case-insensitive algorithm name.
 */
const char *
ap_digest_check(const char *value, const void *body, size_t len)
{
	unsigned char	 got[64];
	const char	*p = value, *sha256 = NULL;
	size_t		 sha256_len = 0, n;

	if (strlen(value) > AP_SIGNATURE_MAX_FIELD)
		return "Digest header too long";
	while (*p != '\0') {
		size_t seg, end;

		while (*p == ' ' || *p == '\t')
			p++;
		seg = strcspn(p, ",");
		end = seg;
		while (end > 0 && (p[end - 1] == ' ' || p[end - 1] == '\t'))
			end--;
		if (end > 8 && strncasecmp(p, "SHA-256=", 8) == 0) {
			if (sha256 != NULL)
				return "Digest lists SHA-256 twice";
			sha256 = p + 8;
			sha256_len = end - 8;
		}
		p += seg;
		if (*p == ',')
			p++;
	}
	/* Mastodon: "Mastodon only supports SHA-256 in Digest header". */
	if (sha256 == NULL)
		return "Digest has no SHA-256 value";
	if (sig_b64_decode(sha256, sha256_len, got, sizeof(got), &n) == -1)
		return "Digest SHA-256 value is not base64";
	return compare(EVP_sha256(), got, n, body, len);
}

const char *
ap_digest_check_content(const char *value, const void *body, size_t len)
{
	static const struct {
		const char	*key;
		const EVP_MD	*(*md)(void);
	} algs[] = { { "sha-256", EVP_sha256 }, { "sha-512", EVP_sha512 } };
	struct sfv_dict	*d = xmalloc(sizeof(*d));
	const char	*reason;
	int		 known = 0;

	if ((reason = sfv_parse_dict(value, d)) != NULL)
		goto out;
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]) && reason == NULL; i++) {
		const struct sfv_member	*m = sfv_dict_get(d, algs[i].key);
		const struct sfv_item	*it;

		if (m == NULL)
			continue;
		it = &d->d_items[m->m_item];
		if (m->m_inner || it->i_val.b_type != SFV_BYTES) {
			reason = "Content-Digest value is not a byte sequence";
			break;
		}
		reason = compare(algs[i].md(), it->i_val.b_str, it->i_val.b_len,
		    body, len);
		known++;
	}
	if (reason == NULL && known == 0)
		reason = "Content-Digest has no sha-256 or sha-512 value";
out:
	sfv_dict_cleanup(d);
	free(d);
	return reason;
}
