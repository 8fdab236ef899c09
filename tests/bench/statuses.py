"""Meent's status-creation benchmark (issue 5: at least 500 statuses/s on
2 cores): wrk POSTs /api/v1/statuses with bearer tokens as fast as meentd
takes them, over keep-alive connections.

The posters are set up as real government accounts: each has LOCAL
followers (every post goes into their home feeds through schema 0006's
triggers) and REMOTE followers on a second domain, one server with a
shared inbox served by an asyncio sink that answers 202, so every post
queues a fan-out job and a signed delivery while the next ones arrive.
api_rate_limit is 0. Every request's text differs and carries a hashtag
and a link, as announcements do.

Two runs, each on a fresh cluster: one account posting on every
connection (all its posts update the same account_stats row), and
--accounts accounts taking turns (an instance's real load).

Reported: statuses created per second (counted in the database, not only
as wrk's 200s), the same over the run and the drain of the fan-out jobs
it left (the sustained rate), wrk's latency and non-2xx count, CPU seconds of meentd,
PostgreSQL and wrk during the run, how long the fan-out took to drain
after it, and the load average, since the machine may be shared. With
--profile, PostgreSQL's costliest statements per status as well. Figures
are measured here and recorded in the README, never asserted.

    ./contrib/meent-dev bench      (runs tests/bench/run.py, then this)
    MEENT_BUILDDIR=build/bench MEENT_SRCDIR=. /usr/bin/python3 tests/bench/statuses.py \
        [--duration S] [--connections N] [--threads N] [--accounts N]
        [--local N] [--remote N] [--profile]
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
# nothing can be answered from a cache or deduplicated, and takes the
# tokens in turn; done() prints the summary as one JSON line. TOKENS is
# filled in when the script is written.
LUA = r"""
local tokens = {TOKENS}
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
  local headers = {["Authorization"] = "Bearer " .. tokens[(n + tid) % #tokens + 1],
                   ["Content-Type"] = "application/json"}
  return wrk.format("POST", nil, headers, body)
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


def setup_accounts(pg, conf, port, args, naccounts):
    """naccounts posters (their tokens), each followed by args.local local
    accounts and args.remote accounts on one second domain (127.1.0.1:port,
    shared inbox)."""
    tokens = [local_account(conf, "poster%d" % i, password="bench-password-2026")
              for i in range(naccounts)]
    for i in range(args.local):
        ctl(conf, "account", "create", "volger%d" % i, "--org", "gov")
    host = "127.1.0.1:%d" % port
    pg.psql("""
        INSERT INTO accounts (username, domain, uri, inbox_url, shared_inbox_url)
        SELECT 'r' || n, :'p1', 'http://' || :'p1' || '/users/r' || n,
               'http://' || :'p1' || '/users/r' || n || '/inbox', 'http://' || :'p1' || '/inbox'
        FROM generate_series(1, :'p2'::int) n;
        INSERT INTO follows (account_id, target_account_id)
        SELECT a.id, p.id FROM accounts a, accounts p
        WHERE p.domain IS NULL AND p.username LIKE 'poster%'
          AND (a.domain = :'p1' OR (a.domain IS NULL AND a.username LIKE 'volger%'));
    """, host, str(args.remote))
    return tokens


def lua_script(tokens):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA.replace("{TOKENS}", "{" + ", ".join('"%s"' % t for t in tokens) + "}"))
        return f.name


def wrk(url, duration, connections, script):
    """wrk with the script above: its done() summary, parsed."""
    argv = ["wrk", "-t2", "-c%d" % connections, "-d%ds" % duration, "-s", script, url]
    out = subprocess.run(argv, capture_output=True, text=True).stdout
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError("wrk said:\n" + out)
    res = json.loads(lines[-1])
    res["raw"] = out
    return res


