/*
 * Shared by sanitize.c and sanitize_text.c, not part of the contract in
 * sanitize.h: parsing under the caps (sanitize_parse.c), a tree walk that
 * does not recurse, and the rules both outputs follow (which elements lose
 * their content, Mastodon's <math> transform).
 */
#ifndef MEENT_AP_SANITIZE_INTERNAL_H
#define MEENT_AP_SANITIZE_INTERNAL_H

#include <gumbo.h>
#include <stddef.h>
#include <stdint.h>

#include "util/str.h"

struct san_chunk;

/* The parse, with all of gumbo's memory in one arena freed at once. */
struct san_doc {
	GumboOutput		*out;		/* NULL until parsed */
	struct san_chunk	*chunks;	/* the arena, owned */
	size_t			 used;		/* bytes handed to gumbo */
	size_t			 budget;	/* refuse to hand out more */
	unsigned		 nallocs;	/* the CPU clock is read every 64 */
	long long		 cpu_start_ns;	/* thread CPU time at the start */
	void			*fail;		/* jmp_buf * while gumbo runs */
};

/*
 * Parses html as a fragment in a <body> into doc. -1 (doc holds nothing)
 * when len exceeds max_input, the tag or work caps of sanitize.h are
 * exceeded, or gumbo outgrows its memory or CPU budget. Always call
 * san_doc_cleanup afterwards.
 */
int	 san_parse(const char *html, size_t len, size_t max_input, struct san_doc *doc);
void	 san_doc_cleanup(struct san_doc *doc);

/*
 * Walks the descendants of root in document order without recursion: the
 * depth of a remote tree is the sender's choice. enter returns 1 to visit
 * the children (leave is called after them), 0 to skip them, -1 to stop
 * the walk, which then returns -1; leave returns 0 or -1 the same way.
 */
typedef int	(*san_enter_fn)(void *ctx, GumboNode *n);
typedef int	(*san_leave_fn)(void *ctx, GumboNode *n);
int	 san_walk(GumboNode *root, san_enter_fn enter, san_leave_fn leave, void *ctx);

/* The n-th child of an element, template or document; NULL past the end. */
GumboNode *san_child(const GumboNode *n, size_t i);

/*
 * 1 for an element removed together with its content: every element
 * outside the HTML namespace (SVG, MathML) and the HTML elements whose
 * content is not text for the reader (script, style, iframe, ...).
 */
int	 san_drops_content(const GumboNode *n);

/* 1 when n is an element whose name (any case) is name; for unknown tags too. */
int	 san_is_named(const GumboNode *n, const char *name);

/* The value of attribute name of element n, or NULL (borrowed). */
const char *san_attr(const GumboNode *n, const char *name);

/*
 * Appends to out the text Mastodon's MATH_TRANSFORMER puts in place of a
 * MathML <math>: its TeX annotation as $...$ ($$...$$ for display="block")
 * or its text/plain annotation; nothing when it has neither. 0 or -1
 * when out is full.
 */
int	 san_math_text(GumboNode *math, struct buf *out);

/*
 * Appends the text of every node under root, leaving out what
 * san_drops_content removes (all of it when raw is 0; raw 1 keeps
 * everything, for MathML annotations). 0 or -1 when out is full.
 */
int	 san_text_of(GumboNode *root, int raw, struct buf *out);

/*
 * The length of the UTF-8 sequence at s (NUL-terminated) and its code
 * point in *cp; 0 when it is malformed, overlong or a surrogate.
 */
size_t	 san_utf8_decode(const unsigned char *s, uint32_t *cp);

/*
 * 1 for the code points gumbo replaces with U+FFFD when it reads them raw,
 * though it yields them for a character reference ("&#1;"): C0 and C1
 * controls but tab, LF, FF and CR, and the noncharacters. Browsers keep
 * them; nobody can see them.
 */
int	 san_unstable_code_point(uint32_t c);

#endif
