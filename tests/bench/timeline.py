"""Meent's home timeline benchmark (issue 5's target: at least 2,000
requests/s on 2 cores for GET /api/v1/timelines/home?limit=40 of an
account following 200 accounts, with 100,000 statuses in the database).

A private PostgreSQL is filled with SQL: 1,000 accounts (200 of them
followed by the reader, who has a bearer token), 100,000 statuses spread
over 25 days, of which about a tenth are boosts, a fifth replies, a fifth
carry a mention and a hashtag and one in twenty an image, with
favourites, bookmarks, pins, blocks and mutes among the other accounts; schema 0006's triggers fill the reader's home feed and the
counters as they would in production. Then an optimised meentd
(api_rate_limit = 0) is loaded with wrk over loopback, with the token.

Reported: requests/s, latency, non-2xx responses, and the CPU time one
request costs meentd, PostgreSQL and wrk (on a shared machine the rate
depends on the neighbours; the CPU time does not). Figures are measured here and recorded in the README, never
asserted.

    ./contrib/meent-dev bench        (runs tests/bench/run.py, then this)
    MEENT_BUILDDIR=build/bench MEENT_SRCDIR=. python3 tests/bench/timeline.py \
        [--duration S] [--connections N] [--threads N] [--statuses N]
"""

import argparse
import os
import resource
import sys
import time

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from federation import cpu_s, pg_cpu_s  # noqa: E402
from harness import Cluster, Meentd, local_account  # noqa: E402
from run import wrk  # noqa: E402

# The population, in one psql session. :'p1' is the reader's account id,
# :'p2' the number of statuses.
POPULATE = r"""
SET synchronous_commit = off;
INSERT INTO accounts (id, username, domain, uri, display_name, note, url, avatar_remote_url)
SELECT meent_id(), 'user' || g, 'remote' || (g % 50) || '.test',
       'https://remote' || (g % 50) || '.test/users/user' || g, 'User number ' || g,
       '<p>Civil servant at department ' || g || '.</p>',
       'https://remote' || (g % 50) || '.test/@user' || g,
       'https://remote' || (g % 50) || '.test/avatars/' || g || '.png'
FROM generate_series(1, 1000) g;
CREATE TEMP TABLE bench_accounts AS
  SELECT id, row_number() OVER (ORDER BY id) AS n FROM accounts WHERE domain IS NOT NULL;
INSERT INTO follows (account_id, target_account_id)
SELECT :'p1'::bigint, id FROM bench_accounts WHERE n <= 200;

-- Statuses, oldest first, one every 20 seconds back from now; their ids
-- are snowflakes of their creation time, as live ones are.
CREATE TEMP TABLE bench_statuses (g int PRIMARY KEY, id bigint, account_id bigint);
INSERT INTO bench_statuses
SELECT g, meent_id_at(now() - ((:'p2'::int - g) * interval '20 seconds')),
       (SELECT id FROM bench_accounts WHERE n = 1 + (g * 7919) % 1000)
FROM generate_series(1, :'p2'::int) g;
INSERT INTO statuses (id, uri, url, account_id, visibility, language, local, content,
                      reblog_of_id, in_reply_to_id, in_reply_to_account_id, created_at)
SELECT b.id, 'https://remote.test/statuses/' || b.g, 'https://remote.test/@s/' || b.g,
       b.account_id, CASE WHEN b.g % 17 = 0 THEN 'unlisted' ELSE 'public' END, 'en', false,
       CASE WHEN b.g % 10 = 3 AND b.g > 1000 THEN '' ELSE
       '<p>Update ' || b.g || ' from the ministry: the consultation on the new regulation '
       || 'is open until the end of the month. Read the summary and the full text on our '
       || 'website, and send your comments through the form. <a href="https://example.gov/c/'
       || b.g || '">example.gov/c/' || b.g || '</a></p>' END,
       CASE WHEN b.g % 10 = 3 AND b.g > 1000 THEN (SELECT id FROM bench_statuses o
            WHERE o.g = b.g - 997) END,
       CASE WHEN b.g % 5 = 1 AND b.g > 1000 THEN (SELECT id FROM bench_statuses o
            WHERE o.g = b.g - 101) END,
       CASE WHEN b.g % 5 = 1 AND b.g > 1000 THEN (SELECT account_id FROM bench_statuses o
            WHERE o.g = b.g - 101) END,
       now() - ((:'p2'::int - b.g) * interval '20 seconds')
FROM bench_statuses b ORDER BY b.g;
INSERT INTO mentions (status_id, account_id)
SELECT b.id, (SELECT id FROM bench_accounts WHERE n = 1 + (b.g * 31) % 1000)
FROM bench_statuses b WHERE b.g % 5 = 2
ON CONFLICT DO NOTHING;
INSERT INTO tags (name) SELECT 'topic' || g FROM generate_series(1, 100) g;
INSERT INTO statuses_tags (status_id, tag_id)
SELECT b.id, (SELECT id FROM tags WHERE name = 'topic' || (1 + b.g % 100))
FROM bench_statuses b WHERE b.g % 5 = 4;
INSERT INTO media_attachments (account_id, status_id, type, remote_url, description, meta)
SELECT b.account_id, b.id, 'image', 'https://remote.test/media/' || b.g || '.jpg',
       'A photo', '{"original": {"width": 1200, "height": 800}}'
FROM bench_statuses b WHERE b.g % 20 = 7;
INSERT INTO favourites (account_id, status_id)
SELECT a.id, b.id FROM bench_statuses b
JOIN bench_accounts a ON a.n = 1 + (b.g * 13) % 1000
WHERE b.g % 3 = 0 AND b.g % 10 <> 3
ON CONFLICT DO NOTHING;
INSERT INTO favourites (account_id, status_id)
SELECT :'p1'::bigint, b.id FROM bench_statuses b WHERE b.g % 50 = 0 AND b.g % 10 <> 3;
-- The other accounts' blocks, mutes, bookmarks, pins and muted
-- conversations, so that these tables are not empty as on a live server
-- (and the plans probe their indexes instead of scanning empty tables).
INSERT INTO blocks (account_id, target_account_id)
SELECT a.id, b.id FROM bench_accounts a JOIN bench_accounts b ON b.n = 1 + (a.n * 37) % 1000
WHERE a.n % 2 = 0 AND a.id <> b.id ON CONFLICT DO NOTHING;
INSERT INTO mutes (account_id, target_account_id)
SELECT a.id, b.id FROM bench_accounts a JOIN bench_accounts b ON b.n = 1 + (a.n * 53) % 1000
WHERE a.n % 2 = 1 AND a.id <> b.id ON CONFLICT DO NOTHING;
INSERT INTO bookmarks (account_id, status_id)
SELECT a.id, b.id FROM bench_statuses b JOIN bench_accounts a ON a.n = 1 + (b.g * 29) % 1000
WHERE b.g % 7 = 0 ON CONFLICT DO NOTHING;
INSERT INTO status_pins (account_id, status_id)
SELECT b.account_id, b.id FROM bench_statuses b WHERE b.g % 400 = 5 ON CONFLICT DO NOTHING;
INSERT INTO conversation_mutes (account_id, conversation_id)
SELECT a.id, a.n * 1000 FROM bench_accounts a;
-- As autovacuum would have by then: statistics, and the visibility map
-- that lets the home feed be read from its index alone.
VACUUM (ANALYZE);
"""


