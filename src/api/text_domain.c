/*
 * Domains in links, as twitter-text's [:valid_domain] finds them, and the
 * checks its Extractor#is_valid_domain makes on them (IDN::Idna.toASCII,
 * the length of the link). The labels and the top-level domain lists are
 * behind every link and every xmpp: URI; see text_url.c for the rest.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/text_internal.h"
#include "util/mem.h"

#define MAX_LABEL	63	/* RFC 3490 ToASCII step 8 */
#define MAX_URL_LENGTH	4096	/* Twitter::TwitterText::Extractor::MAX_URL_LENGTH */
#define MEMO_UNKNOWN	(-2)

/* An ASCII letter as [a-z] with /i matches it (KELVIN SIGN and LONG S too). */
int
text_ci_letter(uint32_t c)
{
	c = text_fold(c);
	return c >= 'a' && c <= 'z';
}

/* 1 when the text at i spells lit (ASCII, lower case) without regard to case. */
int
text_ci_literal(const struct text_src *s, size_t i, const char *lit)
{
	for (; *lit != '\0'; lit++, i++)
		if (i >= s->n || text_fold(s->cp[i]) != (uint32_t)(unsigned char)*lit)
			return 0;
	return 1;
}

/* Twitter's UNICODE_SPACES, DIRECTIONAL_CHARACTERS and INVALID_CHARACTERS. */
static int
twitter_space(uint32_t c)
{
	return (c >= 0x9 && c <= 0xD) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
	    c == 0x180E || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
	    c == 0x202F || c == 0x205F || c == 0x3000;
}

static int
twitter_directional(uint32_t c)
{
	return c == 0x61C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
	    (c >= 0x2066 && c <= 0x2069);
}

int
text_twitter_invalid(uint32_t c)
{
	return c == 0xFFFE || c == 0xFEFF || c == 0xFFFF;
}

/*
 * DOMAIN_VALID_CHARS: anything but those, controls and ASCII punctuation.
 * The backslash is not among them: twitter-text's PUNCTUATION_CHARS is a
 * single-quoted Ruby string in which "\[" and "\]" escape the brackets for
 * the character class and no backslash is left. Addressable refuses such
 * a host later (text_url_unparsable).
 */
static int
domain_char(uint32_t c)
{
	if (c < 0x80)
		return c == '\\' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
	/* CTRL_CHARS is \x00-\x1F\x7F: of the C1 controls only U+0085, a space, is out. */
	return !(twitter_space(c) || twitter_directional(c) || text_twitter_invalid(c));
}

/* The scratch arrays of the domain matchers, allocated on first use. */
static void
scratch(struct text_src *s)
{
	if (s->domain_memo != NULL)
		return;
	s->domain_memo = xmalloc((s->n + 1) * sizeof(s->domain_memo[0]));
	s->chain = xmalloc((s->n + 1) * sizeof(s->chain[0]));
	s->run_end = xmalloc((s->n + 1) * sizeof(s->run_end[0]));
	s->run_underscore = xmalloc((s->n + 1) * sizeof(s->run_underscore[0]));
	for (size_t i = 0; i <= s->n; i++) {
		s->domain_memo[i] = MEMO_UNKNOWN;
		s->run_end[i] = -1;
	}
}

/*
 * A label of [:valid_subdomain] at p: domain characters, '_' and '-',
 * starting and ending with a domain character, then a '.'. Returns the
 * position of the '.', or -1; *name is set when the label also fits
 * [:valid_domain_name] (no '_'). Every position inside one run of those
 * characters shares where the run ends and its last '_', so they are
 * kept for the whole run the first time: a scan tries a domain after
 * every punctuation mark, and "a_a_a_..." must not cost the square.
 */
static long
label_at(struct text_src *s, size_t p, int *name)
{
	size_t q;

	if (p >= s->n || !domain_char(s->cp[p]))
		return -1;
	if (s->run_end[p] < 0) {
		int32_t underscore = -1;

		for (q = p; q < s->n && (domain_char(s->cp[q]) || s->cp[q] == '_' ||
		    s->cp[q] == '-'); q++)
			if (s->cp[q] == '_')
				underscore = (int32_t)q;
		for (size_t i = p; i < q; i++) {
			s->run_end[i] = (int32_t)q;
			s->run_underscore[i] = underscore;
		}
	}
	q = (size_t)s->run_end[p];
	if (q >= s->n || s->cp[q] != '.' || !domain_char(s->cp[q - 1]))
		return -1;
	*name = s->run_underscore[p] < (int32_t)p;
	return (long)q;
}

