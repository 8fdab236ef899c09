"""HTTP basics of meentd: JSON errors, 404/405, HEAD, CORS, body and
header limits, request ids and the access log, /healthz, /readyz and
/metrics, listening on a unix socket."""

import os
import re
import socket
import time

from harness import Cluster, Meentd, main, schema_version


def raw_request(addr, data, timeout=5):
    """Sends raw bytes to addr ((host, port) or a unix path); returns the
    whole reply."""
    if isinstance(addr, str):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(addr)
    s.sendall(data)
    out = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except socket.timeout:
        pass
    s.close()
    return out


def test(t):
    with Cluster() as pg:
        conf = pg.config("a.test", max_body_size="2k", max_upload_size="64k",
                         request_timeout="2")
        with Meentd(conf) as d:
            r = d.get("/healthz")
            t.is_(r.status_code, 200, "healthz answers 200")
            t.is_(r.json(), {"status": "ok"}, "healthz body")
            t.like(r.headers.get("Content-Type", ""), "application/json", "JSON content type")
            rid = r.headers.get("X-Request-Id", "")
            t.ok(re.fullmatch(r"[0-9a-f]{16}", rid), "X-Request-Id is 16 hex digits")
            t.is_(r.headers.get("X-Content-Type-Options"), "nosniff", "nosniff")

            r = d.get("/readyz")
            t.is_(r.status_code, 200, "readyz 200 with a migrated database")
            t.is_(r.json().get("schema_version"), schema_version(), "readyz reports the schema version")

            r = d.get("/no/such/thing")
            t.is_(r.status_code, 404, "unknown path 404")
            t.is_(r.json(), {"error": "Record not found"}, "404 is a Mastodon-style JSON error")

            r = d.request("DELETE", "/healthz")
            t.is_(r.status_code, 405, "wrong method 405")
            t.ok("error" in r.json(), "405 has a JSON error")
            t.like(r.headers.get("Allow", ""), "GET", "405 lists the allowed methods")

            r = d.request("HEAD", "/healthz")
            t.is_(r.status_code, 200, "HEAD served by the GET route")
            t.is_(r.content, b"", "HEAD has no body")
            t.is_(r.headers.get("Content-Length"), "15", "HEAD has GET's length")

            r = d.get("/api/v1/nonexistent", headers={"Origin": "https://elk.zone"})
            t.is_(r.status_code, 404, "unknown API path 404")
            t.is_(r.headers.get("Access-Control-Allow-Origin"), "*",
                  "API errors carry CORS headers so browser clients can read them")
            r = d.get("/healthz")
            t.ok("Access-Control-Allow-Origin" not in r.headers, "no CORS on non-API routes")
            r = d.request("OPTIONS", "/healthz")
            t.is_(r.status_code, 204, "OPTIONS on a known path")
            t.like(r.headers.get("Allow", ""), "OPTIONS", "OPTIONS lists methods")

            r = d.get("/%zz")
            t.is_(r.status_code, 404, "bad percent-encoding is not a crash")
            r = d.get("/readyz?=x")
            t.is_(r.status_code, 400, "malformed query string 400")
            t.ok("error" in r.json(), "with a JSON error")
            r = d.get("/" + "a" * 3000)
            t.ok(r.status_code in (400, 404, 414), "over-long path refused (%d)" % r.status_code)

            # The transport cap (max_upload_size) applies before routing.
            r = d.request("POST", "/healthz", data=b"x" * 70000)
            t.is_(r.status_code, 413, "body over max_upload_size: 413")
            r = d.get("/healthz")
            t.is_(r.status_code, 200, "server fine after an oversized body")

            big = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n"
            reply = raw_request(("127.0.0.1", int(d.listen.split(":")[1])), big)
            t.ok(reply == b"" or reply.startswith(b"HTTP/1.1 4"),
                 "over-large headers refused, not served")

            # request_timeout = 2: a client that stops mid-request is cut off.
            s = socket.create_connection(("127.0.0.1", int(d.listen.split(":")[1])))
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            s.settimeout(6)
            start = time.time()
            try:
                data = s.recv(1024)
            except socket.timeout:
                data = None
            t.ok(data is not None and time.time() - start < 5,
                 "a stalled request is closed after request_timeout")
            s.close()

            r = d.get("/healthz")
            rid = r.headers["X-Request-Id"]
            r = d.get("/metrics")
            t.is_(r.status_code, 200, "metrics 200")
            t.like(r.headers.get("Content-Type", ""), "text/plain", "Prometheus text format")
            body = r.text
            t.ok(re.search(r'meent_http_requests_total\{route="/healthz",status="200"\} \d+', body),
                 "requests by route and status")
            t.ok(re.search(r'meent_http_requests_total\{route="unmatched",status="404"\} \d+', body),
                 "unmatched paths counted apart")
            t.like(body, 'meent_http_request_duration_seconds_bucket{route="/healthz",le="+Inf"}',
                   "latency histogram")
            t.like(body, 'meent_db_connections{state="up"}', "database pool gauge")
            t.like(body, "# TYPE meent_jobs gauge", "job queue depth")

            pg.psql("INSERT INTO jobs (kind, queue) VALUES ('test', 'default'), ('test', 'default')")
            body = d.get("/metrics").text
            t.like(body, 'meent_jobs{queue="default",state="queued"} 2', "queued jobs counted")

            log = d.log_text()
            t.ok(re.search(r"event=request id=%s method=GET path=/healthz route=/healthz "
                           r"status=200 ms=[0-9.]+ " % rid, log),
                 "access log line with request id, status and latency")

        # Listening on a unix socket, for a reverse proxy.
        sock = os.path.join(pg.dir, "meentd.sock")
        conf = pg.config("a.test", listen="unix:" + sock)
        d = Meentd(conf, wait=False)
        d.start()
        deadline = time.time() + 15
        reply = b""
        while time.time() < deadline:
            try:
                reply = raw_request(sock, b"GET /readyz HTTP/1.0\r\nHost: a.test\r\n\r\n")
                if reply:
                    break
            except OSError:
                time.sleep(0.05)
        t.ok(reply.startswith(b"HTTP/1.0 200") or reply.startswith(b"HTTP/1.1 200"),
             "serves over a unix socket")
        t.like(reply.decode(errors="replace"), '"schema_version":%d' % schema_version(),
               "readyz over the socket")
        t.is_(oct(os.stat(sock).st_mode & 0o777), "0o660", "socket mode 0660")
        t.is_(d.stop(), 0, "clean exit")
        t.ok(not os.path.exists(sock), "socket removed on exit")


main(test)
