/*
 * Templates for the server-rendered HTML pages: a small subset of
 * Mustache (mustache.github.io/mustache.5.html) over a Jansson object,
 * parsed once and rendered many times. Every value is HTML-escaped on
 * output; there is deliberately no tag for raw output, so no variable can
 * ever inject markup. This module knows nothing of files, HTTP or
 * languages: the caller (web/web.h) hands it text and looks up partials
 * and messages through struct tpl_env.
 *
 *   {{name}}  {{a.b}}  {{.}}   a value, escaped (& < > " ')
 *   {{&content_html}}          a value as it is: names must end in _html
 *   {{#name}}...{{/name}}      a section: once per member of a non-empty
 *                              array, once inside an object, once for any
 *                              other true value; skipped for a missing
 *                              value, null, false, "" and []
 *   {{^name}}...{{/name}}      the inverse: only when the section is skipped
 *   {{>name}}                  a partial (another template), same context
 *   {{@key}}                   a message of the reader's language (a
 *                              template itself, whose text is plain text)
 *   {{! comment }}
 *
 * Names are looked up from the innermost section outwards, as Mustache
 * does; a missing name renders as nothing.
 */
#ifndef MEENT_WEB_TEMPLATE_H
#define MEENT_WEB_TEMPLATE_H

#include <stddef.h>

#include <jansson.h>

struct buf;
struct tpl;

#define TPL_MAX_SIZE	(1024 * 1024)	/* bytes of one template's source */
#define TPL_MAX_DEPTH	16		/* sections nested in one template */
#define TPL_MAX_NAME	128		/* bytes of a name inside a tag */
#define TPL_MAX_INCLUDE	8		/* partials and messages nested at render */

/* Parse flags. */
#define TPL_PLAIN	0x01	/* the text outside tags is plain text (messages):
				 * escape it too when rendering into HTML */

/* Render flags. */
#define TPL_RAW		0x01	/* escape nothing: for text that is not HTML
				 * (a message put into a context, a header) */

/*
 * How a render finds what a template names: te_partial for {{>name}},
 * te_message for {{@key}}; name is len bytes, not NUL-terminated. Each
 * returns a template borrowed from the caller, or NULL (renders nothing).
 * Either function may be NULL.
 */
struct tpl_env {
	const struct tpl *(*te_partial)(void *arg, const char *name, size_t len);
	const struct tpl *(*te_message)(void *arg, const char *key, size_t len);
	void		*te_arg;
};

/*
 * Parses len bytes of text. Returns the template (new; tpl_free), or NULL
 * with the reason and line in err: an unclosed or mismatched section, an
 * unterminated tag, an unknown tag ("{{{", "{{="), "{{&" on a name not ending in "_html", a bad name,
 * sections nested deeper than TPL_MAX_DEPTH, text over TPL_MAX_SIZE.
 */
struct tpl	*tpl_parse(const char *text, size_t len, unsigned flags,
		    char *err, size_t errsz);
void		 tpl_free(struct tpl *t);

/*
 * Appends the rendering of t with ctx (borrowed; any JSON value) to out.
 * env may be NULL. 0, or -1 when out's cap is reached or partials and
 * messages nest deeper than TPL_MAX_INCLUDE (out then holds a prefix).
 */
int		 tpl_render(const struct tpl *t, json_t *ctx, const struct tpl_env *env,
		    unsigned flags, struct buf *out);

/* Appends s (len bytes) to out with & < > " ' escaped. 0 or -1 (cap). */
int		 tpl_escape(struct buf *out, const char *s, size_t len);

#endif
