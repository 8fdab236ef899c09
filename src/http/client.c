/*
 * The outbound HTTP client: see client.h. libcurl does the protocol work;
 * this file drives curl's multi handle from libevent (the "multi_socket"
 * API: curl tells us which sockets and which timeout to watch, we tell it
 * what happened) and enforces the policy on every transfer.
 *
 * The SSRF check sits in CURLOPT_OPENSOCKETFUNCTION: curl calls it with the
 * resolved address of every connection it opens, for every redirect hop and
 * every address of a multi-address host, so a DNS answer that changes
 * between checks (rebinding) cannot slip past. A refused address is written
 * into the transfer, so the caller reads "address not allowed: 10.0.0.1"
 * rather than curl's generic "couldn't connect".
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "http/addrpolicy.h"
#include "http/client.h"
#include "meent.h"
#include "util/config.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

#define HTTP_CLIENT_ERRMSG		320
#define HTTP_CLIENT_MAX_URL		8192	/* longer URLs are refused, not sent */
#define HTTP_CLIENT_MAX_METHOD		16
#define HTTP_CLIENT_DEF_CONNS		256	/* bounds sockets and resolver threads */
#define HTTP_CLIENT_DEF_HOST_CONNS	8	/* be polite: HTTP/2 multiplexes anyway */

/* A socket curl asked us to watch. */
struct http_sock {
	LIST_ENTRY(http_sock)	 s_entry;
	struct event		*s_ev;
};

/* One request, from http_client_request until its callback has run. */
struct http_xfer {
	TAILQ_ENTRY(http_xfer)	 x_entry;
	struct http_client	*x_client;
	CURL			*x_easy;	/* NULL when it failed before curl */
	struct curl_slist	*x_headers;
	http_client_cb		 x_cb;
	void			*x_arg;
	char			*x_url;		/* the URL asked for */
	struct buf		 x_body;	/* capped at the response limit */
	int			 x_toobig;	/* the write callback hit the cap */
	const char		*x_refused_why;	/* static; set when a connect was refused */
	char			 x_refused[64];	/* the address, for the message */
	char			*x_location;	/* copies of response headers */
	char			*x_retry_after;
	enum http_client_error	 x_err;
	char			 x_errmsg[HTTP_CLIENT_ERRMSG];
	char			 x_curlerr[CURL_ERROR_SIZE];
};

TAILQ_HEAD(http_xfer_list, http_xfer);

struct http_client {
	struct event_base	*c_base;	/* borrowed */
	CURLM			*c_multi;
	struct event		*c_timer;	/* curl's one timeout */
	struct event		*c_deferred;	/* delivers c_failed */
	struct http_addrpolicy	*c_policy;
	char			*c_user_agent;
	char			*c_proxy;	/* NULL: no proxy */
	char			*c_ca_bundle;	/* NULL: the system's */
	struct curl_slist	*c_resolve;	/* "host:port:address" pins; NULL: DNS only */
	const char		*c_protocols;	/* for CURLOPT_PROTOCOLS_STR */
	int			 c_allow_http;
	long			 c_connect_timeout_ms;
	long			 c_timeout_ms;
	long			 c_max_redirects;
	size_t			 c_max_response;
	struct http_xfer_list	 c_running;	/* added to the multi handle */
	struct http_xfer_list	 c_failed;	/* failed before curl; callback pending */
	LIST_HEAD(, http_sock)	 c_socks;
	size_t			 c_inflight;
	int			 c_closing;
};

static pthread_once_t	 curl_once = PTHREAD_ONCE_INIT;
static CURLcode		 curl_init_rc = CURLE_FAILED_INIT;

/* curl_global_init is thread-safe since 7.84, but must still run once. */
static void
client_global_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void
http_client_config_init(struct http_client_config *hc, const struct config *cfg)
{
	memset(hc, 0, sizeof(*hc));
	hc->connect_timeout_ms = 5000;
	hc->timeout_ms = 30000;
	hc->max_redirects = HTTP_CLIENT_MAX_REDIRECTS;
	hc->max_response = HTTP_CLIENT_MAX_JSON;
	hc->max_connections = HTTP_CLIENT_DEF_CONNS;
	hc->max_host_connections = HTTP_CLIENT_DEF_HOST_CONNS;
	/* The URL tells a remote admin whom to ask about our traffic. */
	if (cfg != NULL && cfg->domain != NULL)
		snprintf(hc->user_agent, sizeof(hc->user_agent), "Meent/%s (+https://%s/)",
		    MEENT_VERSION, cfg->domain);
	else
		snprintf(hc->user_agent, sizeof(hc->user_agent), "Meent/%s", MEENT_VERSION);
	if (cfg == NULL)
		return;
	hc->allow_private = cfg->allow_private_addresses;
	hc->proxy = cfg->http_proxy;
	hc->ca_bundle = cfg->ca_bundle;
	hc->connect_timeout_ms = (long)cfg->fetch_connect_timeout * 1000;
	hc->timeout_ms = (long)cfg->fetch_timeout * 1000;
	hc->allow_insecure_http = cfg->allow_insecure_http_for_development;
	hc->resolve = cfg->resolve_override;
}

