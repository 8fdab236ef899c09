/* Account addresses: see acct.h. Pure, for the fuzzer and unit tests. */
#include <string.h>
#include <strings.h>

#include "api/acct.h"

static int
acct_user_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* Letters, digits, '-', '.' and '_' (some hosts have them), then an
 * optional ":port" of 1 to 5 digits. ASCII only: IDNs come as punycode. */
static const char *
acct_domain_check(const char *d, size_t len)
{
	size_t	 i, host;

	if (len == 0)
		return "empty domain";
	for (host = 0; host < len && d[host] != ':'; host++) {
		unsigned char c = (unsigned char)d[host];

		if (!acct_user_char(c))
			return "bad character in domain";
	}
	if (host == 0 || host > 253 || d[0] == '.' || d[0] == '-' || d[host - 1] == '.')
		return "bad domain";
	if (host < len) {
		size_t digits = len - host - 1;

		if (digits == 0 || digits > 5)
			return "bad port";
		for (i = host + 1; i < len; i++)
			if (d[i] < '0' || d[i] > '9')
				return "bad port";
	}
	return NULL;
}

const char *
api_acct_parse(const char *s, const char *our_domain, struct api_acct *out)
{
	const char	*at, *why;
	size_t		 ulen, dlen, i;

	memset(out, 0, sizeof(*out));
	if (s == NULL || *s == '\0')
		return "empty address";
	if (strlen(s) > API_ACCT_MAX)
		return "address too long";
	if (strncasecmp(s, "acct:", 5) == 0)
		s += 5;
	if (*s == '@')
		s++;
	at = strchr(s, '@');
	ulen = at != NULL ? (size_t)(at - s) : strlen(s);
	if (ulen == 0)
		return "empty username";
	if (ulen >= sizeof(out->user))
		return "username too long";
	for (i = 0; i < ulen; i++)
		if (!acct_user_char((unsigned char)s[i]))
			return "bad character in username";
	memcpy(out->user, s, ulen);
	out->user[ulen] = '\0';
	out->local = 1;
	if (at == NULL)
		return NULL;

	dlen = strlen(at + 1);
	if (dlen >= sizeof(out->domain))
		return "domain too long";
	if ((why = acct_domain_check(at + 1, dlen)) != NULL)
		return why;
	for (i = 0; i < dlen; i++) {
		char c = at[1 + i];

		out->domain[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	out->domain[dlen] = '\0';
	if (our_domain != NULL && strcasecmp(out->domain, our_domain) == 0)
		out->domain[0] = '\0';
	else
		out->local = 0;
	return NULL;
}
