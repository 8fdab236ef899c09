/*
 * Account addresses as people and apps type them: "user", "@user",
 * "user@domain", "@user@domain" and "acct:user@domain", the forms that
 * Mastodon's /api/v1/accounts/lookup and account search take. Pure: no
 * database, no network; what the address names is the caller's business.
 */
#ifndef MEENT_API_ACCT_H
#define MEENT_API_ACCT_H

#include <stddef.h>

#define API_ACCT_MAX		600	/* longest address accepted, in bytes */
#define API_ACCT_USER_MAX	256	/* a username part, terminated */
#define API_ACCT_DOMAIN_MAX	264	/* host (253 bytes) and ":port", terminated */

struct api_acct {
	char	 user[API_ACCT_USER_MAX];	/* as given (case kept) */
	char	 domain[API_ACCT_DOMAIN_MAX];	/* lower case; "" when local */
	int	 local;		/* no domain, or our own */
};

/*
 * Parses s into out. The username may hold letters, digits and "_.-"
 * (any case; remote servers are laxer than Mastodon's own rule but never
 * need '@', '/', spaces or controls); the domain is an ASCII host name
 * with an optional ":port". A domain equal to ours (any case) makes the
 * address local, with out->domain "". Returns NULL when valid, otherwise
 * the reason (static text); out is then unspecified.
 */
const char	*api_acct_parse(const char *s, const char *our_domain, struct api_acct *out);

#endif
