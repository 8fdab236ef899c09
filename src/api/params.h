/*
 * Request parameters read the way Rails reads them, because Mastodon apps
 * send them every way Rails accepts: the query string, then the body as
 * application/x-www-form-urlencoded, application/json or
 * multipart/form-data, merged into one JSON object (body wins over query).
 *
 *   types[]=mention&types[]=follow       {"types": ["mention", "follow"]}
 *   fields_attributes[0][name]=Site      {"fields_attributes": {"0": {"name": "Site"}}}
 *   status=hello+world                   {"status": "hello world"}
 *
 * Query and form values are strings; JSON bodies keep their types. File
 * parts of a multipart body are kept apart (api_params_file), their bytes
 * borrowed from the request body. Nothing here knows routes or tokens.
 *
 * Rails' rules, kept: '+' is a space; "a" without '=' is null; a repeated
 * plain name gives its last value; "a[][b]=1&a[][c]=2" is one hash in an
 * array; a name used as both a string and an array or hash, an invalid
 * %-escape ("100%"), and text that is not UTF-8 are errors (Rails: 400).
 * Our own, stricter: NUL bytes anywhere and control characters in names
 * are errors too. The merge is shallow, top-level key by top-level key;
 * Rails lets the query win (request_parameters.merge(query_parameters));
 * Meent lets the body win, so that a query string, which any link can
 * carry, cannot override what a client put in its body. No Mastodon app
 * sends one name both ways.
 */
#ifndef MEENT_API_PARAMS_H
#define MEENT_API_PARAMS_H

#include <stddef.h>

#include <jansson.h>

struct http_req;
struct api_params;

/* Parameters in one request: pairs of the query and form, parts of a
 * multipart body, and every member and element of a JSON body. */
#define API_PARAMS_MAX_KEYS	1024
/* Arrays and hashes inside one another below the top level: "a[b][]=1" and
 * {"a": {"b": [1]}} are 2 deep. */
#define API_PARAMS_MAX_DEPTH	8

/* A file part of a multipart body; everything borrowed from the params. */
struct api_file {
	const char	*name;		/* the form field as sent: "avatar", "file" */
	const char	*filename;	/* the client's name, without any path;
					 * UTF-8, no control characters; may be "" */
	const char	*content_type;	/* as sent (ASCII); "" if none */
	const unsigned char *data;
	size_t		 len;
};

/*
 * Parses the query string and body of req. Returns the parameters (new;
 * free with api_params_free), or NULL with a reason for the client in err
 * (malformed JSON, a bad multipart boundary, too many keys or too deep):
 * the caller answers 400 with it. The reason is printable ASCII, worded
 * as Rails words it ("Invalid request parameters: invalid %-encoding").
 * An empty request gives empty params.
 *
 * The body is read by its Content-Type, compared without case and
 * parameters: application/x-www-form-urlencoded (also when there is no
 * Content-Type at all, as Rack reads a POST), multipart/form-data,
 * application/json (and Rails' aliases text/x-json and
 * application/jsonrequest). Other types are ignored, as Rails ignores
 * them. An empty JSON body is no parameters; one that is not an object is
 * an error.
 */
struct api_params *api_params_parse(struct http_req *req, char *err, size_t errsz);

/*
 * The same for raw parts, for tests and fuzzing: query is the text after
 * '?' (may be NULL), body of body_len bytes with content_type (may be
 * NULL). The body must stay alive as long as the params (files point
 * into it).
 */
struct api_params *api_params_parse_raw(const char *query, const char *content_type,
		    const char *body, size_t body_len, char *err, size_t errsz);

void		 api_params_free(struct api_params *p);

/* The merged parameters as a JSON object; borrowed, never NULL. */
json_t		*api_params_json(const struct api_params *p);

/*
 * A parameter as a string: a string value as is, a number or boolean of a
 * JSON body in its text form ("true", "42"). NULL when absent, null, or
 * an array or object. Borrowed.
 */
const char	*api_param_str(const struct api_params *p, const char *key);

/*
 * A boolean as Rails casts one (ActiveModel::Type::Boolean): absent, null
 * or "" give def; false, 0, "0", "f", "F", "false", "FALSE", "off", "OFF"
 * give 0; anything else gives 1.
 */
int		 api_param_bool(const struct api_params *p, const char *key, int def);

/*
 * A parameter that is a list: "key[]" values of a form or query, a JSON
 * array, or a single string (a list of one), as Rails' permit accepts.
 * Returns a new array of strings: string members as they are, numbers
 * and booleans of a JSON body in their api_param_str text (ids sent as
 * numbers), null, arrays and objects skipped. NULL when absent, null or
 * an object.
 */
json_t		*api_param_list(const struct api_params *p, const char *key);

/* A nested object parameter ("key[a]=..." or a JSON object); borrowed or NULL. */
json_t		*api_param_object(const struct api_params *p, const char *key);

/*
 * The file part whose field is name (as sent, brackets and all; the last
 * such part), or NULL. Borrowed. A part is a file when it has a filename;
 * filename="" (a file input left empty) is dropped, as Rack drops it.
 */
const struct api_file *api_params_file(const struct api_params *p, const char *name);

#endif
