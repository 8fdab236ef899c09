"""Federation II, objects we were not given whole: a Create whose note is
only a URI is fetched from its origin; a reply to an unknown post brings
its parents, up the thread; a boost of an unknown post fetches the post
and then counts; a forged Create (someone else's post) is refused; Add
and Remove on the featured collection pin and unpin; and a Move takes
the local followers to the new account once it names the old one in
alsoKnownAs, and is refused when it does not. Two real meentd, A and B."""

import json

import requests

from harness import Cluster, Meentd, ctl, main, sign_post, two_instances, wait_for

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def test(t):
    (pa, da), (pb, db), common = two_instances()
    with Cluster() as pga, Cluster() as pgb:
        ca = pga.config(da, listen="127.0.0.1:%d" % pa, **common)
        cb = pgb.config(db, listen="127.0.0.1:%d" % pb, **common)
        ctl(ca, "org", "create", "a", "A")
        for u in ("alice", "mallory", "alice2", "impostor"):
            ctl(ca, "account", "create", u, "--org", "a")
        ctl(cb, "org", "create", "b", "B")
        ctl(cb, "account", "create", "bob", "--org", "b")
        alice = "http://%s/users/alice" % da
        mallory = "http://%s/users/mallory" % da
        alice2 = "http://%s/users/alice2" % da
        impostor = "http://%s/users/impostor" % da
        # alice2 names alice as a former account; impostor does not.
        pga.psql("UPDATE accounts SET also_known_as = ARRAY[:'p1'] WHERE username = 'alice2'",
                 alice)
        keys = {u: json.loads(pga.psql("SELECT json_build_array(private_key_pem, key_id) "
                                       "FROM accounts WHERE username = :'p1'", u)[0][0])
                for u in ("alice", "mallory")}

        def a_post(user, text, reply=None):
            """A public post on A; returns its URI."""
            sid = pga.psql("SELECT meent_id()")[0][0]
            uri = "http://%s/users/%s/statuses/%s" % (da, user, sid)
            pga.psql("INSERT INTO statuses (id, uri, url, account_id, local, content, "
                     "in_reply_to_id) SELECT :'p1', :'p2', :'p2', id, true, :'p3', "
                     "(SELECT id FROM statuses WHERE uri = nullif(:'p4', '')) "
                     "FROM accounts WHERE username = :'p5'",
                     sid, uri, "<p>%s</p>" % text, reply or "", user)
            return uri

        n = [0]

        def send(user, act):
            n[0] += 1
            actor = "http://%s/users/%s" % (da, user)
            act.setdefault("@context", "https://www.w3.org/ns/activitystreams")
            act.setdefault("id", "%s#activities/%d" % (actor, n[0]))
            act.setdefault("actor", actor)
            body = json.dumps(act).encode()
            pem, kid = keys[user]
            r = requests.post(b.url + "/inbox", data=body, timeout=20,
                              headers=sign_post(db, "/inbox", body, pem, kid))
            return r.status_code

        def q(sql, *params):
            return pgb.psql(sql, *params)

        def have(uri):
            return q("SELECT 1 FROM statuses WHERE uri = :'p1' AND deleted_at IS NULL", uri)

        with Meentd(ca) as a, Meentd(cb) as b:
            # A Create that only names its note.
            bare = a_post("alice", "only a link")
            t.is_(send("alice", {"type": "Create", "object": bare, "to": [PUBLIC]}), 202,
                  "a Create with the note as a URI is accepted")
            t.ok(wait_for(lambda: have(bare)), "B fetched the note from A and stored it")
            row = q("SELECT s.content, a.uri FROM statuses s JOIN accounts a ON "
                    "a.id = s.account_id WHERE s.uri = :'p1'", bare)
            t.is_(row, [["<p>only a link</p>", alice]], "with its content and author")

            # mallory sends a Create of alice's post: refused after the fetch.
            other = a_post("alice", "not mallory's")
            send("mallory", {"type": "Create", "object": other})
            t.ok(wait_for(lambda: q("SELECT 1 FROM jobs WHERE kind = 'fetch_note' AND "
                                    "payload->>'uri' = :'p1' AND state IN ('done', 'dead')",
                                    other)), "the fetch for mallory's Create ran")
            t.ok(not have(other), "a Create of someone else's post stores nothing")

            # An embedded note from another host is not believed as given.
            fake = "http://%s/users/alice/statuses/999999" % db
            send("alice", {"type": "Create", "object": {
                "id": fake, "type": "Note", "attributedTo": alice, "content": "forged"}})
            t.ok(wait_for(lambda: q("SELECT 1 FROM jobs WHERE kind = 'fetch_note' AND "
                                    "payload->>'uri' = :'p1' AND state IN ('done', 'dead')",
                                    fake)), "a note embedded from another host is fetched")
            t.ok(not have(fake), "and not stored when its origin does not serve it")

            # A reply three deep: the parents come along, linked.
            root = a_post("alice", "root")
            mid = a_post("mallory", "middle", reply=root)
            leaf_html = "<p>leaf</p>"
            leaf = "http://%s/users/alice/statuses/%s" % (da, pga.psql("SELECT meent_id()")[0][0])
            send("alice", {"type": "Create", "object": {
                "id": leaf, "type": "Note", "attributedTo": alice, "content": leaf_html,
                "inReplyTo": mid, "to": [PUBLIC]}})
            t.ok(wait_for(lambda: have(root) and have(mid) and have(leaf)),
                 "the unknown parent and grandparent were fetched")
            chain = q("SELECT p.uri, g.uri FROM statuses s JOIN statuses p ON p.id = "
                      "s.in_reply_to_id JOIN statuses g ON g.id = p.in_reply_to_id "
                      "WHERE s.uri = :'p1'", leaf)
            t.is_(chain, [[mid, root]], "and the thread is linked: leaf -> middle -> root")

            # A boost of a post B has never seen.
            boosted = a_post("alice", "boost me")
            send("mallory", {"type": "Announce", "object": boosted, "to": [PUBLIC],
                             "id": mallory + "#announces/1"})
            t.ok(wait_for(lambda: q("SELECT 1 FROM statuses r JOIN statuses o ON "
                                    "o.id = r.reblog_of_id WHERE o.uri = :'p1' AND r.uri = :'p2'",
                                    boosted, mallory + "#announces/1")),
                 "the boosted post was fetched and the boost recorded")

            # Add / Remove on alice's featured collection.
            featured = alice + "/collections/featured"
            send("alice", {"type": "Add", "object": bare, "target": featured})
            t.ok(wait_for(lambda: q("SELECT 1 FROM status_pins p JOIN statuses s ON "
                                    "s.id = p.status_id WHERE s.uri = :'p1'", bare)),
                 "Add to the featured collection pins the post")
            send("alice", {"type": "Remove", "object": bare, "target": featured})
            t.ok(wait_for(lambda: not q("SELECT 1 FROM status_pins")),
                 "Remove unpins it")
            pinned_new = a_post("alice", "pinned, unseen")
            send("alice", {"type": "Add", "object": pinned_new, "target": featured})
            t.ok(wait_for(lambda: q("SELECT 1 FROM status_pins p JOIN statuses s ON "
                                    "s.id = p.status_id WHERE s.uri = :'p1'", pinned_new)),
                 "Add of an unseen post fetches it, then pins it")
            send("mallory", {"type": "Add", "object": bare, "target": featured})

            # Move: bob follows alice; alice moves to alice2.
            bob_id = q("SELECT id FROM accounts WHERE username = 'bob'")[0][0]
            alice_b = q("SELECT id FROM accounts WHERE uri = :'p1'", alice)[0][0]
            q("INSERT INTO follows (account_id, target_account_id, uri) VALUES (:'p1', :'p2', "
              "'http://b/f/1')", bob_id, alice_b)
            send("alice", {"type": "Move", "object": impostor, "target": alice2})
            send("alice", {"type": "Move", "object": alice, "target": impostor})
            t.ok(wait_for(lambda: q("SELECT 1 FROM jobs WHERE kind = 'move' AND "
                                    "state IN ('done', 'dead')")), "the first Move ran")
            t.ok(q("SELECT 1 FROM follows WHERE account_id = :'p1' AND target_account_id = :'p2'",
                   bob_id, alice_b), "a Move to an account that does not claim the old one "
                                     "changes nothing")
            t.ok(not q("SELECT moved_to_account_id FROM accounts WHERE id = :'p1' AND "
                       "moved_to_account_id IS NOT NULL", alice_b), "alice is not marked moved")
            q("DELETE FROM jobs WHERE kind = 'move'")
            send("alice", {"type": "Move", "object": alice, "target": alice2})
            t.ok(wait_for(lambda: q("SELECT 1 FROM follows f JOIN accounts x ON x.id = "
                                    "f.target_account_id WHERE f.account_id = :'p1' AND "
                                    "x.uri = :'p2'", bob_id, alice2), timeout=30),
                 "bob now follows alice2 (Follow sent, accepted by A)")
            t.ok(not q("SELECT 1 FROM follows WHERE account_id = :'p1' AND "
                       "target_account_id = :'p2'", bob_id, alice_b),
                 "and no longer follows alice")
            t.is_(q("SELECT m.uri FROM accounts a JOIN accounts m ON m.id = "
                    "a.moved_to_account_id WHERE a.id = :'p1'", alice_b), [[alice2]],
                  "alice is marked as moved to alice2")
            t.ok(wait_for(lambda: not pga.psql(
                "SELECT 1 FROM follows f JOIN accounts x ON x.id = f.account_id JOIN "
                "accounts y ON y.id = f.target_account_id WHERE x.username = 'bob' AND "
                "y.username = 'alice'")), "A saw bob's Undo of the old follow")


main(test)
