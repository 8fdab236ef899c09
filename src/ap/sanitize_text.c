/*
 * Remote HTML as plain text: see ap_html_to_text in sanitize.h. The text
 * is what a reader sees of the tree, close to the DOM's innerText: white
 * space collapses outside <pre>, blocks break lines. Mastodon's
 * PlainTextFormatter puts a single newline after </p> and <br> and strips
 * the rest with a regular expression; we keep a blank line between
 * paragraphs, as they are shown, and take the text from the parsed tree.
 */
#include <stdint.h>
#include <string.h>

#include "ap/sanitize.h"
#include "ap/sanitize_internal.h"

struct txt {
	struct buf	out;
	int		pending;	/* line breaks owed before the next text: 0-2 */
	int		space;		/* white space collapsed since the last text */
	int		pre;		/* open <pre> or <listing>: white space kept */
};

/* Line breaks around an element: 2 for blocks, 1 for items and rows, else 0. */
static int
breaks(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_LI:
	case GUMBO_TAG_DD:
	case GUMBO_TAG_DT:
	case GUMBO_TAG_TR:
	case GUMBO_TAG_OPTION:
		return 1;
	case GUMBO_TAG_ADDRESS:
	case GUMBO_TAG_ARTICLE:
	case GUMBO_TAG_ASIDE:
	case GUMBO_TAG_BLOCKQUOTE:
	case GUMBO_TAG_DETAILS:
	case GUMBO_TAG_DIV:
	case GUMBO_TAG_DL:
	case GUMBO_TAG_FIELDSET:
	case GUMBO_TAG_FIGCAPTION:
	case GUMBO_TAG_FIGURE:
	case GUMBO_TAG_FOOTER:
	case GUMBO_TAG_FORM:
	case GUMBO_TAG_H1:
	case GUMBO_TAG_H2:
	case GUMBO_TAG_H3:
	case GUMBO_TAG_H4:
	case GUMBO_TAG_H5:
	case GUMBO_TAG_H6:
	case GUMBO_TAG_HEADER:
	case GUMBO_TAG_HGROUP:
	case GUMBO_TAG_HR:
	case GUMBO_TAG_MAIN:
	case GUMBO_TAG_NAV:
	case GUMBO_TAG_OL:
	case GUMBO_TAG_P:
	case GUMBO_TAG_PRE:
	case GUMBO_TAG_SECTION:
	case GUMBO_TAG_SUMMARY:
	case GUMBO_TAG_TABLE:
	case GUMBO_TAG_UL:
		return 2;
	default:
		return 0;
	}
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* Drops spaces and tabs at the end of out: a line never ends with them. */
static void
trim_line_end(struct buf *b)
{
	while (b->len > 0 && (b->data[b->len - 1] == ' ' || b->data[b->len - 1] == '\t'))
		b->data[--b->len] = '\0';
}

/* Pays the breaks and the collapsed space owed before more text. */
static int
flush(struct txt *t)
{
	size_t have = 0;

	if (t->out.len == 0) {
		t->pending = t->space = 0;	/* nothing to separate from yet */
		return 0;
	}
	if (t->pending > 0) {
		trim_line_end(&t->out);
		while (have < t->out.len && t->out.data[t->out.len - 1 - have] == '\n')
			have++;
		for (; have < (size_t)t->pending; have++)
			if (buf_puts(&t->out, "\n") == -1)
				return -1;
		t->pending = t->space = 0;
		return 0;
	}
	if (t->space) {
		t->space = 0;
		if (t->out.data[t->out.len - 1] != '\n' && t->out.data[t->out.len - 1] != ' ')
			return buf_puts(&t->out, " ");
	}
	return 0;
}

/* Text, white space collapsed outside <pre>, invisible controls left out. */
static int
put_text(struct txt *t, const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	uint32_t		 cp;
	size_t			 n;

	while (*s != '\0') {
		if (t->pre == 0 && is_space((char)*s)) {
			t->space = 1;
			s++;
			continue;
		}
		if ((n = san_utf8_decode(s, &cp)) == 0) {
			if (flush(t) == -1 || buf_puts(&t->out, "\xEF\xBF\xBD") == -1)
				return -1;
			s++;
			continue;
		}
		if (!san_unstable_code_point(cp) &&
		    (flush(t) == -1 || buf_append(&t->out, s, n) == -1))
			return -1;
		s += n;
	}
	return 0;
}

static int
txt_enter(void *arg, GumboNode *n)
{
	struct txt	*t = arg;
	GumboTag	 tag;
	struct buf	 math;
	int		 rc;

	switch (n->type) {
	case GUMBO_NODE_TEXT:
	case GUMBO_NODE_WHITESPACE:
	case GUMBO_NODE_CDATA:
		return put_text(t, n->v.text.text) == -1 ? -1 : 0;
	case GUMBO_NODE_ELEMENT:
		break;
	default:
		return 0;
	}
	tag = n->v.element.tag;
	if (n->v.element.tag_namespace == GUMBO_NAMESPACE_MATHML && tag == GUMBO_TAG_MATH) {
		buf_init(&math, t->out.max);
		rc = san_math_text(n, &math) == -1 || put_text(t, math.data ? math.data : "") == -1;
		buf_cleanup(&math);
		return rc ? -1 : 0;
	}
	if (san_drops_content(n))
		return 0;
	if (tag == GUMBO_TAG_BR) {
		if (flush(t) == -1)
			return -1;
		trim_line_end(&t->out);
		t->space = 0;
		return buf_puts(&t->out, "\n") == -1 ? -1 : 0;
	}
	if (breaks(tag) > t->pending)
		t->pending = breaks(tag);
	if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH)
		t->space = 1;	/* cells side by side read as words */
	if (tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING)
		t->pre++;
	return 1;
}

static int
txt_leave(void *arg, GumboNode *n)
{
	struct txt	*t = arg;
	GumboTag	 tag;

	if (n->type != GUMBO_NODE_ELEMENT)
		return 0;
	tag = n->v.element.tag;
	if (breaks(tag) > t->pending)
		t->pending = breaks(tag);
	if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH)
		t->space = 1;
	if (tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING)
		t->pre--;
	return 0;
}

char *
ap_html_to_text(const char *html, size_t len)
{
	struct san_doc	 doc;
	struct txt	 t;
	size_t		 lead;
	char		*result = NULL;

	memset(&t, 0, sizeof(t));
	buf_init(&t.out, AP_SANITIZE_MAX_OUTPUT);
	if (san_parse(html, len, AP_SANITIZE_MAX_INPUT, &doc) == -1)
		goto out;
	if (san_walk(doc.out->root, txt_enter, txt_leave, &t) == -1)
		goto out;
	while (t.out.len > 0 && is_space(t.out.data[t.out.len - 1]))
		t.out.data[--t.out.len] = '\0';
	for (lead = 0; lead < t.out.len && is_space(t.out.data[lead]); lead++)
		;
	if (lead > 0) {
		memmove(t.out.data, t.out.data + lead, t.out.len - lead + 1);
		t.out.len -= lead;
	}
	result = buf_take(&t.out);
out:
	buf_cleanup(&t.out);
	san_doc_cleanup(&doc);
	return result;
}
