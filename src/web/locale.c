/* Language negotiation: see locale.h. */
#include <string.h>
#include <strings.h>

#include "web/locale.h"

/* A q-value (RFC 9110 §12.4.2) in thousandths, or -1 when malformed. */
static int
locale_qvalue(const char *s, size_t len)
{
	int	 q, scale = 100;
	size_t	 i;

	if (len == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	q = (s[0] - '0') * 1000;
	if (len == 1)
		return q;
	if (s[1] != '.' || len > 5)
		return -1;
	for (i = 2; i < len; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		q += (s[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

static size_t
locale_skip_ws(const char *s, size_t i, size_t len)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/*
 * The q-value of one element's parameters (the text after the range),
 * 1000 when there is none, -1 when a q parameter is malformed.
 */
static int
locale_params_q(const char *s, size_t len)
{
	size_t	 i = 0;

	while ((i = locale_skip_ws(s, i, len)) < len) {
		size_t	 start, end;

		if (s[i] != ';')
			return -1;
		i = locale_skip_ws(s, i + 1, len);
		start = i;
		while (i < len && s[i] != ';')
			i++;
		end = i;
		while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
			end--;
		if (end - start >= 2 && (s[start] == 'q' || s[start] == 'Q') &&
		    s[start + 1] == '=')
			return locale_qvalue(s + start + 2, end - start - 2);
	}
	return 1000;
}

/* The index in supported of the range (len bytes), or -1. */
static int
locale_match(const char *range, size_t len, const char *const *supported, size_t n)
{
	size_t	 primary = 0;

	if (len == 1 && range[0] == '*')
		return n > 0 ? 0 : -1;
	while (primary < len && range[primary] != '-')
		primary++;
	for (size_t i = 0; i < n; i++)
		if (strlen(supported[i]) == primary &&
		    strncasecmp(supported[i], range, primary) == 0)
			return (int)i;
	return -1;
}

int
web_locale_pick(const char *accept, const char *const *supported, size_t n)
{
	size_t	 len, i = 0;
	int	 best = -1, best_q = 0;

	if (accept == NULL)
		return -1;
	len = strnlen(accept, WEB_LOCALE_MAX_HEADER);
	while (i < len) {
		size_t	 start, rend, end;
		int	 q, idx;

		i = locale_skip_ws(accept, i, len);
		start = i;
		while (i < len && accept[i] != ',')
			i++;
		end = i++;
		rend = start;
		while (rend < end && accept[rend] != ';' && accept[rend] != ' ' &&
		    accept[rend] != '\t')
			rend++;
		if (rend == start)
			continue;
		q = locale_params_q(accept + rend, end - rend);
		idx = locale_match(accept + start, rend - start, supported, n);
		/* Strictly greater: on a tie the earlier element wins. */
		if (idx >= 0 && q > best_q) {
			best = idx;
			best_q = q;
		}
	}
	return best;
}

int
web_locale_find(const char *code, const char *const *supported, size_t n)
{
	if (code == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(code, supported[i]) == 0)
			return (int)i;
	return -1;
}
