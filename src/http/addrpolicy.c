/*
 * Outbound address policy: see addrpolicy.h. The refused ranges are two
 * tables, first match wins, built from the IANA special-purpose registries:
 * https://www.iana.org/assignments/iana-ipv4-special-registry/
 * https://www.iana.org/assignments/iana-ipv6-special-registry/
 * IPv4 is a deny list; IPv6 is an allow list (global unicast 2000::/3 only,
 * RFC 4291 §2.4) minus the reserved blocks inside it, because most of the
 * IPv6 space is unassigned and nothing of ours should ever be sent there.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/addrpolicy.h"
#include "util/mem.h"

#define CIDR_TOKEN_MAX	64	/* longer than any address with a prefix */

enum range_action {
	RANGE_REFUSE,		/* never connect */
	RANGE_EMBED4,		/* judge the IPv4 address embedded at r_offset */
};

struct range {
	uint8_t			 r_pfx[16];
	unsigned int		 r_bits;
	enum range_action	 r_action;
	unsigned int		 r_offset;	/* RANGE_EMBED4: byte offset of the IPv4 address */
	const char		*r_what;	/* the reason given when refused */
};

static const struct range v4_refused[] = {
	{ { 0 }, 8, RANGE_REFUSE, 0, "\"this network\" 0.0.0.0/8" },
	{ { 10 }, 8, RANGE_REFUSE, 0, "private 10.0.0.0/8" },
	{ { 100, 64 }, 10, RANGE_REFUSE, 0, "shared address space (CGNAT) 100.64.0.0/10" },
	{ { 127 }, 8, RANGE_REFUSE, 0, "loopback 127.0.0.0/8" },
	{ { 169, 254 }, 16, RANGE_REFUSE, 0, "link-local 169.254.0.0/16" },
	{ { 172, 16 }, 12, RANGE_REFUSE, 0, "private 172.16.0.0/12" },
	{ { 192, 0, 0 }, 24, RANGE_REFUSE, 0, "IETF protocol assignments 192.0.0.0/24" },
	{ { 192, 0, 2 }, 24, RANGE_REFUSE, 0, "documentation 192.0.2.0/24" },
	{ { 192, 31, 196 }, 24, RANGE_REFUSE, 0, "AS112 192.31.196.0/24" },
	{ { 192, 52, 193 }, 24, RANGE_REFUSE, 0, "AMT 192.52.193.0/24" },
	{ { 192, 88, 99 }, 24, RANGE_REFUSE, 0, "6to4 relay anycast 192.88.99.0/24" },
	{ { 192, 168 }, 16, RANGE_REFUSE, 0, "private 192.168.0.0/16" },
	{ { 192, 175, 48 }, 24, RANGE_REFUSE, 0, "AS112 192.175.48.0/24" },
	{ { 198, 18 }, 15, RANGE_REFUSE, 0, "benchmarking 198.18.0.0/15" },
	{ { 198, 51, 100 }, 24, RANGE_REFUSE, 0, "documentation 198.51.100.0/24" },
	{ { 203, 0, 113 }, 24, RANGE_REFUSE, 0, "documentation 203.0.113.0/24" },
	{ { 224 }, 4, RANGE_REFUSE, 0, "multicast 224.0.0.0/4" },
	/* Before 240/4 only so that the reason is the precise one. */
	{ { 255, 255, 255, 255 }, 32, RANGE_REFUSE, 0, "broadcast 255.255.255.255/32" },
	{ { 240 }, 4, RANGE_REFUSE, 0, "reserved 240.0.0.0/4" },
};

/*
 * Special IPv6 blocks, more specific first. The NAT64 well-known prefix
 * lies outside 2000::/3 but is how IPv6-only hosts reach the IPv4 internet
 * (RFC 6052), so it is judged by the IPv4 address it carries; so is 6to4.
 * All of 2001::/23 is refused: the few globally reachable services in it
 * (AS112, PCP anycast) are nothing a fediverse server talks to.
 */
