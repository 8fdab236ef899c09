"""Federation II, the read side: instance B serves bob's statuses as
Notes and Create/Announce activities at their ids, and his outbox,
followers, following, featured and featured-tags collections, the way
Mastodon serves them. Instance A provides the remote actors (alice, a
follower of bob, and carol, who is not) whose keys sign GETs in Python,
so that B decides who may see private and direct statuses. A second
meentd on B's database runs in authorized-fetch mode with hidden
follower lists."""

import email.utils
import json
import re
import urllib.parse

import requests

from harness import Cluster, Meentd, ctl, free_port, main, sign_get

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
AP = {"Accept": "application/activity+json"}
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")




def test(t):
    pa, pb, pb2 = free_port(), free_port(), free_port()
    da, db = "a.test:%d" % pa, "b.test:%d" % pb
    common = dict(allow_insecure_http_for_development="yes", allow_private_addresses="127.0.0.0/8",
                  resolve_override="a.test:%d:127.0.0.1, b.test:%d:127.0.0.1" % (pa, pb),
                  http_threads=2, job_workers=0)
    with Cluster() as pga, Cluster() as pgb:
        ca = pga.config(da, listen="127.0.0.1:%d" % pa, **common)
        cb = pgb.config(db, listen="127.0.0.1:%d" % pb, **common)
        # The same instance (same domain), in authorized-fetch mode with
        # hidden follower lists, on another port.
        cb2 = pgb.config(db, listen="127.0.0.1:%d" % pb2, authorized_fetch="yes",
                         collections_show_items="no", **common)
        ctl(ca, "org", "create", "a", "A")
        for u in ("alice", "carol"):
            ctl(ca, "account", "create", u, "--org", "a")
        ctl(cb, "org", "create", "b", "B")
        for u in ("bob", "dave"):
            r = ctl(cb, "account", "create", u, "--org", "b")
            t.is_(r.returncode, 0, "created %s on B: %s" % (u, r.stderr.strip()))
        keys = {u: json.loads(pga.psql("SELECT json_build_array(private_key_pem, key_id) FROM "
                                       "accounts WHERE username = :'p1'", u)[0][0])
                for u in ("alice", "carol")}
        base = "http://" + db
        bob = base + "/users/bob"
        dave = base + "/users/dave"
        alice = "http://%s/users/alice" % da
        carol = "http://%s/users/carol" % da

        with Meentd(ca) as a, Meentd(cb) as b:
            for who in (alice, carol):
                r = ctl(cb, "remote", "fetch", who)
                t.is_(r.returncode, 0, "B knows %s: %s" % (who, r.stderr.strip()))

            def acct(uri):
                return pgb.psql("SELECT id FROM accounts WHERE uri = :'p1'", uri)[0][0]

            ids = {u: acct(u) for u in (bob, dave, alice, carol)}

            def status(owner, vis="public", content="<p>hi</p>", extra="", vals=""):
                """Inserts a local status as the client API will: uri and url
                composed from the account and the id. Returns the id."""
                cols = ", " + extra if extra else ""
                more = ", " + vals if vals else ""
                return pgb.psql(
                    "WITH n AS (SELECT meent_id() AS id) "
                    "INSERT INTO statuses (id, uri, url, account_id, content, visibility, local%s) "
                    "SELECT n.id, a.uri || '/statuses/' || n.id, a.url || '/' || n.id, a.id, "
                    ":'p1', :'p2', true%s FROM n, accounts a WHERE a.uri = :'p3' RETURNING id"
                    % (cols, more), content, vis, owner)[0][0]

            def mention(sid, uri):
                pgb.psql("INSERT INTO mentions (status_id, account_id) VALUES (:'p1', :'p2')",
                         sid, ids[uri])

            def get(path, user=None, srv=b, **kw):
                hdrs = dict(AP)
                if user:
                    hdrs = sign_get(db, path, *keys[user])
                hdrs.update(kw.pop("headers", {}))
                return requests.get(srv.url + path, headers=hdrs, timeout=20,
                                    allow_redirects=False, **kw)

            def path(uri):
                return urllib.parse.urlsplit(uri).path + (
                    "?" + urllib.parse.urlsplit(uri).query if urllib.parse.urlsplit(uri).query else "")

            # alice follows bob; bob follows alice; followers counted.
            pgb.psql("INSERT INTO follows (account_id, target_account_id) VALUES (:'p1', :'p2')",
                     ids[alice], ids[bob])
            pgb.psql("INSERT INTO follows (account_id, target_account_id) VALUES (:'p1', :'p2')",
                     ids[bob], ids[alice])

            # A public status with a content warning, language, mentions,
            # a hashtag and media (one remote, one local file).
            s1 = status(bob, "public", '<p>Hallo <a href="x">#Meent</a></p>',
                        "spoiler_text, language, sensitive", "'cw', 'nl', true")
            mention(s1, alice)
            mention(s1, dave)
            pgb.psql("INSERT INTO tags (name) VALUES ('Meent')")
            pgb.psql("INSERT INTO statuses_tags (status_id, tag_id) SELECT :'p1', id FROM tags",
                     s1)
            pgb.psql("INSERT INTO media_attachments (account_id, status_id, type, content_type, "
                     "remote_url, description, blurhash, meta) VALUES (:'p1', :'p2', 'image', "
                     "'image/png', 'http://cdn.test/1.png', 'a cat', 'LKO2', "
                     "'{\"original\": {\"width\": 640, \"height\": 480}}')", ids[bob], s1)
            pgb.psql("INSERT INTO media_attachments (account_id, status_id, type, content_type, "
                     "file_path) VALUES (:'p1', :'p2', 'image', 'image/png', 'x/y.png')",
                     ids[bob], s1)

            r = get("/users/bob/statuses/" + s1)
            t.is_(r.status_code, 200, "a public status as ActivityPub JSON")
            t.like(r.headers.get("Content-Type", ""), "application/activity+json", "content type")
            n = r.json() if r.status_code == 200 else {}
            uri1 = bob + "/statuses/" + s1
            t.is_(n.get("id"), uri1, "id is the status uri")
            t.is_(n.get("type"), "Note", "type Note")
            t.is_(n.get("summary"), "cw", "summary is the content warning")
            t.is_(n.get("inReplyTo"), None, "inReplyTo null")
            t.ok(ISO.match(n.get("published", "")), "published is ISO 8601 UTC with seconds")
            t.is_(n.get("url"), base + "/@bob/" + s1, "url on the profile page layout")
            t.is_(n.get("attributedTo"), bob, "attributedTo")
            t.is_(n.get("to"), [PUBLIC], "public: to Public")
            t.is_(n.get("cc"), [bob + "/followers", alice, dave], "cc followers and mentioned")
            t.is_(n.get("sensitive"), True, "sensitive")
            t.is_(n.get("atomUri"), uri1, "atomUri")
            t.ok("conversation" not in n, "no conversation: we keep none")
            t.is_(n.get("content"), '<p>Hallo <a href="x">#Meent</a></p>', "content is the HTML")
            t.is_(n.get("contentMap"), {"nl": n.get("content")}, "contentMap by language")
            t.ok("updated" not in n, "never edited: no updated")
            t.is_(n.get("tag"), [
                {"type": "Mention", "href": alice, "name": "@alice@" + da},
                {"type": "Mention", "href": dave, "name": "@dave@" + db},
                {"type": "Hashtag", "href": base + "/tags/Meent", "name": "#Meent"}],
                "mentions then hashtags")
            t.is_(n.get("attachment"), [{"type": "Document", "mediaType": "image/png",
                                         "url": "http://cdn.test/1.png", "name": "a cat",
                                         "blurhash": "LKO2", "width": 640, "height": 480}],
                  "remote media as a Document; the unserved local file is left out")
            ctx = n.get("@context", [])
            t.ok(ctx and ctx[0] == "https://www.w3.org/ns/activitystreams", "@context")

            # A reply, edited, without language.
            s2 = status(bob, "public", "<p>re</p>", "in_reply_to_id, edited_at",
                        "%s, now()" % s1)
            n = get("/users/bob/statuses/" + s2).json()
            t.is_(n.get("inReplyTo"), uri1, "a reply names its parent's uri")
            t.is_(n.get("inReplyToAtomUri"), uri1, "and inReplyToAtomUri")
            t.ok(ISO.match(n.get("updated", "")), "edited_at becomes updated")
            t.ok("contentMap" not in n, "no language: no contentMap")
            t.is_(n.get("summary"), None, "no content warning: summary null")

            s3 = status(bob, "unlisted")
            mention(s3, carol)
            n = get("/users/bob/statuses/" + s3).json()
            t.is_((n.get("to"), n.get("cc")), ([bob + "/followers"], [PUBLIC, carol]),
                  "unlisted: to followers, cc Public and mentioned")

            # Private: followers and those mentioned.
            s4 = status(bob, "private")
            mention(s4, dave)
            r = get("/users/bob/statuses/" + s4)
            t.is_(r.status_code, 404, "private unsigned: 404")
            r = get("/users/bob/statuses/" + s4, "alice")
            t.is_(r.status_code, 200, "private, signed by a follower: 200 (%s)" % r.text[:200])
            if r.status_code == 200:
                t.is_((r.json()["to"], r.json()["cc"]), ([bob + "/followers"], [dave]),
                      "private: to followers, cc mentioned")
                t.like(r.headers.get("Cache-Control", ""), "private", "not for shared caches")
            r = get("/users/bob/statuses/" + s4, "carol")
            t.is_(r.status_code, 404, "private, signed by a non-follower: 404")
            s5 = status(bob, "private")
            mention(s5, carol)
            r = get("/users/bob/statuses/" + s5, "carol")
            t.is_(r.status_code, 200, "private, signed by someone mentioned: 200")
            r = get("/users/bob/statuses/%s/activity" % s4, "carol")
            t.is_(r.status_code, 404, "the activity of a private status: 404 too")
            r = get("/users/bob/statuses/" + s4, headers={"Accept": "text/html"})
            t.is_(r.status_code, 404, "private in HTML: 404, no redirect")

            # Direct: only those mentioned.
            s6 = status(bob, "direct")
            mention(s6, carol)
            r = get("/users/bob/statuses/" + s6, "alice")
            t.is_(r.status_code, 404, "direct, signed by a follower not mentioned: 404")
            r = get("/users/bob/statuses/" + s6, "carol")
            t.is_(r.status_code, 200, "direct, signed by the one mentioned: 200")
            if r.status_code == 200:
                t.is_((r.json()["to"], r.json()["cc"]), ([carol], []), "direct: to mentioned only")
            t.is_(get("/users/bob/statuses/" + s6).status_code, 404, "direct unsigned: 404")

            # A bad signature outside authorized-fetch mode is anonymous.
            h = sign_get(db, "/users/bob/statuses/" + s1, *keys["alice"])
            h["Date"] = email.utils.formatdate(0, usegmt=True)
            r = requests.get(b.url + "/users/bob/statuses/" + s1, headers=h, timeout=20)
            t.is_(r.status_code, 200, "bad signature, public status: served anyway")
            r = requests.get(b.url + "/users/bob/statuses/" + s4, headers=h, timeout=20)
            t.is_(r.status_code, 404, "bad signature, private status: 404")

            # The Create activity.
            r = get("/users/bob/statuses/%s/activity" % s1)
            t.is_(r.status_code, 200, "the activity of a public status")
            act = r.json() if r.status_code == 200 else {}
            t.is_(act.get("id"), uri1 + "/activity", "activity id")
            t.is_(act.get("type"), "Create", "type Create")
            t.is_(act.get("actor"), bob, "actor")
            t.is_((act.get("to"), act.get("cc")), ([PUBLIC], [bob + "/followers", alice, dave]),
                  "addressed as its note")
            t.is_(act.get("published"), act.get("object", {}).get("published"),
                  "published as its note")
            t.is_(act.get("object", {}).get("id"), uri1, "object is the Note")
            t.ok("@context" not in act.get("object", {}), "the embedded Note has no @context")

            # A reblog of dave's public status by bob.
            sd = status(dave, "public")
            rb = status(bob, "public", "", "reblog_of_id", sd)
            act = get("/users/bob/statuses/%s/activity" % rb).json()
            t.is_(act.get("type"), "Announce", "a reblog's activity is an Announce")
            t.is_(act.get("object"), dave + "/statuses/" + sd, "of the original's uri")
            t.is_((act.get("to"), act.get("cc")), ([PUBLIC], [dave, bob + "/followers"]),
                  "to Public, cc the original's author and followers")
            r = get("/users/bob/statuses/" + rb)
            t.is_((r.status_code, r.headers.get("Location")), (302, dave + "/statuses/" + sd),
                  "the reblog itself redirects to the original")

            # Content negotiation.
            for accept in ("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
                           "application/activity+json"):
                r = get("/users/bob/statuses/" + s1, headers={"Accept": accept})
                t.is_(r.status_code, 200, "JSON for Accept: " + accept)
            r = get("/users/bob/statuses/" + s1, headers={"Accept": "text/html"})
            t.is_((r.status_code, r.headers.get("Location")), (302, base + "/@bob/" + s1),
                  "HTML: a redirect to the status url")
            t.like(r.headers.get("Vary", ""), "Accept", "Vary: Accept")

            # Not found, and gone.
            t.is_(get("/users/bob/statuses/123").status_code, 404, "unknown id: 404")
            t.is_(get("/users/bob/statuses/abc").status_code, 404, "non-numeric id: 404")
            t.is_(get("/users/dave/statuses/" + s1).status_code, 404, "another author's path: 404")
            t.is_(get("/users/nobody/statuses/" + s1).status_code, 404, "unknown user: 404")
            s7 = status(bob, "public")
            pgb.psql("UPDATE statuses SET deleted_at = now() WHERE id = :'p1'", s7)
            r = get("/users/bob/statuses/" + s7)
            t.is_(r.status_code, 410, "deleted: 410")
            t.is_(r.json() if r.status_code == 410 else None,
                  {"@context": "https://www.w3.org/ns/activitystreams",
                   "id": bob + "/statuses/" + s7, "type": "Tombstone"}, "with a Tombstone")
            t.is_(get("/users/bob/statuses/%s/activity" % s7).status_code, 410,
                  "its activity: 410")
            t.is_(get("/users/bob/statuses/" + s7, headers={"Accept": "text/html"}).status_code,
                  410, "HTML: 410")

            # The outbox: 45 more public statuses; private, direct and
            # deleted ones are not listed.
            pgb.psql("INSERT INTO statuses (id, uri, url, account_id, content, local) "
                     "SELECT x.id, a.uri || '/statuses/' || x.id, a.url || '/' || x.id, a.id, "
                     "'<p>n' || x.n || '</p>', true FROM accounts a, "
                     "(SELECT meent_id() AS id, n FROM generate_series(1, 45) n) x "
                     "WHERE a.uri = :'p1'", bob)
            listed = [row[0] for row in pgb.psql(
                "SELECT id FROM statuses WHERE account_id = :'p1' AND deleted_at IS NULL "
                "AND visibility IN ('public', 'unlisted') ORDER BY id DESC", ids[bob])]
            t.is_(len(listed), 49, "49 statuses to list (3 + a reblog + 45)")
            r = get("/users/bob/outbox")
            t.is_(r.status_code, 200, "outbox")
            ob = r.json() if r.status_code == 200 else {}
            t.is_(ob.get("type"), "OrderedCollection", "an OrderedCollection")
            t.is_(ob.get("totalItems"), 49, "totalItems: public and unlisted")
            t.is_(ob.get("first"), bob + "/outbox?page=true", "first")
            t.is_(ob.get("last"), bob + "/outbox?min_id=0&page=true", "last")
            got, pages, url, prev2 = [], [], ob.get("first"), None
            while url and len(pages) < 5:
                r = get(path(url))
                if r.status_code != 200:
                    break
                pg = r.json()
                pages.append(pg)
                got += pg["orderedItems"]
                url = pg.get("next")
            t.is_([len(p["orderedItems"]) for p in pages], [20, 20, 9], "pages of 20, 20 and 9")
            t.is_([i["id"].split("/")[-2] for i in got], listed, "every status once, newest first")
            t.ok(all(p.get("type") == "OrderedCollectionPage" and
                     p.get("partOf") == bob + "/outbox" for p in pages), "pages are part of the outbox")
            if len(pages) == 3:
                t.is_(pages[0].get("next"), bob + "/outbox?max_id=%s&page=true" % listed[19],
                      "next: max_id of the page's last")
                t.is_(pages[1].get("prev"), bob + "/outbox?min_id=%s&page=true" % listed[20],
                      "prev: min_id of the page's first")
                t.is_(pages[1].get("id"), bob + "/outbox?max_id=%s&page=true" % listed[19],
                      "a page's id is its own URL")
                back = get(path(pages[1]["prev"])).json()
                t.is_([i["id"] for i in back["orderedItems"]],
                      [i["id"] for i in pages[0]["orderedItems"]],
                      "prev leads back to the newer page, newest first")
                t.ok("next" not in pages[2], "no next after the last page")
            kinds = {i["type"] for i in got}
            t.is_(kinds, {"Create", "Announce"}, "Create for statuses, Announce for the reblog")
            t.ok(all("@context" not in i for i in got), "items carry no @context of their own")
            last = get(path(ob.get("last", ""))).json()
            t.is_([i["id"].split("/")[-2] for i in last.get("orderedItems", [])], listed[-20:],
                  "last: the oldest 20, newest first")
            t.is_(get("/users/bob/outbox?page=true&max_id=x").status_code, 400,
                  "a malformed max_id: 400")
            t.is_(get("/users/nobody/outbox").status_code, 404, "outbox of nobody: 404")

            # Followers and following, with 25 more remote followers.
            pgb.psql("INSERT INTO accounts (username, domain, uri) SELECT 'u' || n, 'x.test', "
                     "'http://x.test/users/u' || n FROM generate_series(1, 25) n")
            pgb.psql("INSERT INTO follows (account_id, target_account_id) SELECT a.id, :'p1' "
                     "FROM accounts a WHERE a.domain = 'x.test' ORDER BY a.id", ids[bob])
            pgb.psql("INSERT INTO account_stats (account_id, followers_count, following_count) "
                     "VALUES (:'p1', 26, 1) ON CONFLICT (account_id) DO UPDATE SET "
                     "followers_count = 26, following_count = 1", ids[bob])
            fo = get("/users/bob/followers").json()
            t.is_((fo.get("type"), fo.get("totalItems"), fo.get("first")),
                  ("OrderedCollection", 26, bob + "/followers?page=1"),
                  "followers: total from account_stats, first page")
            p1 = get("/users/bob/followers?page=1").json()
            t.is_(p1.get("orderedItems"), ["http://x.test/users/u%d" % i for i in range(25, 5, -1)],
                  "page 1: 20 actor URIs, newest follow first")
            t.is_((p1.get("type"), p1.get("next"), p1.get("partOf")),
                  ("OrderedCollectionPage", bob + "/followers?page=2", bob + "/followers"),
                  "page 1 links page 2")
            p2 = get("/users/bob/followers?page=2").json()
            t.is_(p2.get("orderedItems"), ["http://x.test/users/u%d" % i for i in range(5, 0, -1)]
                  + [alice], "page 2: the rest, the oldest follow last")
            t.ok("next" not in p2 and p2.get("prev") == bob + "/followers?page=1",
                 "page 2: prev, no next")
            fg = get("/users/bob/following").json()
            t.is_((fg.get("totalItems"), fg.get("first")), (1, bob + "/following?page=1"),
                  "following total")
            t.is_(get("/users/bob/following?page=1").json().get("orderedItems"), [alice],
                  "following lists alice")
            t.is_(get("/users/bob/followers?page=0").status_code, 400, "page 0: 400")

            # Featured statuses and tags: honestly empty until pins exist.
            r = get("/users/bob/collections/featured")
            t.is_(r.json() if r.status_code == 200 else r.status_code,
                  {"@context": "https://www.w3.org/ns/activitystreams",
                   "id": bob + "/collections/featured", "type": "OrderedCollection",
                   "totalItems": 0, "orderedItems": []}, "featured: an empty OrderedCollection")
            r = get("/users/bob/collections/tags")
            t.is_(r.json() if r.status_code == 200 else r.status_code,
                  {"@context": "https://www.w3.org/ns/activitystreams",
                   "id": bob + "/collections/tags", "type": "Collection",
                   "totalItems": 0, "items": []}, "featured tags: an empty Collection")

            # Authorized-fetch mode, hidden networks.
            with Meentd(cb2) as b2:
                for p in ("/users/bob/outbox", "/users/bob/followers", "/users/bob/following",
                          "/users/bob/collections/featured", "/users/bob/statuses/" + s1,
                          "/users/bob/statuses/%s/activity" % s1):
                    t.is_(get(p, srv=b2).status_code, 401, "authorized fetch: unsigned %s 401" % p)
                    t.is_(get(p, "carol", srv=b2).status_code, 200,
                          "authorized fetch: signed %s 200" % p)
                r = get("/users/bob/statuses/" + s1, srv=b2, headers={"Accept": "text/html"})
                t.is_(r.status_code, 302, "authorized fetch: the HTML redirect stays public")
                t.is_(get("/users/bob/statuses/" + s4, "alice", srv=b2).status_code, 200,
                      "authorized fetch: private to a follower")
                t.is_(get("/users/bob/statuses/" + s4, "carol", srv=b2).status_code, 404,
                      "authorized fetch: private not to others")
                fo = get("/users/bob/followers", "carol", srv=b2).json()
                t.is_(fo, {"@context": "https://www.w3.org/ns/activitystreams",
                           "id": bob + "/followers", "type": "OrderedCollection",
                           "totalItems": 26}, "hidden network: totals only")
                t.is_(get("/users/bob/followers?page=1", "carol", srv=b2).status_code, 403,
                      "hidden network: pages forbidden")

            # Suspended and deleted accounts.
            pgb.psql("UPDATE accounts SET suspended_at = now() WHERE id = :'p1'", ids[dave])
            t.is_(get("/users/dave/statuses/" + sd).status_code, 403, "suspended author: 403")
            t.is_(get("/users/dave/outbox").status_code, 403, "suspended: outbox 403")
            pgb.psql("UPDATE accounts SET deleted_at = now() WHERE id = :'p1'", ids[dave])
            t.is_(get("/users/dave/statuses/" + sd).status_code, 410, "deleted author: 410")
            t.is_(get("/users/dave/followers").status_code, 410, "deleted: followers 410")
            a.session.close()


main(test)