def measure(d, pg, url, duration, connections, token=None):
    """wrk against url with the token (None: anonymous, as tests/bench/pages.py
    reads pages); its figures and the CPU time per request of meentd,
    PostgreSQL and wrk itself."""
    before = (cpu_s(d.proc.pid), pg_cpu_s(pg), resource.getrusage(resource.RUSAGE_CHILDREN))
    res = wrk(url, duration, connections,
              headers=("Authorization: Bearer " + token,) if token else ())
    after = (cpu_s(d.proc.pid), pg_cpu_s(pg), resource.getrusage(resource.RUSAGE_CHILDREN))
    n = max(res["rps"] * duration, 1)
    wrk_s = (after[2].ru_utime + after[2].ru_stime) - (before[2].ru_utime + before[2].ru_stime)
    res["cpu_ms"] = tuple(1000 * x / n for x in (after[0] - before[0], after[1] - before[1], wrk_s))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2, help="meentd HTTP threads")
    ap.add_argument("--statuses", type=int, default=100000)
    args = ap.parse_args()

    with Cluster() as pg:
        conf = pg.config("bench.test", http_threads=args.threads, log_level="warn",
                         api_rate_limit=0)
        token = local_account(conf, "reader", org="bench", scopes="read",
                              password="bench-password-2026")
        reader = pg.psql("SELECT id FROM accounts WHERE username = 'reader'")[0][0]
        t0 = time.time()
        pg.psql(POPULATE, reader, args.statuses)
        fill = time.time() - t0
        counts = pg.psql("SELECT (SELECT count(*) FROM statuses), (SELECT count(*) FROM "
                         "follows WHERE account_id = :'p1'), (SELECT count(*) FROM home_feeds "
                         "WHERE account_id = :'p1')", reader)[0]
        with Meentd(conf) as d:
            url = d.url + "/api/v1/timelines/home?limit=40"
            r = requests.get(url, headers={"Authorization": "Bearer " + token}, timeout=10)
            page = r.json() if r.status_code == 200 else []
            boosts = sum(1 for s in page if s.get("reblog"))
            measure(d, pg, url, 2, args.connections, token)           # warm-up
            res = measure(d, pg, url, args.duration, args.connections, token)
            load = os.getloadavg()[0]
            d.stop()

    print()
    print("Meent home timeline benchmark: %d meentd HTTP threads, wrk %d connections, %ds, %d cores"
          % (args.threads, args.connections, args.duration, os.cpu_count()))
    print("data: %s statuses, reader follows %s accounts, %s statuses in the reader's home feed"
          " (filled in %.0f s)" % (counts[0], counts[1], counts[2], fill))
    print("one page: HTTP %d, %d statuses, %d of them boosts, %d bytes"
          % (r.status_code, len(page), boosts, len(r.content)))
    print()
    cpu = res["cpu_ms"]
    print("| workload | requests/s | p50 ms | p99 ms | non-2xx |")
    print("|---|---:|---:|---:|---:|")
    print("| `GET /api/v1/timelines/home?limit=40` | %.0f | %.2f | %.2f | %d |"
          % (res["rps"], res["p50_ms"], res["p99_ms"], res["non2xx"]))
    print()
    # The machine is shared: the CPU time a request costs says what two
    # idle cores would serve better than the rate does.
    print("| CPU time per request | ms |")
    print("|---|---:|")
    print("| meentd | %.3f |" % cpu[0])
    print("| PostgreSQL | %.3f |" % cpu[1])
    print("| wrk | %.3f |" % cpu[2])
    print("| two idle cores would serve (2,000 ms / the sum) | %.0f requests/s |"
          % (2000 / max(sum(cpu), 0.001)))
    print("| load average at the end (other processes too) | %.2f |" % load)
    if res["rps"] == 0:
        print(res["raw"])


if __name__ == "__main__":
    main()
