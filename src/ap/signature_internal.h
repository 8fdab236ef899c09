/*
 * Shared-but-private parts of ap/signature: the parsed signature, headers
 * and dates (signature.c), keys and EVP (signature_key.c), the two schemes,
 * and the RFC 8941 subset they and ap/digest use (signature_sfv.c). Only
 * src/ap and the fuzz targets include this.
 */
#ifndef MEENT_AP_SIGNATURE_INTERNAL_H
#define MEENT_AP_SIGNATURE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "ap/signature.h"
#include "util/str.h"

/* An RSA-8192 signature is 1024 bytes; nothing we verify is longer. */
#define SIG_MAX_SIGNATURE	1024

/* ---- RFC 8941 structured fields (signature_sfv.c) ---------------------- */

#define SFV_MAX_MEMBERS		8	/* signatures in one Signature-Input */
#define SFV_MAX_ITEMS		(AP_SIGNATURE_MAX_COMPONENTS * 2)
#define SFV_MAX_PARAMS		64

enum sfv_type {
	SFV_INTEGER,
	SFV_DECIMAL,		/* b_num holds the value times 1000 */
	SFV_STRING,
	SFV_TOKEN,
	SFV_BYTES,		/* b_str holds the decoded bytes */
	SFV_BOOLEAN,
};

struct sfv_bare {
	enum sfv_type	 b_type;
	long long	 b_num;		/* integer, decimal (x1000), boolean */
	const char	*b_str;		/* string, token, bytes; in the pool, NUL-terminated */
	size_t		 b_len;
};

struct sfv_param {
	const char	*p_key;		/* in the pool */
	struct sfv_bare	 p_val;
};

struct sfv_item {
	struct sfv_bare	 i_val;
	size_t		 i_param;	/* first parameter in d_params */
	size_t		 i_nparams;
};

struct sfv_member {
	const char	*m_key;
	int		 m_inner;	/* 1: an inner list, 0: a single item */
	size_t		 m_item;	/* first item in d_items */
	size_t		 m_nitems;
	size_t		 m_param;	/* the inner list's parameters */
	size_t		 m_nparams;
};

/* A parsed dictionary, flat: members point into the item and param arrays. */
struct sfv_dict {
	struct sfv_member d_members[SFV_MAX_MEMBERS];
	size_t		 d_nmembers;
	struct sfv_item	 d_items[SFV_MAX_ITEMS];
	size_t		 d_nitems;
	struct sfv_param d_params[SFV_MAX_PARAMS];
	size_t		 d_nparams;
	char		*d_pool;	/* owned; every string lives here */
	size_t		 d_pool_len;
	size_t		 d_pool_cap;
};

/*
 * Parses s as an RFC 8941 §4.2.2 dictionary into d (which the caller
 * cleans up even on failure). Stricter than the RFC in one way: a
 * repeated dictionary key or parameter key is an error, not "last wins",
 * because a signature must not mean two things. NULL or the reason.
 */
const char *sfv_parse_dict(const char *s, struct sfv_dict *d);
void	 sfv_dict_cleanup(struct sfv_dict *d);
/* The member named key, or NULL; borrowed from d. */
const struct sfv_member *sfv_dict_get(const struct sfv_dict *d, const char *key);
/* The parameter named key among n params, or NULL. */
const struct sfv_param *sfv_param_get(const struct sfv_param *params, size_t n,
	    const char *key);
/* Canonical serialisation (RFC 8941 §4.1) of a bare item and of parameters. */
int	 sfv_serialize_bare(struct buf *b, const struct sfv_bare *v);
int	 sfv_serialize_params(struct buf *b, const struct sfv_param *params,
	    size_t n);

/* ---- Base64 and headers (signature.c) ----------------------------------- */

/* Appends the padded base64 of p to b. 0 or -1 (cap). */
int	 sig_b64_encode(struct buf *b, const void *p, size_t len);
/*
 * Decodes standard base64 (padding optional, nothing else tolerated)
 * into out. 0 with *outlen set, or -1 when invalid or too long.
 */
int	 sig_b64_decode(const char *s, size_t len, unsigned char *out,
	    size_t outsz, size_t *outlen);

enum sig_header_result {
	SIG_HEADER_FOUND,
	SIG_HEADER_ABSENT,
	SIG_HEADER_TOO_LONG,	/* over AP_SIGNATURE_MAX_FIELD */
};

/*
 * The value of the header lname (lowercase) as both specs want it: every
 * line with that name in order, each stripped of surrounding whitespace
 * with obs-fold line breaks turned into one space, joined by ", "
 * (cavage-12 §2.3 step 4, RFC 9421 §2.1). Replaces the contents of out.
 */
enum sig_header_result sig_header(const struct ap_signature_msg *msg,
	    const char *lname, struct buf *out);

/* Sets st and returns -1, so failures read "return sig_fail(st, ...)". */
int	 sig_fail(struct ap_signature_status *st, enum ap_signature_error code,
	    const char *reason);
int	 sig_ok(struct ap_signature_status *st);

/*
 * Mastodon's SignedRequest#matches_time_window?: created (a Date or the
 * created parameter) may be at most the clock skew ahead of now, and now
 * may be at most the skew past expires, where expires defaults to
 * created + AP_SIGNATURE_DEFAULT_TTL and is capped at created +
 * AP_SIGNATURE_MAX_TTL. has_* say which of the two are known.
 */
const char *sig_time_window(int has_created, int64_t created,
	    int has_expires, int64_t expires, time_t now);

