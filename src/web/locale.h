/*
 * Which language a page is shown in: the reader's Accept-Language header
 * (RFC 9110 §12.5.4) matched against the languages we have catalogues
 * for, by primary subtag ("nl-BE" is nl), highest quality first. Pure:
 * no HTTP, no files.
 */
#ifndef MEENT_WEB_LOCALE_H
#define MEENT_WEB_LOCALE_H

#include <stddef.h>

#define WEB_LOCALE_MAX_HEADER	1024	/* bytes of the header we read */

/*
 * The best of supported (n language codes, lower case, borrowed) for the
 * header value accept (may be NULL): the one with the highest q-value,
 * the earlier in accept on a tie; "*" stands for supported[0]. Returns
 * the index into supported, or -1 when nothing matches (q=0 excludes).
 */
int	 web_locale_pick(const char *accept, const char *const *supported, size_t n);

/* The index of the language code code (a "lang" parameter) in supported, or -1. */
int	 web_locale_find(const char *code, const char *const *supported, size_t n);

#endif
