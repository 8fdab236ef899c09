/*
 * libFuzzer target for the OAuth and web parsers of outside input:
 * redirect URIs (api/oauth_uri.h), HTTP Basic client credentials and PKCE
 * values (api/oauth_proof.h), the Cookie header (web/cookie.h) and
 * Accept-Language (web/locale.h). Invariants: a URI that passes the check
 * matches itself and gives a CSP source with nothing that could end a
 * directive or a header; every URI of a parsed list passes the check;
 * parsed credentials are non-empty, NUL-free and within their limits; a
 * cookie value fits its buffer; a language pick is in range.
 *
 * sources: src/api/oauth_uri.c src/api/oauth_proof.c src/web/cookie.c src/web/locale.c src/util/token.c src/util/rand.c src/util/log.c src/util/str.c src/util/mem.c
 * pkgs: jansson libcrypto
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/oauth_proof.h"
#include "api/oauth_uri.h"
#include "web/cookie.h"
#include "web/locale.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_uri(const char *s)
{
	char	 csp[512];
	json_t	*arr, *v;
	size_t	 i;

	if (oauth_redirect_uri_check(s) == NULL) {
		if (!oauth_redirect_uri_match(s, s))
			abort();
		if (oauth_redirect_csp(s, csp, sizeof(csp)) == 0 &&
		    strpbrk(csp, ";,\r\n\"") != NULL)
			abort();
	}
	if (oauth_redirect_uris_parse(s, &arr) == NULL) {
		if (json_array_size(arr) == 0 || json_array_size(arr) > OAUTH_REDIRECT_URIS_MAX)
			abort();
		json_array_foreach(arr, i, v)
			if (oauth_redirect_uri_check(json_string_value(v)) != NULL)
				abort();
		json_decref(arr);
	} else if (arr != NULL) {
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = { "en", "nl" };
	char	*s, id[OAUTH_CLIENT_MAX + 1], secret[OAUTH_CLIENT_MAX + 1], cookie[64];
	int	 pick;

	if (size > 16384)
		return 0;
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_uri(s);
	if (oauth_basic_parse(s, id, secret) == 0 && (id[0] == '\0' || secret[0] == '\0' ||
	    strlen(id) > OAUTH_CLIENT_MAX || strlen(secret) > OAUTH_CLIENT_MAX))
		abort();
	if (oauth_pkce_valid(s) && (strlen(s) < OAUTH_PKCE_MIN || strlen(s) > OAUTH_PKCE_MAX))
		abort();
	(void)oauth_pkce_verify(s, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	if (web_cookie_get(s, "meent_session", cookie, sizeof(cookie)) == 0 &&
	    strlen(cookie) >= sizeof(cookie))
		abort();
	pick = web_locale_pick(s, langs, 2);
	if (pick < -1 || pick > 1)
		abort();
	free(s);
	return 0;
}
