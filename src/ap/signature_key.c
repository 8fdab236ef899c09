/*
 * Keys and the signature algorithms of ap/signature, on OpenSSL 3's EVP
 * interface only. The algorithm is always decided by the caller from the
 * key and the signature's parameters (cavage-12 §2.1.3, RFC 9421 §3.2);
 * this file just refuses a key that cannot do it.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "ap/signature_internal.h"
#include "util/mem.h"
#include "util/thread_slot.h"

/* Actor documents are untrusted: no key PEM is anywhere near this long. */
#define SIG_MAX_PEM		16384
/*
 * The cavage-12 test key is 1024 bits; nothing smaller is worth a check.
 * Past 8192 bits a remote actor's key would only make us slow.
 */
#define SIG_MIN_RSA_BITS	1024
#define SIG_MAX_RSA_BITS	8192

static const struct {
	const char	*name;
	enum sig_alg	 alg;
} alg_names[] = {
	{ "rsa-v1_5-sha256", SIG_ALG_RSA_V1_5_SHA256 },
	{ "rsa-pss-sha512", SIG_ALG_RSA_PSS_SHA512 },
	{ "ecdsa-p256-sha256", SIG_ALG_ECDSA_P256_SHA256 },
	{ "ed25519", SIG_ALG_ED25519 },
	{ "hmac-sha256", SIG_ALG_HMAC_SHA256 },
};

enum sig_alg
sig_alg_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(alg_names) / sizeof(alg_names[0]); i++)
		if (strcmp(alg_names[i].name, name) == 0)
			return alg_names[i].alg;
	return SIG_ALG_NONE;
}

int
sig_alg_fits(enum sig_alg alg, enum sig_key_kind kind)
{
	switch (alg) {
	case SIG_ALG_RSA_V1_5_SHA256:
		return kind == SIG_KEY_RSA;
	case SIG_ALG_RSA_PSS_SHA512:
		return kind == SIG_KEY_RSA || kind == SIG_KEY_RSA_PSS;
	case SIG_ALG_ECDSA_P256_SHA256:
		return kind == SIG_KEY_EC_P256;
	case SIG_ALG_ED25519:
		return kind == SIG_KEY_ED25519;
	case SIG_ALG_HMAC_SHA256:
		return kind == SIG_KEY_SECRET;
	case SIG_ALG_NONE:
		break;
	}
	return 0;
}

static enum sig_key_kind
key_kind(EVP_PKEY *pkey)
{
	char	group[32];
	size_t	glen;
	int	bits = EVP_PKEY_get_bits(pkey);

	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_RSA:
		return bits >= SIG_MIN_RSA_BITS && bits <= SIG_MAX_RSA_BITS ?
		    SIG_KEY_RSA : SIG_KEY_OTHER;
	case EVP_PKEY_RSA_PSS:
		return bits >= SIG_MIN_RSA_BITS && bits <= SIG_MAX_RSA_BITS ?
		    SIG_KEY_RSA_PSS : SIG_KEY_OTHER;
	case EVP_PKEY_ED25519:
		return SIG_KEY_ED25519;
	case EVP_PKEY_EC:
		if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
		    group, sizeof(group), &glen) == 1 &&
		    strcmp(group, "prime256v1") == 0)
			return SIG_KEY_EC_P256;
		return SIG_KEY_OTHER;
	default:
		return SIG_KEY_OTHER;
	}
}

static struct ap_signature_key *
key_wrap(EVP_PKEY *pkey)
{
	struct ap_signature_key *key;

	if (pkey == NULL)
		return NULL;
	if (key_kind(pkey) == SIG_KEY_OTHER) {
		EVP_PKEY_free(pkey);
		return NULL;
	}
	key = xcalloc(1, sizeof(*key));
	key->key_pkey = pkey;
	key->key_kind = key_kind(pkey);
	return key;
}

/* PKCS#1 "BEGIN RSA PUBLIC KEY", which PEM_read_bio_PUBKEY does not read. */
static EVP_PKEY *
read_pkcs1_public(const char *pem)
{
	OSSL_DECODER_CTX	*dctx;
	BIO			*bio;
	EVP_PKEY		*pkey = NULL;

	if ((bio = BIO_new_mem_buf(pem, -1)) == NULL)
		return NULL;
	dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "PEM", "type-specific", "RSA",
	    EVP_PKEY_PUBLIC_KEY, NULL, NULL);
	if (dctx == NULL || OSSL_DECODER_from_bio(dctx, bio) != 1) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	OSSL_DECODER_CTX_free(dctx);
	BIO_free(bio);
	return pkey;
}

