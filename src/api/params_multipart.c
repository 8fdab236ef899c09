/*
 * multipart/form-data bodies (RFC 7578 on RFC 2046 §5.1): the boundary
 * from the Content-Type, then each part's headers and bytes. Text parts
 * become parameters through the same bracket nesting as forms (Rack does
 * the same); parts with a filename become files whose bytes stay in the
 * body.
 *
 * Strict where leniency would let two readers disagree: delimiters and
 * header lines end in CRLF, header lines are not folded and carry no bare
 * CR, LF or other control character, a part has exactly one
 * Content-Disposition of type form-data with a name, and a body without
 * its close delimiter is an error (Rack raises "bad content body").
 * File names are cleaned as Rack cleans them: %XX decoded when every
 * escape is valid (browsers write '"' as %22), the path dropped, invalid
 * UTF-8 replaced with U+FFFD; a control character in one is an error.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "api/params_internal.h"
#include "util/mem.h"
#include "util/str.h"

#define MP_BOUNDARY_MAX	70	/* RFC 2046 §5.1.1 */

/* What a part's headers say. Strings are new. */
struct mp_head {
	char	*name;		/* Content-Disposition's name */
	char	*filename;	/* its filename, NULL when absent */
	char	*filename_ext;	/* its filename* (RFC 8187), NULL when absent */
	char	*type;		/* Content-Type, NULL when absent */
	int	 disposition;	/* a Content-Disposition was seen */
};

static void
mp_head_cleanup(struct mp_head *h)
{
	free(h->name);
	free(h->filename);
	free(h->filename_ext);
	free(h->type);
}

/* RFC 9110 §5.6.2 tchar. */
static int
mp_tchar(int ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

static void
mp_ows(const char **s, const char *end)
{
	while (*s < end && (**s == ' ' || **s == '\t'))
		(*s)++;
}

/*
 * A parameter value at *s: a quoted-string (\" and \\ unescaped; any
 * other backslash kept, as old browsers send Windows paths unescaped) or
 * a bare run up to ';' or white space. New and NUL-terminated in *out.
 */
static int
mp_value(const char **s, const char *end, char **out, size_t *outlen)
{
	const char	*p = *s, *stop = p;
	char		*v;
	size_t		 n = 0;

	/* Sized to the value, not to the rest of the line: a line of many
	 * parameters must not cost its length for each of them. */
	if (stop < end && *stop == '"') {
		for (stop++; stop < end && *stop != '"'; stop++)
			if (*stop == '\\' && stop + 1 < end)
				stop++;
	} else {
		while (stop < end && *stop != ';' && *stop != ' ' && *stop != '\t')
			stop++;
	}
	v = xmalloc((size_t)(stop - p) + 1);
	if (p < end && *p == '"') {
		for (p++; p < end && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < end && (p[1] == '"' || p[1] == '\\'))
				p++;
			if ((unsigned char)*p < 0x20 && *p != '\t')
				goto fail;
			v[n++] = *p;
		}
		if (p == end)
			goto fail;	/* unterminated */
		p++;
	} else {
		for (; p < end && *p != ';' && *p != ' ' && *p != '\t'; p++) {
			if ((unsigned char)*p < 0x20 || *p == '"')
				goto fail;
			v[n++] = *p;
		}
	}
	v[n] = '\0';
	*s = p;
	*out = v;
	*outlen = n;
	return 0;
fail:
	free(v);
	return -1;
}

/*
 * The next ";name=value" of a header value at *s. 1 with *name (nlen
 * bytes, borrowed) and *value (new), 0 at the end, -1 when malformed.
 */
static int
mp_param(const char **s, const char *end, const char **name, size_t *nlen, char **value)
{
	size_t vlen;

	mp_ows(s, end);
	if (*s == end)
		return 0;
	if (**s != ';')
		return -1;
	(*s)++;
	mp_ows(s, end);
	if (*s == end)
		return 0;	/* a trailing ';' */
	*name = *s;
	while (*s < end && mp_tchar((unsigned char)**s))
		(*s)++;
	*nlen = (size_t)(*s - *name);
	mp_ows(s, end);
	if (*nlen == 0 || *s == end || **s != '=')
		return -1;
	(*s)++;
	mp_ows(s, end);
	if (mp_value(s, end, value, &vlen) == -1)
		return -1;
	return 1;
}

