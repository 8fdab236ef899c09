/*
 * Mastodon's strict allowlist over a gumbo tree: see sanitize.h. Each rule
 * follows lib/sanitize_ext/sanitize_config.rb (MASTODON_STRICT and its
 * transformers) and the Sanitize gem it configures (default remove_contents
 * and whitespace_elements; Sanitize::REGEX_PROTOCOL).
 *
 * We write the HTML ourselves rather than through a serialiser: only
 * allowed elements and escaped text come out, so no parser can read the
 * output as anything else (mutation XSS needs raw text or foreign content,
 * and neither survives). The output must also parse back into the tree we
 * wrote, or sanitising twice would differ. A tree from the parser can
 * still hold shapes its own serialisation does not give back once we have
 * unwrapped elements (a <p> in a <p> that sat behind a <button>, an <a> in
 * an <a> behind a <marquee>); fits() unwraps those, following the tree
 * construction rules of WHATWG HTML §13.2.6.4.7 for the start tags we
 * write.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ap/sanitize.h"
#include "ap/sanitize_internal.h"
#include "util/mem.h"

struct san_frame {
	const GumboNode	*node;		/* the element that opened this frame */
	GumboTag	 tag;		/* the element written */
	int		 space_after;	/* a <p> that was not written: " " after */
};

struct san {
	struct buf		 out;
	struct san_frame	 stack[AP_SANITIZE_MAX_DEPTH];
	size_t			 depth;
	size_t			 pre_end;	/* out.len right after "<pre>", or SIZE_MAX */
};

/* Mastodon's LINK_PROTOCOLS; anything else, relative URLs too, is no link. */
static const char *const link_protocols[] = {
	"http", "https", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "xmpp",
	"magnet", "gemini",
};

static int
is_heading(GumboTag t)
{
	return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 ||
	    t == GUMBO_TAG_H4 || t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6;
}

/* MASTODON_STRICT's elements. */
static int
is_allowed(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_P:
	case GUMBO_TAG_BR:
	case GUMBO_TAG_SPAN:
	case GUMBO_TAG_A:
	case GUMBO_TAG_DEL:
	case GUMBO_TAG_S:
	case GUMBO_TAG_PRE:
	case GUMBO_TAG_BLOCKQUOTE:
	case GUMBO_TAG_CODE:
	case GUMBO_TAG_B:
	case GUMBO_TAG_STRONG:
	case GUMBO_TAG_U:
	case GUMBO_TAG_I:
	case GUMBO_TAG_EM:
	case GUMBO_TAG_UL:
	case GUMBO_TAG_OL:
	case GUMBO_TAG_LI:
	case GUMBO_TAG_RUBY:
	case GUMBO_TAG_RT:
	case GUMBO_TAG_RP:
		return 1;
	default:
		return 0;
	}
}

/*
 * The Sanitize gem's whitespace_elements: unwrapping one puts a space
 * before it and, when it had children, after, so "a<div>b</div>c" reads
 * "a b c".
 */
static int
is_spaced(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_ADDRESS:
	case GUMBO_TAG_ARTICLE:
	case GUMBO_TAG_ASIDE:
	case GUMBO_TAG_BLOCKQUOTE:
	case GUMBO_TAG_BR:
	case GUMBO_TAG_DD:
	case GUMBO_TAG_DIV:
	case GUMBO_TAG_DL:
	case GUMBO_TAG_DT:
	case GUMBO_TAG_FOOTER:
	case GUMBO_TAG_HEADER:
	case GUMBO_TAG_HGROUP:
	case GUMBO_TAG_HR:
	case GUMBO_TAG_LI:
	case GUMBO_TAG_NAV:
	case GUMBO_TAG_OL:
	case GUMBO_TAG_P:
	case GUMBO_TAG_PRE:
	case GUMBO_TAG_SECTION:
	case GUMBO_TAG_UL:
		return 1;
	default:
		return is_heading(t);
	}
}

/*
 * Text and attribute values: &, <, > (and " in values) escaped; CR as a
 * reference, as the parser turns a raw one into LF; unstable code points
 * and malformed UTF-8 as U+FFFD.
 */
/*
 * The first len bytes of str, which must be followed by a NUL or by ASCII
 * (a UTF-8 sequence is never cut: decoding stops at ASCII).
 */
