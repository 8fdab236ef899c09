"""Timelines of the client API against a real meentd and PostgreSQL: home
(from home_feeds, without what the viewer blocks or mutes, nor boosts of
posts the viewer may not see), public (local, remote, only_media; public
posts only, no boosts, no replies to others; readable without a token),
hashtags (any[], all[], none[]), bookmarks and favourites; Mastodon's
pagination (max_id, since_id, min_id, limit cap, Link headers that work
when followed) and its errors. The data is written with SQL, so these
tests do not depend on the statuses endpoints."""

from urllib.parse import urlsplit

from harness import Api, Cluster, Meentd, ctl, ctl_json, entity_example, local_account, main, \
    shape_problems

# Fields of the documented examples that Mastodon 4.3 does not have yet.
NEWER = ("quote_approval", "quote", "quotes_count")
# meentctl user create wants a password when there is no terminal.
PASSWORD = "timelines-test-password"


class World:
    """Accounts and a way to write statuses with SQL."""

    def __init__(self, pg, conf):
        self.pg = pg
        self.conf = conf
        self.n = 0

    def account_id(self, username):
        return self.pg.psql("SELECT id FROM accounts WHERE username = :'p1' AND domain IS NULL",
                            username)[0][0]

    def remote(self, username, domain="b.test"):
        return self.pg.psql("INSERT INTO accounts (username, domain, uri) VALUES "
                            "(:'p1', :'p2', 'https://' || :'p2' || '/users/' || :'p1') "
                            "RETURNING id", username, domain)[0][0]

    def post(self, author, vis="public", reblog=None, reply_to=None, local=True, text="hello"):
        self.n += 1
        return self.pg.psql(
            "INSERT INTO statuses (uri, account_id, visibility, local, reblog_of_id, "
            "in_reply_to_id, in_reply_to_account_id, content, language) VALUES ('x:' || :'p1', :'p2', "
            ":'p3', :'p4', nullif(:'p5', '')::bigint, nullif(:'p6', '')::bigint, "
            "(SELECT account_id FROM statuses WHERE id = nullif(:'p6', '')::bigint), "
            "'<p>' || :'p7' || '</p>', 'en') RETURNING id",
            self.n, author, vis, "t" if local else "f", reblog or "", reply_to or "", text)[0][0]

    def follow(self, a, b):
        self.pg.psql("INSERT INTO follows (account_id, target_account_id) VALUES (:'p1', :'p2')",
                     a, b)

    def tag(self, status, name):
        self.pg.psql("INSERT INTO tags (name) SELECT :'p1' WHERE NOT EXISTS "
                     "(SELECT 1 FROM tags WHERE lower(name) = lower(:'p1'))", name)
        self.pg.psql("INSERT INTO statuses_tags (status_id, tag_id) SELECT :'p1', id FROM tags "
                     "WHERE lower(name) = lower(:'p2')", status, name)


def ids_of(r):
    return [s["id"] for s in r.json()] if r.status_code == 200 else None


def links(r):
    """The Link header as {rel: path?query} (the host is the instance's
    public one, so tests follow the path on the test server)."""
    out = {}
    for part in r.headers.get("Link", "").split(","):
        if ";" not in part:
            continue
        url, rel = part.split(";", 1)
        u = urlsplit(url.strip().strip("<>"))
        out[rel.split("=", 1)[1].strip().strip('"')] = u.path + "?" + u.query
    return out


