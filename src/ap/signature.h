/*
 * HTTP signatures on server-to-server requests: draft-cavage-http-signatures-12
 * ("Signature:") and RFC 9421 ("Signature-Input:" + "Signature:"), with the
 * rules Mastodon applies. Owns parsing, signing strings, digests and the
 * crypto; does not fetch keys, touch the database or know libevent.
 */
#ifndef MEENT_AP_SIGNATURE_H
#define MEENT_AP_SIGNATURE_H

#include <stddef.h>
#include <time.h>

/* Any one Signature, Signature-Input, Authorization or signed header value. */
#define AP_SIGNATURE_MAX_FIELD		8192
/* A signing string or signature base, all lines together. */
#define AP_SIGNATURE_MAX_BASE		65536
/* Names in a cavage headers="..." list, or components in one RFC 9421 list. */
#define AP_SIGNATURE_MAX_COMPONENTS	32
/* "Sun, 06 Nov 1994 08:49:37 GMT" and its terminator. */
#define AP_SIGNATURE_DATE_LEN		30

/*
 * The time window, as Mastodon's SignedRequest has it: a signature lives
 * until its expires parameter, or 5 minutes after its Date/created when
 * there is none, but never more than 12 hours (EXPIRATION_WINDOW_LIMIT);
 * clocks may be off by an hour either way (CLOCK_SKEW_MARGIN).
 */
#define AP_SIGNATURE_DEFAULT_TTL	300
#define AP_SIGNATURE_MAX_TTL		(12 * 3600)
#define AP_SIGNATURE_CLOCK_SKEW		3600

/* One header line as received; names in any case. */
struct ap_signature_header {
	const char	*name;
	const char	*value;
};

/*
 * The request (or, for RFC 9421 only, the response) being signed or
 * verified. Everything is borrowed. Header lines that repeat a name are
 * combined in order with ", " as both specs require, so pass them exactly
 * as they arrived.
 */
struct ap_signature_msg {
	const char	*msg_method;	/* "POST", as on the request line */
	const char	*msg_target;	/* "/inbox?x=1": path and query as received */
	const char	*msg_scheme;	/* RFC 9421 @scheme, @target-uri; NULL: "https" */
	const char	*msg_authority;	/* RFC 9421 @authority; NULL: the Host header */
	int		 msg_status;	/* responses only (RFC 9421 @status), else 0 */
	const struct ap_signature_header *msg_headers;
	size_t		 msg_nheaders;
	const void	*msg_body;	/* may be NULL when msg_body_len is 0 */
	size_t		 msg_body_len;
	const char	*msg_label;	/* RFC 9421 signature to check; NULL: the only one */
};

enum ap_signature_scheme {
	AP_SIGNATURE_CAVAGE = 1,	/* draft-cavage-http-signatures-12 */
	AP_SIGNATURE_RFC9421,		/* RFC 9421 */
};

/*
 * Why a request was refused. Every code but OK means 401 for the inbox;
 * the codes let the caller log and count the cause.
 */
enum ap_signature_error {
	AP_SIGNATURE_OK = 0,
	AP_SIGNATURE_UNSIGNED,		/* no signature header at all */
	AP_SIGNATURE_MALFORMED,		/* unparseable, missing or duplicate parameters, too long */
	AP_SIGNATURE_UNSUPPORTED,	/* algorithm, component or key type we do not verify */
	AP_SIGNATURE_MISSING_HEADERS,	/* a required part is not signed, or a signed header is absent */
	AP_SIGNATURE_EXPIRED,		/* Date/created/expires outside the window, or unparseable */
	AP_SIGNATURE_DIGEST,		/* Digest/Content-Digest absent, unsupported or not the body's */
	AP_SIGNATURE_KEY,		/* the key cannot be used for this signature */
	AP_SIGNATURE_INVALID,		/* the cryptographic check failed: wrong key or altered message */
};

struct ap_signature_status {
	enum ap_signature_error	 st_code;
	const char		*st_reason;	/* static text, never NULL after a call */
};

struct ap_signature;		/* a parsed signature, either scheme; opaque */
struct ap_signature_key;	/* a public, private or shared key; opaque */

/*
 * Finds and parses the signature of msg: RFC 9421 when Signature-Input is
 * present (as Mastodon decides), otherwise cavage from Signature or from
 * "Authorization: Signature ...". Only the syntax and the algorithm name
 * are checked here, so the caller can read the keyId and fetch the key.
 * Returns 0 with *out set (new), or -1 with st filled and *out NULL.
 * Like everything here it keeps no state, so any thread may call it.
 */
