/* Redirect URIs of OAuth applications: see oauth_uri.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/oauth_uri.h"
#include "util/str.h"

int
oauth_redirect_is_oob(const char *uri)
{
	return strcmp(uri, OAUTH_OOB_URI) == 0;
}

/* RFC 3986 §2: unreserved, reserved, and '%' (checked apart). */
static int
uri_char_ok(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("-._~:/?#[]@!$&'()*+,;=%", c) != NULL;
}

/* The length of the scheme of uri (letters, digits, '+', '-', '.'), or 0. */
static size_t
uri_scheme_len(const char *uri)
{
	size_t	 n = 0;

	if (!((uri[0] >= 'a' && uri[0] <= 'z') || (uri[0] >= 'A' && uri[0] <= 'Z')))
		return 0;
	while ((uri[n] >= 'a' && uri[n] <= 'z') || (uri[n] >= 'A' && uri[n] <= 'Z') ||
	    (uri[n] >= '0' && uri[n] <= '9') || uri[n] == '+' || uri[n] == '-' ||
	    uri[n] == '.')
		n++;
	return uri[n] == ':' ? n : 0;
}

static int
uri_scheme_is(const char *uri, size_t len, const char *scheme)
{
	return strlen(scheme) == len && strncasecmp(uri, scheme, len) == 0;
}

/* The authority of a "scheme://authority/..." URI: start and length. */
static size_t
uri_authority(const char *uri, size_t slen, const char **start)
{
	const char	*a = uri + slen + 1;

	if (a[0] != '/' || a[1] != '/') {
		*start = a;
		return 0;
	}
	a += 2;
	*start = a;
	return strcspn(a, "/?#");
}

const char *
oauth_redirect_uri_check(const char *uri)
{
	size_t		 slen, alen;
	const char	*auth;

	if (oauth_redirect_is_oob(uri))
		return NULL;
	for (size_t i = 0; uri[i] != '\0'; i++) {
		if (!uri_char_ok((unsigned char)uri[i]))
			return "must be a valid URI.";
		if (uri[i] == '%' && (str_hexval(uri[i + 1]) < 0 || str_hexval(uri[i + 2]) < 0))
			return "must be a valid URI.";
	}
	if ((slen = uri_scheme_len(uri)) == 0)
		return "must be an absolute URI.";
	/* Doorkeeper's forbid_redirect_uri in Mastodon's configuration. */
	if (uri_scheme_is(uri, slen, "data") || uri_scheme_is(uri, slen, "javascript") ||
	    uri_scheme_is(uri, slen, "vbscript"))
		return "is forbidden by the server.";
	if (strchr(uri, '#') != NULL)
		return "cannot contain a fragment.";
	/* An opaque URI ("app:callback", or "localhost:3000" read as a
	 * scheme) is what Doorkeeper calls an unspecified scheme. */
	if (uri[slen + 1] != '/' || uri_scheme_is(uri, slen, "localhost"))
		return "must specify a scheme.";
	alen = uri_authority(uri, slen, &auth);
	if ((uri_scheme_is(uri, slen, "http") || uri_scheme_is(uri, slen, "https")) &&
	    alen == 0)
		return "must be an absolute URI.";
	return NULL;
}

const char *
oauth_redirect_uris_parse(const char *text, json_t **out)
{
	const char	*s = text, *why = NULL;
	char		 one[OAUTH_REDIRECT_MAX + 1];
	json_t		*arr;

	*out = NULL;
	if (strlen(text) > OAUTH_REDIRECT_MAX)
		return "is too long (maximum is 2000 characters)";
	arr = json_array();
	while (*s != '\0') {
		size_t	 n;

		s += strspn(s, " \t\r\n\f\v");
		if ((n = strcspn(s, " \t\r\n\f\v")) == 0)
			break;
		memcpy(one, s, n);
		one[n] = '\0';
		s += n;
		if ((why = oauth_redirect_uri_check(one)) != NULL)
			break;
		if (json_array_size(arr) == OAUTH_REDIRECT_URIS_MAX) {
			why = "has too many URIs.";
			break;
		}
		json_array_append_new(arr, json_string(one));
	}
	if (why == NULL && json_array_size(arr) == 0)
		why = "can't be blank";
	if (why != NULL) {
		json_decref(arr);
		return why;
	}
	*out = arr;
	return NULL;
}

/*
 * The loopback host of an http URI ("127.0.0.1" or "[::1]"): sets where
 * the port (":NNN", possibly empty) starts and ends. 0 when uri is not
 * one.
 */
static int
uri_loopback(const char *uri, const char **port, const char **rest)
{
	static const char *const hosts[] = { "http://127.0.0.1", "http://[::1]" };

	for (size_t i = 0; i < 2; i++) {
		size_t	 n = strlen(hosts[i]);

		if (strncasecmp(uri, hosts[i], n) != 0)
			continue;
		*port = uri + n;
		*rest = *port;
		if (**rest == ':') {
			(*rest)++;
			while (**rest >= '0' && **rest <= '9')
				(*rest)++;
		}
		if (**rest == '\0' || **rest == '/' || **rest == '?')
			return 1;
	}
	return 0;
}

int
oauth_redirect_uri_match(const char *given, const char *registered)
{
	const char	*gp, *gr, *rp, *rr;

	if (strcmp(given, registered) == 0)
		return 1;
	if (oauth_redirect_uri_check(given) != NULL)
		return 0;
	if (!uri_loopback(given, &gp, &gr) || !uri_loopback(registered, &rp, &rr))
		return 0;
	/* The same host, and everything after the port the same. */
	return (size_t)(gp - given) == (size_t)(rp - registered) &&
	    strncasecmp(given, registered, (size_t)(gp - given)) == 0 &&
	    strcmp(gr, rr) == 0;
}

int
oauth_redirect_csp(const char *uri, char *out, size_t outsz)
{
	size_t		 slen, alen;
	const char	*auth;

	if (oauth_redirect_is_oob(uri)) {
		snprintf(out, outsz, "'self'");
		return 0;
	}
	if ((slen = uri_scheme_len(uri)) == 0)
		return -1;
	alen = uri_authority(uri, slen, &auth);
	if (!uri_scheme_is(uri, slen, "http") && !uri_scheme_is(uri, slen, "https")) {
		/* A scheme-source (CSP3 §2.3.1): any URI of the app's scheme. */
		if ((size_t)snprintf(out, outsz, "'self' %.*s:", (int)slen, uri) >= outsz)
			return -1;
		return 0;
	}
	/* A host-source: only what the CSP grammar allows, nothing that
	 * could end the directive or the header. */
	for (size_t i = 0; i < alen; i++) {
		char	 c = auth[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' ||
		    c == '[' || c == ']'))
			return -1;
	}
	if (alen == 0 || (size_t)snprintf(out, outsz, "'self' %.*s://%.*s", (int)slen, uri,
	    (int)alen, auth) >= outsz)
		return -1;
	return 0;
}
