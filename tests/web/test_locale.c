/* Unit tests of web/locale.h: Accept-Language negotiation. */
#include <string.h>

#include "tap.h"
#include "web/locale.h"

static const char *const langs[] = { "en", "nl" };

static int
pick(const char *accept)
{
	return web_locale_pick(accept, langs, 2);
}

int
main(void)
{
	is_int(pick(NULL), -1, "no header: no match");
	is_int(pick(""), -1, "an empty header: no match");
	is_int(pick("nl"), 1, "nl");
	is_int(pick("nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7"), 1, "a Dutch browser");
	is_int(pick("en-GB,en;q=0.9,nl;q=0.8"), 0, "an English browser that reads Dutch");
	is_int(pick("de-DE,de;q=0.9,nl;q=0.5,en;q=0.4"), 1, "German first, then Dutch");
	is_int(pick("fr"), -1, "nothing we have");
	is_int(pick("en;q=0.5, NL-be;q=0.8"), 1, "higher q wins, case does not matter");
	is_int(pick("nl;q=0, en"), 0, "q=0 means not this one");
	is_int(pick("nl;q=0"), -1, "only a refused language: no match");
	is_int(pick("en,nl"), 0, "a tie goes to the first");
	is_int(pick("*"), 0, "any: the first we have");
	is_int(pick("fr, *;q=0.1"), 0, "a wildcard after one we lack");
	is_int(pick("nl;q=1.5, en"), 0, "a q over 1 is malformed: skipped");
	is_int(pick("nl;q=abc, en;q=0.1"), 0, "a bad q is skipped");
	is_int(pick("nl ; q=0.9 , en ; q=0.8"), 1, "spaces around parameters");
	is_int(pick(",,, ;q=1, nl"), 1, "empty elements are skipped");
	is_int(pick("nl;level=1;q=0.3, en;q=0.2"), 1, "other parameters are ignored");
	is_int(pick("nlx, en;q=0.1"), 0, "nlx is not nl");
	is_int(web_locale_find("NL", langs, 2), 1, "a lang parameter in any case");
	is_int(web_locale_find("de", langs, 2), -1, "an unknown lang parameter");
	is_int(web_locale_find(NULL, langs, 2), -1, "no lang parameter");
	return done_testing();
}
