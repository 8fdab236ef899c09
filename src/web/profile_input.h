/*
 * What readers type into the profile group's URLs and forms, checked
 * before anything is looked up: hashtag names (/tags/:name), the handle
 * given to the remote-follow form, and the subscribe template that the
 * reader's server answers with (WebFinger's
 * http://ostatus.org/schema/1.0/subscribe link). Pure: no I/O, no state;
 * tests/fuzz/fuzz_web_profile_input.c runs it on arbitrary bytes.
 */
#ifndef MEENT_WEB_PROFILE_INPUT_H
#define MEENT_WEB_PROFILE_INPUT_H

#include <stddef.h>

#define WEB_REMOTE_INPUT_MAX	600	/* bytes of a typed handle or profile URL */
#define WEB_REMOTE_USER_MAX	128	/* bytes of its user part */
#define WEB_REMOTE_DOMAIN_MAX	260	/* bytes of its domain, ":port" included */
#define WEB_REMOTE_URL_MAX	2048	/* bytes of the redirect we build */

/*
 * 1 when name could be a hashtag: 1 to 256 bytes of valid UTF-8 whose
 * ASCII characters are letters, digits and '_', not digits alone
 * (Mastodon's Tag::HASHTAG_NAME_RE needs a letter); else 0.
 */
int		 web_tag_name_valid(const char *name);

/*
 * Reads a handle as people write theirs: "@you@example.social",
 * "you@example.social", "acct:you@example.social", or a profile URL
 * "https://example.social/@you", with white space around. Fills user and
 * domain (lower case, a ":port" kept; user at least WEB_REMOTE_USER_MAX+1
 * bytes, domain WEB_REMOTE_DOMAIN_MAX+1). Returns NULL, or the key of
 * the message that says what is wrong ("profile.remote_error_empty",
 * "profile.remote_error_invalid").
 */
const char	*web_remote_acct_parse(const char *input, char *user, char *domain);

/*
 * The address to send the reader to: template (from the reader's
 * server, untrusted) with every "{uri}" replaced by uri (not empty),
 * percent-encoded.
 * The template must be an https URL (http too when allow_http) holding
 * "{uri}", without white space, controls or quotes, and the result at
 * most WEB_REMOTE_URL_MAX bytes. Returns a new string (free it) or NULL.
 */
char		*web_remote_follow_url(const char *template, const char *uri, int allow_http);

#endif
