/*
 * The words of a local account's profile as Mastodon 4.3 keeps them
 * (app/models/account.rb, account/field.rb): the display name, the bio
 * ("note") typed as plain text and shown as HTML (api/text.h formats it,
 * mentions linked to accounts we know), and up to four fields whose
 * values are shown as HTML with rel="me" links. Validation answers with
 * Mastodon's messages, for "Validation failed: ..." replies.
 */
#ifndef MEENT_API_PROFILE_H
#define MEENT_API_PROFILE_H

#include <jansson.h>

struct db;

#define API_PROFILE_NAME_MAX	30	/* Account::DISPLAY_NAME_LENGTH_LIMIT, code points */
#define API_PROFILE_NOTE_MAX	500	/* Account::NOTE_LENGTH_LIMIT, as NoteLengthValidator counts */
#define API_PROFILE_FIELDS_MAX	4	/* Account::DEFAULT_FIELDS_SIZE */
#define API_PROFILE_FIELD_MAX	255	/* Account::Field's limit for local accounts, code points */

/* What formatting needs to know; all borrowed. */
struct api_profile_env {
	struct db	*db;		/* to find mentioned accounts */
	const char	*base_url;	/* "https://example.org" */
	const char	*domain;	/* "example.org" */
	const char	*username;	/* the profile's own account */
	const char	*url;		/* and its profile page */
};

/* NULL when s is an acceptable display name, else the reason. */
const char	*api_profile_name_check(const char *s);

/*
 * The HTML of the bio text (new), or NULL with *why set to the reason
 * (too long, not UTF-8) or to NULL after a database failure.
 */
char		*api_profile_note_html(const struct api_profile_env *env, const char *text,
		    const char **why);

/*
 * The fields to store (new array of {name, value (HTML), value_source,
 * verified_at}) from fields_attributes (borrowed; an object of objects
 * in the order given, as Rails' hash, or an array), keeping verified_at
 * of a value that did not change (old: the stored array, may be NULL).
 * Blank pairs are dropped and names and values cut to
 * API_PROFILE_FIELD_MAX, as Mastodon does. NULL with *why as above.
 */
json_t		*api_profile_fields(const struct api_profile_env *env, const json_t *attrs,
		    const json_t *old, const char **why);

#endif
