/* Unit tests of api/oauth_proof.h: HTTP Basic client credentials and PKCE S256. */
#include <string.h>

#include "api/oauth_proof.h"
#include "tap.h"

static int
basic(const char *header, char *id, char *secret)
{
	return oauth_basic_parse(header, id, secret);
}

int
main(void)
{
	char	 id[OAUTH_CLIENT_MAX + 1], secret[OAUTH_CLIENT_MAX + 1];
	char	 v[200];

	/* "client:s3cr:et" */
	is_int(basic("Basic Y2xpZW50OnMzY3I6ZXQ=", id, secret), 0, "Basic credentials");
	is_str(id, "client", "the id");
	is_str(secret, "s3cr:et", "the secret keeps later colons");
	is_int(basic("basic   Y2xpZW50OnMzY3I6ZXQ", id, secret), 0,
	    "the scheme in any case, padding optional");
	is_int(basic("Bearer Y2xpZW50OnMzY3I6ZXQ=", id, secret), -1, "another scheme");
	is_int(basic(NULL, id, secret), -1, "no header");
	is_int(basic("Basic ", id, secret), -1, "nothing after the scheme");
	is_int(basic("Basic Y2xpZW50", id, secret), -1, "no colon (\"client\")");
	is_int(basic("Basic OnNlY3JldA==", id, secret), -1, "an empty id (\":secret\")");
	is_int(basic("Basic Y2xpZW50Og==", id, secret), -1, "an empty secret (\"client:\")");
	is_int(basic("Basic Y2xp!W50OnM=", id, secret), -1, "not base64");
	is_int(basic("Basic Y2xpZW50OnMzY3I6ZXQ= extra", id, secret), -1, "trailing words");
	is_int(basic("Basic YQ", id, secret), -1, "\"a\" has no colon");
	is_int(basic("Basic Y", id, secret), -1, "a lone base64 digit");
	is_str(secret, "", "the secret is wiped on failure");
	/* "a\0:b": a NUL inside the credentials. */
	is_int(basic("Basic YQA6Yg==", id, secret), -1, "a NUL byte");

	ok(oauth_pkce_valid("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "a 43-character value");
	ok(!oauth_pkce_valid("short"), "too short");
	ok(!oauth_pkce_valid("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX+"), "a '+'");
	memset(v, 'a', 129);
	v[129] = '\0';
	ok(!oauth_pkce_valid(v), "129 characters");
	v[128] = '\0';
	ok(oauth_pkce_valid(v), "128 characters");
	/* RFC 7636 Appendix B. */
	ok(oauth_pkce_verify("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
	    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), "RFC 7636's example verifies");
	ok(!oauth_pkce_verify("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj",
	    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), "another verifier does not");
	ok(!oauth_pkce_verify("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
	    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "plain is not S256");
	ok(!oauth_pkce_verify("short", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
	    "a malformed verifier does not");
	return done_testing();
}