static int
mp_is(const char *name, size_t nlen, const char *want)
{
	return nlen == strlen(want) && strncasecmp(name, want, nlen) == 0;
}

/* RFC 2046 §5.1.1 bchars, the last one not a space. */
static int
mp_boundary_ok(const char *b, size_t n)
{
	if (n == 0 || n > MP_BOUNDARY_MAX || b[n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < n; i++) {
		int ch = (unsigned char)b[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= 'A' && ch <= 'Z') || strchr("'()+_,-./:=? ", ch) != NULL))
			return 0;
	}
	return 1;
}

/* The boundary parameter of ctparams into out (MP_BOUNDARY_MAX + 1 bytes). */
static int
mp_boundary(struct params_ctx *c, const char *ctparams, char *out, size_t *outlen)
{
	const char	*s = ctparams, *end = ctparams + strlen(ctparams), *name;
	size_t		 nlen;
	char		*value;
	int		 r, found = 0;

	while ((r = mp_param(&s, end, &name, &nlen, &value)) == 1) {
		if (mp_is(name, nlen, "boundary")) {
			if (found++ || !mp_boundary_ok(value, strlen(value)))
				r = -1;
			else
				*outlen = str_lcpy(out, value, MP_BOUNDARY_MAX + 1);
		}
		free(value);
		if (r == -1)
			break;
	}
	if (r == -1 || !found)
		return params_fail(c, "bad multipart boundary");
	return 0;
}

/*
 * Where the delimiter line found at p (just past "--boundary") ends: past
 * its CRLF, or past "--" for the close delimiter (*close set). NULL when
 * p is not the end of a delimiter ("--boundaryX" is content).
 */
static const char *
mp_delim_end(const char *p, const char *end, int *close)
{
	*close = 0;
	if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
		*close = 1;
		return p + 2;
	}
	mp_ows(&p, end);	/* transport padding */
	if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
		return p + 2;
	return NULL;
}

/*
 * The next delimiter "CRLF--boundary" (pat, patlen) at or after p: the
 * start of its CRLF, *next past its line. NULL when there is none.
 */
static const char *
mp_delim(const char *p, const char *end, const char *pat, size_t patlen, const char **next,
    int *close)
{
	const char *d;

	while ((d = memmem(p, (size_t)(end - p), pat, patlen)) != NULL) {
		if ((*next = mp_delim_end(d + patlen, end, close)) != NULL)
			return d;
		p = d + 1;
	}
	return NULL;
}

/* Content-Disposition: form-data; name="..."; filename="..." */
static int
mp_disposition(struct params_ctx *c, struct mp_head *h, const char *s, const char *end)
{
	const char	*type = s, *name;
	size_t		 nlen;
	char		*value, **slot;
	int		 r;

	if (h->disposition++)
		return params_fail(c, "multipart part with two Content-Dispositions");
	while (s < end && mp_tchar((unsigned char)*s))
		s++;
	if (!mp_is(type, (size_t)(s - type), "form-data"))
		return params_fail(c, "multipart part that is not form-data");
	while ((r = mp_param(&s, end, &name, &nlen, &value)) == 1) {
		slot = mp_is(name, nlen, "name") ? &h->name :
		    mp_is(name, nlen, "filename") ? &h->filename :
		    mp_is(name, nlen, "filename*") ? &h->filename_ext : NULL;
		if (slot == NULL) {
			free(value);
		} else if (*slot != NULL) {
			free(value);
			return params_fail(c, "multipart part with a repeated parameter");
		} else {
			*slot = value;
		}
	}
	if (r == -1)
		return params_fail(c, "malformed multipart Content-Disposition");
	return 0;
}

