"""The job queue and its worker threads: deliver jobs against a local HTTP
sink that records every request and answers what each test plans
(statuses, Retry-After, delays). Retries and back-off, permanent errors,
Retry-After, the retry window, the circuit breaker, NOTIFY waking an idle
worker, job_workers = 0, two nodes on one database, kill -9 in the middle
of a fan-out, SIGTERM giving jobs back, /metrics and meentctl jobs."""

import http.server
import json
import os
import signal
import threading
import time

import requests

from harness import Cluster, Meentd, ctl, ctl_json, main


class Sink:
    """A tiny HTTP server on 127.0.0.1: records each request (path, Host,
    headers, body, monotonic time) and answers per path from a plan: a
    list of (status, headers, delay) consumed in order, then a default."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.plans = {}
        self.defaults = {}
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                path = self.path
                with sink.lock:
                    sink.requests.append({"path": path, "host": self.headers.get("Host"),
                                          "headers": dict(self.headers), "body": body,
                                          "t": time.monotonic()})
                    plan = sink.plans.get(path)
                    if plan:
                        status, headers, delay = plan.pop(0)
                    else:
                        status, headers, delay = sink.default_for(path)
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the client went away (kill -9): fine

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def default_for(self, path):
        best = ""
        for prefix in self.defaults:
            if path.startswith(prefix) and len(prefix) > len(best):
                best = prefix
        return self.defaults.get(best, (202, {}, 0))

    def plan(self, path, *answers):
        with self.lock:
            self.plans[path] = list(answers)

    def default(self, prefix, status=202, headers=None, delay=0):
        with self.lock:
            self.defaults[prefix] = (status, headers or {}, delay)

    def url(self, path, host="127.0.0.1"):
        return "http://%s:%d%s" % (host, self.port, path)

    def hits(self, path=None, prefix=None):
        with self.lock:
            return [r for r in self.requests
                    if (path is None or r["path"] == path)
                    and (prefix is None or r["path"].startswith(prefix))]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def enqueue(pg, url, headers=None, body='{"type":"Create"}', created="now()"):
    """Queues a deliver job the way any producer would: an INSERT (the
    trigger sends the NOTIFY). Returns its id."""
    rows = pg.psql("INSERT INTO jobs (kind, queue, payload, created_at)"
                   " VALUES ('deliver', 'deliver', jsonb_build_object('url', :'p1'::text,"
                   " 'body', :'p2'::text, 'headers', :'p3'::jsonb), " + created + ")"
                   " RETURNING id", url, body, json.dumps(headers or []))
    return rows[0][0]


def job(pg, jid):
    rows = pg.psql("SELECT state, attempts, coalesce(last_error, ''), coalesce(locked_by, '')"
                   " FROM jobs WHERE id = :'p1'", jid)
    return rows[0] if rows else None


def wait_for(pred, timeout=15, step=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()


def running(pg, path):
    return int(pg.psql("SELECT count(*) FROM jobs WHERE state = 'running'"
                       " AND payload->>'url' LIKE '%' || :'p1' || '%'", path)[0][0])


def wait_state(pg, jid, states, timeout=15):
    return wait_for(lambda: job(pg, jid)[0] in states, timeout)


def metric(text, name):
    """The value of the sample name (with its labels) in /metrics text."""
    for line in text.splitlines():
        key, _, value = line.rpartition(" ")
        if not line.startswith("#") and key == name:
            return float(value)
    return None


def config(pg, sink, **keys):
    values = dict(http_threads=2, job_poll_interval=1, job_retry_base=1, job_lease_timeout=5,
                  allow_private_addresses="127.0.0.0/8",
                  allow_insecure_http_for_development="yes",
                  resolve_override="bad.test:%d:127.0.0.1,good.test:%d:127.0.0.1" % (
                      sink.port, sink.port))
    values.update(keys)
    return pg.config("a.test", **values)


def test_deliver(t, pg, sink):
    hid = enqueue(pg, sink.url("/basic"), headers=["X-Test: yes"], body='{"id":"x"}')
    t.ok(wait_state(pg, hid, ("done",)), "a deliver job is done")
    hits = sink.hits("/basic")
    t.is_(len(hits), 1, "delivered exactly once")
    if hits:
        t.is_(hits[0]["body"], b'{"id":"x"}', "the body is sent byte for byte")
        t.is_(hits[0]["headers"].get("X-Test"), "yes", "with the payload's headers")
        t.is_(hits[0]["headers"].get("Content-Type"), "application/activity+json",
              "and Content-Type application/activity+json by default")
    t.is_(job(pg, hid)[:3], ["done", "1", ""], "one attempt, no error")


def test_retry(t, pg, sink):
    sink.plan("/flaky", (500, {}, 0))
    jid = enqueue(pg, sink.url("/flaky"))
    t.ok(wait_for(lambda: job(pg, jid)[2] != "", 10), "a 500 is recorded as the job's error")
    st = job(pg, jid)
    t.is_(st[0] in ("queued", "done"), True, "and the job goes back to the queue, not dead")
    t.like(st[2], "HTTP 500", "last_error names the status")
    t.ok(wait_state(pg, jid, ("done",)), "the retry succeeds")
    hits = sink.hits("/flaky")
    t.is_(len(hits), 2, "two requests: the failure and the retry")
    if len(hits) == 2:
        gap = hits[1]["t"] - hits[0]["t"]
        t.ok(gap >= 0.7, "the retry waited its back-off (job_retry_base 1 s +-25%%): %.2fs" % gap)
    t.is_(job(pg, jid)[:3], ["done", "2", ""], "two attempts, error cleared")

    for status in (401, 408):
        sink.plan("/retry-%d" % status, (status, {}, 0))
        jid = enqueue(pg, sink.url("/retry-%d" % status))
        t.ok(wait_state(pg, jid, ("done",)), "%d is retried, then delivered" % status)
        t.is_(len(sink.hits("/retry-%d" % status)), 2, "%d: two requests" % status)

    # A connection refused (nothing listens on the port) is retried too.
    jid = enqueue(pg, "http://127.0.0.1:1/refused")
    t.ok(wait_for(lambda: job(pg, jid)[2] != "", 10), "connection refused: recorded")
    t.is_(job(pg, jid)[0] in ("queued", "running"), True, "and retried, not dead")
    pg.psql("DELETE FROM jobs WHERE id = :'p1'", jid)


def test_permanent(t, pg, sink):
    for status in (404, 410, 400):
        sink.plan("/gone-%d" % status, (status, {}, 0))
        jid = enqueue(pg, sink.url("/gone-%d" % status))
        t.ok(wait_state(pg, jid, ("dead",)), "%d: dead" % status)
        time.sleep(0.3)
        t.is_(len(sink.hits("/gone-%d" % status)), 1, "%d: tried once, never again" % status)
        t.like(job(pg, jid)[2], "HTTP %d" % status, "%d: the error says why" % status)
    jid = pg.psql("INSERT INTO jobs (kind, queue, payload) VALUES ('deliver', 'deliver',"
                  " '{\"body\": \"x\"}') RETURNING id")[0][0]
    t.ok(wait_state(pg, jid, ("dead",)), "a payload without url: dead")
    t.like(job(pg, jid)[2], "no url", "saying so")
    pg.psql("DELETE FROM jobs WHERE id = :'p1'", jid)


def test_retry_after(t, pg, sink):
    sink.plan("/slowdown", (429, {"Retry-After": "3"}, 0))
    jid = enqueue(pg, sink.url("/slowdown"))
    t.ok(wait_state(pg, jid, ("done",), timeout=15), "429 is retried")
    hits = sink.hits("/slowdown")
    t.is_(len(hits), 2, "429: two requests")
    if len(hits) == 2:
        gap = hits[1]["t"] - hits[0]["t"]
        t.ok(gap >= 2.9, "Retry-After: 3 honoured over the 1 s back-off: %.2fs" % gap)
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 3))
    sink.plan("/unavail", (503, {"Retry-After": date}, 0))
    jid = enqueue(pg, sink.url("/unavail"))
    t.ok(wait_state(pg, jid, ("done",), timeout=15), "503 with an HTTP-date Retry-After")
    hits = sink.hits("/unavail")
    if len(hits) == 2:
        gap = hits[1]["t"] - hits[0]["t"]
        t.ok(gap >= 1.9, "the date is honoured too: %.2fs" % gap)
    else:
        t.ok(False, "503: two requests, got %d" % len(hits))


def test_window(t, pg, sink):
    # Created two days ago: its first failure is past the retry window.
    sink.plan("/old", (500, {}, 0))
    jid = enqueue(pg, sink.url("/old"), created="now() - interval '48 hours 1 minute'")
    t.ok(wait_state(pg, jid, ("dead",)), "a failure at the end of the retry window: dead")
    t.like(job(pg, jid)[2], "gave up after 1 attempts", "the error says it gave up")
    # meentctl jobs retry gives it a fresh window.
    r = ctl(pg.main_conf, "jobs", "retry", jid)
    t.is_(r.returncode, 0, "jobs retry ID: exit 0")
    t.ok(wait_state(pg, jid, ("done",)), "the retried job is delivered")
    t.is_(job(pg, jid)[1], "1", "attempts start again from 0")


def test_breaker(t, pg, sink, d):
    sink.default("/breaker", 503)
    # Failing for eight days already (as if): the next failure marks it.
    pg.psql("INSERT INTO delivery_domains (domain, failures, failing_since, last_failure_at)"
            " VALUES ('bad.test', 40, now() - interval '8 days', now() - interval '1 minute')")
    jid = enqueue(pg, sink.url("/breaker/1", host="bad.test"))
    t.ok(wait_for(lambda: sink.hits("/breaker/1")), "a delivery to the failing domain is tried")
    marked = wait_for(lambda: pg.psql("SELECT unavailable_at IS NOT NULL FROM delivery_domains"
                                      " WHERE domain = 'bad.test'") == [["t"]], 10)
    t.ok(marked, "after days of failures the domain is marked unavailable")
    t.is_(sink.hits("/breaker/1")[0]["host"], "bad.test:%d" % sink.port, "(it was bad.test)")
    t.like(d.log_text(), "event=domain_unavailable domain=bad.test", "and that is logged")
    t.is_(metric(d.get("/metrics").text, "meent_domains_unavailable"), 1.0,
          "/metrics counts it")
    n = len(sink.hits(prefix="/breaker/"))
    jid2 = enqueue(pg, sink.url("/breaker/2", host="bad.test"))
    t.ok(wait_for(lambda: "unavailable" in job(pg, jid2)[2], 10),
         "a new delivery to it is postponed: %s" % job(pg, jid2)[2])
    time.sleep(1.5)
    t.is_(len(sink.hits(prefix="/breaker/")), n, "without a request to the domain")
    t.is_(job(pg, jid2)[0], "queued", "the postponed job stays queued, not dead")
    out = ctl_json(pg.main_conf, "jobs", "stats")
    t.is_([x["domain"] for x in out["failing_domains"] if x["unavailable_at"]], ["bad.test"],
          "jobs stats lists the unavailable domain")
    # Other domains are not affected.
    gid = enqueue(pg, sink.url("/good", host="good.test"))
    t.ok(wait_state(pg, gid, ("done",)), "deliveries to other domains go on")

    # The hourly probe: once it is due, one delivery goes through; its
    # success clears the domain, and the postponed jobs go out.
    sink.default("/breaker", 202)
    pg.psql("UPDATE delivery_domains SET last_failure_at = now() - interval '2 hours'"
            " WHERE domain = 'bad.test'")
    pg.psql("UPDATE jobs SET run_at = now() WHERE id IN (:'p1', :'p2') AND state = 'queued'",
            jid, jid2)
    t.ok(wait_for(lambda: pg.psql("SELECT unavailable_at IS NULL FROM delivery_domains"
                                  " WHERE domain = 'bad.test'") == [["t"]], 10),
         "the probe goes through and succeeds")
    # The job that lost the probe was postponed once more: run it now.
    pg.psql("UPDATE jobs SET run_at = now() WHERE id IN (:'p1', :'p2') AND state = 'queued'",
            jid, jid2)
    t.ok(wait_state(pg, jid2, ("done",)) and wait_state(pg, jid, ("done",)),
         "and the postponed deliveries are done")
    t.is_(pg.psql("SELECT unavailable_at IS NULL, failing_since IS NULL, failures"
                  " FROM delivery_domains WHERE domain = 'bad.test'"), [["t", "t", "0"]],
          "the first success clears the domain")
    t.like(d.log_text(), "event=domain_available domain=bad.test by=delivery", "logged")
    t.is_(metric(d.get("/metrics").text, "meent_domains_unavailable"), 0.0,
          "/metrics: none unavailable")


def test_metrics(t, d):
    text = d.get("/metrics").text
    done = metric(text, 'meent_jobs_processed_total{kind="deliver"}')
    t.ok(done is not None and done >= 10, "processed_total by kind: %s" % done)
    t.ok((metric(text, 'meent_jobs_retried_total{kind="deliver"}') or 0) >= 5,
         "retried_total by kind")
    t.ok((metric(text, 'meent_jobs_failed_total{kind="deliver"}') or 0) >= 4,
         "failed_total (dead) by kind")
    t.is_(metric(text, "meent_job_workers"), 2.0, "job threads")
    t.ok(metric(text, "meent_jobs_in_flight") is not None, "jobs in flight")
    t.like(text, 'meent_jobs{queue="deliver",state="dead"}', "queue depth by queue and state")


def test_ctl(t, pg, sink):
    conf = pg.main_conf
    st = ctl_json(conf, "jobs", "stats")
    row = [q for q in st["queues"] if q["kind"] == "deliver" and q["queue"] == "deliver"]
    t.ok(row and row[0]["done"] >= 10 and row[0]["dead"] >= 3,
         "jobs stats --json: done and dead counts: %s" % row)
    text = ctl(conf, "jobs", "stats")
    t.like(text.stdout, "RETRYING", "jobs stats prints a table")
    dead = ctl_json(conf, "jobs", "list", "--state", "dead", "--kind", "deliver")
    t.ok(len(dead) >= 3 and all(j["state"] == "dead" for j in dead),
         "jobs list --state dead --json: %d dead jobs" % len(dead))
    t.ok(all(j["last_error"] for j in dead), "each with its last error")
    gone = [j for j in dead if j["payload"] and "/gone-404" in j["payload"].get("url", "")]
    t.is_(len(gone), 1, "the payload is included")
    t.is_(len(ctl_json(conf, "jobs", "list", "--limit", "2")), 2, "--limit")
    r = ctl(conf, "jobs", "list", "--state", "sleeping")
    t.is_(r.returncode, 2, "a bad --state is a usage error")
    r = ctl(conf, "jobs", "retry", "123")
    t.is_(r.returncode, 1, "retry of an unknown job: exit 1")
    t.like(r.stderr, "no job 123", "saying so")
    r = ctl(conf, "jobs", "retry", "soon")
    t.is_(r.returncode, 2, "retry of a non-number: usage error")
    # Every dead deliver job again: the sink now answers 202 everywhere.
    sink.plans.clear()
    sink.default("/", 202)
    n_dead = int(pg.psql("SELECT count(*) FROM jobs WHERE state = 'dead'")[0][0])
    out = ctl_json(conf, "jobs", "retry", "all-dead", "--kind", "deliver")
    t.is_(out["requeued"], n_dead, "retry all-dead requeues every dead job")
    t.ok(wait_for(lambda: pg.psql("SELECT count(*) FROM jobs WHERE state NOT IN ('done')")
                  == [["0"]], 20), "and they are all delivered now")
    n_done = int(pg.psql("SELECT count(*) FROM jobs WHERE state = 'done'")[0][0])
    out = ctl_json(conf, "jobs", "purge", "--older-than", "1", "--state", "done")
    t.is_(out["deleted"], 0, "purge --older-than 1: nothing that young")
    out = ctl_json(conf, "jobs", "purge", "--older-than", "0", "--state", "done")
    t.is_(out["deleted"], n_done, "purge --older-than 0 --state done deletes them all")
    r = ctl(conf, "jobs", "purge", "--state", "queued")
    t.is_(r.returncode, 2, "purging queued jobs is refused")


def test_notify(t, pg, sink):
    # With a 60 s poll, only NOTIFY can explain a delivery within a second.
    conf = config(pg, sink, job_poll_interval=60)
    with Meentd(conf) as d:
        time.sleep(1.5)
        start = time.monotonic()
        enqueue(pg, sink.url("/notify"))
        hit = wait_for(lambda: sink.hits("/notify"), 5, step=0.01)
        took = hit[0]["t"] - start if hit else 99
        t.ok(took < 1.0, "an idle worker is woken by NOTIFY: delivered in %.3fs" % took)
        # Schema 0007 names a job in the NOTIFY and only the thread it falls
        # to (id modulo the threads) claims: jobs of either parity run.
        parities, late = set(), []
        for i in range(6):
            path = "/notify/%d" % i
            start = time.monotonic()
            parities.add(int(enqueue(pg, sink.url(path))) % 2)
            hit = wait_for(lambda: sink.hits(path), 5, step=0.01)
            if not hit or hit[0]["t"] - start >= 1.0:
                late.append(path)
        t.is_(late, [], "six jobs one after another, each woken by NOTIFY (parities %s)"
              % sorted(parities))
        t.is_(d.stop(), 0, "clean exit")
    # A thread with no free slot hands the wake-up on: with one slot per
    # thread and both busy with slow deliveries, a third job still runs as
    # soon as one of them is done, not at the next poll a minute later.
    conf = config(pg, sink, job_poll_interval=60, job_concurrency=1)
    sink.plan("/busy/0", (202, {}, 2))
    sink.plan("/busy/1", (202, {}, 2))
    with Meentd(conf) as d:
        time.sleep(1.5)
        enqueue(pg, sink.url("/busy/0"))
        enqueue(pg, sink.url("/busy/1"))
        wait_for(lambda: len(sink.hits("/busy/0")) + len(sink.hits("/busy/1")) == 2, 5,
                 step=0.01)
        start = time.monotonic()
        enqueue(pg, sink.url("/busy/2"))
        hit = wait_for(lambda: sink.hits("/busy/2"), 10, step=0.01)
        took = hit[0]["t"] - start if hit else 99
        t.ok(took < 5.0, "both threads full: the third job runs when a slot frees, "
             "without waiting for the poll (%.1fs)" % took)
        t.is_(d.stop(), 0, "clean exit")


def test_notify_busy(t, pg, sink):
    # Schema 0008: an insert notifies only when no job was ready before it.
    def notified(sql):
        return sum(1 for r in pg.psql("LISTEN meent_jobs;" + sql)
                   if r[0].startswith("Asynchronous notification"))

    one = ("INSERT INTO jobs (kind, queue, payload) VALUES ('deliver', 'deliver', "
           "'{\"url\": \"x:busy\"}');")
    t.is_(notified(one + one + one), 1, "three inserts into an empty queue: one NOTIFY")
    pg.psql("UPDATE jobs SET run_at = now() + interval '1 hour' WHERE payload->>'url' = 'x:busy'")
    t.is_(notified(one), 1, "jobs waiting for later do not count: a NOTIFY")
    pg.psql("DELETE FROM jobs WHERE payload->>'url' = 'x:busy'")
    # Workers that are told only about the first of a burst still run all
    # of it at once, without the poll (a minute here).
    conf = config(pg, sink, job_poll_interval=60)
    with Meentd(conf) as d:
        time.sleep(1.5)
        start = time.monotonic()
        pg.psql(";".join("INSERT INTO jobs (kind, queue, payload) VALUES ('deliver', 'deliver', "
                         "jsonb_build_object('url', '%s'::text, 'body', '{}'))"
                         % sink.url("/burst/%d" % i) for i in range(12)))
        done = wait_for(lambda: all(sink.hits("/burst/%d" % i) for i in range(12)), 10,
                        step=0.01)
        t.ok(done and time.monotonic() - start < 5,
             "a burst of twelve inserts, one NOTIFY: all delivered in %.2fs"
             % (time.monotonic() - start))
        t.is_(d.stop(), 0, "clean exit")


def test_no_workers(t, pg, sink):
    conf = config(pg, sink, job_workers=0)
    with Meentd(conf) as d:
        jid = enqueue(pg, sink.url("/idle"))
        time.sleep(2.5)
        t.is_(sink.hits("/idle"), [], "job_workers = 0: nothing is delivered")
        t.is_(job(pg, jid)[:2], ["queued", "0"], "the job waits, unclaimed")
        t.is_(metric(d.get("/metrics").text, "meent_job_workers"), 0.0,
              "/metrics says 0 job threads")
        t.is_(d.stop(), 0, "clean exit")
    with Meentd(config(pg, sink)) as d:
        t.ok(wait_state(pg, jid, ("done",)), "a node with workers delivers it later")
        d.stop()


def test_two_nodes(t, pg, sink):
    sink.default("/many/", 202, delay=0.05)
    confs = [config(pg, sink, job_concurrency=8) for _ in range(2)]
    nodes = [Meentd(c) for c in confs]
    for d in nodes:
        d.start()
    pg.psql("INSERT INTO jobs (kind, queue, payload) SELECT 'deliver', 'deliver',"
            " jsonb_build_object('url', :'p1'::text || g, 'body', '{}')"
            " FROM generate_series(1, 200) g", sink.url("/many/"))
    ok = wait_for(lambda: pg.psql("SELECT count(*) FROM jobs WHERE payload->>'url' LIKE"
                                  " '%/many/%' AND state = 'done'") == [["200"]], 60)
    t.ok(ok, "two nodes on one database: all 200 jobs done")
    time.sleep(0.5)
    paths = [h["path"] for h in sink.hits(prefix="/many/")]
    t.is_(len(paths), 200, "200 requests in all")
    t.is_(len(set(paths)), 200, "each job delivered exactly once")
    counts = [metric(d.get("/metrics").text, 'meent_jobs_processed_total{kind="deliver"}')
              for d in nodes]
    t.ok(all(c and c > 0 for c in counts) and sum(counts) == 200,
         "both nodes did part of the work: %s" % counts)
    for d in nodes:
        t.is_(d.stop(), 0, "clean exit")


def test_kill9(t, pg, sink):
    sink.default("/crash/", 202, delay=2)
    conf = config(pg, sink)
    d = Meentd(conf)
    d.start()
    pg.psql("INSERT INTO jobs (kind, queue, payload) SELECT 'deliver', 'deliver',"
            " jsonb_build_object('url', :'p1'::text || g, 'body', '{}')"
            " FROM generate_series(1, 40) g", sink.url("/crash/"))
    # (Over plain http the client opens more connections to one host only
    # after the first answer, CURLOPT_PIPEWAIT: not all 40 reach the sink.)
    t.ok(wait_for(lambda: running(pg, "/crash/") == 40 and sink.hits(prefix="/crash/"), 10),
         "a fan-out of 40 is in flight")
    d.proc.send_signal(signal.SIGKILL)
    d.proc.wait()
    n = running(pg, "/crash/")
    t.ok(n >= 30, "meentd killed (kill -9) with %d of the jobs running" % n)
    sink.default("/crash/", 202)
    start = time.time()
    d2 = Meentd(conf)
    d2.start()
    ok = wait_for(lambda: pg.psql("SELECT count(*) FROM jobs WHERE payload->>'url' LIKE"
                                  " '%/crash/%' AND state = 'done'") == [["40"]], 30)
    t.ok(ok, "after a restart every delivery completes (%.1fs, lease 5 s)" % (time.time() - start))
    paths = set(h["path"] for h in sink.hits(prefix="/crash/"))
    t.is_(len(paths), 40, "every path was delivered")
    t.like(d2.log_text(), "event=job_recovered", "the expired leases were recovered")
    t.is_(d2.stop(), 0, "clean exit")


def test_sigterm(t, pg, sink):
    sink.default("/stuck/", 202, delay=8)
    conf = config(pg, sink, shutdown_timeout=1)
    d = Meentd(conf)
    d.start()
    pg.psql("INSERT INTO jobs (kind, queue, payload) SELECT 'deliver', 'deliver',"
            " jsonb_build_object('url', :'p1'::text || g, 'body', '{}')"
            " FROM generate_series(1, 5) g", sink.url("/stuck/"))
    t.ok(wait_for(lambda: running(pg, "/stuck/") == 5 and sink.hits(prefix="/stuck/"), 10),
         "5 slow deliveries in flight")
    start = time.time()
    code = d.stop(signal.SIGTERM, timeout=20)
    took = time.time() - start
    t.is_(code, 0, "SIGTERM with jobs in flight: exit 0")
    t.ok(took < 4, "after shutdown_timeout (1 s), not after the 8 s answers: %.2fs" % took)
    rows = pg.psql("SELECT state, attempts, locked_by IS NULL FROM jobs"
                   " WHERE payload->>'url' LIKE '%/stuck/%'")
    t.is_(rows, [["queued", "0", "t"]] * 5,
          "the interrupted jobs are back in the queue, the attempt not counted")
    t.like(d.log_text(), "event=job_released", "and that is logged")
    pg.psql("DELETE FROM jobs WHERE payload->>'url' LIKE '%/stuck/%'")


def test(t):
    sink = Sink()
    try:
        with Cluster() as pg:
            pg.main_conf = config(pg, sink)
            with Meentd(pg.main_conf) as d:
                test_deliver(t, pg, sink)
                test_retry(t, pg, sink)
                test_permanent(t, pg, sink)
                test_retry_after(t, pg, sink)
                test_window(t, pg, sink)
                test_breaker(t, pg, sink, d)
                test_metrics(t, d)
                test_ctl(t, pg, sink)
                t.is_(d.stop(), 0, "SIGTERM: clean exit")
            test_notify(t, pg, sink)
            test_notify_busy(t, pg, sink)
            test_no_workers(t, pg, sink)
            test_two_nodes(t, pg, sink)
            test_kill9(t, pg, sink)
            test_sigterm(t, pg, sink)
    finally:
        sink.close()


main(test)
