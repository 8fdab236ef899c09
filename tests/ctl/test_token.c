/* Tests of util/token.h: format, uniqueness, SHA-256 hex, comparison. */
#include <string.h>

#include "tap.h"
#include "util/token.h"

int
main(void)
{
	char	 a[TOKEN_BUFSZ], b[TOKEN_BUFSZ], h[TOKEN_HASH_BUFSZ];
	size_t	 bad = 0;

	token_new(a);
	token_new(b);
	is_int(strlen(a), TOKEN_LEN, "token is 43 characters");
	for (const char *p = a; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			bad++;
	is_int(bad, 0, "token is base64url without padding");
	ok(strcmp(a, b) != 0, "two tokens differ");

	/* FIPS 180-2 test vector and the empty string. */
	ok(token_hash("abc", h) == 0, "hash succeeds");
	is_str(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "SHA-256 of abc");
	ok(token_hash("", h) == 0, "hash of empty string");
	is_str(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	    "SHA-256 of empty string");
	ok(token_hash(a, h) == 0 && strlen(h) == TOKEN_HASH_LEN, "token hash is 64 hex digits");
	ok(strcmp(h, a) != 0, "hash differs from token");

	ok(token_equal(a, a), "equal to itself");
	ok(!token_equal(a, b), "different tokens unequal");
	ok(!token_equal("abc", "abcd"), "different lengths unequal");
	ok(!token_equal("abd", "abc"), "last byte differs");
	ok(token_equal("", ""), "empty strings equal");
	return done_testing();
}
