/*
 * Unit tests of web/catalog.h: the "key = text" format, its errors, and
 * the catalogues shipped in web/locales, which must parse and hold the
 * same keys (a message missing in Dutch would show in English).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/str.h"
#include "web/catalog.h"
#include "web/template.h"

static struct web_catalog *
parse(const char *text, char *err, size_t errsz)
{
	return web_catalog_parse(text, strlen(text), err, errsz);
}

/* The message key of c rendered raw with ctx (JSON text); a static buffer. */
static const char *
text_of(const struct web_catalog *c, const char *key, const char *ctx_text)
{
	static char	 out[512];
	const struct tpl *t = web_catalog_get(c, key, strlen(key));
	json_t		*ctx;
	struct buf	 b;

	if (t == NULL)
		return "(none)";
	ctx = json_loads(ctx_text, 0, NULL);
	buf_init(&b, sizeof(out) - 1);
	if (tpl_render(t, ctx, NULL, TPL_RAW, &b) == -1)
		snprintf(out, sizeof(out), "(error)");
	else
		snprintf(out, sizeof(out), "%s", b.data != NULL ? b.data : "");
	buf_cleanup(&b);
	json_decref(ctx);
	return out;
}

static void
test_format(void)
{
	char		 err[200];
	struct web_catalog *c;

	c = parse("# comment\n\n  a.b = Hello {{name}}  \r\nscope.read:statuses=See posts\n"
	    "z = text = with equals\nlast = no newline", err, sizeof(err));
	ok(c != NULL, "a catalogue parses");
	is_int(web_catalog_count(c), 4, "four messages");
	is_str(text_of(c, "a.b", "{\"name\": \"Ann\"}"), "Hello Ann",
	    "keys and texts are trimmed; values are filled in");
	is_str(text_of(c, "scope.read:statuses", "{}"), "See posts", "keys may hold ':'");
	is_str(text_of(c, "z", "{}"), "text = with equals", "the first '=' separates");
	is_str(text_of(c, "last", "{}"), "no newline", "the last line needs no newline");
	is_str(text_of(c, "missing", "{}"), "(none)", "an unknown key is NULL");
	ok(web_catalog_get(c, "a", 1) == NULL, "a prefix of a key is not the key");
	ok(web_catalog_get(c, "a.b.c", 5) == NULL, "nor is a longer key");
	is_str(web_catalog_key(c, 0), "a.b", "keys are sorted");
	ok(web_catalog_key(c, 4) == NULL, "past the last key: NULL");
	web_catalog_free(c);
	web_catalog_free(NULL);
}

static void
test_errors(void)
{
	char	 err[200];

	ok(parse("a = 1\nno equals here\n", err, sizeof(err)) == NULL &&
	    strncmp(err, "line 2:", 7) == 0, "a line without '=': %s", err);
	ok(parse("bad key = 1\n", err, sizeof(err)) == NULL, "a key with a space: %s", err);
	ok(parse(" = 1\n", err, sizeof(err)) == NULL, "an empty key: %s", err);
	ok(parse("a = 1\nb = 2\na = 3\n", err, sizeof(err)) == NULL &&
	    strstr(err, "twice") != NULL, "a repeated key: %s", err);
	ok(parse("a = {{#x}}open\n", err, sizeof(err)) == NULL &&
	    strncmp(err, "line 1:", 7) == 0, "a text that is not a valid template: %s", err);
	ok(parse("a = <b>{{{raw}}}</b>\n", err, sizeof(err)) == NULL,
	    "no raw output in a message either: %s", err);
}

/* Reads the shipped catalogue code into a new catalogue, or NULL. */
static struct web_catalog *
shipped(const char *code)
{
	const char	*src = getenv("MEENT_SRCDIR");
	char		 path[1024], err[200], *text;
	FILE		*fp;
	size_t		 n;
	struct web_catalog *c;

	snprintf(path, sizeof(path), "%s/web/locales/%s.txt", src != NULL ? src : "../..", code);
	if ((fp = fopen(path, "rb")) == NULL) {
		printf("# cannot open %s\n", path);
		return NULL;
	}
	text = malloc(WEB_CATALOG_MAX_SIZE + 1);
	n = fread(text, 1, WEB_CATALOG_MAX_SIZE, fp);
	fclose(fp);
	c = web_catalog_parse(text, n, err, sizeof(err));
	if (c == NULL)
		printf("# %s: %s\n", path, err);
	free(text);
	return c;
}

static void
test_shipped(void)
{
	struct web_catalog *en = shipped("en"), *nl = shipped("nl");
	size_t		 missing = 0;

	ok(en != NULL, "web/locales/en.txt parses");
	ok(nl != NULL, "web/locales/nl.txt parses");
	if (en == NULL || nl == NULL)
		goto out;
	is_int(web_catalog_count(nl), web_catalog_count(en), "as many Dutch as English messages");
	for (size_t i = 0; i < web_catalog_count(en); i++) {
		const char *k = web_catalog_key(en, i);

		if (web_catalog_get(nl, k, strlen(k)) == NULL) {
			printf("# not in nl.txt: %s\n", k);
			missing++;
		}
	}
	is_int(missing, 0, "every English key has a Dutch text");
	is_str(text_of(nl, "signin.lead", "{\"instance\": \"X\", \"app\": {\"name\": \"Y\"}}"),
	    "Log in bij X om verder te gaan naar Y.", "a Dutch text with values");
out:
	web_catalog_free(en);
	web_catalog_free(nl);
}

int
main(void)
{
	test_format();
	test_errors();
	test_shipped();
	return done_testing();
}
