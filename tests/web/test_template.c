/*
 * Unit tests of web/template.h: escaping, missing values, sections over
 * arrays, objects and booleans, inverted sections, dotted names, partials,
 * messages, and the parse errors a template author can make.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/str.h"
#include "web/template.h"

/* Renders text with the JSON context ctx_text; returns a static buffer or "(error)". */
static const char *
render(const char *text, const char *ctx_text, const struct tpl_env *env, unsigned flags)
{
	static char	 out[4096];
	char		 err[160];
	struct tpl	*t = tpl_parse(text, strlen(text), 0, err, sizeof(err));
	json_t		*ctx = json_loads(ctx_text, JSON_DECODE_ANY, NULL);
	struct buf	 b;

	if (t == NULL) {
		snprintf(out, sizeof(out), "(parse: %s)", err);
		json_decref(ctx);
		return out;
	}
	buf_init(&b, sizeof(out) - 1);
	if (tpl_render(t, ctx, env, flags, &b) == -1)
		snprintf(out, sizeof(out), "(error)");
	else
		snprintf(out, sizeof(out), "%s", b.data != NULL ? b.data : "");
	buf_cleanup(&b);
	tpl_free(t);
	json_decref(ctx);
	return out;
}

/* 1 when text fails to parse; the reason goes to why. */
static int
parse_fails(const char *text, char *why, size_t whysz)
{
	struct tpl *t = tpl_parse(text, strlen(text), 0, why, whysz);

	tpl_free(t);
	return t == NULL;
}

/* Partials and messages for the env tests. */
static struct tpl *partial_greeting, *partial_self, *msg_hello;

static const struct tpl *
find_partial(void *arg, const char *name, size_t len)
{
	(void)arg;
	if (len == 8 && memcmp(name, "greeting", 8) == 0)
		return partial_greeting;
	if (len == 4 && memcmp(name, "self", 4) == 0)
		return partial_self;
	return NULL;
}

static const struct tpl *
find_message(void *arg, const char *key, size_t len)
{
	(void)arg;
	if (len == 5 && memcmp(key, "hello", 5) == 0)
		return msg_hello;
	return NULL;
}

static void
test_escaping(void)
{
	is_str(render("<p>{{v}}</p>", "{\"v\": \"<b>&\\\"'</b>\"}", NULL, 0),
	    "<p>&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;</p>", "all five characters are escaped");
	is_str(render("<a title=\"{{v}}\">", "{\"v\": \"\\\" onmouseover=\\\"x\"}", NULL, 0),
	    "<a title=\"&quot; onmouseover=&quot;x\">", "a value cannot leave its attribute");
	is_str(render("{{v}}", "{\"v\": \"<b>\"}", NULL, TPL_RAW), "<b>",
	    "TPL_RAW escapes nothing");
	is_str(render("a{{! a comment }}b", "{}", NULL, 0), "ab", "comments render as nothing");
	is_str(render("1 < 2 & {{ v }}", "{\"v\": \"x\"}", NULL, 0), "1 < 2 & x",
	    "template text is HTML and stays as written; spaces in tags are allowed");
}

static void
test_values(void)
{
	is_str(render("[{{missing}}]", "{}", NULL, 0), "[]", "a missing name renders nothing");
	is_str(render("[{{a.b.c}}]", "{\"a\": {\"b\": {\"c\": \"deep\"}}}", NULL, 0),
	    "[deep]", "dotted names descend into objects");
	is_str(render("[{{a.x}}]", "{\"a\": {\"b\": 1}}", NULL, 0), "[]",
	    "a dotted name with a missing part renders nothing");
	is_str(render("[{{a.b}}]", "{\"a\": \"string\"}", NULL, 0), "[]",
	    "a dotted name through a string renders nothing");
	is_str(render("{{n}} {{r}} {{t}} {{f}} [{{z}}] [{{o}}] [{{l}}]",
	    "{\"n\": 42, \"r\": 1.5, \"t\": true, \"f\": false, \"z\": null,"
	    " \"o\": {\"a\": 1}, \"l\": [1]}", NULL, 0),
	    "42 1.5 true false [] [] []", "numbers and booleans print; null, objects, arrays do not");
	is_str(render("{{.}}", "\"top\"", NULL, 0), "top", "{{.}} is the current value");
	is_str(render("[{{x}}]", "null", NULL, 0), "[]", "a NULL-ish context is harmless");
}

