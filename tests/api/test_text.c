/*
 * Tests of api/text.h. The rows come from Mastodon's own expectations
 * (spec/lib/text_formatter_spec.rb, spec/models/tag_spec.rb, the
 * MENTION_RE examples of spec/models/account_spec.rb), written out as the
 * whole HTML Mastodon 4.3 produces for them, and from the rules of the
 * patterns (twitter-text's trailing punctuation, parentheses, top-level
 * domains, IDNA; Rails' simple_format), with mentions resolved or not,
 * the length count, invalid UTF-8 and XSS attempts. Every HTML must also
 * have the shape tests/api/text_check.h describes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/text.h"
#include "tap.h"
#include "text_check.h"

#define BASE	"https://example.org"
#define REL	"rel=\"nofollow noopener noreferrer\" translate=\"no\""
#define LINK(href, prefix, cls, shown, rest)						\
	"<a href=\"" href "\" target=\"_blank\" " REL "><span class=\"invisible\">" prefix \
	"</span><span class=\"" cls "\">" shown "</span><span class=\"invisible\">" rest	\
	"</span></a>"
#define TAG(path, name)									\
	"<a href=\"" BASE "/tags/" path "\" class=\"mention hashtag\" rel=\"tag\">#<span>"	\
	name "</span></a>"
#define MENTION(href, name)								\
	"<span class=\"h-card\" translate=\"no\"><a href=\"" href			\
	"\" class=\"u-url mention\">@<span>" name "</span></a></span>"

/* The accounts mentions resolve to in these tests; "example.org" is us. */
static const struct api_text_account accounts[] = {
	{ "alice", NULL, NULL, BASE "/@alice" },
	{ "bob", NULL, NULL, BASE "/@bob" },
	{ "bob", "remote.example", NULL, "https://remote.example/@bob" },
	{ "carol", "xn--bcher-kva.example", "bücher.example", "https://xn--bcher-kva.example/@carol" },
	{ "Dave", "other.example", NULL, "https://other.example/users/Dave" },
};

static const struct api_text_account author = { "zoe", NULL, NULL, BASE "/@zoe" };

/* WebFinger in miniature: username and domain without regard to case. */
static const struct api_text_account *
resolve(const struct api_text_mention *m)
{
	const char *domain = m->domain;

	if (domain != NULL && strcasecmp(domain, "example.org") == 0)
		domain = NULL;
	for (size_t i = 0; i < sizeof(accounts) / sizeof(accounts[0]); i++) {
		const struct api_text_account *a = &accounts[i];

		if (strcasecmp(a->username, m->username) != 0)
			continue;
		if (a->domain == NULL ? domain == NULL :
		    domain != NULL && strcasecmp(a->domain, domain) == 0)
			return a;
	}
	return NULL;
}

/* Scans, resolves (or not) and renders text; the caller frees res. */
static int
render(const char *text, int resolve_mentions, struct api_text_result *res)
{
	const struct api_text_account	**resolved = NULL;
	struct api_text_options		  opts = { BASE, "example.org", &author };
	struct api_text_scan		  scan;
	int				  rc;

	memset(res, 0, sizeof(*res));
	if (api_text_scan(text, &scan, NULL) == -1)
		return -1;
	resolved = calloc(scan.nmentions + 1, sizeof(resolved[0]));
	for (size_t i = 0; resolve_mentions && i < scan.nmentions; i++)
		resolved[i] = resolve(&scan.mentions[i]);
	rc = api_text_render(text, &scan, resolved, &opts, res);
	free(resolved);
	api_text_scan_cleanup(&scan);
	return rc;
}

struct row {
	const char	*name;
	const char	*in;
	const char	*want;
};