static const struct range v6_special[] = {
	{ { 0 }, 128, RANGE_REFUSE, 0, "unspecified ::/128" },
	{ { [15] = 1 }, 128, RANGE_REFUSE, 0, "loopback ::1/128" },
	/* Deprecated by RFC 4291 §2.5.5.1; no legitimate peer uses it. */
	{ { 0 }, 96, RANGE_REFUSE, 0, "IPv4-compatible ::/96 (deprecated)" },
	{ { 0x00, 0x64, 0xff, 0x9b }, 96, RANGE_EMBED4, 12,
	    "NAT64 64:ff9b::/96 with a refused IPv4 address" },
	{ { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 }, 48, RANGE_REFUSE, 0,
	    "local-use NAT64 64:ff9b:1::/48" },
	{ { 0x01, 0x00 }, 64, RANGE_REFUSE, 0, "discard-only 100::/64" },
	{ { 0x20, 0x01, 0x00, 0x00 }, 32, RANGE_REFUSE, 0, "Teredo 2001::/32" },
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, RANGE_REFUSE, 0, "documentation 2001:db8::/32" },
	{ { 0x20, 0x01 }, 23, RANGE_REFUSE, 0, "IETF protocol assignments 2001::/23" },
	{ { 0x20, 0x02 }, 16, RANGE_EMBED4, 2, "6to4 2002::/16 with a refused IPv4 address" },
	{ { 0x26, 0x20, 0x00, 0x4f, 0x80, 0x00 }, 48, RANGE_REFUSE, 0,
	    "AS112 2620:4f:8000::/48" },
	{ { 0x3f, 0xff }, 20, RANGE_REFUSE, 0, "documentation 3fff::/20" },
	{ { 0xfc }, 7, RANGE_REFUSE, 0, "unique local fc00::/7" },
	{ { 0xfe, 0x80 }, 10, RANGE_REFUSE, 0, "link-local fe80::/10" },
	{ { 0xfe, 0xc0 }, 10, RANGE_REFUSE, 0, "site-local fec0::/10 (deprecated)" },
	{ { 0xff }, 8, RANGE_REFUSE, 0, "multicast ff00::/8" },
};

static const uint8_t v4_mapped_pfx[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

struct http_addrpolicy {
	size_t			 ap_n;
	struct http_cidr	 ap_allow[HTTP_ADDRPOLICY_MAX_CIDRS];
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* 1 when the first bits bits of a and pfx are equal. */
static int
prefix_match(const uint8_t *a, const uint8_t *pfx, unsigned int bits)
{
	unsigned int	 whole = bits / 8, rest = bits % 8;
	uint8_t		 mask;

	if (memcmp(a, pfx, whole) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (a[whole] & mask) == (pfx[whole] & mask);
}

static int
allow_listed(const struct http_addrpolicy *p, int family, const uint8_t *a)
{
	if (p == NULL)
		return 0;
	for (size_t i = 0; i < p->ap_n; i++)
		if (p->ap_allow[i].family == family &&
		    prefix_match(a, p->ap_allow[i].addr, p->ap_allow[i].bits))
			return 1;
	return 0;
}

static const char *
check_v4(const struct http_addrpolicy *p, const uint8_t *a)
{
	if (allow_listed(p, AF_INET, a))
		return NULL;
	for (size_t i = 0; i < NELEM(v4_refused); i++)
		if (prefix_match(a, v4_refused[i].r_pfx, v4_refused[i].r_bits))
			return v4_refused[i].r_what;
	return NULL;
}

static const char *
check_v6(const struct http_addrpolicy *p, const uint8_t *a)
{
	if (allow_listed(p, AF_INET6, a))
		return NULL;
	/* A mapped address is the IPv4 address itself on a dual-stack socket. */
	if (memcmp(a, v4_mapped_pfx, sizeof(v4_mapped_pfx)) == 0)
		return check_v4(p, a + 12);
	for (size_t i = 0; i < NELEM(v6_special); i++) {
		const struct range *r = &v6_special[i];

		if (!prefix_match(a, r->r_pfx, r->r_bits))
			continue;
		if (r->r_action == RANGE_REFUSE)
			return r->r_what;
		/* The allow list does not reach through translators. */
		return check_v4(NULL, a + r->r_offset) == NULL ? NULL : r->r_what;
	}
	if ((a[0] & 0xe0) != 0x20)
		return "not global unicast (outside 2000::/3)";
	return NULL;
}

const char *
http_addrpolicy_check_raw(const struct http_addrpolicy *p, int family,
    const uint8_t *addr)
{
	if (addr == NULL)
		return "not an IP address";
	if (family == AF_INET)
		return check_v4(p, addr);
	if (family == AF_INET6)
		return check_v6(p, addr);
	return "not an IP address";
}

const char *
http_addrpolicy_check(const struct http_addrpolicy *p, const struct sockaddr *sa,
    size_t salen)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	sa_family_t		 family;

	if (sa == NULL || salen < sizeof(family))
		return "not an IP address";
	/* Copies, because callers may hand us unaligned storage. */
	memcpy(&family, (const char *)sa + offsetof(struct sockaddr, sa_family),
	    sizeof(family));
	if (family == AF_INET && salen >= sizeof(sin)) {
		memcpy(&sin, sa, sizeof(sin));
		return check_v4(p, (const uint8_t *)&sin.sin_addr);
	}
	if (family == AF_INET6 && salen >= sizeof(sin6)) {
		memcpy(&sin6, sa, sizeof(sin6));
		return check_v6(p, sin6.sin6_addr.s6_addr);
	}
	return "not an IP address";
}

/* Parses a decimal prefix length in [0, max]; no sign, no leading zero. */
static const char *
cidr_parse_bits(const char *s, unsigned int max, unsigned int *bits)
{
	unsigned int v = 0;

	if (*s == '\0')
		return "missing prefix length after '/'";
	if (s[0] == '0' && s[1] != '\0')
		return "prefix length has a leading zero";
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return "prefix length is not a number";
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > max)
			return max == 32 ? "prefix length over 32 for IPv4" :
			    "prefix length over 128 for IPv6";
	}
	*bits = v;
	return NULL;
}

