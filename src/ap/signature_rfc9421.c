/*
 * RFC 9421 HTTP Message Signatures: the Signature-Input and Signature
 * dictionaries (§4.1, §4.2), the signature base (§2.5) over the derived
 * components of §2.2 and header fields of §2.1, and the rules Mastodon
 * 4.5 adds (SignedRequest::HttpMessageSignature). The component
 * parameters sf, key, bs, req and tr are refused as unsupported:
 * fediverse signers do not send them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ap/digest.h"
#include "ap/signature_internal.h"
#include "util/mem.h"

static const char *const derived_names[] = {
	"@method", "@target-uri", "@authority", "@scheme", "@request-target",
	"@path", "@query", "@query-param", "@status",
};

static const struct sfv_member *
our_member(const struct ap_signature *sig)
{
	const struct sig_rfc9421 *r = &sig->u.rfc9421;

	return &r->r_input.d_members[r->r_member];
}

static const struct sfv_item *
item_at(const struct ap_signature *sig, size_t i)
{
	return &sig->u.rfc9421.r_input.d_items[our_member(sig)->m_item + i];
}

static const struct sfv_param *
item_params(const struct sfv_dict *d, const struct sfv_item *it)
{
	return d->d_params + it->i_param;
}

static int
is_derived(const char *name)
{
	for (size_t i = 0; i < sizeof(derived_names) / sizeof(derived_names[0]); i++)
		if (strcmp(name, derived_names[i]) == 0)
			return 1;
	return 0;
}

/* A field name as RFC 9421 §2.1 writes it: a lowercase token. */
static int
is_field_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    strchr("!#$%&'*+-.^_`|~", *s) != NULL))
			return 0;
	return 1;
}

/* The @query-param name, or NULL. */
static const char *
query_param_name(const struct sfv_dict *d, const struct sfv_item *it)
{
	const struct sfv_param *p = sfv_param_get(item_params(d, it), it->i_nparams, "name");

	return p != NULL && p->p_val.b_type == SFV_STRING ? p->p_val.b_str : NULL;
}

static int
check_component(const struct sfv_dict *d, const struct sfv_item *it,
    struct ap_signature_status *st)
{
	const char *name = it->i_val.b_str;

	if (it->i_val.b_type != SFV_STRING)
		return sig_fail(st, AP_SIGNATURE_MALFORMED, "a component is not a string");
	if (strcmp(name, "@signature-params") == 0)
		return sig_fail(st, AP_SIGNATURE_MALFORMED,
		    "@signature-params cannot be a covered component");
	if (name[0] == '@') {
		if (!is_derived(name))
			return sig_fail(st, AP_SIGNATURE_UNSUPPORTED, "unknown derived component");
		if (strcmp(name, "@query-param") == 0) {
			if (it->i_nparams != 1 || query_param_name(d, it) == NULL)
				return sig_fail(st, AP_SIGNATURE_MALFORMED,
				    "@query-param needs exactly one name parameter");
			return 0;
		}
	} else if (!is_field_name(name)) {
		return sig_fail(st, AP_SIGNATURE_MALFORMED,
		    "a component is not a lowercase field name");
	}
	if (it->i_nparams != 0)
		return sig_fail(st, AP_SIGNATURE_UNSUPPORTED,
		    "component parameters are not supported");
	return 0;
}

/* §2.5 step 1: each component identifier at most once. */
static int
same_component(const struct sfv_dict *d, const struct sfv_item *a,
    const struct sfv_item *b)
{
	const char *qa, *qb;

	if (strcmp(a->i_val.b_str, b->i_val.b_str) != 0)
		return 0;
	qa = query_param_name(d, a);
	qb = query_param_name(d, b);
	return qa == NULL || qb == NULL || strcmp(qa, qb) == 0;
}

