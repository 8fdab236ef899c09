/*
 * Loading JSON documents that come from other servers: one size cap, one
 * parse, and a top level that must be an object. The remote document
 * parsers (actors, WebFinger, NodeInfo) share it so they refuse the same
 * things with the same words.
 */
#ifndef MEENT_UTIL_JSONLOAD_H
#define MEENT_UTIL_JSONLOAD_H

#include <stddef.h>

#include <jansson.h>

/*
 * Parses body (len bytes, at most max) with Jansson's flags (for example
 * JSON_REJECT_DUPLICATES). Returns NULL with *out set to the object (new),
 * or the reason (static) with *out NULL: "document is empty", "document is
 * too large", "document has duplicate keys", "document is not valid JSON"
 * or "document is not a JSON object".
 */
const char	*jsonload_object(const char *body, size_t len, size_t max, size_t flags,
		    json_t **out);

#endif
