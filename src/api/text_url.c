/*
 * Links in the text of a post, found as Mastodon 4.3 finds them: the
 * pattern Twitter::TwitterText::Regex[:valid_url] of the twitter-text 3.1
 * gem with Mastodon's changes (config/initializers/twitter_regex.rb: more
 * protocols, any non-space character in a path, Unicode in queries), kept
 * only with a protocol (Extractor.extract_entities_with_indices passes
 * extract_url_without_protocol: false), and Mastodon's
 * [:valid_extended_uri] for xmpp: and magnet:.
 *
 * Each pattern is a backtracking regular expression. Rather than run one,
 * each part below returns the match Ruby's engine (Onigmo) would find
 * first: greedy repetition, alternatives in order, and for the parts a
 * match may end after (port, path, query) the first success is the one
 * kept, because nothing after them can fail. Domains are text_domain.c's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/text_internal.h"
#include "util/mem.h"

#define MAX_TCO_SLUG_LENGTH	40	/* t.co slugs: Extractor::MAX_TCO_SLUG_LENGTH */

/* [:valid_url_preceding_chars], its first alternative, with /i. */
static int
preceding_char(uint32_t c)
{
	if (text_ci_letter(c) || text_ascii_digit(c))
		return 0;
	return !(c == '@' || c == 0xFF20 || c == '$' || c == '#' || c == 0xFF03 ||
	    text_twitter_invalid(c));
}

/* Mastodon's [:valid_general_url_path_chars]: /[^\p{White_Space}<>()?]/ */
static int
path_char(uint32_t c)
{
	return !(c == '<' || c == '>' || c == '(' || c == ')' || c == '?' || text_is_space(c));
}

/* Mastodon's [:valid_url_path_ending_chars], its character class. */
static int
path_end_char(uint32_t c)
{
	static const char excluded[] = "()?!*\"'<>;:=,.$%[]~&|@";

	if (c < 0x80)
		return c > 0x20 && c != 0x7F ? strchr(excluded, (int)c) == NULL :
		    !text_is_space(c);
	return !(c == 0x300C || c == 0x300D || text_is_space(c));	/* 「 」 */
}

/*
 * twitter-text's own [:valid_general_url_path_chars], with /i. Mastodon
 * redefines it, but its [:valid_url_path_ending_chars] is built before
 * it redefines [:valid_url_balanced_parens], so the parentheses that may
 * end a path are still twitter-text's, over these characters.
 */
static int
old_path_char(uint32_t c)
{
	static const char punct[] = "!*';:=+,.$/%#[]_~&|@";

	if (text_ci_letter(c) || text_ascii_digit(c))
		return 1;
	if (c < 0x80)
		return (c != 0 && strchr(punct, (int)c) != NULL) || c == '-';
	return text_is_cyrillic(c) || text_is_dash(c) || text_is_latin_accent(c);
}

static const uint32_t uchars[][2] = {
	{0xA0, 0xD7FF}, {0xF900, 0xFDCF}, {0xFDF0, 0xFFEF}, {0x10000, 0x1FFFD},
	{0x20000, 0x2FFFD}, {0x30000, 0x3FFFD}, {0x40000, 0x4FFFD}, {0x50000, 0x5FFFD},
	{0x60000, 0x6FFFD}, {0x70000, 0x7FFFD}, {0x80000, 0x8FFFD}, {0x90000, 0x9FFFD},
	{0xA0000, 0xAFFFD}, {0xB0000, 0xBFFFD}, {0xC0000, 0xCFFFD}, {0xD0000, 0xDFFFD},
	{0xE1000, 0xEFFFD}, {0xE000, 0xF8FF}, {0xF0000, 0xFFFFD}, {0x100000, 0x10FFFD},
};

/* Mastodon's UCHARS: what RFC 3987 adds to queries. */
static int
uchar(uint32_t c)
{
	for (size_t i = 0; i < sizeof(uchars) / sizeof(uchars[0]); i++)
		if (c >= uchars[i][0] && c <= uchars[i][1])
			return 1;
	return 0;
}

/* A class of [a-z0-9 ... UCHARS]/i, the ASCII punctuation in it being punct. */
static int
query_class(uint32_t c, const char *punct)
{
	if (text_ci_letter(c) || text_ascii_digit(c))
		return 1;
	if (c < 0x80)
		return c != 0 && strchr(punct, (int)c) != NULL;
	return uchar(c);
}

