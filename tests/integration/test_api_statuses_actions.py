"""The client API's statuses, part two: what is done to a status after it
is posted, as Mastodon 4.3 answers. Editing (PUT) with its history and
source, deleting with the source text for a redraft, favourites, boosts
(their own status and id), bookmarks, conversation mutes and pins, who
favourited and who boosted with their Link header; the notifications
each makes for a local author, the activity each queues for other
servers, and the 403, 404 and 422 answers."""

import json
import os
import re

from harness import INTEROP, Api, Cluster, Meentd, ctl_json, entity_example, local_account, \
    main, shape_problems

PW = "correct horse battery staple %s"
NOT_FOUND = {"error": "Record not found"}
NOT_ALLOWED = {"error": "This action is not allowed"}
STATUS_OPTIONAL = ("quote_approval",)
# Account fields after 4.3, and last_status_at, null for an account without posts.
ACCOUNT_NEWER = ("avatar_description", "header_description", "show_media", "show_media_replies",
                 "show_featured", "feature_approval", "last_status_at")


def elided_example(name):
    """A documented example the docs cut short with '// ...' (entities/elided)."""
    with open(os.path.join(INTEROP, "mastodon-api", "entities", "elided", name + ".json")) as f:
        text = "\n".join(line for line in f if "// ..." not in line)
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", text))


