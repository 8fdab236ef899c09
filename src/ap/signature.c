/*
 * The scheme-independent half of ap/signature (see signature.h): which
 * scheme a request uses, header values as the specs define them, the
 * time window, HTTP dates and base64. The schemes live in
 * signature_cavage.c and signature_rfc9421.c, keys and EVP calls in
 * signature_key.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ap/signature_internal.h"
#include "util/mem.h"

int
sig_fail(struct ap_signature_status *st, enum ap_signature_error code,
    const char *reason)
{
	st->st_code = code;
	st->st_reason = reason;
	return -1;
}

int
sig_ok(struct ap_signature_status *st)
{
	st->st_code = AP_SIGNATURE_OK;
	st->st_reason = "ok";
	return 0;
}

int
sig_has_body(const struct ap_signature_msg *msg)
{
	return msg->msg_body_len > 0 ||
	    (msg->msg_method != NULL && strcasecmp(msg->msg_method, "POST") == 0);
}

/* ---- Base64 ---------------------------------------------------------------- */

static int
b64_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/';
}

int
sig_b64_encode(struct buf *b, const void *p, size_t len)
{
	unsigned char	*tmp;
	int		 n, rc;

	if (len > AP_SIGNATURE_MAX_BASE)
		return -1;
	tmp = xmalloc(4 * ((len + 2) / 3) + 1);
	n = EVP_EncodeBlock(tmp, p, (int)len);
	rc = n < 0 ? -1 : buf_append(b, tmp, (size_t)n);
	free(tmp);
	return rc;
}

/*
 * EVP_DecodeBlock wants whole quanta and returns the padding as zero
 * bytes, so validate first, restore missing padding, and count it off.
 */
int
sig_b64_decode(const char *s, size_t len, unsigned char *out, size_t outsz,
    size_t *outlen)
{
	char		*padded = NULL;
	unsigned char	*tmp = NULL;
	size_t		 data = len, pad, plen;
	int		 n, rc = -1;

	if (len > 2 * AP_SIGNATURE_MAX_FIELD)
		return -1;
	while (data > 0 && s[data - 1] == '=' && len - data < 2)
		data--;
	for (size_t i = 0; i < data; i++)
		if (!b64_char((unsigned char)s[i]))
			return -1;
	if (data % 4 == 1)
		return -1;
	pad = (4 - data % 4) % 4;
	/* Padding, when present, must be exactly the missing quantum. */
	if (len != data && len - data != pad)
		return -1;
	plen = data + pad;
	if (plen / 4 * 3 - pad > outsz)
		return -1;
	if (plen == 0) {
		*outlen = 0;
		return 0;
	}
	padded = xmalloc(plen + 1);
	memcpy(padded, s, data);
	memset(padded + data, '=', pad);
	padded[plen] = '\0';
	tmp = xmalloc(plen / 4 * 3 + 1);
	n = EVP_DecodeBlock(tmp, (unsigned char *)padded, (int)plen);
	if (n < 0 || (size_t)n != plen / 4 * 3)
		goto out;
	*outlen = (size_t)n - pad;
	memcpy(out, tmp, *outlen);
	rc = 0;
out:
	free(padded);
	free(tmp);
	return rc;
}

/* ---- Header values ------------------------------------------------------- */

static int
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Appends v trimmed, with each run of folding whitespace made one space. */
static int
append_value(struct buf *out, const char *v)
{
	const char *end = v + strlen(v);

	while (v < end && is_ws((unsigned char)*v))
		v++;
	while (end > v && is_ws((unsigned char)end[-1]))
		end--;
	while (v < end) {
		const char *nl = v, *seg_end;

		while (nl < end && *nl != '\r' && *nl != '\n')
			nl++;
		if (nl == end)
			return buf_append(out, v, (size_t)(end - v));
		/*
		 * obs-fold (RFC 9112 §5.2) is OWS CRLF RWS, and all of it
		 * becomes a single SP.
		 */
		seg_end = nl;
		while (seg_end > v && (seg_end[-1] == ' ' || seg_end[-1] == '\t'))
			seg_end--;
		if (buf_append(out, v, (size_t)(seg_end - v)) == -1 ||
		    buf_puts(out, " ") == -1)
			return -1;
		while (nl < end && is_ws((unsigned char)*nl))
			nl++;
		v = nl;
	}
	return 0;
}

enum sig_header_result
sig_header(const struct ap_signature_msg *msg, const char *lname,
    struct buf *out)
{
	int found = 0;