/* Encodes c as UTF-8 into b (4 bytes); returns the length. */
static size_t
utf8_put(uint32_t c, char *b)
{
	if (c < 0x80) {
		b[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		b[0] = (char)(0xC0 | c >> 6);
		b[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		b[0] = (char)(0xE0 | c >> 12);
		b[1] = (char)(0x80 | (c >> 6 & 0x3F));
		b[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	b[0] = (char)(0xF0 | c >> 18);
	b[1] = (char)(0x80 | (c >> 12 & 0x3F));
	b[2] = (char)(0x80 | (c >> 6 & 0x3F));
	b[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* Decodes one code point of trusted UTF-8 (the TLD lists); advances *p. */
static uint32_t
utf8_get(const char **p)
{
	const unsigned char	*s = (const unsigned char *)*p;
	uint32_t		 c = s[0];
	size_t			 len = 1;

	if (c >= 0xF0) {
		c = (c & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
		    (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
		len = 4;
	} else if (c >= 0xE0) {
		c = (c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		len = 3;
	} else if (c >= 0xC0) {
		c = (c & 0x1F) << 6 | (s[1] & 0x3F);
		len = 2;
	}
	*p += len;
	return c;
}

/* (?=[^0-9a-z@+-]|$) after a top-level domain, with /i. */
static int
tld_boundary(const struct text_src *s, size_t q)
{
	uint32_t c;

	if (q >= s->n)
		return 1;
	c = s->cp[q];
	return !(text_ci_letter(c) || text_ascii_digit(c) || c == '@' || c == '+' || c == '-');
}

/* Where the literal t (one list entry) ends when it matches at p, or -1. */
static long
tld_entry_at(const struct text_src *s, size_t p, const char *t)
{
	size_t q = p;

	while (*t != '\0') {
		if (q >= s->n || text_fold(s->cp[q]) != text_fold(utf8_get(&t)))
			return -1;
		q++;
	}
	return tld_boundary(s, q) ? (long)q : -1;
}

/*
 * The list entries by their first byte, generic ones first, each in the
 * lists' order: the alternatives that can match where a character starts
 * with that byte, in the order the engine tries them. Built once.
 */
static struct {
	pthread_once_t	 once;
	uint16_t	 start[257];	/* bucket b is order[start[b]..start[b + 1]) */
	uint16_t	*order;		/* list << 15 | index */
	uint8_t		*ascii_len;	/* per order[] entry: its length if all ASCII, else 0 */
} tld_index = { PTHREAD_ONCE_INIT, { 0 }, NULL, NULL };

static void
tld_index_build(void)
{
	size_t	total = text_tlds_len[0] + text_tlds_len[1], fill[256] = { 0 };

	tld_index.order = xcalloc(total, sizeof(tld_index.order[0]));
	tld_index.ascii_len = xcalloc(total, sizeof(tld_index.ascii_len[0]));
	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < text_tlds_len[l]; i++)
			tld_index.start[(unsigned char)text_tlds[l][i][0] + 1]++;
	for (size_t b = 1; b <= 256; b++)
		tld_index.start[b] += tld_index.start[b - 1];
	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < text_tlds_len[l]; i++) {
			unsigned char b = (unsigned char)text_tlds[l][i][0];

			const char	*t = text_tlds[l][i];
			size_t		 k = tld_index.start[b] + fill[b]++, n = 0;

			tld_index.order[k] = (uint16_t)(l << 15 | i);
			while (t[n] != '\0' && (unsigned char)t[n] < 0x80)
				n++;
			tld_index.ascii_len[k] = t[n] == '\0' ? (uint8_t)n : 0;
		}
}

/*
 * Calls want(end, arg) for each way [:valid_gTLD], [:valid_ccTLD] and
 * [:valid_punycode] match at p, in the order the alternation tries them,
 * until want returns nonzero; returns that end, or -1.
 */
static long
tld_each(struct text_src *s, size_t p, int (*want)(struct text_src *, long, void *), void *arg)
{
	char		first[4];
	unsigned char	b;
	size_t		letters = 0;
	long		end;

	if (p >= s->n)
		return -1;
	pthread_once(&tld_index.once, tld_index_build);
	utf8_put(text_fold(s->cp[p]), first);
	b = (unsigned char)first[0];
	/* An ASCII entry is all letters and must end where the letters do. */
	while (p + letters < s->n && letters < 256 && text_ci_letter(s->cp[p + letters]))
		letters++;
	for (size_t k = tld_index.start[b]; k < tld_index.start[b + 1]; k++) {
		uint16_t	 o = tld_index.order[k];
		const char	*t = text_tlds[o >> 15][o & 0x7FFF];

		if (tld_index.ascii_len[k] != 0 && tld_index.ascii_len[k] != letters)
			continue;
		if ((end = tld_entry_at(s, p, t)) >= 0 && want(s, end, arg))
			return end;
	}
	if (text_ci_literal(s, p, "xn--")) {
		size_t q = p + 4;

		while (q < s->n && (text_ci_letter(s->cp[q]) || text_ascii_digit(s->cp[q])))
			q++;
		if (q > p + 4 && want(s, (long)q, arg))
			return (long)q;
	}
	return -1;
}

static int
want_any(struct text_src *s, long end, void *arg)
{
	(void)s;
	(void)arg;
	return end >= 0;
}

/*
 * Fills chain with the starts of the labels that follow one another from
 * p ("a.b.c." gives a, b, c), stopping where domain_memo already knows
 * the answer when known is set. Returns how many.
 */
static size_t
labels(struct text_src *s, size_t p, size_t *chain, int known)
{
	size_t len = 0;

	for (size_t q = p; q <= s->n && !(known && s->domain_memo[q] != MEMO_UNKNOWN);) {
		int	name;
		long	dot = label_at(s, q, &name);

		if (dot < 0) {
			s->domain_memo[q] = -1;
			break;
		}
		chain[len++] = q;
		q = (size_t)dot + 1;
	}
	return len;
}

/*
 * [:valid_domain] at p: (subdomain)* domain_name TLD. The subdomains are
 * greedy, so the engine takes every "label." it can and then gives them
 * back one by one until a label that fits domain_name is followed by a
 * top-level domain: the match ends after the last such label. That is
 * the match at the next label, if there is one, else this label's own.
 * Returns the end of the first match, or -1, memoised per position.
 */
long
text_domain_at(struct text_src *s, size_t p)
{
	size_t len;

	scratch(s);
	/* Walk forward through the labels not yet known, then settle them backwards. */
	len = labels(s, p, s->chain, 1);
	while (len > 0) {
		size_t	q = s->chain[--len];
		int	name;
		size_t	next = (size_t)label_at(s, q, &name) + 1;
		long	r = s->domain_memo[next];

		if (r < 0 && name)
			r = tld_each(s, next, want_any, NULL);
		s->domain_memo[q] = (int32_t)r;
	}
	return s->domain_memo[p];
}

/*
 * The same, for a domain that must be followed by what want accepts: the
 * matches in the order the engine backtracks through them (the longest
 * run of subdomains first, then the top-level domain alternatives in
 * order), until want takes one. Only xmpp: authorities need this. The
 * chain is its own: want goes on matching, through domain_at.
 */
long
text_domain_then(struct text_src *s, size_t p, int (*want)(struct text_src *, long, void *), void *arg)
{
	size_t	*chain, len;
	long	 r = -1;

	scratch(s);
	chain = xmalloc((s->n + 1) * sizeof(chain[0]));
	len = labels(s, p, chain, 0);
	while (len > 0) {
		size_t	q = chain[--len];
		int	name;
		size_t	next = (size_t)label_at(s, q, &name) + 1;

		if (name && (r = tld_each(s, next, want, arg)) >= 0)
			break;
	}
	free(chain);
	return r;
}

/*
 * ToASCII (RFC 3490, as libidn 1 does it for twitter-text's
 * is_valid_domain) of one label, reduced to what decides the outcome:
 * returns the length of the ASCII label, or -1 where ToASCII fails: code
 * points unassigned in Unicode 3.2 or prohibited by nameprep (RFC 3491
 * section 5), a broken bidi rule (RFC 3454 section 6), or more than 63
 * octets. Nameprep's case folding is approximated by text_fold and its
 * NFKC step is left out; both rarely change a label's length.
 */
static long
label_ascii_length(const uint32_t *cp, size_t n)
{
	uint32_t	*v;
	size_t		 m = 0, basic = 0, out;
	int		 ral = 0, l = 0;
	long		 rc = -1;

	v = xmalloc((n + 1) * sizeof(v[0]));
	for (size_t i = 0; i < n; i++) {
		uint32_t c = cp[i];

		/* B.1: mapped to nothing. */
		if (c == 0xAD || c == 0x34F || c == 0x1806 || (c >= 0x180B && c <= 0x180D) ||
		    (c >= 0x200B && c <= 0x200D) || c == 0x2060 || (c >= 0xFE00 && c <= 0xFE0F) ||
		    c == 0xFEFF)
			continue;
		c = text_fold(c);
		if (c >= 0x80 && !text_in_unicode_3_2(c))
			goto out;
		/* C.2.2, C.3, C.4, C.6, C.7, C.8, C.9 */
		if ((c >= 0x80 && c <= 0x9F) || c == 0x6DD || c == 0x70F || c == 0x180E ||
		    c == 0x2028 || c == 0x2029 || (c >= 0x2060 && c <= 0x2063) ||
		    (c >= 0x206A && c <= 0x206F) || (c >= 0xFFF9 && c <= 0xFFFD) ||
		    (c >= 0x1D173 && c <= 0x1D17A) || (c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000 ||
		    (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE ||
		    (c >= 0x2FF0 && c <= 0x2FFB) || c == 0x340 || c == 0x341 || c == 0x200E ||
		    c == 0x200F || (c >= 0x202A && c <= 0x202E) || c == 0xE0001 ||
		    (c >= 0xE0020 && c <= 0xE007F))
			goto out;
		ral |= text_is_bidi_r_al(c);
		l |= text_is_bidi_l(c);
		basic += c < 0x80;
		v[m++] = c;
	}
	if (ral && (l || !text_is_bidi_r_al(v[0]) || !text_is_bidi_r_al(v[m - 1])))
		goto out;
	if (basic == m)
		out = m;
	else {
		/* RFC 3492 section 6.3, counting the digits instead of writing them. */
		uint64_t	 code = 0x80, delta = 0, bias = 72, h = basic;

		out = 4 + basic + (basic > 0);		/* "xn--", the basic ones, '-' */
		while (h < m) {
			uint64_t next = UINT32_MAX;

			for (size_t i = 0; i < m; i++)
				if (v[i] >= code && v[i] < next)
					next = v[i];
			delta += (next - code) * (h + 1);
			code = next;
			for (size_t i = 0; i < m; i++) {
				if (v[i] < code)
					delta++;
				if (v[i] != code)
					continue;
				for (uint64_t q = delta, k = 36;; k += 36) {
					uint64_t t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;

					out++;
					if (q < t)
						break;
					q = (q - t) / (36 - t);
				}
				/* adapt() */
				delta = h == basic ? delta / 700 : delta / 2;
				delta += delta / (h + 1);
				for (bias = 0; delta > 455; bias += 36)
					delta /= 35;
				bias += 36 * delta / (delta + 38);
				delta = 0;
				h++;
			}
			delta++;
			code++;
			if (out > MAX_LABEL)
				goto out;
		}
	}
	if (out <= MAX_LABEL)
		rc = (long)out;
out:
	free(v);
	return rc;
}

/*
 * Extractor#is_valid_domain: IDN::Idna.toASCII(domain) must succeed and
 * the link, with the domain in ASCII, must fit MAX_URL_LENGTH.
 */
int
text_valid_domain(const struct text_src *s, size_t start, size_t end, size_t url_length)
{
	size_t	ascii = 0, label = start;

	for (size_t i = start; i <= end; i++) {
		long n;

		/* libidn splits labels at the ideographic and full-width stops too. */
		if (i < end && s->cp[i] != '.' && s->cp[i] != 0x3002 && s->cp[i] != 0xFF0E &&
		    s->cp[i] != 0xFF61)
			continue;
		if ((n = label_ascii_length(s->cp + label, i - label)) < 0)
			return 0;
		ascii += (size_t)n + (i < end);
		label = i + 1;
	}
	if (ascii > end - start)
		url_length += ascii - (end - start);
	return url_length <= MAX_URL_LENGTH;
}
