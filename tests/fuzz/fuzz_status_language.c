/*
 * libFuzzer target for api/status_language.h: the "language" a client
 * sends with a post, and the user's stored defaults behind it. The input
 * is split at newlines into up to four candidates.
 *
 * Invariants (abort() on a violation): the answer is "" exactly when the
 * call fails; otherwise it is two or three lower-case letters, the part
 * before any '_' or '-' of one candidate, and asking again with that code
 * alone gives the same code.
 *
 * sources: src/api/status_language.c src/util/str.c src/util/mem.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/status_language.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s = malloc(size + 1), out[API_LANGUAGE_MAX], again[API_LANGUAGE_MAX];
	const char	*cand[4] = { NULL, NULL, NULL, NULL }, *one[1];
	size_t		 n = 0, len;
	int		 rc, found = 0;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (char *p = s; n < 4 && p != NULL; n++) {
		cand[n] = p;
		if ((p = strchr(p, '\n')) != NULL)
			*p++ = '\0';
	}
	rc = api_status_language(cand, n, out, sizeof(out));
	if ((rc == -1) != (out[0] == '\0'))
		abort();
	if (rc == 0) {
		len = strlen(out);
		if (len < 2 || len > 3 || strspn(out, "abcdefghijklmnopqrstuvwxyz") != len)
			abort();
		for (size_t i = 0; i < n; i++)
			if (strncmp(cand[i], out, len) == 0 && strcspn(cand[i], "_-") == len)
				found = 1;
		one[0] = out;
		if (!found || api_status_language(one, 1, again, sizeof(again)) != 0 ||
		    strcmp(again, out) != 0)
			abort();
	}
	free(s);
	return 0;
}
