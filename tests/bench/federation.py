"""Meent's federation benchmarks (Federation II): inbox ingest and fan-out.

1. Ingest: two meentd on one private PostgreSQL each; A serves the remote
   actor alice, B is measured. B's key cache is warmed with one signed
   activity, then N distinct Create activities, pre-signed in Python with
   alice's key, are POSTed to B's /inbox over several keep-alive
   connections at once. Reported: accepted (202) per second at the door,
   and activities per second through to a stored status (until
   `SELECT count(*) FROM statuses` reaches N).
2. Fan-out: one meentd whose local account is followed by 10,000 remote
   accounts on 10,000 loopback addresses (127.1.x.y, one port each, all
   served by one asyncio sink). One 'fanout' job is inserted; reported is
   the time until all 10,000 deliveries arrived, meentd's peak RSS, and
   that time against 10,000 RSA-2048 signatures at `openssl speed`'s
   one-core signing rate (the physical limit).

Figures are measured here and recorded in the README, never asserted.
The sink needs some 10,000 file descriptors: the script raises
RLIMIT_NOFILE (its hard limit too when run as root).

    ./contrib/meent-dev bench        (runs tests/bench/run.py, then this)
    MEENT_BUILDDIR=build/bench MEENT_SRCDIR=. python3 tests/bench/federation.py \
        [--activities N] [--connections N] [--servers N] [--only ingest|fanout]
"""

