/* RSA key pairs for actors: see keys.h. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "ap/keys.h"
#include "util/log.h"
#include "util/mem.h"

/* Copies the contents of a memory BIO into a new NUL-terminated string. */
static char *
ap_keys_bio_string(BIO *bio)
{
	char	*data = NULL, *s;
	long	 len;

	len = BIO_get_mem_data(bio, &data);
	if (len <= 0 || data == NULL)
		return NULL;
	s = xmalloc((size_t)len + 1);
	memcpy(s, data, (size_t)len);
	s[len] = '\0';
	return s;
}

int
ap_keys_generate(char **private_pem, char **public_pem)
{
	EVP_PKEY	*pkey = NULL;
	BIO		*priv = NULL, *pub = NULL;
	int		 rc = -1;

	*private_pem = NULL;
	*public_pem = NULL;
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)AP_KEYS_BITS);
	if (pkey == NULL)
		goto out;
	/* A secure-heap BIO wipes the private key text when it is freed. */
	if ((priv = BIO_new(BIO_s_secmem())) == NULL ||
	    (pub = BIO_new(BIO_s_mem())) == NULL)
		goto out;
	if (PEM_write_bio_PrivateKey(priv, pkey, NULL, NULL, 0, NULL, NULL) != 1 ||
	    PEM_write_bio_PUBKEY(pub, pkey) != 1)
		goto out;
	*private_pem = ap_keys_bio_string(priv);
	*public_pem = ap_keys_bio_string(pub);
	if (*private_pem == NULL || *public_pem == NULL)
		goto out;
	rc = 0;
out:
	if (rc == -1) {
		log_error("ap_keys_generate", "msg=\"RSA key generation failed\"");
		ap_keys_pem_free(*private_pem);
		free(*public_pem);
		*private_pem = NULL;
		*public_pem = NULL;
	}
	BIO_free(pub);
	BIO_free(priv);
	EVP_PKEY_free(pkey);
	return rc;
}

void
ap_keys_pem_free(char *pem)
{
	if (pem == NULL)
		return;
	OPENSSL_cleanse(pem, strlen(pem));
	free(pem);
}