const char *
http_client_strerror(enum http_client_error err)
{
	switch (err) {
	case HTTP_CLIENT_OK:		return "ok";
	case HTTP_CLIENT_EINVAL:	return "bad_request";
	case HTTP_CLIENT_ESCHEME:	return "scheme_not_allowed";
	case HTTP_CLIENT_EADDR:		return "address_not_allowed";
	case HTTP_CLIENT_EDNS:		return "dns";
	case HTTP_CLIENT_ECONNECT:	return "connect";
	case HTTP_CLIENT_ETLS:		return "tls";
	case HTTP_CLIENT_ETIMEOUT:	return "timeout";
	case HTTP_CLIENT_EREDIRECTS:	return "too_many_redirects";
	case HTTP_CLIENT_ETOOBIG:	return "too_big";
	case HTTP_CLIENT_ECANCELLED:	return "cancelled";
	case HTTP_CLIENT_EOTHER:	break;
	}
	return "other";
}

static void
xfer_fail(struct http_xfer *x, enum http_client_error err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
xfer_fail(struct http_xfer *x, enum http_client_error err, const char *fmt, ...)
{
	va_list ap;

	x->x_err = err;
	va_start(ap, fmt);
	vsnprintf(x->x_errmsg, sizeof(x->x_errmsg), fmt, ap);
	va_end(ap);
}

/* Address checks */

/*
 * Parses an IP literal ("10.0.0.1", "::1" or "[::1]") into addr. Returns
 * the address family, or 0 when s is a host name.
 */
static int
parse_ip_literal(const char *s, uint8_t addr[16])
{
	char	 tmp[INET6_ADDRSTRLEN];
	size_t	 len = strlen(s);

	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
	}
	if (len == 0 || len >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET, tmp, addr) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, tmp, addr) == 1)
		return AF_INET6;
	return 0;
}

/* Refuses an IP-literal host; records why in x. 0 when allowed or a name. */
static int
xfer_check_literal(struct http_xfer *x, const char *host)
{
	uint8_t		 addr[16];
	int		 family;
	const char	*why;

	if ((family = parse_ip_literal(host, addr)) == 0)
		return 0;
	if ((why = http_addrpolicy_check_raw(x->x_client->c_policy, family, addr)) == NULL)
		return 0;
	inet_ntop(family, addr, x->x_refused, sizeof(x->x_refused));
	x->x_refused_why = why;
	return -1;
}

/*
 * Splits url with curl's own parser, so we judge exactly what curl will
 * use. scheme and host (either may be NULL) receive curl_free()able copies.
 * The parser normalises IPv4 literals ("2130706433", "0x7f.1" become
 * "127.0.0.1"), so a literal host is seen in its connectable form.
 */
static CURLUcode
url_split(const char *url, char **scheme, char **host)
{
	CURLU		*u = curl_url();
	CURLUcode	 uc = CURLUE_OUT_OF_MEMORY;

	if (u == NULL)
		return uc;
	if ((uc = curl_url_set(u, CURLUPART_URL, url, 0)) == CURLUE_OK && scheme != NULL)
		uc = curl_url_get(u, CURLUPART_SCHEME, scheme, 0);
	if (uc == CURLUE_OK && host != NULL)
		uc = curl_url_get(u, CURLUPART_HOST, host, 0);
	curl_url_cleanup(u);
	return uc;
}

/*
 * CURLOPT_OPENSOCKETFUNCTION: the one place every outgoing connection
 * passes, after DNS and before connect(2). Refusing makes curl try the
 * host's next address, and fail with "couldn't connect" if none is left.
 */