/* text_formatter_spec.rb and more, without resolving mentions. */
static const struct row formats[] = {
	{ "plain text is a paragraph", "text", "<p>text</p>" },
	{ "line feeds become breaks", "line\nfeed", "<p>line<br />feed</p>" },
	{ "blank lines split paragraphs", "a\n\nb", "<p>a</p><p>b</p>" },
	{ "many blank lines split once", "a\n\n\n\nb", "<p>a</p><p>b</p>" },
	{ "CR LF and CR are line feeds", "a\r\nb\rc\r\n\r\nd", "<p>a<br />b<br />c</p><p>d</p>" },
	{ "a line of spaces is no paragraph break", "a\n \nb", "<p>a<br /> <br />b</p>" },
	{ "text is stripped first", "  \n hi \n\n", "<p>hi</p>" },
	{ "blank text is empty", " \t\n ", "" },
	{ "Unicode white space only is blank", "\xE3\x80\x80\xC2\xA0", "" },
	{ "unlinkable mention stays text", "@alice", "<p>@alice</p>" },
	{ "stand-alone medium URL",
	    "https://hackernoon.com/the-power-to-build-communities-a-response-to-mark-zuckerberg-3f2cac9148a4",
	    "<p>" LINK("https://hackernoon.com/the-power-to-build-communities-a-response-to-mark-zuckerberg-3f2cac9148a4",
	    "https://", "ellipsis", "hackernoon.com/the-power-to-bu",
	    "ild-communities-a-response-to-mark-zuckerberg-3f2cac9148a4") "</p>" },
	{ "stand-alone google URL", "http://google.com",
	    "<p>" LINK("http://google.com", "http://", "", "google.com", "") "</p>" },
	{ "newer TLD", "http://example.gay",
	    "<p>" LINK("http://example.gay", "http://", "", "example.gay", "") "</p>" },
	{ "IDN URL", "https://nic.みんな/",
	    "<p>" LINK("https://nic.みんな/", "https://", "", "nic.みんな/", "") "</p>" },
	{ "trailing period", "http://www.mcmansionhell.com/post/156408871451/50-states-of-mcmansion-hell-scottsdale-arizona. ",
	    "<p>" LINK("http://www.mcmansionhell.com/post/156408871451/50-states-of-mcmansion-hell-scottsdale-arizona",
	    "http://www.", "ellipsis", "mcmansionhell.com/post/1564088",
	    "71451/50-states-of-mcmansion-hell-scottsdale-arizona") ".</p>" },
	{ "enclosed in parentheses", "(http://google.com/)",
	    "<p>(" LINK("http://google.com/", "http://", "", "google.com/", "") ")</p>" },
	{ "trailing exclamation point", "http://www.google.com!",
	    "<p>" LINK("http://www.google.com", "http://www.", "", "google.com", "") "!</p>" },
	{ "trailing single quote", "http://www.google.com'",
	    "<p>" LINK("http://www.google.com", "http://www.", "", "google.com", "") "&#39;</p>" },
	{ "trailing angle bracket", "http://www.google.com>",
	    "<p>" LINK("http://www.google.com", "http://www.", "", "google.com", "") "&gt;</p>" },
	{ "query with escaped Unicode", "https://www.ruby-toolbox.com/search?utf8=%E2%9C%93&q=autolink",
	    "<p>" LINK("https://www.ruby-toolbox.com/search?utf8=%E2%9C%93&amp;q=autolink", "https://www.",
	    "ellipsis", "ruby-toolbox.com/search?utf8=%", "E2%9C%93&amp;q=autolink") "</p>" },
	{ "query with Unicode", "https://www.ruby-toolbox.com/search?utf8=✓&q=autolink",
	    "<p>" LINK("https://www.ruby-toolbox.com/search?utf8=✓&amp;q=autolink", "https://www.",
	    "ellipsis", "ruby-toolbox.com/search?utf8=✓", "&amp;q=autolink") "</p>" },
	{ "query with Unicode at the end", "https://www.ruby-toolbox.com/search?utf8=✓",
	    "<p>" LINK("https://www.ruby-toolbox.com/search?utf8=✓", "https://www.", "",
	    "ruby-toolbox.com/search?utf8=✓", "") "</p>" },
	{ "query with escaped and raw Unicode",
	    "https://www.ruby-toolbox.com/search?utf8=%E2%9C%93&utf81=✓&q=autolink",
	    "<p>" LINK("https://www.ruby-toolbox.com/search?utf8=%E2%9C%93&amp;utf81=✓&amp;q=autolink",
	    "https://www.", "ellipsis", "ruby-toolbox.com/search?utf8=%",
	    "E2%9C%93&amp;utf81=✓&amp;q=autolink") "</p>" },
	{ "query ending in punctuation", "see https://example.com/?q=a&b=c. ok",
	    "<p>see " LINK("https://example.com/?q=a&amp;b=c", "https://", "", "example.com/?q=a&amp;b=c", "")
	    ". ok</p>" },
	{ "parentheses in the path", "https://en.wikipedia.org/wiki/Diaspora_(software)",
	    "<p>" LINK("https://en.wikipedia.org/wiki/Diaspora_(software)", "https://", "ellipsis",
	    "en.wikipedia.org/wiki/Diaspora", "_(software)") "</p>" },
	{ "nested parentheses", "x https://example.com/a_(b_(c))_d y",
	    "<p>x " LINK("https://example.com/a_(b_(c))_d", "https://", "", "example.com/a_(b_(c))_d", "")
	    " y</p>" },
	{ "unbalanced parenthesis stays out", "(see https://example.com/foo)",
	    "<p>(see " LINK("https://example.com/foo", "https://", "", "example.com/foo", "") ")</p>" },
	{ "in quotation marks", "\"https://example.com/\"",
	    "<p>&quot;" LINK("https://example.com/", "https://", "", "example.com/", "") "&quot;</p>" },
	{ "in angle brackets", "<https://example.com/>",
	    "<p>&lt;" LINK("https://example.com/", "https://", "", "example.com/", "") "&gt;</p>" },
	{ "Japanese path", "https://ja.wikipedia.org/wiki/日本",
	    "<p>" LINK("https://ja.wikipedia.org/wiki/日本", "https://", "", "ja.wikipedia.org/wiki/日本", "")
	    "</p>" },
	{ "Korean path", "https://ko.wikipedia.org/wiki/대한민국",
	    "<p>" LINK("https://ko.wikipedia.org/wiki/대한민국", "https://", "",
	    "ko.wikipedia.org/wiki/대한민국", "") "</p>" },
	{ "full-width space ends a link", "https://example.com/\xE3\x80\x80" "abc123",
	    "<p>" LINK("https://example.com/", "https://", "", "example.com/", "")
	    "\xE3\x80\x80" "abc123</p>" },
	{ "Japanese quotation marks", "「[https://example.org/」",
	    "<p>「[" LINK("https://example.org/", "https://", "", "example.org/", "") "」</p>" },
	{ "Simplified Chinese path", "https://baike.baidu.com/item/中华人民共和国",
	    "<p>" LINK("https://baike.baidu.com/item/中华人民共和国", "https://", "",
	    "baike.baidu.com/item/中华人民共和国", "") "</p>" },
	{ "Traditional Chinese path", "https://zh.wikipedia.org/wiki/臺灣",
	    "<p>" LINK("https://zh.wikipedia.org/wiki/臺灣", "https://", "", "zh.wikipedia.org/wiki/臺灣", "")
	    "</p>" },
	{ "XSS in the visible part", "http://example.com/b<del>b</del>",
	    "<p>" LINK("http://example.com/b", "http://", "", "example.com/b", "")
	    "&lt;del&gt;b&lt;/del&gt;</p>" },
	{ "XSS in the invisible part", "http://example.com/blahblahblahblah/a<script>alert(\"Hello\")</script>",
	    "<p>" LINK("http://example.com/blahblahblahblah/a", "http://", "", "example.com/blahblahblahblah/a", "")
	    "&lt;script&gt;alert(&quot;Hello&quot;)&lt;/script&gt;</p>" },
	{ "script tag", "<script>alert(\"Hello\")</script>",
	    "<p>&lt;script&gt;alert(&quot;Hello&quot;)&lt;/script&gt;</p>" },
	{ "image tag", "<img src=\"javascript:alert('XSS');\">",
	    "<p>&lt;img src=&quot;javascript:alert(&#39;XSS&#39;);&quot;&gt;</p>" },
	{ "quote in a path is escaped", "http://example.com/\"onmouseover=alert(1)",
	    "<p>" LINK("http://example.com/&quot;onmouseover=alert(1)", "http://", "ellipsis",
	    "example.com/&quot;onmouseover=alert", "(1)") "</p>" },
	{ "javascript: is no link", "javascript:alert(1)", "<p>javascript:alert(1)</p>" },
	{ "backslashes in the host: Addressable refuses it", "http://www\\.google\\.com",
	    "<p>http://www\\.google\\.com</p>" },
	{ "no protocol, no link", "example.com and www.example.com", "<p>example.com and www.example.com</p>" },
	{ "unknown TLD", "https://localhost/x https://example.invalid/", "<p>https://localhost/x https://example.invalid/</p>" },
	{ "unassigned in Unicode 3.2: IDNA refuses the host", "https://\xF0\x9F\x8C\x88.st",
	    "<p>https://\xF0\x9F\x8C\x88.st</p>" },
	{ "symbol host from Unicode 1.1", "https://☃.net",
	    "<p>" LINK("https://☃.net", "https://", "", "☃.net", "") "</p>" },
	{ "punycode TLD", "http://example.xn--p1ai/",
	    "<p>" LINK("http://example.xn--p1ai/", "http://", "", "example.xn--p1ai/", "") "</p>" },
	{ "label over 63 octets", "https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com/",
	    "<p>https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com/</p>" },
	{ "upper case scheme has no hidden prefix", "HTTPS://EXAMPLE.COM/X",
	    "<p>" LINK("HTTPS://EXAMPLE.COM/X", "", "", "HTTPS://EXAMPLE.COM/X", "") "</p>" },
	{ "port", "http://example.com:8080/a",
	    "<p>" LINK("http://example.com:8080/a", "http://", "", "example.com:8080/a", "") "</p>" },
	{ "gemini", "gemini://example.com/",
	    "<p>" LINK("gemini://example.com/", "", "", "gemini://example.com/", "") "</p>" },
	{ "ftp is no protocol here", "ftp://example.com/", "<p>ftp://example.com/</p>" },
	{ "t.co keeps its slug only", "https://t.co/abc/def",
	    "<p>" LINK("https://t.co/abc", "https://", "", "t.co/abc", "") "/def</p>" },
	{ "letter before the scheme", "xhttp://example.com", "<p>xhttp://example.com</p>" },
	{ "CJK before the scheme", "日本https://example.com",
	    "<p>日本" LINK("https://example.com", "https://", "", "example.com", "") "</p>" },
	{ "no-break space in a query is squished", "https://example.com/?q=a\xC2\xA0" "b",
	    "<p>" LINK("https://example.com/?q=a b", "https://", "", "example.com/?q=a b", "") "</p>" },
	{ "xmpp URI", "xmpp:user@instance.com",
	    "<p>" LINK("xmpp:user@instance.com", "xmpp:", "", "user@instance.com", "") "</p>" },
	{ "xmpp URI with a query", "please join xmpp:muc@instance.com?join right now",
	    "<p>please join " LINK("xmpp:muc@instance.com?join", "xmpp:", "", "muc@instance.com?join", "")
	    " right now</p>" },
	{ "xmpp URI with an authority", "xmpp://me@host.example.com/room@conference.example.com/res?join x",
	    "<p>" LINK("xmpp://me@host.example.com/room@conference.example.com/res?join", "xmpp:", "ellipsis",
	    "//me@host.example.com/room@con", "ference.example.com/res?join") " x</p>" },
	{ "magnet URI", "wikipedia gives this example of a magnet uri: magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a",
	    "<p>wikipedia gives this example of a magnet uri: "
	    LINK("magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a", "", "ellipsis",
	    "magnet:?xt=urn:btih:c12fe1c06b", "ba254a9dc9f519b335aa7c1367a88a") "</p>" },
	{ "hashtag", "#hashtag", "<p>" TAG("hashtag", "hashtag") "</p>" },
	{ "hashtag with Unicode", "#hashtagタグ",
	    "<p>" TAG("hashtag%E3%82%BF%E3%82%B0", "hashtagタグ") "</p>" },
	{ "hashtag keeps its case", "I like #RubyOnRails!", "<p>I like " TAG("RubyOnRails", "RubyOnRails") "!</p>" },
	{ "hashtag with accents", "#café #Ñandú",
	    "<p>" TAG("caf%C3%A9", "café") " " TAG("%C3%91and%C3%BA", "Ñandú") "</p>" },
	{ "hashtag in a URL is the URL's", "https://example.com/#anchor",
	    "<p>" LINK("https://example.com/#anchor", "https://", "", "example.com/#anchor", "") "</p>" },
	{ "hashtag before a URL gives back http", "#taghttps://example.com",
	    "<p>" TAG("tag", "tag") "https://example.com</p>" },
	{ "HTML in a hashtag is not", "#a<b>", "<p>" TAG("a", "a") "&lt;b&gt;</p>" },
	{ "emoji around a hashtag", "\xF0\x9F\x98\x80#fun\xF0\x9F\x98\x80",
	    "<p>\xF0\x9F\x98\x80" TAG("fun", "fun") "\xF0\x9F\x98\x80</p>" },
	{ "e-mail is no mention", "Drop me an e-mail at alice@example.com",
	    "<p>Drop me an e-mail at alice@example.com</p>" },
};