def check_home(t, w, api, ids):
    r = api.get("/api/v1/timelines/home?limit=40")
    t.is_(r.status_code, 200, "home: 200")
    got = ids_of(r) or []
    t.ok(ids["bob_public"] in got and ids["bob_unlisted"] in got,
         "home: a followed account's public and unlisted posts")
    t.ok(ids["bob_private"] in got, "home: its followers-only post, for a follower")
    t.ok(ids["carol_public"] not in got, "home: not the posts of someone not followed")
    t.ok(ids["boost_public"] in got, "home: a followed account's boost of a public post")
    t.ok(ids["boost_private"] not in got,
         "home: not a boost of a followers-only post the viewer may not see")
    t.ok(ids["eve_post"] not in got, "home: not the posts of a blocked account")
    t.ok(ids["boost_blocked"] not in got, "home: not boosts of a blocked account's posts")
    t.ok(ids["mal_post"] not in got, "home: not the posts of a muted account")
    t.ok(ids["own"] in got, "home: the viewer's own post")
    t.is_(got, sorted(got, key=int, reverse=True), "home: newest first")
    boost = [s for s in r.json() if s["id"] == ids["boost_public"]]
    t.ok(boost and boost[0]["reblog"] and boost[0]["reblog"]["id"] == ids["carol_public"],
         "home: a boost carries its original in reblog, under its own id")
    for s in r.json()[:3]:
        t.is_(shape_problems(s, entity_example("Status"), optional=NEWER), [],
              "home: status %s has the Status shape" % s["id"])

    bob_api_home = Api(api.d, ids["bob_token"]).get("/api/v1/timelines/home")
    t.ok(ids["bob_private"] in (ids_of(bob_api_home) or []), "home: the author sees their own private post")
    carol_home = ids_of(Api(api.d, ids["carol_token"]).get("/api/v1/timelines/home")) or []
    t.ok(ids["bob_private"] not in carol_home, "home: a non-follower does not get a private post")


def check_cache(t, w, api, ids):
    """Entities come from a cache keyed by row versions: every change to a
    status, its counts or its account must show at once."""
    def home():
        r = api.get("/api/v1/timelines/home?limit=40")
        return {s["id"]: s for s in r.json()} if r.status_code == 200 else {}

    before = home()
    s = before.get(ids["bob_public"], {})
    t.is_((s.get("favourites_count"), s.get("favourited"), s.get("bookmarked")), (0, False, False),
          "cache: not favourited yet")
    both = [x for x in before.values() if (x.get("reblog") or {}).get("id") == ids["carol_public"]]
    t.is_(len(both), 2, "cache: two boosts of one post on one page")
    alice = w.account_id("alice")
    w.pg.psql("INSERT INTO favourites (account_id, status_id) VALUES (:'p1', :'p2')",
              alice, ids["bob_public"])
    w.pg.psql("INSERT INTO bookmarks (account_id, status_id) VALUES (:'p1', :'p2')",
              alice, ids["carol_public"])
    w.pg.psql("UPDATE statuses SET content = '<p>edited</p>', edited_at = now() WHERE id = :'p1'",
              ids["bob_public"])
    w.pg.psql("UPDATE accounts SET display_name = 'Bob B' WHERE username = 'bob'")
    after = home()
    s = after.get(ids["bob_public"], {})
    t.is_((s.get("favourites_count"), s.get("favourited"), s.get("content")),
          (1, True, "<p>edited</p>"), "cache: a new favourite and an edit show at once")
    t.is_(s.get("account", {}).get("display_name"), "Bob B", "cache: so does an account change")
    boost = after.get(ids["boost_public"], {})
    t.is_(boost.get("account", {}).get("display_name"), "Bob B", "cache: on a boost too")
    t.is_((boost.get("reblog") or {}).get("bookmarked"), True,
          "cache: the viewer's flags on a boosted original")
    t.is_(boost.get("bookmarked"), False, "cache: and on the boost itself")
    # The page's own statuses get their flags from one range of the
    # viewer's rows over the page's ids: a page of that status alone is
    # both ends of the range.
    one = api.get("/api/v1/timelines/home?limit=1&max_id=%d" % (int(ids["bob_public"]) + 1))
    t.is_([(x["id"], x.get("favourited")) for x in one.json()], [(ids["bob_public"], True)],
          "cache: favourited on a page of that status alone")
    w.pg.psql("INSERT INTO bookmarks (account_id, status_id) VALUES (:'p1', :'p2')",
              alice, ids["bob_unlisted"])
    w.pg.psql("INSERT INTO conversation_mutes (account_id, conversation_id) SELECT :'p1', "
              "conversation_id FROM statuses WHERE id = :'p2'", alice, ids["bob_unlisted"])
    own_boost = w.post(alice, reblog=ids["bob_unlisted"])
    s = home().get(ids["bob_unlisted"], {})
    t.is_((s.get("bookmarked"), s.get("reblogged"), s.get("muted"), s.get("favourited")),
          (True, True, True, False),
          "cache: the viewer's bookmark, boost and muted conversation show at once")
    w.pg.psql("DELETE FROM statuses WHERE id = :'p1'; DELETE FROM conversation_mutes",
              own_boost)
    s = home().get(ids["bob_unlisted"], {})
    t.is_((s.get("bookmarked"), s.get("reblogged"), s.get("muted")), (True, False, False),
          "cache: and go when they are undone")
    w.pg.psql("UPDATE statuses SET deleted_at = now() WHERE id = :'p1'", ids["carol_public"])
    after = home()
    t.ok(ids["boost_public"] not in after, "cache: a boost of a deleted post is gone at once")
    w.pg.psql("UPDATE statuses SET deleted_at = NULL WHERE id = :'p1'", ids["carol_public"])
    t.ok(ids["boost_public"] in home(), "cache: and back when it is")
    w.pg.psql("DELETE FROM favourites; DELETE FROM bookmarks")
    t.is_(home().get(ids["bob_public"], {}).get("favourited"), False, "cache: unfavourited at once")


