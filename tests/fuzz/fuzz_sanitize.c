/*
 * libFuzzer target for ap/sanitize.h: any bytes a server could send as
 * the content of a post. Invariants (abort() on a violation): the output
 * has the shape tests/ap/sanitize_check.h describes (allowlisted
 * elements and attributes only, well nested, escaped, links on Mastodon's
 * protocols only), and sanitising it again gives it back byte for byte.
 * The plain-text conversion runs on the input and on the output too.
 *
 * sources: src/ap/sanitize.c src/ap/sanitize_parse.c src/ap/sanitize_text.c src/util/str.c src/util/mem.c
 * pkgs: gumbo
 * seeds: activities/lemmy activities/pleroma activities/akkoma activities/rebased activities/mobilizon
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ap/sanitize_check.h"
#include "ap/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const char *in, size_t len, const char *out, const char *again)
{
	fprintf(stderr, "fuzz_sanitize: %s\ninput (%zu bytes): %.*s\noutput: %s\nagain:  %s\n",
	    what, len, (int)len, in, out ? out : "(null)", again ? again : "(null)");
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*in = (const char *)data;
	char		*out, *again = NULL, *text;
	const char	*why;

	out = ap_html_sanitize(in, size, NULL);
	if (out != NULL) {
		if ((why = sanitize_check(out)) != NULL)
			fail(why, in, size, out, NULL);
		again = ap_html_sanitize(out, strlen(out), NULL);
		if (again == NULL || strcmp(out, again) != 0)
			fail("not idempotent", in, size, out, again);
		text = ap_html_to_text(out, strlen(out));
		if (text == NULL)
			fail("no text for a sanitised output", in, size, out, NULL);
		free(text);
	}
	free(ap_html_to_text(in, size));
	free(again);
	free(out);
	return 0;
}
