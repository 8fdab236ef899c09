/*
 * Validators for the names and short texts that operators and people
 * type in: account usernames (Mastodon's rule), user names, organisation
 * slugs, e-mail addresses, web addresses and free text. Each returns the
 * reason the value is refused, as a static string, or NULL when it is
 * acceptable; the rules match the CHECK constraints of schema/0001, so a
 * value that passes here is not refused by the database.
 */
#ifndef MEENT_UTIL_VALIDATE_H
#define MEENT_UTIL_VALIDATE_H

#include <stddef.h>

#define VALIDATE_ACCOUNT_MAX	30	/* Mastodon's USERNAME_LENGTH_LIMIT */
#define VALIDATE_USER_MAX	64
#define VALIDATE_SLUG_MAX	63
#define VALIDATE_EMAIL_MAX	254	/* RFC 5321's path limit, less the brackets */
#define VALIDATE_URL_MAX	2048

/*
 * A local account's username: Mastodon's USERNAME_RE
 * [a-z0-9_]+([a-z0-9_.-]+[a-z0-9_]+)? (any case), at most 30 characters,
 * and not one of the reserved names that would clash with our routes or
 * that Mastodon reserves by default (admin, support, ...).
 */
const char	*validate_account_username(const char *s);

/* 1 when s is a reserved account username (any case), else 0. */
int		 validate_username_reserved(const char *s);

/* A sign-in name: [A-Za-z0-9_.-], 1 to 64 characters. */
const char	*validate_user_username(const char *s);

/* An organisation slug: [a-z0-9][a-z0-9-]*, at most 63 characters. */
const char	*validate_org_slug(const char *s);

/* A plausible e-mail address: local@domain, no spaces, at most 254 bytes. */
const char	*validate_email(const char *s);

/* An absolute http or https address with a host, no spaces, at most 2048 bytes. */
const char	*validate_http_url(const char *s);

/*
 * Free text: valid UTF-8 of min to max characters (code points), with no
 * control characters except, when multiline, newlines and tabs.
 */
const char	*validate_text(const char *s, size_t min, size_t max, int multiline);

#endif