/* Mastodon's [:valid_url_query_chars] */
static int
query_char(uint32_t c)
{
	return query_class(c, "!?*'();:&=+$/%#[]-_.,~|@^");
}

/* Mastodon's [:valid_url_query_ending_chars] */
static int
query_end_char(uint32_t c)
{
	return query_class(c, "_&=#/-");
}

/* ---- paths and queries -------------------------------------------------- */

static size_t
run(const struct text_src *s, size_t p, int (*cls)(uint32_t))
{
	while (p < s->n && cls(s->cp[p]))
		p++;
	return p;
}

/*
 * [:valid_url_balanced_parens] at p over the characters cls: "(x)" or
 * "(x(y)z)". Each run is maximal and the character after it decides, so
 * there is at most one match. Returns its end, or -1.
 */
static long
parens_at(const struct text_src *s, size_t p, int (*cls)(uint32_t))
{
	size_t q, r, t;

	if (text_at(s, p) != '(')
		return -1;
	q = run(s, p + 1, cls);
	if (q > p + 1 && text_at(s, q) == ')')
		return (long)q + 1;
	if (text_at(s, q) != '(')
		return -1;
	r = run(s, q + 1, cls);
	if (r == q + 1 || text_at(s, r) != ')')
		return -1;
	t = run(s, r + 1, cls);
	return text_at(s, t) == ')' ? (long)t + 1 : -1;
}

/* [:valid_url_path_ending_chars] at p: its end, or -1. */
static long
ending_at(const struct text_src *s, size_t p)
{
	if (p < s->n && path_end_char(s->cp[p]))
		return (long)p + 1;
	return parens_at(s, p, old_path_char);
}

/* The end of the last path-ending character in [from, to), or -1. */
static long
last_ending(const struct text_src *s, size_t from, size_t to)
{
	while (to > from) {
		to--;
		if (path_end_char(s->cp[to]))
			return (long)to + 1;
	}
	return -1;
}

struct level {
	size_t	open;	/* where the parentheses start */
	size_t	after;	/* where they end */
	size_t	end;	/* where the path characters after them end */
};

/*
 * One [:valid_url_path] at p, which Mastodon makes
 *   G* (B G*)* E  |  G+ /
 * (G the path characters, B balanced parentheses over G, E an ending
 * character or twitter-text's parentheses). G excludes parentheses, so
 * the runs and the parentheses between them form one chain; the engine
 * tries the longest chain first and gives back from its end: an ending at
 * the end of the chain, else the last ending character of each run, else
 * twitter-text's parentheses where the run before it ends. The second
 * alternative never matches where the first fails: '/' is an ending
 * character. Returns the end of the match, or -1.
 */
static long
path_part(const struct text_src *s, size_t p)
{
	struct level	*lv = NULL;
	size_t		 n = 0, cap = 0, first_end, q;
	long		 b, r;

	first_end = q = run(s, p, path_char);
	while ((b = parens_at(s, q, path_char)) >= 0) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			lv = xrealloc(lv, cap * sizeof(*lv));
		}
		lv[n].open = q;
		lv[n].after = (size_t)b;
		lv[n].end = q = run(s, (size_t)b, path_char);
		n++;
	}
	if ((r = ending_at(s, q)) >= 0)
		goto out;
	while (n > 0) {
		n--;
		if ((r = last_ending(s, lv[n].after, lv[n].end)) >= 0 ||
		    (r = ending_at(s, lv[n].open)) >= 0)
			goto out;
	}
	r = last_ending(s, p, first_end);
out:
	free(lv);
	return r;
}

/*
 * (\?[:valid_url_query_chars]*[:valid_url_query_ending_chars])? at p:
 * the greedy run gives back characters until one may end the query.
 * Returns where the query ends, or p without one.
 */
static size_t
query_at(const struct text_src *s, size_t p)
{
	size_t end;

	if (text_at(s, p) != '?')
		return p;
	end = run(s, p + 1, query_char);
	while (end > p + 1 && !query_end_char(s->cp[end - 1]))
		end--;
	return end > p + 1 ? end : p;
}

