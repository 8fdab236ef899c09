/*
 * The keys of recent signers, per thread, for the inbox. Checking a
 * signature needs the signer's key, whether its domain or account is
 * suspended and what processing needs of it: one database round trip per
 * incoming activity, and parsing the PEM again each time. A busy server
 * sends hundreds a second with the same key, so a thread keeps the last
 * answer, with the key parsed, for AP_KEY_CACHE_TTL_MS.
 *
 * Only an answer that let a request in is kept: a key that verified, of
 * an account that is not suspended, on a domain that is neither suspended
 * nor failing, fetched within the day. A suspension by a moderator or a
 * rotated key therefore takes effect within the TTL (a key that fails to
 * verify is dropped at once and looked up again).
 */
#ifndef MEENT_AP_KEY_CACHE_H
#define MEENT_AP_KEY_CACHE_H

#include "ap/verify.h"

struct ap_signature_key;

#define AP_KEY_CACHE_TTL_MS	10000
#define AP_KEY_CACHE_SIZE	64	/* signers per thread */

struct ap_key_entry {
	char			*key_id;
	struct ap_signer	 signer;	/* its strings owned by the entry */
	struct ap_signature_key	*key;
	long long		 at_ms;		/* monotonic: when it was looked up */
};

/*
 * The calling thread's fresh entry for key_id, or NULL. Borrowed: valid
 * until the thread's next call of this module.
 */
const struct ap_key_entry *ap_key_cache_get(const char *key_id);

/*
 * Keeps the signer that key_id's lookup found (copied) with key, its
 * parsed public key (taken over), replacing an entry of the same keyId or
 * the oldest.
 */
void	 ap_key_cache_put(const char *key_id, const struct ap_signer *who,
	    struct ap_signature_key *key);

/* Forgets key_id on the calling thread. */
void	 ap_key_cache_drop(const char *key_id);

#endif