	buf_cleanup(out);
	out->max = AP_SIGNATURE_MAX_FIELD;
	for (size_t i = 0; i < msg->msg_nheaders; i++) {
		const struct ap_signature_header *h = &msg->msg_headers[i];

		if (h->name == NULL || h->value == NULL ||
		    strcasecmp(h->name, lname) != 0)
			continue;
		if ((found && buf_puts(out, ", ") == -1) ||
		    append_value(out, h->value) == -1)
			return SIG_HEADER_TOO_LONG;
		found = 1;
	}
	if (!found)
		return SIG_HEADER_ABSENT;
	if (out->data == NULL && buf_puts(out, "") == -1)
		return SIG_HEADER_TOO_LONG;
	return SIG_HEADER_FOUND;
}

/* ---- Time ------------------------------------------------------------------ */

const char *
sig_time_window(int has_created, int64_t created, int has_expires,
    int64_t expires, time_t now)
{
	if (has_created) {
		if (!has_expires)
			expires = created + AP_SIGNATURE_DEFAULT_TTL;
		if (expires > created + AP_SIGNATURE_MAX_TTL)
			expires = created + AP_SIGNATURE_MAX_TTL;
		has_expires = 1;
		if (created > (int64_t)now + AP_SIGNATURE_CLOCK_SKEW)
			return "signature date is in the future";
	}
	if (has_expires && (int64_t)now > expires + AP_SIGNATURE_CLOCK_SKEW)
		return "signature date is outside the accepted window";
	return NULL;
}

static const char days[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};
static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

int
ap_signature_date(time_t t, char *buf, size_t bufsz)
{
	struct tm	tm;
	int		n;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 0)
		return -1;
	/* Fixed English names: strftime's %a and %b follow the locale. */
	n = snprintf(buf, bufsz, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
	return n < 0 || (size_t)n >= bufsz ? -1 : 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		era;
	unsigned	yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int
two_digits(const char *s, int max, int *out)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return *out > max ? -1 : 0;
}

/* IMF-fixdate only: "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7). */
int
ap_signature_parse_date(const char *s, time_t *out)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int	day, mon = -1, year, hh, mm, ss, hi, lo, wday = -1;
	int	leap;

	if (strlen(s) != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' ||
	    s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':' ||
	    strcmp(s + 25, " GMT") != 0)
		return -1;
	for (int i = 0; i < 7; i++)
		if (strncmp(s, days[i], 3) == 0)
			wday = i;
	for (int i = 0; i < 12; i++)
		if (strncmp(s + 8, months[i], 3) == 0)
			mon = i;
	if (wday < 0 || mon < 0 || two_digits(s + 5, 31, &day) == -1 ||
	    two_digits(s + 12, 99, &hi) == -1 || two_digits(s + 14, 99, &lo) == -1 ||
	    two_digits(s + 17, 23, &hh) == -1 || two_digits(s + 20, 59, &mm) == -1 ||
	    two_digits(s + 23, 60, &ss) == -1)
		return -1;
	year = hi * 100 + lo;
	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (day < 1 || day > mdays[mon] || (mon == 1 && day == 29 && !leap))
		return -1;
	*out = (time_t)(days_from_civil(year, mon + 1, day) * 86400 +
	    hh * 3600 + mm * 60 + ss);
	return 0;
}

/* ---- The public entry points ------------------------------------------ */

/* "Authorization: Signature keyId=..." (cavage-12 §3.1): the part after the scheme. */
static const char *
authorization_params(const char *v)
{
	if (strncasecmp(v, "Signature", 9) != 0 || (v[9] != ' ' && v[9] != '\t'))
		return NULL;
	v += 9;
	while (*v == ' ' || *v == '\t')
		v++;
	return v;
}

static int
parse_rfc9421(const struct ap_signature_msg *msg, struct buf *input,
    struct buf *sigval, struct ap_signature *sig, struct ap_signature_status *st)
{
	switch (sig_header(msg, "signature", sigval)) {
	case SIG_HEADER_ABSENT:
		return sig_fail(st, AP_SIGNATURE_MALFORMED,
		    "Signature-Input without a Signature header");
	case SIG_HEADER_TOO_LONG:
		return sig_fail(st, AP_SIGNATURE_MALFORMED, "Signature header too long");
	case SIG_HEADER_FOUND:
		break;
	}
	sig->sig_scheme = AP_SIGNATURE_RFC9421;
	return sig_rfc9421_parse(input->data, sigval->data, msg->msg_label, sig, st);
}

static int
parse_cavage(const struct ap_signature_msg *msg, struct buf *sigval,
    struct ap_signature *sig, struct ap_signature_status *st)
{
	const char *params;

