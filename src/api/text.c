/*
 * The text of a new post, scanned, rewritten and formatted: see text.h.
 * The patterns live in text_url.c and text_match.c; this file decodes
 * the text, puts the entities together as Extractor and
 * StatusLengthValidator do, and writes the markup of TextFormatter and
 * simple_format.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/text.h"
#include "api/text_internal.h"
#include "util/mem.h"
#include "util/str.h"

/* The link markup of Mastodon 4.3's TextFormatter.shortened_link. */
#define LINK_REL	"nofollow noopener noreferrer"
#define LINK_PREFIX_MAX	30	/* characters shown before the ellipsis */

struct decoded {
	struct text_src	 src;
	uint32_t	*cp;	/* owned; src.cp */
	size_t		*off;	/* owned; byte offset of each code point, and the length */
};

static void
decoded_cleanup(struct decoded *d)
{
	free(d->cp);
	free(d->off);
	free(d->src.domain_memo);
	free(d->src.chain);
	free(d->src.run_end);
	free(d->src.run_underscore);
	memset(d, 0, sizeof(*d));
}

/* Well-formed UTF-8 only (RFC 3629): no overlong forms, surrogates or code points past U+10FFFF. */
static int
decode(const char *text, size_t len, struct decoded *d)
{
	const unsigned char	*s = (const unsigned char *)text;
	size_t			 i = 0, n = 0;

	memset(d, 0, sizeof(*d));
	d->cp = xmalloc((len + 1) * sizeof(d->cp[0]));
	d->off = xmalloc((len + 1) * sizeof(d->off[0]));
	while (i < len) {
		uint32_t	c = s[i], min;
		size_t		k;

		if (c < 0x80) {
			k = 0;
			min = 0;
		} else if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
			c &= 0x1F;
			min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			c &= 0x0F;
			min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			c &= 0x07;
			min = 0x10000;
		} else
			goto fail;
		if (len - i <= k)
			goto fail;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				goto fail;
			c = c << 6 | (s[i + j] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			goto fail;
		d->off[n] = i;
		d->cp[n++] = c;
		i += k + 1;
	}
	d->off[n] = len;
	d->src.cp = d->cp;
	d->src.n = n;
	return 0;
fail:
	decoded_cleanup(d);
	return -1;
}

static const char *
decode_text(const char *text, struct decoded *d)
{
	size_t len;

	memset(d, 0, sizeof(*d));
	if (text == NULL)
		return "no text";
	if ((len = strnlen(text, API_TEXT_MAX_BYTES + 1)) > API_TEXT_MAX_BYTES)
		return "text too long";
	if (decode(text, len, d) == -1)
		return "invalid UTF-8";
	return NULL;
}

/*
 * Extractor.extract_entities_with_indices: links, hashtags, mentions and
 * the extra URIs, overlapping ones removed. The same, with links and
 * mentions only, is what StatusLengthValidator counts (links_mentions).
 */
static void
find_entities(struct text_src *s, int links_mentions, struct text_ents *out)
{
	struct text_ents mentions = { 0 };

	text_find_urls(s, out);
	if (!links_mentions)
		text_find_hashtags(s, out);
	text_find_mentions(s, &mentions);
	for (size_t i = 0; i < mentions.n; i++)
		if (!mentions.v[i].skip)
			text_ents_add(out, &mentions.v[i]);
	text_ents_cleanup(&mentions);
	if (!links_mentions)
		text_find_extra_uris(s, out);
	text_remove_overlaps(out);
}

static char *
dup_span(const char *text, const struct decoded *d, size_t from, size_t to)
{
	return xstrndup(text + d->off[from], d->off[to] - d->off[from]);
}

/* ---- scan ------------------------------------------------------------------ */

