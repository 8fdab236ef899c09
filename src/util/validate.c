/* Validators of names and texts: see validate.h. */
#include <string.h>
#include <strings.h>

#include "util/validate.h"

/*
 * Names no local account may take. Mastodon's defaults (config/
 * settings.yml reserved_usernames) keep people from impersonating the
 * staff; the rest are first path segments of our own routes or
 * well-known mailbox names (RFC 2142), which an acct: URI resembles.
 */
static const char *const validate_reserved[] = {
	/* Mastodon's defaults */
	"admin", "administrator", "help", "mod", "moderator", "root",
	"support", "webmaster",
	/* RFC 2142 mailboxes */
	"abuse", "hostmaster", "postmaster", "noreply", "no-reply",
	/* routes and paths of the instance */
	"@", ".well-known", "well-known", "about", "actor", "api", "assets",
	"auth", "avatars", "emoji", "explore", "headers", "healthz", "inbox",
	"instance", "media", "metrics", "nodeinfo", "oauth", "outbox", "packs",
	"public", "readyz", "search", "settings", "share", "static", "system",
	"tags", "users", "web",
};
#define VALIDATE_NRESERVED (sizeof(validate_reserved) / sizeof(validate_reserved[0]))

static int
validate_is_alnum(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9');
}

int
validate_username_reserved(const char *s)
{
	for (size_t i = 0; i < VALIDATE_NRESERVED; i++)
		if (strcasecmp(s, validate_reserved[i]) == 0)
			return 1;
	return 0;
}

const char *
validate_account_username(const char *s)
{
	size_t len = strlen(s);

	if (len == 0)
		return "username is empty";
	if (len > VALIDATE_ACCOUNT_MAX)
		return "username too long: at most 30 characters";
	/* Equivalent to the regular expression: every character from
	 * [A-Za-z0-9_.-], the first and the last from [A-Za-z0-9_]. */
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (validate_is_alnum(ch) || ch == '_')
			continue;
		if ((ch == '.' || ch == '-') && i > 0 && i + 1 < len)
			continue;
		return "username may only contain letters, digits and _, "
		    "and . or - between them";
	}
	if (validate_username_reserved(s))
		return "username is reserved";
	return NULL;
}

const char *
validate_user_username(const char *s)
{
	size_t len = strlen(s);

	if (len == 0)
		return "user name is empty";
	if (len > VALIDATE_USER_MAX)
		return "user name too long: at most 64 characters";
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!validate_is_alnum(ch) && ch != '_' && ch != '.' && ch != '-')
			return "user name may only contain letters, digits, _, . and -";
	}
	return NULL;
}

const char *
validate_org_slug(const char *s)
{
	size_t len = strlen(s);

	if (len == 0)
		return "slug is empty";
	if (len > VALIDATE_SLUG_MAX)
		return "slug too long: at most 63 characters";
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			continue;
		if (ch == '-' && i > 0)
			continue;
		return "slug may only contain lower-case letters, digits and -, "
		    "and must start with a letter or digit";
	}
	return NULL;
}

/* 1 when s has a space or a control character. */
static int
validate_has_space(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

const char *
validate_email(const char *s)
{
	const char *at = strchr(s, '@');

	if (strlen(s) > VALIDATE_EMAIL_MAX)
		return "e-mail address too long";
	if (validate_has_space(s))
		return "e-mail address contains a space or control character";
	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL)
		return "e-mail address must look like name@example.org";
	return NULL;
}

const char *
validate_http_url(const char *s)
{
	const char *host;

	if (strlen(s) > VALIDATE_URL_MAX)
		return "address too long";
	if (validate_has_space(s))
		return "address contains a space or control character";
	if (strncasecmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return "address must start with https:// or http://";
	if (*host == '\0' || *host == '/' || *host == '?' || *host == '#')
		return "address has no host";
	return NULL;
}

/*
 * Decodes one UTF-8 sequence at p; returns its length, or 0 when it is
 * malformed (overlong, a surrogate, past U+10FFFF or cut short).
 */
static size_t
validate_utf8_char(const unsigned char *p, unsigned long *cp)
{
	size_t		n;
	unsigned long	c, min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2; c = p[0] & 0x1f; min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3; c = p[0] & 0x0f; min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4; c = p[0] & 0x07; min = 0x10000;
	} else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

const char *
validate_text(const char *s, size_t min, size_t max, int multiline)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 chars = 0, n;
	unsigned long		 cp;

	while (*p != '\0') {
		if ((n = validate_utf8_char(p, &cp)) == 0)
			return "text is not valid UTF-8";
		if ((cp < 0x20 && !(multiline && (cp == '\n' || cp == '\t' ||
		    cp == '\r'))) || (cp >= 0x7f && cp < 0xa0))
			return multiline ? "text contains a control character" :
			    "text must be a single line without control characters";
		p += n;
		if (++chars > max)
			return "text too long";
	}
	if (chars < min)
		return min == 1 ? "text is empty" : "text too short";
	return NULL;
}
