"""Federation II, incoming Flag: a report signed by alice on instance A
(standing in for a Mastodon instance actor) is delivered to instance B and
becomes a report for B's moderators, as Mastodon's
ActivityPub::Activity::Flag: the reported local account, those of its
statuses named, the comment, and an admin.report notification for every
account an admin or moderator acts as. A Flag of nothing local is dropped;
a re-delivered Flag is stored once. Each step is checked in B's database."""

import json
import os

import requests

from harness import Cluster, INTEROP, Meentd, ctl, main, sign_post, two_instances, wait_for






def test(t):
    (pa, da), (pb, db), common = two_instances()
    with open(os.path.join(INTEROP, "activities", "mastodon-docs",
                           "activitypub.02-Flag.json")) as f:
        example = json.load(f)
    with Cluster() as pga, Cluster() as pgb:
        ca = pga.config(da, listen="127.0.0.1:%d" % pa, **common)
        cb = pgb.config(db, listen="127.0.0.1:%d" % pb, **common)
        ctl(ca, "org", "create", "a", "A")
        ctl(ca, "account", "create", "alice", "--org", "a")
        ctl(cb, "org", "create", "b", "B")
        for name in ("bob", "dave", "mods", "plain"):
            ctl(cb, "account", "create", name, "--org", "b")
        pem, kid = json.loads(pga.psql("SELECT json_build_array(private_key_pem, key_id) "
                                       "FROM accounts WHERE username = 'alice'")[0][0])
        alice = "http://%s/users/alice" % da

        def q(sql, *params):
            return pgb.psql(sql, *params)

        def account(name):
            return q("SELECT id FROM accounts WHERE username = :'p1' AND domain IS NULL",
                     name)[0][0]

        def post(name, n):
            uri = "http://%s/users/%s/statuses/%d" % (db, name, n)
            return uri, q("INSERT INTO statuses (uri, account_id, local, content) "
                          "VALUES (:'p1', :'p2', true, '<p>x</p>') RETURNING id",
                          uri, account(name))[0][0]

        bob, dave = "http://%s/users/bob" % db, "http://%s/users/dave" % db
        (p1, id1), (p2, id2), (p3, id3) = post("bob", 1), post("bob", 2), post("dave", 3)
        # A moderator acts as "mods"; a user without an instance role as "plain".
        q("WITH m AS (INSERT INTO users (username, role) VALUES ('mia', 'moderator') "
          "RETURNING id), p AS (INSERT INTO users (username) VALUES ('pim') RETURNING id) "
          "INSERT INTO memberships (user_id, account_id) SELECT id, :'p1'::bigint FROM m "
          "UNION ALL SELECT id, :'p2'::bigint FROM p", account("mods"), account("plain"))

        def send(act):
            body = json.dumps(act).encode()
            r = requests.post(b.url + "/inbox", data=body, timeout=20,
                              headers=sign_post(db, "/inbox", body, pem, kid))
            return r.status_code

        def flag(fid, objects):
            act = dict(example, id="%s#flags/%s" % (alice, fid), actor=alice, object=objects)
            act["to"] = objects[0] if objects else []
            return act

        def notes(name):
            return q("SELECT count(*) FROM notifications WHERE type = 'admin.report' "
                     "AND account_id = :'p1'", account(name))[0][0]

        with Meentd(ca), Meentd(cb) as b:
            # Mastodon's example: the account, two of its posts, and a post of
            # someone else (not part of this report).
            first = flag(1, [bob, p1, p2, p3, "http://elsewhere.test/users/x"])
            t.is_(send(first), 202, "Flag accepted by the inbox")
            row = wait_for(lambda: q("SELECT r.target_account_id, r.status_ids::text, "
                                     "r.comment, r.category, r.forwarded, a.uri FROM reports r "
                                     "JOIN accounts a ON a.id = r.account_id WHERE r.uri = :'p1'",
                                     first["id"]))
            t.ok(row, "the Flag became a report")
            if row:
                target, statuses, comment, category, forwarded, reporter = row[0]
                t.is_(target, account("bob"), "the report is about bob")
                t.is_(sorted(statuses.strip("{}").split(",")), sorted([id1, id2]),
                      "with bob's two posts, not dave's")
                t.is_(comment, example["content"], "and the comment")
                t.is_((category, forwarded, reporter), ("other", "f", alice),
                      "category other, not forwarded, reported by the signer")
            t.is_(notes("mods"), "1", "the moderator's account is notified")
            t.is_(notes("plain"), "0", "an account without staff is not")
            t.is_(notes("bob"), "0", "nor the reported account")
            t.ok(q("SELECT 1 FROM notifications WHERE type = 'admin.report' AND "
                   "from_account_id = (SELECT id FROM accounts WHERE uri = :'p1')", alice),
                 "the notification is from the reporter")

            # Re-delivered (the inbox's own dedup forgotten): stored once.
            q("DELETE FROM inbox_activities WHERE activity_id = :'p1'", first["id"])
            t.is_(send(first), 202, "the same Flag again")
            t.ok(wait_for(lambda: q("SELECT 1 FROM jobs WHERE kind = 'inbox' AND "
                                    "payload->'activity'->>'id' = :'p1' AND state = 'done' "
                                    "HAVING count(*) = 2", first["id"])),
                 "both deliveries processed")
            t.is_(q("SELECT count(*) FROM reports WHERE uri = :'p1'", first["id"]), [["1"]],
                  "the report is stored once")
            t.is_(notes("mods"), "1", "and the moderators are told once")

            # Only a post named: the report is about its author.
            second = flag(2, [p3])
            t.is_(send(second), 202, "a Flag of a post alone")
            row = wait_for(lambda: q("SELECT target_account_id, status_ids::text FROM reports "
                                     "WHERE uri = :'p1'", second["id"]))
            t.is_(row, [[account("dave"), "{%s}" % id3]], "the report is about dave's post")

            # Nothing of ours: dropped.
            third = flag(3, ["http://elsewhere.test/users/x", "http://%s/users/nobody" % db])
            t.is_(send(third), 202, "a Flag of nothing local is accepted at the door")
            t.ok(wait_for(lambda: "event=inbox_dropped type=Flag id=%s" % third["id"]
                          in b.log_text()), "but dropped with a logged reason")
            t.is_(q("SELECT count(*) FROM reports"), [["2"]], "and never stored")
            t.is_(notes("mods"), "2", "the moderators were told of the two reports")
            t.is_(q("SELECT count(*) FROM jobs WHERE kind = 'inbox' AND state <> 'done'"),
                  [["0"]], "every inbox job finished")


main(test)
