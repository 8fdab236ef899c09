/*
 * The subset of RFC 8941 Structured Field Values that HTTP message
 * signatures need: dictionaries whose members are items or inner lists,
 * with parameters, and the canonical serialisation of bare items and
 * parameters (RFC 9421 §2.1 and §2.3 build the signature base from the
 * serialised form, not from the bytes received). Dates and display
 * strings (RFC 9651) are not parsed: nothing in a signature uses them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap/signature_internal.h"
#include "util/mem.h"

struct sfv_in {
	const char	*s;
	size_t		 pos;
	size_t		 len;
};

static int
in_peek(const struct sfv_in *in)
{
	return in->pos < in->len ? (unsigned char)in->s[in->pos] : -1;
}

static void
in_skip_sp(struct sfv_in *in)
{
	while (in_peek(in) == ' ')
		in->pos++;
}

static void
in_skip_ows(struct sfv_in *in)
{
	while (in_peek(in) == ' ' || in_peek(in) == '\t')
		in->pos++;
}

static int
is_lcalpha(int c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* tchar, RFC 9110 §5.6.2. */
static int
is_tchar(int c)
{
	return c > 0 && (is_alpha(c) || is_digit(c) ||
	    strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Copies n bytes into the pool and terminates them. */
static const char *
pool_add(struct sfv_dict *d, const char *p, size_t n)
{
	char *dst;

	/* The pool was sized from the input, so this cannot fail. */
	if (n + 1 > d->d_pool_cap - d->d_pool_len)
		return NULL;
	dst = d->d_pool + d->d_pool_len;
	memcpy(dst, p, n);
	dst[n] = '\0';
	d->d_pool_len += n + 1;
	return dst;
}

/* RFC 8941 §4.2.3.3: key = ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" ) */
static const char *
parse_key(struct sfv_in *in, struct sfv_dict *d, const char **out)
{
	size_t	start = in->pos;
	int	c = in_peek(in);

	if (!is_lcalpha(c) && c != '*')
		return "structured field: bad key";
	while ((c = in_peek(in)) != -1 && (is_lcalpha(c) || is_digit(c) ||
	    c == '_' || c == '-' || c == '.' || c == '*'))
		in->pos++;
	*out = pool_add(d, in->s + start, in->pos - start);
	return *out == NULL ? "structured field: too large" : NULL;
}

/* RFC 8941 §4.2.4: at most 15 integer digits, or 12 + 3 for a decimal. */
static const char *
parse_number(struct sfv_in *in, struct sfv_bare *v)
{
	int		 neg = 0, c, frac_digits = -1;
	size_t		 int_digits = 0;
	long long	 num = 0;

	if (in_peek(in) == '-') {
		neg = 1;
		in->pos++;
	}
	if (!is_digit(in_peek(in)))
		return "structured field: bad number";
	while ((c = in_peek(in)) != -1) {
		if (is_digit(c)) {
			if (frac_digits >= 0) {
				if (++frac_digits > 3)
					return "structured field: bad decimal";
			} else if (++int_digits > 15) {
				return "structured field: integer too long";
			}
			num = num * 10 + (c - '0');
		} else if (c == '.' && frac_digits < 0) {
			if (int_digits > 12)
				return "structured field: decimal too long";
			frac_digits = 0;
		} else {
			break;
		}
		in->pos++;
	}
	if (frac_digits == 0)
		return "structured field: bad decimal";
	if (frac_digits > 0) {
		while (frac_digits++ < 3)
			num *= 10;
		v->b_type = SFV_DECIMAL;
	} else {
		v->b_type = SFV_INTEGER;
	}
	v->b_num = neg ? -num : num;
	return NULL;
}

/* RFC 8941 §4.2.5: printable ASCII, with only \" and \\ escaped. */
static const char *
parse_string(struct sfv_in *in, struct sfv_dict *d, struct sfv_bare *v)
{
	char	*dst = d->d_pool + d->d_pool_len;
	size_t	 n = 0;
	int	 c;

	in->pos++;	/* the opening quote */
	while ((c = in_peek(in)) != -1) {
		/* Never true (each byte out took one in); kept as the bound. */
		if (d->d_pool_len + n + 2 > d->d_pool_cap)
			return "structured field: too large";
		in->pos++;
		if (c == '\\') {
			c = in_peek(in);
			if (c != '"' && c != '\\')
				return "structured field: bad escape in string";
			in->pos++;
		} else if (c == '"') {
			/* Each output byte consumed at least one input byte. */
			dst[n] = '\0';
			d->d_pool_len += n + 1;
			v->b_type = SFV_STRING;
			v->b_str = dst;
			v->b_len = n;
			return NULL;
		} else if (c < 0x20 || c > 0x7e) {
			return "structured field: bad character in string";
		}
		dst[n++] = (char)c;
	}
	return "structured field: unterminated string";
}

/* RFC 8941 §4.2.6: token = ( ALPHA / "*" ) *( tchar / ":" / "/" ) */
static const char *
parse_token(struct sfv_in *in, struct sfv_dict *d, struct sfv_bare *v)
{
	size_t	start = in->pos;
	int	c;

	while ((c = in_peek(in)) != -1 && (is_tchar(c) || c == ':' || c == '/'))
		in->pos++;
	v->b_type = SFV_TOKEN;
	v->b_len = in->pos - start;
	v->b_str = pool_add(d, in->s + start, v->b_len);
	return v->b_str == NULL ? "structured field: too large" : NULL;
}

/* RFC 8941 §4.2.7: ":" base64 ":" */
static const char *
parse_bytes(struct sfv_in *in, struct sfv_dict *d, struct sfv_bare *v)
{
	const char	*start, *end;
	char		*dst = d->d_pool + d->d_pool_len;
	size_t		 n;

	in->pos++;
	start = in->s + in->pos;
	end = memchr(start, ':', in->len - in->pos);
	if (end == NULL)
		return "structured field: unterminated byte sequence";
	if (sig_b64_decode(start, (size_t)(end - start), (unsigned char *)dst,
	    d->d_pool_cap - d->d_pool_len - 1, &n) == -1)
		return "structured field: bad base64 in byte sequence";
	dst[n] = '\0';
	d->d_pool_len += n + 1;
	in->pos += (size_t)(end - start) + 1;
	v->b_type = SFV_BYTES;
	v->b_str = dst;
	v->b_len = n;
	return NULL;
}

static const char *
parse_bare(struct sfv_in *in, struct sfv_dict *d, struct sfv_bare *v)
{
	int c = in_peek(in);

	memset(v, 0, sizeof(*v));
	if (c == '-' || is_digit(c))
		return parse_number(in, v);
	if (c == '"')
		return parse_string(in, d, v);
	if (c == ':')
		return parse_bytes(in, d, v);
	if (c == '?') {
		in->pos++;
		c = in_peek(in);
		if (c != '0' && c != '1')
			return "structured field: bad boolean";
		in->pos++;
		v->b_type = SFV_BOOLEAN;
		v->b_num = c == '1';
		return NULL;
	}
	if (is_alpha(c) || c == '*')
		return parse_token(in, d, v);
	return "structured field: unexpected character";
}

/* RFC 8941 §4.2.3.2, appending to d_params; first and n say which are ours. */
static const char *
parse_params(struct sfv_in *in, struct sfv_dict *d, size_t *first, size_t *n)
{
	const char *reason;

	*first = d->d_nparams;
	*n = 0;
	while (in_peek(in) == ';') {
		struct sfv_param	*p;
		const char		*key;

		in->pos++;
		in_skip_sp(in);
		if ((reason = parse_key(in, d, &key)) != NULL)
			return reason;
		if (sfv_param_get(d->d_params + *first, *n, key) != NULL)
			return "structured field: duplicate parameter";
		if (d->d_nparams == SFV_MAX_PARAMS)
			return "structured field: too many parameters";
		p = &d->d_params[d->d_nparams];
		p->p_key = key;
		if (in_peek(in) == '=') {
			in->pos++;
			if ((reason = parse_bare(in, d, &p->p_val)) != NULL)
				return reason;
		} else {
			memset(&p->p_val, 0, sizeof(p->p_val));
			p->p_val.b_type = SFV_BOOLEAN;
			p->p_val.b_num = 1;
		}
		d->d_nparams++;
		(*n)++;
	}
	return NULL;
}

static const char *
parse_item(struct sfv_in *in, struct sfv_dict *d)
{
	struct sfv_item	*it;
	const char	*reason;

	if (d->d_nitems == SFV_MAX_ITEMS)
		return "structured field: too many items";
	it = &d->d_items[d->d_nitems];
	if ((reason = parse_bare(in, d, &it->i_val)) != NULL)
		return reason;
	if ((reason = parse_params(in, d, &it->i_param, &it->i_nparams)) != NULL)
		return reason;
	d->d_nitems++;
	return NULL;
}

/* RFC 8941 §4.2.1.2 */
static const char *
parse_inner_list(struct sfv_in *in, struct sfv_dict *d, struct sfv_member *m)
{
	const char *reason;

	in->pos++;	/* "(" */
	m->m_inner = 1;
	m->m_item = d->d_nitems;
	m->m_nitems = 0;
	for (;;) {
		int c;

		in_skip_sp(in);
		c = in_peek(in);
		if (c == -1)
			return "structured field: unterminated inner list";
		if (c == ')') {
			in->pos++;
			return parse_params(in, d, &m->m_param, &m->m_nparams);
		}
		if ((reason = parse_item(in, d)) != NULL)
			return reason;
		m->m_nitems++;
		c = in_peek(in);
		if (c != ' ' && c != ')')
			return "structured field: bad inner list";
	}
}

static const char *
parse_member(struct sfv_in *in, struct sfv_dict *d)
{
	struct sfv_member	*m;
	const char		*reason, *key;

	if ((reason = parse_key(in, d, &key)) != NULL)
		return reason;
	if (sfv_dict_get(d, key) != NULL)
		return "structured field: duplicate dictionary key";
	if (d->d_nmembers == SFV_MAX_MEMBERS)
		return "structured field: too many members";
	m = &d->d_members[d->d_nmembers];
	memset(m, 0, sizeof(*m));
	m->m_key = key;
	if (in_peek(in) != '=') {
		/* A bare key is the Boolean true, with parameters. */
		struct sfv_item *it;

		if (d->d_nitems == SFV_MAX_ITEMS)
			return "structured field: too many items";
		it = &d->d_items[d->d_nitems];
		memset(&it->i_val, 0, sizeof(it->i_val));
		it->i_val.b_type = SFV_BOOLEAN;
		it->i_val.b_num = 1;
		if ((reason = parse_params(in, d, &it->i_param, &it->i_nparams)) != NULL)
			return reason;
		d->d_nitems++;
	} else {
		in->pos++;
		if (in_peek(in) == '(') {
			if ((reason = parse_inner_list(in, d, m)) != NULL)
				return reason;
			d->d_nmembers++;
			return NULL;
		}
		if ((reason = parse_item(in, d)) != NULL)
			return reason;
	}
	m->m_item = d->d_nitems - 1;
	m->m_nitems = 1;
	d->d_nmembers++;
	return NULL;
}

const char *
sfv_parse_dict(const char *s, struct sfv_dict *d)
{
	struct sfv_in	 in = { s, 0, strlen(s) };
	const char	*reason;

	memset(d, 0, sizeof(*d));
	if (in.len > AP_SIGNATURE_MAX_FIELD)
		return "structured field: too long";
	/* Every stored string uses at least one input byte plus a NUL. */
	d->d_pool_cap = 2 * in.len + 2;
	d->d_pool = xmalloc(d->d_pool_cap);
	in_skip_sp(&in);
	if (in.pos == in.len)
		return "structured field: empty";
	for (;;) {
		if ((reason = parse_member(&in, d)) != NULL)
			return reason;
		in_skip_ows(&in);
		if (in.pos == in.len)
			return NULL;
		if (in_peek(&in) != ',')
			return "structured field: expected a comma";
		in.pos++;
		in_skip_ows(&in);
		if (in.pos == in.len)
			return "structured field: trailing comma";
	}
}

void
sfv_dict_cleanup(struct sfv_dict *d)
{
	free(d->d_pool);
	d->d_pool = NULL;
	d->d_nmembers = d->d_nitems = d->d_nparams = 0;
	d->d_pool_len = d->d_pool_cap = 0;
}

const struct sfv_member *
sfv_dict_get(const struct sfv_dict *d, const char *key)
{
	for (size_t i = 0; i < d->d_nmembers; i++)
		if (strcmp(d->d_members[i].m_key, key) == 0)
			return &d->d_members[i];
	return NULL;
}

const struct sfv_param *
sfv_param_get(const struct sfv_param *params, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(params[i].p_key, key) == 0)
			return &params[i];
	return NULL;
}

/* RFC 8941 §4.1.5: the shortest form, at least one fractional digit. */
static int
serialize_decimal(struct buf *b, long long v)
{
	unsigned long long	a = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	unsigned		frac = (unsigned)(a % 1000);
	char			digits[4];
	int			n = 3;

	snprintf(digits, sizeof(digits), "%03u", frac);
	while (n > 1 && digits[n - 1] == '0')
		n--;
	return buf_printf(b, "%s%llu.%.*s", v < 0 ? "-" : "", a / 1000, n, digits);
}

int
sfv_serialize_bare(struct buf *b, const struct sfv_bare *v)
{
	switch (v->b_type) {
	case SFV_INTEGER:
		return buf_printf(b, "%lld", v->b_num);
	case SFV_DECIMAL:
		return serialize_decimal(b, v->b_num);
	case SFV_STRING:
		if (buf_puts(b, "\"") == -1)
			return -1;
		for (size_t i = 0; i < v->b_len; i++) {
			char c = v->b_str[i];

			if ((c == '"' || c == '\\') && buf_puts(b, "\\") == -1)
				return -1;
			if (buf_append(b, &c, 1) == -1)
				return -1;
		}
		return buf_puts(b, "\"");
	case SFV_TOKEN:
		return buf_append(b, v->b_str, v->b_len);
	case SFV_BYTES:
		if (buf_puts(b, ":") == -1 || sig_b64_encode(b, v->b_str, v->b_len) == -1)
			return -1;
		return buf_puts(b, ":");
	case SFV_BOOLEAN:
		return buf_puts(b, v->b_num ? "?1" : "?0");
	}
	return -1;
}

int
sfv_serialize_params(struct buf *b, const struct sfv_param *params, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct sfv_bare *v = &params[i].p_val;

		if (buf_printf(b, ";%s", params[i].p_key) == -1)
			return -1;
		/* A true Boolean parameter is written as the bare key. */
		if (v->b_type == SFV_BOOLEAN && v->b_num == 1)
			continue;
		if (buf_puts(b, "=") == -1 || sfv_serialize_bare(b, v) == -1)
			return -1;
	}
	return 0;
}
