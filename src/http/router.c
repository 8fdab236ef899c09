/*
 * Route matching: see router.h. Segments are compared one by one; the
 * table is small (one row per endpoint) and scanned in order, so the first
 * matching row wins and more specific patterns go first.
 */
#include <stddef.h>
#include <string.h>

#include "http/router.h"
#include "util/str.h"

/* Decodes [s, s+len) into out; -1 on bad escapes, NUL or '/'. */
static int
decode_segment(const char *s, size_t len, char *out, size_t outsz, size_t *outlen)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		int c = (unsigned char)s[i];

		if (c == '%') {
			int hi, lo;
			if (i + 2 >= len)
				return -1;
			hi = str_hexval((unsigned char)s[i + 1]);
			lo = str_hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = hi * 16 + lo;
			if (c == 0 || c == '/')
				return -1;
			i += 2;
		}
		if (o + 1 >= outsz)
			return -1;
		out[o++] = (char)c;
	}
	out[o++] = '\0';
	*outlen = o;
	return 0;
}

/* Length of the segment starting at s (up to '/' or the end). */
static size_t
seglen(const char *s, const char *end)
{
	const char *p = s;

	while (p < end && *p != '/')
		p++;
	return (size_t)(p - s);
}

/* Tries one pattern; 1 on a match (params filled), 0 otherwise. */
static int
match_pattern(const char *pat, const char *path, const char *pend,
    struct http_match *m)
{
	const char	*pp = path;
	size_t		 used = 0;

	m->nparams = 0;
	for (;;) {
		size_t plen, slen;
		const char *colon;

		if (*pat == '\0' && pp == pend)
			return 1;
		if (*pat != '/' || pp >= pend || *pp != '/')
			return 0;
		pat++;
		pp++;
		plen = strcspn(pat, "/");
		slen = seglen(pp, pend);
		colon = memchr(pat, ':', plen);
		if (colon == NULL) {
			if (plen != slen || memcmp(pat, pp, plen) != 0)
				return 0;
		} else {
			size_t	prefix = (size_t)(colon - pat), vlen;

			/* A parameter matches one non-empty segment. */
			if (slen <= prefix || memcmp(pat, pp, prefix) != 0 ||
			    m->nparams == HTTP_MAX_PARAMS)
				return 0;
			if (decode_segment(pp + prefix, slen - prefix,
			    m->storage + used, sizeof(m->storage) - used, &vlen) == -1)
				return 0;
			m->names[m->nparams] = colon + 1;
			m->name_lens[m->nparams] = plen - prefix - 1;
			m->values[m->nparams] = m->storage + used;
			m->nparams++;
			used += vlen;
		}
		pat += plen;
		pp += slen;
	}
}

enum http_match_result
http_router_match(const struct http_route *table, size_t n, unsigned method,
    const char *path, struct http_match *m)
{
	size_t		 len = strlen(path);
	const char	*pend;
	int		 path_found = 0;

	memset(m, 0, offsetof(struct http_match, storage));
	m->index = -1;
	if (len == 0 || path[0] != '/' || len >= HTTP_MAX_PATH)
		return HTTP_MATCH_BAD_PATH;
	/* "/api/v1/instance/" is "/api/v1/instance", as in Rails. */
	if (len > 1 && path[len - 1] == '/')
		len--;
	pend = path + len;
	for (size_t i = 0; i < n; i++) {
		unsigned methods = table[i].methods;

		if (methods & HTTP_GET)
			methods |= HTTP_HEAD;
		if (!match_pattern(table[i].pattern, path, pend, m))
			continue;
		path_found = 1;
		m->allowed |= methods;
		if (methods & method) {
			m->route = &table[i];
			m->index = (int)i;
			return HTTP_MATCH_OK;
		}
	}
	m->nparams = 0;
	return path_found ? HTTP_MATCH_BAD_METHOD : HTTP_MATCH_NOT_FOUND;
}

const char *
http_match_param(const struct http_match *m, const char *name)
{
	size_t len = strlen(name);

	for (int i = 0; i < m->nparams; i++)
		if (m->name_lens[i] == len && memcmp(m->names[i], name, len) == 0)
			return m->values[i];
	return NULL;
}

const char *
http_methods_string(unsigned methods, char *buf, size_t bufsz)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ HTTP_GET, "GET" }, { HTTP_HEAD, "HEAD" }, { HTTP_POST, "POST" },
		{ HTTP_PUT, "PUT" }, { HTTP_PATCH, "PATCH" },
		{ HTTP_DELETE, "DELETE" }, { HTTP_OPTIONS, "OPTIONS" },
	};
	size_t o = 0;

	if (bufsz == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t l = strlen(names[i].name);

		if (!(methods & names[i].bit))
			continue;
		if (o + l + 3 >= bufsz)
			break;
		if (o > 0) {
			buf[o++] = ',';
			buf[o++] = ' ';
		}
		memcpy(buf + o, names[i].name, l);
		o += l;
		buf[o] = '\0';
	}
	return buf;
}