static curl_socket_t
xfer_opensocket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct http_xfer	*x = arg;
	struct http_client	*c = x->x_client;
	const char		*why;
	curl_socket_t		 fd;

	/* Through a proxy this is the proxy's address, which is ours to trust. */
	if (c->c_proxy == NULL &&
	    (why = http_addrpolicy_check(c->c_policy, &a->addr, a->addrlen)) != NULL) {
		if (getnameinfo(&a->addr, a->addrlen, x->x_refused, sizeof(x->x_refused),
		    NULL, 0, NI_NUMERICHOST) != 0)
			str_lcpy(x->x_refused, "?", sizeof(x->x_refused));
		x->x_refused_why = why;
		return CURL_SOCKET_BAD;
	}
	fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
	return fd == -1 ? CURL_SOCKET_BAD : fd;
}

/*
 * CURLOPT_PREREQFUNCTION: runs once a connection is ready, before each
 * request on it (so once per redirect hop), new or reused. With a proxy the
 * open-socket check saw only the proxy, so the hop's URL is checked here
 * instead; without one the peer address is checked again, which also
 * covers connections reused from the cache.
 */
static int
xfer_prereq(void *arg, char *primary_ip, char *local_ip, int primary_port,
    int local_port)
{
	struct http_xfer	*x = arg;
	char			*url = NULL, *host = NULL;
	uint8_t			 addr[16];
	int			 refused;

	if (x->x_client->c_proxy != NULL) {
		refused = curl_easy_getinfo(x->x_easy, CURLINFO_EFFECTIVE_URL, &url) !=
		    CURLE_OK || url == NULL || url_split(url, NULL, &host) != CURLUE_OK ||
		    xfer_check_literal(x, host) == -1;
		curl_free(host);
	} else {
		refused = parse_ip_literal(primary_ip, addr) == 0 ||
		    xfer_check_literal(x, primary_ip) == -1;
	}
	if (refused) {
		/* Only curl's own URL could fail to parse: refuse all the same. */
		if (x->x_refused_why == NULL) {
			str_lcpy(x->x_refused, primary_ip, sizeof(x->x_refused));
			x->x_refused_why = "cannot tell the peer's address";
		}
		return CURL_PREREQFUNC_ABORT;
	}
	/* An address refused earlier in this hop no longer explains a failure. */
	x->x_refused_why = NULL;
	x->x_refused[0] = '\0';
	return CURL_PREREQFUNC_OK;
}

static size_t
xfer_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct http_xfer	*x = arg;
	size_t			 n = size * nmemb;	/* size is always 1 */

	if (buf_append(&x->x_body, ptr, n) == -1) {
		x->x_toobig = 1;
		return 0;	/* curl aborts with CURLE_WRITE_ERROR */
	}
	return n;
}

/* Request checks, before curl sees anything */

static int
valid_method(const char *m)
{
	size_t len = strlen(m);

	if (len == 0 || len > HTTP_CLIENT_MAX_METHOD)
		return 0;
	for (; *m != '\0'; m++)
		if (*m < 'A' || *m > 'Z')
			return 0;
	return 1;
}

/* Header lines go out verbatim: a CR or LF would smuggle in more headers. */
static int
valid_header(const char *h)
{
	const char *colon = strchr(h, ':');

	return colon != NULL && colon != h && strpbrk(h, "\r\n") == NULL;
}

/* Only https, or http with the development switch; IP literals checked. */
static int
xfer_check_url(struct http_xfer *x, const char *url)
{
	char		*scheme = NULL, *host = NULL;
	CURLUcode	 uc;
	int		 rc = -1;

	if ((uc = url_split(url, &scheme, &host)) != CURLUE_OK) {
		xfer_fail(x, HTTP_CLIENT_EINVAL, "bad URL: %s", curl_url_strerror(uc));
		goto out;
	}
	if (strcmp(scheme, "https") != 0 &&
	    !(strcmp(scheme, "http") == 0 && x->x_client->c_allow_http)) {
		xfer_fail(x, HTTP_CLIENT_ESCHEME, "scheme not allowed: %.16s (only https%s)",
		    scheme, strcmp(scheme, "http") == 0 ?
		    "; see allow_insecure_http_for_development" : "");
		goto out;
	}
	/* Refused literals fail here, before any connection, proxy or not. */
	if (xfer_check_literal(x, host) == -1) {
		xfer_fail(x, HTTP_CLIENT_EADDR, "address not allowed: %s (%s)",
		    x->x_refused, x->x_refused_why);
		goto out;
	}
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	return rc;
}

