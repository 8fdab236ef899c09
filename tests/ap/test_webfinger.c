/* Tests of ap/webfinger.h: every resource form, the instance actor, refusals. */
#include <string.h>

#include "ap/webfinger.h"
#include "tap.h"

#define D "social.example.nl"

static void
accept(const char *resource, const char *want)
{
	char user[64] = "unset";

	is_int(ap_webfinger_parse_resource(resource, D, user, sizeof(user)), AP_WEBFINGER_OK,
	    "accepted: %s", resource);
	is_str(user, want, "user of %s", resource);
}

static void
refuse(const char *resource, enum ap_webfinger_result want)
{
	char user[64];

	is_int(ap_webfinger_parse_resource(resource, D, user, sizeof(user)), want,
	    "refused (%s): %s", want == AP_WEBFINGER_MALFORMED ? "400" : "404",
	    resource ? resource : "(null)");
}

int
main(void)
{
	char	 tiny[4], longres[2000];

	accept("acct:alice@" D, "alice");
	accept("acct:Alice@SOCIAL.example.NL", "Alice");
	accept("ACCT:alice@" D, "alice");
	accept("alice@" D, "alice");
	accept("acct:@alice@" D, "alice");
	accept("https://" D "/@alice", "alice");
	accept("https://" D "/users/alice", "alice");
	accept("http://" D "/users/alice", "alice");
	accept("acct:" D "@" D, "");
	accept("https://" D "/actor", "");
	accept("acct:first.last-x_y@" D, "first.last-x_y");

	refuse(NULL, AP_WEBFINGER_MALFORMED);
	refuse("", AP_WEBFINGER_MALFORMED);
	refuse("alice", AP_WEBFINGER_MALFORMED);
	refuse("acct:alice", AP_WEBFINGER_MALFORMED);
	refuse("acct:@" D, AP_WEBFINGER_MALFORMED);
	refuse("acct:alice@", AP_WEBFINGER_MALFORMED);
	refuse("acct:alice @" D, AP_WEBFINGER_MALFORMED);
	refuse("acct:alice@" D "\n", AP_WEBFINGER_MALFORMED);
	refuse("mailto:alice@" D, AP_WEBFINGER_MALFORMED);
	refuse("https:///@alice", AP_WEBFINGER_MALFORMED);
	refuse("acct:alice@other.example", AP_WEBFINGER_NOT_FOUND);
	refuse("acct:alice@" D ".evil.example", AP_WEBFINGER_NOT_FOUND);
	refuse("acct:alice@evil." D, AP_WEBFINGER_NOT_FOUND);
	refuse("https://other.example/@alice", AP_WEBFINGER_NOT_FOUND);
	refuse("https://" D ".evil/@alice", AP_WEBFINGER_NOT_FOUND);
	refuse("https://" D "/@alice/123", AP_WEBFINGER_NOT_FOUND);
	refuse("https://" D "/about", AP_WEBFINGER_NOT_FOUND);
	refuse("https://" D, AP_WEBFINGER_NOT_FOUND);
	refuse("acct:al/ice@" D, AP_WEBFINGER_NOT_FOUND);
	refuse("acct:al%69ce@" D, AP_WEBFINGER_NOT_FOUND);
	refuse("acct:alice@bob@" D, AP_WEBFINGER_NOT_FOUND);

	memset(longres, 'a', sizeof(longres) - 1);
	longres[sizeof(longres) - 1] = '\0';
	refuse(longres, AP_WEBFINGER_MALFORMED);
	is_int(ap_webfinger_parse_resource("acct:averylongname@" D, D, tiny, sizeof(tiny)),
	    AP_WEBFINGER_NOT_FOUND, "a name longer than the buffer cannot be ours");
	return done_testing();
}
