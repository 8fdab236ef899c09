/*
 * Remote HTML: the content, summary and contentMap of Notes, Articles,
 * Pages and Questions, and actor summaries, cut down to Mastodon's strict
 * allowlist (lib/sanitize_ext/sanitize_config.rb, MASTODON_STRICT), and
 * the same HTML as plain text for previews. Input is parsed as HTML5
 * (WHATWG HTML §13.2, fragment parsing in a <body>) by gumbo, so the
 * allowlist judges the tree a browser would build, never the raw text.
 * Pure: no database, no network, no shared state; safe from any thread.
 * Storing, and deciding what to do with refused content, is the caller's.
 */
#ifndef MEENT_AP_SANITIZE_H
#define MEENT_AP_SANITIZE_H

#include <stddef.h>

#define AP_SANITIZE_MAX_INPUT	(512 * 1024)	/* bytes of HTML we parse at all */
#define AP_SANITIZE_MAX_OUTPUT	(2 * 1024 * 1024) /* escaping grows text up to 5x */
/*
 * Start tags ('<' and a letter) in one input, and start tags times input
 * bytes. gumbo does work proportional to the depth of open elements for
 * every token, so deep nesting costs quadratic time (Nokogiri's fork of
 * gumbo caps the depth at 400 for the same reason); the depth is at most
 * the number of start tags. At the work cap the worst input we know takes
 * about 0.4 s of CPU; real posts take milliseconds. So 512 KiB may hold
 * 2048 tags, 128 KiB the full 8192. A parse also stops past a memory and
 * a CPU-time budget (sanitize_parse.c).
 */
#define AP_SANITIZE_MAX_TAGS	8192
#define AP_SANITIZE_MAX_WORK	(1ULL << 30)
/* Allowed elements nested deeper than this are unwrapped (text kept). */
#define AP_SANITIZE_MAX_DEPTH	64

struct ap_sanitize_opts {
	size_t	max_input;	/* 0: AP_SANITIZE_MAX_INPUT; larger values are clamped */
	size_t	max_output;	/* 0: AP_SANITIZE_MAX_OUTPUT; larger values are clamped */
};

/*
 * Returns new HTML holding only Mastodon's strict allowlist: p br span a
 * del s pre blockquote code b strong u i em ul ol li ruby rt rp; lang on
 * all of them, a[href rel class translate], span[class translate],
 * p[class], ol[start reversed], li[value]; classes filtered to
 * microformats and Mastodon's own; links only to Mastodon's protocols
 * (any other link, relative ones too, becomes its text), always with
 * rel="nofollow noopener" target="_blank". Other elements are
 * unwrapped, or removed with their content (script, style, svg, ...);
 * h1-h6 become <p><strong>, a MathML formula its TeX annotation. The
 * result is well-formed UTF-8 (controls and malformed bytes as U+FFFD),
 * and sanitising it again gives it back unchanged. html need not be
 * NUL-terminated and may be NULL when len is 0; opts may be NULL
 * (defaults). Returns NULL only when the input exceeds a cap or budget
 * above (the caller knows which object it was, so it logs), never for
 * malformed HTML.
 */
char	*ap_html_sanitize(const char *html, size_t len, const struct ap_sanitize_opts *opts);

/*
 * Returns new plain UTF-8 text of html for content warnings and
 * notification previews: entities decoded, tags gone, <br> as "\n",
 * paragraphs and other blocks separated by "\n\n" (list items by "\n"),
 * runs of white space collapsed outside <pre>, leading and trailing white
 * space trimmed; what the sanitiser removes with its content (scripts,
 * styles, ...) is left out. NULL only when a cap above is exceeded.
 */
char	*ap_html_to_text(const char *html, size_t len);

#endif