int
api_text_scan(const char *text, struct api_text_scan *out, const char **why)
{
	struct decoded		 d;
	struct text_ents	 ents = { 0 }, mentions = { 0 };
	const char		*reason;

	memset(out, 0, sizeof(*out));
	if ((reason = decode_text(text, &d)) != NULL) {
		if (why != NULL)
			*why = reason;
		return -1;
	}
	find_entities(&d.src, 0, &ents);
	out->entities = xcalloc(ents.n ? ents.n : 1, sizeof(out->entities[0]));
	for (size_t i = 0; i < ents.n; i++) {
		const struct text_entity	*e = &ents.v[i];
		struct api_text_entity		*o = &out->entities[out->nentities++];

		o->type = e->type == TEXT_URL ? API_TEXT_URL :
		    e->type == TEXT_HASHTAG ? API_TEXT_HASHTAG : API_TEXT_MENTION;
		o->start = d.off[e->start];
		o->end = d.off[e->end];
		o->cp_start = e->start;
		o->cp_end = e->end;
		o->value = dup_span(text, &d, e->vstart, e->vend);
	}
	text_find_mentions(&d.src, &mentions);
	out->mentions = xcalloc(mentions.n ? mentions.n : 1, sizeof(out->mentions[0]));
	for (size_t i = 0; i < mentions.n; i++) {
		const struct text_entity	*e = &mentions.v[i];
		struct api_text_mention		*m = &out->mentions[out->nmentions++];

		m->start = d.off[e->start];
		m->end = d.off[e->end];
		m->username = dup_span(text, &d, e->vstart, e->at);
		m->domain = e->at < e->vend ? dup_span(text, &d, e->at + 1, e->vend) : NULL;
	}
	text_ents_cleanup(&ents);
	text_ents_cleanup(&mentions);
	decoded_cleanup(&d);
	return 0;
}

void
api_text_scan_cleanup(struct api_text_scan *out)
{
	if (out == NULL)
		return;
	for (size_t i = 0; i < out->nentities; i++)
		free(out->entities[i].value);
	for (size_t i = 0; i < out->nmentions; i++) {
		free(out->mentions[i].username);
		free(out->mentions[i].domain);
	}
	free(out->entities);
	free(out->mentions);
	memset(out, 0, sizeof(*out));
}

/* ---- rewriting ------------------------------------------------------------- */

/*
 * ProcessMentionsService: each mention that resolved becomes "@acct";
 * then Status#prepare_contents strips the text (Ruby's String#strip:
 * ASCII white space). Returns new text, or NULL when scan does not fit it.
 */
static char *
rewrite(const char *text, const struct api_text_scan *scan,
    const struct api_text_account *const *resolved)
{
	struct buf	 b;
	size_t		 len = strlen(text), from = 0;
	char		*s;

	buf_init(&b, 0);
	for (size_t i = 0; i < scan->nmentions; i++) {
		const struct api_text_mention	*m = &scan->mentions[i];
		const struct api_text_account	*a = resolved != NULL ? resolved[i] : NULL;

		if (m->start < from || m->end > len || m->start >= m->end || text[m->start] != '@') {
			buf_cleanup(&b);
			return NULL;
		}
		if (a == NULL || a->username == NULL)
			continue;
		buf_append(&b, text + from, m->start - from);
		buf_printf(&b, "@%s%s%s", a->username, a->domain != NULL ? "@" : "",
		    a->domain != NULL ? a->domain : "");
		from = m->end;
	}
	buf_append(&b, text + from, len - from);
	s = buf_take(&b);
	return str_trim(s);
}

/* ---- HTML ------------------------------------------------------------------ */

/* ERB::Util.html_escape */
static void
escape(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		switch (s[i]) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&#39;");
			break;
		default:
			buf_append(b, s + i, 1);
		}
}

static void
escape_str(struct buf *b, const char *s)
{
	escape(b, s, strlen(s));
}

/*
 * String#squish on the markup of one entity (TextFormatter builds each
 * from a <<~HTML.squish heredoc): runs of Unicode white space become one
 * space. A link's query may hold U+00A0 and its kin.
 */
static void
put_squished(struct buf *out, const char *html)
{
	struct decoded	d;
	size_t		len = strlen(html);
	int		space = 0, started = 0;

	if (decode(html, len, &d) == -1) {	/* cannot happen: built from valid UTF-8 */
		buf_puts(out, html);
		return;
	}
	for (size_t i = 0; i < d.src.n; i++) {
		if (text_is_space(d.cp[i])) {
			space = 1;
			continue;
		}
		if (space && started)
			buf_puts(out, " ");
		space = 0;
		started = 1;
		buf_append(out, html + d.off[i], d.off[i + 1] - d.off[i]);
	}
	decoded_cleanup(&d);
}

/*
 * TextFormatter.shortened_link: "https://www." (or "http://", "xmpp:")
 * hidden, the next 30 characters shown, the rest hidden with an ellipsis.
 * URL_PREFIX_REGEX is case-sensitive. A host Addressable would refuse
 * leaves the link as text.
 */