/* Mentions resolved through accounts[], the author being zoe. */
static const struct row mentions[] = {
	{ "local mention", "@alice", "<p>" MENTION(BASE "/@alice", "alice") "</p>" },
	{ "mention at the end", "hello @alice", "<p>hello " MENTION(BASE "/@alice", "alice") "</p>" },
	{ "mention in a sentence", "Hello to @alice from me",
	    "<p>Hello to " MENTION(BASE "/@alice", "alice") " from me</p>" },
	{ "our own domain is local", "@Alice@EXAMPLE.org hi",
	    "<p>" MENTION(BASE "/@alice", "alice") " hi</p>" },
	{ "dot-prepended mention", ".@alice I want everybody to see this",
	    "<p>." MENTION(BASE "/@alice", "alice") " I want everybody to see this</p>" },
	{ "remote mention shows @user", "@dave@other.example",
	    "<p>" MENTION("https://other.example/users/Dave", "Dave") "</p>" },
	{ "mention with a trailing dot", "Hello @dave@other.example.",
	    "<p>Hello " MENTION("https://other.example/users/Dave", "Dave") ".</p>" },
	{ "same username elsewhere shows the domain", "@bob and @bob@remote.example",
	    "<p>" MENTION(BASE "/@bob", "bob") " and "
	    MENTION("https://remote.example/@bob", "bob@remote.example") "</p>" },
	{ "the domain is shown in Unicode", "@carol@xn--bcher-kva.example and @Carol",
	    "<p>" MENTION("https://xn--bcher-kva.example/@carol", "carol") " and @Carol</p>" },
	{ "unresolved remote stays text", "@nobody@nowhere.example", "<p>@nobody@nowhere.example</p>" },
	{ "not after a word character", "zoe@alice", "<p>zoe@alice</p>" },
	{ "not in a URL", "Check this out https://medium.com/@alice/some-article#.abcdef123",
	    "<p>Check this out " LINK("https://medium.com/@alice/some-article#.abcdef123", "https://",
	    "ellipsis", "medium.com/@alice/some-article", "#.abcdef123") "</p>" },
	{ "not in a query", "https://example.com/?x=@alice",
	    "<p>" LINK("https://example.com/?x=@alice", "https://", "", "example.com/?x=@alice", "") "</p>" },
	{ "after ß", "Hello toß @alice from me",
	    "<p>Hello toß " MENTION(BASE "/@alice", "alice") " from me</p>" },
	{ "followed by another @: text", "@alice@@", "<p>@alice@@</p>" },
	{ "followed by a Latin accent: text", "@aliceé", "<p>@aliceé</p>" },
	{ "mention and hashtag and link", "@alice see #news at https://example.com/a.",
	    "<p>" MENTION(BASE "/@alice", "alice") " see " TAG("news", "news") " at "
	    LINK("https://example.com/a", "https://", "", "example.com/a", "") ".</p>" },
	{ "XSS next to a mention", "@alice<script>",
	    "<p>" MENTION(BASE "/@alice", "alice") "&lt;script&gt;</p>" },
};