static void
test_sections(void)
{
	is_str(render("{{#items}}<li>{{name}}</li>{{/items}}",
	    "{\"items\": [{\"name\": \"a\"}, {\"name\": \"<b>\"}]}", NULL, 0),
	    "<li>a</li><li>&lt;b&gt;</li>", "a section loops over an array, escaping inside");
	is_str(render("{{#tags}}[{{.}}]{{/tags}}", "{\"tags\": [\"x\", \"y\"]}", NULL, 0),
	    "[x][y]", "{{.}} in a loop over strings");
	is_str(render("{{#user}}{{name}} of {{org}}{{/user}}",
	    "{\"org\": \"gov\", \"user\": {\"name\": \"ann\"}}", NULL, 0),
	    "ann of gov", "names not in the section's object are found outside it");
	is_str(render("{{#a}}{{#b}}{{#c}}{{v}}{{/c}}{{/b}}{{/a}}",
	    "{\"a\": {\"b\": [{\"c\": true, \"v\": 1}, {\"c\": false, \"v\": 2},"
	    " {\"c\": true, \"v\": 3}]}}", NULL, 0),
	    "13", "nested sections: object, array, boolean");
	is_str(render("{{#rows}}{{#cells}}{{.}}{{/cells}};{{/rows}}",
	    "{\"rows\": [{\"cells\": [1, 2]}, {\"cells\": []}, {\"cells\": [3]}]}", NULL, 0),
	    "12;;3;", "a loop inside a loop");
	is_str(render("{{#f}}yes{{/f}}{{^f}}no{{/f}}", "{\"f\": false}", NULL, 0), "no",
	    "false skips a section and shows the inverse");
	is_str(render("{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\": \"\"}", NULL, 0), "no",
	    "an empty string is false");
	is_str(render("{{#l}}yes{{/l}}{{^l}}no{{/l}}", "{\"l\": []}", NULL, 0), "no",
	    "an empty array is false");
	is_str(render("{{#m}}yes{{/m}}{{^m}}no{{/m}}", "{}", NULL, 0), "no",
	    "a missing value is false");
	is_str(render("{{#z}}yes{{/z}}{{^z}}no{{/z}}", "{\"z\": 0}", NULL, 0), "yes",
	    "zero is true, as in Mustache");
	is_str(render("{{#s}}[{{s}}]{{/s}}", "{\"s\": \"<x>\"}", NULL, 0), "[&lt;x&gt;]",
	    "inside a string's section the name still finds the string");
}

static void
test_env(void)
{
	char		 err[160];
	struct tpl_env	 env = { find_partial, find_message, NULL };

	partial_greeting = tpl_parse("hi {{name}}", 11, 0, err, sizeof(err));
	partial_self = tpl_parse("x{{>self}}", 10, 0, err, sizeof(err));
	msg_hello = tpl_parse("Hello <{{name}}> & bye", 22, TPL_PLAIN, err, sizeof(err));
	ok(partial_greeting != NULL && partial_self != NULL && msg_hello != NULL,
	    "env templates parse");
	is_str(render("<p>{{>greeting}}</p>", "{\"name\": \"<ann>\"}", &env, 0),
	    "<p>hi &lt;ann&gt;</p>", "a partial renders in the same context");
	is_str(render("[{{>nothing}}]", "{}", &env, 0), "[]", "an unknown partial is nothing");
	is_str(render("[{{>greeting}}]", "{}", NULL, 0), "[]", "no env: partials are nothing");
	is_str(render("{{>self}}", "{}", &env, 0), "(error)",
	    "a partial including itself stops with an error");
	is_str(render("<p>{{@hello}}</p>", "{\"name\": \"a&b\"}", &env, 0),
	    "<p>Hello &lt;a&amp;b&gt; &amp; bye</p>",
	    "a message's text is plain text: escaped like its values");
	is_str(render("{{@hello}}", "{\"name\": \"a&b\"}", &env, TPL_RAW),
	    "Hello <a&b> & bye", "a message rendered raw, for a context");
	is_str(render("[{{@nope}}]", "{}", &env, 0), "[]", "an unknown message is nothing");
	tpl_free(partial_greeting);
	tpl_free(partial_self);
	tpl_free(msg_hello);
}

