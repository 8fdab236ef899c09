/*
 * Request parameters: see params.h. This file picks the body's reader by
 * its media type, reads JSON bodies, merges and answers the typed
 * questions; forms and brackets are params_form.c, multipart bodies
 * params_multipart.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/params.h"
#include "api/params_internal.h"
#include "http/request.h"
#include "util/mem.h"

enum params_body {
	PARAMS_BODY_IGNORED,	/* a type Rails has no parser for: text/plain, ... */
	PARAMS_BODY_FORM,
	PARAMS_BODY_JSON,
	PARAMS_BODY_MULTIPART,
};

/* The media types Rails reads; Mime[:json] has the two older names too. */
static const struct {
	const char		*pt_type;
	enum params_body	 pt_body;
} params_types[] = {
	{ "application/x-www-form-urlencoded",	PARAMS_BODY_FORM },
	{ "multipart/form-data",		PARAMS_BODY_MULTIPART },
	{ "application/json",			PARAMS_BODY_JSON },
	{ "text/x-json",			PARAMS_BODY_JSON },
	{ "application/jsonrequest",		PARAMS_BODY_JSON },
};

int
params_fail(struct params_ctx *c, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (c->c_err == NULL || c->c_errsz == 0)
		return -1;
	n = snprintf(c->c_err, c->c_errsz, "Invalid %s parameters: ", c->c_what);
	if (n >= 0 && (size_t)n < c->c_errsz) {
		va_start(ap, fmt);
		vsnprintf(c->c_err + n, c->c_errsz - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

int
params_count(struct params_ctx *c)
{
	if (++c->c_nkeys > API_PARAMS_MAX_KEYS)
		return params_fail(c, "more than %d parameters", API_PARAMS_MAX_KEYS);
	return 0;
}

size_t
params_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	/* No overlong forms, surrogates or code points past U+10FFFF. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

int
params_check_text(struct params_ctx *c, const char *s, size_t n, int name)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, k;

	for (i = 0; i < n; i += k) {
		if (u[i] == '\0')
			return params_fail(c, "NUL byte in a parameter");
		if (name && (u[i] < 0x20 || u[i] == 0x7f))
			return params_fail(c, "control character in a parameter name");
		if ((k = params_utf8_len(u + i, n - i)) == 0)
			return params_fail(c, "invalid encoding for parameter");
	}
	return 0;
}

/*
 * The body's reader from the Content-Type: its media type, compared
 * without case, parameters and white space. *rest gets the parameters.
 * No Content-Type at all reads as a form, as Rack reads a POST.
 */
static enum params_body
params_kind(const char *ct, const char **rest)
{
	const char	*s = ct != NULL ? ct : "", *e;
	size_t		 n, i;

	while (*s == ' ' || *s == '\t')
		s++;
	for (e = s; *e != '\0' && *e != ';'; e++)
		;
	*rest = e;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if ((n = (size_t)(e - s)) == 0)
		return PARAMS_BODY_FORM;
	for (i = 0; i < sizeof(params_types) / sizeof(params_types[0]); i++)
		if (strlen(params_types[i].pt_type) == n &&
		    strncasecmp(s, params_types[i].pt_type, n) == 0)
			return params_types[i].pt_body;
	return PARAMS_BODY_IGNORED;
}

/*
 * Counts the members of a JSON body and checks its depth (the top-level
 * object is level 0) and its names. Recursion stops at the depth limit.
 */
static int
params_json_walk(struct params_ctx *c, json_t *v, int level)
{
	const char	*k;
	size_t		 klen, i;
	json_t		*m;

	if (level > API_PARAMS_MAX_DEPTH)
		return params_fail(c, "JSON nested deeper than %d levels", API_PARAMS_MAX_DEPTH);
	if (json_is_object(v)) {
		json_object_keylen_foreach(v, k, klen, m) {
			if (params_count(c) == -1 || params_check_text(c, k, klen, 1) == -1)
				return -1;
			if ((json_is_object(m) || json_is_array(m)) &&
			    params_json_walk(c, m, level + 1) == -1)
				return -1;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, m) {
			if (params_count(c) == -1)
				return -1;
			if ((json_is_object(m) || json_is_array(m)) &&
			    params_json_walk(c, m, level + 1) == -1)
				return -1;
		}
	}
	return 0;
}

/*
 * A JSON body: an object, duplicates allowed (the last wins, as Ruby's).
 * JSON_DECODE_ANY only to tell "not an object" from "not JSON".
 */
static json_t *
params_json(struct params_ctx *c, const char *body, size_t len)
{
	json_error_t	 jerr;
	json_t		*doc;
	char		 why[64];
	size_t		 i;

	/* Rails reads an empty body as no parameters. */
	if (len == 0)
		return json_object();
	if ((doc = json_loadb(body, len, JSON_DECODE_ANY, &jerr)) == NULL) {
		/* Jansson quotes the input near the error: ASCII only here, as
		 * the reason goes back to the client in JSON. */
		for (i = 0; jerr.text[i] != '\0' && i < sizeof(why) - 1; i++)
			why[i] = jerr.text[i] >= 0x20 && jerr.text[i] < 0x7f ? jerr.text[i] : '?';
		why[i] = '\0';
		params_fail(c, "malformed JSON (%s at line %d column %d)", why, jerr.line,
		    jerr.column);
		return NULL;
	}
	if (!json_is_object(doc)) {
		params_fail(c, "the JSON body is not an object");
		goto fail;
	}
	if (params_json_walk(c, doc, 0) == -1)
		goto fail;
	return doc;
fail:
	json_decref(doc);
	return NULL;
}

/* The body's parameters (new), or NULL with the error written. */
static json_t *
params_body(struct params_ctx *c, const char *ct, const char *body, size_t len)
{
	const char	*rest;
	json_t		*obj;
	int		 rc = 0;

	c->c_what = "request";
	switch (params_kind(ct, &rest)) {
	case PARAMS_BODY_JSON:
		return params_json(c, body, len);
	case PARAMS_BODY_FORM:
		obj = json_object();
		rc = params_form_parse(c, obj, body, len);
		break;
	case PARAMS_BODY_MULTIPART:
		obj = json_object();
		rc = params_multipart_parse(c, obj, rest, body, len);
		break;
	default:
		return json_object();
	}
	if (rc == -1) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

struct api_params *
api_params_parse_raw(const char *query, const char *content_type, const char *body,
    size_t body_len, char *err, size_t errsz)
{
	struct api_params	*p = xcalloc(1, sizeof(*p));
	struct params_ctx	 c = { p, 0, "query", err, errsz };
	json_t			*from_body = NULL;

	if (err != NULL && errsz > 0)
		err[0] = '\0';
	p->p_obj = json_object();
	p->p_texts = json_object();
	if (query != NULL && params_form_parse(&c, p->p_obj, query, strlen(query)) == -1)
		goto fail;
	if (body == NULL)
		body_len = 0;
	if ((from_body = params_body(&c, content_type, body != NULL ? body : "", body_len)) == NULL)
		goto fail;
	/* The body wins, top-level key by top-level key: see params.h. */
	json_object_update(p->p_obj, from_body);
	json_decref(from_body);
	return p;
fail:
	api_params_free(p);
	return NULL;
}

struct api_params *
api_params_parse(struct http_req *req, char *err, size_t errsz)
{
	const char		*q = req->req_uri != NULL ? strchr(req->req_uri, '?') : NULL;
	const char		*body;
	char			*query = NULL;
	size_t			 len;
	struct api_params	*p;

	if (q != NULL)
		query = xstrndup(q + 1, strcspn(q + 1, "#"));
	body = http_req_body(req, &len);
	p = api_params_parse_raw(query, http_req_header(req, "Content-Type"), body, len, err,
	    errsz);
	free(query);
	return p;
}

void
api_params_free(struct api_params *p)
{
	size_t i;

	if (p == NULL)
		return;
	json_decref(p->p_obj);
	json_decref(p->p_texts);
	for (i = 0; i < p->p_nfiles; i++) {
		free(p->p_files[i].pf_name);
		free(p->p_files[i].pf_filename);
		free(p->p_files[i].pf_type);
	}
	free(p->p_files);
	free(p);
}

json_t *
api_params_json(const struct api_params *p)
{
	return p->p_obj;
}

/*
 * The text of a scalar into buf: integers in decimal, reals in the
 * shortest form that reads back the same (as Ruby's Float#to_s, with a
 * ".0" on whole numbers), booleans as "true" and "false". NULL for null,
 * arrays and objects. Strings are returned as they are.
 */
static const char *
params_text(const json_t *v, char *buf, size_t bufsz)
{
	double	d;
	int	prec;

	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, bufsz, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	}
	if (json_is_real(v)) {
		d = json_real_value(v);
		for (prec = 1; prec < 17; prec++) {
			snprintf(buf, bufsz, "%.*g", prec, d);
			if (strtod(buf, NULL) == d)
				break;
		}
		snprintf(buf, bufsz, "%.*g", prec, d);
		if (strpbrk(buf, ".e") == NULL && strlen(buf) + 2 < bufsz)
			memcpy(buf + strlen(buf), ".0", 3);
		return buf;
	}
	if (json_is_boolean(v))
		return json_is_true(v) ? "true" : "false";
	return NULL;
}

const char *
api_param_str(const struct api_params *p, const char *key)
{
	json_t		*v = json_object_get(p->p_obj, key), *t;
	const char	*s;
	char		 buf[40];

	if (v == NULL || json_is_string(v))
		return json_string_value(v);
	/* Numbers get their text once; later calls return the same pointer. */
	if ((t = json_object_get(p->p_texts, key)) != NULL)
		return json_string_value(t);
	if ((s = params_text(v, buf, sizeof(buf))) == NULL)
		return NULL;
	t = json_string(s);
	json_object_set_new(p->p_texts, key, t);
	return json_string_value(t);
}

int
api_param_bool(const struct api_params *p, const char *key, int def)
{
	static const char *const falses[] = {
		"0", "f", "F", "false", "FALSE", "off", "OFF",
	};
	json_t		*v = json_object_get(p->p_obj, key);
	const char	*s;
	size_t		 i;

	if (v == NULL || json_is_null(v))
		return def;
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_real(v))
		return json_real_value(v) != 0.0;	/* Ruby: 0.0 == 0 */
	if (!json_is_string(v))
		return 1;
	if (*(s = json_string_value(v)) == '\0')
		return def;
	for (i = 0; i < sizeof(falses) / sizeof(falses[0]); i++)
		if (strcmp(s, falses[i]) == 0)
			return 0;
	return 1;
}

json_t *
api_param_list(const struct api_params *p, const char *key)
{
	json_t		*v = json_object_get(p->p_obj, key), *list, *m;
	const char	*s;
	char		 buf[40];
	size_t		 i;

	if (v == NULL || json_is_null(v) || json_is_object(v))
		return NULL;
	list = json_array();
	if (!json_is_array(v)) {
		json_array_append_new(list, json_string(params_text(v, buf, sizeof(buf))));
		return list;
	}
	json_array_foreach(v, i, m)
		if ((s = params_text(m, buf, sizeof(buf))) != NULL)
			json_array_append_new(list, json_string(s));
	return list;
}

json_t *
api_param_object(const struct api_params *p, const char *key)
{
	json_t *v = json_object_get(p->p_obj, key);

	return json_is_object(v) ? v : NULL;
}

const struct api_file *
api_params_file(const struct api_params *p, const char *name)
{
	size_t i;

	/* The last part of a name wins, as the last value of a form's name. */
	for (i = p->p_nfiles; i > 0; i--)
		if (strcmp(p->p_files[i - 1].pf_name, name) == 0)
			return &p->p_files[i - 1].pf_file;
	return NULL;
}
