/* Tests of http/addrpolicy.h: every refused range, public addresses, the allow list, CIDRs. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "http/addrpolicy.h"
#include "tap.h"

/* Checks s through the sockaddr interface, as curl's open-socket hook does. */
static const char *
check(const struct http_addrpolicy *p, const char *s)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;

	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, s, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		return http_addrpolicy_check(p, (struct sockaddr *)&sin, sizeof(sin));
	}
	if (inet_pton(AF_INET6, s, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		return http_addrpolicy_check(p, (struct sockaddr *)&sin6, sizeof(sin6));
	}
	return "test bug: not an address";
}

/* Each refused range: its first and last address, and the reason's key word. */
static const struct {
	const char	*addr;
	const char	*why;
} refused[] = {
	{ "127.0.0.1", "loopback" },
	{ "127.255.255.254", "loopback" },
	{ "10.0.0.1", "private" },
	{ "10.255.255.255", "private" },
	{ "172.16.0.1", "private" },
	{ "172.31.255.255", "private" },
	{ "192.168.0.1", "private" },
	{ "192.168.255.255", "private" },
	{ "169.254.169.254", "link-local" },	/* cloud metadata */
	{ "100.64.0.1", "CGNAT" },
	{ "100.127.255.255", "CGNAT" },
	{ "224.0.0.1", "multicast" },
	{ "239.255.255.255", "multicast" },
	{ "240.0.0.1", "reserved" },
	{ "255.255.255.254", "reserved" },
	{ "255.255.255.255", "broadcast" },
	{ "0.0.0.0", "this network" },
	{ "0.1.2.3", "this network" },
	{ "192.0.2.1", "documentation" },
	{ "198.51.100.7", "documentation" },
	{ "203.0.113.255", "documentation" },
	{ "198.18.0.1", "benchmarking" },
	{ "198.19.255.255", "benchmarking" },
	{ "192.0.0.8", "IETF" },
	{ "192.88.99.1", "6to4 relay" },
	{ "::", "unspecified" },
	{ "::1", "loopback" },
	{ "::ffff:127.0.0.1", "loopback" },	/* mapped: judged as IPv4 */
	{ "::ffff:10.0.0.1", "private" },
	{ "::ffff:169.254.169.254", "link-local" },
	{ "::127.0.0.1", "IPv4-compatible" },
	{ "::93.184.215.14", "IPv4-compatible" },	/* deprecated even when public */
	{ "64:ff9b::a00:1", "NAT64" },		/* 10.0.0.1 */
	{ "64:ff9b::7f00:1", "NAT64" },		/* 127.0.0.1 */
	{ "64:ff9b:1::1", "local-use NAT64" },
	{ "2002:7f00:1::", "6to4" },		/* 127.0.0.1 */
	{ "2002:a9fe:a9fe::1", "6to4" },	/* 169.254.169.254 */
	{ "2001::1", "Teredo" },
	{ "2001:0:ffff:ffff::1", "Teredo" },
	{ "2001:2::1", "IETF" },		/* benchmarking, inside 2001::/23 */
	{ "2001:db8::1", "documentation" },
	{ "2001:db8:ffff::1", "documentation" },
	{ "3fff::1", "documentation" },
	{ "2620:4f:8000::1", "AS112" },
	{ "fc00::1", "unique local" },
	{ "fd12:3456::1", "unique local" },
	{ "fe80::1", "link-local" },
	{ "febf::1", "link-local" },
	{ "fec0::1", "site-local" },
	{ "ff02::1", "multicast" },
	{ "ff0e::1", "multicast" },
	{ "100::1", "discard" },
	{ "4000::1", "outside 2000::/3" },	/* unassigned, not global unicast */
	{ "::2", "IPv4-compatible" },
	{ "1::1", "outside 2000::/3" },
};

static const char *const allowed[] = {
	"93.184.215.14",
	"1.1.1.1",
	"8.8.8.8",
	"172.15.255.255",	/* just below 172.16/12 */
	"172.32.0.0",		/* just above */
	"100.63.255.255",	/* just below CGNAT */
	"100.128.0.0",
	"198.17.255.255",
	"198.20.0.0",
	"223.255.255.255",
	"192.0.1.255",
	"2606:4700::1111",
	"2a00:1450:4001::200e",
	"2001:200::1",		/* just past 2001::/23 */
	"2003::1",
	"3ffe:ffff::1",
	"::ffff:93.184.215.14",	/* mapped public */
	"64:ff9b::5db8:d70e",	/* NAT64 of 93.184.215.14 */
	"2002:5db8:d70e::1",	/* 6to4 of 93.184.215.14 */
};

static void
test_defaults(void)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		const char *why = check(NULL, refused[i].addr);

		ok(why != NULL && strstr(why, refused[i].why) != NULL,
		    "%s refused as %s (%s)", refused[i].addr, refused[i].why,
		    why ? why : "allowed");
	}
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		const char *why = check(NULL, allowed[i]);

		ok(why == NULL, "%s allowed (%s)", allowed[i], why ? why : "ok");
	}
}