static int
put_escaped(struct buf *b, const char *str, size_t len, int attr)
{
	const unsigned char	*s = (const unsigned char *)str, *run = s, *end = s + len;
	const char		*rep;
	uint32_t		 cp;
	size_t			 n;

	while (s < end) {
		n = san_utf8_decode(s, &cp);
		if (n == 0 || san_unstable_code_point(cp))
			rep = "\xEF\xBF\xBD";
		else if (cp == '&')
			rep = "&amp;";
		else if (cp == '<')
			rep = "&lt;";
		else if (cp == '>')
			rep = "&gt;";
		else if (cp == '\r')
			rep = "&#13;";
		else if (cp == '"' && attr)
			rep = "&quot;";
		else {
			s += n;
			continue;
		}
		if (buf_append(b, run, (size_t)(s - run)) == -1 || buf_puts(b, rep) == -1)
			return -1;
		s += n > 0 ? n : 1;
		run = s;
	}
	return buf_append(b, run, (size_t)(s - run));
}

static int
put_text(struct san *s, const char *text)
{
	/*
	 * The parser drops a newline right after <pre> (§13.2.6.4.7), so a
	 * text that starts with one needs a second to keep it.
	 */
	if (s->out.len == s->pre_end && text[0] == '\n' && buf_puts(&s->out, "\n") == -1)
		return -1;
	return put_escaped(&s->out, text, strlen(text), 0);
}

static int
put_attr(struct buf *b, const char *name, const char *value)
{
	if (buf_printf(b, " %s=\"", name) == -1 ||
	    put_escaped(b, value, strlen(value), 1) == -1)
		return -1;
	return buf_puts(b, "\"");
}

/*
 * Sanitize::REGEX_PROTOCOL on the decoded href, stricter: after leading
 * white space, the scheme runs to the first ':' and must be one of
 * LINK_PROTOCOLS (any case). "jav&#x09;ascript:", " javascript:",
 * "data:" and relative URLs all fail.
 */
static int
href_allowed(const char *href)
{
	const char	*colon;
	size_t		 n;

	if (href == NULL)
		return 0;
	/* Not \v (Ruby's \s has it): we write it as U+FFFD, so the next pass would refuse. */
	href += strspn(href, " \t\n\f\r");
	if ((colon = strchr(href, ':')) == NULL)
		return 0;
	n = (size_t)(colon - href);
	for (size_t i = 0; i < sizeof(link_protocols) / sizeof(link_protocols[0]); i++)
		if (strlen(link_protocols[i]) == n && strncasecmp(href, link_protocols[i], n) == 0)
			return 1;
	return 0;
}

/*
 * ALLOWED_CLASS_TRANSFORMER: microformats (h-, p-, u-, dt-, e-), mention,
 * hashtag, ellipsis, invisible and quote-inline survive. Written only
 * when one does (Mastodon would keep an empty class="").
 */
