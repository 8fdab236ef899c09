/*
 * sources: src/api/acct.c
 *
 * libFuzzer target for the account address parser: ?acct= of
 * /api/v1/accounts/lookup and q of /api/v1/accounts/search come straight
 * from clients. An accepted address must be one the parser would take
 * again, with a domain of lower-case ASCII.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/acct.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_acct	 a, b;
	char		*s = malloc(size + 1), again[API_ACCT_USER_MAX + API_ACCT_DOMAIN_MAX + 2];

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (api_acct_parse(s, "social.example.nl", &a) == NULL) {
		for (const char *p = a.domain; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				abort();
		if (a.user[0] == '\0' || a.local != (a.domain[0] == '\0'))
			abort();
		snprintf(again, sizeof(again), "%s%s%s", a.user, a.local ? "" : "@", a.domain);
		if (api_acct_parse(again, "social.example.nl", &b) != NULL ||
		    strcmp(a.user, b.user) != 0 || strcmp(a.domain, b.domain) != 0)
			abort();
	}
	free(s);
	return 0;
}
