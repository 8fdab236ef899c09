/*
 * Templates: see template.h. A template is a flat array of nodes; a
 * section node records where its body ends, so rendering is a loop over a
 * range of nodes that recurses only into sections, partials and messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/str.h"
#include "web/template.h"

enum tpl_kind {
	TPL_TEXT,
	TPL_VAR,
	TPL_HTML,
	TPL_SECTION,
	TPL_INVERTED,
	TPL_PARTIAL,
	TPL_MESSAGE,
};

struct tpl_node {
	enum tpl_kind	 kind;
	const char	*str;		/* TEXT: the bytes; others: the name (in t_src) */
	size_t		 len;
	size_t		 end;		/* sections: the first node after the body */
};

struct tpl {
	char		*t_src;		/* our copy of the text; nodes point into it */
	struct tpl_node	*t_nodes;
	size_t		 t_n;
	size_t		 t_cap;
	unsigned	 t_flags;	/* TPL_PLAIN */
};

/* The parse: where we are, the open sections, and the first error. */
struct tpl_parser {
	struct tpl	*p_t;
	const char	*p_src;
	size_t		 p_len;
	size_t		 p_open[TPL_MAX_DEPTH];	/* node index of each open section */
	int		 p_depth;
	char		*p_err;
	size_t		 p_errsz;
};

/* A section's value pushed on the lookup stack; the stack lives on the C stack. */
struct tpl_frame {
	json_t			*f_v;
	const struct tpl_frame	*f_up;
};

struct tpl_render_state {
	const struct tpl_env	*r_env;
	unsigned		 r_flags;
	struct buf		*r_out;
	int			 r_include;	/* partials and messages entered */
};

static int tpl_render_nodes(const struct tpl *, size_t, size_t,
    const struct tpl_frame *, struct tpl_render_state *);

static int
tpl_fail(struct tpl_parser *p, const char *at, const char *why)
{
	int	 line = 1;

	for (const char *s = p->p_src; s < at; s++)
		if (*s == '\n')
			line++;
	snprintf(p->p_err, p->p_errsz, "line %d: %s", line, why);
	return -1;
}

static void
tpl_add(struct tpl *t, enum tpl_kind kind, const char *str, size_t len)
{
	if (t->t_n == t->t_cap) {
		t->t_cap = t->t_cap ? t->t_cap * 2 : 16;
		t->t_nodes = xrealloc(t->t_nodes, t->t_cap * sizeof(*t->t_nodes));
	}
	t->t_nodes[t->t_n++] = (struct tpl_node){ kind, str, len, 0 };
}

/*
 * A name is "." or segments of [A-Za-z0-9_-] joined by single dots: what
 * a JSON key in our contexts and a message key look like. Refusing the
 * rest keeps typos ("{{ user name }}") from rendering silently as nothing.
 */
static int
tpl_name_valid(const char *s, size_t len)
{
	int	 seg = 0;

	if (len == 1 && s[0] == '.')
		return 1;
	if (len == 0 || len > TPL_MAX_NAME)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '.') {
			if (seg == 0)
				return 0;
			seg = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-') {
			seg++;
		} else {
			return 0;
		}
	}
	return seg > 0;
}