static int
put_class(struct buf *b, const char *value)
{
	static const char *const sep = " \t\n\f\r";
	static const char *const words[] = {
		"mention", "hashtag", "ellipsis", "invisible", "quote-inline",
	};
	static const char *const prefixes[] = { "h-", "p-", "u-", "dt-", "e-" };
	int first = 1;

	while (*(value += strspn(value, sep)) != '\0') {
		size_t	n = strcspn(value, sep);
		int	keep = 0;

		for (size_t i = 0; !keep && i < sizeof(words) / sizeof(words[0]); i++)
			keep = strlen(words[i]) == n && strncmp(value, words[i], n) == 0;
		for (size_t i = 0; !keep && i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
			keep = strlen(prefixes[i]) <= n &&
			    strncmp(value, prefixes[i], strlen(prefixes[i])) == 0;
		if (keep) {
			if (buf_puts(b, first ? " class=\"" : " ") == -1)
				return -1;
			/* A word holds no white space, but may hold & or ". */
			if (put_escaped(b, value, n, 1) == -1)
				return -1;
			first = 0;
		}
		value += n;
	}
	return first ? 0 : buf_puts(b, "\"");
}

/* One attribute of an allowed element: MASTODON_STRICT's attributes table. */
static int
put_allowed_attr(struct san *s, GumboTag t, const GumboAttribute *a, int *rel_done)
{
	const char *n = a->name;

	if (a->attr_namespace != GUMBO_ATTR_NAMESPACE_NONE)
		return 0;
	if (strcmp(n, "lang") == 0)
		return put_attr(&s->out, n, a->value);
	if (strcmp(n, "class") == 0 &&
	    (t == GUMBO_TAG_A || t == GUMBO_TAG_SPAN || t == GUMBO_TAG_P))
		return put_class(&s->out, a->value);
	/* TRANSLATE_TRANSFORMER: only translate="no" means anything. */
	if (strcmp(n, "translate") == 0 && (t == GUMBO_TAG_A || t == GUMBO_TAG_SPAN))
		return strcmp(a->value, "no") == 0 ? put_attr(&s->out, n, "no") : 0;
	if (t == GUMBO_TAG_A && strcmp(n, "href") == 0)
		return put_attr(&s->out, n, a->value);
	/* add_attributes replaces rel, in its place (Nokogiri's node[]=). */
	if (t == GUMBO_TAG_A && strcmp(n, "rel") == 0) {
		*rel_done = 1;
		return put_attr(&s->out, n, "nofollow noopener");
	}
	if (t == GUMBO_TAG_OL && (strcmp(n, "start") == 0 || strcmp(n, "reversed") == 0))
		return put_attr(&s->out, n, a->value);
	if (t == GUMBO_TAG_LI && strcmp(n, "value") == 0)
		return put_attr(&s->out, n, a->value);
	return 0;
}

/* Writes the start tag of t, with src's allowed attributes (src may be NULL). */
static int
open_tag(struct san *s, const GumboNode *node, GumboTag t, const GumboNode *src)
{
	const GumboVector	*attrs;
	int			 rel_done = 0;

	if (buf_printf(&s->out, "<%s", gumbo_normalized_tagname(t)) == -1)
		return -1;
	if (src != NULL) {
		attrs = &src->v.element.attributes;
		for (unsigned i = 0; i < attrs->length; i++)
			if (put_allowed_attr(s, t, attrs->data[i], &rel_done) == -1)
				return -1;
	}
	/* MASTODON_STRICT's add_attributes. */
	if (t == GUMBO_TAG_A && !rel_done && put_attr(&s->out, "rel", "nofollow noopener") == -1)
		return -1;
	if (t == GUMBO_TAG_A && put_attr(&s->out, "target", "_blank") == -1)
		return -1;
	if (buf_puts(&s->out, ">") == -1)
		return -1;
	if (t == GUMBO_TAG_PRE)
		s->pre_end = s->out.len;
	if (t == GUMBO_TAG_BR)
		return 0;
	s->stack[s->depth].node = node;
	s->stack[s->depth].tag = t;
	s->stack[s->depth].space_after = 0;
	s->depth++;
	return 0;
}

static int
open_has(const struct san *s, GumboTag t)
{
	for (size_t i = 0; i < s->depth; i++)
		if (s->stack[i].tag == t)
			return 1;
	return 0;
}

/*
 * Whether writing t here parses back as written. A start tag of p, pre,
 * blockquote, ul, ol or li closes an open <p>; <li> closes an open <li>
 * unless a list, blockquote or pre lies between; <a> in an <a> closes the
 * outer one; <rt> and <rp> close an open <p>, <li>, <rt> or <rp> unless
 * the ruby is their parent. Our output has no element that scopes these
 * rules (button, table, object, marquee, ...), so any open one counts.
 */
static int
fits(const struct san *s, GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_P:
	case GUMBO_TAG_PRE:
	case GUMBO_TAG_BLOCKQUOTE:
	case GUMBO_TAG_UL:
	case GUMBO_TAG_OL:
		return !open_has(s, GUMBO_TAG_P);
	case GUMBO_TAG_LI:
		if (open_has(s, GUMBO_TAG_P))
			return 0;
		for (size_t i = s->depth; i-- > 0;) {
			GumboTag o = s->stack[i].tag;

			if (o == GUMBO_TAG_LI)
				return 0;
			if (o == GUMBO_TAG_UL || o == GUMBO_TAG_OL || o == GUMBO_TAG_BLOCKQUOTE ||
			    o == GUMBO_TAG_PRE)
				return 1;
		}
		return 1;
	case GUMBO_TAG_A:
		return !open_has(s, GUMBO_TAG_A);
	case GUMBO_TAG_RT:
	case GUMBO_TAG_RP:
		return s->depth > 0 && s->stack[s->depth - 1].tag == GUMBO_TAG_RUBY;
	default:
		return 1;
	}
}

/*
 * UNSUPPORTED_ELEMENTS_TRANSFORMER: a heading becomes <strong> wrapped in
 * a <p>. Where a <p> cannot open, the <strong> comes alone, spaced as an
 * unwrapped <p> would be.
 */
