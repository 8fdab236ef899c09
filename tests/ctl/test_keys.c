/* Tests of ap/keys.h: a generated pair parses, is 2048-bit RSA, and signs. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "ap/keys.h"
#include "tap.h"

static EVP_PKEY *
read_key(const char *pem, int private)
{
	BIO		*bio = BIO_new_mem_buf(pem, -1);
	EVP_PKEY	*k;

	k = private ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) :
	    PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return k;
}

static int
sign(EVP_PKEY *k, const char *msg, unsigned char *sig, size_t *siglen)
{
	EVP_MD_CTX	*ctx = EVP_MD_CTX_new();
	int		 rc;

	rc = EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, k) == 1 &&
	    EVP_DigestSign(ctx, sig, siglen, (const unsigned char *)msg,
	    strlen(msg)) == 1;
	EVP_MD_CTX_free(ctx);
	return rc;
}

static int
verify(EVP_PKEY *k, const char *msg, const unsigned char *sig, size_t siglen)
{
	EVP_MD_CTX	*ctx = EVP_MD_CTX_new();
	int		 rc;

	rc = EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, k) == 1 &&
	    EVP_DigestVerify(ctx, sig, siglen, (const unsigned char *)msg,
	    strlen(msg)) == 1;
	EVP_MD_CTX_free(ctx);
	return rc;
}

int
main(void)
{
	char		*priv = NULL, *pub = NULL, *priv2 = NULL, *pub2 = NULL;
	EVP_PKEY	*kpriv, *kpub, *kpub2;
	unsigned char	 sig[512];
	size_t		 siglen = sizeof(sig);
	const char	*msg = "(request-target): post /users/alice/inbox\nhost: a.test";

	ok(ap_keys_generate(&priv, &pub) == 0, "key pair generated");
	ok(priv && strncmp(priv, "-----BEGIN PRIVATE KEY-----\n", 28) == 0,
	    "private key is PKCS#8 PEM");
	ok(pub && strncmp(pub, "-----BEGIN PUBLIC KEY-----\n", 27) == 0,
	    "public key is SubjectPublicKeyInfo PEM");
	kpriv = read_key(priv, 1);
	kpub = read_key(pub, 0);
	ok(kpriv != NULL, "private PEM parses");
	ok(kpub != NULL, "public PEM parses");
	ok(kpub && EVP_PKEY_is_a(kpub, "RSA"), "RSA key");
	is_int(kpub ? EVP_PKEY_get_bits(kpub) : 0, 2048, "2048 bits");
	ok(kpriv && kpub && EVP_PKEY_eq(kpriv, kpub) == 1, "public matches private");
	ok(kpriv && sign(kpriv, msg, sig, &siglen), "signs with the private key");
	ok(kpub && verify(kpub, msg, sig, siglen), "verifies with the public key");
	ok(kpub && !verify(kpub, "tampered", sig, siglen), "tampered message fails");

	ok(ap_keys_generate(&priv2, &pub2) == 0, "second pair generated");
	ok(pub2 && strcmp(pub, pub2) != 0, "pairs differ");
	kpub2 = pub2 ? read_key(pub2, 0) : NULL;
	ok(kpub2 && !verify(kpub2, msg, sig, siglen), "other key does not verify");

	EVP_PKEY_free(kpriv);
	EVP_PKEY_free(kpub);
	EVP_PKEY_free(kpub2);
	ap_keys_pem_free(priv);
	ap_keys_pem_free(priv2);
	free(pub);
	ap_keys_pem_free(pub2);
	ap_keys_pem_free(NULL);
	ok(1, "pem_free accepts NULL");
	return done_testing();
}
