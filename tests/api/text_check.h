/*
 * What every HTML of api_text_render must be, checked by a strict reader
 * of exactly that shape, for tests/api/test_text.c and
 * tests/fuzz/fuzz_text.c: "" or paragraphs <p>...</p> holding escaped
 * text (no raw < > " ', every & one of the five escapes h() writes),
 * <br />, and the three kinds of markup TextFormatter writes, attribute
 * for attribute: links (whose href is the text of their three spans and
 * starts with a protocol Mastodon links), hashtags (under base/tags/) and
 * mentions.
 */
#ifndef MEENT_TESTS_TEXT_CHECK_H
#define MEENT_TESTS_TEXT_CHECK_H

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define TEXT_CHECK_LINK_REL "nofollow noopener noreferrer"

static int
text_check_lit(const char **s, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*s, lit, n) != 0)
		return 0;
	*s += n;
	return 1;
}

/* Escaped text up to the next '<' or '"'; copies it raw into out (may be NULL). */
static const char *
text_check_text(const char **s, char *out, size_t outsz, size_t *outlen)
{
	static const char *const ents[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
	const char *p = *s;

	while (*p != '\0' && *p != '<' && *p != '"') {
		size_t step = 1;

		if (*p == '>' || *p == '\'')
			return "raw > or ' in text";
		if (*p == '&') {
			size_t i;

			for (i = 0; i < 5; i++)
				if (strncmp(p, ents[i], strlen(ents[i])) == 0)
					break;
			if (i == 5)
				return "& that is not one of h()'s escapes";
			step = strlen(ents[i]);
		}
		if (out != NULL) {
			if (*outlen + step >= outsz)
				return "text too long for the checker";
			memcpy(out + *outlen, p, step);
			*outlen += step;
			out[*outlen] = '\0';
		}
		p += step;
	}
	*s = p;
	return NULL;
}

static int
text_check_href_ok(const char *v)
{
	static const char *const ok[] = {
		"http:", "https:", "dat:", "dweb:", "ipfs:", "ipns:", "ssb:", "gopher:", "gemini:",
		"xmpp:", "magnet:",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strncasecmp(v, ok[i], strlen(ok[i])) == 0)
			return 1;
	return 0;
}

#define TEXT_CHECK_MAX 65536

/* After '<a href="': a link or a hashtag, told apart by what follows the href. */
static const char *
text_check_a(const char **s, const char *tags)
{
	static char	 href[TEXT_CHECK_MAX], shown[TEXT_CHECK_MAX];
	size_t		 hl = 0, sl = 0;
	const char	*why;

	href[0] = shown[0] = '\0';
	if ((why = text_check_text(s, href, sizeof(href), &hl)) != NULL)
		return why;
	if (text_check_lit(s, "\" class=\"mention hashtag\" rel=\"tag\">#<span>")) {
		if (strncmp(href, tags, strlen(tags)) != 0)
			return "hashtag not under base/tags/";
		if ((why = text_check_text(s, NULL, 0, NULL)) != NULL)
			return why;
		return text_check_lit(s, "</span></a>") ? NULL : "hashtag: end";
	}
	if (!text_check_lit(s, "\" target=\"_blank\" rel=\"" TEXT_CHECK_LINK_REL "\" translate=\"no\">"
	    "<span class=\"invisible\">"))
		return "link attributes";
	if (!text_check_href_ok(href))
		return "link on a protocol Mastodon does not link";
	if ((why = text_check_text(s, shown, sizeof(shown), &sl)) != NULL)
		return why;
	if (!text_check_lit(s, "</span><span class=\"ellipsis\">") &&
	    !text_check_lit(s, "</span><span class=\"\">"))
		return "link: second span";
	if ((why = text_check_text(s, shown, sizeof(shown), &sl)) != NULL)
		return why;
	if (!text_check_lit(s, "</span><span class=\"invisible\">"))
		return "link: third span";
	if ((why = text_check_text(s, shown, sizeof(shown), &sl)) != NULL)
		return why;
	if (!text_check_lit(s, "</span></a>"))
		return "link: end";
	if (strcmp(href, shown) != 0)
		return "link text is not its href";
	return NULL;
}

/* NULL when html has the shape above, else what is wrong. */
static const char *
text_check(const char *html, const char *base_url)
{
	const char	*s = html, *why;
	char		 tags[512];

	if (*s == '\0')
		return NULL;
	snprintf(tags, sizeof(tags), "%s/tags/", base_url);
	while (*s != '\0') {
		if (!text_check_lit(&s, "<p>"))
			return "not a paragraph";
		for (;;) {
			if ((why = text_check_text(&s, NULL, 0, NULL)) != NULL)
				return why;
			if (*s == '"')
				return "raw \" in text";
			if (text_check_lit(&s, "</p>"))
				break;
			if (text_check_lit(&s, "<br />"))
				continue;
			if (text_check_lit(&s, "<span class=\"h-card\" translate=\"no\"><a href=\"")) {
				if ((why = text_check_text(&s, NULL, 0, NULL)) != NULL)
					return why;
				if (!text_check_lit(&s, "\" class=\"u-url mention\">@<span>"))
					return "mention attributes";
				if ((why = text_check_text(&s, NULL, 0, NULL)) != NULL)
					return why;
				if (!text_check_lit(&s, "</span></a></span>"))
					return "mention: end";
				continue;
			}
			if (text_check_lit(&s, "<a href=\"")) {
				if ((why = text_check_a(&s, tags)) != NULL)
					return why;
				continue;
			}
			return "unexpected markup";
		}
	}
	return NULL;
}

#endif
