"""Meent's benchmark driver: starts a private PostgreSQL and an optimised
meentd, loads it with wrk over loopback and prints a table of requests
per second, latency and memory. Run it with `./contrib/meent-dev bench`.

Workloads are rows of WORKLOADS; later features add theirs there. Figures
are measured here and recorded in the README, never asserted in tests.

    ./contrib/meent-dev bench [--duration S] [--connections N] [--only NAME]
                              [--no-federation]

Unless --only or --no-federation is given, the federation benchmarks
(tests/bench/federation.py: inbox ingest, fan-out to 10,000 servers) run
after these, in a process of their own.
"""

import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from harness import BUILDDIR, Cluster, Meentd, ctl  # noqa: E402

AP = "application/activity+json"

# name, path, Accept header (or None), what it measures
WORKLOADS = [
    ("healthz", "/healthz", None, "no database: the HTTP path alone"),
    ("readyz", "/readyz", None, "one indexed database read per request"),
    ("webfinger", "/.well-known/webfinger?resource=acct:bench@bench.test", None,
     "WebFinger for a local account"),
    ("actor", "/users/bench", AP, "the actor document (ActivityPub JSON)"),
]


def vm(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def wrk(url, duration, connections, threads=2, accept=None, headers=()):
    argv = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % duration, "--latency"]
    if accept:
        argv += ["-H", "Accept: " + accept]
    for h in headers:
        argv += ["-H", h]
    r = subprocess.run(argv + [url], capture_output=True, text=True)
    out = r.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    lat = {}
    for pct in ("50", "99"):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)" % pct, out, re.M)
        if m:
            v = float(m.group(1))
            lat[pct] = v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50_ms": lat.get("50", 0.0),
        "p99_ms": lat.get("99", 0.0),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "errors": errors.group(0) if errors else "",
        "raw": out,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=4, help="meentd HTTP threads")
    ap.add_argument("--only", default=None)
    ap.add_argument("--no-federation", action="store_true",
                    help="skip tests/bench/federation.py")
    args = ap.parse_args()

    with Cluster() as pg:
        conf = pg.config("bench.test", http_threads=args.threads, log_level="warn")
        ctl(conf, "org", "create", "bench", "Bench")
        ctl(conf, "account", "create", "bench", "--org", "bench")
        with Meentd(conf) as d:
            time.sleep(1.0)
            idle_rss = vm(d.proc.pid, "VmRSS")
            idle_anon = vm(d.proc.pid, "RssAnon")
            rows = []
            for name, path, accept, what in WORKLOADS:
                if args.only and name != args.only:
                    continue
                wrk(d.url + path, 2, args.connections, accept=accept)  # warm-up
                res = wrk(d.url + path, args.duration, args.connections, accept=accept)
                rows.append((name, path, what, res))
            peak_rss = vm(d.proc.pid, "VmHWM")
            code = d.stop()
        # The first start above made the instance actor's key (RSA key
        # generation leaves its code resident); every later start reads it.
        with Meentd(conf) as d:
            time.sleep(1.0)
            restart_rss = vm(d.proc.pid, "VmRSS")

    print()
    print("Meent benchmark: %d meentd HTTP threads, wrk %d connections, %ds per workload, %d cores"
          % (args.threads, args.connections, args.duration, os.cpu_count()))
    print()
    print("| workload | path | requests/s | p50 ms | p99 ms | non-2xx | what |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name, path, what, res in rows:
        print("| %s | `%s` | %.0f | %.2f | %.2f | %d | %s |" % (
            name, path, res["rps"], res["p50_ms"], res["p99_ms"], res["non2xx"], what))
        if res["errors"]:
            print("|  |  |  |  |  |  | %s |" % res["errors"])
    print()
    print("| memory | KiB |")
    print("|---|---:|")
    print("| meentd idle RSS after start (%d threads) | %d |" % (args.threads, idle_rss))
    print("| of which private (RssAnon); the rest is shared-library pages | %d |" % idle_anon)
    print("| meentd idle RSS after a restart (the instance key exists) | %d |" % restart_rss)
    print("| meentd peak RSS (VmHWM) | %d |" % peak_rss)
    print()
    print("meentd exit status after SIGTERM: %s" % code)
    print()
    sig = subprocess.run([os.path.join(BUILDDIR, "tests", "bench", "sigbench"), "3"],
                         capture_output=True, text=True)
    speed = subprocess.run(["openssl", "speed", "-seconds", "3", "rsa2048"],
                           capture_output=True, text=True).stdout
    m = re.search(r"^rsa\s+2048 bits\s+\S+\s+\S+\s+\S+\s+([\d.]+)", speed, re.M)
    print("| signature verification (one core) | per second |")
    print("|---|---:|")
    print("| ap_signature_verify_request, cavage rsa-sha256, 1 KiB body | %s |"
          % (sig.stdout.strip() or "failed: " + sig.stderr.strip()))
    print("| openssl speed rsa2048, verify/s (the limit) | %s |" % (m.group(1) if m else "?"))
    if not args.only and not args.no_federation:
        sys.stdout.flush()
        fed = os.path.join(os.path.dirname(os.path.abspath(__file__)), "federation.py")
        sys.exit(subprocess.run([sys.executable, fed]).returncode)


if __name__ == "__main__":
    main()