const char *
http_cidr_parse(const char *s, struct http_cidr *out)
{
	char		 host[INET6_ADDRSTRLEN];
	const char	*slash, *why;
	size_t		 hlen, nbytes;
	unsigned int	 max;

	memset(out, 0, sizeof(*out));
	if (s == NULL || *s == '\0')
		return "empty";
	slash = strchr(s, '/');
	hlen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	if (hlen == 0)
		return "missing address before '/'";
	if (hlen >= sizeof(host))
		return "address too long";
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	/* inet_pton, not inet_aton: no octal, hex or shortened IPv4 forms. */
	if (memchr(host, ':', hlen) != NULL) {
		if (inet_pton(AF_INET6, host, out->addr) != 1)
			return "not an IPv6 address";
		out->family = AF_INET6;
		max = 128;
	} else {
		if (inet_pton(AF_INET, host, out->addr) != 1)
			return "not an IPv4 address";
		out->family = AF_INET;
		max = 32;
	}
	out->bits = max;
	if (slash != NULL && (why = cidr_parse_bits(slash + 1, max, &out->bits)) != NULL)
		return why;
	/* The address with its network part cleared must be all zero. */
	nbytes = max / 8;
	for (size_t i = 0; i < nbytes; i++) {
		unsigned int keep = out->bits > i * 8 ? out->bits - (unsigned int)i * 8 : 0;
		uint8_t hostmask = keep >= 8 ? 0 : (uint8_t)(0xff >> keep);

		if ((out->addr[i] & hostmask) != 0)
			return "address has bits set past the prefix length";
	}
	return NULL;
}

/* Stores c, turning ::ffff:a.b.c.d/n (n >= 96) into a.b.c.d/(n-96). */
static void
policy_add(struct http_addrpolicy *p, const struct http_cidr *c)
{
	struct http_cidr *dst = &p->ap_allow[p->ap_n++];

	*dst = *c;
	if (c->family == AF_INET6 && c->bits >= 96 &&
	    memcmp(c->addr, v4_mapped_pfx, sizeof(v4_mapped_pfx)) == 0) {
		memset(dst, 0, sizeof(*dst));
		dst->family = AF_INET;
		memcpy(dst->addr, c->addr + 12, 4);
		dst->bits = c->bits - 96;
	}
}

struct http_addrpolicy *
http_addrpolicy_new(const char *allow, struct http_addrpolicy_err *err)
{
	struct http_addrpolicy	*p = xcalloc(1, sizeof(*p));
	const char		*s = allow != NULL ? allow : "", *why;
	const char		*sep = ", \t\r\n";
	char			 tok[CIDR_TOKEN_MAX];
	struct http_cidr	 c;

	err->msg[0] = '\0';
	while (*(s += strspn(s, sep)) != '\0') {
		size_t len = strcspn(s, sep);

		if (len >= sizeof(tok)) {
			snprintf(err->msg, sizeof(err->msg), "'%.*s...': entry too long",
			    40, s);
			goto fail;
		}
		memcpy(tok, s, len);
		tok[len] = '\0';
		s += len;
		if ((why = http_cidr_parse(tok, &c)) != NULL) {
			snprintf(err->msg, sizeof(err->msg), "'%s': %s", tok, why);
			goto fail;
		}
		if (p->ap_n == HTTP_ADDRPOLICY_MAX_CIDRS) {
			snprintf(err->msg, sizeof(err->msg), "more than %d entries",
			    HTTP_ADDRPOLICY_MAX_CIDRS);
			goto fail;
		}
		policy_add(p, &c);
	}
	return p;
fail:
	free(p);
	return NULL;
}

void
http_addrpolicy_free(struct http_addrpolicy *p)
{
	free(p);
}