/* Validates req; 0, or -1 with the error in x. */
static int
xfer_preflight(struct http_xfer *x, const struct http_client_req *req)
{
	const char *method = req->method != NULL ? req->method : "GET";

	if (req->url == NULL || req->url[0] == '\0') {
		xfer_fail(x, HTTP_CLIENT_EINVAL, "no URL");
		return -1;
	}
	if (strlen(req->url) > HTTP_CLIENT_MAX_URL) {
		xfer_fail(x, HTTP_CLIENT_EINVAL, "URL longer than %d bytes", HTTP_CLIENT_MAX_URL);
		return -1;
	}
	if (!valid_method(method)) {
		xfer_fail(x, HTTP_CLIENT_EINVAL, "bad method");
		return -1;
	}
	for (size_t i = 0; req->headers != NULL && req->headers[i] != NULL; i++) {
		if (!valid_header(req->headers[i])) {
			xfer_fail(x, HTTP_CLIENT_EINVAL, "bad header line %zu", i);
			return -1;
		}
	}
	return xfer_check_url(x, req->url);
}

/* Transfer setup */

/*
 * The options every transfer of this client shares.
 *
 * No DNS cache of curl's own (CURLOPT_DNS_CACHE_TIMEOUT 0): the multi
 * handle's cache is pruned, entry by entry, at every name it resolves,
 * and a fan-out resolves thousands of distinct servers within the cache's
 * minute, so its cost grew with the square of their number (a tenth of
 * meentd's CPU in a fan-out to 10,000 servers). A second request to a
 * server mostly rides the kept-alive connection; a new one asks the
 * system resolver. The resolve_override pins are permanent entries and
 * are kept.
 */
static int
xfer_set_transport(struct http_xfer *x)
{
	struct http_client	*c = x->x_client;
	CURL			*e = x->x_easy;

	if (curl_easy_setopt(e, CURLOPT_PRIVATE, x) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->x_curlerr) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, c->c_protocols) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, c->c_protocols) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_USERAGENT, c->c_user_agent) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "") != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, c->c_connect_timeout_ms) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_MAXREDIRS, c->c_max_redirects) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, xfer_opensocket) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, x) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, xfer_prereq) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PREREQDATA, x) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, xfer_write) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_WRITEDATA, x) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, 0L) != CURLE_OK)
		return -1;
	/*
	 * An empty proxy disables curl's reading of http_proxy and friends
	 * from the environment; an empty NOPROXY overrides no_proxy, so every
	 * request goes where the configuration says.
	 */
	/* Pinned names still meet the address policy at connect time. */
	if (c->c_resolve != NULL &&
	    curl_easy_setopt(e, CURLOPT_RESOLVE, c->c_resolve) != CURLE_OK)
		return -1;
	if (curl_easy_setopt(e, CURLOPT_PROXY, c->c_proxy != NULL ? c->c_proxy : "") !=
	    CURLE_OK || curl_easy_setopt(e, CURLOPT_NOPROXY, "") != CURLE_OK)
		return -1;
	if (c->c_ca_bundle != NULL &&
	    curl_easy_setopt(e, CURLOPT_CAINFO, c->c_ca_bundle) != CURLE_OK)
		return -1;
	return 0;
}

static int
xfer_set_body(struct http_xfer *x, const struct http_client_req *req)
{
	CURL *e = x->x_easy;

	/* COPYPOSTFIELDS reads POSTFIELDSIZE, so the size goes first. */
	return curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)req->body_len) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS,
	    req->body != NULL ? req->body : "") != CURLE_OK ? -1 : 0;
}

/* The options of this one request. */
static int
xfer_set_request(struct http_xfer *x, const struct http_client_req *req)
{
	struct http_client	*c = x->x_client;
	CURL			*e = x->x_easy;
	const char		*method = req->method != NULL ? req->method : "GET";
	size_t			 max = req->max_response ? req->max_response : c->c_max_response;
	long			 timeout = req->timeout_ms > 0 ? req->timeout_ms : c->c_timeout_ms;
	int			 rc = -1;

	buf_init(&x->x_body, max);
	for (size_t i = 0; req->headers != NULL && req->headers[i] != NULL; i++)
		x->x_headers = curl_slist_append(x->x_headers, req->headers[i]);
	/* No "Expect: 100-continue" round trip before bodies. */
	x->x_headers = curl_slist_append(x->x_headers, "Expect:");
	if (x->x_headers == NULL)
		return -1;
	if (curl_easy_setopt(e, CURLOPT_URL, req->url) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->x_headers) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, req->no_redirects ? 0L : 1L) != CURLE_OK)
		return -1;
	/* Fails early when Content-Length announces too much (not for HEAD). */
	if (strcmp(method, "HEAD") != 0 &&
	    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max) != CURLE_OK)
		return -1;
	if (strcmp(method, "GET") == 0)
		rc = curl_easy_setopt(e, CURLOPT_HTTPGET, 1L) == CURLE_OK ? 0 : -1;
	else if (strcmp(method, "HEAD") == 0)
		rc = curl_easy_setopt(e, CURLOPT_NOBODY, 1L) == CURLE_OK ? 0 : -1;
	else if (strcmp(method, "POST") == 0)
		rc = xfer_set_body(x, req);
	else if (curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method) == CURLE_OK)
		rc = req->body != NULL ? xfer_set_body(x, req) : 0;
	return rc;
}

