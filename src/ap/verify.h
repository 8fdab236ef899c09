/*
 * Verifying the HTTP signature of an incoming request (the inbox, and GETs
 * in authorized-fetch mode) with Mastodon's rules: the cheap checks first
 * (syntax, time window, signed headers, body digest), then the key: the
 * cached one, or the actor fetched from keyId, refetched once when the
 * cached key fails (the sender rotated it). Blocked domains are refused
 * before anything is fetched. Asynchronous: the request is held meanwhile.
 */
#ifndef MEENT_AP_VERIFY_H
#define MEENT_AP_VERIFY_H

struct http_req;

enum ap_verify_outcome {
	AP_VERIFY_OK,
	AP_VERIFY_UNSIGNED,	/* no signature at all: 401 */
	AP_VERIFY_REFUSED,	/* bad, stale or unverifiable signature: 401 */
	AP_VERIFY_FORBIDDEN,	/* signed from a suspended domain or account: 403 */
	AP_VERIFY_UNAVAILABLE,	/* the key could not be had just now: 503 */
};

/* Who signed; borrowed for the callback's duration. */
struct ap_signer {
	long long	 account_id;
	const char	*uri;		/* the actor */
	const char	*domain;
	/* From the stored actor, for inbox processing; NULL when the key
	 * was just fetched (processing then reads the account itself). */
	const char	*inbox;		/* shared inbox, else its own */
	const char	*followers;
	const char	*featured;
};

/*
 * Called once with the outcome; signer is set only for AP_VERIFY_OK, and
 * reason says why otherwise (for the error body and the log).
 */
typedef void	(*ap_verify_cb)(struct http_req *req, enum ap_verify_outcome outcome,
		    const struct ap_signer *signer, const char *reason, void *arg);

/*
 * Verifies req's signature. Holds req (http_req_hold); cb replies. cb may
 * run before this returns when no fetch is needed.
 */
void	 ap_verify_request(struct http_req *req, ap_verify_cb cb, void *arg);

/* The HTTP status for an outcome other than OK. */
int	 ap_verify_status(enum ap_verify_outcome outcome);

#endif
