/*
 * Parsing remote HTML under caps, and the tree helpers both outputs use:
 * see sanitize_internal.h.
 *
 * gumbo never fails and never limits itself: it allocates as the input
 * asks (the "reconstruct the active formatting elements" step of WHATWG
 * HTML §13.2.4.3 clones every open formatting element at each new block,
 * so a few kilobytes can ask for millions of nodes) and it scans the stack
 * of open elements for every token. So before parsing we cap the input,
 * the number of start tags and their product with the input length; while
 * parsing, gumbo allocates from our arena, which has a byte budget and
 * looks at the thread's CPU clock every 64 allocations (a tag with tens of
 * thousands of attributes costs quadratic time in gumbo's duplicate check
 * and allocates for each). Past a budget we longjmp out of gumbo: all its
 * memory is in the arena, so nothing is left behind, the way libpng
 * reports errors. gumbo has no global state, so parses on several threads
 * do not meet.
 */
#include <setjmp.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ap/sanitize.h"
#include "ap/sanitize_internal.h"
#include "util/mem.h"

#define SAN_CHUNK		(64 * 1024)
#define SAN_MEMORY_MIN		(8 * 1024 * 1024)	/* budget for small inputs */
#define SAN_MEMORY_PER_BYTE	64			/* ... and per input byte */
#define SAN_CPU_BUDGET_NS	(250LL * 1000 * 1000)	/* a real 512 KiB page takes ~10 ms */

struct san_chunk {
	struct san_chunk	*next;
	size_t			 size;		/* bytes in data */
	size_t			 used;
	max_align_t		 data[];
};

