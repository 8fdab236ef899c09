/* Tests of util/url.h: origins of http(s) URLs, and what they refuse. */
#include <string.h>

#include "tap.h"
#include "util/url.h"

static void
host_is(const char *url, int allow_http, const char *want)
{
	struct url_origin	 o;
	const char		*why = url_origin_parse(url, allow_http, &o);

	if (!ok(why == NULL, "accepts %s", url))
		printf("#   reason: %s\n", why);
	else
		is_str(o.uo_host, want, "host of %s", url);
}

static void
refused(const char *url, int allow_http, const char *want)
{
	struct url_origin	 o;
	const char		*why = url_origin_parse(url, allow_http, &o);

	is_str(why, want, "refuses %s", url ? url : "NULL");
}

int
main(void)
{
	char longurl[URL_MAX + 16], longhost[300];

	host_is("https://example.com/users/a", 0, "example.com");
	host_is("https://Example.COM", 0, "example.com");
	host_is("HTTPS://example.com?x#y", 0, "example.com");
	host_is("https://example.com:8443/x", 0, "example.com:8443");
	host_is("https://example.com:443/x", 0, "example.com");
	host_is("http://example.com:80/x", 1, "example.com");
	host_is("http://example.com:443/x", 1, "example.com:443");
	host_is("https://[2001:DB8::1]:8443/", 0, "[2001:db8::1]:8443");
	host_is("https://127.0.0.1/", 0, "127.0.0.1");
	host_is("https://xn--q9jyb4c/", 0, "xn--q9jyb4c");
	/* '@' after the authority is path, not userinfo (fedi.vision ids). */
	host_is("https://fedi.vision/@vote@fedi.vision/", 0, "fedi.vision");
	host_is("https://a.example/inbox?u=a@b", 0, "a.example");

	refused(NULL, 0, "URL is empty");
	refused("", 0, "URL is empty");
	refused("http://example.com/", 0, "URL is not https");
	refused("ftp://example.com/", 1, "URL is not http or https");
	refused("//example.com/", 1, "URL is not http or https");
	refused("https://a@b/", 0, "URL has userinfo");
	refused("https://user:pw@example.com/", 0, "URL has userinfo");
	refused("https:///path", 0, "URL has an empty host");
	refused("https://", 0, "URL has an empty host");
	refused("https://:443/", 0, "URL has an empty host");
	refused("https://exa mple.com/", 0, "URL contains spaces, control characters or backslashes");
	refused("https://example.com\\@evil.com/", 0,
	    "URL contains spaces, control characters or backslashes");
	refused("https://example.com/\n", 0, "URL contains spaces, control characters or backslashes");
	refused("https://exa%6dple.com/", 0, "URL host has invalid characters");
	refused("https://ex\xc3\xa4mple.com/", 0, "URL host has invalid characters");
	refused("https://a..b/", 0, "URL host has an empty label");
	refused("https://a.b./", 0, "URL host has an empty label");
	refused("https://example.com:/", 0, "URL port is invalid");
	refused("https://example.com:0/", 0, "URL port is invalid");
	refused("https://example.com:65536/", 0, "URL port is invalid");
	refused("https://example.com:12a/", 0, "URL port is invalid");
	refused("https://example.com:1:2/", 0, "URL port is invalid");
	refused("https://[::1/", 0, "URL has a malformed IPv6 literal");
	refused("https://[::g]/", 0, "URL has a malformed IPv6 literal");
	refused("https://[::1]x/", 0, "URL port is invalid");

	memset(longhost, 'a', sizeof(longhost));
	memcpy(longhost, "https://", 8);
	longhost[sizeof(longhost) - 1] = '\0';
	refused(longhost, 0, "URL host is too long");
	memcpy(longurl, "https://a.example/", 18);
	memset(longurl + 18, 'x', sizeof(longurl) - 19);
	longurl[sizeof(longurl) - 1] = '\0';
	refused(longurl, 0, "URL is too long");

	ok(url_same_host("https://A.example/x", "http://a.EXAMPLE/y"), "same host, any case");
	ok(url_same_host("https://a.example:443/", "https://a.example/"), "default port");
	ok(!url_same_host("https://a.example:8443/", "https://a.example/"), "other port");
	ok(!url_same_host("https://a.example/", "https://b.example/"), "other host");
	ok(!url_same_host("https://a.example/", "https://x@a.example/"), "invalid side");
	ok(!url_same_host(NULL, "https://a.example/"), "NULL side");
	return done_testing();
}