/* Completion */

static void
xfer_free(struct http_xfer *x)
{
	if (x == NULL)
		return;
	if (x->x_easy != NULL)
		curl_easy_cleanup(x->x_easy);
	curl_slist_free_all(x->x_headers);
	buf_cleanup(&x->x_body);
	free(x->x_url);
	free(x->x_location);
	free(x->x_retry_after);
	free(x);
}

/* Calls the callback once and frees x; x is off every list by now. */
static void
xfer_deliver(struct http_xfer *x, struct http_client_resp *r)
{
	struct http_client *c = x->x_client;

	if (r->error != HTTP_CLIENT_OK) {
		r->status = 0;
		r->body = "";
		r->body_len = 0;
	}
	if (r->error == HTTP_CLIENT_EADDR) {
		char qurl[256];

		/* A remote server may be probing our network: tell the operator. */
		log_warn("http_client_refused", "url=%s msg=\"%s\"",
		    log_quote(qurl, sizeof(qurl), r->url), r->errmsg);
	}
	c->c_inflight--;
	x->x_cb(r, x->x_arg);
	xfer_free(x);
}

/* Delivers a failure recorded in x_err and x_errmsg. */
static void
xfer_deliver_error(struct http_xfer *x)
{
	struct http_client_resp r;

	memset(&r, 0, sizeof(r));
	r.error = x->x_err;
	r.errmsg = x->x_errmsg;
	r.url = x->x_url != NULL ? x->x_url : "";
	xfer_deliver(x, &r);
}

static int
curl_is_tls_error(CURLcode res)
{
	switch (res) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_ENGINE_INITFAILED:
		return 1;
	default:
		return 0;
	}
}

/* Turns curl's result into our error; x_errmsg says it in words. */
static void
xfer_classify(struct http_xfer *x, CURLcode res)
{
	struct http_client	*c = x->x_client;
	const char		*detail = x->x_curlerr[0] != '\0' ? x->x_curlerr :
				    curl_easy_strerror(res);

	if (res == CURLE_OK) {
		x->x_err = HTTP_CLIENT_OK;
		return;
	}
	if (x->x_refused_why != NULL && (res == CURLE_COULDNT_CONNECT ||
	    res == CURLE_ABORTED_BY_CALLBACK)) {
		xfer_fail(x, HTTP_CLIENT_EADDR, "address not allowed: %s (%s)",
		    x->x_refused, x->x_refused_why);
		return;
	}
	if (x->x_toobig || res == CURLE_FILESIZE_EXCEEDED)
		xfer_fail(x, HTTP_CLIENT_ETOOBIG, "response body larger than %zu bytes",
		    x->x_body.max);
	else if (res == CURLE_OPERATION_TIMEDOUT)
		xfer_fail(x, HTTP_CLIENT_ETIMEOUT, "timeout: %s", detail);
	else if (res == CURLE_TOO_MANY_REDIRECTS)
		xfer_fail(x, HTTP_CLIENT_EREDIRECTS, "more than %ld redirects",
		    c->c_max_redirects);
	else if (res == CURLE_UNSUPPORTED_PROTOCOL)
		xfer_fail(x, HTTP_CLIENT_ESCHEME, "scheme not allowed: %s", detail);
	else if (res == CURLE_COULDNT_RESOLVE_HOST || res == CURLE_COULDNT_RESOLVE_PROXY)
		xfer_fail(x, HTTP_CLIENT_EDNS, "%s", detail);
	else if (curl_is_tls_error(res))
		xfer_fail(x, HTTP_CLIENT_ETLS, "%s", detail);
	else if (res == CURLE_COULDNT_CONNECT || res == CURLE_RECV_ERROR ||
	    res == CURLE_SEND_ERROR || res == CURLE_GOT_NOTHING ||
	    res == CURLE_PARTIAL_FILE || res == CURLE_HTTP2 ||
	    res == CURLE_HTTP2_STREAM || res == CURLE_WEIRD_SERVER_REPLY)
		xfer_fail(x, HTTP_CLIENT_ECONNECT, "%s", detail);
	else
		xfer_fail(x, HTTP_CLIENT_EOTHER, "%s", detail);
}