static void
test_errors(void)
{
	char	 why[160], deep[2048];
	size_t	 n = 0;

	ok(parse_fails("{{#a}}x", why, sizeof(why)) && strstr(why, "not closed") != NULL,
	    "an unclosed section: %s", why);
	ok(parse_fails("{{#a}}{{/b}}", why, sizeof(why)) && strstr(why, "match") != NULL,
	    "a mismatched close: %s", why);
	ok(parse_fails("x{{/a}}", why, sizeof(why)), "a close without an open: %s", why);
	ok(parse_fails("line\n\n{{v", why, sizeof(why)) && strncmp(why, "line 3:", 7) == 0,
	    "an unterminated tag names its line: %s", why);
	ok(parse_fails("{{{raw}}}", why, sizeof(why)), "no raw output tag: %s", why);
	ok(parse_fails("{{&raw}}", why, sizeof(why)) && strstr(why, "_html") != NULL,
	    "{{& refuses a name not ending in _html: %s", why);
	ok(parse_fails("{{&_htm}}", why, sizeof(why)), "nor a shorter one: %s", why);
	ok(parse_fails("{{=<% %>=}}", why, sizeof(why)), "no delimiter change: %s", why);
	ok(parse_fails("{{user name}}", why, sizeof(why)), "a name with a space: %s", why);
	ok(parse_fails("{{a..b}}", why, sizeof(why)), "an empty segment: %s", why);
	ok(parse_fails("{{}}", why, sizeof(why)), "an empty tag: %s", why);
	for (int i = 0; i < TPL_MAX_DEPTH + 1; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "{{#a}}");
	ok(parse_fails(deep, why, sizeof(why)) && strstr(why, "deep") != NULL,
	    "sections nested past TPL_MAX_DEPTH: %s", why);
	ok(!parse_fails("", why, sizeof(why)), "an empty template is fine");
	is_str(render("", "{}", NULL, 0), "", "and renders nothing");
}

static void
test_html(void)
{
	is_str(render("<div>{{&note_html}}</div>", "{\"note_html\": \"<p>a &amp; b</p>\"}",
	    NULL, 0), "<div><p>a &amp; b</p></div>", "an _html value is written as it is");
	is_str(render("{{#s}}{{&s.c_html}}{{/s}}|{{s.c_html}}",
	    "{\"s\": {\"c_html\": \"<b>\"}}", NULL, 0), "<b>|&lt;b&gt;",
	    "inside a section too, and the plain tag still escapes it");
	is_str(render("[{{&none_html}}]", "{}", NULL, 0), "[]", "a missing one is nothing");
}

static void
test_cap(void)
{
	char		 err[160];
	struct tpl	*t = tpl_parse("{{#l}}{{.}}{{/l}}", 17, 0, err, sizeof(err));
	json_t		*ctx = json_pack("{s:[s,s,s]}", "l", "aaaa", "bbbb", "cccc");
	struct buf	 b;

	buf_init(&b, 8);
	is_int(tpl_render(t, ctx, NULL, 0, &b), -1, "output past the buffer's cap fails");
	buf_cleanup(&b);
	buf_init(&b, 0);
	is_int(tpl_render(t, ctx, NULL, 0, &b), 0, "and fits without the cap");
	is_str(b.data, "aaaabbbbcccc", "the whole loop");
	buf_cleanup(&b);
	tpl_free(t);
	json_decref(ctx);
}

int
main(void)
{
	test_escaping();
	test_values();
	test_sections();
	test_env();
	test_errors();
	test_html();
	test_cap();
	return done_testing();
}
