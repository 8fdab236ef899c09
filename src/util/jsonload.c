/* Loading outside JSON: see jsonload.h. */
#include "util/jsonload.h"

const char *
jsonload_object(const char *body, size_t len, size_t max, size_t flags, json_t **out)
{
	json_error_t err;

	*out = NULL;
	if (body == NULL || len == 0)
		return "document is empty";
	if (len > max)
		return "document is too large";
	if ((*out = json_loadb(body, len, flags, &err)) == NULL)
		return json_error_code(&err) == json_error_duplicate_key ?
		    "document has duplicate keys" : "document is not valid JSON";
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return "document is not a JSON object";
	}
	return NULL;
}