/* The text to store: mentions rewritten to "@acct", stripped. */
static const struct row rewrites[] = {
	{ "local mention", "  @Alice hi\n", "@alice hi" },
	{ "local domain", "@alice@Example.ORG", "@alice" },
	{ "remote mention", "@BOB@Remote.Example!", "@bob@remote.example!" },
	{ "unresolved kept as written", "@Nobody@Nowhere.Example", "@Nobody@Nowhere.Example" },
	{ "resolved even when the Extractor drops it", "@alice@@", "@alice@@" },
};

struct tags_row {
	const char	*in;
	const char	*want;	/* names joined by ' ' */
};

/* Tag::HASHTAG_RE (tag_spec.rb) and ProcessHashtagsService's list. */
static const struct tags_row tag_rows[] = {
	{ "Check this out https://medium.com/@alice/some-article#.abcdef123", "" },
	{ "https://en.wikipedia.org/wiki/Ghostbusters_(song)#Lawsuit", "" },
	{ "https://gcc.gnu.org/bugzilla/show_bug.cgi?id=111895#c4", "" },
	{ "https://example.org/testé#foo", "" },
	{ "https://en.wikipedia.org/wiki/Ghostbusters_(song)?foo=#Lawsuit", "" },
	{ "test\xC2\xA0#foo", "foo" },
	{ "this is #ａｅｓｔｈｅｔｉｃ", "ａｅｓｔｈｅｔｉｃ" },
	{ "hello #3d", "3d" },
	{ "hello #l33ts35k", "l33ts35k" },
	{ "hello #world2016", "world2016" },
	{ "hello #_test", "_test" },
	{ "hello #test_", "test_" },
	{ "hello #one_two_three", "one_two_three" },
	{ "hello #one·two·three", "one·two·three" },
	{ "testing #ぼっち・ざ・ろっく", "ぼっち・ざ・ろっく" },
	{ "just add #نرمافزار and", "نرمافزار" },
	{ "hello #·one·two·three", "" },
	{ "hello #one·two·three·", "one·two·three" },
	{ "hello #0123456", "" },
	{ "Hello toß #ruby", "ruby" },
	{ "Hello #rubyOnRails", "rubyOnRails" },
	{ "#Foo #foo #FOO #bar", "Foo bar" },
	{ "#日本語 and #中文 and #한국어", "日本語 中文 한국어" },
	{ "a#b", "" },
	{ "(#paren)", "paren" },
	{ "x=#eq", "" },
	{ "a link https://example.com/page_#frag hides its tag but has it", "frag" },
	{ "#taghttps://example.com", "tag" },
};