def check_pagination(t, w, api, ids):
    series = ids["series"]                  # 45 posts by bob, oldest first
    newest = list(reversed(series))
    r = api.get("/api/v1/timelines/home")
    t.is_(len(r.json()), 20, "page: 20 statuses by default")
    t.is_(ids_of(r), newest[:20], "page: the newest 20, newest first")
    r = api.get("/api/v1/timelines/home?limit=100")
    t.is_(len(r.json()), 40, "page: limit is capped at 40")
    r = api.get("/api/v1/timelines/home?limit=5&max_id=" + newest[4])
    t.is_(ids_of(r), newest[5:10], "page: max_id gives the older ones")
    r = api.get("/api/v1/timelines/home?limit=5&since_id=" + newest[10])
    t.is_(ids_of(r), newest[:5], "page: since_id gives the newest above it")
    r = api.get("/api/v1/timelines/home?limit=5&min_id=" + newest[10])
    t.is_(ids_of(r), newest[5:10], "page: min_id gives the ones right after it, newest first")
    r = api.get("/api/v1/timelines/home?limit=5&min_id=%s&max_id=%s" % (newest[20], newest[12]))
    t.is_(ids_of(r), newest[15:20], "page: min_id with max_id (the page right after min_id)")
    r = api.get("/api/v1/timelines/home?limit=5&min_id=%s&since_id=%s" % (newest[10], newest[1]))
    t.is_(ids_of(r), newest[5:10], "page: min_id wins over since_id, as in Mastodon")
    r = api.get("/api/v1/timelines/home?limit=0")
    t.is_(len(r.json()), 1, "page: limit 0 is raised to 1")
    r = api.get("/api/v1/timelines/home?limit=abc&max_id=junk")
    t.is_(ids_of(r), newest[:20], "page: a junk limit and max_id are ignored")

    r = api.get("/api/v1/timelines/home?limit=5")
    ln = links(r)
    t.ok("next" in ln and "prev" in ln, "link: next and prev")
    t.like(ln.get("next", ""), "max_id=" + newest[4], "link: next is max_id of the oldest")
    t.like(ln.get("prev", ""), "min_id=" + newest[0], "link: prev is min_id of the newest")
    t.like(ln.get("next", ""), "limit=5", "link: the other parameters are kept")
    t.ok(r.headers.get("Link", "").startswith("<https://a.test/api/v1/timelines/home?"),
         "link: absolute URLs on the instance's domain")
    r2 = api.get(ln["next"])
    t.is_(ids_of(r2), newest[5:10], "link: following next gives the next page")
    r3 = api.get(links(r2)["prev"])
    t.is_(ids_of(r3), newest[:5], "link: following prev from there comes back")
    r4 = api.get("/api/v1/timelines/home?max_id=1")
    t.is_((r4.json(), r4.headers.get("Link")), ([], None), "link: none for an empty page")


