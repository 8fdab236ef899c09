/*
 * Unit tests of api/oauth_uri.h: redirect URIs as Doorkeeper accepts
 * them at registration, matching at authorization (with the loopback
 * port rule of RFC 8252), and the CSP source for the consent form.
 */
#include <string.h>

#include "api/oauth_uri.h"
#include "tap.h"

static const char *
check(const char *uri)
{
	const char *why = oauth_redirect_uri_check(uri);

	return why != NULL ? why : "ok";
}

static void
test_check(void)
{
	is_str(check("urn:ietf:wg:oauth:2.0:oob"), "ok", "the out-of-band URN");
	is_str(check("https://app.example/callback"), "ok", "a web address");
	is_str(check("http://127.0.0.1:8765/cb"), "ok", "a loopback address");
	is_str(check("com.example.app://oauth"), "ok", "a custom scheme");
	is_str(check("tusky://oauth"), "ok", "Tusky's");
	is_str(check("myapp:/callback"), "ok", "a custom scheme with a path");
	is_str(check("https://app.example/cb?x=1&y=%20"), "ok", "a query and an escape");
	is_str(check("app:callback"), "must specify a scheme.", "an opaque URI");
	is_str(check("localhost:3000"), "must specify a scheme.", "localhost read as a scheme");
	is_str(check("/relative"), "must be an absolute URI.", "a relative URI");
	is_str(check("example.com/cb"), "must be an absolute URI.", "no scheme");
	is_str(check("https://app.example/cb#frag"), "cannot contain a fragment.", "a fragment");
	is_str(check("javascript://alert(1)"), "is forbidden by the server.", "javascript:");
	is_str(check("JavaScript://x"), "is forbidden by the server.", "in any case");
	is_str(check("data://text/html"), "is forbidden by the server.", "data:");
	is_str(check("vbscript://x"), "is forbidden by the server.", "vbscript:");
	is_str(check("https:///path"), "must be an absolute URI.", "https without a host");
	is_str(check("https://app.example/a b"), "must be a valid URI.", "a space");
	is_str(check("https://app.example/<script>"), "must be a valid URI.", "angle brackets");
	is_str(check("https://app.example/\"q"), "must be a valid URI.", "a quote");
	is_str(check("https://app.example/%zz"), "must be a valid URI.", "a bad escape");
	is_str(check("https://app.example/%"), "must be a valid URI.", "a cut escape");
	is_str(check("https://app.example/\xc3\xa9"), "must be a valid URI.", "non-ASCII");
	is_str(check("https://app.example/\r\nX: y"), "must be a valid URI.", "CR LF");
	is_str(check("1app://x"), "must be an absolute URI.", "a scheme starting with a digit");
}

static void
test_parse(void)
{
	json_t		*arr;
	const char	*why;
	char		 big[2100];

	why = oauth_redirect_uris_parse("https://a.example/cb\nurn:ietf:wg:oauth:2.0:oob\r\n"
	    "  app://x  ", &arr);
	ok(why == NULL && json_array_size(arr) == 3, "three URIs separated by white space");
	is_str(json_string_value(json_array_get(arr, 2)), "app://x", "trimmed");
	json_decref(arr);
	why = oauth_redirect_uris_parse("  \n ", &arr);
	is_str(why, "can't be blank", "only white space");
	ok(arr == NULL, "no array on failure");
	is_str(oauth_redirect_uris_parse("", &arr), "can't be blank", "empty");
	is_str(oauth_redirect_uris_parse("https://a.example/\nfoo", &arr),
	    "must be an absolute URI.", "one bad URI fails all");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "https://", 8);
	is_str(oauth_redirect_uris_parse(big, &arr), "is too long (maximum is 2000 characters)",
	    "over 2000 characters");
}

static void
test_match(void)
{
	ok(oauth_redirect_uri_match("app://cb", "app://cb"), "the same URI");
	ok(!oauth_redirect_uri_match("app://cb2", "app://cb"), "another path");
	ok(!oauth_redirect_uri_match("app://cb?x=1", "app://cb"), "an added query");
	ok(!oauth_redirect_uri_match("APP://cb", "app://cb"), "compared exactly");
	ok(oauth_redirect_uri_match("http://127.0.0.1:51234/cb", "http://127.0.0.1/cb"),
	    "a loopback redirect on any port");
	ok(oauth_redirect_uri_match("http://127.0.0.1:51234/cb", "http://127.0.0.1:80/cb"),
	    "a loopback redirect on another port");
	ok(oauth_redirect_uri_match("http://[::1]:9/cb", "http://[::1]/cb"), "IPv6 loopback");
	ok(!oauth_redirect_uri_match("http://127.0.0.1:51234/other", "http://127.0.0.1/cb"),
	    "but the same path");
	ok(!oauth_redirect_uri_match("http://127.0.0.1.evil.example/cb", "http://127.0.0.1/cb"),
	    "a host that only starts like loopback");
	ok(!oauth_redirect_uri_match("http://127.0.0.1:1@evil.example/cb",
	    "http://127.0.0.1/cb"), "userinfo tricks");
	ok(!oauth_redirect_uri_match("https://app.example:444/cb", "https://app.example/cb"),
	    "other hosts keep their port");
	ok(!oauth_redirect_uri_match("http://[::1]:9/cb", "http://127.0.0.1/cb"),
	    "one loopback is not the other");
}

static const char *
csp(const char *uri)
{
	static char	 out[256];

	if (oauth_redirect_csp(uri, out, sizeof(out)) == -1)
		return "(none)";
	return out;
}

static void
test_csp(void)
{
	is_str(csp("urn:ietf:wg:oauth:2.0:oob"), "'self'", "out of band: our own pages");
	is_str(csp("com.example.app://oauth/cb"), "'self' com.example.app:",
	    "a custom scheme as a scheme source");
	is_str(csp("https://app.example:8443/cb?x=1"), "'self' https://app.example:8443",
	    "a web address as a host source");
	is_str(csp("http://[::1]:9/cb"), "'self' http://[::1]:9", "IPv6 loopback");
	is_str(csp("https://a.example;script-src*/x"), "(none)",
	    "nothing that could end the directive");
	is_str(csp("https://user@a.example/x"), "(none)", "userinfo is not a source");
}

int
main(void)
{
	test_check();
	test_parse();
	test_match();
	test_csp();
	return done_testing();
}
