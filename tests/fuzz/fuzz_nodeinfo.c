/*
 * libFuzzer target for ap/remote_nodeinfo.h: the bytes go to the
 * discovery parser and to the NodeInfo document parser. Invariants: a
 * chosen link is an http(s) URL of a 2.x schema; an accepted document has
 * a lower-case software name and lists within their caps.
 *
 * sources: src/ap/remote_nodeinfo.c src/util/jsonload.c src/util/url.c src/util/str.c src/util/mem.c
 * pkgs: jansson
 * seeds: activities/mobilizon/nodeinfo activities/rebased discovery
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ap/remote_nodeinfo.h"
#include "util/url.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char			*body = (const char *)data, *why;
	struct ap_remote_nodeinfo	 ni;
	struct url_origin		 o;
	char				*href;
	int				 minor;

	if (ap_remote_nodeinfo_links_parse(body, size, &href, &minor, &why) == 0) {
		if (href == NULL || minor < 0 || url_origin_parse(href, 1, &o) != NULL)
			abort();
		free(href);
	} else if (href != NULL || why == NULL) {
		abort();
	}
	if (ap_remote_nodeinfo_parse(body, size, &ni, &why) == -1) {
		if (why == NULL || ni.software_name != NULL || ni.protocols != NULL)
			abort();
		return 0;
	}
	if (ni.software_name == NULL || ni.nprotocols > AP_REMOTE_NODEINFO_MAX_PROTOCOLS ||
	    ni.users_total < -1 || ni.open_registrations < -1 || ni.open_registrations > 1)
		abort();
	for (const char *p = ni.software_name; *p; p++)
		if (isupper((unsigned char)*p))
			abort();
	(void)ap_remote_nodeinfo_has_activitypub(&ni);
	ap_remote_nodeinfo_cleanup(&ni);
	return 0;
}