/* The signature parameters of §2.3 that Mastodon and we read. */
static int
read_params(struct ap_signature *sig, const struct sfv_dict *d,
    const struct sfv_member *m, struct ap_signature_status *st)
{
	const struct sfv_param *p;

	for (size_t i = 0; i < m->m_nparams; i++) {
		p = &d->d_params[m->m_param + i];
		if (strcmp(p->p_key, "created") == 0 || strcmp(p->p_key, "expires") == 0) {
			if (p->p_val.b_type != SFV_INTEGER || p->p_val.b_num < 0)
				return sig_fail(st, AP_SIGNATURE_MALFORMED,
				    "created and expires must be integers");
			if (p->p_key[0] == 'c') {
				sig->sig_created = p->p_val.b_num;
				sig->sig_has_created = 1;
			} else {
				sig->sig_expires = p->p_val.b_num;
				sig->sig_has_expires = 1;
			}
		} else if (strcmp(p->p_key, "keyid") == 0 || strcmp(p->p_key, "alg") == 0 ||
		    strcmp(p->p_key, "nonce") == 0 || strcmp(p->p_key, "tag") == 0) {
			if (p->p_val.b_type != SFV_STRING)
				return sig_fail(st, AP_SIGNATURE_MALFORMED,
				    "keyid, alg, nonce and tag must be strings");
		}
	}
	p = sfv_param_get(d->d_params + m->m_param, m->m_nparams, "keyid");
	if (p == NULL || p->p_val.b_len == 0)
		return sig_fail(st, AP_SIGNATURE_MALFORMED, "missing keyid parameter");
	sig->sig_key_id = xstrdup(p->p_val.b_str);
	p = sfv_param_get(d->d_params + m->m_param, m->m_nparams, "alg");
	if (p != NULL) {
		if (sig_alg_from_name(p->p_val.b_str) == SIG_ALG_NONE)
			return sig_fail(st, AP_SIGNATURE_UNSUPPORTED, "unsupported alg parameter");
		sig->u.rfc9421.r_alg = p->p_val.b_str;
	}
	return 0;
}

/* §2.3: the inner list re-serialised, the value of "@signature-params". */
static int
serialize_params(const struct sfv_dict *d, const struct sfv_member *m,
    struct buf *out)
{
	if (buf_puts(out, "(") == -1)
		return -1;
	for (size_t i = 0; i < m->m_nitems; i++) {
		const struct sfv_item *it = &d->d_items[m->m_item + i];

		if ((i > 0 && buf_puts(out, " ") == -1) ||
		    sfv_serialize_bare(out, &it->i_val) == -1 ||
		    sfv_serialize_params(out, item_params(d, it), it->i_nparams) == -1)
			return -1;
	}
	if (buf_puts(out, ")") == -1)
		return -1;
	return sfv_serialize_params(out, d->d_params + m->m_param, m->m_nparams);
}

static int
parse_input(struct ap_signature *sig, const char *input, const char *label,
    struct ap_signature_status *st)
{
	struct sig_rfc9421	*r = &sig->u.rfc9421;
	const struct sfv_member	*m;
	const char		*reason;
	struct buf		 b;

	if ((reason = sfv_parse_dict(input, &r->r_input)) != NULL)
		return sig_fail(st, AP_SIGNATURE_MALFORMED, reason);
	if (label != NULL)
		m = sfv_dict_get(&r->r_input, label);
	else if (r->r_input.d_nmembers == 1)
		m = &r->r_input.d_members[0];
	else
		return sig_fail(st, AP_SIGNATURE_MALFORMED,
		    "several signatures and none selected");
	if (m == NULL)
		return sig_fail(st, AP_SIGNATURE_MALFORMED, "no signature with that label");
	if (!m->m_inner)
		return sig_fail(st, AP_SIGNATURE_MALFORMED,
		    "Signature-Input member is not an inner list");
	if (m->m_nitems > AP_SIGNATURE_MAX_COMPONENTS)
		return sig_fail(st, AP_SIGNATURE_MALFORMED, "too many components");
	r->r_member = (size_t)(m - r->r_input.d_members);
	r->r_label = xstrdup(m->m_key);
	for (size_t i = 0; i < m->m_nitems; i++) {
		const struct sfv_item *it = &r->r_input.d_items[m->m_item + i];

		if (check_component(&r->r_input, it, st) == -1)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (same_component(&r->r_input, it,
			    &r->r_input.d_items[m->m_item + j]))
				return sig_fail(st, AP_SIGNATURE_MALFORMED,
				    "a component is covered twice");
	}
	if (read_params(sig, &r->r_input, m, st) == -1)
		return -1;
	buf_init(&b, AP_SIGNATURE_MAX_FIELD);
	if (serialize_params(&r->r_input, m, &b) == -1) {
		buf_cleanup(&b);
		return sig_fail(st, AP_SIGNATURE_MALFORMED, "signature parameters too long");
	}
	r->r_params = buf_take(&b);
	return 0;
}

static int
parse_signature(struct ap_signature *sig, const char *value,
    struct ap_signature_status *st)
{
	struct sfv_dict		*d = xmalloc(sizeof(*d));
	const struct sfv_member	*m;
	const struct sfv_item	*it;
	const char		*reason;
	int			 rc = -1;

