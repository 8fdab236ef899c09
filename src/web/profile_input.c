/*
 * Checks of what readers type into the profile group's pages: see
 * profile_input.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"
#include "util/str.h"
#include "web/profile_input.h"

#define TAG_NAME_MAX	256	/* tags.name's CHECK */

static int
input_is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The length of the UTF-8 sequence at p (1-4), or 0 when it is not valid:
 * no overlong forms, nothing past U+10FFFF, no surrogates. */
static size_t
input_utf8_len(const unsigned char *p)
{
	size_t	 n;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf)
		n = 1;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 2;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 3;
	else
		return 0;
	if ((*p == 0xe0 && p[1] < 0xa0) || (*p == 0xed && p[1] >= 0xa0) ||
	    (*p == 0xf0 && p[1] < 0x90) || (*p == 0xf4 && p[1] >= 0x90))
		return 0;
	for (size_t i = 1; i <= n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n + 1;
}

int
web_tag_name_valid(const char *name)
{
	const unsigned char	*p = (const unsigned char *)name;
	size_t			 len = strlen(name), n;
	int			 nondigit = 0;

	if (len == 0 || len > TAG_NAME_MAX)
		return 0;
	for (; *p != '\0'; p += n) {
		if ((n = input_utf8_len(p)) == 0)
			return 0;
		if (n == 1 && !input_is_alnum(*p) && *p != '_')
			return 0;
		/* Non-ASCII letters and marks are left to the tags table: a
		 * name it does not know is an empty page. */
		if (n > 1 || !(*p >= '0' && *p <= '9'))
			nondigit = 1;
	}
	return nondigit;
}

/*
 * A host name (LDH labels, 1-63 bytes each, not starting or ending with
 * '-') with an optional ":port" (1-65535), lower-cased in place. Names in
 * other scripts must be written in their ASCII (punycode) form.
 */
static int
input_domain_valid(char *d)
{
	char		*colon = strchr(d, ':');
	size_t		 label = 0, hlen = colon != NULL ? (size_t)(colon - d) : strlen(d);
	long long	 port;

	if (hlen == 0 || hlen > 253)
		return 0;
	for (size_t i = 0; i < hlen; i++) {
		if (d[i] >= 'A' && d[i] <= 'Z')
			d[i] = (char)(d[i] - 'A' + 'a');
		if (d[i] == '.') {
			if (label == 0 || d[i - 1] == '-')
				return 0;
			label = 0;
		} else if (input_is_alnum((unsigned char)d[i]) || d[i] == '-') {
			if ((label == 0 && d[i] == '-') || ++label > 63)
				return 0;
		} else
			return 0;
	}
	if (label == 0 || d[hlen - 1] == '-')
		return 0;
	if (colon != NULL && (colon[1] == '\0' ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    str_to_ll(colon + 1, 1, 65535, &port) == -1))
		return 0;
	return 1;
}

/* The user part: what Mastodon, Pleroma and Misskey allow in usernames. */
static int
input_user_valid(const char *u)
{
	size_t	 n = strlen(u);

	if (n == 0 || n > WEB_REMOTE_USER_MAX)
		return 0;
	for (; *u != '\0'; u++)
		if (!input_is_alnum((unsigned char)*u) && strchr("_.-~", *u) == NULL)
			return 0;
	return 1;
}

/* "https://domain/@user" (a trailing '/' allowed) as "user@domain" into out. */
static int
input_from_url(const char *s, char *out, size_t outsz)
{
	const char	*host, *slash;
	size_t		 ulen;

	if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return 0;
	if ((slash = strchr(host, '/')) == NULL || slash[1] != '@')
		return -1;
	ulen = strcspn(slash + 2, "/");
	if (slash[2 + ulen] == '/' && slash[3 + ulen] != '\0')
		return -1;
	if ((size_t)snprintf(out, outsz, "%.*s@%.*s", (int)ulen, slash + 2,
	    (int)(slash - host), host) >= outsz)
		return -1;
	return 1;
}

const char *
web_remote_acct_parse(const char *input, char *user, char *domain)
{
	char	 buf[WEB_REMOTE_INPUT_MAX + 1], url[WEB_REMOTE_INPUT_MAX + 1];
	char	*s, *at;
	int	 r;

	*user = *domain = '\0';
	if (input == NULL)
		return "profile.remote_error_empty";
	if (strlen(input) > WEB_REMOTE_INPUT_MAX)
		return "profile.remote_error_invalid";
	str_lcpy(buf, input, sizeof(buf));
	s = str_trim(buf);
	if (*s == '\0')
		return "profile.remote_error_empty";
	if ((r = input_from_url(s, url, sizeof(url))) == -1)
		return "profile.remote_error_invalid";
	if (r == 1)
		s = url;
	if (strncasecmp(s, "acct:", 5) == 0)
		s += 5;
	if (*s == '@')
		s++;
	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return "profile.remote_error_invalid";
	*at = '\0';
	if (!input_user_valid(s) || strlen(at + 1) > WEB_REMOTE_DOMAIN_MAX)
		return "profile.remote_error_invalid";
	str_lcpy(domain, at + 1, WEB_REMOTE_DOMAIN_MAX + 1);
	if (!input_domain_valid(domain)) {
		*domain = '\0';
		return "profile.remote_error_invalid";
	}
	str_lcpy(user, s, WEB_REMOTE_USER_MAX + 1);
	return NULL;
}

char *
web_remote_follow_url(const char *template, const char *uri, int allow_http)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf	 b;
	const char	*p;
	int		 rc = 0;

	if (template == NULL || uri == NULL || *uri == '\0' ||
	    strstr(template, "{uri}") == NULL || strlen(template) > WEB_REMOTE_URL_MAX)
		return NULL;
	if (strncmp(template, "https://", 8) != 0 &&
	    !(allow_http && strncmp(template, "http://", 7) == 0))
		return NULL;
	/* It becomes a Location header and an address bar's text. */
	for (p = template; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '\'' ||
		    *p == '<' || *p == '>' || *p == '\\')
			return NULL;
	buf_init(&b, WEB_REMOTE_URL_MAX);
	for (p = template; *p != '\0';) {
		if (strncmp(p, "{uri}", 5) == 0) {
			for (const char *u = uri; *u != '\0'; u++) {
				unsigned char c = (unsigned char)*u;

				if (input_is_alnum(c) || (c != '\0' && strchr("-._~", c) != NULL))
					rc |= buf_append(&b, u, 1);
				else
					rc |= buf_printf(&b, "%%%c%c", hex[c >> 4], hex[c & 15]);
			}
			p += 5;
		} else
			rc |= buf_append(&b, p++, 1);
	}
	if (rc != 0 || b.data == NULL) {
		buf_cleanup(&b);
		return NULL;
	}
	return buf_take(&b);
}
