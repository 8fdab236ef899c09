/*
 * Tests of ap/sanitize.h. A table of input and expected output for every
 * rule of Mastodon's MASTODON_STRICT (lib/sanitize_ext/sanitize_config.rb)
 * and for the classic XSS vectors (OWASP's XSS filter evasion cheat sheet,
 * mutation XSS through <noscript>, <math> and <svg>); the caps; the plain
 * text conversion; then the content, summary and contentMap of every Note,
 * Article, Page and Question under the interop corpus's activities/, read
 * in place at $MEENT_SRCDIR/../shared/interop/. Every output must have the
 * shape tests/ap/sanitize_check.h describes and sanitise to itself again.
 */
#include <ftw.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ap/sanitize.h"
#include "sanitize_check.h"
#include "tap.h"

struct row {
	const char	*name;
	const char	*in;
	const char	*want;
};

#define A_ATTRS " rel=\"nofollow noopener\" target=\"_blank\""

static const struct row rows[] = {
	/* Allowed elements and plain text. */
	{ "empty", "", "" },
	{ "plain text", "hello", "hello" },
	{ "paragraphs and line breaks", "<p>a<br>b</p><p>c</p>", "<p>a<br>b</p><p>c</p>" },
	{ "inline formatting", "<b>b</b><strong>s</strong><u>u</u><i>i</i><em>e</em><del>d</del><s>s</s>",
	    "<b>b</b><strong>s</strong><u>u</u><i>i</i><em>e</em><del>d</del><s>s</s>" },
	{ "code, pre, blockquote", "<blockquote><p>q</p></blockquote><pre><code>x = 1;</code></pre>",
	    "<blockquote><p>q</p></blockquote><pre><code>x = 1;</code></pre>" },
	{ "lists", "<ul><li>a</li></ul><ol><li>b</li></ol>", "<ul><li>a</li></ul><ol><li>b</li></ol>" },
	{ "ruby", "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
	    "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>" },
	{ "span", "<span>x</span>", "<span>x</span>" },

	/* Attributes. */
	{ "p keeps lang and allowed classes only", "<p lang=\"de\" class=\"x h-entry\" style=\"color:red\" id=\"i\">x</p>",
	    "<p lang=\"de\" class=\"h-entry\">x</p>" },
	{ "ol start and reversed, li value", "<ol start=\"3\" reversed type=\"a\"><li value=\"5\">x</li></ol>",
	    "<ol start=\"3\" reversed=\"\"><li value=\"5\">x</li></ol>" },
	{ "lang on any allowed element", "<b lang=\"fr\" title=\"t\">x</b>", "<b lang=\"fr\">x</b>" },
	{ "class dropped where not allowed", "<b class=\"mention\">x</b>", "<b>x</b>" },
	{ "class with no allowed word is left out", "<span class=\"foo bar\">x</span>", "<span>x</span>" },
	{ "microformat prefixes", "<span class=\"h-card p-name u-photo dt-published e-content x-y hx\">x</span>",
	    "<span class=\"h-card p-name u-photo dt-published e-content\">x</span>" },
	{ "non-ASCII and escaped classes", "<span class=\"h-caf\xC3\xA9 p-&quot;q&amp; h-\xB8x\">x</span>",
	    "<span class=\"h-caf\xC3\xA9 p-&quot;q&amp; h-\xEF\xBF\xBDx\">x</span>" },
	{ "Mastodon's own classes", "<span class=\"invisible\">https://</span><span class=\"ellipsis\">x</span>"
	    "<span class=\"quote-inline\">q</span><span class=\"Mention\">m</span>",
	    "<span class=\"invisible\">https://</span><span class=\"ellipsis\">x</span>"
	    "<span class=\"quote-inline\">q</span><span>m</span>" },
	{ "translate=no kept", "<span translate=\"no\">x</span>", "<span translate=\"no\">x</span>" },
	{ "other translate values dropped", "<span translate=\"yes\">x</span>", "<span>x</span>" },
	{ "event handlers and style dropped", "<b onclick=\"alert(1)\" style=\"x\" onmouseover=alert(1)>x</b>",
	    "<b>x</b>" },

	/* Links. */
	{ "link gets rel and target", "<a href=\"https://example.com/\">x</a>",
	    "<a href=\"https://example.com/\"" A_ATTRS ">x</a>" },
	{ "rel replaced in place, target replaced",
	    "<a rel=\"tag\" href=\"https://x/\" target=\"_self\">#t</a>",
	    "<a rel=\"nofollow noopener\" href=\"https://x/\" target=\"_blank\">#t</a>" },
	{ "scheme in any case", "<a href=\"HTTPS://X/\">x</a>", "<a href=\"HTTPS://X/\"" A_ATTRS ">x</a>" },
	{ "every link protocol of Mastodon",
	    "<a href=\"http://a/\">1</a><a href=\"dat://a\">2</a><a href=\"dweb:/a\">3</a>"
	    "<a href=\"ipfs://a\">4</a><a href=\"ipns://a\">5</a><a href=\"ssb:a\">6</a>"
	    "<a href=\"gopher://a\">7</a><a href=\"xmpp:a@b\">8</a><a href=\"magnet:?xt=1\">9</a>"
	    "<a href=\"gemini://a/\">10</a>",
	    "<a href=\"http://a/\"" A_ATTRS ">1</a><a href=\"dat://a\"" A_ATTRS ">2</a>"
	    "<a href=\"dweb:/a\"" A_ATTRS ">3</a><a href=\"ipfs://a\"" A_ATTRS ">4</a>"
	    "<a href=\"ipns://a\"" A_ATTRS ">5</a><a href=\"ssb:a\"" A_ATTRS ">6</a>"
	    "<a href=\"gopher://a\"" A_ATTRS ">7</a><a href=\"xmpp:a@b\"" A_ATTRS ">8</a>"
	    "<a href=\"magnet:?xt=1\"" A_ATTRS ">9</a><a href=\"gemini://a/\"" A_ATTRS ">10</a>" },
	{ "javascript: link becomes its text", "<a href=\"javascript:alert(1)\">x</a>", "x" },
	{ "data: link", "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>", "x" },
	{ "vbscript: link", "<a href=\"vbscript:msgbox(1)\">x</a>", "x" },
	{ "mailto: is not on Mastodon's list", "<a href=\"mailto:a@b\">x</a>", "x" },
	{ "ftp: is not on Mastodon's list", "<a href=\"ftp://x/\">x</a>", "x" },
	{ "relative link", "<a href=\"/path\">x</a>", "x" },
	{ "protocol-relative link", "<a href=\"//evil.example/\">x</a>", "x" },
	{ "fragment link", "<a href=\"#top\">x</a>", "x" },
	{ "link without href", "<a name=\"n\">x</a>", "x" },
	{ "text of a refused link keeps no markup", "<a href=\"javascript:x\"><b>bold</b> <script>s</script>text</a>",
	    "bold text" },
	{ "leading space before a good scheme", "<a href=\" https://x/\">x</a>",
	    "<a href=\" https://x/\"" A_ATTRS ">x</a>" },
	{ "link classes and translate", "<a href=\"https://x/\" class=\"u-url mention foo\" translate=\"no\">x</a>",
	    "<a href=\"https://x/\" class=\"u-url mention\" translate=\"no\"" A_ATTRS ">x</a>" },
	{ "first of duplicate href wins (good)", "<a href=\"http://x/\" href=\"javascript:alert(1)\">x</a>",
	    "<a href=\"http://x/\"" A_ATTRS ">x</a>" },
	{ "first of duplicate href wins (bad)", "<a href=\"javascript:alert(1)\" href=\"http://x/\">x</a>",
	    "x" },
	{ "href escaped", "<a href=\"https://x/?a=1&amp;b=&quot;2&quot;\">l</a>",
	    "<a href=\"https://x/?a=1&amp;b=&quot;2&quot;\"" A_ATTRS ">l</a>" },

	/* Mastodon's own HTML comes through intact (rel aside). */
	{ "mention", "<span class=\"h-card\"><a href=\"https://x/@a\" class=\"u-url mention\">@<span>a</span></a></span>",
	    "<span class=\"h-card\"><a href=\"https://x/@a\" class=\"u-url mention\"" A_ATTRS ">@<span>a</span></a></span>" },
	{ "mention with translate", "<span class=\"h-card\" translate=\"no\"><a href=\"https://x/@a\" "
	    "class=\"u-url mention\">@<span>a</span></a></span>",
	    "<span class=\"h-card\" translate=\"no\"><a href=\"https://x/@a\" class=\"u-url mention\""
	    A_ATTRS ">@<span>a</span></a></span>" },
	{ "hashtag", "<a href=\"https://x/tags/t\" class=\"mention hashtag\" rel=\"tag\">#<span>t</span></a>",
	    "<a href=\"https://x/tags/t\" class=\"mention hashtag\" rel=\"nofollow noopener\" "
	    "target=\"_blank\">#<span>t</span></a>" },
	{ "shortened link", "<p><a href=\"https://example.com/a/long/path\" rel=\"nofollow noopener noreferrer\" "
	    "translate=\"no\" target=\"_blank\"><span class=\"invisible\">https://</span><span class=\"ellipsis\">"
	    "example.com/a/lo</span><span class=\"invisible\">ng/path</span></a></p>",
	    "<p><a href=\"https://example.com/a/long/path\" rel=\"nofollow noopener\" translate=\"no\" "
	    "target=\"_blank\"><span class=\"invisible\">https://</span><span class=\"ellipsis\">"
	    "example.com/a/lo</span><span class=\"invisible\">ng/path</span></a></p>" },

	/* Unwrapped elements; the Sanitize gem's whitespace_elements get spaces. */
	{ "div unwrapped with spaces", "x<div>a</div>y", "x a y" },
	{ "section around a paragraph", "<section><p>a</p></section>", " <p>a</p> " },
	{ "unknown element unwrapped", "<font color=\"red\">x</font><my-el>y</my-el>", "xy" },
	{ "table unwrapped", "<table><tr><td>a</td><td>b</td></tr></table>", "ab" },
	{ "hr unwrapped", "a<hr>b", "a b" },
	{ "img removed", "a<img src=\"https://x/i.png\" alt=\"cat\">b", "ab" },
	{ "select keeps its text", "<select><option>o</option></select>", "o" },
	{ "details unwrapped", "<details open ontoggle=alert(1)><summary>s</summary>d</details>", "sd" },

	/* Removed with their content. */
	{ "script", "a<script>alert(1)</script>b", "ab" },
	{ "style", "a<style>p{color:red}</style>b", "ab" },
	{ "template", "a<template><b>t</b></template>b", "ab" },
	{ "iframe", "a<iframe src=\"https://x/\">f</iframe>b", "ab" },
	{ "object and embed", "a<object data=\"x\">fallback</object><embed src=\"x\">b", "ab" },
	{ "svg", "a<svg><text>t</text></svg>b", "ab" },
	{ "math without annotation", "a<math><mi>x</mi></math>b", "ab" },
	{ "noscript", "a<noscript><b>n</b></noscript>b", "ab" },
	{ "title", "a<title>t</title>b", "ab" },
	{ "textarea", "a<textarea><b>t</b></textarea>b", "ab" },
	{ "xmp, noembed, noframes", "a<xmp><b></xmp><noembed>n</noembed><noframes>f</noframes>b", "ab" },
	{ "plaintext swallows the rest", "a<plaintext><b>x</b>", "a" },

	/* Transformations. */
	{ "heading becomes p strong", "<h1>Title</h1><p>x</p>", "<p><strong>Title</strong></p><p>x</p>" },
	{ "heading keeps lang only", "<h3 lang=\"en\" class=\"h-x\" id=\"i\">T</h3>",
	    "<p><strong lang=\"en\">T</strong></p>" },
	{ "all heading levels", "<h2>a</h2><h4>b</h4><h5>c</h5><h6>d</h6>",
	    "<p><strong>a</strong></p><p><strong>b</strong></p><p><strong>c</strong></p><p><strong>d</strong></p>" },
	{ "TeX annotation", "<math><semantics><mi>x</mi><annotation encoding=\"application/x-tex\">"
	    "x^2</annotation></semantics></math>", "$x^2$" },
	{ "TeX annotation, display block", "<math display=\"block\"><semantics><mi>x</mi>"
	    "<annotation encoding=\"application/x-tex\">a &lt; b</annotation></semantics></math>",
	    "$$a &lt; b$$" },
	{ "plain text annotation", "<math><semantics><mi>x</mi><annotation encoding=\"text/plain\">"
	    "x squared</annotation></semantics></math>", "x squared" },

	/* Comments, escaping, well-formedness. */
	{ "comments dropped", "<p>a<!-- c -->b</p><!-- d -->", "<p>ab</p>" },
	{ "comment hiding a script", "<!--><script>alert(1)</script>-->", "--&gt;" },
	{ "processing instruction and CDATA", "<?php x ?>y<![CDATA[z]]>", "y" },
	{ "text escaped", "1 < 2 & \"3\" > 0", "1 &lt; 2 &amp; \"3\" &gt; 0" },
	{ "entities decoded, then escaped", "&lt;b&gt; &amp;amp; &copy; &#x1F600; &quot;",
	    "&lt;b&gt; &amp;amp; © 😀 \"" },
	{ "attribute value escaped", "<p lang=\"&quot;&gt;&lt;script&gt;&amp;\">z</p>",
	    "<p lang=\"&quot;&gt;&lt;script&gt;&amp;\">z</p>" },
	{ "carriage return kept as a reference", "a&#13;b", "a&#13;b" },
	{ "controls and noncharacters as U+FFFD", "a&#1;b&#x7f;c&#xFFFE;d<p lang=\"&#1;\">x</p>&#x80;",
	    "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d<p lang=\"\xEF\xBF\xBD\">x</p>\xE2\x82\xAC" },
	{ "raw controls", "a\x01" "b\x1F" "c", "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c" },
	{ "unclosed elements closed", "<p>unclosed <b>bold <i>both", "<p>unclosed <b>bold <i>both</i></b></p>" },
	{ "unclosed link closed", "<a href=\"https://x/\">x", "<a href=\"https://x/\"" A_ATTRS ">x</a>" },
	{ "misnested formatting", "<b><i>x</b>y</i>", "<b><i>x</i></b><i>y</i>" },
	{ "implied paragraph ends", "<p>a<p>b", "<p>a</p><p>b</p>" },
	{ "implied list item ends", "<ul><li>a<li>b</ul>", "<ul><li>a</li><li>b</li></ul>" },
	{ "stray end tag", "</p>", "<p></p>" },
	{ "nested formatting", "<b><i><u><b><i><u>x</u></i></b></u></i></b>",
	    "<b><i><u><b><i><u>x</u></i></b></u></i></b>" },
	{ "newline after pre kept", "<pre>\n\nx</pre>", "<pre>\n\nx</pre>" },
	{ "single newline after pre is the parser's", "<pre>\nx</pre>", "<pre>x</pre>" },
	{ "null bytes", "<p>a\0b</p><a href=\"java\0script:alert(1)\">x</a>", "<p>ab</p>x" },

	/* Shapes that would not parse back as written: unwrapped. */
	{ "p in p behind a button", "<p><button><p>x</p></button></p>", "<p> x </p>" },
	{ "heading in p behind a button", "<p><button><h1>x</h1></button></p>", "<p> <strong>x</strong> </p>" },
	{ "list in p behind a button", "<p><button><ul><li>x</li></ul></button></p>", "<p>  x  </p>" },
	{ "a in a behind a marquee",
	    "<a href=\"https://a/\"><marquee><a href=\"https://b/\">x</a></marquee></a>",
	    "<a href=\"https://a/\"" A_ATTRS ">x</a>" },
	{ "li in li behind a button", "<ul><li>a<button><li>b</li></button></li></ul>",
	    "<ul><li>a b </li></ul>" },
	{ "rt outside ruby", "<rt>x</rt><rp>y</rp>", "xy" },

	/* XSS vectors. */
	{ "img onerror", "<img src=x onerror=alert(1)>", "" },
	{ "img javascript src", "<IMG SRC=\"javascript:alert('XSS');\">", "" },
	{ "unquoted javascript href", "<a href=javascript:alert(1)>x</a>", "x" },
	{ "entity-encoded javascript href", "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;"
	    "&#116;&#58;alert(1)\">x</a>", "x" },
	{ "tab inside javascript", "<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "x" },
	{ "newline inside javascript", "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>", "x" },
	{ "space before javascript", "<a href=\" javascript:alert(1)\">x</a>", "x" },
	{ "vertical tab before a good scheme", "<a href=\"&#11;https://x/\">x</a>", "x" },
	{ "control byte before javascript", "<a href=\"&#x01;javascript:alert(1)\">x</a>", "x" },
	{ "mixed case javascript", "<a href=\"JaVaScRiPt:alert(1)\">x</a>", "x" },
	{ "&colon;", "<a href=\"javascript&colon;alert(1)\">x</a>", "x" },
	{ "svg script", "<svg><script>alert(1)</script></svg>", "" },
	{ "svg onload", "<svg/onload=alert(1)>", "" },
	{ "math href", "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>", "" },
	{ "math mXSS (DOMPurify 2.0.0)", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "" },
	{ "math mXSS (forms)", "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>", "" },
	{ "noscript mXSS", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>", "" },
	{ "split script tag", "<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)" },
	{ "double open angle", "<<script>alert(1);//<</script>", "&lt;" },
	{ "OWASP malformed img", "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">", "\"&gt;" },
	{ "self-closing script", "<script/src=\"x\"></script>ok", "ok" },
	{ "body onload", "<body onload=alert(1)>b", "b" },
	{ "iframe javascript", "<iframe src=\"javascript:alert(1)\"></iframe>", "" },
	{ "style expression", "<div style=\"width: expression(alert(1));\">x</div>", " x " },
	{ "css url", "<b style=\"background:url(javascript:alert(1))\">x</b>", "<b>x</b>" },
	{ "meta refresh", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">x", "x" },
	{ "base href", "<base href=\"javascript:alert(1)//\">x", "x" },
	{ "link import", "<link rel=\"import\" href=\"x\">x", "x" },
	{ "attribute without quotes breaking out", "<p lang=x onmouseover=alert(1)>y</p>",
	    "<p lang=\"x\">y</p>" },
	{ "unclosed attribute quote", "<p lang=\"x>y</p>", "" },
	{ "frameset", "<frameset><frame src=\"javascript:alert(1)\"></frameset>x", "x" },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* One output: the strict shape, and idempotence. */
static int
clean_and_stable(const char *label, const char *out)
{
	const char	*why = sanitize_check(out);
	char		*again;
	int		 pass;

	if (why != NULL) {
		ok(0, "%s: output is clean", label);
		printf("#   %s\n#   output: %s\n", why, out);
		return 0;
	}
	again = ap_html_sanitize(out, strlen(out), NULL);
	pass = again != NULL && strcmp(again, out) == 0;
	ok(pass, "%s: output is clean and sanitises to itself", label);
	if (!pass)
		printf("#   once:  %s\n#   twice: %s\n", out, again ? again : "(null)");
	free(again);
	return pass;
}

static void
test_table(void)
{
	for (size_t i = 0; i < NROWS; i++) {
		/* The null-byte row has them inside: measure to its end. */
		size_t	 len = strlen(rows[i].in);
		char	*out;

		if (strcmp(rows[i].name, "null bytes") == 0)
			len = sizeof("<p>a\0b</p><a href=\"java\0script:alert(1)\">x</a>") - 1;
		out = ap_html_sanitize(rows[i].in, len, NULL);
		is_str(out, rows[i].want, "%s", rows[i].name);
		if (out != NULL)
			clean_and_stable(rows[i].name, out);
		free(out);
	}
}

/* 1 when p is NULL; frees it otherwise. */
static int
refused(char *p)
{
	int r = p == NULL;

	free(p);
	return r;
}

/* A string of n copies of unit. */
static char *
repeat(const char *unit, size_t n)
{
	size_t	 ul = strlen(unit);
	char	*s = malloc(ul * n + 1);

	for (size_t i = 0; i < n; i++)
		memcpy(s + i * ul, unit, ul);
	s[ul * n] = '\0';
	return s;
}

static void
test_caps(void)
{
	struct ap_sanitize_opts	 small = { 16, 0 }, tight = { 0, 10 };
	char			*big, *out;
	size_t			 n;
	int			 depth, maxdepth;

	out = ap_html_sanitize(NULL, 0, NULL);
	is_str(out, "", "NULL with length 0 is empty");
	free(out);

	big = repeat("a", AP_SANITIZE_MAX_INPUT);
	out = ap_html_sanitize(big, AP_SANITIZE_MAX_INPUT, NULL);
	ok(out != NULL && strlen(out) == AP_SANITIZE_MAX_INPUT, "input at the cap is accepted");
	free(out);
	ok(refused(ap_html_sanitize(big, AP_SANITIZE_MAX_INPUT + 1, NULL)), "input past the cap: NULL");
	ok(refused(ap_html_to_text(big, AP_SANITIZE_MAX_INPUT + 1)), "to_text: input past the cap: NULL");
	free(big);

	ok(refused(ap_html_sanitize("<p>seventeen bytes", 17, &small)), "opts.max_input lowers the cap");
	out = ap_html_sanitize("<p>sixteen bytes", 16, &small);
	is_str(out, "<p>sixteen bytes</p>", "opts.max_input: at the cap");
	free(out);
	ok(refused(ap_html_sanitize("<p>eleven ch", 12, &tight)), "opts.max_output: past the cap: NULL");
	big = repeat("&", 1000);
	ok(refused(ap_html_sanitize(big, 1000, &tight)), "escaping that outgrows the output cap: NULL");
	free(big);

	big = repeat("<b>", AP_SANITIZE_MAX_TAGS + 1);
	ok(refused(ap_html_sanitize(big, strlen(big), NULL)), "more start tags than the cap: NULL");
	free(big);

	/* Deep nesting below the caps: flattened past AP_SANITIZE_MAX_DEPTH. */
	big = repeat("<i>", 4000);
	out = ap_html_sanitize(big, strlen(big), NULL);
	maxdepth = depth = 0;
	for (const char *p = out; p != NULL && *p != '\0'; p++)
		if (p[0] == '<' && p[1] == 'i') {
			if (++depth > maxdepth)
				maxdepth = depth;
		}
	ok(out != NULL && maxdepth == AP_SANITIZE_MAX_DEPTH, "4000 nested <i>: %d kept", maxdepth);
	if (out != NULL)
		clean_and_stable("4000 nested <i>", out);
	free(out);
	free(big);

	/* Reconstructed formatting elements: few bytes asking for millions of nodes. */
	{
		char	*bold = malloc(2000 * 16), *p = bold;

		for (int i = 0; i < 2000; i++)
			p += snprintf(p, 16, "<b x=%d>", i);
		out = repeat("</p><p>x", 2000);
		n = 3 + strlen(bold) + strlen(out);
		big = malloc(n + 1);
		snprintf(big, n + 1, "<p>%s%s", bold, out);
		free(out);
		free(bold);
		ok(refused(ap_html_sanitize(big, n, NULL)), "formatting reconstruction bomb: NULL (memory budget)");
		ok(refused(ap_html_to_text(big, n)), "to_text: formatting reconstruction bomb: NULL");
		free(big);
	}

	/* A tag with 100k distinct attributes: quadratic in gumbo; the CPU budget stops it. */
	{
		size_t	 cap = 100000 * 5 + 8, len = 0;

		big = malloc(cap);
		big[len++] = '<';
		big[len++] = 'p';
		for (unsigned i = 0; i < 100000; i++) {
			big[len++] = ' ';
			for (unsigned j = 0, k = i; j < 4; j++, k /= 26)
				big[len++] = (char)('a' + k % 26);
		}
		big[len++] = '>';
		ok(len <= AP_SANITIZE_MAX_INPUT && refused(ap_html_sanitize(big, len, NULL)),
		    "100000 attributes on one tag: NULL (CPU budget)");
		free(big);
	}
}

static void
test_text(void)
{
	static const struct row t[] = {
		{ "empty", "", "" },
		{ "paragraphs", "<p>Hello</p><p>World</p>", "Hello\n\nWorld" },
		{ "line breaks", "a<br>b<br><br>c", "a\nb\n\nc" },
		{ "br at a paragraph end", "<p>a<br></p><p>b</p>", "a\n\nb" },
		{ "entities", "&amp; &lt;3 &#x1F600; &quot;q&quot;", "& <3 😀 \"q\"" },
		{ "white space collapsed", "<p>  lots   of\n space </p>", "lots of space" },
		{ "pre kept", "<pre>a\n  b</pre>", "a\n  b" },
		{ "lists", "<ul><li>a</li><li>b</li></ul><p>c</p>", "a\nb\n\nc" },
		{ "scripts and styles left out", "<script>x</script>hi<style>y</style>", "hi" },
		{ "mention", "<span class=\"h-card\"><a href=\"https://x/@a\" class=\"u-url mention\">"
		    "@<span>a</span></a></span> hi", "@a hi" },
		{ "heading", "<h1>T</h1>text", "T\n\ntext" },
		{ "math", "<math><semantics><mi>x</mi><annotation encoding=\"application/x-tex\">x^2"
		    "</annotation></semantics></math>", "$x^2$" },
		{ "Mastodon paragraphs", "<p>one <a href=\"https://x/tags/a\" class=\"mention hashtag\" "
		    "rel=\"tag\">#<span>a</span></a></p><p>two</p>", "one #a\n\ntwo" },
		{ "blocks between text", "x<div>a</div>y", "x\n\na\n\ny" },
		{ "no markup left", "<b>1 &lt; 2</b>", "1 < 2" },
		{ "controls: references left out, raw ones are gumbo's U+FFFD",
		    "a&#1;b\x02" "c&#xFFFF;d", "ab\xEF\xBF\xBD" "cd" },
		{ "table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
		    "a b\nc" },
		{ "unknown and dropped elements", "<x-y>a</x-y><img alt=\"i\"><svg>s</svg>b", "ab" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *out = ap_html_to_text(t[i].in, strlen(t[i].in));

		is_str(out, t[i].want, "to_text: %s", t[i].name);
		free(out);
	}
}

/* Many threads at once over the same inputs: the same answers, no races. */
static void *
thread_main(void *arg)
{
	long bad = 0;

	(void)arg;
	for (int round = 0; round < 20; round++)
		for (size_t i = 0; i < NROWS; i++) {
			char *out = ap_html_sanitize(rows[i].in, strlen(rows[i].in), NULL);

			if (strcmp(rows[i].name, "null bytes") != 0 &&
			    (out == NULL || strcmp(out, rows[i].want) != 0))
				bad++;
			free(out);
		}
	return (void *)bad;
}

static void
test_threads(void)
{
	pthread_t	 th[4];
	void		*ret;
	long		 bad = 0;

	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, thread_main, NULL);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], &ret);
		bad += (long)ret;
	}
	is_int(bad, 0, "4 threads sanitising at once give the table's answers");
}

