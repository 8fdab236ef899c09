"""The data model's promises: Mastodon-style snowflake IDs generated in
PostgreSQL (time in the high 48 bits, ordered), the counters kept by
triggers, and the separation of users, accounts and memberships."""

import subprocess
import time

from harness import Cluster, binary, ctl, main


def test(t):
    with Cluster() as pg:
        before = int(time.time() * 1000)
        ids = [int(r[0]) for r in pg.psql("SELECT meent_id() FROM generate_series(1, 2000)")]
        after = int(time.time() * 1000)
        t.ok(all(before - 5 <= (i >> 16) <= after + 5 for i in ids),
             "the high 48 bits are milliseconds since the Unix epoch")
        t.is_(len(set(ids)), len(ids), "2000 IDs in a burst are distinct")
        t.ok(all(0 < i < 2 ** 63 for i in ids), "they fit a signed 64-bit integer")
        t.ok(len(str(ids[0])) >= 17, "and print as long decimal strings (%d)" % ids[0])
        first = int(pg.psql("SELECT meent_id()")[0][0])
        time.sleep(0.01)
        second = int(pg.psql("SELECT meent_id()")[0][0])
        t.ok(second > first, "IDs made later sort later")
        at = int(pg.psql("SELECT meent_id_at('2020-01-01T00:00:00Z')")[0][0])
        t.is_(at >> 16, 1577836800000, "meent_id_at stamps a given time (remote posts)")

        conf = pg.config("a.test")
        ctl(conf, "org", "create", "min", "Ministerie")
        ctl(conf, "account", "create", "official", "--org", "min")
        ctl(conf, "account", "create", "other", "--org", "min")
        for u in ("staff1", "staff2"):
            subprocess.run([binary("meentctl"), "--config", conf, "user", "create", u,
                            "--password-stdin"], input="correct horse battery\n", text=True,
                           capture_output=True)
        ctl(conf, "member", "add", "staff1", "official", "--role", "owner")
        ctl(conf, "member", "add", "staff2", "official")
        ctl(conf, "member", "add", "staff1", "other")
        rows = pg.psql("SELECT u.username, a.username, m.role FROM memberships m "
                       "JOIN users u ON u.id = m.user_id JOIN accounts a ON a.id = m.account_id "
                       "ORDER BY 1, 2")
        t.is_(rows, [["staff1", "official", "owner"], ["staff1", "other", "editor"],
                     ["staff2", "official", "editor"]],
              "two staff run one account, one person runs two")
        acct = pg.psql("SELECT id FROM accounts WHERE username = 'official'")[0][0]
        other = pg.psql("SELECT id FROM accounts WHERE username = 'other'")[0][0]
        t.ok(int(acct) >> 16 > 0 and int(acct) < int(other), "account IDs are snowflakes in order")

        # Counters follow the rows, whichever code path changes them.
        pg.psql("INSERT INTO follows (account_id, target_account_id) VALUES (:'p1', :'p2')",
                other, acct)
        pg.psql("INSERT INTO statuses (uri, account_id, local) VALUES ('x:1', :'p1', true), "
                "('x:2', :'p1', true)", acct)
        stats = pg.psql("SELECT statuses_count, followers_count FROM account_stats "
                        "WHERE account_id = :'p1'", acct)
        t.is_(stats, [["2", "1"]], "statuses and followers counted by triggers")
        pg.psql("UPDATE statuses SET deleted_at = now() WHERE uri = 'x:1'")
        pg.psql("DELETE FROM follows")
        stats = pg.psql("SELECT statuses_count, followers_count FROM account_stats "
                        "WHERE account_id = :'p1'", acct)
        t.is_(stats, [["1", "0"]], "a tombstoned status and an unfollow count down")
        t.is_(pg.psql("SELECT following_count FROM account_stats WHERE account_id = :'p1'", other),
              [["0"]], "following count back to zero")
        err = None
        try:
            pg.psql("INSERT INTO accounts (username, uri) VALUES ('x', 'https://a.test/users/x')")
        except RuntimeError as e:
            err = str(e)
        t.ok(err and "accounts_local_complete" in err,
             "a local account without organisation or keys is refused by the schema")


main(test)
