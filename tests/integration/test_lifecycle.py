"""meentd's life cycle: broken configuration, old schema, concurrent
migrations, a slow request beside fast ones, PostgreSQL stopping and
coming back under load, SIGTERM under load, SIGHUP reopening the log."""

import os
import signal
import socket
import subprocess
import threading
import time

import requests

from harness import Cluster, Meentd, binary, ctl, main, schema_version


class Load:
    """Background threads requesting paths until stopped; records every
    status code and every connection failure."""

    def __init__(self, url, paths, threads=4):
        self.url = url
        self.paths = paths
        self.stop_flag = threading.Event()
        self.statuses = []
        self.errors = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(threads)]

    def run(self, i):
        s = requests.Session()
        n = 0
        while not self.stop_flag.is_set():
            path = self.paths[(i + n) % len(self.paths)]
            n += 1
            try:
                r = s.get(self.url + path, timeout=10)
                with self.lock:
                    self.statuses.append(r.status_code)
                    if r.status_code >= 500:
                        body = r.json()  # must be JSON, not a crash page
                        assert "error" in body
            except (requests.RequestException, ValueError, AssertionError) as e:
                with self.lock:
                    self.errors.append(repr(e))
                time.sleep(0.01)

    def __enter__(self):
        for th in self.threads:
            th.start()
        return self

    def __exit__(self, *exc):
        self.stop_flag.set()
        for th in self.threads:
            th.join()


def test_config(t, pg):
    bad = os.path.join(pg.dir, "bad.conf")
    with open(bad, "w") as f:
        f.write("domain = a.test\ndatabase = x\n# fine\nhttp_threds = 4\n")
    r = subprocess.run([binary("meentd"), "--config", bad], capture_output=True, text=True)
    t.is_(r.returncode, 1, "unknown key: meentd refuses to start")
    t.like(r.stderr, "bad.conf:4: unknown key 'http_threds'", "names the file, line and key")
    r = subprocess.run([binary("meentd"), "--config", bad, "--check-config"],
                       capture_output=True, text=True)
    t.is_(r.returncode, 1, "--check-config fails on it too")
    with open(bad, "w") as f:
        f.write("domain = a.test\ndatabase = x\nrequest_timeout = soon\n")
    r = subprocess.run([binary("meentd"), "--config", bad, "--check-config"],
                       capture_output=True, text=True)
    t.like(r.stderr, "bad.conf:3: key 'request_timeout': expected seconds from 1 to 3600, got 'soon'",
           "a bad value says what was expected")
    with open(bad, "w") as f:
        f.write("database = x\n")
    r = subprocess.run([binary("meentd"), "--config", bad, "--check-config"],
                       capture_output=True, text=True)
    t.like(r.stderr, "missing required key 'domain'", "a missing required key is named")
    good = pg.config("a.test")
    r = subprocess.run([binary("meentd"), "--config", good, "--check-config"],
                       capture_output=True, text=True)
    t.is_(r.returncode, 0, "--check-config accepts a good file")
    env = dict(os.environ, MEENT_HTTP_THREADS="lots")
    r = subprocess.run([binary("meentd"), "--config", good, "--check-config"],
                       capture_output=True, text=True, env=env)
    t.like(r.stderr, "environment MEENT_HTTP_THREADS", "bad environment override is named")