static void
test_allow_list(void)
{
	struct http_addrpolicy_err	 err;
	struct http_addrpolicy		*p;

	p = http_addrpolicy_new("127.0.0.0/8", &err);
	ok(p != NULL, "127.0.0.0/8 parses: %s", err.msg);
	ok(check(p, "127.0.0.1") == NULL, "allow list lets 127.0.0.1 through");
	ok(check(p, "127.1.2.3") == NULL, "and all of 127/8");
	ok(check(p, "::ffff:127.0.0.1") == NULL, "and its mapped form");
	ok(check(p, "10.0.0.1") != NULL, "10.0.0.1 still refused");
	ok(check(p, "::1") != NULL, "::1 still refused");
	ok(check(p, "64:ff9b::7f00:1") != NULL, "NAT64 of 127.0.0.1 still refused");
	ok(check(p, "93.184.215.14") == NULL, "public still allowed");
	http_addrpolicy_free(p);

	p = http_addrpolicy_new(" 127.0.0.1/32,fd00::/8\t10.1.0.0/16 , ::1 ", &err);
	ok(p != NULL, "list with commas and whitespace parses: %s", err.msg);
	ok(check(p, "127.0.0.1") == NULL, "/32 entry");
	ok(check(p, "127.0.0.2") != NULL, "/32 is one address");
	ok(check(p, "fd12::1") == NULL, "IPv6 entry");
	ok(check(p, "fc00::1") != NULL, "outside it refused");
	ok(check(p, "10.1.255.255") == NULL, "/16 entry");
	ok(check(p, "10.2.0.0") != NULL, "outside /16 refused");
	ok(check(p, "::1") == NULL, "bare address is a /128");
	http_addrpolicy_free(p);

	p = http_addrpolicy_new("::ffff:10.0.0.0/104", &err);
	ok(p != NULL && check(p, "10.1.2.3") == NULL,
	    "a mapped CIDR allows the IPv4 range");
	http_addrpolicy_free(p);

	p = http_addrpolicy_new("", &err);
	ok(p != NULL && check(p, "127.0.0.1") != NULL, "empty list: nothing extra");
	http_addrpolicy_free(p);
	p = http_addrpolicy_new(NULL, &err);
	ok(p != NULL && check(p, "10.0.0.1") != NULL, "NULL list: nothing extra");
	http_addrpolicy_free(p);

	p = http_addrpolicy_new("0.0.0.0/0", &err);
	ok(p != NULL && check(p, "10.0.0.1") == NULL && check(p, "::1") != NULL,
	    "0.0.0.0/0 allows all IPv4 and no IPv6");
	http_addrpolicy_free(p);

	p = http_addrpolicy_new("10.0.0.0/8, bogus", &err);
	ok(p == NULL, "bad entry fails the list");
	ok(strstr(err.msg, "'bogus'") != NULL, "error names the entry: %s", err.msg);
}

static void
test_cidr_parse(void)
{
	static const char *const bad[] = {
		"", "/8", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1",
		"10.0.0.0/+8", "10.0.0.0/08", "10.0.0.0/8/8", "10.0.0.0/ 8",
		"10.0.0", "010.0.0.0/8", "0x0a.0.0.0/8", "10.0.0.256", "1.2.3.4.5",
		"10.1.0.0/8", "fe80::1/10", "fe80::1%eth0", "::1::2", "gggg::/16",
		"10.0.0.0/99999999999999999999", "localhost", "[::1]/128",
	};
	struct http_cidr		 c;
	struct http_addrpolicy_err	 err;
	struct http_addrpolicy		*p;
	char				 many[4096];
	size_t				 len = 0;

	ok(http_cidr_parse("10.0.0.0/8", &c) == NULL && c.family == AF_INET &&
	    c.bits == 8 && c.addr[0] == 10, "10.0.0.0/8");
	ok(http_cidr_parse("0.0.0.0/0", &c) == NULL && c.bits == 0, "/0");
	ok(http_cidr_parse("fe80::/10", &c) == NULL && c.family == AF_INET6 &&
	    c.bits == 10 && c.addr[0] == 0xfe && c.addr[1] == 0x80, "fe80::/10");
	ok(http_cidr_parse("192.168.1.1", &c) == NULL && c.bits == 32, "bare IPv4 is /32");
	ok(http_cidr_parse("2001:db8::1", &c) == NULL && c.bits == 128, "bare IPv6 is /128");
	ok(http_cidr_parse("172.16.0.0/12", &c) == NULL, "172.16.0.0/12");
	ok(http_cidr_parse("172.17.0.0/12", &c) != NULL, "172.17.0.0/12 has host bits");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = http_cidr_parse(bad[i], &c);

		ok(why != NULL, "'%s' refused: %s", bad[i], why ? why : "accepted");
	}
	is_str(http_cidr_parse("10.0.0.0/33", &c), "prefix length over 32 for IPv4",
	    "reason names the limit");
	is_str(http_cidr_parse("10.1.0.0/8", &c),
	    "address has bits set past the prefix length", "reason for host bits");

	for (int i = 0; i <= HTTP_ADDRPOLICY_MAX_CIDRS; i++)
		len += (size_t)snprintf(many + len, sizeof(many) - len, "10.0.%d.%d,",
		    i / 256, i % 256);
	p = http_addrpolicy_new(many, &err);
	ok(p == NULL && strstr(err.msg, "more than") != NULL, "entry cap: %s", err.msg);
	http_addrpolicy_free(p);
}

static void
test_bad_sockaddr(void)
{
	struct sockaddr_in	 sin;
	struct sockaddr		 sa;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, "93.184.215.14", &sin.sin_addr);
	ok(http_addrpolicy_check(NULL, (struct sockaddr *)&sin, sizeof(sin)) == NULL,
	    "public via sockaddr");
	ok(http_addrpolicy_check(NULL, (struct sockaddr *)&sin, 4) != NULL,
	    "short length refused");
	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNIX;
	ok(http_addrpolicy_check(NULL, &sa, sizeof(sa)) != NULL, "AF_UNIX refused");
	ok(http_addrpolicy_check(NULL, NULL, 0) != NULL, "NULL refused");
}

int
main(void)
{
	test_defaults();
	test_allow_list();
	test_cidr_parse();
	test_bad_sockaddr();
	return done_testing();
}