/*
 * Parsed keys, per thread. OpenSSL 3 decodes a PEM key through its
 * provider machinery, which costs some twenty times an RSA-2048 verify;
 * the inbox verifies the same few senders over and over, and deliveries
 * sign with the same few local keys, so each thread keeps the last
 * SIG_KEY_CACHE keys it parsed, found by the SHA-256 of the PEM text (a
 * rotated key is new text, so it is never served stale).
 */
#define SIG_KEY_CACHE	64

struct sig_key_cache {
	struct {
		unsigned char	 digest[SHA256_DIGEST_LENGTH];
		EVP_PKEY	*pkey;		/* one reference owned by the cache */
		unsigned long	 used;
	}		 e[SIG_KEY_CACHE];
	unsigned long	 clock;
};

static void
sig_cache_free(void *p)
{
	struct sig_key_cache *c = p;

	for (int i = 0; i < SIG_KEY_CACHE; i++)
		EVP_PKEY_free(c->e[i].pkey);
	free(c);
}

static struct thread_slot sig_cache_slot =
    THREAD_SLOT(sizeof(struct sig_key_cache), sig_cache_free);

static EVP_PKEY *
read_public(const char *pem)
{
	EVP_PKEY	*pkey = NULL;
	BIO		*bio;

	if ((bio = BIO_new_mem_buf(pem, -1)) != NULL) {
		pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	if (pkey == NULL)
		pkey = read_pkcs1_public(pem);
	/* A failed read leaves errors on this thread's queue; don't leak them. */
	ERR_clear_error();
	return pkey;
}

/*
 * The key for pem from this thread's cache, parsing it with read on a miss.
 * Returns a new wrapper holding its own reference, or NULL.
 */
static struct ap_signature_key *
key_cached(const char *pem, EVP_PKEY *(*read)(const char *pem))
{
	struct sig_key_cache	*c;
	unsigned char		 digest[SHA256_DIGEST_LENGTH];
	EVP_PKEY		*pkey;
	int			 slot = 0;

	if (pem == NULL || strlen(pem) > SIG_MAX_PEM)
		return NULL;
	if ((c = thread_slot_get(&sig_cache_slot)) == NULL)
		return key_wrap(read(pem));
	SHA256((const unsigned char *)pem, strlen(pem), digest);
	for (int i = 0; i < SIG_KEY_CACHE; i++) {
		if (c->e[i].pkey != NULL &&
		    memcmp(c->e[i].digest, digest, sizeof(digest)) == 0) {
			c->e[i].used = ++c->clock;
			EVP_PKEY_up_ref(c->e[i].pkey);
			return key_wrap(c->e[i].pkey);
		}
		if (c->e[i].used < c->e[slot].used)
			slot = i;
	}
	if ((pkey = read(pem)) == NULL)
		return NULL;
	/* Evict the least recently used entry. */
	EVP_PKEY_free(c->e[slot].pkey);
	memcpy(c->e[slot].digest, digest, sizeof(digest));
	c->e[slot].pkey = pkey;
	c->e[slot].used = ++c->clock;
	EVP_PKEY_up_ref(pkey);
	return key_wrap(pkey);
}

struct ap_signature_key *
ap_signature_key_public(const char *pem)
{
	return key_cached(pem, read_public);
}

static EVP_PKEY *
read_private(const char *pem)
{
	EVP_PKEY	*pkey = NULL;
	BIO		*bio;

	if ((bio = BIO_new_mem_buf(pem, -1)) != NULL) {
		pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	ERR_clear_error();
	return pkey;
}

/* Cached too: every delivery signs with its sender's key (ap/sign.c). */
struct ap_signature_key *
ap_signature_key_private(const char *pem)
{
	return key_cached(pem, read_private);
}

struct ap_signature_key *
ap_signature_key_secret(const void *secret, size_t len)
{
	struct ap_signature_key *key;

	if (len == 0 || len > SIG_MAX_SIGNATURE)
		return NULL;
	key = xcalloc(1, sizeof(*key));
	key->key_secret = xmalloc(len);
	memcpy(key->key_secret, secret, len);
	key->key_secret_len = len;
	key->key_kind = SIG_KEY_SECRET;
	return key;
}

int
ap_signature_key_set_alg(struct ap_signature_key *key, const char *alg)
{
	enum sig_alg a = sig_alg_from_name(alg);

	if (a == SIG_ALG_NONE || !sig_alg_fits(a, key->key_kind))
		return -1;
	key->key_alg = a;
	return 0;
}

void
ap_signature_key_free(struct ap_signature_key *key)
{
	if (key == NULL)
		return;
	EVP_PKEY_free(key->key_pkey);
	if (key->key_secret != NULL) {
		OPENSSL_cleanse(key->key_secret, key->key_secret_len);
		free(key->key_secret);
	}
	free(key);
}

/* RFC 9421 §3.3.4 sends r||s; EVP wants the DER of ECDSA-Sig-Value. */
static int
ecdsa_raw_to_der(const unsigned char *sig, size_t len, unsigned char **der,
    size_t *derlen)
{
	ECDSA_SIG	*es;
	BIGNUM		*r, *s;
	int		 n;

	if (len != 64)
		return -1;
	if ((es = ECDSA_SIG_new()) == NULL)
		return -1;
	r = BN_bin2bn(sig, 32, NULL);
	s = BN_bin2bn(sig + 32, 32, NULL);
	if (r == NULL || s == NULL || ECDSA_SIG_set0(es, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(es);
		return -1;
	}
	*der = NULL;
	n = i2d_ECDSA_SIG(es, der);
	ECDSA_SIG_free(es);
	if (n <= 0)
		return -1;
	*derlen = (size_t)n;
	return 0;
}

static int
hmac_verify(const struct ap_signature_key *key, const void *data, size_t len,
    const unsigned char *sig, size_t siglen)
{
	unsigned char	mac[EVP_MAX_MD_SIZE];
	size_t		maclen = 0;

	if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key->key_secret,
	    key->key_secret_len, data, len, mac, sizeof(mac), &maclen) == NULL)
		return -1;
	if (maclen != siglen)
		return -1;
	return CRYPTO_memcmp(mac, sig, siglen) == 0 ? 0 : -1;
}

/* Sets RSASSA-PSS with SHA-512, MGF1-SHA-512 and a 64-byte salt (RFC 9421 §3.3.1). */
static int
set_pss(EVP_PKEY_CTX *pctx)
{
	if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha512()) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 64) <= 0)
		return -1;
	return 0;
}