struct len_row {
	const char	*spoiler;
	const char	*text;
	size_t		 want;
};

static const struct len_row len_rows[] = {
	{ NULL, "", 0 },
	{ NULL, "hello", 5 },
	{ "cw", "text", 6 },
	{ NULL, "日本語", 3 },
	{ NULL, "e\xCC\x81", 1 },					/* e + combining acute */
	{ NULL, "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7", 1 },	/* family */
	{ NULL, "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7\xF0\x9F\x87\xA9", 2 },	/* FR flag + lone D */
	{ NULL, "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", 1 },		/* thumbs up, skin tone */
	{ NULL, "a\r\nb", 3 },					/* CR LF is one cluster */
	{ NULL, "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8", 1 },		/* Hangul L V T */
	{ NULL, "https://example.com/a/very/long/path/that/goes/on/and/on/and/on", 23 },
	{ NULL, "see https://example.com", 27 },
	{ NULL, "example.com", 11 },					/* no protocol: text */
	{ NULL, "@alice@example.com hi", 9 },
	{ NULL, "@alice hi", 9 },
	{ NULL, "@alice@@", 8 },					/* not a mention for the count */
	{ NULL, "#hashtag", 8 },
	{ NULL, "   ", 0 },						/* blank text counts nothing */
	{ "cw", " \n", 2 },
	{ "\xF0\x9F\x98\x80", "\xCC\x81", 1 },				/* the join is one cluster */
};