static void
put_link(struct buf *out, const char *text, const struct decoded *d,
    const struct text_entity *e)
{
	static const char *const prefixes[] = { "https://www.", "http://www.", "https://",
		"http://", "xmpp:" };
	const char	*url = text + d->off[e->start];
	size_t		 url_len = d->off[e->end] - d->off[e->start], plen = 0, pcp = 0;
	size_t		 shown_end, cut;
	struct buf	 b;
	char		*html;

	if (text_url_unparsable(&d->src, e->start, e->end)) {
		escape(out, url, url_len);
		return;
	}
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (url_len >= strlen(prefixes[i]) &&
		    strncmp(url, prefixes[i], strlen(prefixes[i])) == 0) {
			plen = pcp = strlen(prefixes[i]);
			break;
		}
	cut = e->end - e->start - pcp > LINK_PREFIX_MAX;
	shown_end = cut ? e->start + pcp + LINK_PREFIX_MAX : e->end;
	buf_init(&b, 0);
	buf_puts(&b, "<a href=\"");
	escape(&b, url, url_len);
	buf_puts(&b, "\" target=\"_blank\" rel=\"" LINK_REL "\" translate=\"no\">"
	    "<span class=\"invisible\">");
	escape(&b, url, plen);
	buf_printf(&b, "</span><span class=\"%s\">", cut ? "ellipsis" : "");
	escape(&b, url + plen, d->off[shown_end] - d->off[e->start] - plen);
	buf_puts(&b, "</span><span class=\"invisible\">");
	escape(&b, text + d->off[shown_end], d->off[e->end] - d->off[shown_end]);
	buf_puts(&b, "</span></a>");
	html = buf_take(&b);
	put_squished(out, html);
	free(html);
}

/* Journey::Router::Utils.escape_segment: all but unreserved, sub-delims, ':' and '@'. */
static void
put_segment(struct buf *b, const char *s, size_t n)
{
	static const char keep[] = "-._~!$&'()*+,;=:@";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    (c != 0 && strchr(keep, c) != NULL))
			buf_append(b, s + i, 1);
		else
			buf_printf(b, "%%%02X", c);
	}
}

static void
put_hashtag(struct buf *out, const char *text, const struct decoded *d,
    const struct text_entity *e, const struct api_text_options *opts)
{
	const char	*name = text + d->off[e->vstart];
	size_t		 len = d->off[e->vend] - d->off[e->vstart];
	struct buf	 url, b;
	char		*s, *html;

	buf_init(&url, 0);
	buf_printf(&url, "%s/tags/", opts != NULL && opts->base_url != NULL ? opts->base_url : "");
	put_segment(&url, name, len);
	s = buf_take(&url);
	buf_init(&b, 0);
	buf_puts(&b, "<a href=\"");
	escape_str(&b, s);
	buf_puts(&b, "\" class=\"mention hashtag\" rel=\"tag\">#<span>");
	escape(&b, name, len);
	buf_puts(&b, "</span></a>");
	html = buf_take(&b);
	put_squished(out, html);
	free(html);
	free(s);
}

/* casecmp of a span of the text with a string: ASCII letters only fold. */
static int
span_casecmp(const char *s, size_t n, const char *t)
{
	return t != NULL && strlen(t) == n && strncasecmp(s, t, n) == 0;
}

/*
 * TextFormatter#link_to_mention with preloaded accounts (the author and
 * those mentioned): the account whose username and domain match, shown
 * with its domain when another preloaded account has the same username;
 * none, and the mention stays text.
 */