def test_schema(t):
    with Cluster(migrate=False) as pg:
        conf = pg.config("a.test")
        r = subprocess.run([binary("meentd"), "--config", conf], capture_output=True,
                           text=True, timeout=60)
        t.is_(r.returncode, 1, "meentd refuses an unmigrated database")
        t.like(r.stderr, "meentctl", "and says to run meentctl db migrate")
        r = ctl(conf, "db", "status")
        t.is_(r.returncode, 1, "db status exits 1 with pending migrations")
        t.like(r.stdout, "pending  0001_init.sql", "db status lists the pending ones")
        n = schema_version()

        # Two nodes migrating at once: the advisory lock serialises them.
        procs = [subprocess.Popen([binary("meentctl"), "--config", conf, "db", "migrate"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
        outs = [p.communicate(timeout=120) for p in procs]
        t.is_([p.returncode for p in procs], [0, 0, 0],
              "three concurrent migrations all succeed: %s" % [o[1] for o in outs])
        applied = sorted(o[0].split()[1] for o in outs)
        t.is_(applied, ["0", "0", str(n)], "exactly one of them applied the migrations")
        t.is_(pg.psql("SELECT count(*), max(version) FROM schema_migrations"), [[str(n), str(n)]],
              "each migration recorded once")
        r = ctl(conf, "db", "status")
        t.is_(r.returncode, 0, "db status exits 0 when current")
        r = ctl(conf, "db", "migrate")
        t.like(r.stdout, "applied 0 migrations", "migrating twice is a no-op")
        t.is_(pg.psql("SELECT domain FROM instance_domains WHERE is_primary"), [["a.test"]],
              "migrate records the configured domain as the primary instance domain")


def test_slow(t, pg):
    conf = pg.config("a.test", http_threads=4, db_statement_timeout=3000)
    with Meentd(conf) as d:
        # Hold a lock that /readyz's query waits on: that request is slow.
        locker = subprocess.Popen(
            ["psql", "-h", pg.sock, "-U", "meent", "-d", "meent", "-X", "-q", "-c",
             "BEGIN; LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(6);"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        slow = {}

        def slow_req():
            start = time.time()
            slow["r"] = requests.get(d.url + "/readyz", timeout=20)
            slow["t"] = time.time() - start

        th = threading.Thread(target=slow_req)
        th.start()
        time.sleep(0.3)
        # Slow-loris clients must not block anyone either.
        loris = []
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", int(d.listen.split(":")[1])))
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            loris.append(s)
        fast = []
        for _ in range(30):
            start = time.time()
            r = requests.get(d.url + "/healthz", timeout=10)
            fast.append((r.status_code, time.time() - start))
        th.join()
        locker.kill()
        locker.wait()
        for s in loris:
            s.close()
        t.ok(all(code == 200 for code, _ in fast), "requests beside a slow one succeed")
        t.ok(max(dt for _, dt in fast) < 1.5,
             "and none waits for the slow one (max %.3fs)" % max(dt for _, dt in fast))
        t.ok(slow.get("t", 0) >= 2.0, "the slow request really was slow (%.1fs)" % slow.get("t", 0))
        t.is_(slow["r"].status_code, 503, "a statement over db_statement_timeout is a 503")
        t.is_(d.get("/readyz").status_code, 200, "its thread serves again afterwards")


def test_db_outage(t, pg):
    conf = pg.config("a.test", http_threads=4)
    with Meentd(conf) as d:
        with Load(d.url, ["/readyz", "/healthz", "/metrics"]) as load:
            time.sleep(0.5)
            pg.stop("fast")
            time.sleep(1.5)
            r = requests.get(d.url + "/readyz", timeout=10)
            t.is_(r.status_code, 503, "readyz 503 while PostgreSQL is down")
            t.like(r.json().get("error", ""), "database", "with a JSON error naming the database")
            t.is_(r.headers.get("Retry-After"), "5", "and Retry-After")
            t.is_(requests.get(d.url + "/healthz", timeout=10).status_code, 200,
                  "healthz still 200 (the process is alive)")
            metrics = requests.get(d.url + "/metrics", timeout=10).text
            t.like(metrics, 'meent_db_connections{state="down"}', "metrics report connections down")
            pg.start()
            deadline = time.time() + 20
            ready = False
            while time.time() < deadline and not ready:
                ready = all(requests.get(d.url + "/readyz", timeout=10).status_code == 200
                            for _ in range(8))
                time.sleep(0.2)
            t.ok(ready, "every thread reconnects once PostgreSQL is back")
        t.is_(load.errors, [], "no request failed without an answer, and every 5xx was JSON")
        codes = set(load.statuses)
        t.ok(codes <= {200, 503}, "only 200 and 503 under the outage: %s" % sorted(codes))
        t.ok(503 in codes, "the load saw the outage")
        t.ok(d.proc.poll() is None, "meentd survived")
        t.like(requests.get(d.url + "/metrics", timeout=10).text, "meent_db_reconnects_total",
               "reconnects counted")
    t.ok("event=db_connected" in d.log_text(), "reconnection logged")


def test_sigterm(t, pg):
    conf = pg.config("a.test", http_threads=4)
    d = Meentd(conf)
    d.start()
    with Load(d.url, ["/readyz", "/healthz"], threads=6) as load:
        time.sleep(1.0)
        start = time.time()
        code = d.stop(signal.SIGTERM, timeout=20)
        took = time.time() - start
        time.sleep(0.2)
    t.is_(code, 0, "SIGTERM under load: exit status 0")
    t.ok(took < 6, "exits promptly (%.2fs)" % took)
    t.ok(len(load.statuses) > 50, "the load was real (%d requests)" % len(load.statuses))
    t.ok(set(load.statuses) <= {200}, "every answered request succeeded: %s" % sorted(set(load.statuses)))
    t.like(d.log_text(), "event=stopped", "shutdown logged")


def test_sighup(t, pg):
    logfile = os.path.join(pg.dir, "meentd-hup.log")
    conf = pg.config("a.test", log_file=logfile)
    with Meentd(conf) as d:
        d.get("/healthz")
        os.rename(logfile, logfile + ".1")
        d.send(signal.SIGHUP)
        time.sleep(0.3)
        d.get("/readyz")
        time.sleep(0.2)
        with open(logfile) as f:
            text = f.read()
        t.like(text, "path=/readyz", "after SIGHUP the log goes to the new file")
        with open(logfile + ".1") as f:
            t.like(f.read(), "path=/healthz", "earlier lines stayed in the rotated file")
        t.is_(d.stop(), 0, "clean exit")


def test(t):
    with Cluster() as pg:
        test_config(t, pg)
        test_slow(t, pg)
        test_sighup(t, pg)
        test_sigterm(t, pg)
        test_db_outage(t, pg)
    test_schema(t)


main(test)