static const char *const invalid[] = {
	"\xFF", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xE3\x81", "\xF4\x90\x80\x80",
	"ok\x80", "\xF8\x88\x80\x80\x80", "abc\xC3",
};

static void
test_formats(const struct row *rows, size_t n, int resolve_mentions)
{
	for (size_t i = 0; i < n; i++) {
		struct api_text_result	res;
		const char		*why;

		if (!ok(render(rows[i].in, resolve_mentions, &res) == 0, "%s: renders", rows[i].name))
			continue;
		is_str(res.html, rows[i].want, "%s", rows[i].name);
		why = text_check(res.html, BASE);
		ok(why == NULL, "%s: shape (%s)", rows[i].name, why ? why : "ok");
		api_text_result_cleanup(&res);
	}
}

static void
test_rewrites(void)
{
	for (size_t i = 0; i < sizeof(rewrites) / sizeof(rewrites[0]); i++) {
		struct api_text_result res;

		if (!ok(render(rewrites[i].in, 1, &res) == 0, "rewrite %s: renders", rewrites[i].name))
			continue;
		is_str(res.text, rewrites[i].want, "rewrite: %s", rewrites[i].name);
		api_text_result_cleanup(&res);
	}
}

static void
test_tags(void)
{
	for (size_t i = 0; i < sizeof(tag_rows) / sizeof(tag_rows[0]); i++) {
		struct api_text_result	res;
		char			got[512] = "";

		if (!ok(render(tag_rows[i].in, 0, &res) == 0, "tags of %s: renders", tag_rows[i].in))
			continue;
		for (size_t j = 0, len = 0; j < res.ntags; j++)
			len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s", j ? " " : "",
			    res.tags[j]);
		is_str(got, tag_rows[i].want, "tags of %s", tag_rows[i].in);
		api_text_result_cleanup(&res);
	}
}

