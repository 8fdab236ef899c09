/*
 * Redirect URIs of OAuth applications, checked as Doorkeeper (Mastodon's
 * OAuth server) checks them when an app registers, and matched as it
 * matches them when the app asks for authorization. Apps register custom
 * schemes ("com.example.app://oauth"), web addresses, or the out-of-band
 * URN that shows the code on a page instead. Pure: no database, no HTTP.
 */
#ifndef MEENT_API_OAUTH_URI_H
#define MEENT_API_OAUTH_URI_H

#include <stddef.h>

#include <jansson.h>

#define OAUTH_OOB_URI		"urn:ietf:wg:oauth:2.0:oob"
#define OAUTH_REDIRECT_MAX	2000	/* Mastodon's limit on an app's URIs together */
#define OAUTH_REDIRECT_URIS_MAX	32	/* URIs one app may register */

/*
 * The reason uri (one URI, borrowed) cannot be a redirect URI, in
 * Doorkeeper's words ("must be an absolute URI."), or NULL when it can:
 * the out-of-band URN, or an absolute URI without a fragment whose
 * scheme is followed by '/', is not data, javascript or vbscript, and
 * which has only the characters RFC 3986 allows. http and https URIs
 * also need a host.
 */
const char	*oauth_redirect_uri_check(const char *uri);

/*
 * Splits text (URIs separated by white space, as Doorkeeper reads the
 * redirect_uris parameter) and checks each. On success returns NULL and
 * stores a new array of the URIs in *out; otherwise the reason (as
 * above, or "can't be blank", "is too long (maximum is 2000 characters)")
 * and *out is NULL.
 */
const char	*oauth_redirect_uris_parse(const char *text, json_t **out);

/*
 * 1 when given (from an authorization request) may be used for the
 * registered URI: the same string, or, for loopback addresses
 * (127.0.0.1, [::1]), the same but for the port (RFC 8252 §7.3: native
 * apps listen on a port they get from the system). Otherwise 0.
 */
int		 oauth_redirect_uri_match(const char *given, const char *registered);

/* 1 when uri is the out-of-band URN. */
int		 oauth_redirect_is_oob(const char *uri);

/*
 * The Content-Security-Policy form-action sources that let a consent form
 * be redirected to uri: "'self'" for the out-of-band URN, "'self' <scheme>:"
 * for a custom scheme, "'self' <scheme>://<host>" for a web address.
 * Written to out; -1 when uri has characters that cannot go into a header
 * source expression (the caller then leaves form-action out, as Mastodon
 * always does on this page).
 */
int		 oauth_redirect_csp(const char *uri, char *out, size_t outsz);

#endif