def test(t):
    with Cluster() as pg:
        conf = pg.config("gov.test", api_rate_limit=0, job_workers=0,
                         allow_insecure_http_for_development="yes")
        users = ("alice", "bob", "carol", "dave")
        tokens = {u: local_account(conf, u, password=PW % u) for u in users}
        read_only = ctl_json(conf, "token", "create", "--user", "bob", "--account", "bob",
                             "--scopes", "read")["access_token"]
        ids = {u: pg.psql("SELECT id FROM accounts WHERE username = :'p1'", u)[0][0] for u in users}
        pg.psql("INSERT INTO follows (account_id, target_account_id) VALUES (:'p1', :'p2')",
                ids["bob"], ids["alice"])
        # A remote author, for the Like that goes to its inbox.
        remote = pg.psql("INSERT INTO accounts (username, domain, uri, inbox_url) VALUES "
                         "('rem', 'remote.test', 'https://remote.test/users/rem', "
                         "'https://remote.test/users/rem/inbox') RETURNING id")[0][0]
        remote_post = pg.psql("INSERT INTO statuses (uri, account_id, content, conversation_id) "
                              "VALUES ('https://remote.test/users/rem/statuses/1', :'p1', "
                              "'<p>hi</p>', 1) RETURNING id", remote)[0][0]
        with Meentd(conf) as d:
            api = {u: Api(d, tokens[u]) for u in users}
            alice, bob, carol, dave = (api[u] for u in users)
            anon = Api(d)

            def post(who, **kw):
                r = who.post("/api/v1/statuses", json=kw)
                return r.json()

            def act(who, sid, what, **kw):
                r = who.post("/api/v1/statuses/%s/%s" % (sid, what), **kw)
                return r.status_code, r.json()

            def jobs(kind):
                """Activities of a type queued: fan-outs, and single deliveries."""
                return [json.loads(p[0]) for p in pg.psql(
                    "SELECT a FROM (SELECT id, coalesce(payload->'activity', "
                    "(payload->>'body')::jsonb) AS a FROM jobs) j WHERE a->>'type' = :'p1' "
                    "ORDER BY id", kind)]

            def notified(who, kind, sid, by="bob"):
                return pg.psql("SELECT count(*) FROM notifications WHERE account_id = :'p1' "
                               "AND type = :'p2' AND status_id = :'p3' AND from_account_id = :'p4'",
                               ids[who], kind, sid, ids[by])[0][0]

            # -- Edit, history, source.
            st = post(alice, status="first #one", spoiler_text="cw")
            sid = st["id"]
            r = alice.put("/api/v1/statuses/" + sid, json={"status": "second @carol",
                                                           "spoiler_text": "cw"})
            t.is_(r.status_code, 200, "PUT /statuses/:id: 200")
            ed = r.json()
            t.is_(shape_problems(ed, entity_example("Status"), optional=STATUS_OPTIONAL), [],
                  "the edited Status has the shape")
            t.is_((ed["id"], ed["spoiler_text"], ed["tags"], [m["acct"] for m in ed["mentions"]]),
                  (sid, "cw", [], ["carol"]), "same id, new text, tags and mentions")
            t.ok(ed["content"].startswith("<p>second <span class=\"h-card\""), "new HTML")
            t.ok(ed["edited_at"] is not None and ed["edited_at"] >= st["created_at"],
                 "edited_at is set")
            t.is_(notified("carol", "mention", sid, by="alice"), "1",
                  "a newly mentioned account is notified")
            r = alice.put("/api/v1/statuses/" + sid, json={"status": "third", "spoiler_text": "cw",
                                                           "language": "fr"})
            third = r.json()
            t.is_((third["content"], third["language"], third["mentions"]), ("<p>third</p>", "fr", []),
                  "edited again: language too; the mention taken out")
            t.is_(pg.psql("SELECT silent FROM mentions WHERE status_id = :'p1'", sid), [["t"]],
                  "the mention taken out goes silent")
            hist = alice.get("/api/v1/statuses/%s/history" % sid).json()
            t.is_([h["content"] for h in hist],
                  ["<p>first <a href=\"http://gov.test/tags/one\" class=\"mention hashtag\" "
                   "rel=\"tag\">#<span>one</span></a></p>",
                   ed["content"], "<p>third</p>"], "history: the original, then each edit, oldest first")
            t.is_(hist[0]["created_at"], st["created_at"], "the original dated at the post's creation")
            t.is_(hist[-1]["created_at"], third["edited_at"], "the last dated at the last edit")
            t.is_(shape_problems(hist[0], elided_example("StatusEdit"), optional=("poll",)), [],
                  "StatusEdit has the documented shape")
            r = alice.put("/api/v1/statuses/" + sid, json={"status": "third", "spoiler_text": "cw",
                                                           "language": "fr"})
            t.is_((r.json()["edited_at"], len(alice.get("/api/v1/statuses/%s/history" % sid).json())),
                  (third["edited_at"], 3), "an edit that changes nothing records nothing")
            src = alice.get("/api/v1/statuses/%s/source" % sid).json()
            t.is_(src, {"id": sid, "text": "third", "spoiler_text": "cw"}, "GET /source")
            t.is_(shape_problems(src, entity_example("StatusSource")), [], "StatusSource shape")
            t.is_(anon.get("/api/v1/statuses/%s/source" % sid).status_code, 401,
                  "/source needs a token")
            fresh = post(alice, status="never edited")
            hist = anon.get("/api/v1/statuses/%s/history" % fresh["id"]).json()
            t.is_([(h["content"], h["created_at"]) for h in hist],
                  [("<p>never edited</p>", fresh["created_at"])],
                  "a post never edited has one version, itself")
            ups = jobs("Update")
            t.is_([u["id"].split("#")[1].startswith("updates/") for u in ups], [True, True],
                  "each edit queues an Update (#updates/<time>)")
            t.is_(ups[-1]["object"]["content"], "<p>third</p>", "with the Note as it now is")
            r = bob.put("/api/v1/statuses/" + sid, json={"status": "mine now"})
            t.is_((r.status_code, r.json()), (404, NOT_FOUND), "editing someone else's post: 404")
            r = alice.put("/api/v1/statuses/" + sid, json={"status": "z" * 501})
            t.is_((r.status_code, r.json()),
                  (422, {"error": "Validation failed: Text character limit of 500 exceeded"}),
                  "an over-long edit: 422")
            r = alice.put("/api/v1/statuses/" + sid, json={"status": ""})
            t.is_(r.status_code, 422, "an edit to nothing: 422")
            r = Api(d, read_only).put("/api/v1/statuses/" + sid, json={"status": "x"})
            t.is_(r.status_code, 403, "editing without write:statuses: 403")

            # -- Favourites.
            pub = post(alice, status="like me")
            code, body = act(bob, pub["id"], "favourite")
            t.is_((code, body["favourited"], body["favourites_count"]), (200, True, 1),
                  "favourite: favourited, counted")
            t.is_(shape_problems(body, entity_example("Status"), optional=STATUS_OPTIONAL), [],
                  "the answer is a Status")
            code, body = act(bob, pub["id"], "favourite")
            t.is_((code, body["favourites_count"]), (200, 1), "favouriting twice counts once")
            t.is_(notified("alice", "favourite", pub["id"]), "1", "the local author is notified once")
            for who in (carol, dave):
                act(who, pub["id"], "favourite")
            r = anon.get("/api/v1/statuses/%s/favourited_by?limit=2" % pub["id"])
            t.is_([a["username"] for a in r.json()], ["dave", "carol"], "favourited_by, newest first")
            t.is_(shape_problems(r.json()[0], entity_example("Account"), optional=ACCOUNT_NEWER), [],
                  "favourited_by lists Accounts")
            link = r.headers.get("Link", "")
            t.like(link, 'rel="next"', "a Link header with next")
            nxt = re.search(r"<([^>]+)>; rel=\"next\"", link).group(1)
            t.is_([a["username"] for a in anon.get(nxt.replace("http://gov.test", "")).json()],
                  ["bob"], "the next page")
            code, body = act(bob, pub["id"], "unfavourite")
            t.is_((code, body["favourited"], body["favourites_count"]), (200, False, 2),
                  "unfavourite")
            t.is_(notified("alice", "favourite", pub["id"]), "0", "the notification goes with it")
            code, body = act(bob, remote_post, "favourite")
            likes = jobs("Like")
            t.is_((code, len(likes)), (200, 1), "favouriting a remote post queues a Like")
            t.is_((likes[0]["object"], likes[0]["actor"]),
                  ("https://remote.test/users/rem/statuses/1", "http://gov.test/users/bob"),
                  "of the post, by bob")
            t.is_(pg.psql("SELECT payload->>'url' FROM jobs WHERE kind = 'deliver' AND "
                          "payload->>'body' LIKE '%Like%'"), [["https://remote.test/users/rem/inbox"]],
                  "to the author's inbox")
            act(bob, remote_post, "unfavourite")
            undo = jobs("Undo")
            t.is_([(u["object"]["type"], u["object"]["id"]) for u in undo],
                  [("Like", likes[0]["id"])], "unfavouriting queues the Undo of that Like")
            prv = post(alice, status="followers", visibility="private")
            code, body = act(carol, prv["id"], "favourite")
            t.is_((code, body), (404, NOT_FOUND), "favouriting a post one may not see: 404")
            code, body = act(Api(d, read_only), pub["id"], "favourite")
            t.is_(code, 403, "favourite without write:favourites: 403")
            code, body = act(anon, pub["id"], "favourite")
            t.is_(code, 401, "favourite without a token: 401")

            # -- Boosts.
            code, rb = act(bob, pub["id"], "reblog")
            t.is_(code, 200, "reblog: 200")
            t.is_(shape_problems(rb, entity_example("Status"),
                                 optional=STATUS_OPTIONAL + ("language",)), [],
                  "the boost is a Status (with a null language, as Mastodon's boosts have)")
            t.ok(rb["id"] != pub["id"], "a boost has its own id")
            t.is_((rb["reblog"]["id"], rb["account"]["id"], rb["reblogged"], rb["reblog"]["reblogged"]),
                  (pub["id"], ids["bob"], True, True), "carrying the original in 'reblog'")
            t.is_((rb["uri"], rb["content"]),
                  ("http://gov.test/users/bob/statuses/" + rb["id"], ""), "its own uri")
            code, again = act(bob, pub["id"], "reblog")
            t.is_(again["id"], rb["id"], "boosting twice returns the first boost")
            code, via = act(bob, rb["id"], "reblog")
            t.is_(via["id"], rb["id"], "boosting a boost boosts its original")
            t.is_(bob.get("/api/v1/statuses/" + rb["id"]).json()["reblog"]["id"], pub["id"],
                  "GET of the boost shows it as a boost")
            t.is_(notified("alice", "reblog", pub["id"]), "1", "the author is notified")
            r = anon.get("/api/v1/statuses/%s/reblogged_by" % pub["id"])
            t.is_([a["username"] for a in r.json()], ["bob"], "reblogged_by")
            t.is_(alice.get("/api/v1/statuses/" + pub["id"]).json()["reblogs_count"], 1,
                  "reblogs_count")
            ann = jobs("Announce")
            t.is_([(a["object"], a["actor"]) for a in ann],
                  [("http://gov.test/users/alice/statuses/" + pub["id"], "http://gov.test/users/bob")],
                  "an Announce is queued")
            code, orig = act(bob, pub["id"], "unreblog")
            t.is_((code, orig["id"], orig["reblogged"], orig["reblogs_count"]),
                  (200, pub["id"], False, 0), "unreblog returns the original, no longer boosted")
            t.is_(bob.get("/api/v1/statuses/" + rb["id"]).status_code, 404, "the boost is gone")
            t.is_(notified("alice", "reblog", pub["id"]), "0", "and its notification")
            t.is_([u["object"]["type"] for u in jobs("Undo")], ["Like", "Announce"],
                  "an Undo of the Announce is queued")
            code, body = act(bob, prv["id"], "reblog")
            t.is_((code, body), (403, NOT_ALLOWED), "someone else's followers-only post: 403")
            code, own = act(alice, prv["id"], "reblog")
            t.is_((code, own["visibility"]), (200, "private"),
                  "one's own followers-only post: a followers-only boost")
            dm = post(alice, status="@bob secret", visibility="direct")
            code, body = act(bob, dm["id"], "reblog")
            t.is_((code, body), (403, NOT_ALLOWED), "a direct post cannot be boosted")
            code, body = act(carol, pub["id"], "reblog", json={"visibility": "loud"})
            t.is_((code, body),
                  (422, {"error": "Validation failed: Visibility is not included in the list"}),
                  "a boost with a bad visibility: 422")
            code, body = act(carol, pub["id"], "reblog", json={"visibility": "unlisted"})
            t.is_(body["visibility"], "unlisted", "a boost may be unlisted")
            code, body = act(carol, "1234", "reblog")
            t.is_((code, body), (404, NOT_FOUND), "boosting nothing: 404")

            # -- Bookmarks and conversation mutes.
            code, body = act(carol, pub["id"], "bookmark")
            t.is_((code, body["bookmarked"]), (200, True), "bookmark")
            code, body = act(carol, pub["id"], "unbookmark")
            t.is_((code, body["bookmarked"]), (200, False), "unbookmark")
            code, body = act(carol, prv["id"], "bookmark")
            t.is_(code, 404, "bookmarking a post one may not see: 404")
            code, body = act(bob, pub["id"], "mute")
            t.is_((code, body["muted"]), (200, True), "mute the conversation")
            reply = post(alice, status="in the thread", in_reply_to_id=pub["id"])
            t.is_(bob.get("/api/v1/statuses/" + reply["id"]).json()["muted"], True,
                  "the whole conversation is muted")
            code, body = act(bob, pub["id"], "unmute")
            t.is_((code, body["muted"]), (200, False), "unmute")
            code, body = act(bob, remote_post, "mute")
            t.is_((code, body["muted"]), (200, True), "a remote post's conversation can be muted")

            # -- Pins.
            code, body = act(alice, pub["id"], "pin")
            t.is_((code, body["pinned"]), (200, True), "pin")
            code, body = act(alice, pub["id"], "pin")
            t.is_((code, body), (422, {"error": "Duplicate record"}), "pinning twice: 422")
            code, body = act(alice, prv["id"], "pin")
            t.is_((code, body["pinned"]), (200, True), "a followers-only post may be pinned")
            code, body = act(alice, dm["id"], "pin")
            t.is_((code, body), (422, {"error": "Validation failed: Posts that are only visible "
                                                "to mentioned users cannot be pinned"}),
                  "a direct post may not")
            mine = post(bob, status="bob's")
            code, body = act(alice, mine["id"], "pin")
            t.is_((code, body), (422, {"error": "Validation failed: Someone else's post cannot be "
                                                "pinned"}), "someone else's post may not")
            code, body = act(alice, own["id"], "pin")
            t.is_((code, body), (422, {"error": "Validation failed: A boost cannot be pinned"}),
                  "a boost may not")
            for i in range(3):
                act(alice, post(alice, status="pin %d" % i)["id"], "pin")
            code, body = act(alice, post(alice, status="one too many")["id"], "pin")
            t.is_((code, body), (422, {"error": "Validation failed: You have already pinned the "
                                                "maximum number of posts"}), "at most five pins")
            adds = jobs("Add")
            t.is_((len(adds), adds[0]["target"], adds[0]["object"]),
                  (5, "http://gov.test/users/alice/collections/featured",
                   "http://gov.test/users/alice/statuses/" + pub["id"]),
                  "each pin queues an Add to the featured collection")
            code, body = act(alice, pub["id"], "unpin")
            t.is_((code, body["pinned"]), (200, False), "unpin")
            t.is_(len(jobs("Remove")), 1, "and a Remove")
            code, body = act(Api(d, read_only), pub["id"], "pin")
            t.is_(code, 403, "pin without write:accounts: 403")

            # -- Delete, with the source for a redraft.
            gone = post(alice, status="delete me #bye", spoiler_text="cw")
            code, boost = act(bob, gone["id"], "reblog")
            act(carol, gone["id"], "favourite")
            r = bob.delete("/api/v1/statuses/" + gone["id"])
            t.is_((r.status_code, r.json()), (404, NOT_FOUND), "deleting someone else's post: 404")
            r = alice.delete("/api/v1/statuses/" + gone["id"])
            t.is_(r.status_code, 200, "DELETE: 200")
            body = r.json()
            t.is_((body["id"], body["text"], body["spoiler_text"]), (gone["id"], "delete me #bye", "cw"),
                  "the answer carries the source text for delete-and-redraft")
            t.is_(shape_problems(body, entity_example("Status"), optional=STATUS_OPTIONAL), [],
                  "and is a Status")
            t.is_(alice.get("/api/v1/statuses/" + gone["id"]).status_code, 404, "then it is gone")
            t.is_(bob.get("/api/v1/statuses/" + boost["id"]).status_code, 404, "its boosts too")
            t.is_(pg.psql("SELECT deleted_at IS NOT NULL FROM statuses WHERE id = :'p1'", gone["id"]),
                  [["t"]], "a tombstone is kept")
            dels = jobs("Delete")
            t.is_([(x["object"]["type"], x["object"]["id"]) for x in dels],
                  [("Tombstone", "http://gov.test/users/alice/statuses/" + gone["id"])],
                  "a Delete with a Tombstone is queued")
            t.is_(alice.delete("/api/v1/statuses/" + gone["id"]).status_code, 404,
                  "deleting twice: 404")
            r = anon.delete("/api/v1/statuses/" + pub["id"])
            t.is_(r.status_code, 401, "DELETE without a token: 401")
            m = pg.psql("INSERT INTO media_attachments (account_id, type, file_path) VALUES "
                        "(:'p1', 'image', 'media/y.png') RETURNING id", ids["alice"])[0][0]
            withm = post(alice, status="", media_ids=[m])
            r = alice.delete("/api/v1/statuses/" + withm["id"])
            t.is_([x["id"] for x in r.json()["media_attachments"]], [m], "deleted with its media")
            redraft = post(alice, status="again", media_ids=[m])
            t.is_([x["id"] for x in redraft["media_attachments"]], [m],
                  "which a redraft can attach again")


main(test)