static void
test_lengths(void)
{
	char	*long_text;

	for (size_t i = 0; i < sizeof(len_rows) / sizeof(len_rows[0]); i++)
		is_int(api_text_length(len_rows[i].spoiler, len_rows[i].text), len_rows[i].want,
		    "length row %zu", i);
	long_text = malloc(API_TEXT_MAX_CHARS + 2);
	memset(long_text, 'a', API_TEXT_MAX_CHARS + 1);
	long_text[API_TEXT_MAX_CHARS + 1] = '\0';
	is_int(api_text_length(NULL, long_text), API_TEXT_MAX_CHARS + 1, "501 letters count 501");
	free(long_text);
	is_int(api_text_length(NULL, "\xFF"), (size_t)-1, "invalid UTF-8 has no length");
	is_int(api_text_length("\xC3", "a"), (size_t)-1, "invalid UTF-8 in the spoiler");
}

/* Entities and mentions of the scan, with byte and code point positions. */
static void
test_scan(void)
{
	struct api_text_scan	 scan;
	const char		*why = NULL;
	const char		*text = "日本 @alice@Example.COM #タグ https://example.com/ 🙂 @bob@@";

	if (!ok(api_text_scan(text, &scan, &why) == 0, "scan"))
		return;
	is_int(scan.nentities, 3, "three entities (the last @bob is dropped)");
	if (scan.nentities == 3) {
		is_int(scan.entities[0].type, API_TEXT_MENTION, "first a mention");
		is_str(scan.entities[0].value, "alice@Example.COM", "its screen name as written");
		is_int(scan.entities[0].start, 7, "byte start");
		is_int(scan.entities[0].cp_start, 3, "code point start");
		is_int(scan.entities[0].cp_end, 21, "code point end");
		is_int(scan.entities[1].type, API_TEXT_HASHTAG, "then a hashtag");
		is_str(scan.entities[1].value, "タグ", "its name");
		is_int(scan.entities[1].end - scan.entities[1].start, 7, "# and two 3-byte characters");
		is_int(scan.entities[2].type, API_TEXT_URL, "then a link");
		is_str(scan.entities[2].value, "https://example.com/", "its URL");
	}
	is_int(scan.nmentions, 2, "two mentions to resolve");
	if (scan.nmentions == 2) {
		is_str(scan.mentions[0].username, "alice", "username");
		is_str(scan.mentions[0].domain, "Example.COM", "domain as written");
		is_str(scan.mentions[1].username, "bob", "@bob@@ is resolved too");
		ok(scan.mentions[1].domain == NULL, "and has no domain");
		ok(strncmp(text + scan.mentions[1].start, "@bob", 4) == 0, "at its byte offset");
	}
	api_text_scan_cleanup(&scan);
	api_text_scan_cleanup(&scan);	/* twice is fine */

	ok(api_text_scan("", &scan, &why) == 0 && scan.nentities == 0 && scan.nmentions == 0,
	    "empty text");
	api_text_scan_cleanup(&scan);
}