import argparse
import asyncio
import base64
import email.utils
import hashlib
import json
import multiprocessing
import os
import re
import resource
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from harness import Cluster, Meentd, ctl, free_port  # noqa: E402

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def vm(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def cpu_s(pid, children=False):
    """CPU seconds (user + system) used by pid, with its waited-for children."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            v = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(v[11]) + int(v[12]) + (int(v[13]) + int(v[14]) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def pg_cpu_s(pg):
    """CPU seconds used so far by a cluster: the postmaster and its backends."""
    with open(os.path.join(pg.data, "postmaster.pid")) as f:
        pm = int(f.readline())
    total = cpu_s(pm, children=True)
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pm:
                        total += cpu_s(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return total


def cpu_snapshot(pid, pg):
    return (cpu_s(pid), pg_cpu_s(pg), time.process_time())


def cpu_used(before, after):
    return tuple(a - b for a, b in zip(after, before))


def raise_nofile(want):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= want:
        return soft
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(want, hard), max(want, hard)))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# --- signing (in worker processes) -----------------------------------------

_key = None


def _init_signer(pem):
    global _key
    from cryptography.hazmat.primitives import serialization
    _key = serialization.load_pem_private_key(pem.encode(), password=None)


def _sign(job):
    """job: (host, path, key_id, body bytes) -> the full HTTP request bytes."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    host, path, key_id, body = job
    date = email.utils.formatdate(usegmt=True)
    digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
    ss = "(request-target): post %s\nhost: %s\ndate: %s\ndigest: %s" % (path, host, date, digest)
    sig = base64.b64encode(_key.sign(ss.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
    head = ("POST %s HTTP/1.1\r\nHost: %s\r\nDate: %s\r\nDigest: %s\r\n"
            "Content-Type: application/activity+json\r\n"
            'Signature: keyId="%s",algorithm="rsa-sha256",headers="(request-target) host '
            'date digest",signature="%s"\r\nContent-Length: %d\r\n\r\n'
            % (path, host, date, digest, key_id, sig, len(body)))
    return head.encode() + body


def create_body(alice, i):
    note = "%s/statuses/bench-%d" % (alice, i)
    return json.dumps({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": note + "/activity", "type": "Create", "actor": alice, "to": [PUBLIC],
        "object": {"id": note, "type": "Note", "attributedTo": alice, "to": [PUBLIC],
                   "cc": [alice + "/followers"],
                   "published": "2026-11-20T10:00:00Z",
                   "content": "<p>Bekendmaking %d: de gemeente meldt een wijziging "
                              "in het bestemmingsplan.</p>" % i}}).encode()


# --- a keep-alive HTTP/1.1 client over raw asyncio streams ------------------

async def post_all(addr, requests_, connections):
    """Sends every pre-built request; returns (status counts, seconds)."""
    queue = list(reversed(requests_))
    counts = {}

    async def conn():
        reader = writer = None
        while queue:
            req = queue.pop()
            for attempt in range(3):
                try:
                    if writer is None:
                        reader, writer = await asyncio.open_connection(*addr)
                    writer.write(req)
                    head = await reader.readuntil(b"\r\n\r\n")
                    status = int(head.split(b" ", 2)[1])
                    m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
                    if m and int(m.group(1)):
                        await reader.readexactly(int(m.group(1)))
                    if re.search(rb"(?i)\r\nconnection:\s*close", head):
                        writer.close()
                        writer = None
                    counts[status] = counts.get(status, 0) + 1
                    break
                except (ConnectionError, asyncio.IncompleteReadError):
                    if writer is not None:
                        writer.close()
                    writer = None
            else:
                counts["error"] = counts.get("error", 0) + 1
        if writer is not None:
            writer.close()

    start = time.time()
    await asyncio.gather(*(conn() for _ in range(connections)))
    return counts, time.time() - start


def count_statuses(pg):
    return int(pg.psql("SELECT count(*) FROM statuses")[0][0])


# Activities stored before the measured run, so that it does not run on
# empty tables.
WARM_ACTIVITIES = 1000


def bench_ingest(args):
    pa, pb = free_port(), free_port()
    da, db = "a.test:%d" % pa, "b.test:%d" % pb
    common = dict(allow_insecure_http_for_development="yes",
                  allow_private_addresses="127.0.0.0/8",
                  resolve_override="a.test:%d:127.0.0.1, b.test:%d:127.0.0.1" % (pa, pb),
                  http_threads=args.threads, job_workers=2, job_poll_interval=1,
                  log_level="warn")
    with Cluster() as pga, Cluster() as pgb:
        ca = pga.config(da, listen="127.0.0.1:%d" % pa, **common)
        cb = pgb.config(db, listen="127.0.0.1:%d" % pb, **common)
        ctl(ca, "org", "create", "a", "A")
        ctl(ca, "account", "create", "alice", "--org", "a")
        ctl(cb, "org", "create", "b", "B")
        ctl(cb, "account", "create", "bob", "--org", "b")
        pem, kid = json.loads(pga.psql("SELECT json_build_array(private_key_pem, key_id) "
                                       "FROM accounts WHERE username = 'alice'")[0][0])
        alice = "http://%s/users/alice" % da
        n = args.activities
        t0 = time.time()
        warm = WARM_ACTIVITIES
        jobs = [(db, "/inbox", kid, create_body(alice, i)) for i in range(n + warm + 1)]
        with multiprocessing.Pool(os.cpu_count(), _init_signer, (pem,)) as pool:
            reqs = pool.map(_sign, jobs, chunksize=256)
        sign_s = time.time() - t0
        with Meentd(ca), Meentd(cb) as b:
            # Warm-up: B fetches alice's actor from A and caches her key.
            counts, _ = asyncio.run(post_all(("127.0.0.1", pb), reqs[:1], 1))
            deadline = time.time() + 20
            while count_statuses(pgb) < 1 and time.time() < deadline:
                time.sleep(0.05)
            if count_statuses(pgb) < 1:
                raise RuntimeError("warm-up activity not stored: %r\n%s"
                                   % (counts, b.log_text(3000)))
            # Then a live instance's tables: some posts, and statistics
            # as autovacuum keeps them (it analyses a growing table within
            # a minute, longer than a run). Without them the run is planned
            # on the setup's empty tables.
            asyncio.run(post_all(("127.0.0.1", pb), reqs[1:warm + 1], args.connections))
            while count_statuses(pgb) < warm + 1 and time.time() < deadline + 60:
                time.sleep(0.05)
            pgb.psql("ANALYZE")
            base = count_statuses(pgb)
            cpu0 = cpu_snapshot(b.proc.pid, pgb)
            start = time.time()
            counts, door_s = asyncio.run(post_all(("127.0.0.1", pb), reqs[warm + 1:],
                                                  args.connections))
            stored = base
            deadline = time.time() + 120
            while time.time() < deadline:
                stored = count_statuses(pgb)
                if stored - base >= n:
                    break
                time.sleep(0.1)
            stored_s = time.time() - start
            cpu = cpu_used(cpu0, cpu_snapshot(b.proc.pid, pgb))
            stored -= base
            peak = vm(b.proc.pid, "VmHWM")
            pending = pgb.psql("SELECT state, count(*) FROM jobs GROUP BY state ORDER BY state")
            dropped = b.log_text().count("event=inbox_dropped")
    return {"n": n, "sign_s": sign_s, "counts": counts, "door_s": door_s,
            "stored": stored, "stored_s": stored_s, "peak": peak, "jobs": pending,
            "dropped": dropped, "cpu": cpu}


# --- fan-out -----------------------------------------------------------------

class SinkProtocol(asyncio.Protocol):
    """Reads each request whole and answers 202. The connection stays open
    for the next request, as a real server's keep-alive does, unless the
    client asked for it to close."""

    def __init__(self, sink):
        self.sink = sink
        self.buf = b""
        self.want = None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buf += data
        while True:
            if self.want is None:
                i = self.buf.find(b"\r\n\r\n")
                if i < 0:
                    return
                self.head = self.buf[:i].decode("latin-1")
                m = re.search(r"(?i)\r\ncontent-length:\s*(\d+)", self.head)
                self.start = i + 4
                self.want = i + 4 + (int(m.group(1)) if m else 0)
            if len(self.buf) < self.want:
                return
            self.sink.got(self.head, self.buf[self.start:self.want])
            close = re.search(r"(?i)\r\nconnection:\s*close", self.head) is not None
            self.transport.write(b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n" +
                                 (b"Connection: close\r\n\r\n" if close else b"\r\n"))
            self.buf = self.buf[self.want:]
            self.want = None
            if close:
                self.transport.close()
                return


class Sink:
    """nservers HTTP servers on 127.1.x.y:port in one asyncio loop."""

    def __init__(self, nservers, port, sample_every=100):
        self.n = nservers
        self.port = port
        self.hosts = set()
        self.deliveries = 0
        self.samples = []       # (head, body) of every sample_every-th delivery
        self.sample_every = sample_every
        self.last = None
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.error = None
        self.thread = threading.Thread(target=self.run, daemon=True)

    @staticmethod
    def host(i):
        return "127.1.%d.%d" % (i // 250, i % 250 + 1)

    def got(self, head, body):
        m = re.search(r"(?i)\r\nhost:\s*([^:\r]+)", head)
        self.hosts.add(m.group(1) if m else "?")
        self.deliveries += 1
        self.last = time.time()
        if self.deliveries % self.sample_every == 1:
            self.samples.append((head, body))

    def run(self):
        asyncio.set_event_loop(self.loop)
        try:
            for i in range(self.n):
                self.loop.run_until_complete(self.loop.create_server(
                    lambda: SinkProtocol(self), self.host(i), self.port, backlog=64))
        except Exception as e:  # noqa: BLE001 - reported by the caller
            self.error = e
        self.ready.set()
        self.loop.run_forever()

    def start(self):
        self.thread.start()
        self.ready.wait(120)
        if self.error:
            raise self.error

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)


def verify_sample(samples, public_pem):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
    key = serialization.load_pem_public_key(public_pem.encode())
    good = 0
    for head, body in samples:
        lines = head.split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        sig = dict(p.split("=", 1) for p in headers.get("signature", "").split(",") if "=" in p)
        sig = {k: v.strip('"') for k, v in sig.items()}
        ss = []
        for name in sig.get("headers", "").split():
            if name == "(request-target)":
                ss.append("(request-target): %s %s" % (method.lower(), path))
            else:
                ss.append("%s: %s" % (name, headers.get(name, "")))
        digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        if headers.get("digest") != digest:
            continue
        try:
            key.verify(base64.b64decode(sig["signature"]), "\n".join(ss).encode(),
                       padding.PKCS1v15(), hashes.SHA256())
            good += 1
        except Exception:  # noqa: BLE001 - a bad one is simply not counted
            pass
    return good


def bench_fanout(args):
    nserv = args.servers
    nofile = raise_nofile(nserv + 4096)
    port = free_port()
    with Cluster() as pg:
        conf = pg.config("gov.test", allow_insecure_http_for_development="yes",
                         allow_private_addresses="127.0.0.0/8", job_workers=2,
                         job_poll_interval=1, http_threads=args.threads, log_level="warn")
        ctl(conf, "org", "create", "min", "Ministerie")
        ctl(conf, "account", "create", "gov", "--org", "min")
        gov, pub = json.loads(pg.psql("SELECT json_build_array(id::text, public_key_pem) "
                                      "FROM accounts WHERE username = 'gov'")[0][0])
        pg.psql("""
            INSERT INTO accounts (username, domain, uri, inbox_url, shared_inbox_url)
            SELECT 'u' || n, h || ':' || :'p1', 'http://' || h || ':' || :'p1' || '/users/u' || n,
                   'http://' || h || ':' || :'p1' || '/users/u' || n || '/inbox',
                   'http://' || h || ':' || :'p1' || '/inbox'
            FROM (SELECT n, '127.1.' || (n / 250) || '.' || (n % 250 + 1) AS h
                  FROM generate_series(0, :'p3'::int - 1) n) x;
            INSERT INTO follows (account_id, target_account_id)
            SELECT id, :'p2' FROM accounts WHERE domain IS NOT NULL;
        """, str(port), gov, str(nserv))
        t0 = time.time()
        sink = Sink(nserv, port)
        sink.start()
        sink_start_s = time.time() - t0
        note = {"@context": "https://www.w3.org/ns/activitystreams",
                "id": "http://gov.test/users/gov/statuses/1/activity", "type": "Create",
                "actor": "http://gov.test/users/gov", "to": [PUBLIC],
                "object": {"id": "http://gov.test/users/gov/statuses/1", "type": "Note",
                           "content": "<p>Bekendmaking</p>"}}
        with Meentd(conf) as d:
            idle = vm(d.proc.pid, "VmRSS")
            cpu0 = cpu_snapshot(d.proc.pid, pg)
            start = time.time()
            pg.psql("INSERT INTO jobs (kind, queue, payload) VALUES ('fanout', 'deliver', "
                    "jsonb_build_object('actor', :'p1'::bigint, 'activity', :'p2'::jsonb, "
                    "'mentions', '[]'::jsonb))", gov, json.dumps(note))
            deadline = time.time() + args.fanout_timeout
            while len(sink.hosts) < nserv and time.time() < deadline:
                time.sleep(0.05)
            took = (sink.last or time.time()) - start
            cpu = cpu_used(cpu0, cpu_snapshot(d.proc.pid, pg))
            time.sleep(1.0)     # let any duplicate show up
            peak = vm(d.proc.pid, "VmHWM")
            jobs = pg.psql("SELECT kind, state, count(*) FROM jobs GROUP BY kind, state "
                           "ORDER BY kind, state")
            d.stop()
        sink.stop()
    verified = verify_sample(sink.samples, pub)
    return {"n": nserv, "hosts": len(sink.hosts), "deliveries": sink.deliveries,
            "took": took, "idle": idle, "peak": peak, "jobs": jobs, "nofile": nofile,
            "sink_start_s": sink_start_s, "cpu": cpu, "sampled": len(sink.samples),
            "verified": verified}


def openssl_rsa2048():
    out = subprocess.run(["openssl", "speed", "-seconds", "3", "rsa2048"],
                         capture_output=True, text=True).stdout
    m = re.search(r"^rsa\s+2048 bits\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)", out, re.M)
    return (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--activities", type=int, default=20000)
    ap.add_argument("--connections", type=int, default=16, help="keep-alive connections")
    ap.add_argument("--servers", type=int, default=10000)
    ap.add_argument("--threads", type=int, default=2, help="meentd HTTP threads")
    ap.add_argument("--fanout-timeout", type=int, default=90)
    ap.add_argument("--only", choices=("ingest", "fanout"), default=None)
    args = ap.parse_args()

    ing = bench_ingest(args) if args.only in (None, "ingest") else None
    fan = bench_fanout(args) if args.only in (None, "fanout") else None
    sign_s, verify_s = openssl_rsa2048()

    print()
    print("Meent federation benchmark: %d cores, meentd with %d HTTP threads and 2 job workers"
          % (os.cpu_count(), args.threads))
    if ing:
        accepted = ing["counts"].get(202, 0)
        print()
        print("| inbox ingest, %d signed Create activities, key cached, %d keep-alive connections "
              "| value |" % (ing["n"], args.connections))
        print("|---|---:|")
        print("| accepted (202) at the door, per second | %.0f |" % (accepted / ing["door_s"]))
        print("| through to stored status, per second | %.0f |" % (ing["stored"] / ing["stored_s"]))
        print("| stored / sent | %d / %d |" % (ing["stored"], ing["n"]))
        print("| responses | %s |" % ", ".join("%s: %d" % kv for kv in sorted(
            ing["counts"].items(), key=lambda kv: str(kv[0]))))
        print("| inbox drops logged | %d |" % ing["dropped"])
        print("| CPU s until all stored: meentd / PostgreSQL / Python client (wall %.1f s) "
              "| %.1f / %.1f / %.1f |" % ((ing["stored_s"],) + ing["cpu"]))
        print("| receiving meentd peak RSS (VmHWM), KiB | %d |" % ing["peak"])
        print("| (Python pre-signing took %.1f s; jobs: %s) |  |"
              % (ing["sign_s"], ", ".join("%s %s" % tuple(r) for r in ing["jobs"])))
    if fan:
        limit = fan["n"] / sign_s if sign_s else 0
        print()
        print("| fan-out of one post to %d servers | value |" % fan["n"])
        print("|---|---:|")
        print("| servers that got a delivery / deliveries | %d / %d |"
              % (fan["hosts"], fan["deliveries"]))
        print("| time from the fanout job to the last delivery, s | %.2f |" % fan["took"])
        print("| deliveries per second | %.0f |" % (fan["deliveries"] / fan["took"]
                                                    if fan["took"] else 0))
        print("| signing limit: %d / openssl rsa2048 sign/s (%.0f, one core), s | %.2f |"
              % (fan["n"], sign_s, limit))
        print("| ratio to the signing limit (target <= 2) | %.2f |"
              % (fan["took"] / limit if limit else 0))
        print("| CPU s: meentd / PostgreSQL / Python sink (wall %.1f s) | %.1f / %.1f / %.1f |"
              % ((fan["took"],) + fan["cpu"]))
        print("| sampled signatures verified | %d / %d |" % (fan["verified"], fan["sampled"]))
        print("| meentd RSS before / peak (VmHWM), KiB | %d / %d |" % (fan["idle"], fan["peak"]))
        print("| (jobs: %s; RLIMIT_NOFILE %d; sink started in %.1f s) |  |"
              % (", ".join("%s %s %s" % tuple(r) for r in fan["jobs"]), fan["nofile"],
                 fan["sink_start_s"]))
    print()
    print("| openssl speed -seconds 3 rsa2048 (one core) | per second |")
    print("|---|---:|")
    print("| sign | %.0f |" % sign_s)
    print("| verify | %.0f |" % verify_s)


if __name__ == "__main__":
    main()
