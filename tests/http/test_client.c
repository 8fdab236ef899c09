/*
 * Tests of http/client.h against a real server: an evhttp on 127.0.0.1 in
 * the same event_base. Covers the SSRF checks (literal, DNS, redirect,
 * proxy), redirects, size caps, timeouts, schemes and many requests at once.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "http/client.h"
#include "tap.h"

#define BIG		(2 * 1024 * 1024)
#ifndef NCONCURRENT
#define NCONCURRENT	200
#endif

static struct event_base	*base;
static int			 port;
static char			 last_host[256];	/* Host header of the last request */

/* The server */

static void
reply_text(struct evhttp_request *req, int code, const char *text)
{
	struct evbuffer *b = evbuffer_new();

	evbuffer_add(b, text, strlen(text));
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
	    "text/plain");
	evhttp_send_reply(req, code, "x", b);
	evbuffer_free(b);
}

static void
redirect(struct evhttp_request *req, const char *to)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Location", to);
	evhttp_send_reply(req, 302, "Found", NULL);
}

static void
send_big(struct evhttp_request *req, int chunked)
{
	struct evbuffer	*b = evbuffer_new();
	char		 chunk[65536];

	memset(chunk, 'x', sizeof(chunk));
	if (!chunked) {
		for (int i = 0; i < BIG / (int)sizeof(chunk); i++)
			evbuffer_add(b, chunk, sizeof(chunk));
		evhttp_send_reply(req, 200, "OK", b);
		evbuffer_free(b);
		return;
	}
	evhttp_send_reply_start(req, 200, "OK");
	for (int i = 0; i < BIG / (int)sizeof(chunk); i++) {
		evbuffer_add(b, chunk, sizeof(chunk));
		evhttp_send_reply_chunk(req, b);
	}
	evhttp_send_reply_end(req);
	evbuffer_free(b);
}

static void
serve(struct evhttp_request *req, void *arg)
{
	const struct evhttp_uri	*uri = evhttp_request_get_evhttp_uri(req);
	const char		*path = uri ? evhttp_uri_get_path(uri) : NULL;
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	const char		*h;
	char			 buf[512];
	int			 n;

	h = evhttp_find_header(in, "Host");
	snprintf(last_host, sizeof(last_host), "%s", h ? h : "");
	if (path == NULL)
		path = "/";
	if (strcmp(path, "/ok") == 0) {
		reply_text(req, 200, "hello");
	} else if (strcmp(path, "/ua") == 0) {
		h = evhttp_find_header(in, "User-Agent");
		reply_text(req, 200, h ? h : "");
	} else if (strcmp(path, "/echo") == 0) {
		struct evbuffer *body = evhttp_request_get_input_buffer(req);
		size_t len = evbuffer_get_length(body);

		h = evhttp_find_header(in, "X-Test");
		snprintf(buf, sizeof(buf), "%s %.*s X-Test=%s",
		    evhttp_request_get_command(req) == EVHTTP_REQ_POST ? "POST" : "other",
		    (int)len, (const char *)evbuffer_pullup(body, -1), h ? h : "");
		reply_text(req, 200, buf);
	} else if (sscanf(path, "/redir/%d", &n) == 1) {
		/* /redir/N is N redirects in all. */
		if (n > 1)
			snprintf(buf, sizeof(buf), "/redir/%d", n - 1);
		else
			snprintf(buf, sizeof(buf), "/ok");
		redirect(req, buf);
	} else if (strncmp(path, "/to/", 4) == 0) {
		snprintf(buf, sizeof(buf), "http://%s:%d/ok", path + 4, port);
		redirect(req, buf);
	} else if (strcmp(path, "/to6") == 0) {
		snprintf(buf, sizeof(buf), "http://[::1]:%d/ok", port);
		redirect(req, buf);
	} else if (strcmp(path, "/big") == 0) {
		send_big(req, 0);
	} else if (strcmp(path, "/bigchunked") == 0) {
		send_big(req, 1);
	} else if (strcmp(path, "/retry") == 0) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", "120");
		reply_text(req, 503, "busy");
	} else if (strcmp(path, "/created") == 0) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Location",
		    "/things/1");
		reply_text(req, 201, "made");
	} else if (strcmp(path, "/slow") == 0) {
		/* Never answered; evhttp_free cleans it up. */
	} else {
		reply_text(req, 404, "no");
	}
}