/* One header line [s, end) of a part. */
static int
mp_header(struct params_ctx *c, struct mp_head *h, const char *s, const char *end)
{
	const char	*colon = memchr(s, ':', (size_t)(end - s)), *v;

	if (s < end && (*s == ' ' || *s == '\t'))
		return params_fail(c, "folded multipart header");
	if (colon == NULL || colon == s)
		return params_fail(c, "malformed multipart header");
	for (const char *p = s; p < colon; p++)
		if (!mp_tchar((unsigned char)*p))
			return params_fail(c, "malformed multipart header");
	for (const char *p = colon + 1; p < end; p++)
		if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
			return params_fail(c, "control character in a multipart header");
	v = colon + 1;
	mp_ows(&v, end);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (mp_is(s, (size_t)(colon - s), "content-disposition"))
		return mp_disposition(c, h, v, end);
	if (mp_is(s, (size_t)(colon - s), "content-type")) {
		if (h->type != NULL)
			return params_fail(c, "multipart part with two Content-Types");
		for (const char *p = v; p < end; p++)
			if ((unsigned char)*p >= 0x7f)
				return params_fail(c, "malformed multipart Content-Type");
		h->type = xstrndup(v, (size_t)(end - v));
	}
	return 0;	/* others (Content-Transfer-Encoding, ...) do not matter */
}

/*
 * Percent-decodes s (NUL-terminated) in place and returns its new length
 * (a %00 makes it longer than strlen), or -1 with s unchanged unless
 * every '%' starts an escape.
 */
static ssize_t
mp_unescape(char *s)
{
	size_t	 i, o = 0, n = strlen(s);
	int	 hi, lo;

	for (i = 0; i < n; i++)
		if (s[i] == '%' && (i + 2 >= n || str_hexval((unsigned char)s[i + 1]) == -1 ||
		    str_hexval((unsigned char)s[i + 2]) == -1))
			return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			hi = str_hexval((unsigned char)s[i + 1]);
			lo = str_hexval((unsigned char)s[i + 2]);
			s[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			s[o++] = s[i];
		}
	}
	s[o] = '\0';
	return (ssize_t)o;
}

/*
 * The file name to keep (new), from filename* (RFC 8187, UTF-8 only) or
 * filename; NULL with the error written.
 */
static char *
mp_filename(struct params_ctx *c, const struct mp_head *h)
{
	const char	*src = h->filename, *base;
	char		*raw = NULL, *q;
	struct buf	 out;
	size_t		 n, i, k;
	ssize_t		 decoded;

	if (h->filename_ext != NULL && strncasecmp(h->filename_ext, "utf-8'", 6) == 0 &&
	    (q = strchr(h->filename_ext + 6, '\'')) != NULL) {
		raw = xstrdup(q + 1);
		if ((decoded = mp_unescape(raw)) == -1) {
			free(raw);
			params_fail(c, "invalid multipart filename");
			return NULL;
		}
	} else {
		raw = xstrdup(src != NULL ? src : "");
		/* As Rack: decoded only when every escape is valid. */
		if ((decoded = mp_unescape(raw)) == -1)
			decoded = (ssize_t)strlen(raw);
	}
	/* Internet Explorer sent whole paths: keep the last part. */
	n = (size_t)decoded;
	while (n > 0 && (raw[n - 1] == '/' || raw[n - 1] == '\\'))
		n--;
	for (base = raw + n; base > raw && base[-1] != '/' && base[-1] != '\\'; base--)
		;
	buf_init(&out, 0);
	buf_append(&out, "", 0);
	for (i = (size_t)(base - raw); i < n; i += k) {
		unsigned char ch = (unsigned char)raw[i];

		if (ch < 0x20 || ch == 0x7f) {
			buf_cleanup(&out);
			free(raw);
			params_fail(c, "control character in a multipart filename");
			return NULL;
		}
		if ((k = params_utf8_len((const unsigned char *)raw + i, n - i)) == 0) {
			buf_append(&out, "\xef\xbf\xbd", 3);	/* U+FFFD, as Ruby's scrub */
			k = 1;
		} else {
			buf_append(&out, raw + i, k);
		}
	}
	free(raw);
	return buf_take(&out);
}

