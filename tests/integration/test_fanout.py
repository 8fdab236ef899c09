"""Federation II, delivery at scale: one post by a local account fans out
to 300 fake remote servers on loopback (127.0.1.x, one asyncio sink): one
delivery per server's shared inbox however many of its accounts follow,
personal inboxes where a server has no shared one, every delivery signed
and verifiable, a slow server delaying only itself, a failing one retried,
a 410 one not retried."""

import asyncio
import base64
import hashlib
import json
import threading
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from harness import Cluster, Meentd, ctl, free_port, main

NSERVERS = 300


class Sink:
    """300 HTTP servers in one asyncio loop; counts verified deliveries."""

    def __init__(self, port, public_pem):
        self.port = port
        self.key = serialization.load_pem_public_key(public_pem.encode())
        self.good = {}          # inbox URL -> verified deliveries answered 2xx
        self.attempts = {}      # inbox URL -> every POST
        self.bad = []           # deliveries that did not verify
        self.behaviour = {}     # host -> "slow" | "fail-once" | "gone"
        self.lock = threading.Lock()
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def host(self, i):
        return "127.0.1.%d" % (i + 1) if i < 254 else "127.0.2.%d" % (i - 253)

    def verify(self, method, path, headers, body):
        sig = dict(p.split("=", 1) for p in headers.get("signature", "").split(",") if "=" in p)
        sig = {k: v.strip('"') for k, v in sig.items()}
        names = sig.get("headers", "").split()
        lines = []
        for n in names:
            if n == "(request-target)":
                lines.append("(request-target): %s %s" % (method.lower(), path))
            else:
                lines.append("%s: %s" % (n, headers.get(n, "")))
        digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        if "digest" not in names or headers.get("digest") != digest:
            return "digest"
        try:
            self.key.verify(base64.b64decode(sig["signature"]), "\n".join(lines).encode(),
                            padding.PKCS1v15(), hashes.SHA256())
        except Exception as e:  # noqa: BLE001 - any failure is a bad delivery
            return "signature: %r" % e
        return None

    async def handle(self, reader, writer):
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode().split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if ": " in line:
                    k, v = line.split(": ", 1)
                    headers[k.lower()] = v
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            host = headers.get("host", "").split(":")[0]
            url = "http://%s%s" % (headers.get("host", ""), path)
            how = self.behaviour.get(host)
            with self.lock:
                self.attempts[url] = self.attempts.get(url, 0) + 1
                first = self.attempts[url] == 1
            status = 202
            if how == "slow":
                await asyncio.sleep(3)
            elif how == "fail-once" and first:
                status = 500
            elif how == "gone":
                status = 410
            why = self.verify(method, path, headers, body)
            with self.lock:
                if why:
                    self.bad.append((url, why))
                elif status == 202:
                    self.good[url] = self.good.get(url, 0) + 1
            writer.write(b"HTTP/1.1 %d X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" % status)
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()

    def run(self):
        asyncio.set_event_loop(self.loop)
        servers = []
        for i in range(NSERVERS):
            servers.append(self.loop.run_until_complete(
                asyncio.start_server(self.handle, self.host(i), self.port)))
        self.ready.set()
        self.loop.run_forever()

    def start(self):
        self.thread.start()
        self.ready.wait(30)

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)


