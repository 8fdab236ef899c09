/* The Cookie request header: see cookie.h. */
#include <string.h>

#include "web/cookie.h"

int
web_cookie_get(const char *header, const char *name, char *out, size_t outsz)
{
	size_t	 nlen = strlen(name), hlen;
	const char *s = header, *end;

	if (header == NULL || outsz == 0)
		return -1;
	hlen = strnlen(header, WEB_COOKIE_MAX_HEADER + 1);
	if (hlen > WEB_COOKIE_MAX_HEADER)
		return -1;
	end = header + hlen;
	while (s < end) {
		const char *pair, *semi, *v;
		size_t	 vlen;

		while (s < end && (*s == ' ' || *s == '\t' || *s == ';'))
			s++;
		pair = s;
		semi = memchr(s, ';', (size_t)(end - s));
		s = semi != NULL ? semi : end;
		if ((size_t)(s - pair) <= nlen || memcmp(pair, name, nlen) != 0 ||
		    pair[nlen] != '=')
			continue;
		v = pair + nlen + 1;
		vlen = (size_t)(s - v);
		while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
			vlen--;
		/* RFC 6265 allows a value in double quotes. */
		if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
			v++;
			vlen -= 2;
		}
		if (vlen >= outsz)
			return -1;
		memcpy(out, v, vlen);
		out[vlen] = '\0';
		return 0;
	}
	return -1;
}
