/*
 * libFuzzer target for web/template.h and web/catalog.h: the bytes are
 * parsed as a template and as a message catalogue; what parses is rendered
 * with a fixed context whose values hold markup, with a partial that
 * includes the template itself (the include limit must stop it) and with
 * the catalogue's messages. Invariants: rendering ends; without a '<' in
 * the input, no '<' reaches the output (every value and every message's
 * text is escaped); a parsed catalogue finds each of its keys.
 *
 * sources: src/web/template.c src/web/catalog.c src/util/str.c src/util/mem.c
 * pkgs: jansson
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"
#include "web/catalog.h"
#include "web/template.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_env {
	const struct tpl	*self;
	const struct tpl	*fixed;
	const struct web_catalog *catalog;
};

static const struct tpl *
fuzz_partial(void *arg, const char *name, size_t len)
{
	struct fuzz_env *e = arg;

	if (len == 1 && name[0] == 'p')
		return e->self;
	return e->fixed;
}

static const struct tpl *
fuzz_message(void *arg, const char *key, size_t len)
{
	return web_catalog_get(((struct fuzz_env *)arg)->catalog, key, len);
}

static void
fuzz_catalog_keys(const struct web_catalog *c)
{
	for (size_t i = 0; i < web_catalog_count(c); i++) {
		const char *k = web_catalog_key(c, i);

		if (k == NULL || web_catalog_get(c, k, strlen(k)) == NULL)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*text = (const char *)data;
	char			 err[200];
	struct tpl		*t, *fixed;
	struct web_catalog	*c;
	struct fuzz_env		 e;
	struct tpl_env		 env = { fuzz_partial, fuzz_message, &e };
	json_t			*ctx;
	struct buf		 b;

	c = web_catalog_parse(text, size, err, sizeof(err));
	fuzz_catalog_keys(c);
	t = tpl_parse(text, size, size > 0 && (data[0] & 1) ? TPL_PLAIN : 0, err, sizeof(err));
	if (t == NULL) {
		web_catalog_free(c);
		return 0;
	}
	fixed = tpl_parse("[{{a}}{{#l}}{{.}}{{/l}}]", 24, 0, err, sizeof(err));
	e = (struct fuzz_env){ t, fixed, c };
	ctx = json_loads("{\"a\": \"<a href='x'>&\\\"\", \"b\": {\"c\": [1, \"<two>\","
	    " {\"d\": true, \"a\": \"<inner>\"}], \"e\": \"\"}, \"l\": [\"<x>\", \"y\"],"
	    " \"n\": null, \"t\": true, \"f\": 1.5}", 0, NULL);
	buf_init(&b, 1 << 16);
	if (tpl_render(t, ctx, &env, 0, &b) == 0 && memchr(data, '<', size) == NULL &&
	    b.data != NULL && memchr(b.data, '<', b.len) != NULL)
		abort();
	buf_cleanup(&b);
	buf_init(&b, 1 << 16);
	(void)tpl_render(t, ctx, &env, TPL_RAW, &b);
	buf_cleanup(&b);
	json_decref(ctx);
	tpl_free(fixed);
	tpl_free(t);
	web_catalog_free(c);
	return 0;
}
