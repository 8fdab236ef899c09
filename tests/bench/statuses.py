"""Meent's status-creation benchmark (issue 5: at least 500 statuses/s on
2 cores): wrk POSTs /api/v1/statuses with a bearer token as fast as
meentd takes them, over keep-alive connections.

The poster is set up as a real government account: LOCAL_FOLLOWERS local
followers (each post goes into their home feeds through schema 0006's
triggers) and REMOTE_FOLLOWERS followers on a second domain, one server
with a shared inbox served by an asyncio sink (answers 202), so every post
queues a fan-out job and a signed delivery while the next ones arrive.
api_rate_limit is 0. Every request's text differs and carries a hashtag
and a link, as announcements do.

Reported: statuses created per second (counted in the database, not only
as wrk's 200s), wrk's latency and non-2xx count, CPU seconds of meentd,
PostgreSQL and wrk during the run, and how long the fan-out took to drain
after the run. Figures are measured here and recorded in the README,
never asserted.

    ./contrib/meent-dev bench      (runs tests/bench/run.py, then this)
    MEENT_BUILDDIR=build/bench MEENT_SRCDIR=. /usr/bin/python3 tests/bench/statuses.py \
        [--duration S] [--connections N] [--threads N] [--remote N] [--local N]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
sys.path.insert(0, HERE)
from federation import Sink, cpu_s, pg_cpu_s, vm  # noqa: E402
from harness import Cluster, Meentd, ctl, free_port, local_account  # noqa: E402

# Each wrk thread numbers its requests (tid, n), so every text differs and
# nothing can be answered from a cache or deduplicated; done() prints the
# summary as one JSON line.
LUA = r"""
local threads = 0
local n = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function request()
  n = n + 1
  local body = '{"status":"Bekendmaking ' .. tid .. '-' .. n ..
    ': de gemeente wijzigt het bestemmingsplan. Zie https://www.example.org/besluiten/' ..
    tid .. '/' .. n .. ' #ruimtelijkeordening","visibility":"public"}'
  return wrk.format("POST", nil, nil, body)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\n{"requests": %d, "duration_us": %d, "non2xx": %d, ' ..
    '"socket_errors": %d, "p50_ms": %.3f, "p99_ms": %.3f}\n', summary.requests,
    summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def statuses(pg):
    return int(pg.psql("SELECT count(*) FROM statuses WHERE reblog_of_id IS NULL")[0][0])


def jobs_open(pg):
    return int(pg.psql("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')")[0][0])


def setup_followers(pg, conf, poster, port, nlocal, nremote):
    """nlocal local accounts and nremote accounts on one second domain
    (127.1.0.1:port, shared inbox) follow poster."""
    for i in range(nlocal):
        ctl(conf, "account", "create", "volger%d" % i, "--org", "gov")
    host = "127.1.0.1:%d" % port
    pg.psql("""
        INSERT INTO accounts (username, domain, uri, inbox_url, shared_inbox_url)
        SELECT 'r' || n, :'p1', 'http://' || :'p1' || '/users/r' || n,
               'http://' || :'p1' || '/users/r' || n || '/inbox', 'http://' || :'p1' || '/inbox'
        FROM generate_series(1, :'p3'::int) n;
        INSERT INTO follows (account_id, target_account_id)
        SELECT a.id, p.id FROM accounts a, accounts p
        WHERE p.username = :'p2' AND p.domain IS NULL AND a.id <> p.id
          AND (a.domain = :'p1' OR (a.domain IS NULL AND a.username LIKE 'volger%'));
    """, host, poster, str(nremote))
    return int(pg.psql("SELECT count(*) FROM follows")[0][0])


def run(args):
    port = free_port()
    with Cluster() as pg:
        conf = pg.config("bench.test", api_rate_limit=0, http_threads=args.threads,
                         log_level="warn", job_workers=2, job_poll_interval=1,
                         allow_insecure_http_for_development="yes",
                         allow_private_addresses="127.0.0.0/8")
        token = local_account(conf, "poster", password="bench-password-2026")
        follows = setup_followers(pg, conf, "poster", port, args.local, args.remote)
        sink = Sink(1, port, sample_every=10 ** 9)
        sink.start()
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(LUA)
            script = f.name
        try:
            with Meentd(conf) as d:
                url = d.url + "/api/v1/statuses"
                probe = d.session.post(url, headers={"Authorization": "Bearer " + token},
                                       json={"status": "proef"}, timeout=10)
                if probe.status_code != 200:
                    raise RuntimeError("POST /api/v1/statuses answers %d: %s"
                                       % (probe.status_code, probe.text[:300]))
                wrk(url, 2, args.connections, script, token)      # warm-up
                drain(pg, 60)
                before = statuses(pg)
                cpu0 = (cpu_s(d.proc.pid), pg_cpu_s(pg), children_cpu_s())
                t0 = time.time()
                res = wrk(url, args.duration, args.connections, script, token)
                wall = time.time() - t0
                cpu = (cpu_s(d.proc.pid) - cpu0[0], pg_cpu_s(pg) - cpu0[1],
                       children_cpu_s() - cpu0[2])
                made = statuses(pg) - before
                backlog = jobs_open(pg)
                drained = drain(pg, 300)
                rss = vm(d.proc.pid, "VmHWM")
                jobs = pg.psql("SELECT kind, state, count(*) FROM jobs GROUP BY kind, state "
                               "ORDER BY kind, state")
                feed = pg.psql("SELECT count(*) FROM home_feeds")[0][0]
        finally:
            os.unlink(script)
            sink.stop()
    return {"res": res, "made": made, "wall": wall, "cpu": cpu, "backlog": backlog,
            "drained": drained, "rss": rss, "jobs": jobs, "follows": follows,
            "deliveries": sink.deliveries, "feed": feed}


def wrk(url, duration, connections, script, token):
    """wrk with the script above: its done() summary, parsed."""
    argv = ["wrk", "-t2", "-c%d" % connections, "-d%ds" % duration, "-s", script,
            "-H", "Authorization: Bearer " + token, "-H", "Content-Type: application/json", url]
    out = subprocess.run(argv, capture_output=True, text=True).stdout
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError("wrk said:\n" + out)
    res = json.loads(lines[-1])
    res["raw"] = out
    return res


def children_cpu_s():
    """CPU seconds of the waited-for children so far (wrk, once it exits)."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def drain(pg, timeout):
    """Seconds until no fan-out or delivery job is queued or running."""
    start = time.time()
    while jobs_open(pg) and time.time() - start < timeout:
        time.sleep(0.2)
    return time.time() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=4, help="meentd HTTP threads")
    ap.add_argument("--local", type=int, default=20, help="local followers")
    ap.add_argument("--remote", type=int, default=100, help="followers on the second domain")
    args = ap.parse_args()
    r = run(args)
    res = r["res"]
    print()
    print("Meent status creation: POST /api/v1/statuses, %d cores, meentd %d HTTP threads and "
          "2 job workers, wrk %d connections, %d s" % (os.cpu_count(), args.threads,
                                                       args.connections, args.duration))
    print()
    print("| status creation | value |")
    print("|---|---:|")
    print("| statuses created per second (counted in the database) | %.0f |"
          % (r["made"] / r["wall"]))
    print("| wrk requests/s / non-2xx / socket errors | %.0f / %d / %d |"
          % (res["requests"] / (res["duration_us"] / 1e6), res["non2xx"], res["socket_errors"]))
    print("| latency p50 / p99, ms | %.2f / %.2f |" % (res["p50_ms"], res["p99_ms"]))
    print("| followers: %d local, %d on a second domain (one shared inbox) | %d follows |"
          % (args.local, args.remote, r["follows"]))
    print("| CPU s during the run: meentd / PostgreSQL / wrk (wall %.1f s) | %.1f / %.1f / %.1f |"
          % ((r["wall"],) + r["cpu"]))
    print("| fan-out jobs still open at the end / drained after, s | %d / %.1f |"
          % (r["backlog"], r["drained"]))
    print("| deliveries received by the second domain | %d |" % r["deliveries"])
    print("| home feed rows written | %s |" % r["feed"])
    print("| meentd peak RSS (VmHWM), KiB | %d |" % r["rss"])
    print("| (jobs: %s) |  |" % ", ".join("%s %s %s" % tuple(j) for j in r["jobs"]))
    if not r["made"]:
        print(res["raw"])
        sys.exit(1)


if __name__ == "__main__":
    main()
