/*
 * api/acct.h: every form of account address Mastodon apps send to lookup
 * and search, our own domain, and what must be refused.
 */
#include <string.h>

#include "api/acct.h"
#include "tap.h"

static void
accepted(const char *s, const char *user, const char *domain, int local)
{
	struct api_acct	 a;
	const char	*why = api_acct_parse(s, "Social.Example.NL", &a);

	ok(why == NULL, "'%s' is accepted (%s)", s, why ? why : "");
	is_str(a.user, user, "'%s': user", s);
	is_str(a.domain, domain, "'%s': domain", s);
	is_int(a.local, local, "'%s': local", s);
}

static void
refused(const char *s)
{
	struct api_acct	 a;

	ok(api_acct_parse(s, "social.example.nl", &a) != NULL, "'%.40s' is refused", s);
}

int
main(void)
{
	char	 big[API_ACCT_MAX + 10];

	accepted("alice", "alice", "", 1);
	accepted("@Alice", "Alice", "", 1);
	accepted("alice@social.example.nl", "alice", "", 1);
	accepted("@alice@SOCIAL.example.nl", "alice", "", 1);
	accepted("acct:alice@social.example.nl", "alice", "", 1);
	accepted("ACCT:bob@Mastodon.Social", "bob", "mastodon.social", 0);
	accepted("bob_1.x-y@b.test:8443", "bob_1.x-y", "b.test:8443", 0);
	accepted("bob@xn--bcher-kva.example", "bob", "xn--bcher-kva.example", 0);

	refused(NULL);
	refused("");
	refused("@");
	refused("@@x.org");
	refused("alice@");
	refused("alice@@x.org");
	refused("ali ce");
	refused("alice@x.org/path");
	refused("alice@x.org:");
	refused("alice@x.org:123456");
	refused("alice@x.org:12a");
	refused("alice@.x.org");
	refused("alice@x.org.");
	refused("alice@bücher.example");
	refused("al/ice@x.org");
	refused("alice@x.org@y.org");
	refused("al\tice");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	refused(big);
	memset(big, 'a', API_ACCT_USER_MAX);
	big[API_ACCT_USER_MAX] = '\0';
	refused(big);
	return done_testing();
}