/* The client side */

struct result {
	int			 done;
	enum http_client_error	 error;
	long			 status;
	char			 errmsg[512];
	char			 body[256];
	size_t			 body_len;
	char			 content_type[64];
	char			 location[256];
	char			 redirect_url[256];
	char			 retry_after[64];
};

static void
copy(char *dst, size_t sz, const char *s)
{
	snprintf(dst, sz, "%s", s != NULL ? s : "(null)");
}

static int completed;	/* callbacks run so far, over all requests */

static void
on_resp(const struct http_client_resp *r, void *arg)
{
	struct result *res = arg;

	completed++;
	res->done++;
	res->error = r->error;
	res->status = r->status;
	res->body_len = r->body_len;
	copy(res->errmsg, sizeof(res->errmsg), r->errmsg);
	copy(res->body, sizeof(res->body), r->body);
	copy(res->content_type, sizeof(res->content_type), r->content_type);
	copy(res->location, sizeof(res->location), r->location);
	copy(res->redirect_url, sizeof(res->redirect_url), r->redirect_url);
	copy(res->retry_after, sizeof(res->retry_after), r->retry_after);
}

static int watchdog_fired;

static void
watchdog(evutil_socket_t fd, short what, void *arg)
{
	watchdog_fired = 1;
	event_base_loopbreak(base);
}

/* Runs the loop until *done reaches want, or 20 seconds pass. */
static void
wait_for(const int *done, int want)
{
	struct timeval	 tv = { 20, 0 };
	struct event	*ev = evtimer_new(base, watchdog, NULL);

	watchdog_fired = 0;
	evtimer_add(ev, &tv);
	while (*done < want && !watchdog_fired)
		event_base_loop(base, EVLOOP_ONCE);
	event_free(ev);
	if (watchdog_fired)
		printf("# watchdog fired\n");
}

static void
fetch_req(struct http_client *c, const struct http_client_req *req, struct result *res)
{
	memset(res, 0, sizeof(*res));
	if (http_client_request(c, req, on_resp, res) == -1) {
		res->done = -1;
		return;
	}
	wait_for(&res->done, 1);
}

static void
fetch(struct http_client *c, const char *url, struct result *res)
{
	struct http_client_req req = { .url = url };

	fetch_req(c, &req, res);
}

static char *
url(const char *host, const char *path)
{
	static char buf[8][256];
	static int n;
	char *u = buf[n++ % 8];

	snprintf(u, 256, "http://%s:%d%s", host, port, path);
	return u;
}

static struct http_client *
client(const char *allow, int insecure, long timeout_ms, const char *proxy)
{
	struct http_client_config	 hc;
	struct http_client		*c;
	char				 err[256];

	http_client_config_init(&hc, NULL);
	hc.allow_private = allow;
	hc.allow_insecure_http = insecure;
	hc.proxy = proxy;
	if (timeout_ms)
		hc.timeout_ms = timeout_ms;
	if ((c = http_client_new(base, &hc, err, sizeof(err))) == NULL)
		printf("# http_client_new: %s\n", err);
	return c;
}