static const EVP_MD *
alg_md(enum sig_alg alg)
{
	switch (alg) {
	case SIG_ALG_RSA_V1_5_SHA256:
	case SIG_ALG_ECDSA_P256_SHA256:
		return EVP_sha256();
	case SIG_ALG_RSA_PSS_SHA512:
		return EVP_sha512();
	default:
		return NULL;	/* Ed25519 hashes internally */
	}
}

int
sig_crypto_verify(enum sig_alg alg, const struct ap_signature_key *key,
    const void *data, size_t len, const unsigned char *sig, size_t siglen)
{
	EVP_MD_CTX	*ctx = NULL;
	EVP_PKEY_CTX	*pctx = NULL;
	unsigned char	*der = NULL;
	size_t		 derlen;
	int		 rc = -1;

	if (!sig_alg_fits(alg, key->key_kind) || siglen == 0)
		return -1;
	if (alg == SIG_ALG_HMAC_SHA256)
		return hmac_verify(key, data, len, sig, siglen);
	if (alg == SIG_ALG_ECDSA_P256_SHA256) {
		if (ecdsa_raw_to_der(sig, siglen, &der, &derlen) == -1)
			return -1;
		sig = der;
		siglen = derlen;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		goto out;
	if (EVP_DigestVerifyInit(ctx, &pctx, alg_md(alg), NULL, key->key_pkey) != 1)
		goto out;
	if (alg == SIG_ALG_RSA_PSS_SHA512 && set_pss(pctx) == -1)
		goto out;
	if (EVP_DigestVerify(ctx, sig, siglen, data, len) == 1)
		rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	ERR_clear_error();
	return rc;
}

/* Only what Meent sends: RSA PKCS#1 v1.5 (cavage rsa-sha256), and Ed25519. */
int
sig_crypto_sign(enum sig_alg alg, const struct ap_signature_key *key,
    const void *data, size_t len, unsigned char **out, size_t *outlen)
{
	EVP_MD_CTX	*ctx = NULL;
	unsigned char	*sig = NULL;
	size_t		 siglen = 0;
	int		 rc = -1;

	*out = NULL;
	if ((alg != SIG_ALG_RSA_V1_5_SHA256 && alg != SIG_ALG_ED25519) ||
	    !sig_alg_fits(alg, key->key_kind))
		return -1;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		goto out;
	if (EVP_DigestSignInit(ctx, NULL, alg_md(alg), NULL, key->key_pkey) != 1 ||
	    EVP_DigestSign(ctx, NULL, &siglen, data, len) != 1 ||
	    siglen == 0 || siglen > SIG_MAX_SIGNATURE)
		goto out;
	sig = xmalloc(siglen);
	if (EVP_DigestSign(ctx, sig, &siglen, data, len) != 1)
		goto out;
	*out = sig;
	*outlen = siglen;
	sig = NULL;
	rc = 0;
out:
	free(sig);
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}