static void
test_errors(void)
{
	struct api_text_scan	 scan, other;
	struct api_text_result	 res;
	const char		*why;
	char			*big;

	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		why = NULL;
		ok(api_text_scan(invalid[i], &scan, &why) == -1 && why != NULL &&
		    strcmp(why, "invalid UTF-8") == 0, "invalid UTF-8 #%zu refused", i);
		ok(scan.nentities == 0 && scan.nmentions == 0, "and the scan is empty");
		api_text_scan_cleanup(&scan);
	}
	big = malloc(API_TEXT_MAX_BYTES + 2);
	memset(big, 'a', API_TEXT_MAX_BYTES + 1);
	big[API_TEXT_MAX_BYTES + 1] = '\0';
	ok(api_text_scan(big, &scan, &why) == -1 && strcmp(why, "text too long") == 0,
	    "text over API_TEXT_MAX_BYTES refused");
	is_int(api_text_length(NULL, big), (size_t)-1, "and has no length");
	big[API_TEXT_MAX_BYTES] = '\0';
	ok(api_text_scan(big, &scan, &why) == 0, "API_TEXT_MAX_BYTES itself is fine");
	api_text_scan_cleanup(&scan);
	free(big);

	/* A scan of another text is refused rather than rewriting the wrong bytes. */
	api_text_scan("@alice and @bob", &scan, NULL);
	api_text_scan("hi @alice", &other, NULL);
	ok(api_text_render("hi @alice", &scan, NULL, NULL, &res) == -1 && res.html == NULL,
	    "render with the scan of another text fails");
	ok(api_text_render("hi @alice", &other, NULL, NULL, &res) == 0, "with its own scan it works");
	is_str(res.html, "<p>hi @alice</p>", "no options, no author: mentions stay text");
	api_text_result_cleanup(&res);
	api_text_result_cleanup(&res);
	ok(api_text_render("\xFF", &other, NULL, NULL, &res) == -1, "render refuses invalid UTF-8");
	api_text_scan_cleanup(&scan);
	api_text_scan_cleanup(&other);
	api_text_scan_cleanup(NULL);
	api_text_result_cleanup(NULL);
}

/* Many links, hashtags and dots: scanning stays fast and right. */
static void
test_large(void)
{
	size_t			 n = API_TEXT_MAX_BYTES;
	char			*t = malloc(n + 1);
	struct api_text_scan	 scan;

	for (size_t i = 0; i < n; i++)
		t[i] = i % 2 ? '.' : 'a';
	t[n] = '\0';
	ok(api_text_scan(t, &scan, NULL) == 0 && scan.nentities == 0, "a.a.a.a... has no link");
	api_text_scan_cleanup(&scan);
	for (size_t i = 0; i < n; i++)
		t[i] = "(x)"[i % 3];
	memcpy(t, "https://e.com/", 14);
	ok(api_text_scan(t, &scan, NULL) == 0 && scan.nentities == 1, "a path of parentheses");
	api_text_scan_cleanup(&scan);
	for (size_t i = 0; i + 20 <= n; i += 20)
		memcpy(t + i, "https://a.co/#x @a #", 20);
	t[n - n % 20] = '\0';
	ok(api_text_scan(t, &scan, NULL) == 0 && scan.nentities == 2 * (n / 20),
	    "thousands of links and mentions (%zu)", scan.nentities);
	api_text_scan_cleanup(&scan);
	free(t);
}

int
main(void)
{
	test_formats(formats, sizeof(formats) / sizeof(formats[0]), 0);
	test_formats(mentions, sizeof(mentions) / sizeof(mentions[0]), 1);
	test_rewrites();
	test_tags();
	test_lengths();
	test_scan();
	test_errors();
	test_large();
	return done_testing();
}