/* 1 when the request is a POST or carries a body: digest required. */
int	 sig_has_body(const struct ap_signature_msg *msg);

/* ---- Algorithms and keys (signature.c) ---------------------------------- */

enum sig_alg {
	SIG_ALG_NONE,
	SIG_ALG_RSA_V1_5_SHA256,	/* cavage rsa-sha256, RFC 9421 rsa-v1_5-sha256 */
	SIG_ALG_RSA_PSS_SHA512,		/* RFC 9421 §3.3.1 */
	SIG_ALG_ECDSA_P256_SHA256,	/* RFC 9421 §3.3.4: raw r||s */
	SIG_ALG_ED25519,		/* RFC 9421 §3.3.6, cavage hs2019 with Ed25519 */
	SIG_ALG_HMAC_SHA256,		/* RFC 9421 §3.3.3 */
};

enum sig_key_kind {
	SIG_KEY_OTHER,
	SIG_KEY_RSA,
	SIG_KEY_RSA_PSS,		/* an id-RSASSA-PSS key */
	SIG_KEY_EC_P256,
	SIG_KEY_ED25519,
	SIG_KEY_SECRET,
};

struct ap_signature_key {
	EVP_PKEY	*key_pkey;	/* owned; NULL for a shared secret */
	unsigned char	*key_secret;	/* owned, wiped on free */
	size_t		 key_secret_len;
	enum sig_key_kind key_kind;
	enum sig_alg	 key_alg;	/* pinned by ap_signature_key_set_alg, or NONE */
};

/* The RFC 9421 name ("ed25519") to an algorithm; SIG_ALG_NONE if unknown. */
enum sig_alg sig_alg_from_name(const char *name);
/* 1 when alg can be computed with a key of that kind. */
int	 sig_alg_fits(enum sig_alg alg, enum sig_key_kind kind);

/* 0 when sig is alg's signature of data under key, -1 otherwise. */
int	 sig_crypto_verify(enum sig_alg alg, const struct ap_signature_key *key,
	    const void *data, size_t len, const unsigned char *sig, size_t siglen);
/* Signs data; 0 with *out (new) and *outlen, or -1. */
int	 sig_crypto_sign(enum sig_alg alg, const struct ap_signature_key *key,
	    const void *data, size_t len, unsigned char **out, size_t *outlen);

/* ---- The parsed signature ------------------------------------------------ */

struct sig_cavage {
	char		*c_buf;		/* owned copy of the header the fields point into */
	const char	*c_algorithm;	/* NULL when absent */
	const char	*c_headers[AP_SIGNATURE_MAX_COMPONENTS];	/* lowercased */
	size_t		 c_nheaders;
	const char	*c_created;	/* the parameter text, for "(created): " */
	const char	*c_expires;
};

struct sig_rfc9421 {
	struct sfv_dict	 r_input;	/* the Signature-Input dictionary */
	size_t		 r_member;	/* which member of it is ours */
	char		*r_label;	/* owned */
	char		*r_params;	/* owned: the @signature-params value */
	const char	*r_alg;		/* the alg parameter, or NULL */
};

struct ap_signature {
	enum ap_signature_scheme sig_scheme;
	char		*sig_key_id;	/* owned */
	unsigned char	 sig_bytes[SIG_MAX_SIGNATURE];	/* the decoded signature */
	size_t		 sig_len;
	int		 sig_has_created;
	int64_t		 sig_created;
	int		 sig_has_expires;
	int64_t		 sig_expires;
	union {
		struct sig_cavage	cavage;
		struct sig_rfc9421	rfc9421;
	} u;
};

/* ---- The schemes --------------------------------------------------------- */

/*
 * Parses a cavage Signature header value (or an Authorization value after
 * its "Signature" scheme) into sig. 0, or -1 with st filled; the caller
 * frees sig either way.
 */
int	 sig_cavage_parse(const char *value, struct ap_signature *sig,
	    struct ap_signature_status *st);
int	 sig_cavage_base(const struct ap_signature *sig,
	    const struct ap_signature_msg *msg, int with_query, struct buf *out,
	    struct ap_signature_status *st);
int	 sig_cavage_check(const struct ap_signature *sig,
	    const struct ap_signature_msg *msg, time_t now,
	    struct ap_signature_status *st);
int	 sig_cavage_verify(const struct ap_signature *sig,
	    const struct ap_signature_msg *msg,
	    const struct ap_signature_key *key, struct ap_signature_status *st);
void	 sig_cavage_cleanup(struct sig_cavage *c);

/*
 * Parses Signature-Input and Signature values, picking the member named
 * label (NULL: there must be exactly one). Same contract as above.
 */
int	 sig_rfc9421_parse(const char *input, const char *signature,
	    const char *label, struct ap_signature *sig,
	    struct ap_signature_status *st);
int	 sig_rfc9421_base(const struct ap_signature *sig,
	    const struct ap_signature_msg *msg, struct buf *out,
	    struct ap_signature_status *st);
int	 sig_rfc9421_check(const struct ap_signature *sig,
	    const struct ap_signature_msg *msg, time_t now,
	    struct ap_signature_status *st);
int	 sig_rfc9421_verify(const struct ap_signature *sig,
	    const struct ap_signature_msg *msg,
	    const struct ap_signature_key *key, struct ap_signature_status *st);
void	 sig_rfc9421_cleanup(struct sig_rfc9421 *r);

#endif
