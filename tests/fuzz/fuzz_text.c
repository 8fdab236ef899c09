/*
 * libFuzzer target for api/text.h: any bytes as the text of a new post.
 * Invariants (abort() on a violation):
 *  - the scan refuses exactly the inputs that are not UTF-8 (checked by
 *    a validator of our own here) or are too long;
 *  - its entities are in order, disjoint, on character boundaries, and
 *    their values are what the text holds there; its mentions start with
 *    '@' and their usernames are not empty;
 *  - the HTML, with mentions unresolved and with every one resolved, has
 *    the shape tests/api/text_check.h describes (escaped text, only
 *    TextFormatter's markup, links on Mastodon's protocols only);
 *  - read back by an HTML5 parser (gumbo, through ap_html_to_text), the
 *    unresolved HTML shows exactly the characters of the stored text:
 *    nothing injected, nothing lost (white space and invisible controls
 *    aside, which paragraphs, line breaks and squish may change);
 *  - the length is defined for every valid text.
 *
 * sources: src/api/text.c src/api/text_match.c src/api/text_url.c src/api/text_domain.c src/api/text_tld.c src/api/text_ucd.c src/ap/sanitize.c src/ap/sanitize_parse.c src/ap/sanitize_text.c src/util/str.c src/util/mem.c
 * pkgs: gumbo
 * seeds: mastodon-api activities/mastodon-docs
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../api/text_check.h"
#include "ap/sanitize.h"
#include "api/text.h"
#include "api/text_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE "https://example.org"

static void
fail(const char *what, const char *in, const char *out)
{
	fprintf(stderr, "fuzz_text: %s\ninput: %s\noutput: %s\n", what, in, out ? out : "(null)");
	abort();
}

/* Independent of text.c: 1 when s is well-formed UTF-8. */
static int
utf8_ok(const unsigned char *s)
{
	while (*s != '\0') {
		size_t		n;
		uint32_t	c;

		if (s[0] < 0x80) {
			s++;
			continue;
		}
		n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
		if (n == 0 || s[0] > 0xF4)
			return 0;
		c = s[0] & (0x7F >> n);
		for (size_t i = 1; i < n; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return 0;
			c = c << 6 | (s[i] & 0x3F);
		}
		if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
		    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return 0;
		s += n;
	}
	return 1;
}

/*
 * The characters a reader sees: no white space, and none of the controls
 * and noncharacters that gumbo reads as U+FFFD or ap_html_to_text drops
 * (so no U+FFFD either).
 */
static char *
visible(const char *s)
{
	char	*out = malloc(strlen(s) + 1), *w = out;

	while (*s != '\0') {
		const unsigned char	*u = (const unsigned char *)s;
		size_t			 n = u[0] < 0x80 ? 1 : u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : 2;
		uint32_t		 c = n == 1 ? u[0] : u[0] & (0x7F >> n);

		for (size_t i = 1; i < n; i++)
			c = c << 6 | (u[i] & 0x3F);
		if (!(text_is_space(c) || c == 0x0B || (c >= 0x01 && c <= 0x1F) ||
		    (c >= 0x7F && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) ||
		    (c & 0xFFFE) == 0xFFFE || c == 0xFFFD)) {
			memcpy(w, s, n);
			w += n;
		}
		s += n;
	}
	*w = '\0';
	return out;
}

static void
check_scan(const char *in, const struct api_text_scan *scan)
{
	size_t len = strlen(in), prev = 0;

	for (size_t i = 0; i < scan->nentities; i++) {
		const struct api_text_entity	*e = &scan->entities[i];
		const char			*v = e->value;
		size_t				 vlen = strlen(v);

		if (e->start < prev || e->start >= e->end || e->end > len ||
		    (in[e->start] & 0xC0) == 0x80 || (e->end < len && (in[e->end] & 0xC0) == 0x80) ||
		    e->cp_start >= e->cp_end || e->cp_end - e->cp_start > e->end - e->start)
			fail("entity out of place", in, v);
		if ((e->type == API_TEXT_URL && (vlen != e->end - e->start ||
		    memcmp(in + e->start, v, vlen) != 0)) ||
		    (e->type == API_TEXT_HASHTAG && (in[e->start] != '#' ||
		    vlen != e->end - e->start - 1 || memcmp(in + e->start + 1, v, vlen) != 0)) ||
		    (e->type == API_TEXT_MENTION && (in[e->start] != '@' ||
		    vlen != e->end - e->start - 1 || memcmp(in + e->start + 1, v, vlen) != 0)))
			fail("entity value is not the text", in, v);
		prev = e->end;
	}
	for (size_t i = 0; i < scan->nmentions; i++) {
		const struct api_text_mention *m = &scan->mentions[i];

		if (m->end > len || m->start >= m->end || in[m->start] != '@' ||
		    m->username[0] == '\0' || (m->domain != NULL && m->domain[0] == '\0'))
			fail("mention out of place", in, m->username);
	}
}