def check_public(t, w, d, api, ids):
    anon = Api(d)
    r = anon.get("/api/v1/timelines/public")
    t.is_(r.status_code, 200, "public: readable without a token (Mastodon's timeline_preview)")
    got = ids_of(r) or []
    t.ok(ids["bob_public"] in got and ids["carol_public"] in got, "public: public posts")
    t.ok(ids["bob_unlisted"] not in got and ids["bob_private"] not in got
         and ids["bob_direct"] not in got, "public: no unlisted, private or direct posts")
    t.ok(ids["boost_public"] not in got, "public: no boosts")
    t.ok(ids["reply_other"] not in got, "public: no replies to others")
    t.ok(ids["reply_self"] in got, "public: a self-reply (a thread) stays")
    t.ok(ids["remote_media"] in got, "public: remote posts")
    t.ok(ids["eve_post"] in got, "public: an anonymous reader has no blocks")
    for s in r.json()[:2]:
        t.ok("favourited" not in s, "public: no viewer fields for an anonymous reader")
    got = ids_of(api.get("/api/v1/timelines/public")) or []
    t.ok(ids["eve_post"] not in got and ids["mal_post"] not in got,
         "public: the viewer's blocked and muted accounts are left out")
    t.ok(ids["silenced_post"] not in got, "public: no posts of silenced accounts")

    got = ids_of(anon.get("/api/v1/timelines/public?local=true")) or []
    t.ok(ids["bob_public"] in got and ids["remote_media"] not in got, "public: local=true")
    got = ids_of(anon.get("/api/v1/timelines/public?remote=1")) or []
    t.ok(ids["remote_media"] in got and ids["bob_public"] not in got, "public: remote=1")
    got = ids_of(anon.get("/api/v1/timelines/public?only_media=true"))
    t.is_(got, [ids["remote_media"]], "public: only_media")
    r = anon.get("/api/v1/timelines/public?local=true&limit=2")
    t.like(links(r).get("next", ""), "local=true", "public: the Link keeps local")
    got = ids_of(anon.get("/api/v1/timelines/public?local=true&remote=true"))
    t.is_(got, [], "public: local and remote together is empty, as in Mastodon")


def check_tags(t, w, d, ids):
    anon = Api(d)
    r = anon.get("/api/v1/timelines/tag/Cats")
    t.is_(r.status_code, 200, "tag: readable without a token")
    t.is_(ids_of(r), [ids["cats_dogs"], ids["cats"]], "tag: public posts with the hashtag, any case")
    got = ids_of(anon.get("/api/v1/timelines/tag/cats?any[]=birds"))
    t.is_(got, [ids["birds"], ids["cats_dogs"], ids["cats"]], "tag: any[]")
    got = ids_of(anon.get("/api/v1/timelines/tag/cats?all[]=dogs"))
    t.is_(got, [ids["cats_dogs"]], "tag: all[]")
    got = ids_of(anon.get("/api/v1/timelines/tag/cats?none[]=dogs"))
    t.is_(got, [ids["cats"]], "tag: none[]")
    got = ids_of(anon.get("/api/v1/timelines/tag/cats?all[]=nosuchtag"))
    t.is_(got, [ids["cats_dogs"], ids["cats"]], "tag: an unknown all[] tag is ignored, as in Mastodon")
    got = ids_of(anon.get("/api/v1/timelines/tag/cats?local=true"))
    t.is_(got, [ids["cats_dogs"]], "tag: local")
    got = ids_of(anon.get("/api/v1/timelines/tag/cats?remote=true"))
    t.is_(got, [ids["cats"]], "tag: remote")
    got = ids_of(anon.get("/api/v1/timelines/tag/cats?limit=1"))
    t.is_(got, [ids["cats_dogs"]], "tag: limit")
    r = anon.get("/api/v1/timelines/tag/cats?limit=1")
    got = ids_of(anon.get(links(r).get("next", "/")))
    t.is_(got, [ids["cats"]], "tag: the next link works")
    got = ids_of(anon.get("/api/v1/timelines/tag/cats?min_id=" + ids["cats"]))
    t.is_(got, [ids["cats_dogs"]], "tag: min_id")
    t.is_(ids_of(anon.get("/api/v1/timelines/tag/nosuchtag")), [], "tag: an unknown hashtag is empty")
    t.is_(ids_of(anon.get("/api/v1/timelines/tag/" + "x" * 300)), [], "tag: an over-long hashtag is empty")
    t.is_(ids_of(anon.get("/api/v1/timelines/tag/%C3%28")), [], "tag: invalid UTF-8 is empty")
    t.ok(ids["cats_private"] not in (ids_of(anon.get("/api/v1/timelines/tag/cats")) or []),
         "tag: not a followers-only post")


