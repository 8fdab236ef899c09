/*
 * sources: src/http/router.c src/util/str.c src/util/mem.c
 *
 * libFuzzer target for the router: request paths come from the network
 * and are matched and percent-decoded before any handler runs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void h(struct http_req *r) { (void)r; }

static const struct http_route table[] = {
	{ HTTP_GET, "/healthz", h, 0 },
	{ HTTP_GET, "/api/v1/accounts/:id/statuses", h, 0 },
	{ HTTP_GET | HTTP_POST, "/users/:username/inbox", h, 0 },
	{ HTTP_GET, "/@:username/:id", h, 0 },
	{ HTTP_GET, "/@:username", h, 0 },
	{ HTTP_GET, "/", h, 0 },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_match	 m;
	char			*s, buf[96];
	unsigned		 method;

	if (size < 1)
		return 0;
	method = 1u << (data[0] % 9);
	s = malloc(size);
	if (s == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	if (http_router_match(table, sizeof(table) / sizeof(table[0]), method, s, &m) ==
	    HTTP_MATCH_OK) {
		for (int i = 0; i < m.nparams; i++)
			(void)strlen(m.values[i]);
		(void)http_match_param(&m, "id");
	}
	(void)http_methods_string(m.allowed, buf, sizeof(buf));
	free(s);
	return 0;
}