/* A copy of the response header name of the final response, or NULL. */
static char *
xfer_header(CURL *e, const char *name)
{
	struct curl_header *h = NULL;

	if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || h == NULL)
		return NULL;
	return xstrdup(h->value);
}

static void
xfer_done(struct http_xfer *x, CURLcode res)
{
	struct http_client	*c = x->x_client;
	struct http_client_resp	 r;
	CURL			*e = x->x_easy;
	char			*s;

	TAILQ_REMOVE(&c->c_running, x, x_entry);
	curl_multi_remove_handle(c->c_multi, e);
	xfer_classify(x, res);
	memset(&r, 0, sizeof(r));
	r.error = x->x_err;
	r.errmsg = x->x_err == HTTP_CLIENT_OK ? "" : x->x_errmsg;
	r.url = curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &s) == CURLE_OK &&
	    s != NULL ? s : x->x_url;
	if (r.error == HTTP_CLIENT_OK) {
		(void)curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r.status);
		if (curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK)
			r.content_type = s;
		if (curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &s) == CURLE_OK)
			r.redirect_url = s;
		r.location = x->x_location = xfer_header(e, "Location");
		r.retry_after = x->x_retry_after = xfer_header(e, "Retry-After");
		r.body = x->x_body.data != NULL ? x->x_body.data : "";
		r.body_len = x->x_body.len;
	}
	xfer_deliver(x, &r);
}

/* The event loop side of curl's multi_socket API */

static void
client_reap(struct http_client *c)
{
	CURLMsg	*msg;
	int	 left;

	while ((msg = curl_multi_info_read(c->c_multi, &left)) != NULL) {
		CURL		*e = msg->easy_handle;
		CURLcode	 res = msg->data.result;
		char		*priv = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		/* msg dies with curl_multi_remove_handle: copied above. */
		if (curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv) == CURLE_OK && priv != NULL)
			xfer_done((struct http_xfer *)(void *)priv, res);
	}
}

static void
client_socket_event(evutil_socket_t fd, short what, void *arg)
{
	struct http_client	*c = arg;
	int			 action = 0, running;

	if (what & EV_READ)
		action |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		action |= CURL_CSELECT_OUT;
	curl_multi_socket_action(c->c_multi, fd, action, &running);
	client_reap(c);
}

static void
client_timer_event(evutil_socket_t fd, short what, void *arg)
{
	struct http_client	*c = arg;
	int			 running;

	curl_multi_socket_action(c->c_multi, CURL_SOCKET_TIMEOUT, 0, &running);
	client_reap(c);
}

/* CURLMOPT_SOCKETFUNCTION: watch s for what curl wants, or stop watching. */
static int
client_socket_cb(CURL *e, curl_socket_t s, int what, void *arg, void *sockp)
{
	struct http_client	*c = arg;
	struct http_sock	*hs = sockp;
	short			 kind = EV_PERSIST;

	if (what == CURL_POLL_REMOVE) {
		if (hs != NULL) {
			LIST_REMOVE(hs, s_entry);
			event_free(hs->s_ev);
			free(hs);
		}
		return 0;
	}
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	if (hs == NULL) {
		hs = xcalloc(1, sizeof(*hs));
		hs->s_ev = event_new(c->c_base, s, kind, client_socket_event, c);
		if (hs->s_ev == NULL) {
			free(hs);
			return -1;
		}
		LIST_INSERT_HEAD(&c->c_socks, hs, s_entry);
		curl_multi_assign(c->c_multi, s, hs);
	} else {
		event_del(hs->s_ev);
		event_assign(hs->s_ev, c->c_base, s, kind, client_socket_event, c);
	}
	return event_add(hs->s_ev, NULL);
}

/* CURLMOPT_TIMERFUNCTION: curl's single timeout; -1 cancels it. */
static int
client_timer_cb(CURLM *multi, long timeout_ms, void *arg)
{
	struct http_client	*c = arg;
	struct timeval		 tv;

	if (timeout_ms < 0)
		return event_del(c->c_timer);
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	return event_add(c->c_timer, &tv);
}

