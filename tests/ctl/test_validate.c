/* Tests of util/validate.h: usernames, slugs, addresses and text, as tables. */
#include <string.h>

#include "tap.h"
#include "util/validate.h"

struct vcase {
	const char	*in;
	int		 valid;
};

static void
run(const char *what, const char *(*fn)(const char *), const struct vcase *c,
    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *why = fn(c[i].in);

		if (!ok((why == NULL) == c[i].valid, "%s '%s' %s", what, c[i].in,
		    c[i].valid ? "accepted" : "refused"))
			printf("#   reason: %s\n", why ? why : "(none)");
	}
}

#define RUN(what, fn, table) run(what, fn, table, sizeof(table) / sizeof(table[0]))

static const struct vcase accounts[] = {
	{ "alice", 1 }, { "Alice", 1 }, { "a", 1 }, { "_", 1 }, { "a_b", 1 },
	{ "rijksoverheid", 1 }, { "min.bzk", 1 }, { "gemeente-utrecht", 1 },
	{ "a.b", 1 }, { "a..b", 1 }, { "a.-b", 1 }, { "x2", 1 }, { "_x_", 1 },
	{ "123456789012345678901234567890", 1 },
	{ "1234567890123456789012345678901", 0 },
	{ "", 0 }, { ".alice", 0 }, { "alice.", 0 }, { "-alice", 0 }, { "alice-", 0 },
	{ ".", 0 }, { "-", 0 }, { "al ice", 0 }, { "al@ice", 0 }, { "alice@a.test", 0 },
	{ "al/ice", 0 }, { "caf\xc3\xa9", 0 }, { "al\nice", 0 }, { "al+ice", 0 },
	/* reserved, in any case */
	{ "admin", 0 }, { "ADMIN", 0 }, { "support", 0 }, { "moderator", 0 },
	{ "root", 0 }, { "webmaster", 0 }, { "actor", 0 }, { "inbox", 0 },
	{ "users", 0 }, { "api", 0 }, { "oauth", 0 }, { "well-known", 0 },
	{ ".well-known", 0 }, { "@", 0 }, { "settings", 0 }, { "about", 0 },
	{ "tags", 0 }, { "instance", 0 }, { "nodeinfo", 0 }, { "postmaster", 0 },
	{ "admins", 1 }, { "inboxes", 1 }, { "api_team", 1 },
};

static const struct vcase users[] = {
	{ "jan", 1 }, { "Jan.de-Vries_2", 1 }, { ".x", 1 }, { "x-", 1 },
	{ "1234567890123456789012345678901234567890123456789012345678901234", 1 },
	{ "12345678901234567890123456789012345678901234567890123456789012345", 0 },
	{ "", 0 }, { "jan vries", 0 }, { "jan@x", 0 }, { "j\xc3\xa1n", 0 },
};

static const struct vcase slugs[] = {
	{ "bzk", 1 }, { "min-bzk", 1 }, { "0ab", 1 }, { "a-", 1 },
	{ "a23456789012345678901234567890123456789012345678901234567890123", 1 },
	{ "a234567890123456789012345678901234567890123456789012345678901234", 0 },
	{ "", 0 }, { "-bzk", 0 }, { "BZK", 0 }, { "min_bzk", 0 }, { "min bzk", 0 },
	{ "min.bzk", 0 },
};

static const struct vcase emails[] = {
	{ "jan@example.org", 1 }, { "a@b", 1 }, { "", 0 }, { "jan", 0 },
	{ "@example.org", 0 }, { "jan@", 0 }, { "jan@a@b", 0 }, { "jan @x.org", 0 },
};

static const struct vcase urls[] = {
	{ "https://www.rijksoverheid.nl/", 1 }, { "http://a.test", 1 },
	{ "HTTPS://A.TEST/x", 1 }, { "", 0 }, { "www.a.test", 0 },
	{ "https://", 0 }, { "https:///path", 0 }, { "javascript:alert(1)", 0 },
	{ "ftp://a.test", 0 }, { "https://a.test/a b", 0 },
};

static const char *
name_1_200(const char *s)
{
	return validate_text(s, 1, 200, 0);
}

static const char *
desc_0_10(const char *s)
{
	return validate_text(s, 0, 10, 1);
}

static const struct vcase names[] = {
	{ "Ministerie van BZK", 1 }, { "Caf\xc3\xa9 \xe2\x82\xac", 1 }, { "x", 1 },
	{ "", 0 }, { "two\nlines", 0 }, { "tab\there", 0 }, { "bad \xc3", 0 },
	{ "overlong \xc0\xaf", 0 }, { "surrogate \xed\xa0\x80", 0 },
	{ "c1 \xc2\x85", 0 },
};

static const struct vcase descs[] = {
	{ "", 1 }, { "a\nb\tc", 1 }, { "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac"
	    "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", 1 },
	{ "12345678901", 0 }, { "bell\a", 0 },
};

int
main(void)
{
	RUN("account username", validate_account_username, accounts);
	RUN("user name", validate_user_username, users);
	RUN("slug", validate_org_slug, slugs);
	RUN("e-mail", validate_email, emails);
	RUN("url", validate_http_url, urls);
	RUN("name", name_1_200, names);
	RUN("description", desc_0_10, descs);
	ok(validate_username_reserved("Admin"), "reserved check ignores case");
	ok(!validate_username_reserved("alice"), "alice is not reserved");
	return done_testing();
}
