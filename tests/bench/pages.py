"""Meent's public page benchmark (issue 6's target: at least 3,000
requests/s on 2 cores for profile and post pages, rendered for a reader
without an account).

A private PostgreSQL is filled with SQL: a local account with a display
name, a bio and 2,000 posts over 20 days (one in six unlisted, one in ten
behind a content warning, one in twenty with a local image, a fifth with
a hashtag and a mention), 200 remote accounts with 20,000 statuses of
their own, and the post measured: the last of a thread of three of the
account's own posts, with 20 public replies from remote accounts, a
favourite and boost count on everything; statistics as autovacuum would
leave them. Then an optimised meentd is loaded with wrk over loopback:
GET /@bench (the profile's first page: 20 posts and the pins) and GET
/@bench/:id (the post, two ancestors, 20 replies).

Reported: requests/s, latency, non-2xx responses, and the CPU time one
request costs meentd, PostgreSQL and wrk, as tests/bench/timeline.py
reports them (on a shared machine the rate depends on the neighbours;
the CPU time does not). Figures are recorded in the README, never
asserted.

    ./contrib/meent-dev bench        (runs tests/bench/run.py, then this)
    MEENT_BUILDDIR=build/bench MEENT_SRCDIR=. python3 tests/bench/pages.py \
        [--duration S] [--connections N] [--threads N] [--only profile|post]
"""

import argparse
import os
import sys
import time

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from harness import Cluster, Meentd, local_account  # noqa: E402
from timeline import measure  # noqa: E402

# :'p1' is the local account's id, :'p2' its number of posts. The post
# measured is the account's newest; its parent and grandparent are the
# two before it.
POPULATE = r"""
SET synchronous_commit = off;
UPDATE accounts SET display_name = 'Ministry of Roads',
  note = '<p>News from the Ministry of Roads: works, closures and consultations.</p>'
WHERE id = :'p1'::bigint;
INSERT INTO accounts (id, username, domain, uri, display_name, url)
SELECT meent_id(), 'citizen' || g, 'remote' || (g % 20) || '.test',
       'https://remote' || (g % 20) || '.test/users/citizen' || g, 'Citizen ' || g,
       'https://remote' || (g % 20) || '.test/@citizen' || g
FROM generate_series(1, 200) g;
CREATE TEMP TABLE bench_remote AS
  SELECT id, row_number() OVER (ORDER BY id) AS n FROM accounts WHERE domain IS NOT NULL;
INSERT INTO statuses (id, uri, url, account_id, visibility, language, local, content, created_at)
SELECT meent_id_at(now() - g * interval '1 minute'), 'https://remote.test/s/' || g,
       'https://remote.test/@s/' || g, (SELECT id FROM bench_remote WHERE n = 1 + g % 200),
       'public', 'en', false, '<p>A citizen writes, number ' || g || '.</p>',
       now() - g * interval '1 minute'
FROM generate_series(1, 20000) g;

CREATE TEMP TABLE bench_posts (g int PRIMARY KEY, id bigint);
INSERT INTO bench_posts SELECT g, meent_id_at(now() - (:'p2'::int - g + 30) * interval '15 minutes')
FROM generate_series(1, :'p2'::int) g;
INSERT INTO statuses (id, uri, url, account_id, visibility, language, local, sensitive,
                      spoiler_text, content, in_reply_to_id, in_reply_to_account_id, created_at)
SELECT b.id, 'http://bench.test/users/bench/statuses/' || b.id,
       'http://bench.test/@bench/' || b.id, :'p1'::bigint,
       CASE WHEN b.g % 6 = 0 THEN 'unlisted' ELSE 'public' END, 'en', true,
       b.g % 10 = 4, CASE WHEN b.g % 10 = 4 THEN 'Road works ' || b.g ELSE '' END,
       '<p>Update ' || b.g || ': the consultation on the new regulation is open until the '
       || 'end of the month. Read the summary and the full text on our website. '
       || '<a href="https://example.gov/c/' || b.g || '" rel="nofollow noopener noreferrer" '
       || 'target="_blank">example.gov/c/' || b.g || '</a></p>',
       CASE WHEN b.g > :'p2'::int - 2 THEN (SELECT id FROM bench_posts o WHERE o.g = b.g - 1) END,
       CASE WHEN b.g > :'p2'::int - 2 THEN :'p1'::bigint END,
       now() - (:'p2'::int - b.g + 30) * interval '15 minutes'
FROM bench_posts b ORDER BY b.g;
INSERT INTO tags (name) SELECT 'topic' || g FROM generate_series(1, 50) g;
INSERT INTO statuses_tags (status_id, tag_id)
SELECT b.id, (SELECT id FROM tags WHERE name = 'topic' || (1 + b.g % 50))
FROM bench_posts b WHERE b.g % 5 = 1;
INSERT INTO mentions (status_id, account_id)
SELECT b.id, (SELECT id FROM bench_remote WHERE n = 1 + b.g % 200)
FROM bench_posts b WHERE b.g % 5 = 2;
INSERT INTO media_attachments (account_id, status_id, type, content_type, file_path, description,
                               meta)
SELECT :'p1'::bigint, b.id, 'image', 'image/png', 'media/' || b.g || '.png',
       'A photo of road works, number ' || b.g, '{"original": {"width": 1200, "height": 800}}'
FROM bench_posts b WHERE b.g % 20 = 7 OR b.g = :'p2'::int;
-- The replies to the post measured, and reactions to everything.
INSERT INTO statuses (id, uri, url, account_id, visibility, language, local, content,
                      in_reply_to_id, in_reply_to_account_id, created_at)
SELECT meent_id_at(now() - (30 - g) * interval '1 minute'), 'https://remote.test/r/' || g,
       'https://remote.test/@r/' || g, (SELECT id FROM bench_remote WHERE n = g * 7),
       'public', 'en', false, '<p>Thank you for the update, reply ' || g || '.</p>',
       (SELECT id FROM bench_posts WHERE g = :'p2'::int), :'p1'::bigint,
       now() - (30 - g) * interval '1 minute'
FROM generate_series(1, 20) g;
INSERT INTO favourites (account_id, status_id)
SELECT r.id, b.id FROM bench_posts b JOIN bench_remote r ON r.n <= 1 + b.g % 7
ON CONFLICT DO NOTHING;
INSERT INTO status_pins (account_id, status_id)
SELECT :'p1'::bigint, id FROM bench_posts WHERE g IN (10, 20);
VACUUM (ANALYZE);
"""