static void
test_address_policy(void)
{
	struct http_client	*c = client("", 1, 0, NULL);
	struct result		 r;

	fetch(c, url("127.0.0.1", "/ok"), &r);
	is_int(r.error, HTTP_CLIENT_EADDR, "127.0.0.1 refused with an empty allow list");
	ok(strstr(r.errmsg, "address not allowed: 127.0.0.1") != NULL, "says so: %s", r.errmsg);
	is_int(r.status, 0, "no status");

	fetch(c, url("localhost", "/ok"), &r);
	is_int(r.error, HTTP_CLIENT_EADDR, "localhost (via the resolver) refused");
	ok(strstr(r.errmsg, "address not allowed: ") != NULL, "says so: %s", r.errmsg);

	fetch(c, url("2130706433", "/ok"), &r);
	is_int(r.error, HTTP_CLIENT_EADDR, "decimal IPv4 literal refused");
	ok(strstr(r.errmsg, "address not allowed: 127.0.0.1") != NULL, "normalised: %s",
	    r.errmsg);

	fetch(c, url("[::ffff:127.0.0.1]", "/ok"), &r);
	is_int(r.error, HTTP_CLIENT_EADDR, "mapped IPv6 literal refused: %s", r.errmsg);
	http_client_free(c);

	c = client("127.0.0.0/8", 1, 0, NULL);
	fetch(c, url("127.0.0.1", "/ok"), &r);
	is_int(r.error, HTTP_CLIENT_OK, "127.0.0.1 allowed by 127.0.0.0/8: %s", r.errmsg);
	is_int(r.status, 200, "200");
	is_str(r.body, "hello", "body");
	is_str(r.content_type, "text/plain", "content type");
	is_str(r.errmsg, "", "no error message");

	fetch(c, url("localhost", "/ok"), &r);
	is_int(r.error, HTTP_CLIENT_OK, "localhost: ::1 refused, 127.0.0.1 used: %s", r.errmsg);
	is_int(r.status, 200, "200");
	http_client_free(c);

	c = client("127.0.0.1/32", 1, 0, NULL);
	fetch(c, url("127.0.0.1", "/to/127.0.0.2"), &r);
	is_int(r.error, HTTP_CLIENT_EADDR, "redirect to a refused address refused");
	ok(strstr(r.errmsg, "address not allowed: 127.0.0.2") != NULL,
	    "names the hop's address: %s", r.errmsg);
	fetch(c, url("127.0.0.1", "/to6"), &r);
	is_int(r.error, HTTP_CLIENT_EADDR, "redirect to [::1] refused");
	ok(strstr(r.errmsg, "address not allowed: ::1") != NULL, "says so: %s", r.errmsg);
	fetch(c, url("127.0.0.1", "/to/localhost"), &r);
	is_int(r.error, HTTP_CLIENT_OK, "redirect to localhost: ::1 refused, "
	    "127.0.0.1 allowed: %s", r.errmsg);
	http_client_free(c);
}

static void
test_redirects_and_headers(void)
{
	struct http_client	*c = client("127.0.0.1", 1, 0, NULL);
	struct http_client_req	 req;
	struct result		 r;

	fetch(c, url("127.0.0.1", "/redir/3"), &r);
	is_int(r.error, HTTP_CLIENT_OK, "3 redirects followed: %s", r.errmsg);
	is_str(r.body, "hello", "to the end");
	fetch(c, url("127.0.0.1", "/redir/4"), &r);
	is_int(r.error, HTTP_CLIENT_EREDIRECTS, "4 redirects fail");
	ok(strstr(r.errmsg, "more than 3 redirects") != NULL, "says so: %s", r.errmsg);

	memset(&req, 0, sizeof(req));
	req.url = url("127.0.0.1", "/redir/2");
	req.no_redirects = 1;
	fetch_req(c, &req, &r);
	is_int(r.status, 302, "no_redirects hands over the 302");
	is_str(r.location, "/redir/1", "Location as sent");
	is_str(r.redirect_url, url("127.0.0.1", "/redir/1"), "redirect_url absolute");

	fetch(c, url("127.0.0.1", "/retry"), &r);
	is_int(r.error, HTTP_CLIENT_OK, "a 503 is a response");
	is_int(r.status, 503, "503");
	is_str(r.retry_after, "120", "Retry-After");
	fetch(c, url("127.0.0.1", "/created"), &r);
	is_int(r.status, 201, "201");
	is_str(r.location, "/things/1", "Location of a 201");
	is_str(r.redirect_url, "(null)", "no redirect_url");

	fetch(c, url("127.0.0.1", "/ua"), &r);
	ok(strncmp(r.body, "Meent/", 6) == 0, "User-Agent: %s", r.body);

	{
		static const char *const hdrs[] = { "X-Test: 1", NULL };
		static const char *const bad[] = { "X-Test: 1\r\nX-Evil: 2", NULL };

		memset(&req, 0, sizeof(req));
		req.method = "POST";
		req.url = url("127.0.0.1", "/echo");
		req.headers = hdrs;
		req.body = "abc";
		req.body_len = 3;
		fetch_req(c, &req, &r);
		is_str(r.body, "POST abc X-Test=1", "POST with body and header");
		req.headers = bad;
		fetch_req(c, &req, &r);
		is_int(r.error, HTTP_CLIENT_EINVAL, "CR LF in a header refused");
		req.headers = NULL;
		req.method = "GE T";
		fetch_req(c, &req, &r);
		is_int(r.error, HTTP_CLIENT_EINVAL, "bad method refused");
	}
	http_client_free(c);
}

