/*
 * RSA key pairs for ActivityPub actors: the keys behind HTTP Signatures
 * (draft-cavage-http-signatures-12, as Mastodon uses them) and the
 * publicKey of each actor document. This module only makes keys and turns
 * them into PEM text; signing and verifying live in ap/signature.
 */
#ifndef MEENT_AP_KEYS_H
#define MEENT_AP_KEYS_H

/* 2048 bits: what Mastodon makes and what every peer accepts. */
#define AP_KEYS_BITS	2048

/*
 * Makes a new RSA key pair. On success *private_pem (PKCS#8, "BEGIN
 * PRIVATE KEY") and *public_pem (SubjectPublicKeyInfo, "BEGIN PUBLIC
 * KEY") are new strings: free the private one with ap_keys_pem_free, the
 * public one with free or ap_keys_pem_free. Returns 0, or -1 (logged) with
 * both set to NULL.
 */
int	 ap_keys_generate(char **private_pem, char **public_pem);

/* Wipes and frees a PEM string from ap_keys_generate; takes pem; NULL is fine. */
void	 ap_keys_pem_free(char *pem);

#endif