	if ((reason = sfv_parse_dict(value, d)) != NULL) {
		sig_fail(st, AP_SIGNATURE_MALFORMED, reason);
		goto out;
	}
	if ((m = sfv_dict_get(d, sig->u.rfc9421.r_label)) == NULL) {
		sig_fail(st, AP_SIGNATURE_MALFORMED, "no Signature member for the label");
		goto out;
	}
	it = &d->d_items[m->m_item];
	if (m->m_inner || it->i_val.b_type != SFV_BYTES || it->i_val.b_len == 0 ||
	    it->i_val.b_len > sizeof(sig->sig_bytes)) {
		sig_fail(st, AP_SIGNATURE_MALFORMED, "Signature member is not a byte sequence");
		goto out;
	}
	memcpy(sig->sig_bytes, it->i_val.b_str, it->i_val.b_len);
	sig->sig_len = it->i_val.b_len;
	rc = 0;
out:
	sfv_dict_cleanup(d);
	free(d);
	return rc;
}

int
sig_rfc9421_parse(const char *input, const char *signature, const char *label,
    struct ap_signature *sig, struct ap_signature_status *st)
{
	if (parse_input(sig, input, label, st) == -1)
		return -1;
	return parse_signature(sig, signature, st);
}

void
sig_rfc9421_cleanup(struct sig_rfc9421 *r)
{
	sfv_dict_cleanup(&r->r_input);
	free(r->r_label);
	free(r->r_params);
	r->r_label = r->r_params = NULL;
}

/* ---- Component values (§2.2) --------------------------------------------- */

static int
append_lower(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];

		if (buf_append(out, &c, 1) == -1)
			return -1;
	}
	return 0;
}

static const char *
scheme_of(const struct ap_signature_msg *msg)
{
	return msg->msg_scheme != NULL ? msg->msg_scheme : "https";
}

/* §2.2.3: lowercase, without the scheme's default port (RFC 9110 §4.2.3). */
static const char *
append_authority(const struct ap_signature_msg *msg, struct buf *out)
{
	struct buf	 host;
	const char	*a = msg->msg_authority, *reason = NULL;
	size_t		 len;

	buf_init(&host, AP_SIGNATURE_MAX_FIELD);
	if (a == NULL) {
		if (sig_header(msg, "host", &host) != SIG_HEADER_FOUND) {
			reason = "no Host for @authority";
			goto out;
		}
		a = host.data;
	}
	len = strlen(a);
	if ((strcasecmp(scheme_of(msg), "https") == 0 && len > 4 &&
	    strcmp(a + len - 4, ":443") == 0) ||
	    (strcasecmp(scheme_of(msg), "http") == 0 && len > 3 &&
	    strcmp(a + len - 3, ":80") == 0))
		len = (size_t)(strrchr(a, ':') - a);
	if (append_lower(out, a, len) == -1)
		reason = "signature base too long";
out:
	buf_cleanup(&host);
	return reason;
}

/*
 * §2.2.8: decode as application/x-www-form-urlencoded ("+" is a space,
 * bad escapes stay literal), then percent-encode everything but ALPHA,
 * DIGIT and "*-._", with a space as %20.
 */
static int
append_reencoded(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		unsigned char	c = (unsigned char)s[i];
		char		enc[3];

		if (c == '+') {
			c = ' ';
		} else if (c == '%' && i + 2 < n &&
		    str_hexval((unsigned char)s[i + 1]) >= 0 &&
		    str_hexval((unsigned char)s[i + 2]) >= 0) {
			c = (unsigned char)(str_hexval((unsigned char)s[i + 1]) * 16 +
			    str_hexval((unsigned char)s[i + 2]));
			i += 2;
		}
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '*' || c == '-' || c == '.' ||
		    c == '_') {
			if (buf_append(out, &c, 1) == -1)
				return -1;
			continue;
		}
		enc[0] = '%';
		enc[1] = hex[c >> 4];
		enc[2] = hex[c & 15];
		if (buf_append(out, enc, 3) == -1)
			return -1;
	}
	return 0;
}

static const char *
append_query_param(const char *target, const char *want, struct buf *out)
{
	const char	*q = strchr(target, '?'), *reason = NULL;
	struct buf	 name;
	int		 found = 0;

	if (q == NULL)
		return "the signed query parameter is missing";
	buf_init(&name, AP_SIGNATURE_MAX_FIELD);
	for (q++; *q != '\0' && reason == NULL;) {
		size_t		 seg = strcspn(q, "&");
		const char	*eq = memchr(q, '=', seg);
		size_t		 nlen = eq != NULL ? (size_t)(eq - q) : seg;

		buf_cleanup(&name);
		if (seg > 0 && append_reencoded(&name, q, nlen) == 0 &&
		    name.data != NULL && strcmp(name.data, want) == 0) {
			/* §2.2.8: a repeated name must not be signed this way. */
			if (found)
				reason = "a signed query parameter repeats";
			else if (eq != NULL && append_reencoded(out, eq + 1,
			    seg - nlen - 1) == -1)
				reason = "signature base too long";
			found = 1;
		}
		q += seg;
		if (*q == '&')
			q++;
	}
	buf_cleanup(&name);
	if (reason == NULL && !found)
		reason = "the signed query parameter is missing";
	return reason;
}

