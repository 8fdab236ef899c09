/* Remote NodeInfo: see remote_nodeinfo.h. */
#include <ctype.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ap/remote_nodeinfo.h"
#include "util/jsonload.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/url.h"

/* The rel of a schema link (NodeInfo protocol §"Discovery"). */
#define NODEINFO_REL		"://nodeinfo.diaspora.software/ns/schema/2."
#define NODEINFO_MAX_MINOR	999

static const char *
load(const char *body, size_t len, json_t **doc)
{
	return jsonload_object(body, len, AP_REMOTE_NODEINFO_MAX_BODY, 0, doc);
}

/*
 * The x of a ".../ns/schema/2.x" rel, or -1. The spec writes the rel with
 * http:, a few servers with https:; either is the same schema.
 */
static int
schema_minor(const char *rel)
{
	long long minor;

	if (rel == NULL)
		return -1;
	if (str_has_prefix(rel, "https"))
		rel += 5;
	else if (str_has_prefix(rel, "http"))
		rel += 4;
	else
		return -1;
	if (!str_has_prefix(rel, NODEINFO_REL))
		return -1;
	rel += strlen(NODEINFO_REL);
	for (const char *p = rel; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	if (str_to_ll(rel, 0, NODEINFO_MAX_MINOR, &minor) == -1)
		return -1;
	return (int)minor;
}

int
ap_remote_nodeinfo_links_parse(const char *body, size_t len, char **href, int *minor,
    const char **reason)
{
	json_t			*doc, *link;
	const char		*why, *best = NULL, *h;
	int			 best_minor = -1, m;
	size_t			 i;
	struct url_origin	 o;

	*href = NULL;
	if ((why = load(body, len, &doc)) == NULL) {
		json_array_foreach(json_object_get(doc, "links"), i, link) {
			m = schema_minor(json_string_value(json_object_get(link, "rel")));
			h = json_string_value(json_object_get(link, "href"));
			if (m > best_minor && h != NULL && url_origin_parse(h, 1, &o) == NULL) {
				best = h;
				best_minor = m;
			}
		}
		if (best == NULL)
			why = "no NodeInfo 2.x link";
		else
			*href = xstrdup(best);
		json_decref(doc);
	}
	if (minor != NULL)
		*minor = best_minor;
	if (reason != NULL)
		*reason = why;
	return why == NULL ? 0 : -1;
}

/* A short string value copied, or NULL when absent, not a string or too long. */
static char *
short_text(json_t *v)
{
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > AP_REMOTE_NODEINFO_MAX_STRING)
		return NULL;
	return xstrndup(json_string_value(v), json_string_length(v));
}

static void
add_protocol(struct ap_remote_nodeinfo *ni, json_t *v)
{
	char *p = short_text(v);

	if (p == NULL)
		return;
	if (ni->nprotocols >= AP_REMOTE_NODEINFO_MAX_PROTOCOLS) {
		free(p);
		return;
	}
	if (ni->protocols == NULL)
		ni->protocols = xcalloc(AP_REMOTE_NODEINFO_MAX_PROTOCOLS, sizeof(*ni->protocols));
	ni->protocols[ni->nprotocols++] = p;
}

/*
 * 2.x sends an array of names; 1.x sent {"inbound": [...], "outbound":
 * [...]}, and some servers still do; a lone string turns up too.
 */
static void
read_protocols(struct ap_remote_nodeinfo *ni, json_t *protocols)
{
	json_t	*v;
	size_t	 i;

	if (json_is_object(protocols)) {
		json_array_foreach(json_object_get(protocols, "inbound"), i, v)
			add_protocol(ni, v);
		json_array_foreach(json_object_get(protocols, "outbound"), i, v)
			add_protocol(ni, v);
	} else if (json_is_array(protocols)) {
		json_array_foreach(protocols, i, v)
			add_protocol(ni, v);
	} else {
		add_protocol(ni, protocols);
	}
}

/* usage.users.total: an integer, or a whole number sent as a float or string. */
static long long
read_count(json_t *v)
{
	long long n;

	if (json_is_integer(v))
		return json_integer_value(v) >= 0 ? json_integer_value(v) : -1;
	if (json_is_real(v) && isfinite(json_real_value(v)) && json_real_value(v) >= 0 &&
	    json_real_value(v) < 9007199254740992.0)
		return (long long)json_real_value(v);
	if (json_is_string(v) && str_to_ll(json_string_value(v), 0, LLONG_MAX, &n) == 0)
		return n;
	return -1;
}

int
ap_remote_nodeinfo_parse(const char *body, size_t len, struct ap_remote_nodeinfo *out,
    const char **reason)
{
	json_t		*doc, *software, *reg;
	const char	*why;

	memset(out, 0, sizeof(*out));
	out->open_registrations = -1;
	out->users_total = -1;
	if ((why = load(body, len, &doc)) != NULL)
		goto out;
	software = json_object_get(doc, "software");
	if ((out->software_name = short_text(json_object_get(software, "name"))) == NULL) {
		why = "NodeInfo has no software.name";
		goto out;
	}
	/* The schema says ^[a-z0-9-]+$; Mobilizon says "Mobilizon". */
	for (char *p = out->software_name; *p; p++)
		if (*p >= 'A' && *p <= 'Z')	/* ASCII only: tolower() is locale's */
			*p = (char)(*p - 'A' + 'a');
	out->software_version = short_text(json_object_get(software, "version"));
	out->version = short_text(json_object_get(doc, "version"));
	read_protocols(out, json_object_get(doc, "protocols"));
	reg = json_object_get(doc, "openRegistrations");
	if (json_is_boolean(reg))
		out->open_registrations = json_is_true(reg);
	out->users_total = read_count(json_object_get(json_object_get(json_object_get(doc,
	    "usage"), "users"), "total"));
out:
	json_decref(doc);
	if (why != NULL)
		ap_remote_nodeinfo_cleanup(out);
	if (reason != NULL)
		*reason = why;
	return why == NULL ? 0 : -1;
}

int
ap_remote_nodeinfo_has_activitypub(const struct ap_remote_nodeinfo *ni)
{
	for (size_t i = 0; i < ni->nprotocols; i++)
		if (strcasecmp(ni->protocols[i], "activitypub") == 0)
			return 1;
	return 0;
}

void
ap_remote_nodeinfo_cleanup(struct ap_remote_nodeinfo *ni)
{
	if (ni == NULL)
		return;
	free(ni->version);
	free(ni->software_name);
	free(ni->software_version);
	for (size_t i = 0; i < ni->nprotocols; i++)
		free(ni->protocols[i]);
	free(ni->protocols);
	memset(ni, 0, sizeof(*ni));
	ni->open_registrations = -1;
	ni->users_total = -1;
}