/* (/[:valid_url_path]*)? and the query from p: where they end. */
static size_t
path_and_query(const struct text_src *s, size_t p)
{
	long r;

	if (text_at(s, p) == '/') {
		p++;
		while ((r = path_part(s, p)) > (long)p)
			p = (size_t)r;
	}
	return query_at(s, p);
}

/* ---- links ---------------------------------------------------------------- */

static int
digit_char(uint32_t c)
{
	return text_ascii_digit(c);
}

static const char *const protocols[] = {
	"https://", "http://", "dat://", "dweb://", "ipfs://", "ipns://", "ssb://", "gopher://",
	"gemini://",
};

struct url_match {
	size_t	end;			/* the end of the link, group 3 */
	size_t	domain, domain_end;	/* group 5 */
	int	protocol;		/* group 4 matched */
};

/* Group 3 of [:valid_url] at u: 0, or -1 when none starts there. */
static int
url_at(struct text_src *s, size_t u, struct url_match *m)
{
	long	d = -1;
	size_t	p;

	m->protocol = 0;
	for (size_t i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
		if (text_ci_literal(s, u, protocols[i])) {
			m->domain = u + strlen(protocols[i]);
			m->protocol = (d = text_domain_at(s, m->domain)) >= 0;
			break;
		}
	if (!m->protocol) {
		m->domain = u;
		if ((d = text_domain_at(s, u)) < 0)
			return -1;
	}
	m->domain_end = p = (size_t)d;
	if (text_at(s, p) == ':' && text_ascii_digit(text_at(s, p + 1)))
		p = run(s, p + 1, digit_char);
	m->end = path_and_query(s, p);
	return 0;
}

/*
 * Extractor.extract_urls_with_indices(text, extract_url_without_protocol:
 * false): String#scan with [:valid_url], whose group 2 takes the character
 * before the link (or matches at the start of a line). Matches without a
 * protocol are dropped, but the scan still goes on after them.
 */
void
text_find_urls(struct text_src *s, struct text_ents *out)
{
	for (size_t i = 0; i < s->n;) {
		struct url_match	m;
		struct text_entity	e;
		size_t			start;

		if (preceding_char(s->cp[i]) && url_at(s, i + 1, &m) == 0)
			start = i + 1;
		else if ((i == 0 || s->cp[i - 1] == '\n') && url_at(s, i, &m) == 0)
			start = i;
		else {
			i++;
			continue;
		}
		i = m.end > i ? m.end : i + 1;
		if (!m.protocol)
			continue;
		/* t.co links keep their slug only, and a long slug is no link. */
		if (text_ci_literal(s, start, "https://t.co/") || text_ci_literal(s, start, "http://t.co/")) {
			size_t slug = start + (text_fold(s->cp[start + 4]) == 's' ? 13 : 12);
			size_t end = slug;

			while (end < m.end && (text_ci_letter(s->cp[end]) || text_ascii_digit(s->cp[end])))
				end++;
			if (end > slug) {
				if (end - slug > MAX_TCO_SLUG_LENGTH)
					continue;
				m.end = end;
			}
		}
		if (!text_valid_domain(s, m.domain, m.domain_end, m.end - start))
			continue;
		memset(&e, 0, sizeof(e));
		e.type = TEXT_URL;
		e.start = e.vstart = start;
		e.end = e.vend = m.end;
		text_ents_add(out, &e);
	}
}

/* ---- xmpp: and magnet: ---------------------------------------------------- */

/* [:validate_url_unreserved]: /[a-z\p{Cyrillic}0-9\p{Pd}._~]/i */
static int
unreserved(uint32_t c)
{
	return text_ci_letter(c) || text_ascii_digit(c) || text_is_cyrillic(c) || text_is_dash(c) ||
	    c == '.' || c == '_' || c == '~';
}

static int
hex(uint32_t c)
{
	return text_ascii_digit(c) || (text_fold(c) >= 'a' && text_fold(c) <= 'f');
}

/* A run of unreserved, pct-encoded and the characters of also, from p. */
static size_t
token_run(const struct text_src *s, size_t p, const char *also)
{
	for (;;) {
		uint32_t c = text_at(s, p);

		if (unreserved(c) || (c != 0 && c < 0x80 && strchr(also, (int)c) != NULL))
			p++;
		else if (c == '%' && hex(text_at(s, p + 1)) && hex(text_at(s, p + 2)))
			p += 3;
		else
			return p;
	}
}

#define NODEID_ALSO	"!$()*+,;="	/* [:validate_nodeid] */
#define RESID_ALSO	"!$&'()*+,;="	/* [:validate_resid] */

/* After the authority (or without one): user@, domain, /resource, ?query. */
static long
xmpp_tail(struct text_src *s, size_t p)
{
	size_t	q = token_run(s, p, NODEID_ALSO), r;
	long	d = -1;

	if (q > p && text_at(s, q) == '@')
		d = text_domain_at(s, q + 1);
	if (d < 0 && (d = text_domain_at(s, p)) < 0)
		return -1;
	if (text_at(s, (size_t)d) == '/' && (r = token_run(s, (size_t)d + 1, RESID_ALSO)) > (size_t)d + 1)
		d = (long)r;
	return (long)query_at(s, (size_t)d);
}

struct authority {
	long	end;	/* the end of the whole URI */
};

static int
want_authority(struct text_src *s, long end, void *arg)
{
	struct authority *a = arg;

	if (text_at(s, (size_t)end) != '/')
		return 0;
	a->end = xmpp_tail(s, (size_t)end + 1);
	return a->end >= 0;
}

static long
xmpp_at(struct text_src *s, size_t u)
{
	size_t p = u + 5, q;

	if (!text_ci_literal(s, u, "xmpp:"))
		return -1;
	if (text_at(s, p) == '/' && text_at(s, p + 1) == '/' &&
	    (q = token_run(s, p + 2, NODEID_ALSO)) > p + 2 && text_at(s, q) == '@') {
		struct authority a = { -1 };

		if (text_domain_then(s, q + 1, want_authority, &a) >= 0)
			return a.end;
	}
	return xmpp_tail(s, p);
}

static long
magnet_at(const struct text_src *s, size_t u)
{
	size_t end;

	if (!text_ci_literal(s, u, "magnet:") || (end = query_at(s, u + 7)) == u + 7)
		return -1;
	return (long)end;
}

static long
extra_uri_at(struct text_src *s, size_t u)
{
	long end = xmpp_at(s, u);

	return end >= 0 ? end : magnet_at(s, u);
}

void
text_find_extra_uris(struct text_src *s, struct text_ents *out)
{
	for (size_t i = 0; i < s->n;) {
		struct text_entity	e;
		long			end;
		size_t			start;

		if (preceding_char(s->cp[i]) && (end = extra_uri_at(s, i + 1)) >= 0)
			start = i + 1;
		else if ((i == 0 || s->cp[i - 1] == '\n') && (end = extra_uri_at(s, i)) >= 0)
			start = i;
		else {
			i++;
			continue;
		}
		memset(&e, 0, sizeof(e));
		e.type = TEXT_URL;
		e.start = e.vstart = start;
		e.end = e.vend = (size_t)end;
		text_ents_add(out, &e);
		i = (size_t)end;
	}
}

/*
 * Addressable::URI#validate refuses a host with any of <>{}/\?#@" or
 * white space. Of those only the backslash gets through the patterns.
 * The host is what follows "scheme://" up to '/', '?' or '#', less
 * "userinfo@" and ":port".
 */
int
text_url_unparsable(const struct text_src *s, size_t start, size_t end)
{
	size_t p = start, host, stop, last;

	while (p < end && s->cp[p] != ':')
		p++;
	if (p + 2 >= end || s->cp[p + 1] != '/' || s->cp[p + 2] != '/')
		return 0;
	host = stop = p + 3;
	while (stop < end && s->cp[stop] != '/' && s->cp[stop] != '?' && s->cp[stop] != '#')
		stop++;
	for (size_t i = host; i < stop; i++)
		if (s->cp[i] == '@')
			host = i + 1;
	last = stop;
	for (size_t i = stop; i > host; i--)
		if (s->cp[i - 1] == ':') {
			last = i - 1;
			break;
		}
	for (size_t i = host; i < last; i++)
		if (s->cp[i] == '\\' || s->cp[i] == '<' || s->cp[i] == '>' || s->cp[i] == '{' ||
		    s->cp[i] == '}' || s->cp[i] == '"' || text_is_space(s->cp[i]))
			return 1;
	return 0;
}