def check_saved(t, w, api, ids, alice):
    # Bookmarks saved in an order other than the statuses' own.
    order = [ids["series"][3], ids["series"][40], ids["series"][7], ids["bob_public"]]
    rows = []
    for sid in order:
        rows.append(w.pg.psql("INSERT INTO bookmarks (account_id, status_id) VALUES "
                              "(:'p1', :'p2') RETURNING id", alice, sid)[0][0])
        w.pg.psql("INSERT INTO favourites (account_id, status_id) VALUES (:'p1', :'p2')",
                  alice, sid)
    for kind in ("bookmarks", "favourites"):
        r = api.get("/api/v1/%s" % kind)
        t.is_(ids_of(r), list(reversed(order)), "%s: newest saved first" % kind)
        r = api.get("/api/v1/%s?limit=2" % kind)
        t.is_(ids_of(r), [order[3], order[2]], "%s: limit" % kind)
        nxt = links(r).get("next", "")
        if kind == "bookmarks":
            t.like(nxt, "max_id=" + rows[2], "bookmarks: the Link pages by the bookmark's id")
        r2 = api.get(nxt)
        t.is_(ids_of(r2), [order[1], order[0]], "%s: the next link gives the rest" % kind)
        r3 = api.get(links(r2).get("prev", "/"))
        t.is_(ids_of(r3), [order[3], order[2]], "%s: and prev comes back" % kind)
        s = r.json()[0]
        t.is_(s.get("bookmarked" if kind == "bookmarks" else "favourited"), True,
              "%s: the status says so" % kind)
    r = api.get("/api/v1/bookmarks?limit=2&min_id=" + rows[0])
    t.is_(ids_of(r), [order[2], order[1]], "bookmarks: min_id by bookmark id")


def check_errors(t, d, conf):
    anon = Api(d)
    for path in ("/api/v1/timelines/home", "/api/v1/bookmarks", "/api/v1/favourites"):
        r = anon.get(path)
        t.is_((r.status_code, r.json().get("error")), (401, "The access token is invalid"),
              "no token: 401 on " + path)
    tok = ctl_json(conf, "token", "create", "--user", "alice", "--account", "alice",
                   "--scopes", "read:accounts write")["access_token"]
    narrow = Api(d, tok)
    for path in ("/api/v1/timelines/home", "/api/v1/timelines/public",
                 "/api/v1/timelines/tag/cats", "/api/v1/bookmarks", "/api/v1/favourites"):
        r = narrow.get(path)
        t.is_((r.status_code, r.json().get("error")),
              (403, "This action is outside the authorized scopes"), "no read scope: 403 on " + path)
    r = Api(d, "not-a-token").get("/api/v1/timelines/public")
    t.is_(r.status_code, 401, "public: a bad token is refused even where none is needed")
    tok = ctl_json(conf, "token", "create", "--user", "alice", "--account", "alice",
                   "--scopes", "read:statuses")["access_token"]
    t.is_(Api(d, tok).get("/api/v1/timelines/home").status_code, 200,
          "read:statuses is enough for home")