int	 ap_signature_parse(const struct ap_signature_msg *msg,
	    struct ap_signature **out, struct ap_signature_status *st);

/* The keyId (cavage) or keyid (RFC 9421) parameter; borrowed from sig. */
const char *ap_signature_key_id(const struct ap_signature *sig);
enum ap_signature_scheme ap_signature_scheme(const struct ap_signature *sig);

/*
 * Mastodon's acceptance rules, none of which needs the key, so run this
 * before fetching one: the time window against now; the parts that must
 * be signed (cavage: date or (created); (request-target) or digest; host
 * on GET; digest on POST or with a body. RFC 9421: created; @method and
 * @target-uri; content-digest on POST or with a body); and the body digest
 * whenever a digest header is signed. 0, or -1 with st filled.
 */
int	 ap_signature_check(const struct ap_signature *sig,
	    const struct ap_signature_msg *msg, time_t now,
	    struct ap_signature_status *st);

/*
 * The cryptographic check alone: rebuilds the signing string (cavage-12
 * §2.3) or signature base (RFC 9421 §2.5) from msg and verifies it with
 * key. 0 when the signature is good, or -1 with st filled.
 */
int	 ap_signature_verify(const struct ap_signature *sig,
	    const struct ap_signature_msg *msg,
	    const struct ap_signature_key *key, struct ap_signature_status *st);

/*
 * The signing string (cavage) or signature base (RFC 9421) that
 * ap_signature_verify checks, for logs and tests. 0 with *out set (new,
 * NUL-terminated), or -1 with st filled.
 */
int	 ap_signature_base(const struct ap_signature *sig,
	    const struct ap_signature_msg *msg, char **out,
	    struct ap_signature_status *st);

/* Accepts NULL. */
void	 ap_signature_free(struct ap_signature *sig);

/*
 * Everything in one call when the caller already holds the sender's key:
 * parse, check against now, then verify with public_pem (borrowed).
 * 0 when the request is acceptable, or -1 with st filled.
 */
int	 ap_signature_verify_request(const struct ap_signature_msg *msg,
	    const char *public_pem, time_t now, struct ap_signature_status *st);

/*
 * Keys. A public key reads "BEGIN PUBLIC KEY" (SPKI) and the PKCS#1
 * "BEGIN RSA PUBLIC KEY" some servers still publish; a private key reads
 * PKCS#8 or the traditional formats. RSA, Ed25519 and EC P-256 keys are
 * accepted. Each returns a new key, or NULL when pem is unusable. The
 * secret form is an RFC 9421 hmac-sha256 shared key (copied).
 */
struct ap_signature_key *ap_signature_key_public(const char *pem);
struct ap_signature_key *ap_signature_key_private(const char *pem);
struct ap_signature_key *ap_signature_key_secret(const void *secret, size_t len);

/*
 * Pins the RFC 9421 algorithm the key is meant for ("rsa-pss-sha512",
 * "rsa-v1_5-sha256", "ecdsa-p256-sha256", "ed25519", "hmac-sha256"), as
 * RFC 9421 §3.2 lets key metadata decide. Without it an RSA key means
 * rsa-v1_5-sha256, the algorithm Mastodon uses. -1 when the name is
 * unknown or does not fit the key.
 */
int	 ap_signature_key_set_alg(struct ap_signature_key *key, const char *alg);
/* Wipes and frees; accepts NULL. */
void	 ap_signature_key_free(struct ap_signature_key *key);

/*
 * Signs msg the way Mastodon does: algorithm="rsa-sha256" over
 * "(request-target) host date digest", without digest when the request
 * is a GET without a body. msg must carry Host and Date headers, and
 * Digest when it is signed (see ap_digest_header), which must match the
 * body. key_id is the actor's key id, "<actor>#main-key" in Meent.
 * Returns 0 with *out set to the Signature header value (new), or -1.
 */
int	 ap_signature_sign(const struct ap_signature_msg *msg,
	    const char *key_id, const struct ap_signature_key *key, char **out);

/*
 * Formats t as an IMF-fixdate (RFC 9110 §5.6.7) for the Date header into
 * buf, which holds at least AP_SIGNATURE_DATE_LEN bytes. 0 or -1.
 */
int	 ap_signature_date(time_t t, char *buf, size_t bufsz);
/* Parses an IMF-fixdate; 0 with *out set, or -1. */
int	 ap_signature_parse_date(const char *s, time_t *out);

#endif
