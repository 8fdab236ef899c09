/*
 * Message catalogues: the words of the web pages in one language, in a
 * text file a translator edits without touching C (web/locales/nl.txt):
 *
 *   # Sign-in page
 *   signin.title = Inloggen
 *   consent.lead = {{app.name}} wil toegang tot je account.
 *
 * One "key = value" per line; '#' starts a comment line; blank lines are
 * skipped; keys are letters, digits, '_', '-', '.' and ':' (scope names);
 * the value is
 * trimmed and is plain text (escaped in HTML) with template tags for
 * values of the page (web/template.h). This module parses and looks up;
 * choosing the language is web/locale.h.
 */
#ifndef MEENT_WEB_CATALOG_H
#define MEENT_WEB_CATALOG_H

#include <stddef.h>

struct tpl;
struct web_catalog;

#define WEB_CATALOG_MAX_SIZE	(1024 * 1024)	/* bytes of one catalogue file */
#define WEB_CATALOG_MAX_KEYS	4096

/*
 * Parses len bytes of catalogue text. Returns the catalogue (new;
 * web_catalog_free), or NULL with the reason and line in err: a line
 * without '=', a bad or repeated key, a value that is not a valid
 * template, too many keys or too much text.
 */
struct web_catalog *web_catalog_parse(const char *text, size_t len, char *err,
		    size_t errsz);
void		 web_catalog_free(struct web_catalog *c);

/* The message key (len bytes) as a template (borrowed), or NULL. */
const struct tpl *web_catalog_get(const struct web_catalog *c, const char *key,
		    size_t len);

/* The number of messages in c. */
size_t		 web_catalog_count(const struct web_catalog *c);

/* The key of message i (0 <= i < count), in sorted order; borrowed. */
const char	*web_catalog_key(const struct web_catalog *c, size_t i);

#endif
