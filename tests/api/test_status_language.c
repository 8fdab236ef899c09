/*
 * Unit tests of api/status_language.h: the language of a post as
 * Mastodon's valid_locale_cascade picks it.
 */
#include <stddef.h>

#include "api/status_language.h"
#include "tap.h"

/* The language picked from up to three candidates, or "" for none. */
static const char *
pick(const char *a, const char *b, const char *c)
{
	static char	 out[API_LANGUAGE_MAX];
	const char	*cand[3] = { a, b, c };

	if (api_status_language(cand, 3, out, sizeof(out)) == -1 && out[0] != '\0')
		return "(failed but wrote)";
	return out;
}

int
main(void)
{
	is_str(pick("en", NULL, NULL), "en", "an ISO 639-1 code");
	is_str(pick("nl-NL", NULL, NULL), "nl", "a region after '-' is cut off");
	is_str(pick("pt_BR", NULL, NULL), "pt", "and after '_'");
	is_str(pick("zh-YUE", NULL, NULL), "zh", "whatever the region");
	is_str(pick("tok", NULL, NULL), "tok", "one of Mastodon's ISO 639-3 codes");
	is_str(pick("kmr", NULL, NULL), "kmr", "another");
	is_str(pick("xx", "de", "en"), "de", "an unknown code gives way to the next");
	is_str(pick("EN", NULL, "fr"), "fr", "codes are case-sensitive, as in Mastodon");
	is_str(pick("", NULL, "fi"), "fi", "an empty one is skipped");
	is_str(pick("-en", NULL, NULL), "", "nothing before the region is nothing");
	is_str(pick("english", "eng", NULL), "", "names and ISO 639-2 are not codes here");
	is_str(pick(NULL, NULL, NULL), "", "no candidates: none");
	is_str(pick("en\xff", NULL, NULL), "", "bytes after the code are not a region");
	done_testing();
}