static void
put_mention(struct buf *out, const char *text, const struct decoded *d,
    const struct text_entity *e, const struct api_text_account *const *accounts, size_t naccounts,
    const struct api_text_options *opts)
{
	const char			*user = text + d->off[e->vstart], *domain = NULL;
	size_t				 ulen = d->off[e->at] - d->off[e->vstart], dlen = 0;
	const struct api_text_account	*found = NULL;
	size_t				 same_username = 0;
	struct buf			 b;
	char				*html;

	if (e->at < e->vend) {
		domain = text + d->off[e->at + 1];
		dlen = d->off[e->vend] - d->off[e->at + 1];
		if (opts != NULL && span_casecmp(domain, dlen, opts->local_domain))
			domain = NULL;
	}
	for (size_t i = 0; i < naccounts; i++) {
		const struct api_text_account	*a = accounts[i];
		int				 same_domain;

		if (!span_casecmp(user, ulen, a->username))
			continue;
		same_domain = a->domain == NULL ? domain == NULL :
		    domain != NULL && span_casecmp(domain, dlen, a->domain);
		if (same_domain)
			found = a;
		else
			same_username++;
	}
	if (found == NULL) {
		buf_puts(out, "@");
		escape(out, text + d->off[e->vstart], d->off[e->vend] - d->off[e->vstart]);
		return;
	}
	buf_init(&b, 0);
	buf_puts(&b, "<span class=\"h-card\" translate=\"no\"><a href=\"");
	escape_str(&b, found->url != NULL ? found->url : "");
	buf_puts(&b, "\" class=\"u-url mention\">@<span>");
	escape_str(&b, found->username);
	if (same_username > 0 && found->domain != NULL) {
		buf_puts(&b, "@");
		escape_str(&b, found->display_domain != NULL ? found->display_domain : found->domain);
	}
	buf_puts(&b, "</span></a></span>");
	html = buf_take(&b);
	put_squished(out, html);
	free(html);
}

/*
 * simple_format(html, {}, sanitize: false).delete("\n"): CR LF and CR
 * become LF, runs of two or more LF split paragraphs (a leading empty one
 * is kept, trailing ones are dropped, as String#split does), a LF between
 * two other characters becomes <br />, and every LF goes.
 */
static char *
paragraphs(const char *html)
{
	struct buf	 b;
	char		*s = xstrdup(html), *w = s;
	size_t		 n, start = 0, last = 0;

	for (const char *r = s; *r != '\0'; r++)	/* \r\n? -> \n */
		if (*r == '\r') {
			*w++ = '\n';
			if (r[1] == '\n')
				r++;
		} else
			*w++ = *r;
	*w = '\0';
	n = (size_t)(w - s);
	/* Where the text ends once trailing empty paragraphs are dropped. */
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\n')
			last = i + 1;
	buf_init(&b, 0);
	if (last == 0) {
		buf_puts(&b, "<p></p>");
		goto out;
	}
	while (start <= last) {
		size_t end = start, next;

		while (end < last && !(s[end] == '\n' && end + 1 < n && s[end + 1] == '\n'))
			end++;
		buf_puts(&b, "<p>");
		for (size_t i = start; i < end; i++)
			if (s[i] != '\n')
				buf_append(&b, s + i, 1);
			else if (i > start && i + 1 < end)
				buf_puts(&b, "<br />");
		buf_puts(&b, "</p>");
		for (next = end; next < n && s[next] == '\n'; next++)
			;
		if (end >= last)
			break;
		start = next;
	}
out:
	free(s);
	return buf_take(&b);
}

/* ActiveSupport's blank?: nothing but Unicode white space. */
static int
blank(const struct text_src *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (!text_is_space(s->cp[i]))
			return 0;
	return 1;
}

/* TextFormatter#to_s */
static char *
format(const char *text, struct decoded *d, const struct api_text_account *const *accounts,
    size_t naccounts, const struct api_text_options *opts)
{
	struct text_ents	 ents = { 0 };
	struct buf		 b;
	size_t			 from = 0;
	char			*html, *p;

	if (blank(&d->src))
		return xstrdup("");
	find_entities(&d->src, 0, &ents);
	buf_init(&b, 0);
	for (size_t i = 0; i < ents.n; i++) {
		const struct text_entity *e = &ents.v[i];

		escape(&b, text + d->off[from], d->off[e->start] - d->off[from]);
		if (e->type == TEXT_URL)
			put_link(&b, text, d, e);
		else if (e->type == TEXT_HASHTAG)
			put_hashtag(&b, text, d, e, opts);
		else
			put_mention(&b, text, d, e, accounts, naccounts, opts);
		from = e->end;
	}
	escape(&b, text + d->off[from], d->off[d->src.n] - d->off[from]);
	text_ents_cleanup(&ents);
	html = buf_take(&b);
	p = paragraphs(html);
	free(html);
	return p;
}

/*
 * ProcessHashtagsService's Extractor.extract_hashtags: every hashtag,
 * inside links too; one per name without regard to ASCII case.
 */