/* One tag: the bytes between "{{" and "}}" at body (len bytes). */
static int
tpl_parse_tag(struct tpl_parser *p, const char *body, size_t len)
{
	struct tpl	*t = p->p_t;
	const char	*name;
	size_t		 nlen;
	char		 sigil = len > 0 ? body[0] : '\0';
	enum tpl_kind	 kind = TPL_VAR;

	switch (sigil) {
	case '!':
		return 0;
	case '#': kind = TPL_SECTION; break;
	case '^': kind = TPL_INVERTED; break;
	case '>': kind = TPL_PARTIAL; break;
	case '@': kind = TPL_MESSAGE; break;
	case '&': kind = TPL_HTML; break;
	case '/': break;
	case '{': case '=':
		return tpl_fail(p, body, "{{{ and delimiter changes are not supported");
	default:
		sigil = '\0';
	}
	name = body + (sigil != '\0');
	nlen = len - (sigil != '\0');
	while (nlen > 0 && (*name == ' ' || *name == '\t')) {
		name++;
		nlen--;
	}
	while (nlen > 0 && (name[nlen - 1] == ' ' || name[nlen - 1] == '\t'))
		nlen--;
	if (!tpl_name_valid(name, nlen))
		return tpl_fail(p, body, "bad name in tag");
	/* Markup is let through only under names that say so, so a reader
	 * of the C that fills the context sees which values must be HTML
	 * that is already safe (sanitised, or built by us). */
	if (kind == TPL_HTML && (nlen < 5 || memcmp(name + nlen - 5, "_html", 5) != 0))
		return tpl_fail(p, body, "{{& is only for names ending in _html");

	if (sigil == '/') {
		const struct tpl_node *open;

		if (p->p_depth == 0)
			return tpl_fail(p, body, "closing a section that is not open");
		open = &t->t_nodes[p->p_open[p->p_depth - 1]];
		if (open->len != nlen || memcmp(open->str, name, nlen) != 0)
			return tpl_fail(p, body, "closing tag does not match the open section");
		t->t_nodes[p->p_open[--p->p_depth]].end = t->t_n;
		return 0;
	}
	if (kind == TPL_SECTION || kind == TPL_INVERTED) {
		if (p->p_depth == TPL_MAX_DEPTH)
			return tpl_fail(p, body, "sections nested too deeply");
		p->p_open[p->p_depth++] = t->t_n;
	}
	tpl_add(t, kind, name, nlen);
	return 0;
}

static int
tpl_parse_all(struct tpl_parser *p)
{
	const char	*s = p->p_t->t_src, *end = s + p->p_len;

	while (s < end) {
		const char *open = memmem(s, (size_t)(end - s), "{{", 2), *close;

		if (open == NULL) {
			tpl_add(p->p_t, TPL_TEXT, s, (size_t)(end - s));
			break;
		}
		if (open > s)
			tpl_add(p->p_t, TPL_TEXT, s, (size_t)(open - s));
		close = memmem(open + 2, (size_t)(end - open - 2), "}}", 2);
		if (close == NULL)
			return tpl_fail(p, open, "tag not closed with }}");
		if (tpl_parse_tag(p, open + 2, (size_t)(close - open - 2)) == -1)
			return -1;
		s = close + 2;
	}
	if (p->p_depth > 0)
		return tpl_fail(p, p->p_t->t_nodes[p->p_open[p->p_depth - 1]].str,
		    "section not closed");
	return 0;
}

