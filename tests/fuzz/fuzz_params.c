/*
 * libFuzzer target for api/params.h: the query string and body of any
 * client API request. An input that starts with '{' is a JSON body (the
 * seeds are Mastodon entities); otherwise its first byte picks the
 * Content-Type (one of a table, or the input's first line), the next
 * line is the query and the rest the body.
 *
 * Invariants (abort() on a violation): a refusal has a reason in
 * printable ASCII; accepted parameters are an object no deeper than
 * API_PARAMS_MAX_DEPTH whose strings hold no NUL; every accessor answers
 * for every top-level key, a number's text twice at the same address;
 * file bytes lie inside the body, file names and fields are UTF-8
 * without control characters.
 *
 * sources: src/api/params.c src/api/params_form.c src/api/params_multipart.c src/util/str.c src/util/mem.c
 * pkgs: jansson
 * seeds: mastodon-api
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/params.h"
#include "api/params_internal.h"
#include "http/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* api_params_parse is not called here: these keep the linker content. */
const char *
http_req_body(struct http_req *req, size_t *len)
{
	(void)req;
	*len = 0;
	return "";
}

const char *
http_req_header(const struct http_req *req, const char *name)
{
	(void)req;
	(void)name;
	return NULL;
}

static const char *const types[] = {
	NULL,
	"application/x-www-form-urlencoded",
	"application/json; charset=utf-8",
	"multipart/form-data; boundary=XyZ",
	"multipart/form-data; boundary=\"a:b=c ?\"",
	"text/plain",
};

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_params: %s\n", what);
	abort();
}

static int
clean_name(const char *s)
{
	json_t *j = json_string(s);	/* NULL unless valid UTF-8 */

	json_decref(j);
	if (j == NULL)
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* Depth of containers below v (v itself not counted); checks strings. */
static int
depth(json_t *v)
{
	const char	*k;
	json_t		*m;
	size_t		 i;
	int		 d = 0, e;

	if (json_is_string(v) && strlen(json_string_value(v)) != json_string_length(v))
		fail("a NUL inside a string");
	if (json_is_object(v)) {
		json_object_foreach(v, k, m) {
			if ((e = depth(m) + (json_is_object(m) || json_is_array(m))) > d)
				d = e;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, m) {
			if ((e = depth(m) + (json_is_object(m) || json_is_array(m))) > d)
				d = e;
		}
	}
	return d;
}

static void
check(struct api_params *p, const char *body, size_t len)
{
	json_t			*obj = api_params_json(p), *m, *l;
	const char		*k, *s;
	const struct api_file	*f;
	char			*out;

	if (!json_is_object(obj) || depth(obj) > API_PARAMS_MAX_DEPTH)
		fail("not an object, or too deep");
	if ((out = json_dumps(obj, 0)) == NULL)
		fail("cannot be dumped");
	free(out);
	json_object_foreach(obj, k, m) {
		s = api_param_str(p, k);
		if (s != api_param_str(p, k))
			fail("api_param_str moved");
		if (json_is_string(m) && s != json_string_value(m))
			fail("api_param_str of a string");
		api_param_bool(p, k, 0);
		api_param_object(p, k);
		l = api_param_list(p, k);
		json_decref(l);
	}
	/* Every file, through the internal list, and by name. */
	for (size_t i = 0; i < p->p_nfiles; i++) {
		f = &p->p_files[i].pf_file;
		if (f->data < (const unsigned char *)body ||
		    f->data + f->len > (const unsigned char *)body + len)
			fail("file bytes outside the body");
		if (!clean_name(f->filename) || !clean_name(f->name) ||
		    !clean_name(f->content_type))
			fail("a file's names");
		if (api_params_file(p, f->name) == NULL)
			fail("a file not found by its name");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*in = (const char *)data, *end = in + size, *nl;
	char			*ct = NULL, *query = NULL, *body = NULL, err[256];
	const char		*type;
	struct api_params	*p;
	size_t			 blen;

	if (size == 0)
		return 0;
	if (in[0] == '{') {
		type = "application/json";
	} else {
		size_t sel = (size_t)(unsigned char)in[0] % (sizeof(types) / sizeof(types[0]) + 1);

		in++;
		if (sel < sizeof(types) / sizeof(types[0])) {
			type = types[sel];
		} else {
			nl = memchr(in, '\n', (size_t)(end - in));
			ct = strndup(in, nl != NULL ? (size_t)(nl - in) : (size_t)(end - in));
			type = ct;
			in = nl != NULL ? nl + 1 : end;
		}
		nl = memchr(in, '\n', (size_t)(end - in));
		query = strndup(in, nl != NULL ? (size_t)(nl - in) : (size_t)(end - in));
		in = nl != NULL ? nl + 1 : end;
	}
	/* The body in a buffer of its exact size, so a read past it is caught. */
	blen = (size_t)(end - in);
	body = malloc(blen > 0 ? blen : 1);
	memcpy(body, in, blen);
	p = api_params_parse_raw(query, type, body, blen, err, sizeof(err));
	if (p == NULL) {
		if (err[0] == '\0')
			fail("refused without a reason");
		for (const char *s = err; *s != '\0'; s++)
			if (*s < 0x20 || *s > 0x7e)
				fail("a reason that is not printable ASCII");
	} else {
		check(p, body, blen);
	}
	api_params_free(p);
	free(body);
	free(query);
	free(ct);
	return 0;
}
