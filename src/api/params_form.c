/*
 * Form and query text into nested parameters, as Rack 3 reads them
 * (Rack::QueryParser#parse_nested_query and ActionDispatch's ParamBuilder):
 *
 *   - pairs are split at '&'; empty pairs are skipped; "a=b=c" is a: "b=c";
 *   - '+' is a space and %XX a byte, in names and values; a '%' not
 *     followed by two hex digits is an error, as Ruby's
 *     URI.decode_www_form_component raises "invalid %-encoding" and Rails
 *     answers 400 (never a silent repair);
 *   - a name without '=' has a null value ("a" is {"a": null}), which
 *     "a[]" arrays leave out, as Rails' deep munge does;
 *   - a repeated plain name: the last wins; a name used once as a string
 *     and once as an array or hash is an error (Rack's ParameterTypeError).
 *
 * Decoded text must be UTF-8 without NUL bytes, and names carry no
 * control characters: Rails refuses invalid encodings with a 400, and a
 * NUL or a CR/LF in a name has no honest use.
 */
#include <stdlib.h>
#include <string.h>

#include "api/params_internal.h"
#include "util/mem.h"
#include "util/str.h"

/* Ruby's class names in errors, as Rack words them. */
static const char *
form_class(const json_t *v)
{
	if (json_is_array(v))
		return "Array";
	if (json_is_object(v))
		return "Hash";
	return "String";
}

/*
 * The name (len bytes) as it may be echoed in an error: printable ASCII,
 * anything else as '?', at most 40 characters. out has 48 bytes.
 */
