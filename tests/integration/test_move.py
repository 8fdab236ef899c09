"""Account migration between two real meentd: alice on A moves to bob2 on
B. The move is refused until bob2 names alice as an alias (meentctl
account alias); then meentctl account move announces it, A's local
follower dave moves over by a Follow that B accepts, and B's carol (a
remote follower of alice) is moved by B itself when the Move arrives,
straight onto the local bob2. alice's actor then shows movedTo."""

import json

import requests

from harness import Cluster, Meentd, ctl, ctl_json, main, two_instances, wait_for


def test(t):
    (pa, da), (pb, db), common = two_instances()
    with Cluster() as pga, Cluster() as pgb:
        ca = pga.config(da, listen="127.0.0.1:%d" % pa, **common)
        cb = pgb.config(db, listen="127.0.0.1:%d" % pb, **common)
        ctl(ca, "org", "create", "a", "A")
        for u in ("alice", "dave"):
            ctl(ca, "account", "create", u, "--org", "a")
        ctl(cb, "org", "create", "b", "B")
        for u in ("bob2", "carol"):
            ctl(cb, "account", "create", u, "--org", "b")
        alice = "http://%s/users/alice" % da
        bob2 = "http://%s/users/bob2" % db

        with Meentd(ca), Meentd(cb):
            carol_on_a = ctl_json(ca, "remote", "fetch", "carol@" + db)["id"]
            alice_on_b = ctl_json(cb, "remote", "fetch", "alice@" + da)["id"]
            dave = pga.psql("SELECT id FROM accounts WHERE username = 'dave'")[0][0]
            alice_id = pga.psql("SELECT id FROM accounts WHERE username = 'alice'")[0][0]
            carol = pgb.psql("SELECT id FROM accounts WHERE username = 'carol'")[0][0]
            pga.psql("INSERT INTO follows (account_id, target_account_id) VALUES "
                     "(:'p1', :'p3'), (:'p2', :'p3')", dave, carol_on_a, alice_id)
            pgb.psql("INSERT INTO follows (account_id, target_account_id, uri) VALUES "
                     "(:'p1', :'p2', 'http://b/follows/1')", carol, alice_on_b)

            r = ctl(ca, "account", "move", "alice", "bob2@" + db)
            t.ok(r.returncode != 0 and "alias" in r.stderr,
                 "a move to an account that does not name alice is refused: " +
                 r.stderr.strip()[:120])
            t.is_(pga.psql("SELECT count(*) FROM jobs WHERE kind IN ('move', 'fanout')"),
                  [["0"]], "and nothing is queued")

            out = ctl_json(cb, "account", "alias", "bob2", "alice@" + da)
            t.is_(out["alias"], alice, "bob2 names alice as an alias")
            t.is_(pgb.psql("SELECT also_known_as FROM accounts WHERE username = 'bob2'"),
                  [["{%s}" % alice]], "stored in alsoKnownAs")
            doc = requests.get("http://127.0.0.1:%d/users/bob2" % pb, timeout=10, headers={
                "Accept": "application/activity+json", "Host": db}).json()
            t.is_(doc.get("alsoKnownAs"), [alice], "and published in bob2's actor")

            out = ctl_json(ca, "account", "move", "alice", "bob2@" + db)
            t.is_(out["moved_to"], bob2, "the move is announced")

            t.ok(wait_for(lambda: pga.psql(
                "SELECT 1 FROM follows f JOIN accounts x ON x.id = f.target_account_id "
                "WHERE f.account_id = :'p1' AND x.uri = :'p2'", dave, bob2), timeout=30),
                "A's local follower dave now follows bob2 (Follow accepted by B)")
            t.ok(not pga.psql("SELECT 1 FROM follows WHERE account_id = :'p1' AND "
                              "target_account_id = :'p2'", dave, alice_id),
                 "and no longer follows alice")
            t.is_(pga.psql("SELECT m.uri FROM accounts a JOIN accounts m ON m.id = "
                           "a.moved_to_account_id WHERE a.id = :'p1'", alice_id), [[bob2]],
                  "alice is marked as moved on A")
            t.ok(wait_for(lambda: pgb.psql(
                "SELECT 1 FROM follows f JOIN accounts x ON x.id = f.target_account_id "
                "WHERE f.account_id = :'p1' AND x.username = 'bob2' AND x.domain IS NULL",
                carol), timeout=30),
                "B moved carol straight onto its own bob2 when the Move arrived")
            t.ok(not pgb.psql("SELECT 1 FROM follows WHERE account_id = :'p1' AND "
                              "target_account_id = :'p2'", carol, alice_on_b),
                 "carol no longer follows alice")
            doc = requests.get("http://127.0.0.1:%d/users/alice" % pa, timeout=10, headers={
                "Accept": "application/activity+json", "Host": da}).json()
            t.is_(doc.get("movedTo"), bob2, "alice's actor shows movedTo")


main(test)