def test(t):
    port = free_port()
    with Cluster() as pg:
        conf = pg.config("gov.test", allow_insecure_http_for_development="yes",
                         allow_private_addresses="127.0.0.0/8", job_workers=2,
                         job_retry_base=1, job_poll_interval=1, http_threads=2)
        ctl(conf, "org", "create", "min", "Ministerie")
        ctl(conf, "account", "create", "gov", "--org", "min")
        gov, pub = json.loads(pg.psql("SELECT json_build_array(id::text, public_key_pem) "
                                      "FROM accounts WHERE username = 'gov'")[0][0])
        sink = Sink(port, pub)
        sink.start()
        # Servers 0-249: shared inbox; 0-49 have two followers each.
        # Servers 250-299: no shared inbox, one follower, personal inbox.
        pg.psql("""
            INSERT INTO accounts (username, domain, uri, inbox_url, shared_inbox_url)
            SELECT 'u' || n, h || ':' || :'p1', 'http://' || h || ':' || :'p1' || '/users/u' || n,
                   'http://' || h || ':' || :'p1' || '/users/u' || n || '/inbox',
                   CASE WHEN s < 250 THEN 'http://' || h || ':' || :'p1' || '/inbox' ELSE '' END
            FROM (SELECT n, s, CASE WHEN s < 254 THEN '127.0.1.' || (s + 1)
                                    ELSE '127.0.2.' || (s - 253) END AS h
                  FROM (SELECT n, CASE WHEN n < 300 THEN n ELSE n - 300 END AS s
                        FROM generate_series(0, 349) n) x) y;
            INSERT INTO follows (account_id, target_account_id)
            SELECT id, :'p2' FROM accounts WHERE domain IS NOT NULL;
        """, str(port), gov)
        t.is_(pg.psql("SELECT count(*) FROM follows"), [["350"]], "350 remote followers on 300 servers")
        sink.behaviour[sink.host(7)] = "slow"
        sink.behaviour[sink.host(8)] = "fail-once"
        sink.behaviour[sink.host(9)] = "gone"
        note = {"@context": "https://www.w3.org/ns/activitystreams",
                "id": "http://gov.test/users/gov/statuses/1/activity", "type": "Create",
                "actor": "http://gov.test/users/gov",
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "object": {"id": "http://gov.test/users/gov/statuses/1", "type": "Note",
                           "content": "<p>Bekendmaking</p>"}}
        with Meentd(conf):
            start = time.time()
            pg.psql("INSERT INTO jobs (kind, queue, payload) VALUES ('fanout', 'deliver', "
                    "jsonb_build_object('actor', :'p1'::bigint, 'activity', :'p2'::jsonb, "
                    "'mentions', '[]'::jsonb))", gov, json.dumps(note))
            expected = set()
            for i in range(NSERVERS):
                host = "%s:%d" % (sink.host(i), port)
                if i < 250:
                    expected.add("http://%s/inbox" % host)
                else:
                    expected.add("http://%s/users/u%d/inbox" % (host, i))
            gone = "http://%s:%d/inbox" % (sink.host(9), port)
            want = expected - {gone}
            deadline = time.time() + 90
            while time.time() < deadline:
                with sink.lock:
                    if set(sink.good) >= want:
                        break
                time.sleep(0.2)
            took = time.time() - start
            time.sleep(1.5)     # let any duplicate show up
            with sink.lock:
                good, attempts, bad = dict(sink.good), dict(sink.attempts), list(sink.bad)
            t.is_(set(good), want, "every inbox but the 410 one got a verified delivery "
                                   "(%d in %.1fs)" % (len(good), took))
            t.is_(sorted(set(good.values())), [1], "exactly one delivery each")
            t.is_(bad, [], "every delivery's signature and digest verify")
            t.is_(set(attempts) - expected, set(), "nothing went to a personal inbox "
                                                   "where a shared one exists")
            t.is_(attempts.get("http://%s:%d/inbox" % (sink.host(8), port)), 2,
                  "the failing server was retried once and then succeeded")
            t.is_(attempts.get(gone), 1, "the 410 server was tried once, never again")
            rows = pg.psql("SELECT state, count(*) FROM jobs WHERE kind = 'deliver' "
                           "GROUP BY state ORDER BY state")
            t.is_(rows, [["dead", "1"], ["done", str(NSERVERS - 1)]],
                  "299 deliver jobs done, the 410 one dead")
            t.is_(pg.psql("SELECT state FROM jobs WHERE kind = 'fanout'"), [["done"]],
                  "the fan-out job itself is done")
        sink.stop()


main(test)
