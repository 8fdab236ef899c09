/* Message catalogues: see catalog.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "web/catalog.h"
#include "web/template.h"

struct web_message {
	char		*m_key;		/* owned */
	struct tpl	*m_tpl;		/* owned */
};

struct web_catalog {
	struct web_message	*c_msgs;	/* sorted by key after parsing */
	size_t			 c_n;
	size_t			 c_cap;
};

static int
catalog_key_valid(const char *s, size_t len)
{
	if (len == 0 || len > TPL_MAX_NAME)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == ':'))
			return 0;
	}
	return 1;
}

static int
catalog_cmp(const void *a, const void *b)
{
	return strcmp(((const struct web_message *)a)->m_key,
	    ((const struct web_message *)b)->m_key);
}

static void
catalog_trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
	    (*s)[*len - 1] == '\r'))
		(*len)--;
}

/* One line (len bytes, no newline); 0, or -1 with err set. */
static int
catalog_line(struct web_catalog *c, const char *line, size_t len, int lineno,
    char *err, size_t errsz)
{
	const char	*eq, *key = line, *val;
	size_t		 klen, vlen;
	char		 why[160];
	struct tpl	*t;

	catalog_trim(&key, &len);
	if (len == 0 || key[0] == '#')
		return 0;
	if ((eq = memchr(key, '=', len)) == NULL) {
		snprintf(err, errsz, "line %d: no '=' between key and text", lineno);
		return -1;
	}
	klen = (size_t)(eq - key);
	val = eq + 1;
	vlen = len - klen - 1;
	catalog_trim(&key, &klen);
	catalog_trim(&val, &vlen);
	if (!catalog_key_valid(key, klen)) {
		snprintf(err, errsz, "line %d: bad key", lineno);
		return -1;
	}
	if (c->c_n == WEB_CATALOG_MAX_KEYS) {
		snprintf(err, errsz, "line %d: more than %d messages", lineno,
		    WEB_CATALOG_MAX_KEYS);
		return -1;
	}
	if ((t = tpl_parse(val, vlen, TPL_PLAIN, why, sizeof(why))) == NULL) {
		/* A value is one line: the template's own "line 1: " says nothing. */
		snprintf(err, errsz, "line %d: %s", lineno,
		    strncmp(why, "line 1: ", 8) == 0 ? why + 8 : why);
		return -1;
	}
	if (c->c_n == c->c_cap) {
		c->c_cap = c->c_cap ? c->c_cap * 2 : 64;
		c->c_msgs = xrealloc(c->c_msgs, c->c_cap * sizeof(*c->c_msgs));
	}
	c->c_msgs[c->c_n].m_key = xstrndup(key, klen);
	c->c_msgs[c->c_n].m_tpl = t;
	c->c_n++;
	return 0;
}

struct web_catalog *
web_catalog_parse(const char *text, size_t len, char *err, size_t errsz)
{
	struct web_catalog	*c;
	const char		*s = text, *end = text + len;
	int			 lineno = 0;

	if (len > WEB_CATALOG_MAX_SIZE) {
		snprintf(err, errsz, "catalogue larger than %d bytes", WEB_CATALOG_MAX_SIZE);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t	 n = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);

		if (catalog_line(c, s, n, ++lineno, err, errsz) == -1)
			goto fail;
		s += n + 1;
	}
	if (c->c_n > 0)
		qsort(c->c_msgs, c->c_n, sizeof(*c->c_msgs), catalog_cmp);
	/* A repeated key is a translator's mistake: one of the two would be lost. */
	for (size_t i = 1; i < c->c_n; i++) {
		if (strcmp(c->c_msgs[i - 1].m_key, c->c_msgs[i].m_key) == 0) {
			snprintf(err, errsz, "key %.*s appears twice", TPL_MAX_NAME,
			    c->c_msgs[i].m_key);
			goto fail;
		}
	}
	return c;
fail:
	web_catalog_free(c);
	return NULL;
}

void
web_catalog_free(struct web_catalog *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->c_n; i++) {
		free(c->c_msgs[i].m_key);
		tpl_free(c->c_msgs[i].m_tpl);
	}
	free(c->c_msgs);
	free(c);
}

const struct tpl *
web_catalog_get(const struct web_catalog *c, const char *key, size_t len)
{
	size_t	 lo = 0, hi;

	if (c == NULL)
		return NULL;
	hi = c->c_n;
	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;
		const char *k = c->c_msgs[mid].m_key;
		int	 cmp = strncmp(k, key, len);

		if (cmp == 0 && k[len] != '\0')
			cmp = 1;	/* k is longer: it sorts after key */
		if (cmp == 0)
			return c->c_msgs[mid].m_tpl;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t
web_catalog_count(const struct web_catalog *c)
{
	return c != NULL ? c->c_n : 0;
}

const char *
web_catalog_key(const struct web_catalog *c, size_t i)
{
	return i < web_catalog_count(c) ? c->c_msgs[i].m_key : NULL;
}