struct tpl *
tpl_parse(const char *text, size_t len, unsigned flags, char *err, size_t errsz)
{
	struct tpl_parser	 p;
	struct tpl		*t;

	if (len > TPL_MAX_SIZE) {
		snprintf(err, errsz, "template larger than %d bytes", TPL_MAX_SIZE);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->t_src = xmalloc(len + 1);
	memcpy(t->t_src, text, len);
	t->t_src[len] = '\0';
	t->t_flags = flags;
	memset(&p, 0, sizeof(p));
	p.p_t = t;
	p.p_src = t->t_src;
	p.p_len = len;
	p.p_err = err;
	p.p_errsz = errsz;
	if (tpl_parse_all(&p) == -1) {
		tpl_free(t);
		return NULL;
	}
	return t;
}

void
tpl_free(struct tpl *t)
{
	if (t == NULL)
		return;
	free(t->t_nodes);
	free(t->t_src);
	free(t);
}

int
tpl_escape(struct buf *out, const char *s, size_t len)
{
	size_t	 run = 0;

	for (size_t i = 0; i < len; i++) {
		const char *rep;

		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		if (buf_append(out, s + run, i - run) == -1 || buf_puts(out, rep) == -1)
			return -1;
		run = i + 1;
	}
	return buf_append(out, s + run, len - run);
}

/* The value of name (len bytes) as Mustache finds it; borrowed or NULL. */
static json_t *
tpl_lookup(const struct tpl_frame *f, const char *name, size_t len)
{
	const char	*dot;
	size_t		 seg;
	json_t		*v = NULL;

	if (len == 1 && name[0] == '.')
		return f != NULL ? f->f_v : NULL;
	dot = memchr(name, '.', len);
	seg = dot != NULL ? (size_t)(dot - name) : len;
	for (; f != NULL; f = f->f_up)
		if (json_is_object(f->f_v) && (v = json_object_getn(f->f_v, name, seg)) != NULL)
			break;
	/* The rest of a dotted name is looked up inside what the first part found. */
	while (v != NULL && dot != NULL) {
		name = dot + 1;
		len -= seg + 1;
		dot = memchr(name, '.', len);
		seg = dot != NULL ? (size_t)(dot - name) : len;
		v = json_is_object(v) ? json_object_getn(v, name, seg) : NULL;
	}
	return v;
}

static int
tpl_truthy(const json_t *v)
{
	if (v == NULL || json_is_null(v) || json_is_false(v))
		return 0;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	return 1;
}

static int
tpl_emit(struct tpl_render_state *r, const char *s, size_t len, int escape)
{
	if (escape && !(r->r_flags & TPL_RAW))
		return tpl_escape(r->r_out, s, len);
	return buf_append(r->r_out, s, len);
}

static int
tpl_emit_value(struct tpl_render_state *r, const json_t *v, int escape)
{
	char	 num[64];

	if (json_is_string(v))
		return tpl_emit(r, json_string_value(v), json_string_length(v), escape);
	if (json_is_integer(v))
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(num, sizeof(num), "%g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(num, sizeof(num), "%s", json_is_true(v) ? "true" : "false");
	else
		return 0;	/* null, objects and arrays print as nothing */
	return tpl_emit(r, num, strlen(num), 1);
}

static int
tpl_render_section(const struct tpl *t, const struct tpl_node *n, size_t i,
    const struct tpl_frame *f, struct tpl_render_state *r)
{
	json_t		*v = tpl_lookup(f, n->str, n->len);
	struct tpl_frame inner;

	if (!tpl_truthy(v) || n->kind == TPL_INVERTED)
		return (!tpl_truthy(v) && n->kind == TPL_INVERTED) ?
		    tpl_render_nodes(t, i + 1, n->end, f, r) : 0;
	inner.f_up = f;
	if (json_is_array(v)) {
		for (size_t k = 0; k < json_array_size(v); k++) {
			inner.f_v = json_array_get(v, k);
			if (tpl_render_nodes(t, i + 1, n->end, &inner, r) == -1)
				return -1;
		}
		return 0;
	}
	inner.f_v = v;
	return tpl_render_nodes(t, i + 1, n->end, &inner, r);
}

/* {{>name}} and {{@key}}: another template, rendered in the same context. */
static int
tpl_render_include(const struct tpl_node *n, const struct tpl_frame *f,
    struct tpl_render_state *r)
{
	const struct tpl_env	*env = r->r_env;
	const struct tpl	*inc = NULL;
	int			 rc;

	if (env != NULL && n->kind == TPL_PARTIAL && env->te_partial != NULL)
		inc = env->te_partial(env->te_arg, n->str, n->len);
	if (env != NULL && n->kind == TPL_MESSAGE && env->te_message != NULL)
		inc = env->te_message(env->te_arg, n->str, n->len);
	if (inc == NULL)
		return 0;
	/* A partial that includes itself would recurse forever. */
	if (r->r_include >= TPL_MAX_INCLUDE)
		return -1;
	r->r_include++;
	rc = tpl_render_nodes(inc, 0, inc->t_n, f, r);
	r->r_include--;
	return rc;
}

static int
tpl_render_nodes(const struct tpl *t, size_t from, size_t to,
    const struct tpl_frame *f, struct tpl_render_state *r)
{
	for (size_t i = from; i < to; i++) {
		const struct tpl_node *n = &t->t_nodes[i];
		int	 rc = 0;

		switch (n->kind) {
		case TPL_TEXT:
			rc = tpl_emit(r, n->str, n->len, (t->t_flags & TPL_PLAIN) != 0);
			break;
		case TPL_VAR:
			rc = tpl_emit_value(r, tpl_lookup(f, n->str, n->len), 1);
			break;
		case TPL_HTML:
			rc = tpl_emit_value(r, tpl_lookup(f, n->str, n->len), 0);
			break;
		case TPL_SECTION:
		case TPL_INVERTED:
			rc = tpl_render_section(t, n, i, f, r);
			i = n->end - 1;
			break;
		case TPL_PARTIAL:
		case TPL_MESSAGE:
			rc = tpl_render_include(n, f, r);
			break;
		}
		if (rc == -1)
			return -1;
	}
	return 0;
}

int
tpl_render(const struct tpl *t, json_t *ctx, const struct tpl_env *env,
    unsigned flags, struct buf *out)
{
	struct tpl_frame	 top = { ctx, NULL };
	struct tpl_render_state	 r = { env, flags, out, 0 };

	return tpl_render_nodes(t, 0, t->t_n, &top, &r);
}