static long long
cpu_now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == -1)
		return 0;
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* gumbo's allocator (GumboOptions.allocator): never returns NULL. */
static void *
arena_alloc(void *userdata, size_t n)
{
	struct san_doc		*d = userdata;
	struct san_chunk	*c = d->chunks;
	size_t			 need;
	void			*p;

	need = (n + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
	if (n == 0 || need < n || need > d->budget - d->used)
		longjmp(*(jmp_buf *)d->fail, 1);
	if ((++d->nallocs & 63) == 0 && cpu_now_ns() - d->cpu_start_ns > SAN_CPU_BUDGET_NS)
		longjmp(*(jmp_buf *)d->fail, 1);
	if (c == NULL || c->size - c->used < need) {
		size_t size = need > SAN_CHUNK / 4 ? need : SAN_CHUNK;

		c = xmalloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		/* A big block goes behind the current chunk, which keeps its room. */
		if (size == need && d->chunks != NULL) {
			c->next = d->chunks->next;
			d->chunks->next = c;
		} else {
			c->next = d->chunks;
			d->chunks = c;
		}
	}
	p = (char *)c->data + c->used;
	c->used += need;
	d->used += need;
	return p;
}

/* Memory goes back all at once in san_doc_cleanup. */
static void
arena_free(void *userdata, void *p)
{
	(void)userdata;
	(void)p;
}

/* Start tags: '<' then an ASCII letter (WHATWG HTML §13.2.5.6). */
static size_t
count_start_tags(const char *html, size_t len)
{
	size_t n = 0;

	for (const char *p = html; (p = memchr(p, '<', len - (size_t)(p - html))) != NULL; p++)
		if ((size_t)(p - html) + 1 < len &&
		    ((p[1] | 0x20) >= 'a' && (p[1] | 0x20) <= 'z'))
			n++;
	return n;
}

/*
 * Runs gumbo with the arena. Apart from setjmp's, nothing here changes
 * after the setjmp, so longjmp leaves every variable as it was.
 */
static int
run_gumbo(struct san_doc *doc, const char *html, size_t len)
{
	GumboOptions	 opts = kGumboDefaultOptions;
	jmp_buf		 fail;

	opts.allocator = arena_alloc;
	opts.deallocator = arena_free;
	opts.userdata = doc;
	opts.max_errors = 0;	/* we never read them; each one costs memory */
	opts.fragment_context = GUMBO_TAG_BODY;
	opts.fragment_namespace = GUMBO_NAMESPACE_HTML;
	doc->fail = &fail;
	if (setjmp(fail) != 0) {
		doc->fail = NULL;
		return -1;
	}
	doc->out = gumbo_parse_with_options(&opts, html, len);
	doc->fail = NULL;
	return 0;
}

int
san_parse(const char *html, size_t len, size_t max_input, struct san_doc *doc)
{
	size_t tags;

	memset(doc, 0, sizeof(*doc));
	if (len > max_input || len > AP_SANITIZE_MAX_INPUT)
		return -1;
	if (html == NULL)
		html = "";
	tags = count_start_tags(html, len);
	if (tags > AP_SANITIZE_MAX_TAGS || (unsigned long long)tags * len > AP_SANITIZE_MAX_WORK)
		return -1;
	doc->budget = SAN_MEMORY_MIN + SAN_MEMORY_PER_BYTE * len;
	doc->cpu_start_ns = cpu_now_ns();
	if (run_gumbo(doc, html, len) == -1) {
		san_doc_cleanup(doc);
		return -1;
	}
	return 0;
}

void
san_doc_cleanup(struct san_doc *doc)
{
	struct san_chunk *c, *next;

	/* No gumbo_destroy_output: every byte of it lives in the chunks. */
	for (c = doc->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	memset(doc, 0, sizeof(*doc));
}

static GumboVector *
children(const GumboNode *n)
{
	switch (n->type) {
	case GUMBO_NODE_DOCUMENT:
		return (GumboVector *)&n->v.document.children;
	case GUMBO_NODE_ELEMENT:
	case GUMBO_NODE_TEMPLATE:
		return (GumboVector *)&n->v.element.children;
	default:
		return NULL;
	}
}

GumboNode *
san_child(const GumboNode *n, size_t i)
{
	GumboVector *v = n != NULL ? children(n) : NULL;

	return v != NULL && i < v->length ? v->data[i] : NULL;
}

int
san_walk(GumboNode *root, san_enter_fn enter, san_leave_fn leave, void *ctx)
{
	GumboNode	*n, *next;
	int		 rc;

	if ((n = san_child(root, 0)) == NULL)
		return 0;
	for (;;) {
		if ((rc = enter(ctx, n)) == -1)
			return -1;
		if (rc == 1 && (next = san_child(n, 0)) != NULL) {
			n = next;
			continue;
		}
		if (rc == 1 && leave(ctx, n) == -1)
			return -1;
		/* Climb until a node has a next sibling, leaving each parent. */
		while ((next = san_child(n->parent, n->index_within_parent + 1)) == NULL) {
			n = n->parent;
			if (n == NULL || n == root)
				return 0;
			if (leave(ctx, n) == -1)
				return -1;
		}
		n = next;
	}
}

/*
 * The Sanitize gem's remove_contents (iframe math noembed noframes
 * noscript plaintext script style svg xmp, Sanitize 7), and the elements
 * whose content is likewise code, a document of its own, or form state
 * rather than text: object, embed, applet, template, title, textarea.
 */
int
san_drops_content(const GumboNode *n)
{
	if (n->type == GUMBO_NODE_TEMPLATE)
		return 1;
	if (n->type != GUMBO_NODE_ELEMENT)
		return 0;
	if (n->v.element.tag_namespace != GUMBO_NAMESPACE_HTML)
		return 1;
	switch (n->v.element.tag) {
	case GUMBO_TAG_APPLET:
	case GUMBO_TAG_EMBED:
	case GUMBO_TAG_FRAME:
	case GUMBO_TAG_FRAMESET:
	case GUMBO_TAG_HEAD:
	case GUMBO_TAG_IFRAME:
	case GUMBO_TAG_MATH:
	case GUMBO_TAG_NOEMBED:
	case GUMBO_TAG_NOFRAMES:
	case GUMBO_TAG_NOSCRIPT:
	case GUMBO_TAG_OBJECT:
	case GUMBO_TAG_PLAINTEXT:
	case GUMBO_TAG_SCRIPT:
	case GUMBO_TAG_STYLE:
	case GUMBO_TAG_SVG:
	case GUMBO_TAG_TEMPLATE:
	case GUMBO_TAG_TEXTAREA:
	case GUMBO_TAG_TITLE:
	case GUMBO_TAG_XMP:
		return 1;
	default:
		return 0;
	}
}

int
san_is_named(const GumboNode *n, const char *name)
{
	GumboStringPiece tag;

	if (n == NULL || n->type != GUMBO_NODE_ELEMENT)
		return 0;
	if (n->v.element.tag != GUMBO_TAG_UNKNOWN)
		return strcasecmp(gumbo_normalized_tagname(n->v.element.tag), name) == 0;
	/* Unknown names (MathML's semantics, annotation) live only in the source. */
	tag = n->v.element.original_tag;
	if (tag.data == NULL || tag.length == 0)
		return 0;
	gumbo_tag_from_original_text(&tag);
	return tag.length == strlen(name) && strncasecmp(tag.data, name, tag.length) == 0;
}

const char *
san_attr(const GumboNode *n, const char *name)
{
	GumboAttribute *a;

	if (n->type != GUMBO_NODE_ELEMENT)
		return NULL;
	a = gumbo_get_attribute(&n->v.element.attributes, name);
	return a != NULL ? a->value : NULL;
}

struct text_ctx {
	struct buf	*out;
	int		 raw;
};

static int
text_enter(void *arg, GumboNode *n)
{
	struct text_ctx *t = arg;

	switch (n->type) {
	case GUMBO_NODE_TEXT:
	case GUMBO_NODE_WHITESPACE:
	case GUMBO_NODE_CDATA:
		return buf_puts(t->out, n->v.text.text) == -1 ? -1 : 0;
	case GUMBO_NODE_ELEMENT:
	case GUMBO_NODE_TEMPLATE:
		return t->raw || !san_drops_content(n) ? 1 : 0;
	default:
		return 0;
	}
}

static int
text_leave(void *arg, GumboNode *n)
{
	(void)arg;
	(void)n;
	return 0;
}

int
san_text_of(GumboNode *root, int raw, struct buf *out)
{
	struct text_ctx t = { out, raw };

	return san_walk(root, text_enter, text_leave, &t);
}

/* The first annotation child of semantics with this encoding (exact, as Mastodon). */
static GumboNode *
annotation(GumboNode *semantics, const char *encoding)
{
	GumboNode	*c;
	const char	*enc;

	for (size_t i = 0; (c = san_child(semantics, i)) != NULL; i++)
		if (san_is_named(c, "annotation") && (enc = san_attr(c, "encoding")) != NULL &&
		    strcmp(enc, encoding) == 0)
			return c;
	return NULL;
}

/*
 * Mastodon's MATH_TRANSFORMER, after FEP-dc88: <math><semantics>...
 * <annotation encoding="application/x-tex">...</annotation></semantics>.
 * The semantics element must be the first element child of <math>.
 */
int
san_math_text(GumboNode *math, struct buf *out)
{
	GumboNode	*c, *semantics = NULL, *a;
	const char	*display;
	int		 block;

	for (size_t i = 0; (c = san_child(math, i)) != NULL; i++)
		if (c->type == GUMBO_NODE_ELEMENT) {
			semantics = c;
			break;
		}
	if (semantics == NULL || !san_is_named(semantics, "semantics"))
		return 0;
	if ((a = annotation(semantics, "application/x-tex")) != NULL) {
		display = san_attr(math, "display");
		block = display != NULL && strcmp(display, "block") == 0;
		if (buf_puts(out, block ? "$$" : "$") == -1 || san_text_of(a, 1, out) == -1 ||
		    buf_puts(out, block ? "$$" : "$") == -1)
			return -1;
		return 0;
	}
	/* Plain text is not TeX: no dollar signs around it. */
	if ((a = annotation(semantics, "text/plain")) != NULL)
		return san_text_of(a, 1, out);
	return 0;
}

int
san_unstable_code_point(uint32_t c)
{
	return (c >= 0x01 && c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) ||
	    (c >= 0x7F && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) ||
	    (c & 0xFFFE) == 0xFFFE;
}

size_t
san_utf8_decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF && (s[1] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] >= 0xE0 && s[0] <= 0xEF && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		return *cp >= 0x800 && (*cp < 0xD800 || *cp > 0xDFFF) ? 3 : 0;
	}
	if (s[0] >= 0xF0 && s[0] <= 0xF4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	    (s[3] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
		    (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
		return *cp >= 0x10000 && *cp <= 0x10FFFF ? 4 : 0;
	}
	return 0;
}