WORKLOADS = [
    ("profile", "/@bench", "the profile's first page (20 posts, 2 pinned)"),
    ("post", None, "a post with 2 ancestors and 20 replies"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2, help="meentd HTTP threads")
    ap.add_argument("--posts", type=int, default=2000)
    ap.add_argument("--only", default=None)
    ap.add_argument("--page-cache-ms", type=int, nargs="*", default=[0, 1000],
                    help="page_cache_ms values to measure (0: every request rendered;"
                    " 1000: meentd's default)")
    args = ap.parse_args()

    rows = []
    with Cluster() as pg:
        conf = pg.config("bench.test", http_threads=args.threads, log_level="warn",
                         api_rate_limit=0, allow_insecure_http_for_development="yes")
        local_account(conf, "bench", org="bench", scopes="read")
        account = pg.psql("SELECT id FROM accounts WHERE username = 'bench'")[0][0]
        t0 = time.time()
        pg.psql(POPULATE, account, args.posts)
        fill = time.time() - t0
        post_id = pg.psql("SELECT max(id) FROM statuses WHERE account_id = :'p1'", account)[0][0]
        for cache_ms in args.page_cache_ms:
            conf = pg.config("bench.test", http_threads=args.threads, log_level="warn",
                             api_rate_limit=0, allow_insecure_http_for_development="yes",
                             page_cache_ms=cache_ms)
            with Meentd(conf) as d:
                for name, path, what in WORKLOADS:
                    if args.only and name != args.only:
                        continue
                    path = path or "/@bench/" + post_id
                    r = requests.get(d.url + path, timeout=10)
                    info = "HTTP %d, %d bytes, %d posts" % (
                        r.status_code, len(r.content), r.text.count('<article class="status"'))
                    measure(d, pg, d.url + path, 2, args.connections)     # warm-up
                    res = measure(d, pg, d.url + path, args.duration, args.connections)
                    name = "%s, page_cache_ms %d" % (name, cache_ms)
                    rows.append((name, path, what, info, res, os.getloadavg()[0]))
                d.stop()

    print()
    print("Meent public page benchmark: %d meentd HTTP threads, wrk %d connections, %ds, %d cores"
          % (args.threads, args.connections, args.duration, os.cpu_count()))
    print("data: a local account with %d posts, 200 remote accounts with 20,000 statuses"
          " (filled in %.0f s)" % (args.posts, fill))
    print()
    print("| workload | path | requests/s | p50 ms | p99 ms | non-2xx | one page |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name, path, what, info, res, _ in rows:
        print("| %s | `%s` | %.0f | %.2f | %.2f | %d | %s |"
              % (name, path, res["rps"], res["p50_ms"], res["p99_ms"], res["non2xx"], info))
    print()
    # The machine is shared: the CPU time a request costs says what two
    # idle cores would serve better than the rate does.
    print("| CPU time per request, ms | meentd | PostgreSQL | wrk | two idle cores would serve"
          " | load average at the end |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, path, what, info, res, load in rows:
        cpu = res["cpu_ms"]
        print("| %s | %.3f | %.3f | %.3f | %.0f requests/s | %.2f |"
              % (name, cpu[0], cpu[1], cpu[2], 2000 / max(sum(cpu), 0.001), load))
        if res["rps"] == 0:
            print(res["raw"])


if __name__ == "__main__":
    main()
