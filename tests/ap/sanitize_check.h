/*
 * What every output of ap_html_sanitize must be, checked by a strict
 * reader of that one shape of HTML, for tests/ap/test_sanitize.c and
 * tests/fuzz/fuzz_sanitize.c: only allowlisted elements, properly nested;
 * only allowlisted attributes, double-quoted, with no raw <, > or " in a
 * value; no raw < or > in text; every href on one of Mastodon's link
 * protocols; every <a> with rel="nofollow noopener" target="_blank".
 */
#ifndef MEENT_TESTS_SANITIZE_CHECK_H
#define MEENT_TESTS_SANITIZE_CHECK_H

#include <string.h>
#include <strings.h>

#define SANITIZE_CHECK_DEPTH 256

static int
sanitize_check_in(const char *word, size_t n, const char *list)
{
	while (*list != '\0') {
		size_t len = strcspn(list, " ");

		if (len == n && strncmp(list, word, n) == 0)
			return 1;
		list += len + (list[len] == ' ');
	}
	return 0;
}

static size_t
sanitize_check_name(const char *s)
{
	size_t n = 0;

	while ((s[n] >= 'a' && s[n] <= 'z') || (n > 0 && s[n] >= '0' && s[n] <= '9'))
		n++;
	return n;
}

static int
sanitize_check_href(const char *v, size_t n)
{
	static const char *const ok[] = {
		"http:", "https:", "dat:", "dweb:", "ipfs:", "ipns:", "ssb:", "gopher:",
		"xmpp:", "magnet:", "gemini:",
	};

	for (;;) {
		if (n > 0 && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\f' || *v == '\v')) {
			v++;
			n--;
		} else if (n >= 5 && strncmp(v, "&#13;", 5) == 0) {
			v += 5;
			n -= 5;
		} else
			break;
	}
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (n >= strlen(ok[i]) && strncasecmp(v, ok[i], strlen(ok[i])) == 0)
			return 1;
	return 0;
}

/* NULL when html has the shape above, else what is wrong. */
static const char *
sanitize_check(const char *html)
{
	static const char elements[] = "p br span a del s pre blockquote code b strong u i em "
	    "ul ol li ruby rt rp";
	static const char attrs[] = "lang href rel class translate target start reversed value";
	char		 stack[SANITIZE_CHECK_DEPTH][16];
	size_t		 depth = 0, n;
	const char	*s = html;

	while (*s != '\0') {
		const char	*name;
		int		 end, rel = 0, target = 0;

		if (*s == '>')
			return "raw > in text";
		if (*s++ != '<')
			continue;
		end = *s == '/';
		s += end;
		name = s;
		n = sanitize_check_name(s);
		if (n == 0 || n >= sizeof(stack[0]) || !sanitize_check_in(name, n, elements))
			return "element not in the allowlist (or raw <)";
		s += n;
		if (end) {
			if (*s++ != '>')
				return "junk in an end tag";
			if (depth == 0 || strlen(stack[depth - 1]) != n ||
			    strncmp(stack[depth - 1], name, n) != 0)
				return "end tag does not match";
			depth--;
			continue;
		}
		while (*s == ' ') {
			const char	*a = ++s, *v;
			size_t		 an = sanitize_check_name(s);

			if (an == 0 || !sanitize_check_in(a, an, attrs))
				return "attribute not in the allowlist";
			s += an;
			if (strncmp(s, "=\"", 2) != 0)
				return "attribute value not double-quoted";
			v = s += 2;
			s += strcspn(s, "\"<>");
			if (*s != '"')
				return "raw < or > in an attribute value";
			if (an == 4 && strncmp(a, "href", 4) == 0 && !sanitize_check_href(v, (size_t)(s - v)))
				return "href on a protocol Mastodon does not link";
			if (an == 3 && strncmp(a, "rel", 3) == 0)
				rel = (size_t)(s - v) == 17 && strncmp(v, "nofollow noopener", 17) == 0;
			if (an == 6 && strncmp(a, "target", 6) == 0)
				target = (size_t)(s - v) == 6 && strncmp(v, "_blank", 6) == 0;
			s++;
		}
		if (*s++ != '>')
			return "junk in a start tag";
		if (n == 1 && name[0] == 'a' && (!rel || !target))
			return "<a> without rel=\"nofollow noopener\" target=\"_blank\"";
		if (n == 2 && strncmp(name, "br", 2) == 0)
			continue;
		if (depth == SANITIZE_CHECK_DEPTH)
			return "nested too deep";
		memcpy(stack[depth], name, n);
		stack[depth++][n] = '\0';
	}
	return depth == 0 ? NULL : "element not closed";
}

#endif