	switch (sig_header(msg, "signature", sigval)) {
	case SIG_HEADER_TOO_LONG:
		return sig_fail(st, AP_SIGNATURE_MALFORMED, "Signature header too long");
	case SIG_HEADER_FOUND:
		params = sigval->data;
		break;
	case SIG_HEADER_ABSENT:
	default:
		switch (sig_header(msg, "authorization", sigval)) {
		case SIG_HEADER_TOO_LONG:
			return sig_fail(st, AP_SIGNATURE_MALFORMED,
			    "Authorization header too long");
		case SIG_HEADER_FOUND:
			if ((params = authorization_params(sigval->data)) != NULL)
				break;
			/* FALLTHROUGH */
		case SIG_HEADER_ABSENT:
		default:
			return sig_fail(st, AP_SIGNATURE_UNSIGNED, "request is not signed");
		}
	}
	sig->sig_scheme = AP_SIGNATURE_CAVAGE;
	return sig_cavage_parse(params, sig, st);
}

int
ap_signature_parse(const struct ap_signature_msg *msg,
    struct ap_signature **out, struct ap_signature_status *st)
{
	struct ap_signature	*sig;
	struct buf		 input, sigval;
	int			 rc = -1;

	*out = NULL;
	buf_init(&input, AP_SIGNATURE_MAX_FIELD);
	buf_init(&sigval, AP_SIGNATURE_MAX_FIELD);
	sig = xcalloc(1, sizeof(*sig));
	/* Mastodon picks RFC 9421 whenever Signature-Input is there. */
	switch (sig_header(msg, "signature-input", &input)) {
	case SIG_HEADER_TOO_LONG:
		sig_fail(st, AP_SIGNATURE_MALFORMED, "Signature-Input header too long");
		goto out;
	case SIG_HEADER_FOUND:
		rc = parse_rfc9421(msg, &input, &sigval, sig, st);
		break;
	case SIG_HEADER_ABSENT:
		rc = parse_cavage(msg, &sigval, sig, st);
		break;
	}
	if (rc == 0) {
		*out = sig;
		sig = NULL;
		sig_ok(st);
	}
out:
	ap_signature_free(sig);
	buf_cleanup(&input);
	buf_cleanup(&sigval);
	return rc;
}

const char *
ap_signature_key_id(const struct ap_signature *sig)
{
	return sig->sig_key_id;
}

enum ap_signature_scheme
ap_signature_scheme(const struct ap_signature *sig)
{
	return sig->sig_scheme;
}

int
ap_signature_check(const struct ap_signature *sig,
    const struct ap_signature_msg *msg, time_t now,
    struct ap_signature_status *st)
{
	if (sig->sig_scheme == AP_SIGNATURE_RFC9421)
		return sig_rfc9421_check(sig, msg, now, st);
	return sig_cavage_check(sig, msg, now, st);
}

int
ap_signature_verify(const struct ap_signature *sig,
    const struct ap_signature_msg *msg, const struct ap_signature_key *key,
    struct ap_signature_status *st)
{
	if (sig->sig_scheme == AP_SIGNATURE_RFC9421)
		return sig_rfc9421_verify(sig, msg, key, st);
	return sig_cavage_verify(sig, msg, key, st);
}

int
ap_signature_base(const struct ap_signature *sig,
    const struct ap_signature_msg *msg, char **out,
    struct ap_signature_status *st)
{
	struct buf	b;
	int		rc;

	*out = NULL;
	buf_init(&b, AP_SIGNATURE_MAX_BASE);
	if (sig->sig_scheme == AP_SIGNATURE_RFC9421)
		rc = sig_rfc9421_base(sig, msg, &b, st);
	else
		rc = sig_cavage_base(sig, msg, 1, &b, st);
	if (rc == 0) {
		*out = buf_take(&b);
		sig_ok(st);
	}
	buf_cleanup(&b);
	return rc;
}

void
ap_signature_free(struct ap_signature *sig)
{
	if (sig == NULL)
		return;
	if (sig->sig_scheme == AP_SIGNATURE_RFC9421)
		sig_rfc9421_cleanup(&sig->u.rfc9421);
	else if (sig->sig_scheme == AP_SIGNATURE_CAVAGE)
		sig_cavage_cleanup(&sig->u.cavage);
	free(sig->sig_key_id);
	free(sig);
}

int
ap_signature_verify_request(const struct ap_signature_msg *msg,
    const char *public_pem, time_t now, struct ap_signature_status *st)
{
	struct ap_signature	*sig = NULL;
	struct ap_signature_key	*key = NULL;
	int			 rc = -1;

	if (ap_signature_parse(msg, &sig, st) == -1 ||
	    ap_signature_check(sig, msg, now, st) == -1)
		goto out;
	if ((key = ap_signature_key_public(public_pem)) == NULL) {
		sig_fail(st, AP_SIGNATURE_KEY, "the public key cannot be read");
		goto out;
	}
	rc = ap_signature_verify(sig, msg, key, st);
out:
	ap_signature_key_free(key);
	ap_signature_free(sig);
	return rc;
}
