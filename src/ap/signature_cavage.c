/*
 * draft-cavage-http-signatures-12, as the fediverse uses it: the
 * Signature (or Authorization: Signature) header, the signing string of
 * §2.3, Mastodon's rules for what must be signed (SignedRequest), and
 * signing the way Mastodon's Request class does.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ap/digest.h"
#include "ap/signature_internal.h"
#include "util/log.h"
#include "util/mem.h"

enum {
	P_KEYID,
	P_SIGNATURE,
	P_ALGORITHM,
	P_HEADERS,
	P_CREATED,
	P_EXPIRES,
	P_COUNT
};

static const struct {
	const char	*name;
	const char	*duplicate;	/* the reason when it appears twice */
} params[P_COUNT] = {
	{ "keyId", "duplicate keyId parameter" },
	{ "signature", "duplicate signature parameter" },
	{ "algorithm", "duplicate algorithm parameter" },
	{ "headers", "duplicate headers parameter" },
	{ "created", "duplicate created parameter" },
	{ "expires", "duplicate expires parameter" },
};

static const char REQUEST_TARGET[] = "(request-target)";
static const char CREATED[] = "(created)";
static const char EXPIRES[] = "(expires)";

/* tchar, RFC 9110 §5.6.2. */
static int
is_tchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* qdtext and the escaped byte of a quoted-pair, RFC 9110 §5.6.4. */
static int
is_qdtext(int c)
{
	return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) ||
	    (c >= 0x5d && c <= 0x7e) || c >= 0x80;
}

static int
is_quotable(int c)
{
	return c == '\t' || (c >= 0x20 && c <= 0x7e) || c >= 0x80;
}

static const char *
skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Reads a token or quoted-string at *pp into *dst (unescaped, terminated). */
static const char *
parse_value(const unsigned char **pp, char **dst)
{
	const unsigned char	*p = *pp;
	char			*d = *dst;

	if (*p == '"') {
		for (p++; *p != '"'; p++) {
			if (*p == '\0')
				return "unterminated quoted string in signature header";
			if (*p == '\\') {
				p++;
				if (!is_quotable(*p))
					return "bad escape in signature header";
			} else if (!is_qdtext(*p)) {
				return "bad character in signature header";
			}
			*d++ = (char)*p;
		}
		p++;
	} else {
		const unsigned char *start = p;

		while (is_tchar(*p))
			*d++ = (char)*p++;
		if (p == start)
			return "expected a parameter value in signature header";
	}
	*d++ = '\0';
	*pp = p;
	*dst = d;
	return NULL;
}

/*
 * auth-param *( OWS "," OWS auth-param ), RFC 9110 §11.2. Parameter names
 * are case-insensitive there; a known one seen twice is refused
 * (cavage-12 §2.2), unknown ones are ignored. Values are copied
 * unescaped into store, which holds at least strlen(s) + 1 bytes.
 */
static const char *
parse_params(const char *s, char *store, const char *vals[P_COUNT])
{
	const unsigned char	*p;
	const char		*reason;

	s = skip_ows(s);
	/* Old node-http-signature put the scheme in this header too (Mastodon's SignatureParser). */
	if (strncmp(s, "Signature ", 10) == 0)
		s = skip_ows(s + 10);
	if (*s == '\0')
		return "empty signature header";
	p = (const unsigned char *)s;
	for (;;) {
		const char	*name = (const char *)p, *val = store;
		size_t		 nlen;

		while (is_tchar(*p))
			p++;
		if ((nlen = (size_t)((const char *)p - name)) == 0)
			return "expected a parameter name in signature header";
		p = (const unsigned char *)skip_ows((const char *)p);
		if (*p++ != '=')
			return "expected '=' in signature header";
		p = (const unsigned char *)skip_ows((const char *)p);
		if ((reason = parse_value(&p, &store)) != NULL)
			return reason;
		for (int i = 0; i < P_COUNT; i++) {
			if (strlen(params[i].name) != nlen ||
			    strncasecmp(name, params[i].name, nlen) != 0)
				continue;
			if (vals[i] != NULL)
				return params[i].duplicate;
			vals[i] = val;
		}
		p = (const unsigned char *)skip_ows((const char *)p);
		if (*p == '\0')
			return NULL;
		if (*p++ != ',')
			return "expected a comma in signature header";
		p = (const unsigned char *)skip_ows((const char *)p);
		if (*p == '\0')
			return "trailing comma in signature header";
	}
}

