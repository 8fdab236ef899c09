/*
 * sources: src/web/oembed_url.c
 *
 * libFuzzer target for web/oembed_url.h: the url parameter of GET
 * /api/oembed, which anyone may send. The input is the URL; the domain is
 * fixed. Invariants: an accepted URL gives a username of [A-Za-z0-9_.-]
 * and an id of 1 to 19 digits within their buffers, and the canonical
 * address written back from them is accepted again with the same parts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/oembed_url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DOMAIN	"gov.test"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*url = malloc(size + 1);
	char	 user[WEB_OEMBED_USER_MAX], id[WEB_OEMBED_ID_MAX];
	char	 user2[WEB_OEMBED_USER_MAX], id2[WEB_OEMBED_ID_MAX];
	char	 again[WEB_OEMBED_USER_MAX + WEB_OEMBED_ID_MAX + 64];

	if (url == NULL)
		return 0;
	memcpy(url, data, size);
	url[size] = '\0';
	if (web_oembed_url_parse(url, DOMAIN, user, sizeof(user), id, sizeof(id)) == 0) {
		size_t ul = strlen(user), il = strlen(id);

		if (ul == 0 || ul >= sizeof(user) || il == 0 || il > 19 ||
		    strspn(id, "0123456789") != il ||
		    strspn(user, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789_.-") != ul)
			abort();
		snprintf(again, sizeof(again), "https://" DOMAIN "/@%s/%s", user, id);
		if (web_oembed_url_parse(again, DOMAIN, user2, sizeof(user2), id2,
		    sizeof(id2)) != 0 || strcmp(user, user2) != 0 || strcmp(id, id2) != 0)
			abort();
	}
	free(url);
	return 0;
}