static void
client_deferred_event(evutil_socket_t fd, short what, void *arg)
{
	struct http_client	*c = arg;
	struct http_xfer_list	 batch;
	struct http_xfer	*x;

	/* A callback may fail a new request: that one waits for the next run. */
	TAILQ_INIT(&batch);
	TAILQ_CONCAT(&batch, &c->c_failed, x_entry);
	while ((x = TAILQ_FIRST(&batch)) != NULL) {
		TAILQ_REMOVE(&batch, x, x_entry);
		xfer_deliver_error(x);
	}
}

/* Client */

static int
client_check_proxy(const char *proxy, char *errbuf, size_t errsz)
{
	static const char *const schemes[] = {
		"http://", "https://", "socks4a://", "socks5://", "socks5h://",
	};

	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (str_has_prefix(proxy, schemes[i]) && proxy[strlen(schemes[i])] != '\0')
			return 0;
	snprintf(errbuf, errsz, "http_proxy: expected an http://, https:// or "
	    "socks5h:// (or socks4a://, socks5://) URL, got '%.64s'", proxy);
	return -1;
}

static int
client_setup_multi(struct http_client *c, const struct http_client_config *hc)
{
	CURLM *m = c->c_multi;

	return curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, client_socket_cb) != CURLM_OK ||
	    curl_multi_setopt(m, CURLMOPT_SOCKETDATA, c) != CURLM_OK ||
	    curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, client_timer_cb) != CURLM_OK ||
	    curl_multi_setopt(m, CURLMOPT_TIMERDATA, c) != CURLM_OK ||
	    curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    hc->max_connections) != CURLM_OK ||
	    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS,
	    hc->max_host_connections) != CURLM_OK ? -1 : 0;
}

/*
 * resolve_override: "host:port:address" entries separated by commas or
 * spaces, as curl's --resolve takes them, for tests and split-horizon
 * networks. 0, or -1 with errbuf set on a malformed entry.
 */
static int
client_resolve_list(struct http_client *c, const char *spec, char *errbuf, size_t errsz)
{
	char	*copy, *p, *entry;
	int	 rc = 0;

	if (spec == NULL || *spec == '\0')
		return 0;
	copy = xstrdup(spec);
	for (p = copy; (entry = strsep(&p, ", \t")) != NULL;) {
		struct curl_slist	*l;
		char			*c1, *c2;

		if (*entry == '\0')
			continue;
		if ((c1 = strchr(entry, ':')) == NULL || (c2 = strchr(c1 + 1, ':')) == NULL ||
		    c1 == entry || c2 == c1 + 1 || c2[1] == '\0') {
			snprintf(errbuf, errsz, "resolve_override: expected host:port:address, "
			    "got '%.100s'", entry);
			rc = -1;
			break;
		}
		if ((l = curl_slist_append(c->c_resolve, entry)) == NULL) {
			rc = -1;
			break;
		}
		c->c_resolve = l;
	}
	free(copy);
	return rc;
}

struct http_client *
http_client_new(struct event_base *base, const struct http_client_config *hc,
    char *errbuf, size_t errsz)
{
	struct http_client		*c = NULL;
	struct http_addrpolicy_err	 perr;

	pthread_once(&curl_once, client_global_init);
	if (curl_init_rc != CURLE_OK) {
		snprintf(errbuf, errsz, "curl_global_init: %s", curl_easy_strerror(curl_init_rc));
		return NULL;
	}
	if (hc->proxy != NULL && hc->proxy[0] != '\0' &&
	    client_check_proxy(hc->proxy, errbuf, errsz) == -1)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->c_base = base;
	TAILQ_INIT(&c->c_running);
	TAILQ_INIT(&c->c_failed);
	LIST_INIT(&c->c_socks);
	if ((c->c_policy = http_addrpolicy_new(hc->allow_private, &perr)) == NULL) {
		snprintf(errbuf, errsz, "allow_private_addresses: %s", perr.msg);
		goto fail;
	}
	c->c_user_agent = xstrdup(hc->user_agent);
	if (hc->proxy != NULL && hc->proxy[0] != '\0')
		c->c_proxy = xstrdup(hc->proxy);
	if (hc->ca_bundle != NULL && hc->ca_bundle[0] != '\0')
		c->c_ca_bundle = xstrdup(hc->ca_bundle);
	if (client_resolve_list(c, hc->resolve, errbuf, errsz) == -1)
		goto fail;
	c->c_allow_http = hc->allow_insecure_http;
	c->c_protocols = hc->allow_insecure_http ? "http,https" : "https";
	c->c_connect_timeout_ms = hc->connect_timeout_ms;
	c->c_timeout_ms = hc->timeout_ms;
	c->c_max_redirects = hc->max_redirects;
	c->c_max_response = hc->max_response ? hc->max_response : HTTP_CLIENT_MAX_JSON;
	c->c_timer = evtimer_new(base, client_timer_event, c);
	c->c_deferred = event_new(base, -1, 0, client_deferred_event, c);
	c->c_multi = curl_multi_init();
	if (c->c_timer == NULL || c->c_deferred == NULL || c->c_multi == NULL ||
	    client_setup_multi(c, hc) == -1) {
		snprintf(errbuf, errsz, "cannot set up the curl multi handle");
		goto fail;
	}
	if (c->c_allow_http)
		log_warn("http_client_insecure", "msg=\"plain http allowed for outbound "
		    "requests: allow_insecure_http_for_development is on\"");
	return c;
fail:
	http_client_free(c);
	return NULL;
}

