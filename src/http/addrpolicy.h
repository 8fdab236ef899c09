/*
 * Which IP addresses outbound requests may connect to: the SSRF guard of
 * the HTTP client. Pure code (no sockets, no DNS), so it is unit-tested and
 * fuzzed on its own. Refuses everything that is not public unicast, per the
 * IANA IPv4 and IPv6 special-purpose address registries (RFC 6890), unless
 * an operator's allow list of CIDR blocks says otherwise.
 */
#ifndef MEENT_HTTP_ADDRPOLICY_H
#define MEENT_HTTP_ADDRPOLICY_H

#include <stddef.h>
#include <stdint.h>

struct sockaddr;
struct http_addrpolicy;

#define HTTP_ADDRPOLICY_MAX_CIDRS	256	/* entries in one allow list */

/* One CIDR block; the host bits of addr are always zero. */
struct http_cidr {
	int		 family;	/* AF_INET or AF_INET6 */
	uint8_t		 addr[16];	/* network byte order; 4 bytes used for v4 */
	unsigned int	 bits;		/* prefix length, 0-32 or 0-128 */
};

/* Error detail: msg names the bad entry and why it is bad. */
struct http_addrpolicy_err {
	char		 msg[160];
};

/*
 * Parses one CIDR block ("10.0.0.0/8", "fd00::/8") or a bare address (a
 * /32 or /128) into out. A validator: returns NULL when s is valid, or a
 * static reason ("prefix length out of range") when not; then out is
 * unspecified. Host bits beyond the prefix are refused, not masked, so a
 * typo such as 10.1.0.0/8 does not silently allow a wider range.
 */
const char	*http_cidr_parse(const char *s, struct http_cidr *out);

/*
 * Builds a policy whose allow list is the CIDR blocks in allow, separated
 * by commas and/or whitespace. NULL or "" means no allow list (refuse every
 * special-purpose address). Returns the policy (new), or NULL with err set
 * when an entry is bad or there are more than HTTP_ADDRPOLICY_MAX_CIDRS.
 */
struct http_addrpolicy *http_addrpolicy_new(const char *allow,
		    struct http_addrpolicy_err *err);
void		 http_addrpolicy_free(struct http_addrpolicy *p);

/*
 * Decides whether sa (salen bytes, borrowed) may be connected to. Returns
 * NULL when it may, or a static description of the range that refuses it
 * ("loopback 127.0.0.0/8"). p may be NULL: no allow list. Anything other
 * than AF_INET or AF_INET6 is refused.
 *
 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is judged exactly as the
 * IPv4 address it maps to, allow list included, because a dual-stack
 * socket connects to that IPv4 address. NAT64 (64:ff9b::/96) and 6to4
 * (2002::/16) addresses are refused when their embedded IPv4 address is;
 * the allow list matches them only as IPv6 addresses.
 */
const char	*http_addrpolicy_check(const struct http_addrpolicy *p,
		    const struct sockaddr *sa, size_t salen);

/*
 * The same for a raw address: family AF_INET (4 bytes at addr) or AF_INET6
 * (16 bytes), in network byte order.
 */
const char	*http_addrpolicy_check_raw(const struct http_addrpolicy *p,
		    int family, const uint8_t *addr);

#endif
