/*
 * sources: src/ap/webfinger_resource.c src/util/str.c src/util/mem.c
 *
 * libFuzzer target for the WebFinger resource parser: the ?resource= of
 * /.well-known/webfinger comes straight from the network.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ap/webfinger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s = malloc(size + 1), user[64];

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)ap_webfinger_parse_resource(s, "social.example.nl", user, sizeof(user));
	(void)ap_webfinger_parse_resource(s, "a.test:8080", user, 4);
	free(s);
	return 0;
}