static void
collect_tags(const char *text, const struct decoded *d, struct api_text_result *out)
{
	struct text_ents tags = { 0 };

	text_find_hashtags(&d->src, &tags);
	out->tags = xcalloc(tags.n ? tags.n : 1, sizeof(out->tags[0]));
	for (size_t i = 0; i < tags.n; i++) {
		const char	*name = text + d->off[tags.v[i].vstart];
		size_t		 len = d->off[tags.v[i].vend] - d->off[tags.v[i].vstart];
		int		 seen = 0;

		for (size_t j = 0; j < out->ntags && !seen; j++)
			seen = span_casecmp(name, len, out->tags[j]);
		if (!seen)
			out->tags[out->ntags++] = xstrndup(name, len);
	}
	text_ents_cleanup(&tags);
}

/* Whether scan lists the mentions of text, so that rewriting it is sound. */
static int
scanned(const char *text, const struct api_text_scan *scan)
{
	struct decoded		d;
	struct text_ents	mentions = { 0 };
	int			ok;

	if (decode_text(text, &d) != NULL)
		return 0;
	text_find_mentions(&d.src, &mentions);
	ok = mentions.n == scan->nmentions;
	for (size_t i = 0; ok && i < mentions.n; i++)
		ok = d.off[mentions.v[i].start] == scan->mentions[i].start &&
		    d.off[mentions.v[i].end] == scan->mentions[i].end;
	text_ents_cleanup(&mentions);
	decoded_cleanup(&d);
	return ok;
}

int
api_text_render(const char *text, const struct api_text_scan *scan,
    const struct api_text_account *const *resolved, const struct api_text_options *opts,
    struct api_text_result *out)
{
	const struct api_text_account	**accounts = NULL;
	size_t				  naccounts = 0;
	struct decoded			  d;
	int				  rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&d, 0, sizeof(d));
	if (text == NULL || scan == NULL || !scanned(text, scan))
		goto out;
	if ((out->text = rewrite(text, scan, resolved)) == NULL ||
	    decode_text(out->text, &d) != NULL)
		goto out;
	accounts = xcalloc(scan->nmentions + 1, sizeof(accounts[0]));
	if (opts != NULL && opts->author != NULL && opts->author->username != NULL)
		accounts[naccounts++] = opts->author;
	for (size_t i = 0; resolved != NULL && i < scan->nmentions; i++)
		if (resolved[i] != NULL && resolved[i]->username != NULL)
			accounts[naccounts++] = resolved[i];
	out->html = format(out->text, &d, accounts, naccounts, opts);
	collect_tags(out->text, &d, out);
	rc = 0;
out:
	if (rc == -1)
		api_text_result_cleanup(out);
	free(accounts);
	decoded_cleanup(&d);
	return rc;
}

void
api_text_result_cleanup(struct api_text_result *out)
{
	if (out == NULL)
		return;
	for (size_t i = 0; i < out->ntags; i++)
		free(out->tags[i]);
	free(out->tags);
	free(out->text);
	free(out->html);
	memset(out, 0, sizeof(*out));
}

/* ---- length ---------------------------------------------------------------- */

size_t
api_text_length(const char *spoiler, const char *text)
{
	struct decoded		 d;
	struct text_ents	 ents = { 0 };
	struct buf		 b;
	size_t			 from = 0, count = (size_t)-1;
	char			*countable;

	if (decode_text(text != NULL ? text : "", &d) != NULL)
		return (size_t)-1;
	buf_init(&b, 0);
	buf_puts(&b, spoiler != NULL ? spoiler : "");
	/* StatusLengthValidator#countable_text */
	if (!blank(&d.src)) {
		find_entities(&d.src, 1, &ents);
		for (size_t i = 0; i < ents.n; i++) {
			const struct text_entity *e = &ents.v[i];

			buf_append(&b, text + d.off[from], d.off[e->start] - d.off[from]);
			if (e->type == TEXT_URL)
				for (size_t k = 0; k < API_TEXT_URL_CHARS; k++)
					buf_puts(&b, "x");
			else
				buf_append(&b, text + d.off[e->start], d.off[e->at] - d.off[e->start]);
			from = e->end;
		}
		buf_append(&b, text + d.off[from], d.off[d.src.n] - d.off[from]);
		text_ents_cleanup(&ents);
	}
	decoded_cleanup(&d);
	countable = buf_take(&b);
	if (strlen(countable) <= 2 * API_TEXT_MAX_BYTES &&
	    decode(countable, strlen(countable), &d) == 0) {
		count = text_graphemes(d.cp, d.src.n);
		decoded_cleanup(&d);
	}
	free(countable);
	return count;
}
