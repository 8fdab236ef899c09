/*
 * Shared between the files of api/params: the parse state, the bracket
 * nesting of names (params_form.c) and the multipart reader
 * (params_multipart.c). Nothing outside api/params includes it.
 */
#ifndef MEENT_API_PARAMS_INTERNAL_H
#define MEENT_API_PARAMS_INTERNAL_H

#include <stddef.h>

#include <jansson.h>

#include "api/params.h"

/* A file part and the strings it owns (pf_file points into them). */
struct params_file {
	struct api_file	 pf_file;
	char		*pf_name;
	char		*pf_filename;
	char		*pf_type;
};

struct api_params {
	json_t			*p_obj;		/* the merged parameters */
	json_t			*p_texts;	/* api_param_str's text of numbers */
	struct params_file	*p_files;
	size_t			 p_nfiles;
};

/* One parse: where the parameters go and how many there were. */
struct params_ctx {
	struct api_params	*c_params;	/* for the files */
	size_t			 c_nkeys;	/* parameters so far, all sources */
	const char		*c_what;	/* "query" or "request", as Rails' errors */
	char			*c_err;
	size_t			 c_errsz;
};

/* Writes "Invalid <what> parameters: <fmt>" into the error; returns -1. */
int	 params_fail(struct params_ctx *c, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Counts one more parameter; -1 (error written) past API_PARAMS_MAX_KEYS. */
int	 params_count(struct params_ctx *c);

/*
 * Checks text decoded from the client: 0 when s (n bytes) is valid UTF-8
 * without a NUL byte and, when name is set, without any control
 * character; otherwise -1 with the error written.
 */
int	 params_check_text(struct params_ctx *c, const char *s, size_t n, int name);

/* The length of the valid UTF-8 sequence at s (n > 0 bytes left), or 0. */
size_t	 params_utf8_len(const unsigned char *s, size_t n);

/*
 * Stores v (takes it) under the form name (len bytes, Rack's brackets:
 * "a", "a[]", "a[b]", "a[][b]") in obj, as Rack::QueryParser's
 * normalize_params does. 0, or -1 with the error written.
 */
int	 params_store(struct params_ctx *c, json_t *obj, const char *name, size_t len,
	    json_t *v);

/* Parses an application/x-www-form-urlencoded text (a query or a body) into obj. */
int	 params_form_parse(struct params_ctx *c, json_t *obj, const char *s, size_t len);

/*
 * Parses a multipart/form-data body into obj (text parts) and the files
 * of c->c_params. ctparams is what follows the media type in the
 * Content-Type (";boundary=..."), from which the boundary is read.
 */
int	 params_multipart_parse(struct params_ctx *c, json_t *obj, const char *ctparams,
	    const char *body, size_t len);

#endif
