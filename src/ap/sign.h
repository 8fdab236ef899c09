/*
 * Signing outgoing requests as Mastodon does (draft-cavage-12, rsa-sha256
 * over (request-target) host date, plus digest with a body): builds the
 * Host, Date, Digest and Signature header lines for a URL, a body and a
 * key. Used by the fetches (the instance actor's key) and the deliveries
 * (the sending actor's key), each signed at the moment it is sent.
 */
#ifndef MEENT_AP_SIGN_H
#define MEENT_AP_SIGN_H

#include <stddef.h>

struct db;

#define AP_SIGN_LINES	4	/* Host, Date, Digest (with a body), Signature */

struct ap_signed_lines {
	char	*line[AP_SIGN_LINES + 1];	/* "Name: value", NULL-terminated; owned */
};

/*
 * Signs method url (with body, or none when body is NULL) with
 * private_pem as key_id. Fills out with new lines. 0, or -1 (logged).
 */
int	 ap_sign_request(const char *key_id, const char *private_pem,
	    const char *method, const char *url, const void *body, size_t len,
	    struct ap_signed_lines *out);

/*
 * The same with the key of the local account account_id, read from db and
 * kept by the calling thread for a few minutes. 0, or -1 when the account
 * has no key or the database failed.
 */
int	 ap_sign_request_as(struct db *db, long long account_id, const char *method,
	    const char *url, const void *body, size_t len, struct ap_signed_lines *out);

void	 ap_signed_lines_cleanup(struct ap_signed_lines *out);

#endif