void
http_client_free(struct http_client *c)
{
	struct http_xfer	*x;
	struct http_sock	*hs;

	if (c == NULL)
		return;
	c->c_closing = 1;
	while ((x = TAILQ_FIRST(&c->c_running)) != NULL) {
		TAILQ_REMOVE(&c->c_running, x, x_entry);
		curl_multi_remove_handle(c->c_multi, x->x_easy);
		xfer_fail(x, HTTP_CLIENT_ECANCELLED, "cancelled: the client was shut down");
		xfer_deliver_error(x);
	}
	while ((x = TAILQ_FIRST(&c->c_failed)) != NULL) {
		TAILQ_REMOVE(&c->c_failed, x, x_entry);
		xfer_deliver_error(x);
	}
	if (c->c_multi != NULL) {
		/* Our events go first; curl then just closes its sockets. */
		curl_multi_setopt(c->c_multi, CURLMOPT_SOCKETFUNCTION,
		    (curl_socket_callback)NULL);
		curl_multi_setopt(c->c_multi, CURLMOPT_TIMERFUNCTION,
		    (curl_multi_timer_callback)NULL);
	}
	while ((hs = LIST_FIRST(&c->c_socks)) != NULL) {
		LIST_REMOVE(hs, s_entry);
		event_free(hs->s_ev);
		free(hs);
	}
	if (c->c_multi != NULL)
		curl_multi_cleanup(c->c_multi);
	if (c->c_timer != NULL)
		event_free(c->c_timer);
	if (c->c_deferred != NULL)
		event_free(c->c_deferred);
	http_addrpolicy_free(c->c_policy);
	free(c->c_user_agent);
	curl_slist_free_all(c->c_resolve);
	free(c->c_proxy);
	free(c->c_ca_bundle);
	free(c);
}

int
http_client_request(struct http_client *c, const struct http_client_req *req,
    http_client_cb cb, void *arg)
{
	struct http_xfer *x;

	if (c->c_closing)
		return -1;
	x = xcalloc(1, sizeof(*x));
	x->x_client = c;
	x->x_cb = cb;
	x->x_arg = arg;
	x->x_url = xstrdup(req->url != NULL ? req->url : "");
	c->c_inflight++;
	if (xfer_preflight(x, req) == -1)
		goto fail;
	if ((x->x_easy = curl_easy_init()) == NULL ||
	    xfer_set_transport(x) == -1 || xfer_set_request(x, req) == -1) {
		xfer_fail(x, HTTP_CLIENT_EOTHER, "cannot set up the transfer");
		goto fail;
	}
	if (curl_multi_add_handle(c->c_multi, x->x_easy) != CURLM_OK) {
		xfer_fail(x, HTTP_CLIENT_EOTHER, "cannot start the transfer");
		goto fail;
	}
	TAILQ_INSERT_TAIL(&c->c_running, x, x_entry);
	return 0;
fail:
	/* Failures are delivered from the loop too, so callers see one path. */
	TAILQ_INSERT_TAIL(&c->c_failed, x, x_entry);
	event_active(c->c_deferred, EV_TIMEOUT, 0);
	return 0;
}

size_t
http_client_inflight(const struct http_client *c)
{
	return c->c_inflight;
}
