/* Unit tests of web/cookie.h: reading the Cookie header. */
#include <string.h>

#include "tap.h"
#include "web/cookie.h"

static const char *
get(const char *header, const char *name)
{
	static char	 out[64];

	return web_cookie_get(header, name, out, sizeof(out)) == 0 ? out : "(none)";
}

int
main(void)
{
	char	 small[4], big[WEB_COOKIE_MAX_HEADER + 64];

	is_str(get("meent_session=abc", "meent_session"), "abc", "a lone cookie");
	is_str(get("a=1; meent_session=abc; b=2", "meent_session"), "abc", "among others");
	is_str(get("xmeent_session=evil; meent_session=good", "meent_session"), "good",
	    "a name ending in ours is not ours");
	is_str(get("meent_session_x=evil", "meent_session"), "(none)",
	    "a name starting with ours is not ours");
	is_str(get("meent_session=\"quoted\"", "meent_session"), "quoted",
	    "a quoted value (RFC 6265)");
	is_str(get("meent_session=", "meent_session"), "", "an empty value");
	is_str(get("a=1;;  ;meent_session=v ", "meent_session"), "v",
	    "stray separators and trailing space");
	is_str(get("meent_session=first; meent_session=second", "meent_session"), "first",
	    "the first of two (the most specific path comes first)");
	is_str(get("", "meent_session"), "(none)", "an empty header");
	is_str(get(NULL, "meent_session"), "(none)", "no header");
	is_int(web_cookie_get("meent_session=toolong", "meent_session", small, sizeof(small)),
	    -1, "a value that does not fit is refused, not cut");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "meent_session=x;", 16);
	is_str(get(big, "meent_session"), "(none)", "a header over the cap is not read");
	return done_testing();
}