static int
enter_heading(struct san *s, GumboNode *n)
{
	int wrap;

	if (s->depth + 2 > AP_SANITIZE_MAX_DEPTH)
		return buf_puts(&s->out, " ") == -1 ? -1 : 1;
	wrap = fits(s, GUMBO_TAG_P);
	if ((wrap ? open_tag(s, n, GUMBO_TAG_P, NULL) : buf_puts(&s->out, " ")) == -1 ||
	    open_tag(s, n, GUMBO_TAG_STRONG, n) == -1)
		return -1;
	s->stack[s->depth - 1].space_after = !wrap;
	return 1;
}

static int
enter_element(struct san *s, GumboNode *n)
{
	GumboTag t = n->v.element.tag;

	struct buf	text;
	int		rc;

	/* MATH_TRANSFORMER: a formula becomes the text of its annotation. */
	if (n->v.element.tag_namespace == GUMBO_NAMESPACE_MATHML && t == GUMBO_TAG_MATH) {
		buf_init(&text, s->out.max);
		rc = san_math_text(n, &text) == -1 || put_text(s, text.data ? text.data : "") == -1;
		buf_cleanup(&text);
		return rc ? -1 : 0;
	}
	if (san_drops_content(n))
		return 0;
	/*
	 * UNSUPPORTED_HREF_TRANSFORMER: a link Mastodon will not follow
	 * becomes its text, whatever markup it held.
	 */
	if (t == GUMBO_TAG_A && !href_allowed(san_attr(n, "href"))) {
		buf_init(&text, s->out.max);
		rc = san_text_of(n, 0, &text) == -1 ||
		    put_text(s, text.data ? text.data : "") == -1;
		buf_cleanup(&text);
		return rc ? -1 : 0;
	}
	if (is_heading(t))
		return enter_heading(s, n);
	if (is_allowed(t) && s->depth < AP_SANITIZE_MAX_DEPTH && fits(s, t))
		return open_tag(s, n, t, n) == -1 ? -1 : 1;
	/* Unwrapped: the children stay, in place of the element. */
	if (is_spaced(t) && buf_puts(&s->out, " ") == -1)
		return -1;
	return 1;
}

static int
san_enter(void *arg, GumboNode *n)
{
	struct san *s = arg;

	switch (n->type) {
	case GUMBO_NODE_TEXT:
	case GUMBO_NODE_WHITESPACE:
	case GUMBO_NODE_CDATA:
		return put_text(s, n->v.text.text) == -1 ? -1 : 0;
	case GUMBO_NODE_ELEMENT:
		return enter_element(s, n);
	default:
		return 0;	/* comments (allow_comments is false), templates */
	}
}

static int
san_leave(void *arg, GumboNode *n)
{
	struct san	*s = arg;
	int		 closed = 0;

	while (s->depth > 0 && s->stack[s->depth - 1].node == n) {
		struct san_frame *f = &s->stack[--s->depth];

		if (buf_printf(&s->out, "</%s>", gumbo_normalized_tagname(f->tag)) == -1 ||
		    (f->space_after && buf_puts(&s->out, " ") == -1))
			return -1;
		closed = 1;
	}
	if (!closed && n->type == GUMBO_NODE_ELEMENT && is_spaced(n->v.element.tag) &&
	    n->v.element.children.length > 0)
		return buf_puts(&s->out, " ");
	return 0;
}

char *
ap_html_sanitize(const char *html, size_t len, const struct ap_sanitize_opts *opts)
{
	struct san_doc	 doc;
	struct san	*s = NULL;
	size_t		 max_in = AP_SANITIZE_MAX_INPUT, max_out = AP_SANITIZE_MAX_OUTPUT;
	char		*result = NULL;

	if (opts != NULL && opts->max_input != 0 && opts->max_input < max_in)
		max_in = opts->max_input;
	if (opts != NULL && opts->max_output != 0 && opts->max_output < max_out)
		max_out = opts->max_output;
	if (san_parse(html, len, max_in, &doc) == -1)
		goto out;
	s = xcalloc(1, sizeof(*s));
	buf_init(&s->out, max_out);
	s->pre_end = SIZE_MAX;
	if (san_walk(doc.out->root, san_enter, san_leave, s) == -1)
		goto out;
	result = buf_take(&s->out);
out:
	if (s != NULL)
		buf_cleanup(&s->out);
	free(s);
	san_doc_cleanup(&doc);
	return result;
}