/* A Unix time: 1-15 digits, and for expires an optional fraction (§2.1.5). */
static int
parse_time(const char *s, int fraction_ok, int64_t *out)
{
	int64_t	v = 0;
	size_t	n = 0;

	for (; *s >= '0' && *s <= '9'; s++) {
		if (++n > 15)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (n == 0)
		return -1;
	if (*s == '.' && fraction_ok) {
		if (s[1] < '0' || s[1] > '9')
			return -1;
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	}
	if (*s != '\0')
		return -1;
	*out = v;
	return 0;
}

static int
is_hs2019(const struct sig_cavage *c)
{
	/* Mastodon treats a missing algorithm as hs2019. */
	return c->c_algorithm == NULL || strcasecmp(c->c_algorithm, "hs2019") == 0;
}

static int
has_header(const struct sig_cavage *c, const char *name)
{
	for (size_t i = 0; i < c->c_nheaders; i++)
		if (strcmp(c->c_headers[i], name) == 0)
			return 1;
	return 0;
}

/* Splits headers="..." into lowercase names, in place. */
static const char *
split_headers(struct sig_cavage *c, char *list)
{
	char *p = list;

	for (;;) {
		char *name;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (c->c_nheaders == AP_SIGNATURE_MAX_COMPONENTS)
			return "too many names in the headers parameter";
		name = p;
		for (; *p != '\0' && *p != ' ' && *p != '\t'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		if (*p != '\0')
			*p++ = '\0';
		c->c_headers[c->c_nheaders++] = name;
	}
	/* cavage-12 §2.1.6: an empty list would sign the empty string. */
	return c->c_nheaders == 0 ? "empty headers parameter" : NULL;
}

/* The created/expires parameters and the pseudo-headers that use them (§2.3). */
static int
parse_times(struct ap_signature *sig, const char *vals[P_COUNT],
    struct ap_signature_status *st)
{
	struct sig_cavage *c = &sig->u.cavage;

	if (vals[P_CREATED] != NULL &&
	    parse_time(vals[P_CREATED], 0, &sig->sig_created) == -1)
		return sig_fail(st, AP_SIGNATURE_MALFORMED, "created is not a Unix time");
	if (vals[P_EXPIRES] != NULL &&
	    parse_time(vals[P_EXPIRES], 1, &sig->sig_expires) == -1)
		return sig_fail(st, AP_SIGNATURE_MALFORMED, "expires is not a Unix time");
	c->c_created = vals[P_CREATED];
	c->c_expires = vals[P_EXPIRES];
	if (has_header(c, CREATED)) {
		if (!is_hs2019(c))
			return sig_fail(st, AP_SIGNATURE_MALFORMED,
			    "(created) is not allowed with this algorithm");
		if (c->c_created == NULL)
			return sig_fail(st, AP_SIGNATURE_MALFORMED,
			    "(created) is signed but created is missing");
		sig->sig_has_created = 1;
	}
	if (has_header(c, EXPIRES)) {
		if (!is_hs2019(c))
			return sig_fail(st, AP_SIGNATURE_MALFORMED,
			    "(expires) is not allowed with this algorithm");
		if (c->c_expires == NULL)
			return sig_fail(st, AP_SIGNATURE_MALFORMED,
			    "(expires) is signed but expires is missing");
		sig->sig_has_expires = 1;
	}
	return 0;
}

int
sig_cavage_parse(const char *value, struct ap_signature *sig,
    struct ap_signature_status *st)
{
	struct sig_cavage	*c = &sig->u.cavage;
	const char		*vals[P_COUNT] = { NULL }, *reason;
	size_t			 len = strlen(value);

	if (len > AP_SIGNATURE_MAX_FIELD)
		return sig_fail(st, AP_SIGNATURE_MALFORMED, "signature header too long");
	c->c_buf = xmalloc(len + 1);
	if ((reason = parse_params(value, c->c_buf, vals)) != NULL)
		return sig_fail(st, AP_SIGNATURE_MALFORMED, reason);
	if (vals[P_KEYID] == NULL || *vals[P_KEYID] == '\0')
		return sig_fail(st, AP_SIGNATURE_MALFORMED, "missing keyId parameter");
	if (vals[P_SIGNATURE] == NULL || *vals[P_SIGNATURE] == '\0')
		return sig_fail(st, AP_SIGNATURE_MALFORMED, "missing signature parameter");
	c->c_algorithm = vals[P_ALGORITHM];
	/* Mastodon accepts exactly these two (SignedRequest#algorithm_supported?). */
	if (!is_hs2019(c) && strcasecmp(c->c_algorithm, "rsa-sha256") != 0)
		return sig_fail(st, AP_SIGNATURE_UNSUPPORTED, "unsupported signature algorithm");
	if (vals[P_HEADERS] != NULL) {
		if ((reason = split_headers(c, (char *)vals[P_HEADERS])) != NULL)
			return sig_fail(st, AP_SIGNATURE_MALFORMED, reason);
	} else {
		/*
		 * cavage-12 §2.1.6 defaults to (created), earlier drafts to
		 * date; Mastodon uses the one that fits the algorithm.
		 */
		c->c_headers[0] = is_hs2019(c) ? CREATED : "date";
		c->c_nheaders = 1;
	}
	if (parse_times(sig, vals, st) == -1)
		return -1;
	if (sig_b64_decode(vals[P_SIGNATURE], strlen(vals[P_SIGNATURE]),
	    sig->sig_bytes, sizeof(sig->sig_bytes), &sig->sig_len) == -1 ||
	    sig->sig_len == 0)
		return sig_fail(st, AP_SIGNATURE_MALFORMED, "signature is not base64");
	sig->sig_key_id = xstrdup(vals[P_KEYID]);
	return 0;
}

void
sig_cavage_cleanup(struct sig_cavage *c)
{
	free(c->c_buf);
	c->c_buf = NULL;
}

static int
append_request_target(const struct ap_signature_msg *msg, int with_query,
    struct buf *out)
{
	size_t tlen;

	if (buf_puts(out, "(request-target): ") == -1)
		return -1;
	/* §2.3 step 1: the method is lowercased, the path is not. */
	for (const char *m = msg->msg_method; *m != '\0'; m++) {
		char lc = (*m >= 'A' && *m <= 'Z') ? (char)(*m - 'A' + 'a') : *m;

		if (buf_append(out, &lc, 1) == -1)
			return -1;
	}
	tlen = with_query ? strlen(msg->msg_target) : strcspn(msg->msg_target, "?");
	if (buf_puts(out, " ") == -1 || buf_append(out, msg->msg_target, tlen) == -1)
		return -1;
	return 0;
}

int
sig_cavage_base(const struct ap_signature *sig,
    const struct ap_signature_msg *msg, int with_query, struct buf *out,
    struct ap_signature_status *st)
{
	const struct sig_cavage	*c = &sig->u.cavage;
	struct buf		 val;
	int			 rc = -1, r;

	buf_init(&val, AP_SIGNATURE_MAX_FIELD);
	for (size_t i = 0; i < c->c_nheaders; i++) {
		const char *name = c->c_headers[i];

		if (i > 0 && buf_puts(out, "\n") == -1)
			goto toolong;
		if (strcmp(name, REQUEST_TARGET) == 0) {
			if (msg->msg_method == NULL || msg->msg_target == NULL) {
				sig_fail(st, AP_SIGNATURE_MALFORMED, "no request target to sign");
				goto out;
			}
			r = append_request_target(msg, with_query, out);
		} else if (strcmp(name, CREATED) == 0) {
			r = buf_printf(out, "%s: %s", CREATED, c->c_created);
		} else if (strcmp(name, EXPIRES) == 0) {
			r = buf_printf(out, "%s: %s", EXPIRES, c->c_expires);
		} else {
			switch (sig_header(msg, name, &val)) {
			case SIG_HEADER_ABSENT:
				/* §2.3 step 4.4: an error, not an empty line. */
				sig_fail(st, AP_SIGNATURE_MISSING_HEADERS,
				    "a signed header is missing from the request");
				goto out;
			case SIG_HEADER_TOO_LONG:
				sig_fail(st, AP_SIGNATURE_MALFORMED, "a signed header is too long");
				goto out;
			case SIG_HEADER_FOUND:
				break;
			}
			r = buf_printf(out, "%s: %s", name, val.data);
		}
		if (r == -1)
			goto toolong;
	}
	rc = 0;
	goto out;
toolong:
	sig_fail(st, AP_SIGNATURE_MALFORMED, "signing string too long");
out:
	buf_cleanup(&val);
	return rc;
}

/* The time the signature claims: (created) when signed, else the signed Date. */
static int
check_window(const struct ap_signature *sig, const struct ap_signature_msg *msg,
    time_t now, struct ap_signature_status *st)
{
	const char	*reason;
	struct buf	 date;
	int64_t		 created = sig->sig_created;
	int		 has_created = sig->sig_has_created, rc = -1;
	time_t		 t;

	buf_init(&date, AP_SIGNATURE_MAX_FIELD);
	if (!has_created && has_header(&sig->u.cavage, "date")) {
		switch (sig_header(msg, "date", &date)) {
		case SIG_HEADER_ABSENT:
			sig_fail(st, AP_SIGNATURE_MISSING_HEADERS, "Date is signed but missing");
			goto out;
		case SIG_HEADER_TOO_LONG:
			sig_fail(st, AP_SIGNATURE_MALFORMED, "Date header too long");
			goto out;
		case SIG_HEADER_FOUND:
			break;
		}
		if (ap_signature_parse_date(date.data, &t) == -1) {
			sig_fail(st, AP_SIGNATURE_EXPIRED, "Date header is not an HTTP date");
			goto out;
		}
		created = (int64_t)t;
		has_created = 1;
	}
	if ((reason = sig_time_window(has_created, created, sig->sig_has_expires,
	    sig->sig_expires, now)) != NULL) {
		sig_fail(st, AP_SIGNATURE_EXPIRED, reason);
		goto out;
	}
	rc = 0;
out:
	buf_cleanup(&date);
	return rc;
}

/* SignedRequest::HttpSignature#verify_signature_strength! */
static int
check_strength(const struct sig_cavage *c, const struct ap_signature_msg *msg,
    struct ap_signature_status *st)
{
	if (!has_header(c, "date") && !has_header(c, CREATED))
		return sig_fail(st, AP_SIGNATURE_MISSING_HEADERS,
		    "Date or (created) must be signed");
	if (!has_header(c, REQUEST_TARGET) && !has_header(c, "digest"))
		return sig_fail(st, AP_SIGNATURE_MISSING_HEADERS,
		    "(request-target) or Digest must be signed");
	if (msg->msg_method != NULL && strcasecmp(msg->msg_method, "GET") == 0 &&
	    !has_header(c, "host"))
		return sig_fail(st, AP_SIGNATURE_MISSING_HEADERS,
		    "Host must be signed on GET");
	if (sig_has_body(msg) && !has_header(c, "digest"))
		return sig_fail(st, AP_SIGNATURE_MISSING_HEADERS,
		    "Digest must be signed on POST");
	return 0;
}

static int
check_digest(const struct ap_signature_msg *msg, struct ap_signature_status *st)
{
	const char	*reason = NULL;
	struct buf	 digest;
	int		 rc = -1;

	buf_init(&digest, AP_SIGNATURE_MAX_FIELD);
	switch (sig_header(msg, "digest", &digest)) {
	case SIG_HEADER_ABSENT:
		reason = "Digest is signed but missing";
		break;
	case SIG_HEADER_TOO_LONG:
		reason = "Digest header too long";
		break;
	case SIG_HEADER_FOUND:
		reason = ap_digest_check(digest.data, msg->msg_body, msg->msg_body_len);
		break;
	}
	if (reason != NULL)
		sig_fail(st, AP_SIGNATURE_DIGEST, reason);
	else
		rc = 0;
	buf_cleanup(&digest);
	return rc;
}

int
sig_cavage_check(const struct ap_signature *sig,
    const struct ap_signature_msg *msg, time_t now,
    struct ap_signature_status *st)
{
	const struct sig_cavage *c = &sig->u.cavage;

	/* Mastodon's order: time window, what is signed, then the body. */
	if (check_window(sig, msg, now, st) == -1 ||
	    check_strength(c, msg, st) == -1)
		return -1;
	if (has_header(c, "digest") && check_digest(msg, st) == -1)
		return -1;
	return sig_ok(st);
}

/*
 * cavage-12 §2.5 derives the algorithm from the key. Mastodon verifies
 * hs2019 from an RSA key as RSASSA-PKCS1-v1_5 with SHA-256, like
 * rsa-sha256, so we do too; Ed25519 keys are the other hs2019 we know.
 */
static int
cavage_alg(const struct sig_cavage *c, const struct ap_signature_key *key,
    enum sig_alg *alg, struct ap_signature_status *st)
{
	if (key->key_kind == SIG_KEY_RSA) {
		*alg = SIG_ALG_RSA_V1_5_SHA256;
		return 0;
	}
	if (key->key_kind == SIG_KEY_ED25519 && is_hs2019(c)) {
		*alg = SIG_ALG_ED25519;
		return 0;
	}
	/* §2.1.3: an algorithm that contradicts the key is an error. */
	return sig_fail(st, AP_SIGNATURE_KEY, "the key does not fit the signature algorithm");
}

int
sig_cavage_verify(const struct ap_signature *sig,
    const struct ap_signature_msg *msg, const struct ap_signature_key *key,
    struct ap_signature_status *st)
{
	const struct sig_cavage	*c = &sig->u.cavage;
	enum sig_alg		 alg = SIG_ALG_RSA_V1_5_SHA256;	/* set by cavage_alg */
	struct buf		 base;
	int			 rc = -1;

	if (cavage_alg(c, key, &alg, st) == -1)
		return -1;
	buf_init(&base, AP_SIGNATURE_MAX_BASE);
	if (sig_cavage_base(sig, msg, 1, &base, st) == -1)
		goto out;
	if (sig_crypto_verify(alg, key, base.data, base.len, sig->sig_bytes,
	    sig->sig_len) == 0) {
		rc = sig_ok(st);
		goto out;
	}
	/*
	 * Older Mastodon signed (request-target) without the query string,
	 * and Mastodon still accepts that (SignedRequest#verified?), so a
	 * second try without it keeps those servers federating.
	 */
	if (has_header(c, REQUEST_TARGET) && strchr(msg->msg_target, '?') != NULL) {
		buf_cleanup(&base);
		if (sig_cavage_base(sig, msg, 0, &base, st) == -1)
			goto out;
		if (sig_crypto_verify(alg, key, base.data, base.len,
		    sig->sig_bytes, sig->sig_len) == 0) {
			rc = sig_ok(st);
			goto out;
		}
	}
	sig_fail(st, AP_SIGNATURE_INVALID, "signature does not verify with this key");
out:
	buf_cleanup(&base);
	return rc;
}

/* keyId goes between quotes unescaped, so it must not need escaping. */
static int
key_id_ok(const char *key_id)
{
	if (*key_id == '\0' || strlen(key_id) > 2048)
		return 0;
	for (const char *p = key_id; *p != '\0'; p++)
		if (*p < 0x21 || *p > 0x7e || *p == '"' || *p == '\\')
			return 0;
	return 1;
}

static const char *
sign_prepare(const struct ap_signature_msg *msg, const char *key_id,
    const struct ap_signature_key *key, int with_digest)
{
	struct buf	 digest;
	const char	*reason = NULL;

	if (!key_id_ok(key_id))
		return "keyId needs escaping or is empty";
	if (key->key_kind != SIG_KEY_RSA)
		return "Mastodon only verifies RSA keys";
	if (!with_digest)
		return NULL;
	buf_init(&digest, AP_SIGNATURE_MAX_FIELD);
	if (sig_header(msg, "digest", &digest) != SIG_HEADER_FOUND)
		reason = "no Digest header to sign";
	else if (ap_digest_check(digest.data, msg->msg_body, msg->msg_body_len) != NULL)
		reason = "the Digest header is not the body's";
	buf_cleanup(&digest);
	return reason;
}

int
ap_signature_sign(const struct ap_signature_msg *msg, const char *key_id,
    const struct ap_signature_key *key, char **out)
{
	static const char *const names[] = { REQUEST_TARGET, "host", "date", "digest" };
	struct ap_signature		*sig;
	struct ap_signature_status	 st;
	struct buf			 base, hdr;
	unsigned char			*bytes = NULL;
	size_t				 nbytes, n = sig_has_body(msg) ? 4 : 3;
	const char			*reason;
	char				 quoted[128];
	int				 rc = -1;

	*out = NULL;
	buf_init(&base, AP_SIGNATURE_MAX_BASE);
	buf_init(&hdr, AP_SIGNATURE_MAX_FIELD);
	sig = xcalloc(1, sizeof(*sig));
	sig->sig_scheme = AP_SIGNATURE_CAVAGE;
	sig->u.cavage.c_algorithm = "rsa-sha256";
	for (size_t i = 0; i < n; i++)
		sig->u.cavage.c_headers[i] = names[i];
	sig->u.cavage.c_nheaders = n;
	if ((reason = sign_prepare(msg, key_id, key, n == 4)) != NULL)
		goto fail;
	if (sig_cavage_base(sig, msg, 1, &base, &st) == -1) {
		reason = st.st_reason;
		goto fail;
	}
	if (sig_crypto_sign(SIG_ALG_RSA_V1_5_SHA256, key, base.data, base.len,
	    &bytes, &nbytes) == -1) {
		reason = "signing failed";
		goto fail;
	}
	if (buf_printf(&hdr, "keyId=\"%s\",algorithm=\"rsa-sha256\",headers=\"%s %s %s%s\","
	    "signature=\"", key_id, names[0], names[1], names[2],
	    n == 4 ? " digest" : "") == -1 || sig_b64_encode(&hdr, bytes, nbytes) == -1 ||
	    buf_puts(&hdr, "\"") == -1) {
		reason = "signature header too long";
		goto fail;
	}
	*out = buf_take(&hdr);
	rc = 0;
	goto out;
fail:
	log_warn("signature_sign_failed", "func=%s reason=%s", __func__,
	    log_quote(quoted, sizeof(quoted), reason));
out:
	free(bytes);
	ap_signature_free(sig);
	buf_cleanup(&base);
	buf_cleanup(&hdr);
	return rc;
}