static void
check_render(const char *in, const struct api_text_scan *scan, int resolve)
{
	struct api_text_account		 author = { "zoe", NULL, NULL, BASE "/@zoe" };
	struct api_text_options		 opts = { BASE, "example.org", &author };
	struct api_text_account		*accounts;
	const struct api_text_account	**resolved;
	struct api_text_result		 res;
	const char			*why;

	accounts = calloc(scan->nmentions + 1, sizeof(accounts[0]));
	resolved = calloc(scan->nmentions + 1, sizeof(resolved[0]));
	for (size_t i = 0; resolve && i < scan->nmentions; i++) {
		accounts[i].username = scan->mentions[i].username;
		accounts[i].domain = scan->mentions[i].domain;
		accounts[i].url = "https://h.example/@x\"<'&";
		resolved[i] = &accounts[i];
	}
	if (api_text_render(in, scan, resolved, &opts, &res) == -1)
		fail("render refused a scanned text", in, NULL);
	if ((why = text_check(res.html, BASE)) != NULL)
		fail(why, in, res.html);
	if (!utf8_ok((const unsigned char *)res.text) || !utf8_ok((const unsigned char *)res.html))
		fail("output is not UTF-8", in, res.html);
	if (api_text_length(NULL, res.text) == (size_t)-1)
		fail("no length for a stored text", in, res.text);
	if (!resolve) {
		char	*shown = ap_html_to_text(res.html, strlen(res.html));
		char	*a, *b;
		size_t	 tags = 0;

		for (const char *p = res.html; *p != '\0'; p++)
			tags += *p == '<';
		/* The parser has caps of its own (ap/sanitize.h); past them, no reading back. */
		if (shown == NULL && (tags > AP_SANITIZE_MAX_TAGS / 8 ||
		    strlen(res.html) > AP_SANITIZE_MAX_INPUT)) {
			api_text_result_cleanup(&res);
			free(accounts);
			free(resolved);
			return;
		}
		if (shown == NULL)
			fail("the HTML cannot be read back", in, res.html);
		a = visible(res.text);
		b = visible(shown);
		if (strcmp(a, b) != 0) {
			fprintf(stderr, "want: %s\ngot:  %s\n", a, b);
			fail("the HTML does not show the text", in, res.html);
		}
		free(a);
		free(b);
		free(shown);
	}
	api_text_result_cleanup(&res);
	free(accounts);
	free(resolved);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_text_scan	 scan;
	const char		*why = NULL;
	char			*in;
	int			 valid;

	if (size > API_TEXT_MAX_BYTES + 16)
		return 0;
	in = malloc(size + 1);
	memcpy(in, data, size);
	in[size] = '\0';
	valid = utf8_ok((const unsigned char *)in) && strlen(in) <= API_TEXT_MAX_BYTES;
	if ((api_text_scan(in, &scan, &why) == 0) != valid)
		fail(valid ? "a valid text refused" : "an invalid text accepted", in, why);
	if (valid) {
		check_scan(in, &scan);
		check_render(in, &scan, 0);
		check_render(in, &scan, 1);
		if (api_text_length("cw", in) == (size_t)-1)
			fail("no length for a valid text", in, NULL);
	} else if (api_text_length(NULL, in) != (size_t)-1)
		fail("a length for an invalid text", in, NULL);
	api_text_scan_cleanup(&scan);
	free(in);
	return 0;
}