/* Appends the value of one derived component; NULL or the reason. */
static const char *
append_derived(const struct sfv_dict *d, const struct sfv_item *it,
    const struct ap_signature_msg *msg, struct buf *out)
{
	const char	*name = it->i_val.b_str, *t = msg->msg_target;
	size_t		 plen;
	int		 r;

	if (strcmp(name, "@status") == 0) {
		if (msg->msg_status < 100 || msg->msg_status > 999)
			return "@status is signed but this is not a response";
		return buf_printf(out, "%d", msg->msg_status) == -1 ?
		    "signature base too long" : NULL;
	}
	if (msg->msg_method == NULL || t == NULL)
		return "a request component is signed but this is not a request";
	plen = strcspn(t, "?");
	if (strcmp(name, "@method") == 0)
		r = buf_puts(out, msg->msg_method);
	else if (strcmp(name, "@authority") == 0)
		return append_authority(msg, out);
	else if (strcmp(name, "@scheme") == 0)
		r = append_lower(out, scheme_of(msg), strlen(scheme_of(msg)));
	else if (strcmp(name, "@target-uri") == 0) {
		const char *reason;

		if (append_lower(out, scheme_of(msg), strlen(scheme_of(msg))) == -1 ||
		    buf_puts(out, "://") == -1)
			return "signature base too long";
		if ((reason = append_authority(msg, out)) != NULL)
			return reason;
		r = buf_puts(out, t);
	} else if (strcmp(name, "@request-target") == 0)
		r = buf_puts(out, t);
	else if (strcmp(name, "@path") == 0)
		r = plen == 0 ? buf_puts(out, "/") : buf_append(out, t, plen);
	else if (strcmp(name, "@query") == 0)
		/* §2.2.7: "?" alone when there is no query. */
		r = t[plen] == '?' ? buf_puts(out, t + plen) : buf_puts(out, "?");
	else
		return append_query_param(t, query_param_name(d, it), out);
	return r == -1 ? "signature base too long" : NULL;
}

int
sig_rfc9421_base(const struct ap_signature *sig,
    const struct ap_signature_msg *msg, struct buf *out,
    struct ap_signature_status *st)
{
	const struct sfv_dict	*d = &sig->u.rfc9421.r_input;
	const struct sfv_member	*m = our_member(sig);
	struct buf		 val;
	const char		*reason = NULL;
	int			 rc = -1;

	buf_init(&val, AP_SIGNATURE_MAX_FIELD);
	for (size_t i = 0; i < m->m_nitems; i++) {
		const struct sfv_item *it = item_at(sig, i);

		if (sfv_serialize_bare(out, &it->i_val) == -1 ||
		    sfv_serialize_params(out, item_params(d, it), it->i_nparams) == -1 ||
		    buf_puts(out, ": ") == -1)
			goto toolong;
		if (it->i_val.b_str[0] == '@') {
			if ((reason = append_derived(d, it, msg, out)) != NULL) {
				sig_fail(st, AP_SIGNATURE_MISSING_HEADERS, reason);
				goto out;
			}
		} else {
			switch (sig_header(msg, it->i_val.b_str, &val)) {
			case SIG_HEADER_ABSENT:
				sig_fail(st, AP_SIGNATURE_MISSING_HEADERS,
				    "a signed header is missing from the request");
				goto out;
			case SIG_HEADER_TOO_LONG:
				sig_fail(st, AP_SIGNATURE_MALFORMED, "a signed header is too long");
				goto out;
			case SIG_HEADER_FOUND:
				break;
			}
			if (buf_append(out, val.data, val.len) == -1)
				goto toolong;
		}
		if (buf_puts(out, "\n") == -1)
			goto toolong;
	}
	if (buf_printf(out, "\"@signature-params\": %s", sig->u.rfc9421.r_params) == -1)
		goto toolong;
	rc = 0;
	goto out;
toolong:
	sig_fail(st, AP_SIGNATURE_MALFORMED, "signature base too long");
out:
	buf_cleanup(&val);
	return rc;
}

