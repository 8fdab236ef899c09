/*
 * The language of a post, as Mastodon's LanguagesHelper reads one: an ISO
 * 639-1 code, or one of the few ISO 639-3 codes Mastodon knows, with any
 * region cut off ("en_US" and "en-GB" are "en"). Pure: no database.
 */
#ifndef MEENT_API_STATUS_LANGUAGE_H
#define MEENT_API_STATUS_LANGUAGE_H

#include <stddef.h>

#define API_LANGUAGE_MAX	4	/* the longest code kept, terminated */

/*
 * The first of the n candidates (each may be NULL) that names a language
 * Mastodon supports, as its code into out (Mastodon's
 * valid_locale_cascade). 0, or -1 when none does (out is "").
 */
int	 api_status_language(const char *const *candidates, size_t n, char *out,
	    size_t outsz);

/* A language Mastodon knows: its code and English name (Language entity). */
struct api_language {
	const char	*code;
	const char	*name;
};

/* Every language Mastodon knows, sorted by code, static; *n of them. */
const struct api_language *api_languages(size_t *n);

#endif
