/* sources: src/http/addrpolicy.c src/util/mem.c */
/*
 * libFuzzer target for http/addrpolicy.h: the CIDR parser and the allow
 * list parser get arbitrary bytes (operators type these, and a bad one
 * must fail at start, never crash). Whatever parses is then used to judge
 * the input's first bytes as addresses, so the matcher runs on odd
 * prefixes too. Invariants: a parsed CIDR has no host bits and a prefix
 * length within its family's range; a list entry matches its own network.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/addrpolicy.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_cidr(const struct http_cidr *c)
{
	unsigned int	 max = c->family == AF_INET ? 32 : 128;
	const char	*why;

	if ((c->family != AF_INET && c->family != AF_INET6) || c->bits > max)
		abort();
	for (unsigned int bit = c->bits; bit < max; bit++)
		if (c->addr[bit / 8] & (0x80 >> (bit % 8)))
			abort();
	why = http_addrpolicy_check_raw(NULL, c->family, c->addr);
	(void)why;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_addrpolicy_err	 err;
	struct http_addrpolicy		*p;
	struct http_cidr		 c;
	struct sockaddr_in6		 sin6;
	struct sockaddr_in		 sin;
	char				*s;

	if (size > 8192)
		return 0;
	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	if (http_cidr_parse(s, &c) == NULL) {
		check_cidr(&c);
		/* The network itself must be allowed by a list of just this entry. */
		if ((p = http_addrpolicy_new(s, &err)) == NULL ||
		    http_addrpolicy_check_raw(p, c.family, c.addr) != NULL)
			abort();
		http_addrpolicy_free(p);
	}

	p = http_addrpolicy_new(s, &err);
	if (p == NULL && memchr(err.msg, '\0', sizeof(err.msg)) == NULL)
		abort();
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	sin.sin_family = AF_INET;
	sin6.sin6_family = AF_INET6;
	memcpy(&sin.sin_addr, data, size < 4 ? size : 4);
	memcpy(&sin6.sin6_addr, data, size < 16 ? size : 16);
	(void)http_addrpolicy_check(p, (struct sockaddr *)&sin, sizeof(sin));
	(void)http_addrpolicy_check(p, (struct sockaddr *)&sin6, sizeof(sin6));
	(void)http_addrpolicy_check(p, (struct sockaddr *)&sin6, size % sizeof(sin6));
	http_addrpolicy_free(p);
	free(s);
	return 0;
}