static void
mp_add_file(struct params_ctx *c, const struct mp_head *h, char *filename, const char *data,
    size_t len)
{
	struct api_params	*p = c->c_params;
	struct params_file	*f;

	/* Parts are counted, so this grows at most API_PARAMS_MAX_KEYS times. */
	p->p_files = xrealloc(p->p_files, (p->p_nfiles + 1) * sizeof(*p->p_files));
	f = &p->p_files[p->p_nfiles++];
	f->pf_name = xstrdup(h->name);
	f->pf_filename = filename;
	f->pf_type = xstrdup(h->type != NULL ? h->type : "");
	f->pf_file.name = f->pf_name;
	f->pf_file.filename = f->pf_filename;
	f->pf_file.content_type = f->pf_type;
	f->pf_file.data = (const unsigned char *)data;
	f->pf_file.len = len;
}

/* One part [s, s + n): headers, a blank line, the bytes. */
static int
mp_part(struct params_ctx *c, json_t *obj, const char *s, size_t n)
{
	struct mp_head	 h = { 0 };
	const char	*end = s + n, *body, *line, *eol, *hend;
	char		*filename;
	int		 rc = -1;

	if (params_count(c) == -1)
		return -1;
	if (n >= 2 && s[0] == '\r' && s[1] == '\n') {
		body = s + 2;	/* no headers at all */
	} else if ((hend = memmem(s, n, "\r\n\r\n", 4)) != NULL) {
		body = hend + 4;
		hend += 2;	/* past the last header line's CRLF */
		for (line = s; line < hend; line = eol + 2) {
			eol = memmem(line, (size_t)(hend - line), "\r\n", 2);
			if (mp_header(c, &h, line, eol) == -1)
				goto out;
		}
	} else {
		params_fail(c, "multipart part without the end of its headers");
		goto out;
	}
	if (h.name == NULL || h.name[0] == '\0') {
		params_fail(c, "multipart part without a form-data name");
		goto out;
	}
	if (params_check_text(c, h.name, strlen(h.name), 1) == -1)
		goto out;
	if (h.filename != NULL || h.filename_ext != NULL) {
		/* filename="": a file input left empty, which Rack drops. */
		if (h.filename_ext == NULL && h.filename[0] == '\0') {
			rc = 0;
			goto out;
		}
		if ((filename = mp_filename(c, &h)) == NULL)
			goto out;
		mp_add_file(c, &h, filename, body, (size_t)(end - body));
		rc = 0;
		goto out;
	}
	if (params_check_text(c, body, (size_t)(end - body), 0) == -1)
		goto out;
	rc = params_store(c, obj, h.name, strlen(h.name), json_stringn(body, (size_t)(end - body)));
out:
	mp_head_cleanup(&h);
	return rc;
}

int
params_multipart_parse(struct params_ctx *c, json_t *obj, const char *ctparams,
    const char *body, size_t len)
{
	char		 pat[4 + MP_BOUNDARY_MAX + 1] = "\r\n--";
	size_t		 blen, patlen;
	const char	*end = body + len, *part, *next, *d;
	int		 close;

	if (mp_boundary(c, ctparams, pat + 4, &blen) == -1)
		return -1;
	patlen = 4 + blen;
	/* The first delimiter may open the body, without its CRLF (RFC 2046:
	 * the CRLF belongs to the preamble, which may be empty). */
	if (len >= patlen - 2 && memcmp(body, pat + 2, patlen - 2) == 0 &&
	    (next = mp_delim_end(body + patlen - 2, end, &close)) != NULL)
		;
	else if (mp_delim(body, end, pat, patlen, &next, &close) == NULL)
		return params_fail(c, "multipart body without its boundary");
	while (!close) {
		part = next;
		if ((d = mp_delim(part, end, pat, patlen, &next, &close)) == NULL)
			return params_fail(c, "multipart body without its final boundary");
		if (mp_part(c, obj, part, (size_t)(d - part)) == -1)
			return -1;
	}
	return 0;	/* the epilogue after the close delimiter is ignored */
}
