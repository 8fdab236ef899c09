"""The client API's statuses, part one: posting (POST /api/v1/statuses)
and reading (GET /api/v1/statuses/:id, ?id[]=, /context), against a real
meentd and PostgreSQL, as Mastodon 4.3 answers: the Status entity's shape,
Mastodon's exact HTML for a post with paragraphs, a link, a mention and a
hashtag, what is stored with it (mentions, tags, notification, media, the
Create queued for other servers), Idempotency-Key, defaults, the 401, 403,
404 and 422 answers with Mastodon's messages, who may see what, and the
order of a thread."""

import re

from harness import Api, Cluster, Meentd, ctl_json, entity_example, local_account, main, \
    shape_problems

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
PW = "correct horse battery staple %s"
NOT_FOUND = {"error": "Record not found"}
NO_PARENT = {"error": "The post you are trying to reply to does not appear to exist."}


def test(t):
    with Cluster() as pg:
        conf = pg.config("gov.test", api_rate_limit=0, job_workers=0,
                         allow_insecure_http_for_development="yes")
        tokens = {u: local_account(conf, u, password=PW % u) for u in ("alice", "bob", "carol")}
        read_only = ctl_json(conf, "token", "create", "--user", "alice", "--account", "alice",
                             "--scopes", "read")["access_token"]
        ids = {u: pg.psql("SELECT id FROM accounts WHERE username = :'p1'", u)[0][0]
               for u in tokens}
        # bob follows alice; nobody follows carol.
        pg.psql("INSERT INTO follows (account_id, target_account_id) VALUES (:'p1', :'p2')",
                ids["bob"], ids["alice"])
        base = "http://gov.test"
        with Meentd(conf) as d:
            alice, bob, carol = (Api(d, tokens[u]) for u in ("alice", "bob", "carol"))
            anon = Api(d)

            def post(api, **kw):
                r = api.post("/api/v1/statuses", json=kw)
                return r, (r.json() if r.headers.get("content-type", "").startswith(
                    "application/json") else None)

            # -- A post with a paragraph break, a link, a mention and a hashtag.
            r, st = post(alice, status="Hello\n\nworld https://example.org/page @bob #Tag")
            t.is_(r.status_code, 200, "POST /api/v1/statuses: 200")
            t.is_(shape_problems(st, entity_example("Status"), optional=("quote_approval",)), [],
                  "the Status has the documented shape")
            sid = st["id"]
            t.ok(re.match(r"^\d+$", sid), "its id is a numeric string")
            t.is_(st["content"],
                  '<p>Hello</p><p>world <a href="https://example.org/page" target="_blank" '
                  'rel="nofollow noopener noreferrer" translate="no"><span class="invisible">'
                  'https://</span><span class="">example.org/page</span><span class="invisible">'
                  '</span></a> <span class="h-card" translate="no"><a href="%s/@bob" '
                  'class="u-url mention">@<span>bob</span></a></span> <a href="%s/tags/Tag" '
                  'class="mention hashtag" rel="tag">#<span>Tag</span></a></p>' % (base, base),
                  "Mastodon's HTML: paragraphs, a shortened link, an h-card mention, a hashtag")
            t.is_((st["uri"], st["url"]), (base + "/users/alice/statuses/" + sid,
                                           base + "/@alice/" + sid), "uri and url as Mastodon lays them out")
            t.ok(ISO_MS.match(st["created_at"]), "created_at in ISO 8601 with milliseconds")
            t.is_((st["visibility"], st["language"], st["sensitive"], st["spoiler_text"]),
                  ("public", "en", False, ""), "defaults: public, the user's locale, not sensitive")
            t.is_([(m["acct"], m["id"]) for m in st["mentions"]], [("bob", ids["bob"])],
                  "the mention resolved to bob")
            t.is_(st["tags"], [{"name": "tag", "url": base + "/tags/tag"}], "the hashtag")
            t.is_(st["account"]["id"], ids["alice"], "posted as alice")
            t.is_((st["in_reply_to_id"], st["reblog"], st["edited_at"]), (None, None, None),
                  "not a reply, not a boost, not edited")
            t.is_(pg.psql("SELECT local, conversation_id = id, replace(text, E'\\n', '|'), "
                          "application_id IS NULL FROM statuses WHERE id = :'p1'", sid),
                  [["t", "t", "Hello||world https://example.org/page @bob #Tag", "t"]],
                  "stored local, its own conversation, the source text kept")
            t.is_(pg.psql("SELECT account_id, silent FROM mentions WHERE status_id = :'p1'", sid),
                  [[ids["bob"], "f"]], "a mentions row")
            t.is_(pg.psql("SELECT t.name FROM statuses_tags st JOIN tags t ON t.id = st.tag_id "
                          "WHERE st.status_id = :'p1'", sid), [["Tag"]], "a statuses_tags row")
            t.is_(pg.psql("SELECT account_id, from_account_id FROM notifications "
                          "WHERE type = 'mention' AND status_id = :'p1'", sid),
                  [[ids["bob"], ids["alice"]]], "bob is notified of the mention")
            jobs = pg.psql("SELECT payload->'activity'->>'type', payload->'activity'->'object'->>'id',"
                           " payload->'activity'->'cc' ? :'p2' FROM jobs WHERE kind = 'fanout'",
                           sid, base + "/users/bob")
            t.is_(jobs, [["Create", base + "/users/alice/statuses/" + sid, "t"]],
                  "a Create of the Note is queued for other servers, cc the mentioned")

            # -- Mentions: a known remote account from the accounts table, an
            # unknown one through WebFinger (it fails: the mention stays text),
            # our own domain written out, a suspended account.
            pg.psql("INSERT INTO accounts (username, domain, uri, url, inbox_url) VALUES "
                    "('Rem', 'remote.test', 'https://remote.test/users/rem', "
                    "'https://remote.test/@Rem', 'https://remote.test/users/rem/inbox')")
            r, body = post(alice, status="@rem@REMOTE.test @ghost@nowhere.invalid @carol@gov.test")
            t.is_(r.status_code, 200, "a post with remote and unknown mentions")
            t.is_([m["acct"] for m in body["mentions"]], ["Rem@remote.test", "carol"],
                  "the known remote account and the local one written with our domain")
            t.is_(body["content"],
                  '<p><span class="h-card" translate="no"><a href="https://remote.test/@Rem" '
                  'class="u-url mention">@<span>Rem</span></a></span> @ghost@nowhere.invalid '
                  '<span class="h-card" translate="no"><a href="%s/@carol" class="u-url mention">'
                  '@<span>carol</span></a></span></p>' % base,
                  "resolved mentions are links, the unresolvable one plain text")
            t.like(d.log_text(), "event=mention_unresolved", "the unknown one was looked up first")
            t.is_(pg.psql("SELECT text FROM statuses WHERE id = :'p1'", body["id"]),
                  [["@Rem@remote.test @ghost@nowhere.invalid @carol"]],
                  "the stored text names each account by its acct, as Mastodon rewrites it")
            jobs = pg.psql("SELECT payload->'mentions' FROM jobs WHERE kind = 'fanout' "
                           "AND payload->'activity'->'object'->>'id' = :'p1'", body["uri"])
            t.like(jobs[0][0] if jobs else "", pg.psql("SELECT id FROM accounts WHERE username "
                                                       "= 'Rem'")[0][0],
                   "the Create goes to the mentioned remote account too")
            pg.psql("UPDATE accounts SET suspended_at = now() WHERE username = 'Rem'")
            r, body = post(alice, status="@rem@remote.test hello")
            t.is_(body["mentions"], [], "a suspended account is not mentioned")
            pg.psql("UPDATE accounts SET suspended_at = NULL WHERE username = 'Rem'")

            # -- Errors.
            r = anon.post("/api/v1/statuses", json={"status": "x"})
            t.is_((r.status_code, r.json()), (401, {"error": "The access token is invalid"}),
                  "no token: 401")
            r = Api(d, read_only).post("/api/v1/statuses", json={"status": "x"})
            t.is_((r.status_code, r.json()),
                  (403, {"error": "This action is outside the authorized scopes"}),
                  "a token without write:statuses: 403")
            r, body = post(alice, status="a" * 501)
            t.is_((r.status_code, body),
                  (422, {"error": "Validation failed: Text character limit of 500 exceeded"}),
                  "501 characters: 422 with Mastodon's message")
            r, body = post(alice, status="é" * 500)
            t.is_(r.status_code, 200, "500 characters (of two bytes each) are fine")
            r, body = post(alice, status="x" * 470 + " https://example.org/" + "y" * 200)
            t.is_(r.status_code, 200, "a long link counts 23 characters")
            r, body = post(alice, status="x" * 400, spoiler_text="w" * 101)
            t.is_(r.status_code, 422, "the content warning counts too")
            r, body = post(alice, status="hi", visibility="everyone")
            t.is_((r.status_code, body),
                  (422, {"error": "Validation failed: Visibility is not included in the list"}),
                  "a bad visibility: 422")
            r, body = post(alice, status="  \n ")
            t.is_((r.status_code, body), (422, {"error": "Validation failed: Text can't be blank"}),
                  "a blank status: 422")
            r, body = post(alice, status="\u00a0")
            t.is_(r.status_code, 422, "a no-break space alone is blank too")
            r, body = post(alice, status="", visibility="nope")
            t.is_(body, {"error": "Validation failed: Visibility is not included in the list, "
                                  "Text can't be blank"}, "errors are joined as Rails joins them")
            r, body = post(alice, status="reply", in_reply_to_id="999999999")
            t.is_((r.status_code, body), (404, NO_PARENT), "a reply to nothing: 404")
            r, body = post(alice, status="reply", in_reply_to_id="abc")
            t.is_((r.status_code, body), (404, NO_PARENT), "a reply to a bad id: 404")
            r, body = post(alice, status="x", media_ids=["1", "2", "3", "4", "5"])
            t.is_((r.status_code, body), (422, {"error": "Cannot attach more than 4 files"}),
                  "five media: 422")

            # -- A content warning alone becomes the text; sensitive follows it.
            r, body = post(alice, status="", spoiler_text="only a warning")
            t.is_((r.status_code, body.get("content"), body.get("spoiler_text"), body.get("sensitive")),
                  (200, "<p>only a warning</p>", "", True),
                  "spoiler_text without status: it becomes the text, and the post is sensitive")
            r, body = post(alice, status="behind", spoiler_text="cw", sensitive=False,
                           language="nl-NL", visibility="unlisted")
            t.is_((body["spoiler_text"], body["sensitive"], body["language"], body["visibility"]),
                  ("cw", True, "nl", "unlisted"),
                  "spoiler_text, a region cut off the language, unlisted")
            r, body = post(alice, status="x", language="xx")
            t.is_(body["language"], "en", "an unknown language falls back to the user's")
            pg.psql("UPDATE users SET default_visibility = 'private', default_language = 'de', "
                    "default_sensitive = true WHERE username = 'carol'")
            r, body = post(carol, status="defaults")
            t.is_((body["visibility"], body["language"], body["sensitive"]), ("private", "de", True),
                  "the user's default visibility, language and sensitivity")

            # -- Idempotency-Key: the same key within the hour gives the same status.
            hdr = {"Idempotency-Key": "3f2c9b1e-key"}
            r1 = alice.post("/api/v1/statuses", json={"status": "once"}, headers=hdr)
            r2 = alice.post("/api/v1/statuses", json={"status": "once"}, headers=hdr)
            t.is_((r1.status_code, r2.status_code), (200, 200), "posted twice with one key")
            t.is_(r1.json()["id"], r2.json()["id"], "the second answer is the first status")
            t.is_(pg.psql("SELECT count(*) FROM statuses WHERE text = 'once'"), [["1"]],
                  "stored once")
            r3 = bob.post("/api/v1/statuses", json={"status": "once"}, headers=hdr)
            t.ok(r3.json()["id"] != r1.json()["id"], "the same key from another account is another post")
            pg.psql("UPDATE idempotency_keys SET created_at = now() - interval '2 hours'")
            r4 = alice.post("/api/v1/statuses", json={"status": "once"}, headers=hdr)
            t.ok(r4.json()["id"] != r1.json()["id"], "after an hour the key is free again")

            # -- Media: only one's own, free, processed ones attach.
            def media(owner, processed=True):
                return pg.psql("INSERT INTO media_attachments (account_id, type, content_type, "
                               "file_path, description) VALUES (:'p1', 'image', 'image/png', "
                               "CASE WHEN :'p2' = 't' THEN 'media/x.png' END, 'a cat') RETURNING id",
                               ids[owner], "t" if processed else "f")[0][0]
            m1, m2, theirs = media("alice"), media("alice"), media("bob")
            r, body = post(alice, status="", media_ids=[m1, m2, theirs])
            t.is_(r.status_code, 200, "media without text may be posted")
            t.is_([m["id"] for m in body["media_attachments"]], [m1, m2],
                  "alice's media are attached, bob's is left out")
            want = entity_example("MediaAttachment")
            want.pop("meta")    # our rows have no sizes recorded
            t.is_(shape_problems(body["media_attachments"][0], want,
                                 optional=("blurhash", "preview_remote_url", "text_url",
                                           "remote_url")), [],
                  "an attachment has the documented shape")
            r, again = post(alice, status="again", media_ids=[m1])
            t.is_(again["media_attachments"], [], "media already attached elsewhere are not taken")
            r, body = post(alice, status="x", media_ids=[media("alice", processed=False)])
            t.is_((r.status_code, body), (422, {"error": "Cannot attach files that have not finished "
                                                         "processing. Try again in a moment!"}),
                  "unprocessed media: 422")

            # -- Who may see what.
            _, pub = post(alice, status="for everyone")
            _, unl = post(alice, status="unlisted", visibility="unlisted")
            _, prv = post(alice, status="followers only", visibility="private")
            _, dm = post(alice, status="@carol psst", visibility="direct")
            for who, api, want in (("anonymous", anon, (200, 200, 404, 404)),
                                   ("alice", alice, (200, 200, 200, 200)),
                                   ("bob, a follower", bob, (200, 200, 200, 404)),
                                   ("carol, mentioned in the direct one", carol, (200, 200, 404, 200))):
                got = tuple(api.get("/api/v1/statuses/" + s["id"]).status_code
                            for s in (pub, unl, prv, dm))
                t.is_(got, want, "public, unlisted, private, direct as seen by " + who)
            r = carol.get("/api/v1/statuses/" + prv["id"])
            t.is_(r.json(), NOT_FOUND, "a status one may not see is 'Record not found'")
            r = anon.get("/api/v1/statuses/" + pub["id"])
            t.ok("favourited" not in r.json(), "anonymous readers get no relationship fields")
            t.is_(shape_problems(r.json(), entity_example("Status"),
                                 optional=("quote_approval", "favourited", "reblogged", "muted",
                                           "bookmarked")), [], "the anonymous view has the shape")
            for bad in ("abc", "0", "-1", "99999999999999999999", "123456"):
                r = alice.get("/api/v1/statuses/" + bad)
                t.is_((r.status_code, r.json()), (404, NOT_FOUND), "GET /statuses/%s: 404" % bad)
            pg.psql("INSERT INTO blocks (account_id, target_account_id) VALUES (:'p1', :'p2')",
                    ids["alice"], ids["carol"])
            t.is_(carol.get("/api/v1/statuses/" + pub["id"]).status_code, 404,
                  "a public post is hidden from someone its author blocks")
            pg.psql("DELETE FROM blocks")
            r, body = post(carol, status="reply", in_reply_to_id=prv["id"])
            t.is_((r.status_code, body), (404, NO_PARENT), "no reply to a post one may not see")

            q = "/api/v1/statuses?id[]=%s&id[]=%s&id[]=%s&id[]=123" % (prv["id"], pub["id"], dm["id"])
            t.is_([s["id"] for s in bob.get(q).json()], [prv["id"], pub["id"]],
                  "GET ?id[]: the visible ones, in the order asked (bob)")
            t.is_([s["id"] for s in anon.get(q).json()], [pub["id"]], "and anonymously")
            r = anon.get("/api/v1/statuses?" + "&".join("id[]=%d" % i for i in range(1, 22)))
            t.is_(r.status_code, 422, "more than 20 ids: 422")

            # -- A thread: ancestors root first; descendants depth first,
            # self-replies first.
            _, root = post(alice, status="root")
            _, r1 = post(bob, status="@alice reply", in_reply_to_id=root["id"])
            _, r2 = post(alice, status="@bob answer", in_reply_to_id=r1["id"])
            _, r3 = post(alice, status="and more", in_reply_to_id=root["id"])
            _, r4 = post(carol, status="quiet", in_reply_to_id=root["id"], visibility="private")
            t.is_((r1["in_reply_to_id"], r1["in_reply_to_account_id"]), (root["id"], ids["alice"]),
                  "a reply points at its parent and its author")
            t.is_(pg.psql("SELECT count(DISTINCT conversation_id) FROM statuses WHERE id IN "
                          "(:'p1', :'p2', :'p3', :'p4')", root["id"], r1["id"], r2["id"], r3["id"]),
                  [["1"]], "a reply inherits the thread's conversation")
            _, r5 = post(alice, status="self thread", in_reply_to_id=r2["id"])
            t.is_(r5["in_reply_to_account_id"], ids["bob"],
                  "a reply to one's own reply keeps the account the thread answers")
            r = bob.get("/api/v1/statuses/%s/context" % root["id"])
            t.is_(r.status_code, 200, "GET /context: 200")
            ctx = r.json()
            t.is_(sorted(ctx), ["ancestors", "descendants"], "Context has ancestors and descendants")
            t.is_([s["id"] for s in ctx["descendants"]], [r3["id"], r1["id"], r2["id"], r5["id"]],
                  "descendants as Mastodon orders them (bob cannot see carol's)")
            t.is_(shape_problems(ctx["descendants"][0], entity_example("Status"),
                                 optional=("quote_approval",)), [], "its statuses have the shape")
            ctx = carol.get("/api/v1/statuses/%s/context" % root["id"]).json()
            t.ok(r4["id"] in [s["id"] for s in ctx["descendants"]], "carol sees her own reply")
            ctx = anon.get("/api/v1/statuses/%s/context" % r5["id"]).json()
            t.is_(([s["id"] for s in ctx["ancestors"]], ctx["descendants"]),
                  ([root["id"], r1["id"], r2["id"]], []), "ancestors, root first, anonymously")
            pg.psql("INSERT INTO mutes (account_id, target_account_id) VALUES (:'p1', :'p2')",
                    ids["alice"], ids["bob"])
            ctx = alice.get("/api/v1/statuses/%s/context" % root["id"]).json()
            t.ok(r1["id"] not in [s["id"] for s in ctx["descendants"]],
                 "a muted account's replies are left out of the thread")
            pg.psql("DELETE FROM mutes")
            r = anon.get("/api/v1/statuses/%s/context" % prv["id"])
            t.is_((r.status_code, r.json()), (404, NOT_FOUND), "the context of a hidden post: 404")


main(test)