/* The corpus sweep. */
static int corpus_fields, corpus_files;

static int
is_post_type(json_t *type)
{
	static const char *const types[] = { "Note", "Article", "Page", "Question" };
	json_t	*v;
	size_t	 i;

	if (json_is_array(type)) {
		json_array_foreach(type, i, v)
			if (is_post_type(v))
				return 1;
		return 0;
	}
	for (i = 0; json_is_string(type) && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(json_string_value(type), types[i]) == 0)
			return 1;
	return 0;
}

static void
check_field(const char *path, const char *field, json_t *v)
{
	char	 label[1024];
	char	*out, *text;

	if (!json_is_string(v))
		return;
	snprintf(label, sizeof(label), "%s %s", path, field);
	corpus_fields++;
	out = ap_html_sanitize(json_string_value(v), json_string_length(v), NULL);
	if (out == NULL) {
		ok(0, "%s: sanitised", label);
		return;
	}
	if (clean_and_stable(label, out)) {
		text = ap_html_to_text(out, strlen(out));
		if (text == NULL || strcasestr(out, "<script") != NULL ||
		    strcasestr(out, "javascript:") != NULL)
			ok(0, "%s: text and no script", label);
		free(text);
	}
	free(out);
}

/* Every object in the document, nested ones too (activities wrap posts). */
static void
check_json(const char *path, json_t *v, int depth)
{
	const char	*key;
	json_t		*x;
	size_t		 i;

	if (depth > 32)
		return;
	if (json_is_object(v)) {
		if (is_post_type(json_object_get(v, "type"))) {
			check_field(path, "content", json_object_get(v, "content"));
			check_field(path, "summary", json_object_get(v, "summary"));
			json_object_foreach(json_object_get(v, "contentMap"), key, x)
				check_field(path, "contentMap", x);
		}
		json_object_foreach(v, key, x)
			check_json(path, x, depth + 1);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			check_json(path, x, depth + 1);
	}
}

static int
corpus_file(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t	 n = strlen(path);
	json_t	*doc;

	(void)st;
	(void)ftw;
	if (flag != FTW_F || n < 5 || strcmp(path + n - 5, ".json") != 0)
		return 0;
	if ((doc = json_load_file(path, 0, NULL)) == NULL)
		return 0;	/* json-invalid rows are other tests' business */
	corpus_files++;
	check_json(strstr(path, "activities/"), doc, 0);
	json_decref(doc);
	return 0;
}

static void
test_corpus(void)
{
	const char	*src = getenv("MEENT_SRCDIR");
	char		 dir[4096];

	snprintf(dir, sizeof(dir), "%s/../shared/interop/activities", src != NULL ? src : ".");
	if (nftw(dir, corpus_file, 16, FTW_PHYS) == -1) {
		ok(0, "walk %s", dir);
		return;
	}
	ok(corpus_fields >= 100, "corpus: %d HTML fields in %d JSON files", corpus_fields, corpus_files);
}

int
main(void)
{
	test_table();
	test_caps();
	test_text();
	test_threads();
	test_corpus();
	return done_testing();
}