static void
test_limits(void)
{
	struct http_client	*c = client("127.0.0.1", 1, 1000, NULL);
	struct http_client_req	 req;
	struct result		 r;
	struct timespec		 t0, t1;
	double			 secs;

	fetch(c, url("127.0.0.1", "/big"), &r);
	is_int(r.error, HTTP_CLIENT_ETOOBIG, "body over 1 MiB (Content-Length) refused");
	ok(strstr(r.errmsg, "larger than 1048576 bytes") != NULL, "says so: %s", r.errmsg);
	fetch(c, url("127.0.0.1", "/bigchunked"), &r);
	is_int(r.error, HTTP_CLIENT_ETOOBIG, "body over 1 MiB (chunked) refused: %s",
	    r.errmsg);
	memset(&req, 0, sizeof(req));
	req.url = url("127.0.0.1", "/big");
	req.max_response = 3 * 1024 * 1024;
	fetch_req(c, &req, &r);
	is_int(r.error, HTTP_CLIENT_OK, "per-request cap of 3 MiB: %s", r.errmsg);
	is_int(r.body_len, BIG, "whole body");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	fetch(c, url("127.0.0.1", "/slow"), &r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	is_int(r.error, HTTP_CLIENT_ETIMEOUT, "silent server times out: %s", r.errmsg);
	ok(secs > 0.9 && secs < 5, "after about a second (%.2f s)", secs);
	http_client_free(c);
}

static void
test_schemes(void)
{
	struct http_client	*c = client("127.0.0.1", 0, 0, NULL);
	struct result		 r;

	memset(&r, 0, sizeof(r));
	ok(http_client_request(c, &(struct http_client_req){ .url = url("127.0.0.1", "/ok") },
	    on_resp, &r) == 0 && r.done == 0, "callback never runs inside the call");
	wait_for(&r.done, 1);
	is_int(r.error, HTTP_CLIENT_ESCHEME, "plain http refused without the switch");
	ok(strstr(r.errmsg, "allow_insecure_http_for_development") != NULL,
	    "names the switch: %s", r.errmsg);
	fetch(c, "ftp://127.0.0.1/x", &r);
	is_int(r.error, HTTP_CLIENT_ESCHEME, "ftp refused: %s", r.errmsg);
	fetch(c, "not a url", &r);
	is_int(r.error, HTTP_CLIENT_EINVAL, "garbage refused: %s", r.errmsg);
	fetch(c, "https://10.0.0.1/", &r);
	is_int(r.error, HTTP_CLIENT_EADDR, "https to a private literal refused: %s", r.errmsg);
	http_client_free(c);

	c = client("127.0.0.1", 1, 0, NULL);
	fetch(c, "ftp://127.0.0.1/x", &r);
	is_int(r.error, HTTP_CLIENT_ESCHEME, "ftp refused with the switch too");
	http_client_free(c);
}

static void
test_proxy(void)
{
	char			 proxy[64];
	struct http_client	*c;
	struct result		 r;

	snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", port);
	/* The proxy itself is on loopback, with nothing allowed: it is trusted. */
	c = client("", 1, 0, proxy);
	fetch(c, "http://example.invalid/ok", &r);
	is_int(r.error, HTTP_CLIENT_OK, "through the proxy: %s", r.errmsg);
	is_str(r.body, "hello", "body");
	is_str(last_host, "example.invalid", "the proxy saw the target host");
	fetch(c, "http://10.0.0.1/ok", &r);
	is_int(r.error, HTTP_CLIENT_EADDR, "private literal refused before the proxy: %s",
	    r.errmsg);
	fetch(c, "http://example.invalid/to/127.0.0.2", &r);
	is_int(r.error, HTTP_CLIENT_EADDR, "redirect to a private literal refused: %s",
	    r.errmsg);
	ok(strstr(r.errmsg, "address not allowed: 127.0.0.2") != NULL, "names it");
	http_client_free(c);

	{
		struct http_client_config	hc;
		char				err[256];

		http_client_config_init(&hc, NULL);
		hc.proxy = "proxy.internal:3128";
		ok(http_client_new(base, &hc, err, sizeof(err)) == NULL &&
		    strstr(err, "http_proxy") != NULL, "proxy without scheme refused: %s", err);
		hc.proxy = NULL;
		hc.allow_private = "10.0.0.0/33";
		ok(http_client_new(base, &hc, err, sizeof(err)) == NULL &&
		    strstr(err, "10.0.0.0/33") != NULL, "bad allow list refused: %s", err);
	}
}

static void
test_concurrency_and_cancel(void)
{
	struct http_client	*c = client("127.0.0.1", 1, 0, NULL);
	static struct result	 rs[NCONCURRENT];
	struct http_client_req	 req = { .url = url("127.0.0.1", "/ok") };
	struct result		 r;
	int			 start = completed, done = 0, good = 0;

	memset(rs, 0, sizeof(rs));
	for (int i = 0; i < NCONCURRENT; i++)
		if (http_client_request(c, &req, on_resp, &rs[i]) == -1)
			break;
	is_int(http_client_inflight(c), NCONCURRENT, "%d in flight", NCONCURRENT);
	wait_for(&completed, start + NCONCURRENT);
	for (int i = 0; i < NCONCURRENT; i++) {
		done += rs[i].done;
		good += rs[i].done == 1 && rs[i].status == 200;
	}
	is_int(done, NCONCURRENT, "all completed, each once");
	is_int(good, NCONCURRENT, "all 200");
	is_int(http_client_inflight(c), 0, "none left");

	memset(&r, 0, sizeof(r));
	http_client_request(c, &(struct http_client_req){ .url = url("127.0.0.1", "/slow") },
	    on_resp, &r);
	/* Let it connect and send, so that it is truly in flight. */
	for (int i = 0; i < 20; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
	http_client_free(c);
	is_int(r.done, 1, "freeing the client runs the callback");
	is_int(r.error, HTTP_CLIENT_ECANCELLED, "as cancelled: %s", r.errmsg);
}

int
main(void)
{
	struct evhttp			*http;
	struct evhttp_bound_socket	*bound;
	struct sockaddr_in		 sin;
	socklen_t			 len = sizeof(sin);

	base = event_base_new();
	http = evhttp_new(base);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD);
	evhttp_set_gencb(http, serve, NULL);
	bound = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	if (bound == NULL ||
	    getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&sin, &len) == -1) {
		printf("Bail out! cannot listen on 127.0.0.1\n");
		return 1;
	}
	port = ntohs(sin.sin_port);

	test_address_policy();
	test_redirects_and_headers();
	test_limits();
	test_schemes();
	test_proxy();
	test_concurrency_and_cancel();

	evhttp_free(http);
	event_base_free(base);
	return done_testing();
}