static const char *
form_echo(const char *name, size_t len, char out[48])
{
	size_t i;

	for (i = 0; i < len && i < 40; i++)
		out[i] = name[i] >= 0x20 && name[i] < 0x7f ? name[i] : '?';
	if (len > 40) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

/* A container at level (top-level object: 0) past the limit is an error. */
static int
form_level(struct params_ctx *c, int level)
{
	if (level > API_PARAMS_MAX_DEPTH)
		return params_fail(c, "parameters nested deeper than %d levels",
		    API_PARAMS_MAX_DEPTH);
	return 0;
}

/*
 * obj[k] as an array (type 'a') or an object ('h') at level, created when
 * absent or null (Ruby's ||=). NULL with the error written when it is
 * something else or too deep.
 */
static json_t *
form_slot(struct params_ctx *c, json_t *obj, const char *k, size_t klen, int type,
    int level)
{
	json_t	*v = json_object_getn(obj, k, klen);
	char	 echo[48];

	if (v == NULL || json_is_null(v)) {
		if (form_level(c, level) == -1)
			return NULL;
		v = type == 'a' ? json_array() : json_object();
		if (json_object_setn_new(obj, k, klen, v) == -1) {
			params_fail(c, "invalid parameter name");
			return NULL;
		}
		return v;
	}
	if (type == 'a' ? json_is_array(v) : json_is_object(v))
		return v;
	params_fail(c, "expected %s (got %s) for param `%s'", type == 'a' ? "Array" : "Hash",
	    form_class(v), form_echo(k, klen, echo));
	return NULL;
}

/*
 * 1 when the path of brackets in key ("b", "b][c", "[b][c]") already
 * exists in obj: Rack's params_hash_has_key?, which decides whether
 * "a[][b]" fills the last hash of a or starts a new one.
 */
static int
form_has_key(json_t *obj, const char *key, size_t len)
{
	const char	*p = key, *end = key + len, *q;

	for (size_t i = 0; i + 1 < len; i++)
		if (key[i] == '[' && key[i + 1] == ']')
			return 0;
	while (p < end) {
		while (p < end && (*p == '[' || *p == ']'))
			p++;
		if (p == end)
			break;
		for (q = p; q < end && *q != '[' && *q != ']'; q++)
			;
		if (!json_is_object(obj) || (obj = json_object_getn(obj, p, (size_t)(q - p))) == NULL)
			return 0;
		p = q;
	}
	return 1;
}

static int form_store(struct params_ctx *c, json_t *obj, const char *name, size_t len,
    json_t *v, int level);

/*
 * "k[]..." where more follows the brackets: Rack's "x[][y]" (a hash
 * inside an array), which fills the array's last hash until that hash
 * has the key already.
 */
static int
form_store_array(struct params_ctx *c, json_t *obj, const char *k, size_t klen,
    const char *after, size_t alen, json_t *v, int level)
{
	const char	*child = after + 2;
	size_t		 clen = alen - 2;
	json_t		*arr, *last, *h;

	if (alen > 4 && after[2] == '[' && after[alen - 1] == ']' &&
	    memchr(after + 3, '[', alen - 4) == NULL && memchr(after + 3, ']', alen - 4) == NULL) {
		child = after + 3;
		clen = alen - 4;
	}
	if ((arr = form_slot(c, obj, k, klen, 'a', level + 1)) == NULL)
		goto fail;
	/* "a[][]": an array of arrays of one (Rack returns [v] for a bare
	 * "[]" below the top; Rails' deep munge makes [null] []). */
	if (clen == 2 && child[0] == '[' && child[1] == ']') {
		if (form_level(c, level + 2) == -1)
			goto fail;
		h = json_array();
		if (!json_is_null(v))
			json_array_append(h, v);
		json_decref(v);
		return json_array_append_new(arr, h);
	}
	last = json_array_get(arr, json_array_size(arr) - 1);
	if (json_is_object(last) && !form_has_key(last, child, clen))
		return form_store(c, last, child, clen, v, level + 2);
	if (form_level(c, level + 2) == -1)
		goto fail;
	h = json_object();
	json_array_append_new(arr, h);
	return form_store(c, h, child, clen, v, level + 2);
fail:
	json_decref(v);
	return -1;
}

/*
 * Rack's _normalize_params: obj is at level (top: 0), name its part of
 * the name. At the top the key runs to the first '[' (past the first
 * byte); below it, a key is "[]" or the text inside "[...]".
 */
static int
form_store(struct params_ctx *c, json_t *obj, const char *name, size_t len, json_t *v,
    int level)
{
	const char	*k = name, *after = name + len, *p;
	size_t		 klen = len, alen = 0;
	json_t		*slot;

	if (level == 0) {
		if (len > 1 && (p = memchr(name + 1, '[', len - 1)) != NULL)
			klen = (size_t)(p - name);
	} else if (len >= 2 && name[0] == '[' && name[1] == ']') {
		klen = 2;
	} else if (len >= 2 && name[0] == '[' && (p = memchr(name + 1, ']', len - 1)) != NULL) {
		k = name + 1;
		klen = (size_t)(p - k);
	}
	if (k + klen < name + len) {
		after = k + klen + (k == name ? 0 : 1);
		alen = (size_t)(name + len - after);
	}
	if (klen == 0) {	/* "=x": Rack ignores a pair without a name */
		json_decref(v);
		return 0;
	}
	if (alen == 0)
		return json_object_setn_new(obj, k, klen, v) == 0 ? 0 :
		    params_fail(c, "invalid parameter name");
	if (alen == 1 && after[0] == '[')	/* "a[": the whole name is the key */
		return json_object_setn_new(obj, name, len, v) == 0 ? 0 :
		    params_fail(c, "invalid parameter name");
	if (alen >= 2 && after[0] == '[' && after[1] == ']') {
		if (alen > 2)
			return form_store_array(c, obj, k, klen, after, alen, v, level);
		if ((slot = form_slot(c, obj, k, klen, 'a', level + 1)) == NULL) {
			json_decref(v);
			return -1;
		}
		if (!json_is_null(v))
			json_array_append(slot, v);
		json_decref(v);
		return 0;
	}
	if ((slot = form_slot(c, obj, k, klen, 'h', level + 1)) == NULL) {
		json_decref(v);
		return -1;
	}
	return form_store(c, slot, after, alen, v, level + 1);
}

int
params_store(struct params_ctx *c, json_t *obj, const char *name, size_t len, json_t *v)
{
	if (v == NULL)
		return params_fail(c, "invalid parameter value");
	return form_store(c, obj, name, len, v, 0);
}

/*
 * Percent-decodes s (n bytes), '+' as a space, into a new buffer;
 * *outlen gets its length. NULL (error written) on a bad escape.
 */
static char *
form_decode(struct params_ctx *c, const char *s, size_t n, size_t *outlen)
{
	char	*out = xmalloc(n + 1);
	size_t	 i, o = 0;
	int	 hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] != '%') {
			out[o++] = s[i];
		} else if (i + 2 < n && (hi = str_hexval((unsigned char)s[i + 1])) != -1 &&
		    (lo = str_hexval((unsigned char)s[i + 2])) != -1) {
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			free(out);
			params_fail(c, "invalid %%-encoding");
			return NULL;
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* One "name=value" (or "name") pair of n bytes. */
static int
form_pair(struct params_ctx *c, json_t *obj, const char *s, size_t n)
{
	const char	*eq = memchr(s, '=', n);
	char		*name = NULL, *value = NULL;
	size_t		 nlen, vlen = 0;
	int		 rc = -1;

	if (params_count(c) == -1)
		return -1;
	if ((name = form_decode(c, s, eq != NULL ? (size_t)(eq - s) : n, &nlen)) == NULL)
		goto out;
	if (eq != NULL &&
	    (value = form_decode(c, eq + 1, (size_t)(s + n - eq - 1), &vlen)) == NULL)
		goto out;
	if (params_check_text(c, name, nlen, 1) == -1 ||
	    (value != NULL && params_check_text(c, value, vlen, 0) == -1))
		goto out;
	rc = params_store(c, obj, name, nlen,
	    value != NULL ? json_stringn(value, vlen) : json_null());
out:
	free(name);
	free(value);
	return rc;
}

int
params_form_parse(struct params_ctx *c, json_t *obj, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *amp;

	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp > p && form_pair(c, obj, p, (size_t)(amp - p)) == -1)
			return -1;
		p = amp + 1;
	}
	return 0;
}
