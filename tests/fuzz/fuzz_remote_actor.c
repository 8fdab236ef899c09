/*
 * libFuzzer target for ap/remote_actor.h: any bytes a server could send
 * for an actor URL. Each input is parsed twice: as fetched from a fixed
 * URL, and as fetched from the input's own "id" (when it has one), so the
 * rules past the origin check are reached too. Invariants: an accepted
 * actor has every never-NULL field, its id on the fetched host, its key
 * on the id's host, and lists within their caps; a rejected one has a
 * reason and nothing left in the struct.
 *
 * sources: src/ap/remote_actor.c src/util/jsonload.c src/util/url.c src/util/str.c src/util/mem.c
 * pkgs: jansson
 * seeds: activities/mastodon activities/akkoma activities/pleroma/tesla_mock activities/rebased/tesla_mock
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ap/remote_actor.h"
#include "util/url.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const char *body, size_t len, const char *fetched, int allow_http)
{
	struct ap_remote_actor	 a;
	const char		*why = NULL;

	if (ap_remote_actor_parse(body, len, fetched, allow_http, &a, &why) == -1) {
		if (why == NULL || a.id != NULL || a.fields != NULL || a.also_known_as != NULL)
			abort();
		return;
	}
	if (why != NULL || a.id == NULL || a.type == NULL || a.preferred_username == NULL ||
	    a.inbox == NULL || a.url == NULL || a.public_key_id == NULL ||
	    a.public_key_pem == NULL)
		abort();
	if (!url_same_host(a.id, fetched) || !url_same_host(a.id, a.public_key_id) ||
	    !url_same_host(a.id, a.url))
		abort();
	if (a.also_known_as_count > AP_REMOTE_ACTOR_MAX_ALIASES ||
	    a.fields_count > AP_REMOTE_ACTOR_MAX_FIELDS)
		abort();
	for (size_t i = 0; i < a.fields_count; i++)
		if (a.fields[i].name == NULL || a.fields[i].value == NULL)
			abort();
	if (a.bot != (strcmp(a.type, "Service") == 0 || strcmp(a.type, "Application") == 0))
		abort();
	ap_remote_actor_cleanup(&a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*body = (const char *)data;
	json_t		*doc;
	const char	*id;

	check(body, size, "https://ap.example.com/users/foo", 0);
	if ((doc = json_loadb(body, size, 0, NULL)) == NULL)
		return 0;
	if ((id = json_string_value(json_object_get(doc, "id"))) != NULL) {
		check(body, size, id, 0);
		check(body, size, id, 1);
	}
	json_decref(doc);
	return 0;
}
