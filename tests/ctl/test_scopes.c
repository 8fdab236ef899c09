/* Tests of api/scopes.h: the known list, validation, normalising, coverage. */
#include <string.h>

#include "api/scopes.h"
#include "tap.h"

struct scase {
	const char	*in;
	int		 valid;
};

static const struct scase checks[] = {
	{ "read", 1 }, { "read write follow", 1 }, { "read write follow push", 1 },
	{ "profile", 1 }, { "read:statuses write:media", 1 },
	{ "admin:read admin:write", 1 }, { "admin:read:accounts", 1 },
	{ "admin:write:canonical_email_blocks", 1 }, { "write:conversations", 1 },
	{ "read:search read:notifications", 1 }, { "  read\twrite  ", 1 },
	{ "read read", 1 },
	{ "", 0 }, { "   ", 0 }, { "crypto", 0 }, { "admin", 0 }, { "READ", 0 },
	{ "read,write", 0 }, { "read+write", 0 }, { "read:everything", 0 },
	{ "write:search", 0 }, { "read:media", 0 }, { "admin:read:statuses", 0 },
	{ "read writ", 0 }, { "read:", 0 }, { ":read", 0 },
};

static void
test_check(void)
{
	const char	*bad = NULL;
	size_t		 badlen = 0;

	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		ok((api_scopes_check(checks[i].in, NULL, NULL) == NULL) ==
		    checks[i].valid, "scopes '%s' %s", checks[i].in,
		    checks[i].valid ? "accepted" : "refused");
	ok(api_scopes_check("read bogus write", &bad, &badlen) != NULL &&
	    badlen == 5 && strncmp(bad, "bogus", 5) == 0,
	    "the unknown scope is pointed at");
	ok(api_scope_known("read:lists", 10), "read:lists known");
	ok(!api_scope_known("read:lists", 9), "a prefix is not a scope");
}

static void
test_normalize(void)
{
	char	out[64], tiny[6];

	ok(api_scopes_normalize("  read  write read\tfollow ", out, sizeof(out)) == 0,
	    "normalise");
	is_str(out, "read write follow", "single spaces, duplicates dropped");
	ok(api_scopes_normalize("read bogus", out, sizeof(out)) == -1,
	    "invalid not normalised");
	ok(api_scopes_normalize("read write", tiny, sizeof(tiny)) == -1,
	    "too small a buffer refused");
	ok(api_scopes_normalize("read", tiny, sizeof(tiny)) == 0 &&
	    strcmp(tiny, "read") == 0, "fits exactly");
}

static void
test_allow(void)
{
	ok(api_scopes_allow("read", "read:statuses"), "read covers read:statuses");
	ok(api_scopes_allow("read write", "write:media"), "write covers write:media");
	ok(!api_scopes_allow("read", "write:statuses"), "read does not cover write");
	ok(api_scopes_allow("read:statuses", "read:statuses"), "exact scope");
	ok(!api_scopes_allow("read:statuses", "read"), "child does not cover parent");
	ok(!api_scopes_allow("read:statuses", "read:accounts"), "sibling not covered");
	ok(api_scopes_allow("admin:read", "admin:read:accounts"), "admin:read covers its children");
	ok(!api_scopes_allow("read", "admin:read:accounts"), "read does not cover admin");
	ok(!api_scopes_allow("admin:read", "admin:write:accounts"), "admin:read is not write");
	ok(api_scopes_allow("follow", "write:blocks"), "follow covers write:blocks");
	ok(api_scopes_allow("follow", "read:follows"), "follow covers read:follows");
	ok(!api_scopes_allow("follow", "write:statuses"), "follow is not write");
	ok(!api_scopes_allow("readx", "read:statuses"), "no prefix matching");
	ok(!api_scopes_allow("", "read"), "nothing granted");
}

int
main(void)
{
	test_check();
	test_normalize();
	test_allow();
	return done_testing();
}
