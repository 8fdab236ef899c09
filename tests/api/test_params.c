/*
 * Tests of api/params.h: the query and form syntax Rails reads (brackets,
 * '+', repeated names, names without '='), JSON bodies, multipart bodies
 * with files, the typed accessors, the limits, and the malformed inputs
 * that must be a 400 rather than a guess.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "api/params.h"
#include "http/request.h"
#include "tap.h"

#define FORM	"application/x-www-form-urlencoded"
#define JSON	"application/json"
#define MP	"multipart/form-data; boundary=XyZ"

static char	 last_err[256];

static struct api_params *
parse_len(const char *query, const char *ct, const char *body, size_t len)
{
	return api_params_parse_raw(query, ct, body, len, last_err, sizeof(last_err));
}

static struct api_params *
parse(const char *query, const char *ct, const char *body)
{
	return parse_len(query, ct, body, body != NULL ? strlen(body) : 0);
}

/* The parameters as compact JSON with sorted keys (new), or "ERROR: ...". */
static char *
dump(struct api_params *p)
{
	char *s;

	if (p == NULL) {
		if (asprintf(&s, "ERROR: %s", last_err) == -1)
			abort();
		return s;
	}
	return json_dumps(api_params_json(p), JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
}

static void
is_params_len(const char *query, const char *ct, const char *body, size_t len,
    const char *want, const char *what)
{
	struct api_params	*p = parse_len(query, ct, body, len);
	char			*got = dump(p);

	if (want == NULL)
		ok(p != NULL, "%s (%s)", what, got);
	else
		is_str(got, want, "%s", what);
	free(got);
	api_params_free(p);
}

/* A test's name from its input: control characters as '.', as TAP needs one line. */
static void
describe(char *what, size_t sz, const char *query, const char *body)
{
	snprintf(what, sz, "query '%.40s' body '%.60s'", query ? query : "(null)",
	    body ? body : "(null)");
	for (; *what != '\0'; what++)
		if ((unsigned char)*what < 0x20 || *what == 0x7f)
			*what = '.';
}

static void
is_params(const char *query, const char *ct, const char *body, const char *want)
{
	char what[160];

	describe(what, sizeof(what), query, body);
	is_params_len(query, ct, body, body ? strlen(body) : 0, want, what);
}

/* Refused with a reason that contains want, printable ASCII only. */
static void
refuse_len(const char *query, const char *ct, const char *body, size_t len,
    const char *want, const char *what)
{
	struct api_params	*p;
	int			 ascii = 1;

	snprintf(last_err, sizeof(last_err), "(unset)");
	p = parse_len(query, ct, body, len);
	ok(p == NULL, "refused: %s", what);
	if (!ok(strstr(last_err, want) != NULL, "reason of %s", what))
		printf("#   got '%s', want '%s'\n", last_err, want);
	for (const char *s = last_err; *s != '\0'; s++)
		if (*s < 0x20 || *s > 0x7e)
			ascii = 0;
	ok(ascii, "reason of %s is printable ASCII", what);
	api_params_free(p);
}

static void
refuse(const char *query, const char *ct, const char *body, const char *want)
{
	char what[160];

	describe(what, sizeof(what), query, body);
	refuse_len(query, ct, body, body ? strlen(body) : 0, want, what);
}

static void
test_query(void)
{
	is_params(NULL, NULL, NULL, "{}");
	is_params("", NULL, NULL, "{}");
	is_params("a=1&b=2", NULL, NULL, "{\"a\":\"1\",\"b\":\"2\"}");
	is_params("status=hello+world", NULL, NULL, "{\"status\":\"hello world\"}");
	is_params("a+b=c%2Bd%20e", NULL, NULL, "{\"a b\":\"c+d e\"}");
	is_params("a=%41%c3%a9%F0%9F%98%80", NULL, NULL, "{\"a\":\"A\\u00E9\\uD83D\\uDE00\"}");
	is_params("a=1&a=2", NULL, NULL, "{\"a\":\"2\"}");
	is_params("a=", NULL, NULL, "{\"a\":\"\"}");
	is_params("a", NULL, NULL, "{\"a\":null}");
	is_params("a=b=c", NULL, NULL, "{\"a\":\"b=c\"}");
	is_params("&&a=1&&b&", NULL, NULL, "{\"a\":\"1\",\"b\":null}");
	is_params("=x&=&a=1", NULL, NULL, "{\"a\":\"1\"}");
	is_params("a=x%0D%0Ay", NULL, NULL, "{\"a\":\"x\\r\\ny\"}");
	is_params("a=1;b=2", NULL, NULL, "{\"a\":\"1;b=2\"}");
}

static void
test_brackets(void)
{
	is_params("types[]=mention&types[]=follow", NULL, NULL,
	    "{\"types\":[\"mention\",\"follow\"]}");
	is_params("types%5B%5D=mention&types%5b%5d=follow", NULL, NULL,
	    "{\"types\":[\"mention\",\"follow\"]}");
	is_params("a[]", NULL, NULL, "{\"a\":[]}");
	is_params("a[]=&a[]=x&a[]", NULL, NULL, "{\"a\":[\"\",\"x\"]}");
	is_params("a[b]=1&a[c]=2", NULL, NULL, "{\"a\":{\"b\":\"1\",\"c\":\"2\"}}");
	is_params("a[b]=1&a[b]=2", NULL, NULL, "{\"a\":{\"b\":\"2\"}}");
	is_params("a[b]", NULL, NULL, "{\"a\":{\"b\":null}}");
	is_params("fields_attributes[0][name]=Site&fields_attributes[0][value]=x"
	    "&fields_attributes[1][name]=y", NULL, NULL,
	    "{\"fields_attributes\":{\"0\":{\"name\":\"Site\",\"value\":\"x\"},"
	    "\"1\":{\"name\":\"y\"}}}");
	/* Rack's hash-in-array: a new hash when the last has the key. */
	is_params("m[][id]=1&m[][description]=d&m[][id]=2", NULL, NULL,
	    "{\"m\":[{\"description\":\"d\",\"id\":\"1\"},{\"id\":\"2\"}]}");
	is_params("m[][a][b]=1&m[][a][c]=2&m[][a][b]=3", NULL, NULL,
	    "{\"m\":[{\"a\":{\"b\":\"1\",\"c\":\"2\"}},{\"a\":{\"b\":\"3\"}}]}");
	is_params("a[][]=1&a[][]=2", NULL, NULL, "{\"a\":[[\"1\"],[\"2\"]]}");
	is_params("a[][]", NULL, NULL, "{\"a\":[[]]}");
	is_params("data[alerts][follow]=true&data[alerts][mention]=0&data[policy]=all", NULL,
	    NULL, "{\"data\":{\"alerts\":{\"follow\":\"true\",\"mention\":\"0\"},"
	    "\"policy\":\"all\"}}");
	/* Malformed names, read as Rack 3 reads them. */
	is_params("a[=1", NULL, NULL, "{\"a[\":\"1\"}");
	is_params("a[b=1", NULL, NULL, "{\"a\":{\"[b\":\"1\"}}");
	is_params("a]=1", NULL, NULL, "{\"a]\":\"1\"}");
	is_params("[a]=1", NULL, NULL, "{\"[a]\":\"1\"}");
	is_params("[]=1", NULL, NULL, "{\"[]\":\"1\"}");
	is_params("a[b]c=1", NULL, NULL, "{\"a\":{\"b\":{\"c\":\"1\"}}}");
	is_params("a[]b=1", NULL, NULL, "{\"a\":[{\"b\":\"1\"}]}");
	/* A null (no '=') gives way; a plain name overwrites anything. */
	is_params("a&a[]=1", NULL, NULL, "{\"a\":[\"1\"]}");
	is_params("a&a[b]=1", NULL, NULL, "{\"a\":{\"b\":\"1\"}}");
	is_params("a[]=1&a=2", NULL, NULL, "{\"a\":\"2\"}");
	is_params("a[b]=1&a=2", NULL, NULL, "{\"a\":\"2\"}");
	/* Conflicting types are Rack's ParameterTypeError: a 400. */
	refuse("a=1&a[]=2", NULL, NULL, "expected Array (got String) for param `a'");
	refuse("a=1&a[b]=2", NULL, NULL, "expected Hash (got String) for param `a'");
	refuse("a[]=1&a[b]=2", NULL, NULL, "expected Hash (got Array) for param `a'");
	refuse("a[b]=1&a[]=2", NULL, NULL, "expected Array (got Hash) for param `a'");
	refuse("a[b]=1&a[b][c]=2", NULL, NULL, "expected Hash (got String) for param `b'");
	refuse("a[x]=1&a[][y]=2", NULL, NULL, "expected Array (got Hash)");
	refuse("%C3%A9=1&%C3%A9[]=2", NULL, NULL, "for param `?\?'");
}

static void
test_decoding(void)
{
	refuse("a=%zz", NULL, NULL, "Invalid query parameters: invalid %-encoding");
	refuse("a=100%", NULL, NULL, "invalid %-encoding");
	refuse("a=%4", NULL, NULL, "invalid %-encoding");
	refuse("a=%4g", NULL, NULL, "invalid %-encoding");
	refuse("%=1", NULL, NULL, "invalid %-encoding");
	refuse("a[%]=1", NULL, NULL, "invalid %-encoding");
	refuse("ok=1&a=%", NULL, NULL, "invalid %-encoding");
	refuse("a=%ff", NULL, NULL, "invalid encoding for parameter");
	refuse("a=%c3", NULL, NULL, "invalid encoding for parameter");
	refuse("a=%c0%af", NULL, NULL, "invalid encoding for parameter");
	refuse("a=%ed%a0%80", NULL, NULL, "invalid encoding for parameter");
	refuse("a=%f4%90%80%80", NULL, NULL, "invalid encoding for parameter");
	refuse("%ff=1", NULL, NULL, "invalid encoding for parameter");
	refuse("a=%00", NULL, NULL, "NUL byte");
	refuse("a%00b=1", NULL, NULL, "NUL byte");
	refuse("a%0D%0AX-Injected:%201=1", NULL, NULL, "control character in a parameter name");
	refuse("a[%0a]=1", NULL, NULL, "control character in a parameter name");
	refuse("a%09=1", NULL, NULL, "control character");
	refuse("a%7f=1", NULL, NULL, "control character");
	refuse(NULL, FORM, "a=%zz", "Invalid request parameters: invalid %-encoding");
}

static void
test_limits(void)
{
	char	*q = malloc(16 * 2000), *s;
	size_t	 n = 0;
	int	 i;

	is_params("a[1][2][3][4][5][6][7][8]=x", NULL, NULL,
	    "{\"a\":{\"1\":{\"2\":{\"3\":{\"4\":{\"5\":{\"6\":{\"7\":{\"8\":\"x\"}}}}}}}}}");
	refuse("a[1][2][3][4][5][6][7][8][9]=x", NULL, NULL,
	    "parameters nested deeper than 8 levels");
	/* Rack: only "a[][]" is an array in an array; deeper, "[]" becomes
	 * a hash key. 8 levels either way. */
	is_params("a[][][]=x", NULL, NULL, "{\"a\":[{\"[]\":[\"x\"]}]}");
	is_params("a[][][][][][][][]=x", NULL, NULL,
	    "{\"a\":[{\"[]\":[{\"[]\":[{\"[]\":[[\"x\"]]}]}]}]}");
	refuse("a[][][][][][][][][]=x", NULL, NULL, "nested deeper than 8");
	is_params("a[1][2][3][4][5][6][][x]=y", NULL, NULL,
	    "{\"a\":{\"1\":{\"2\":{\"3\":{\"4\":{\"5\":{\"6\":[{\"x\":\"y\"}]}}}}}}}");
	refuse("a[1][2][3][4][5][6][7][][x]=y", NULL, NULL, "nested deeper than 8");
	refuse("a[][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][]=1",
	    NULL, NULL, "nested deeper");

	/* 1024 pairs, counted across the query and the body. */
	for (i = 0; i < 1024; i++)
		n += (size_t)snprintf(q + n, 16, "%sk%d=v", i ? "&" : "", i);
	is_params_len(q, NULL, NULL, 0, NULL, "1024 pairs");
	s = q + n;
	snprintf(s, 8, "&x=1");
	refuse(q, NULL, NULL, "more than 1024 parameters");
	*s = '\0';
	refuse(q, FORM, "x=1", "more than 1024 parameters");
	/* Repeated names count too: each pair is work. */
	n = 0;
	for (i = 0; i < 1025; i++)
		n += (size_t)snprintf(q + n, 16, "%sa[]=%d", i ? "&" : "", i);
	refuse(q, NULL, NULL, "more than 1024 parameters");
	free(q);
}

static void
test_merge(void)
{
	struct api_params *p;

	is_params("a=1&b=2", FORM, "a=3", "{\"a\":\"3\",\"b\":\"2\"}");
	/* Shallow, as Rails' Hash#merge: the body's hash replaces the query's. */
	is_params("o[x]=1", FORM, "o[y]=2", "{\"o\":{\"y\":\"2\"}}");
	is_params("a=1&limit=5", JSON, "{\"a\":2}", "{\"a\":2,\"limit\":\"5\"}");
	/* Not a type conflict: the sources are separate until the merge. */
	is_params("a=1", FORM, "a[]=2", "{\"a\":[\"2\"]}");
	p = parse("a=1", "text/plain", "a=2");
	is_str(api_param_str(p, "a"), "1", "text/plain body ignored");
	api_params_free(p);
}

static void
test_content_types(void)
{
	is_params(NULL, FORM, "a=1&b=hello+world", "{\"a\":\"1\",\"b\":\"hello world\"}");
	is_params(NULL, "Application/X-WWW-Form-URLEncoded; charset=UTF-8", "a=1",
	    "{\"a\":\"1\"}");
	is_params(NULL, "  application/x-www-form-urlencoded ;charset=utf-8", "a=1",
	    "{\"a\":\"1\"}");
	is_params(NULL, NULL, "a=1", "{\"a\":\"1\"}");
	is_params(NULL, "", "a=1", "{\"a\":\"1\"}");
	is_params(NULL, "text/plain", "a=1", "{}");
	is_params(NULL, "application/octet-stream", "\xff\x00", "{}");
	is_params(NULL, "application/x-www-form-urlencodedX", "a=1", "{}");
	is_params(NULL, "application/x-www-form", "a=1", "{}");
	is_params(NULL, "APPLICATION/JSON", "{\"a\":1}", "{\"a\":1}");
	is_params(NULL, "application/json; charset=utf-8", "{\"a\":1}", "{\"a\":1}");
	is_params(NULL, "application/json;charset=\"utf-8\"", "{\"a\":1}", "{\"a\":1}");
	is_params(NULL, "text/x-json", "{\"a\":1}", "{\"a\":1}");
	is_params(NULL, "application/jsonx", "{\"a\":1}", "{}");
	is_params(NULL, "application/activity+json", "{\"a\":1}", "{}");
	/* A form body with a trailing '&' or spaces around nothing. */
	is_params(NULL, FORM, "a=1&", "{\"a\":\"1\"}");
	is_params_len(NULL, FORM, "a=1\0b=2", 7, "ERROR: Invalid request parameters: NUL byte "
	    "in a parameter", "raw NUL in a form body");
}

static void
test_json(void)
{
	struct api_params	*p;
	json_t			*l;
	const char		*s1, *s2;
	char			*d;

	p = parse(NULL, JSON, "{\"status\":\"hi\",\"sensitive\":true,\"n\":42,\"r\":1.5,"
	    "\"z\":null,\"f\":false,\"arr\":[1,\"2\",true,null,[3],{\"x\":1}],\"o\":{\"k\":\"v\"},"
	    "\"big\":9223372036854775807,\"neg\":-7,\"tenth\":0.1,\"e\":1e20,\"two\":2.0}");
	ok(p != NULL, "JSON body parsed");
	is_str(api_param_str(p, "status"), "hi", "JSON string");
	is_str(api_param_str(p, "sensitive"), "true", "JSON true as text");
	is_str(api_param_str(p, "f"), "false", "JSON false as text");
	is_str(api_param_str(p, "n"), "42", "JSON integer as text");
	is_str(api_param_str(p, "big"), "9223372036854775807", "JSON int64 max");
	is_str(api_param_str(p, "neg"), "-7", "JSON negative");
	is_str(api_param_str(p, "r"), "1.5", "JSON real");
	is_str(api_param_str(p, "tenth"), "0.1", "JSON 0.1 in its shortest form");
	is_str(api_param_str(p, "e"), "1e+20", "JSON 1e20");
	is_str(api_param_str(p, "two"), "2.0", "JSON 2.0 keeps its .0");
	ok(api_param_str(p, "z") == NULL, "JSON null is no string");
	ok(api_param_str(p, "arr") == NULL, "JSON array is no string");
	ok(api_param_str(p, "o") == NULL, "JSON object is no string");
	ok(api_param_str(p, "missing") == NULL, "absent is NULL");
	s1 = api_param_str(p, "n");
	s2 = api_param_str(p, "n");
	ok(s1 == s2, "a number's text is kept: the same pointer twice");
	is_str(s1, "42", "and still right");
	ok(api_param_object(p, "o") != NULL &&
	    strcmp(json_string_value(json_object_get(api_param_object(p, "o"), "k")), "v") == 0,
	    "api_param_object of a JSON object");
	ok(api_param_object(p, "arr") == NULL, "api_param_object of an array is NULL");
	ok(api_param_object(p, "status") == NULL, "api_param_object of a string is NULL");
	l = api_param_list(p, "arr");
	d = json_dumps(l, JSON_COMPACT);
	is_str(d, "[\"1\",\"2\",\"true\"]", "api_param_list of a JSON array: scalars as text");
	free(d);
	json_decref(l);
	api_params_free(p);

	is_params(NULL, JSON, "", "{}");
	is_params(NULL, JSON, "{\"a\":1,\"a\":2}", "{\"a\":2}");
	is_params(NULL, JSON, " {\"a\" : [ ] } \n", "{\"a\":[]}");
	refuse(NULL, JSON, "{", "malformed JSON");
	refuse(NULL, JSON, "   ", "malformed JSON");
	refuse(NULL, JSON, "{} x", "malformed JSON");
	refuse(NULL, JSON, "{\"a\":1,}", "malformed JSON");
	refuse(NULL, JSON, "a=1", "malformed JSON");
	refuse(NULL, JSON, "[1]", "the JSON body is not an object");
	refuse(NULL, JSON, "\"x\"", "not an object");
	refuse(NULL, JSON, "null", "not an object");
	refuse(NULL, JSON, "42", "not an object");
	refuse(NULL, JSON, "{\"a\":\"\\u0000\"}", "malformed JSON");
	refuse(NULL, JSON, "{\"a\":\"\xff\"}", "malformed JSON");
	refuse(NULL, JSON, "{\"a\":1e400}", "malformed JSON");
	refuse(NULL, JSON, "{\"a\":99999999999999999999}", "malformed JSON");
	refuse(NULL, JSON, "{\"a\\r\\nb\":1}", "control character in a parameter name");
	refuse(NULL, JSON, "{\"o\":{\"\\t\":1}}", "control character in a parameter name");
	/* Jansson quotes the input near an error: never echoed raw. */
	refuse(NULL, JSON, "{\"a\":\xc3\xa9}", "malformed JSON");
	refuse(NULL, JSON, "{\"a\":tru\x01}", "malformed JSON");
}

static void
test_json_limits(void)
{
	char	*b = malloc(16 * 1100);
	size_t	 n;
	int	 i;

	is_params(NULL, JSON, "{\"a\":[[[[[[[[1]]]]]]]]}", "{\"a\":[[[[[[[[1]]]]]]]]}");
	refuse(NULL, JSON, "{\"a\":[[[[[[[[[1]]]]]]]]]}", "JSON nested deeper than 8 levels");
	is_params(NULL, JSON, "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{}}}}}}}}}",
	    "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{}}}}}}}}}");
	refuse(NULL, JSON, "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{}}}}}}}}}}",
	    "JSON nested deeper than 8 levels");
	/* Deeper than Jansson's own limit: its error, not a crash. */
	n = 0;
	b[n++] = '{';
	memcpy(b + n, "\"a\":", 4);
	n += 4;
	for (i = 0; i < 3000; i++)
		b[n++] = '[';
	for (i = 0; i < 3000; i++)
		b[n++] = ']';
	b[n++] = '}';
	refuse_len(NULL, JSON, b, n, "Invalid request parameters", "JSON 3000 deep");

	/* 1024 values in all: members and elements. */
	n = 0;
	b[n++] = '{';
	for (i = 0; i < 1024; i++)
		n += (size_t)snprintf(b + n, 16, "%s\"k%d\":1", i ? "," : "", i);
	b[n++] = '}';
	b[n] = '\0';
	is_params_len(NULL, JSON, b, n, NULL, "JSON with 1024 members");
	b[n - 1] = ',';
	n += (size_t)snprintf(b + n - 0, 16, "\"x\":1}");
	refuse_len(NULL, JSON, b, n, "more than 1024 parameters", "JSON with 1025 members");
	n = (size_t)snprintf(b, 16, "{\"a\":[");
	for (i = 0; i < 1024; i++)
		n += (size_t)snprintf(b + n, 8, "%s1", i ? "," : "");
	n += (size_t)snprintf(b + n, 8, "]}");
	refuse_len(NULL, JSON, b, n, "more than 1024 parameters", "JSON array of 1024 + its key");
	free(b);
}

static void
bool_is(const char *query, int def, int want)
{
	struct api_params *p = parse(query, NULL, NULL);

	is_int(api_param_bool(p, "b", def), want, "bool of '%s' (default %d)", query, def);
	api_params_free(p);
}

static void
jbool_is(const char *body, int def, int want)
{
	struct api_params *p = parse(NULL, JSON, body);

	is_int(api_param_bool(p, "b", def), want, "bool of JSON %s (default %d)", body, def);
	api_params_free(p);
}

static void
test_bool(void)
{
	static const char *const falses[] = {
		"b=0", "b=f", "b=F", "b=false", "b=FALSE", "b=off", "b=OFF",
	};
	static const char *const trues[] = {
		"b=1", "b=t", "b=T", "b=true", "b=TRUE", "b=on", "b=ON", "b=yes", "b=no",
		"b=False", "b=Off", "b=+", "b=0.0", "b=00", "b=x", "b[]=0", "b[x]=0",
	};
	size_t i;

	for (i = 0; i < sizeof(falses) / sizeof(falses[0]); i++) {
		bool_is(falses[i], 1, 0);
		bool_is(falses[i], 0, 0);
	}
	for (i = 0; i < sizeof(trues) / sizeof(trues[0]); i++) {
		bool_is(trues[i], 0, 1);
		bool_is(trues[i], 1, 1);
	}
	/* Absent, null and "" give the default. */
	bool_is("", 0, 0);
	bool_is("", 1, 1);
	bool_is("b", 0, 0);
	bool_is("b", 1, 1);
	bool_is("b=", 0, 0);
	bool_is("b=", 1, 1);
	bool_is("c=1", 1, 1);
	jbool_is("{\"b\":true}", 0, 1);
	jbool_is("{\"b\":false}", 1, 0);
	jbool_is("{\"b\":0}", 1, 0);
	jbool_is("{\"b\":1}", 0, 1);
	jbool_is("{\"b\":-1}", 0, 1);
	jbool_is("{\"b\":0.0}", 1, 0);
	jbool_is("{\"b\":0.5}", 0, 1);
	jbool_is("{\"b\":null}", 1, 1);
	jbool_is("{\"b\":null}", 0, 0);
	jbool_is("{\"b\":\"\"}", 1, 1);
	jbool_is("{\"b\":\"false\"}", 1, 0);
	jbool_is("{\"b\":\"0\"}", 1, 0);
	jbool_is("{\"b\":[]}", 0, 1);
	jbool_is("{\"b\":{}}", 0, 1);
}

static void
list_is(const char *query, const char *ct, const char *body, const char *want)
{
	struct api_params	*p = parse(query, ct, body);
	json_t			*l = api_param_list(p, "k");
	char			*d = l != NULL ? json_dumps(l, JSON_COMPACT) : strdup("NULL");

	is_str(d, want, "list of query '%s' body '%s'", query ? query : "", body ? body : "");
	free(d);
	json_decref(l);
	api_params_free(p);
}

static void
test_list(void)
{
	list_is("k=x", NULL, NULL, "[\"x\"]");
	list_is("k=", NULL, NULL, "[\"\"]");
	list_is("k[]=x&k[]=y", NULL, NULL, "[\"x\",\"y\"]");
	list_is("k[]", NULL, NULL, "[]");
	list_is("k", NULL, NULL, "NULL");
	list_is("other=1", NULL, NULL, "NULL");
	list_is("k[a]=1", NULL, NULL, "NULL");
	list_is("k[][a]=1&k[]=z", NULL, NULL, "[\"z\"]");
	list_is(NULL, JSON, "{\"k\":[\"1\",\"2\"]}", "[\"1\",\"2\"]");
	list_is(NULL, JSON, "{\"k\":[101,\"102\",null,{}]}", "[\"101\",\"102\"]");
	list_is(NULL, JSON, "{\"k\":\"only\"}", "[\"only\"]");
	list_is(NULL, JSON, "{\"k\":7}", "[\"7\"]");
	list_is(NULL, JSON, "{\"k\":[]}", "[]");
	list_is(NULL, JSON, "{\"k\":null}", "NULL");
	list_is(NULL, JSON, "{\"k\":{\"0\":\"a\"}}", "NULL");
	list_is(NULL, FORM, "k[]=a&k[]=b+c", "[\"a\",\"b c\"]");
}

/* A multipart body from parts joined by the boundary XyZ. */
#define PART(headers, body)	"--XyZ\r\n" headers "\r\n\r\n" body "\r\n"
#define CD(name)		"Content-Disposition: form-data; name=\"" name "\""
#define END			"--XyZ--\r\n"

static void
test_multipart(void)
{
	static const char body[] =
	    "This is the preamble.\r\n"
	    PART(CD("status"), "hello\r\nworld")
	    PART(CD("file") "; filename=\"cat.png\"\r\nContent-Type: image/png", "\x89PNG\0\r\n")
	    PART(CD("media_ids[]"), "1")
	    PART("content-disposition:FORM-DATA;NAME=media_ids[]", "2")
	    PART(CD("fields_attributes[0][name]"), "Site")
	    PART(CD("empty"), "")
	    PART(CD("sneaky"), "a\r\n--XyZX b\r\n--XyZ\tc")
	    PART(CD("avatar") "; filename=\"\"\r\nContent-Type: application/octet-stream", "")
	    END "epilogue --XyZ\r\n";
	struct api_params	*p;
	const struct api_file	*f;
	char			*d;

	p = parse_len("status=query&q=1", MP, body, sizeof(body) - 1);
	ok(p != NULL, "multipart body parsed (%s)", p == NULL ? last_err : "");
	d = dump(p);
	is_str(d, "{\"empty\":\"\",\"fields_attributes\":{\"0\":{\"name\":\"Site\"}},"
	    "\"media_ids\":[\"1\",\"2\"],\"q\":\"1\",\"sneaky\":\"a\\r\\n--XyZX b\\r\\n--XyZ\\tc\","
	    "\"status\":\"hello\\r\\nworld\"}", "multipart text parts");
	free(d);
	f = api_params_file(p, "file");
	ok(f != NULL, "the file part");
	if (f != NULL) {
		is_str(f->name, "file", "file name");
		is_str(f->filename, "cat.png", "file filename");
		is_str(f->content_type, "image/png", "file content type");
		is_int(f->len, 7, "file length, NUL and CRLF included");
		ok(f->data != NULL && memcmp(f->data, "\x89PNG\0\r\n", 7) == 0, "file bytes");
		ok((const char *)f->data > body && (const char *)f->data < body + sizeof(body),
		    "file bytes borrowed from the body");
	}
	ok(api_params_file(p, "avatar") == NULL, "filename=\"\" is dropped, as Rack drops it");
	ok(api_param_str(p, "file") == NULL, "a file is not a text parameter");
	ok(api_params_file(p, "status") == NULL, "a text part is not a file");
	api_params_free(p);
}

static const struct api_file *
one_file(struct api_params **pp, const char *ct, const char *body, size_t len)
{
	*pp = parse_len(NULL, ct, body, len);
	return *pp != NULL ? api_params_file(*pp, "f") : NULL;
}

static void
filename_is(const char *disposition_tail, const char *want)
{
	char			 body[512];
	int			 n;
	struct api_params	*p;
	const struct api_file	*f;

	n = snprintf(body, sizeof(body), "--XyZ\r\nContent-Disposition: form-data; name=\"f\"%s"
	    "\r\n\r\nDATA\r\n--XyZ--", disposition_tail);
	f = one_file(&p, MP, body, (size_t)n);
	if (want == NULL) {
		ok(p == NULL, "refused: filename in '%s' (%s)", disposition_tail, last_err);
	} else {
		ok(f != NULL, "a file from '%s' (%s)", disposition_tail, p == NULL ? last_err : "");
		is_str(f != NULL ? f->filename : NULL, want, "filename of '%s'", disposition_tail);
		is_str(f != NULL ? f->content_type : NULL, "", "no Content-Type is \"\"");
		is_int(f != NULL ? f->len : 0, 4, "file bytes of '%s'", disposition_tail);
	}
	api_params_free(p);
}

static void
test_multipart_files(void)
{
	static const char two[] =
	    PART(CD("f") "; filename=\"1.txt\"", "one")
	    PART(CD("f") "; filename=\"2.txt\"", "two") END;
	struct api_params	*p;
	const struct api_file	*f;

	filename_is("; filename=\"cat.png\"", "cat.png");
	filename_is("; filename=cat.png", "cat.png");
	filename_is(";filename=\"a b.png\" ", "a b.png");
	filename_is("; FileName=\"x.png\"", "x.png");
	filename_is("; filename=\"a\\\"b.png\"", "a\"b.png");
	filename_is("; filename=\"a%22b.png\"", "a\"b.png");
	filename_is("; filename=\"100%.png\"", "100%.png");
	filename_is("; filename=\"C:\\Users\\me\\cat.png\"", "cat.png");
	filename_is("; filename=\"../../etc/passwd\"", "passwd");
	filename_is("; filename=\"dir/\"", "dir");
	filename_is("; filename=\"/\"", "");
	filename_is("; filename=\"caf\xc3\xa9.png\"", "caf\xc3\xa9.png");
	filename_is("; filename=\"\xff.png\"", "\xef\xbf\xbd.png");
	filename_is("; filename=\"x.png\"; filename*=UTF-8''caf%C3%A9.png", "caf\xc3\xa9.png");
	filename_is("; filename*=utf-8'en'a%20b.png", "a b.png");
	filename_is("; filename=\"x.png\"; filename*=ISO-8859-1''caf%E9.png", "x.png");
	/* CR/LF smuggled into a filename would split a header downstream. */
	filename_is("; filename=\"a%0D%0AX-Evil: 1.png\"", NULL);
	filename_is("; filename=\"a%00.png\"", NULL);
	filename_is("; filename*=UTF-8''a%0Ab", NULL);
	filename_is("; filename*=UTF-8''a%zz", NULL);
	filename_is("; filename=\"a\x01.png\"", NULL);
	filename_is("; filename=\"unterminated", NULL);
	filename_is("; filename=\"1\"; filename=\"2\"", NULL);

	f = one_file(&p, MP, two, sizeof(two) - 1);
	ok(f != NULL && f->len == 3 && memcmp(f->data, "two", 3) == 0 &&
	    strcmp(f->filename, "2.txt") == 0, "two files of one name: the last wins");
	api_params_free(p);
}

static void
test_multipart_framing(void)
{
	static const char quoted[] =
	    "--a:b=c ?\r\n" CD("x") "\r\n\r\n1\r\n--a:b=c ?--";
	static const char padded[] = "--XyZ \t\r\n" CD("x") "\r\n\r\n1\r\n--XyZ\t\r\n"
	    CD("y") "\r\n\r\n2\r\n--XyZ--";

	is_params_len(NULL, "multipart/form-data; boundary=\"a:b=c ?\"", quoted,
	    sizeof(quoted) - 1, "{\"x\":\"1\"}", "quoted boundary");
	is_params_len(NULL, "Multipart/Form-Data;BOUNDARY=XyZ;charset=utf-8", PART(CD("x"), "1")
	    END, strlen(PART(CD("x"), "1") END), "{\"x\":\"1\"}", "case of the Content-Type");
	is_params_len(NULL, "multipart/form-data; charset=utf-8; boundary=XyZ ",
	    PART(CD("x"), "1") END, strlen(PART(CD("x"), "1") END), "{\"x\":\"1\"}",
	    "boundary after another parameter");
	is_params_len(NULL, MP, padded, sizeof(padded) - 1, "{\"x\":\"1\",\"y\":\"2\"}",
	    "transport padding after boundaries");
	is_params(NULL, MP, "--XyZ--", "{}");
	is_params(NULL, MP, "--XyZ--\r\n", "{}");
	is_params(NULL, MP, PART("Content-Disposition: form-data; name=x; other=\"y\"", "1") END,
	    "{\"x\":\"1\"}");
	is_params(NULL, MP, PART(CD("x") "\r\nContent-Transfer-Encoding: 8bit", "1") END,
	    "{\"x\":\"1\"}");
	/* A name is the raw field name, not %-decoded (Rack neither). */
	is_params(NULL, MP, PART(CD("a%0D%0Ab"), "1") END, "{\"a%0D%0Ab\":\"1\"}");

	refuse(NULL, MP, PART(CD("x"), "1"), "multipart body without its final boundary");
	refuse(NULL, MP, PART(CD("x"), "1") "--XyZ", "without its final boundary");
	refuse(NULL, MP, PART(CD("x"), "1") "--XyZX--", "without its final boundary");
	refuse(NULL, MP, "--XyZ\r\n" CD("x") "\r\n\r\n1", "without its final boundary");
	refuse(NULL, MP, "", "multipart body without its boundary");
	refuse(NULL, MP, "x=1", "multipart body without its boundary");
	refuse(NULL, MP, "--XyZ\n" CD("x") "\n\n1\n--XyZ--\n", "without its boundary");
	refuse(NULL, MP, "--XyZ\r\n" CD("x") "\n\n1\r\n--XyZ--", "without the end of its headers");
	refuse(NULL, "multipart/form-data", PART(CD("x"), "1") END, "bad multipart boundary");
	refuse(NULL, "multipart/form-data; boundary=", PART(CD("x"), "1") END,
	    "bad multipart boundary");
	refuse(NULL, "multipart/form-data; boundary=\"\"", "----", "bad multipart boundary");
	refuse(NULL, "multipart/form-data; boundary=a\"b", "--a\"b--", "bad multipart boundary");
	refuse(NULL, "multipart/form-data; boundary=\"a b \"", "--a b --", "bad multipart boundary");
	refuse(NULL, "multipart/form-data; boundary=\"a\xc3\xa9\"", "--a\xc3\xa9--",
	    "bad multipart boundary");
	refuse(NULL, "multipart/form-data; boundary=XyZ; boundary=XyZ", END,
	    "bad multipart boundary");
	refuse(NULL, "multipart/form-data; boundary=\"XyZ", END, "bad multipart boundary");
	refuse(NULL, "multipart/form-data; boundary", END, "bad multipart boundary");
	refuse(NULL, "multipart/form-data; boundary="
	    "12345678901234567890123456789012345678901234567890123456789012345678901", END,
	    "bad multipart boundary");
	is_params(NULL, "multipart/form-data; boundary="
	    "1234567890123456789012345678901234567890123456789012345678901234567890",
	    "--1234567890123456789012345678901234567890123456789012345678901234567890--", "{}");
}

static void
test_multipart_headers(void)
{
	static const char nul[] = "--XyZ\r\n" CD("x") "\r\n\r\na\0b\r\n--XyZ--";

	refuse(NULL, MP, PART("Content-Type: text/plain", "1") END,
	    "multipart part without a form-data name");
	refuse(NULL, MP, "--XyZ\r\n\r\n1\r\n" END, "multipart part without a form-data name");
	refuse(NULL, MP, "--XyZ\r\n\r\n--XyZ--", "without the end of its headers");
	refuse(NULL, MP, PART("Content-Disposition: attachment; name=\"x\"", "1") END,
	    "not form-data");
	refuse(NULL, MP, PART("Content-Disposition: form-data", "1") END, "without a form-data name");
	refuse(NULL, MP, PART("Content-Disposition: form-data; name=\"\"", "1") END,
	    "without a form-data name");
	refuse(NULL, MP, PART(CD("x") "\r\n" CD("y"), "1") END, "two Content-Dispositions");
	refuse(NULL, MP, PART(CD("x") "; name=\"y\"", "1") END, "repeated parameter");
	refuse(NULL, MP, PART(CD("x") "\r\nContent-Type: a\r\nContent-Type: b", "1") END,
	    "two Content-Types");
	refuse(NULL, MP, PART(CD("x") "\r\nContent-Type: image/\xc3\xa9", "1") END,
	    "malformed multipart Content-Type");
	refuse(NULL, MP, PART("Content-Disposition: form-data;\r\n name=\"x\"", "1") END,
	    "folded multipart header");
	refuse(NULL, MP, PART(CD("x") "\r\nNo colon here", "1") END, "malformed multipart header");
	refuse(NULL, MP, PART(CD("x") "\r\nBad Name: 1", "1") END, "malformed multipart header");
	refuse(NULL, MP, PART(CD("x") "\r\n: empty", "1") END, "malformed multipart header");
	refuse(NULL, MP, PART("Content-Disposition: form-data; name=\"x;", "1") END,
	    "malformed multipart Content-Disposition");
	refuse(NULL, MP, PART("Content-Disposition: form-data; name", "1") END,
	    "malformed multipart Content-Disposition");
	refuse(NULL, MP, PART("Content-Disposition: form-data name=x", "1") END,
	    "malformed multipart Content-Disposition");
	/* CRLF injection: a quoted name cannot run across lines, a bare LF
	 * or CR inside a header line is refused, and neither may be decoded
	 * into a name. */
	refuse(NULL, MP, PART("Content-Disposition: form-data; name=\"a\r\nX-Injected: 1\"", "1")
	    END, "malformed multipart");
	refuse(NULL, MP, PART("Content-Disposition: form-data; name=\"a\nb\"", "1") END,
	    "control character in a multipart header");
	refuse(NULL, MP, PART("Content-Disposition: form-data; name=\"a\rb\"", "1") END,
	    "control character in a multipart header");
	refuse(NULL, MP, PART(CD("x") "\r\nContent-Type: text/plain\rX-Injected: 1", "1") END,
	    "control character in a multipart header");
	refuse(NULL, MP, PART("Content-Disposition: form-data; name=\"a\tb\"", "1") END,
	    "control character in a parameter name");
	/* Text parts are parameters: UTF-8, no NUL, the usual nesting. */
	refuse(NULL, MP, PART(CD("x"), "\xff") END, "invalid encoding for parameter");
	refuse_len(NULL, MP, nul, sizeof(nul) - 1, "NUL byte", "NUL in a text part");
	refuse(NULL, MP, PART(CD("x"), "1") PART(CD("x[]"), "2") END, "expected Array");
	refuse(NULL, MP, PART(CD("a[1][2][3][4][5][6][7][8][9]"), "1") END, "nested deeper");
}

static void
test_multipart_limits(void)
{
	size_t	 cap = 1100 * 64, n = 0;
	char	*b = malloc(cap);
	int	 i;

	for (i = 0; i < 1024; i++)
		n += (size_t)snprintf(b + n, cap - n, PART(CD("k%d"), "v"), i);
	n += (size_t)snprintf(b + n, cap - n, END);
	is_params_len(NULL, MP, b, n, NULL, "1024 parts");
	n -= strlen(END);
	n += (size_t)snprintf(b + n, cap - n, PART(CD("f") "; filename=\"x\"", "v") END);
	refuse_len(NULL, MP, b, n, "more than 1024 parameters", "1025 parts (a file counts)");
	free(b);
}

/* api_params_parse on a real request: the raw query, the header, the body. */
static void
test_request(void)
{
	struct http_req		 req;
	struct api_params	*p;
	char			*d;
	char			 err[128];

	memset(&req, 0, sizeof(req));
	req.req_ev = evhttp_request_new(NULL, NULL);
	req.req_uri = "/api/v1/statuses?types[]=a&types[]=b&x=1+2#frag";
	evhttp_add_header(evhttp_request_get_input_headers(req.req_ev), "Content-Type",
	    "application/x-www-form-urlencoded; charset=UTF-8");
	evbuffer_add_printf(evhttp_request_get_input_buffer(req.req_ev), "x=3&status=hi+there");
	p = api_params_parse(&req, err, sizeof(err));
	d = dump(p);
	is_str(d, "{\"status\":\"hi there\",\"types\":[\"a\",\"b\"],\"x\":\"3\"}",
	    "api_params_parse: query and body of a request");
	free(d);
	api_params_free(p);
	evhttp_request_free(req.req_ev);

	memset(&req, 0, sizeof(req));
	req.req_ev = evhttp_request_new(NULL, NULL);
	req.req_uri = "/api/v1/x?a=%zz";
	p = api_params_parse(&req, err, sizeof(err));
	ok(p == NULL, "api_params_parse: a bad query is refused");
	is_str(err, "Invalid query parameters: invalid %-encoding", "with Rails' words");
	evhttp_request_free(req.req_ev);

	memset(&req, 0, sizeof(req));
	req.req_ev = evhttp_request_new(NULL, NULL);
	req.req_uri = "/api/v1/x";
	p = api_params_parse(&req, err, sizeof(err));
	d = dump(p);
	is_str(d, "{}", "api_params_parse: no query, no body");
	free(d);
	api_params_free(p);
	evhttp_request_free(req.req_ev);

	api_params_free(NULL);
	p = api_params_parse_raw("a=%zz", NULL, NULL, 0, NULL, 0);
	ok(p == NULL, "no error buffer: still refused, no crash");
	p = api_params_parse_raw("a=%zz", NULL, NULL, 0, err, 8);
	ok(p == NULL && strlen(err) == 7, "a short error buffer is truncated, terminated");
}

int
main(void)
{
	test_query();
	test_brackets();
	test_decoding();
	test_limits();
	test_merge();
	test_content_types();
	test_json();
	test_json_limits();
	test_bool();
	test_list();
	test_multipart();
	test_multipart_files();
	test_multipart_framing();
	test_multipart_headers();
	test_multipart_limits();
	test_request();
	return done_testing();
}
