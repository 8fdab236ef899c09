/*
 * The outbound HTTP client for federation: libcurl's multi interface driven
 * by one thread's libevent event_base, so one client holds thousands of
 * requests in flight. It owns transport safety (https only, timeouts, size
 * caps, redirects, and the SSRF check of every address connected to, see
 * http/addrpolicy.h); it knows nothing of ActivityPub, signatures or JSON.
 *
 * With an egress proxy configured, curl connects only to the proxy, so the
 * connect-time check cannot see the destination: the proxy is then
 * responsible for refusing internal addresses. The client still refuses
 * URLs (and redirect targets) whose host is a forbidden IP literal.
 *
 * Redirects are followed with the caller's headers: a request signed for
 * one URL (HTTP Signatures) should set no_redirects and re-sign each hop.
 */
#ifndef MEENT_HTTP_CLIENT_H
#define MEENT_HTTP_CLIENT_H

#include <stddef.h>

struct config;
struct event_base;
struct http_client;

#define HTTP_CLIENT_MAX_JSON		(1024 * 1024)	/* default response cap */
#define HTTP_CLIENT_MAX_REDIRECTS	3

/*
 * Settings, copied by http_client_new. Fill with http_client_config_init,
 * then adjust. The strings are borrowed for the http_client_new call only.
 */
struct http_client_config {
	char		 user_agent[256];	/* "Meent/<version> (+https://<domain>/)" */
	const char	*allow_private;		/* CIDR allow list (addrpolicy); NULL or "": none */
	const char	*proxy;			/* egress proxy URL; NULL or "": none */
	const char	*ca_bundle;		/* CA file; NULL or "": the system's */
	long		 connect_timeout_ms;
	long		 timeout_ms;		/* whole transfer, queueing included */
	long		 max_redirects;		/* each hop is checked again */
	size_t		 max_response;		/* body cap when a request sets none */
	long		 max_connections;	/* open at once; more requests queue */
	long		 max_host_connections;	/* per host; HTTP/2 multiplexes on them */
	int		 allow_insecure_http;	/* allow http:// as well: development only */
	const char	*resolve;		/* "host:port:address,..." pins; NULL or "": DNS */
};

/*
 * Fills hc from cfg (borrowed; its strings must outlive the http_client_new
 * call). cfg may be NULL: built-in defaults, for tests and tools.
 */
void		 http_client_config_init(struct http_client_config *hc,
		    const struct config *cfg);

/* A request; borrowed for the http_client_request call only. */
struct http_client_req {
	const char	*method;	/* "GET" (also when NULL), "POST", "HEAD", ... */
	const char	*url;
	const char *const *headers;	/* "Name: value" lines, NULL-terminated; may be NULL */
	const void	*body;		/* copied; may be NULL */
	size_t		 body_len;
	size_t		 max_response;	/* body cap; 0: the client's */
	long		 timeout_ms;	/* 0: the client's */
	int		 no_redirects;	/* hand 3xx replies to the caller instead */
};

enum http_client_error {
	HTTP_CLIENT_OK,			/* a response arrived; see status */
	HTTP_CLIENT_EINVAL,		/* malformed request (URL, method, header) */
	HTTP_CLIENT_ESCHEME,		/* not https (or http with the switch) */
	HTTP_CLIENT_EADDR,		/* address not allowed by the policy */
	HTTP_CLIENT_EDNS,		/* the host name did not resolve */
	HTTP_CLIENT_ECONNECT,		/* could not connect, or the connection broke */
	HTTP_CLIENT_ETLS,		/* handshake or certificate failure */
	HTTP_CLIENT_ETIMEOUT,		/* connect or total timeout */
	HTTP_CLIENT_EREDIRECTS,		/* more than max_redirects */
	HTTP_CLIENT_ETOOBIG,		/* the body exceeded the cap */
	HTTP_CLIENT_ECANCELLED,		/* the client was freed first */
	HTTP_CLIENT_EOTHER,
};

/*
 * What the callback gets; everything is borrowed for the callback's
 * duration. An HTTP error status (404, 500) is a response, not an error:
 * error is HTTP_CLIENT_OK and the caller judges status.
 */
struct http_client_resp {
	enum http_client_error	 error;
	const char	*errmsg;	/* "" when OK, else "address not allowed: 127.0.0.1 (...)" */
	long		 status;	/* final HTTP status; 0 unless error is OK */
	const char	*url;		/* the request's URL, or where redirects led */
	const char	*content_type;	/* NULL when absent */
	const char	*location;	/* the Location header as sent; may be relative */
	const char	*redirect_url;	/* a 3xx's absolute target; NULL otherwise */
	const char	*retry_after;	/* the Retry-After header, unparsed */
	const char	*body;		/* NUL-terminated; "" when none, never NULL */
	size_t		 body_len;
};

typedef void	(*http_client_cb)(const struct http_client_resp *resp, void *arg);

/*
 * Creates a client on base (borrowed; must outlive the client), run by
 * that thread only: a client is not thread-safe. Returns the client (new),
 * or NULL with errbuf set (bad allow list or proxy URL).
 */
struct http_client *http_client_new(struct event_base *base,
		    const struct http_client_config *hc, char *errbuf, size_t errsz);

/*
 * Aborts every request in flight, calling each callback with
 * HTTP_CLIENT_ECANCELLED, then frees the client. Accepts NULL. Must not be
 * called from a callback.
 */
void		 http_client_free(struct http_client *c);

/*
 * Starts req. Returns 0: cb will be called exactly once with arg, from the
 * event loop and never from inside this call, whatever the outcome. Returns
 * -1 only while the client is being freed; then cb is never called.
 * Callbacks may start new requests.
 */
int		 http_client_request(struct http_client *c,
		    const struct http_client_req *req, http_client_cb cb, void *arg);

/* Requests whose callback has not run yet. */
size_t		 http_client_inflight(const struct http_client *c);

/* A fixed English name of err ("timeout"), for logs and metrics labels. */
const char	*http_client_strerror(enum http_client_error err);

#endif