def build(t, w, tokens):
    alice, bob, carol = (w.account_id(n) for n in ("alice", "bob", "carol"))
    eve, mal, sil = (w.account_id(n) for n in ("eve", "mal", "sil"))
    dave = w.remote("dave")
    for target in (bob, eve, mal, sil):
        w.follow(alice, target)
    ids = {"bob_token": tokens["bob"], "carol_token": tokens["carol"]}
    ids["series"] = [r[0] for r in w.pg.psql(
        "INSERT INTO statuses (uri, account_id, local, content) SELECT 'series:' || g, "
        ":'p1', true, '<p>n ' || g || '</p>' FROM generate_series(1, 45) g ORDER BY g "
        "RETURNING id", bob)]
    ids["bob_public"] = w.post(bob)
    ids["bob_unlisted"] = w.post(bob, "unlisted")
    ids["bob_private"] = w.post(bob, "private")
    ids["bob_direct"] = w.post(bob, "direct")
    ids["carol_public"] = w.post(carol)
    ids["carol_private"] = w.post(carol, "private")
    ids["boost_public"] = w.post(bob, reblog=ids["carol_public"])
    ids["boost_again"] = w.post(sil, reblog=ids["carol_public"])
    ids["boost_private"] = w.post(bob, "private", reblog=ids["carol_private"])
    ids["eve_post"] = w.post(eve)
    ids["boost_blocked"] = w.post(bob, reblog=ids["eve_post"])
    ids["mal_post"] = w.post(mal)
    ids["silenced_post"] = w.post(sil)
    ids["reply_other"] = w.post(carol, reply_to=ids["bob_public"])
    ids["reply_self"] = w.post(carol, reply_to=ids["carol_public"])
    ids["remote_media"] = w.post(dave, local=False)
    w.pg.psql("INSERT INTO media_attachments (account_id, status_id, type, remote_url) "
              "VALUES (:'p1', :'p2', 'image', 'https://b.test/m.png')", dave, ids["remote_media"])
    ids["own"] = w.post(alice)
    w.pg.psql("INSERT INTO blocks (account_id, target_account_id) VALUES (:'p1', :'p2')", alice, eve)
    w.pg.psql("INSERT INTO mutes (account_id, target_account_id) VALUES (:'p1', :'p2')", alice, mal)
    w.pg.psql("UPDATE accounts SET silenced_at = now() WHERE id = :'p1'", sil)
    # Hashtags: two local posts of carol and one remote of dave.
    ids["cats"] = w.post(dave, local=False)
    w.tag(ids["cats"], "cats")
    ids["cats_dogs"] = w.post(carol)
    w.tag(ids["cats_dogs"], "Cats")
    w.tag(ids["cats_dogs"], "dogs")
    ids["birds"] = w.post(carol)
    w.tag(ids["birds"], "birds")
    ids["cats_private"] = w.post(carol, "private")
    w.tag(ids["cats_private"], "cats")
    return ids, alice


def test(t):
    with Cluster() as pg:
        conf = pg.config("a.test", api_rate_limit=0)
        tokens = {}
        for name in ("alice", "bob", "carol", "eve", "mal", "sil"):
            tokens[name] = local_account(conf, name, password=PASSWORD)
        w = World(pg, conf)
        ids, alice = build(t, w, tokens)
        with Meentd(conf) as d:
            api = Api(d, tokens["alice"])
            check_home(t, w, api, ids)
            check_cache(t, w, api, ids)
            check_public(t, w, d, api, ids)
            check_tags(t, w, d, ids)
            # From here on the home timeline is only the series of 45.
            pg.psql("DELETE FROM home_feeds WHERE account_id = :'p1' AND status_id <> ALL "
                    "(:'p2'::bigint[])", alice, "{" + ",".join(ids["series"]) + "}")
            check_pagination(t, w, api, ids)
            check_saved(t, w, api, ids, alice)
            check_errors(t, d, conf)


main(test)
