"""The client API's statuses between two real meentd (a.test and b.test on
loopback, each with its own PostgreSQL): bob on B follows alice on A;
alice posts through A's API and the post arrives on B, as Mastodon's HTML;
bob replies through B's API and with a signed Create that mentions her;
both replies appear in A's /context of her post and the mention in A's
notifications. Then what alice does to it reaches B too: the favourite
of bob's reply (a Like), an edit (an Update), and the delete."""

import json
import time

import requests

from harness import Api, Cluster, Meentd, ctl, free_port, local_account, main, sign_post, \
    wait_for

PW = "correct horse battery staple %s"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def test(t):
    pa, pb = free_port(), free_port()
    da, db = "a.test:%d" % pa, "b.test:%d" % pb
    common = dict(allow_insecure_http_for_development="yes", allow_private_addresses="127.0.0.0/8",
                  resolve_override="a.test:%d:127.0.0.1, b.test:%d:127.0.0.1" % (pa, pb),
                  http_threads=2, job_workers=1, job_poll_interval=1, api_rate_limit=0)
    with Cluster() as pga, Cluster() as pgb:
        ca = pga.config(da, listen="127.0.0.1:%d" % pa, **common)
        cb = pgb.config(db, listen="127.0.0.1:%d" % pb, **common)
        ta = local_account(ca, "alice", org="a", password=PW % "alice")
        tb = local_account(cb, "bob", org="b", password=PW % "bob")
        alice_uri = "http://%s/users/alice" % da
        bob_uri = "http://%s/users/bob" % db
        with Meentd(ca) as a, Meentd(cb) as b:
            alice, bob = Api(a, ta), Api(b, tb)

            # bob follows alice through B's API (Follow, auto-accepted by A).
            r = ctl(cb, "--json", "remote", "fetch", alice_uri)
            t.is_(r.returncode, 0, "B knows alice: %s" % r.stderr.strip())
            alice_on_b = pgb.psql("SELECT id FROM accounts WHERE uri = :'p1'", alice_uri)[0][0]
            r = bob.post("/api/v1/accounts/%s/follow" % alice_on_b)
            t.is_(r.status_code, 200, "bob follows alice through B's API")
            t.ok(wait_for(lambda: pga.psql("SELECT 1 FROM follows f JOIN accounts a ON "
                                           "a.id = f.account_id WHERE a.uri = :'p1'", bob_uri), 30),
                 "A recorded bob as alice's follower")

            # alice posts through A's API; it arrives on B.
            r = alice.post("/api/v1/statuses", json={"status": "Hello #fediverse\n\nfrom A"})
            t.is_(r.status_code, 200, "alice posts on A")
            st = r.json()
            row = wait_for(lambda: pgb.psql("SELECT id, content, visibility FROM statuses "
                                            "WHERE uri = :'p1'", st["uri"]), 30)
            t.ok(row, "the post arrived on B")
            if not row:
                t.diag(a.log_text(3000))
                return
            on_b, content, vis = row[0]
            # B sanitises what arrives (its own rel and target on links): the
            # paragraphs and the hashtag's link come through.
            t.is_(vis, "public", "public")
            t.like(content, '<p>Hello <a href="http://%s/tags/fediverse" class="mention hashtag"'
                   % da, "with the hashtag's link")
            t.like(content, "</a></p><p>from A</p>", "and the paragraphs")
            t.is_(pgb.psql("SELECT t.name FROM statuses_tags x JOIN tags t ON t.id = x.tag_id "
                           "WHERE x.status_id = :'p1'", on_b), [["fediverse"]], "and its hashtag")
            r = bob.get("/api/v1/statuses/" + on_b)
            t.is_((r.status_code, r.json().get("account", {}).get("acct")),
                  (200, "alice@" + da), "bob sees it through B's API as alice@a.test")

            # bob replies through B's API: it reaches A as the replied-to author.
            r = bob.post("/api/v1/statuses", json={"status": "Thanks!", "in_reply_to_id": on_b})
            t.is_(r.status_code, 200, "bob replies on B")
            reply1 = r.json()
            t.is_(reply1["in_reply_to_id"], on_b, "a reply on B")
            row = wait_for(lambda: pga.psql("SELECT id, in_reply_to_id FROM statuses WHERE "
                                            "uri = :'p1'", reply1["uri"]), 30)
            t.is_(row and row[0][1], st["id"], "the reply arrived on A, linked to alice's post")

            # bob's reply mentioning alice, as a signed Create to A's inbox.
            pem, kid = json.loads(pgb.psql("SELECT json_build_array(private_key_pem, key_id) "
                                           "FROM accounts WHERE username = 'bob'")[0][0])
            note = bob_uri + "/statuses/1"
            html = ('<p><span class="h-card"><a href="%s" class="u-url mention">@<span>alice'
                    '</span></a></span> see you there</p>' % alice_uri)
            body = json.dumps({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": note + "/activity", "type": "Create", "actor": bob_uri,
                "object": {"id": note, "type": "Note", "attributedTo": bob_uri, "content": html,
                           "inReplyTo": st["uri"], "to": [PUBLIC], "cc": [alice_uri],
                           "published": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                           "tag": [{"type": "Mention", "href": alice_uri, "name": "@alice@" + da}]}
            }).encode()
            r = requests.post(a.url + "/inbox", data=body, timeout=20,
                              headers=sign_post(da, "/inbox", body, pem, kid))
            t.is_(r.status_code, 202, "A's inbox takes bob's signed reply")
            alice_id = pga.psql("SELECT id FROM accounts WHERE username = 'alice'")[0][0]
            t.ok(wait_for(lambda: pga.psql(
                "SELECT 1 FROM notifications n JOIN statuses s ON s.id = n.status_id "
                "WHERE n.type = 'mention' AND n.account_id = :'p1' AND s.uri = :'p2'",
                alice_id, note), 30), "alice has a mention notification for it")

            ctx = Api(a).get("/api/v1/statuses/%s/context" % st["id"]).json()
            got = [(s["uri"], s["account"]["acct"]) for s in ctx.get("descendants", [])]
            t.is_(got, [(reply1["uri"], "bob@" + db), (note, "bob@" + db)],
                  "A's /context of alice's post lists both replies, oldest first, as bob@b.test")

            # What alice does next reaches B too.
            reply_on_a = pga.psql("SELECT id FROM statuses WHERE uri = :'p1'", reply1["uri"])[0][0]
            r = alice.post("/api/v1/statuses/%s/favourite" % reply_on_a)
            t.is_((r.status_code, r.json().get("favourited")), (200, True), "alice favourites it")
            t.ok(wait_for(lambda: pgb.psql("SELECT 1 FROM favourites f JOIN statuses s ON "
                                           "s.id = f.status_id WHERE s.uri = :'p1'",
                                           reply1["uri"]), 30), "B recorded the Like")
            t.ok(wait_for(lambda: pgb.psql("SELECT 1 FROM notifications WHERE type = 'favourite'"),
                          10), "and notified bob")
            r = alice.put("/api/v1/statuses/" + st["id"], json={"status": "Hello, edited"})
            t.is_(r.status_code, 200, "alice edits her post")
            t.ok(wait_for(lambda: pgb.psql("SELECT 1 FROM statuses WHERE uri = :'p1' AND "
                                           "content = '<p>Hello, edited</p>' AND edited_at "
                                           "IS NOT NULL", st["uri"]), 30),
                 "B has the edit (an Update)")
            r = alice.delete("/api/v1/statuses/" + st["id"])
            t.is_(r.status_code, 200, "alice deletes her post")
            t.ok(wait_for(lambda: pgb.psql("SELECT 1 FROM statuses WHERE uri = :'p1' AND "
                                           "deleted_at IS NOT NULL", st["uri"]), 30),
                 "B deleted it too (a Delete)")
            t.is_(bob.get("/api/v1/statuses/" + on_b).status_code, 404, "and B's API says so")


main(test)