def profile_on(pg):
    """pg_stat_statements in the cluster (a restart loads it), with the
    statements run inside triggers and functions counted too."""
    pg.psql("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
    pg.stop()
    pg.start()
    pg.psql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    pg.psql("ALTER SYSTEM SET pg_stat_statements.track = 'all'")
    pg.psql("SELECT pg_reload_conf()")


def profile_top(pg, made, n=12):
    """The statements that took the most time (waits included) during the
    run, per status created."""
    return pg.psql("""
        SELECT round((total_exec_time / greatest(:'p1'::int, 1))::numeric, 3),
               round((calls::numeric / greatest(:'p1'::int, 1)), 2),
               left(regexp_replace(query, '\\s+', ' ', 'g'), 100)
        FROM pg_stat_statements
        WHERE query NOT LIKE '%pg_stat_statements%'
        ORDER BY total_exec_time DESC LIMIT :'p2'::int""", str(made), str(n))


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


def measure(args, pg, d, script):
    url = d.url + "/api/v1/statuses"
    wrk(url, 2, args.connections, script)      # warm-up
    drain(pg, 60)
    # Statistics as a live instance has them: autovacuum analyses a table
    # within a minute of it growing, longer than a run. Without this the
    # run is planned on the setup's empty statuses table (one row, says
    # the planner), and renders a new post by walking all the poster's.
    pg.psql("ANALYZE")
    if args.profile:
        pg.psql("SELECT pg_stat_statements_reset()")
    before = statuses(pg)
    load0 = os.getloadavg()[0]
    cpu0 = (cpu_s(d.proc.pid), pg_cpu_s(pg), children_cpu_s())
    t0 = time.time()
    res = wrk(url, args.duration, args.connections, script)
    wall = time.time() - t0
    cpu = (cpu_s(d.proc.pid) - cpu0[0], pg_cpu_s(pg) - cpu0[1], children_cpu_s() - cpu0[2])
    made = statuses(pg) - before
    out = {"res": res, "made": made, "wall": wall, "cpu": cpu, "backlog": jobs_open(pg),
           "load": (load0, os.getloadavg()[0])}
    out["top"] = profile_top(pg, made) if args.profile else []
    out["drained"] = drain(pg, 300)
    return out


def run(args, naccounts):
    port = free_port()
    with Cluster() as pg:
        conf = pg.config("bench.test", api_rate_limit=0, http_threads=args.threads,
                         log_level="warn", job_workers=2, job_poll_interval=1,
                         allow_insecure_http_for_development="yes",
                         allow_private_addresses="127.0.0.0/8")
        if args.profile:
            profile_on(pg)
        tokens = setup_accounts(pg, conf, port, args, naccounts)
        sink = Sink(1, port, sample_every=10 ** 9)
        sink.start()
        script = lua_script(tokens)
        try:
            with Meentd(conf) as d:
                probe = d.session.post(d.url + "/api/v1/statuses", json={"status": "proef"},
                                       headers={"Authorization": "Bearer " + tokens[0]}, timeout=10)
                if probe.status_code != 200:
                    raise RuntimeError("POST /api/v1/statuses answers %d: %s"
                                       % (probe.status_code, probe.text[:300]))
                out = measure(args, pg, d, script)
                out["rss"] = vm(d.proc.pid, "VmHWM")
                out["jobs"] = pg.psql("SELECT kind, state, count(*) FROM jobs "
                                      "GROUP BY kind, state ORDER BY kind, state")
                out["feed"] = pg.psql("SELECT count(*) FROM home_feeds")[0][0]
        finally:
            os.unlink(script)
            sink.stop()
    out["deliveries"] = sink.deliveries
    return out


def report(args, runs):
    print()
    print("Meent status creation: POST /api/v1/statuses, %d cores, meentd %d HTTP threads and "
          "2 job workers, wrk %d connections, %d s; each poster followed by %d local accounts "
          "and %d on a second domain (one shared inbox)"
          % (os.cpu_count(), args.threads, args.connections, args.duration, args.local,
             args.remote))
    print()
    print("| status creation | " + " | ".join("%d poster%s" % (n, "s" if n > 1 else "")
                                            for n, _ in runs) + " |")
    print("|---|" + "---:|" * len(runs))

    def row(label, fn):
        print("| %s | %s |" % (label, " | ".join(fn(r) for _, r in runs)))

    row("**statuses created per second** (counted in the database)",
        lambda r: "**%.0f**" % (r["made"] / r["wall"]))
    # The job threads share the cores with the requests: what they had
    # not done by the end counts against the rate.
    row("sustained: the same with their fan-out and deliveries finished (run + drain)",
        lambda r: "%.0f" % (r["made"] / (r["wall"] + r["drained"])))
    row("wrk requests/s / non-2xx / socket errors", lambda r: "%.0f / %d / %d" % (
        r["res"]["requests"] / (r["res"]["duration_us"] / 1e6), r["res"]["non2xx"],
        r["res"]["socket_errors"]))
    row("latency p50 / p99, ms", lambda r: "%.1f / %.1f" % (r["res"]["p50_ms"], r["res"]["p99_ms"]))
    row("CPU s during the run: meentd / PostgreSQL / wrk", lambda r: "%.1f / %.1f / %.1f" % r["cpu"])
    row("CPU ms per status: meentd / PostgreSQL", lambda r: "%.2f / %.2f" % (
        1000 * r["cpu"][0] / max(r["made"], 1), 1000 * r["cpu"][1] / max(r["made"], 1)))
    row("ceiling if meentd and PostgreSQL had all %d cores: cores / CPU s per status"
        % os.cpu_count(), lambda r: "%.0f" % (os.cpu_count() * max(r["made"], 1)
                                               / max(r["cpu"][0] + r["cpu"][1], 1e-9)))
    row("wall s; load average at start / end", lambda r: "%.1f; %.1f / %.1f" % ((r["wall"],) + r["load"]))
    row("fan-out jobs open at the end / drained after, s",
        lambda r: "%d / %.1f" % (r["backlog"], r["drained"]))
    row("deliveries received by the second domain", lambda r: "%d" % r["deliveries"])
    row("home feed rows", lambda r: r["feed"])
    row("meentd peak RSS (VmHWM), KiB", lambda r: "%d" % r["rss"])
    row("jobs", lambda r: ", ".join("%s %s %s" % tuple(j) for j in r["jobs"]))
    for n, r in runs:
        if r["top"]:
            print()
            print("| PostgreSQL, %d poster(s): statement | ms per status (waits included) "
                  "| calls per status |" % n)
            print("|---|---:|---:|")
            for ms, calls, query in r["top"]:
                print("| `%s` | %s | %s |" % (query.replace("|", "\\|"), ms, calls))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=4, help="meentd HTTP threads")
    ap.add_argument("--accounts", type=int, default=16, help="posters in the second run")
    ap.add_argument("--local", type=int, default=20, help="local followers of each poster")
    ap.add_argument("--remote", type=int, default=100,
                    help="followers of each poster on the second domain")
    ap.add_argument("--profile", action="store_true",
                    help="also list PostgreSQL's costliest statements (pg_stat_statements)")
    args = ap.parse_args()
    runs = [(n, run(args, n)) for n in (1, args.accounts)]
    report(args, runs)
    if not all(r["made"] for _, r in runs):
        sys.exit(1)


if __name__ == "__main__":
    main()