/* 1 when the plain component name (no parameters) is covered. */
static int
covers(const struct ap_signature *sig, const char *name)
{
	const struct sfv_member *m = our_member(sig);

	for (size_t i = 0; i < m->m_nitems; i++)
		if (strcmp(item_at(sig, i)->i_val.b_str, name) == 0)
			return 1;
	return 0;
}

static int
check_content_digest(const struct ap_signature_msg *msg,
    struct ap_signature_status *st)
{
	const char	*reason = NULL;
	struct buf	 v;

	buf_init(&v, AP_SIGNATURE_MAX_FIELD);
	switch (sig_header(msg, "content-digest", &v)) {
	case SIG_HEADER_ABSENT:
		reason = "Content-Digest is signed but missing";
		break;
	case SIG_HEADER_TOO_LONG:
		reason = "Content-Digest header too long";
		break;
	case SIG_HEADER_FOUND:
		reason = ap_digest_check_content(v.data, msg->msg_body, msg->msg_body_len);
		break;
	}
	buf_cleanup(&v);
	return reason == NULL ? 0 : sig_fail(st, AP_SIGNATURE_DIGEST, reason);
}

/* SignedRequest::HttpMessageSignature: its required parameters and strength rules. */
int
sig_rfc9421_check(const struct ap_signature *sig,
    const struct ap_signature_msg *msg, time_t now,
    struct ap_signature_status *st)
{
	const char *reason;

	if (!sig->sig_has_created)
		return sig_fail(st, AP_SIGNATURE_MISSING_HEADERS,
		    "the created parameter is required");
	if ((reason = sig_time_window(1, sig->sig_created, sig->sig_has_expires,
	    sig->sig_expires, now)) != NULL)
		return sig_fail(st, AP_SIGNATURE_EXPIRED, reason);
	if (!covers(sig, "@method") || !covers(sig, "@target-uri"))
		return sig_fail(st, AP_SIGNATURE_MISSING_HEADERS,
		    "@method and @target-uri must be signed");
	if (sig_has_body(msg) && !covers(sig, "content-digest"))
		return sig_fail(st, AP_SIGNATURE_MISSING_HEADERS,
		    "Content-Digest must be signed on POST");
	if (covers(sig, "content-digest") && check_content_digest(msg, st) == -1)
		return -1;
	return sig_ok(st);
}

/*
 * §3.2 step 5: the key decides, and alg, when present, must agree. An RSA
 * key without a pinned algorithm means rsa-v1_5-sha256, as for Mastodon.
 */
static int
pick_alg(const struct sig_rfc9421 *r, const struct ap_signature_key *key,
    enum sig_alg *alg, struct ap_signature_status *st)
{
	static const enum sig_alg by_kind[] = {
		[SIG_KEY_OTHER] = SIG_ALG_NONE,
		[SIG_KEY_RSA] = SIG_ALG_RSA_V1_5_SHA256,
		[SIG_KEY_RSA_PSS] = SIG_ALG_RSA_PSS_SHA512,
		[SIG_KEY_EC_P256] = SIG_ALG_ECDSA_P256_SHA256,
		[SIG_KEY_ED25519] = SIG_ALG_ED25519,
		[SIG_KEY_SECRET] = SIG_ALG_HMAC_SHA256,
	};

	*alg = key->key_alg != SIG_ALG_NONE ? key->key_alg : by_kind[key->key_kind];
	if (r->r_alg != NULL) {
		enum sig_alg named = sig_alg_from_name(r->r_alg);

		if (key->key_alg != SIG_ALG_NONE && named != key->key_alg)
			return sig_fail(st, AP_SIGNATURE_KEY,
			    "alg does not match the key's algorithm");
		*alg = named;
	}
	if (*alg == SIG_ALG_NONE || !sig_alg_fits(*alg, key->key_kind))
		return sig_fail(st, AP_SIGNATURE_KEY, "the key does not fit the algorithm");
	return 0;
}

int
sig_rfc9421_verify(const struct ap_signature *sig,
    const struct ap_signature_msg *msg, const struct ap_signature_key *key,
    struct ap_signature_status *st)
{
	enum sig_alg	alg;
	struct buf	base;
	int		rc = -1;

	if (pick_alg(&sig->u.rfc9421, key, &alg, st) == -1)
		return -1;
	buf_init(&base, AP_SIGNATURE_MAX_BASE);
	if (sig_rfc9421_base(sig, msg, &base, st) == -1)
		goto out;
	if (sig_crypto_verify(alg, key, base.data, base.len, sig->sig_bytes,
	    sig->sig_len) == 0)
		rc = sig_ok(st);
	else
		sig_fail(st, AP_SIGNATURE_INVALID, "signature does not verify with this key");
out:
	buf_cleanup(&base);
	return rc;
}
