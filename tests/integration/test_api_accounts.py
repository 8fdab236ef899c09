"""The accounts group of the client API against a real meentd and
PostgreSQL, part one: the signed-in account (verify_credentials,
update_credentials without files), reading accounts (get, index, lookup,
statuses with their filters, visibility and pagination, followers and
following), relationships and search, with the entity shapes and the
errors Mastodon gives. Follows, blocks and mutes are in
test_api_accounts_follow.py, uploads in test_api_accounts_media.py and
two instances in test_api_accounts_federation.py."""

from client_checks import account_shape, crash_problems, status_shape
from harness import Api, Cluster, Meentd, ctl_json, entity_example, local_account, main, \
    shape_problems

PASSWORD = "accounts-test-password-1"
CRED_SOURCE = ("privacy", "sensitive", "language", "note", "fields", "follow_requests_count",
               "hide_collections", "discoverable", "indexable")


def token(conf, user, scopes):
    return ctl_json(conf, "token", "create", "--user", user, "--account", user,
                    "--scopes", scopes)["access_token"]


def err(r):
    try:
        return r.status_code, r.json().get("error")
    except ValueError:
        return r.status_code, r.text[:200]


def ids(r):
    return [x["id"] for x in r.json()] if r.status_code == 200 else r.text[:300]


def link(r, rel):
    """The URL of rel in the Link header, path and query only."""
    for part in (r.headers.get("Link") or "").split(","):
        if 'rel="%s"' % rel in part:
            url = part.split(";")[0].strip().strip("<>")
            return url[url.index("/api/"):]
    return None


def test_credentials(t, d, conf, pg, alice):
    r = Api(d).get("/api/v1/accounts/verify_credentials")
    t.is_(err(r), (401, "The access token is invalid"), "verify_credentials without a token: 401")
    r = Api(d, token(conf, "alice", "write")).get("/api/v1/accounts/verify_credentials")
    t.is_(err(r), (403, "This action is outside the authorized scopes"),
          "verify_credentials with only write: 403")
    r = Api(d, token(conf, "alice", "profile")).get("/api/v1/accounts/verify_credentials")
    t.is_(r.status_code, 200, "verify_credentials with the profile scope (4.3)")
    r = Api(d, token(conf, "alice", "read:accounts")).get("/api/v1/accounts/verify_credentials")
    t.is_(r.status_code, 200, "verify_credentials with read:accounts")
    me = alice.get("/api/v1/accounts/verify_credentials").json()
    t.is_(account_shape(me), [], "CredentialAccount has the Account shape")
    # The everyone role's id is "-99" in Mastodon itself, the one id that is not a snowflake.
    t.is_(crash_problems(me, skip=(".role",)), [], "and nothing apps crash on")
    t.is_(sorted(k for k in CRED_SOURCE if k not in me.get("source", {})), [],
          "source has every 4.3 key")
    t.is_(shape_problems(me.get("role"), entity_example("Role"), optional=("collection_limit",)),
          [], "role has the Role shape")
    t.is_(me["role"]["id"], "-99", "a user without a role has everyone's role")
    t.is_((me["source"]["privacy"], me["source"]["sensitive"], me["source"]["language"],
           me["source"]["note"], me["source"]["fields"], me["source"]["follow_requests_count"]),
          ("public", False, "", "", [], 0), "a new account's source")
    t.is_((me["username"], me["acct"], me["display_name"], me["note"], me["fields"]),
          ("alice", "alice", "", "", []), "a new account's profile")
    t.ok(me["avatar"].endswith("/avatars/original/missing.png") and
         me["header"].endswith("/headers/original/missing.png"), "missing.png without images")

    # update_credentials: everything but files.
    note = "Hello <world> & friends\nhttps://example.org/a-rather-long-path-to-see-it-cut-off\n\n#gov"
    r = alice.patch("/api/v1/accounts/update_credentials", data={
        "display_name": "Alice \u00c5sa", "note": note, "locked": "1", "bot": "true",
        "discoverable": "false", "indexable": "0",
        "fields_attributes[0][name]": "Website", "fields_attributes[0][value]": "https://example.org",
        "fields_attributes[1][name]": "Pronouns", "fields_attributes[1][value]": "she/her",
        "fields_attributes[2][name]": "", "fields_attributes[2][value]": "",
        "source[privacy]": "unlisted", "source[sensitive]": "true", "source[language]": "nl"})
    t.is_(r.status_code, 200, "update_credentials: 200")
    u = r.json() if r.status_code == 200 else {}
    t.is_(account_shape(u), [], "the answer is a CredentialAccount")
    t.is_(u.get("display_name"), "Alice \u00c5sa", "display_name set")
    t.is_(u.get("note"),
          '<p>Hello &lt;world&gt; &amp; friends<br /><a href="https://example.org/a-rather-long-'
          'path-to-see-it-cut-off" target="_blank" rel="nofollow noopener noreferrer" '
          'translate="no"><span class="invisible">https://</span><span class="ellipsis">'
          'example.org/a-rather-long-path</span><span class="invisible">-to-see-it-cut-off'
          '</span></a></p><p><a href="https://a.test/tags/gov" class="mention hashtag" '
          'rel="tag">#<span>gov</span></a></p>',
          "the note as Mastodon's HTML: escaped, paragraphs, a shortened link, a hashtag")
    t.is_(u.get("source", {}).get("note"), note, "source.note is the plain text")
    t.is_((u.get("locked"), u.get("bot"), u.get("discoverable"), u.get("indexable")),
          (True, True, False, False), "locked, bot, discoverable, indexable")
    t.is_([f["name"] for f in u.get("fields", [])], ["Website", "Pronouns"],
          "fields in order, the blank pair dropped")
    t.like(u["fields"][0]["value"] if u.get("fields") else "",
           'rel="nofollow noopener noreferrer me"', "a field's link has rel=me")
    t.is_(u.get("fields", [{}, {}])[1].get("value"), "she/her", "a plain field value")
    t.is_(u.get("source", {}).get("fields", [{}])[0].get("value"), "https://example.org",
          "source.fields are plain text")
    t.is_((u.get("source", {}).get("privacy"), u.get("source", {}).get("sensitive"),
           u.get("source", {}).get("language")), ("unlisted", True, "nl"),
          "source privacy, sensitive and language")
    t.is_(pg.psql("SELECT actor_type, default_visibility FROM accounts a JOIN memberships m "
                  "ON m.account_id = a.id JOIN users u ON u.id = m.user_id "
                  "WHERE a.username = 'alice'"), [["Service", "unlisted"]],
          "a bot is a Service actor; the user's posting default is stored")
    t.is_(pg.psql("SELECT payload->'activity'->>'type', payload->'activity'->'object'->>'name' "
                  "FROM jobs WHERE kind = 'fanout' ORDER BY id DESC LIMIT 1"),
          [["Update", "Alice \u00c5sa"]], "an Update of the actor is queued to the followers")

    # JSON bodies, fields as an array; unchanged values keep what is not sent.
    r = alice.patch("/api/v1/accounts/update_credentials", json={
        "bot": False, "locked": False, "fields_attributes": [{"name": "N" * 300, "value": "v"}]})
    u = r.json() if r.status_code == 200 else {}
    t.is_((r.status_code, u.get("bot"), u.get("locked"), u.get("display_name")),
          (200, False, False, "Alice \u00c5sa"), "a JSON body; what is not sent stays")
    t.is_(len(u.get("fields", [{}])[0].get("name", "")), 255, "a field name is cut at 255")

    # Validation: Mastodon's messages, nothing changed.
    for data, want in (
            ({"display_name": "x" * 31}, "Display name is too long (maximum is 30 characters)"),
            ({"note": "y" * 501}, "Note is too long (maximum is 500 characters)"),
            ({"source[privacy]": "direct"}, "Default privacy is not included in the list"),
            ({"source[language]": "english"}, "Default language is not included in the list"),
            ({"fields_attributes[0][value]": "no label"},
             "Fields contains values with missing labels"),
            (dict(("fields_attributes[%d][%s]" % (i, k), "f%d" % i) for i in range(5)
                  for k in ("name", "value")), "Fields is too long (maximum is 4 characters)")):
        r = alice.patch("/api/v1/accounts/update_credentials", data=data)
        t.is_(err(r), (422, "Validation failed: " + want), "422: " + want)
    r = alice.patch("/api/v1/accounts/update_credentials",
                    data={"display_name": "z" * 40, "note": "n" * 600})
    t.like(err(r)[1], "Display name is too long (maximum is 30 characters), Note is too long",
           "every problem at once, as Rails lists them")
    t.is_(alice.get("/api/v1/accounts/verify_credentials").json()["display_name"],
          "Alice \u00c5sa", "an invalid update changed nothing")
    r = alice.patch("/api/v1/accounts/update_credentials", data={"display_name": "\u00e9" * 30})
    t.is_(r.status_code, 200, "a display name of 30 two-byte characters is fine")
    r = Api(d, token(conf, "alice", "read")).patch("/api/v1/accounts/update_credentials",
                                                    data={"display_name": "x"})
    t.is_(err(r), (403, "This action is outside the authorized scopes"),
          "update_credentials with only read: 403")
    r = Api(d).patch("/api/v1/accounts/update_credentials", data={"display_name": "x"})
    t.is_(r.status_code, 401, "update_credentials without a token: 401")
    r = alice.put("/api/v1/accounts/update_credentials", data={"display_name": "x"})
    t.is_(r.status_code, 405, "PUT is not update_credentials (Mastodon routes PATCH only)")
    r = alice.patch("/api/v1/accounts/update_credentials", data="{not json",
                    headers={"Content-Type": "application/json"})
    t.is_(r.status_code, 400, "malformed JSON: 400")
    alice.patch("/api/v1/accounts/update_credentials", data={"display_name": "Alice"})


def post(pg, user, text, visibility="public", reply_to=None, reblog_of=None, mention=None,
         sensitive=False):
    """A status by user, written straight into the database; its id."""
    sid = pg.psql("SELECT meent_id()")[0][0]
    pg.psql("INSERT INTO statuses (id, uri, account_id, local, content, visibility, sensitive, "
            "in_reply_to_id, in_reply_to_account_id, reblog_of_id) "
            "SELECT :'p1', 'https://a.test/s/' || :'p1', a.id, true, :'p2', :'p3', :'p4', "
            "nullif(:'p5', '')::bigint, (SELECT account_id FROM statuses WHERE id = "
            "nullif(:'p5', '')::bigint), nullif(:'p6', '')::bigint FROM accounts a "
            "WHERE a.username = :'p7' AND a.domain IS NULL",
            sid, "<p>%s</p>" % text, visibility, "t" if sensitive else "f", reply_to or "",
            reblog_of or "", user)
    if mention:
        pg.psql("INSERT INTO mentions (status_id, account_id) SELECT :'p1', id FROM accounts "
                "WHERE username = :'p2'", sid, mention)
    return sid


def test_read(t, d, pg, alice, bob, ids_of):
    a_id, b_id, c_id = ids_of["alice"], ids_of["bob"], ids_of["carol"]
    anon = Api(d)
    r = anon.get("/api/v1/accounts/%s" % b_id)
    t.is_(r.status_code, 200, "GET /accounts/:id without a token")
    t.is_(account_shape(r.json()), [], "an Account")
    t.is_((r.json()["id"], r.json()["acct"]), (b_id, "bob"), "the one asked for")
    for bad in ("123", "abc", "-1", "9" * 30, "0"):
        t.is_(err(anon.get("/api/v1/accounts/" + bad)), (404, "Record not found"),
              "GET /accounts/%s: 404" % bad)
    actor = pg.psql("SELECT id FROM accounts WHERE actor_type = 'Application' AND domain IS NULL")
    t.is_(anon.get("/api/v1/accounts/%s" % actor[0][0]).status_code, 404,
          "the instance actor is nobody's account: 404")
    r = Api(d, "nonsense").get("/api/v1/accounts/%s" % b_id)
    t.is_(r.status_code, 401, "a bad token is refused even where none is needed")

    r = anon.get("/api/v1/accounts?id[]=%s&id[]=%s&id[]=77&id[]=x" % (a_id, b_id))
    t.is_(sorted(ids(r)), sorted([a_id, b_id]), "GET /accounts?id[]=: those that exist")

    for acct in ("bob", "@bob", "BOB", "bob@a.test", "@bob@A.test", "acct:bob@a.test"):
        r = anon.get("/api/v1/accounts/lookup", params={"acct": acct})
        t.is_((r.status_code, r.json().get("id")), (200, b_id), "lookup %s" % acct)
    r = anon.get("/api/v1/accounts/lookup", params={"acct": "zed@remote.example"})
    t.is_((r.status_code, r.json().get("acct")), (200, "zed@remote.example"),
          "lookup of a known remote account")
    for acct in ("nobody", "bob@elsewhere.example", "bo b", "", "@", "bob@"):
        r = anon.get("/api/v1/accounts/lookup", params={"acct": acct})
        t.is_(err(r), (404, "Record not found"), "lookup %r: 404" % acct)
    t.is_(anon.get("/api/v1/accounts/lookup").status_code, 404, "lookup without acct: 404")

    # Suspended: the entity says so and shows nothing; deleted: gone.
    pg.psql("UPDATE accounts SET suspended_at = now(), display_name = 'Dave D' "
            "WHERE username = 'dave'")
    r = anon.get("/api/v1/accounts/%s" % ids_of["dave"])
    j = r.json()
    t.is_((r.status_code, j.get("suspended"), j.get("display_name"), j.get("fields")),
          (200, True, "", []), "a suspended account: suspended, its profile hidden")
    t.is_(anon.get("/api/v1/accounts/%s/statuses" % ids_of["dave"]).json(), [],
          "a suspended account has no statuses to show")
    r = alice.get("/api/v1/accounts/relationships?id[]=%s" % ids_of["dave"])
    t.is_(r.json(), [], "relationships leave suspended accounts out")
    r = alice.get("/api/v1/accounts/relationships?id[]=%s&with_suspended=true" % ids_of["dave"])
    t.is_(ids(r), [ids_of["dave"]], "unless with_suspended")
    pg.psql("UPDATE accounts SET suspended_at = NULL, deleted_at = now() WHERE username = 'dave'")
    t.is_(anon.get("/api/v1/accounts/%s" % ids_of["dave"]).status_code, 404,
          "a deleted account: 404")

    # Statuses, each kind of visibility and filter.
    s = {}
    s["public"] = post(pg, "bob", "public #Gov")
    pg.psql("INSERT INTO tags (name) VALUES ('Gov') ON CONFLICT DO NOTHING; "
            "INSERT INTO statuses_tags (status_id, tag_id) SELECT :'p1', id FROM tags "
            "WHERE lower(name) = 'gov'", s["public"])
    s["unlisted"] = post(pg, "bob", "unlisted", "unlisted")
    s["private"] = post(pg, "bob", "followers only", "private")
    s["direct_alice"] = post(pg, "bob", "to alice", "direct", mention="alice")
    s["direct_carol"] = post(pg, "bob", "to carol", "direct", mention="carol")
    s["private_alice"] = post(pg, "bob", "private, mentions alice", "private", mention="alice")
    c_post = post(pg, "carol", "carol's")
    s["reply_other"] = post(pg, "bob", "reply to carol", reply_to=c_post)
    s["reply_self"] = post(pg, "bob", "thread", reply_to=s["public"])
    s["reblog"] = post(pg, "bob", "", reblog_of=c_post)
    s["media"] = post(pg, "bob", "with a picture")
    pg.psql("INSERT INTO media_attachments (account_id, status_id, type, remote_url) "
            "SELECT account_id, id, 'image', 'https://a.test/x.png' FROM statuses "
            "WHERE id = :'p1'", s["media"])
    s["sensitive"] = post(pg, "bob", "cw", sensitive=True)
    pg.psql("INSERT INTO status_pins (account_id, status_id) SELECT account_id, id "
            "FROM statuses WHERE id = :'p1'", s["unlisted"])
    every = sorted(s.values(), key=int, reverse=True)
    public = [x for x in every if x not in (s["private"], s["direct_alice"], s["direct_carol"],
                                            s["private_alice"])]
    path = "/api/v1/accounts/%s/statuses" % b_id
    t.is_(ids(anon.get(path + "?limit=40")), public, "anonymous: public and unlisted")
    t.is_(ids(alice.get(path + "?limit=40")),
          sorted(public + [s["direct_alice"], s["private_alice"]], key=int, reverse=True),
          "alice, not following: and what mentions her")
    t.is_(ids(bob.get(path + "?limit=40")), every, "bob sees all of his own")
    pg.psql("INSERT INTO follows (account_id, target_account_id) VALUES (:'p1', :'p2')",
            a_id, b_id)
    t.is_(ids(alice.get(path + "?limit=40")),
          sorted(public + [s["direct_alice"], s["private_alice"], s["private"]], key=int,
                 reverse=True), "alice, following: and followers-only ones")
    r = alice.get(path + "?limit=40")
    t.is_([p for x in r.json() for p in status_shape(x)], [], "Status shapes")
    t.is_(crash_problems(r.json()), [], "nothing apps crash on")
    boost = [x for x in r.json() if x["id"] == s["reblog"]]
    t.is_(boost and boost[0]["reblog"] and boost[0]["reblog"]["id"], c_post,
          "the reblog carries the original")
    for q, want in (("pinned=true", [s["unlisted"]]), ("only_media=1", [s["media"]]),
                    ("tagged=gov", [s["public"]]), ("tagged=%23GOV", [s["public"]]),
                    ("tagged=nope", [])):
        t.is_(ids(anon.get(path + "?" + q)), want, q)
    t.ok(s["reply_other"] not in ids(anon.get(path + "?exclude_replies=true&limit=40")) and
         s["reply_self"] in ids(anon.get(path + "?exclude_replies=true&limit=40")),
         "exclude_replies: replies to others go, a thread stays")
    t.ok(s["reblog"] not in ids(anon.get(path + "?exclude_reblogs=true&limit=40")),
         "exclude_reblogs")
    t.ok(s["sensitive"] not in ids(anon.get(path + "?exclude_sensitive=true&limit=40")),
         "exclude_sensitive")
    # Pagination: newest first, Link next and prev.
    r = anon.get(path + "?limit=3")
    t.is_(ids(r), public[:3], "limit=3: the newest three")
    nxt = link(r, "next")
    t.is_(nxt, "%s?limit=3&max_id=%s" % (path, public[2]), "Link next: max_id of the last")
    t.is_(ids(anon.get(nxt)), public[3:6], "the next page")
    t.is_(ids(anon.get(path + "?limit=2&min_id=%s" % public[5])), public[3:5],
          "min_id: the page right after it, newest first")
    t.is_(ids(anon.get(path + "?limit=2&since_id=%s" % public[5])), public[:2],
          "since_id: the newest after it")
    t.is_(len(ids(anon.get(path + "?limit=500"))), len(public[:40]), "limit is capped at 40")
    r = Api(d, token_for["write"]).get(path)
    t.is_(r.status_code, 403, "statuses with a token without read:statuses: 403")
    t.is_(anon.get("/api/v1/accounts/42/statuses").status_code, 404, "statuses of nobody: 404")
    pg.psql("INSERT INTO blocks (account_id, target_account_id) VALUES (:'p1', :'p2')",
            b_id, a_id)
    t.is_(ids(alice.get(path)), [], "bob blocks alice: she sees none of his statuses")
    t.is_(ids(alice.get("/api/v1/accounts/%s/followers" % b_id)), [],
          "nor his followers")
    pg.psql("DELETE FROM blocks")

    # Followers and following, paginated by the follow.
    for who in ("carol", "erin"):
        pg.psql("INSERT INTO follows (account_id, target_account_id) VALUES (:'p1', :'p2')",
                ids_of[who], b_id)
    fpath = "/api/v1/accounts/%s/followers" % b_id
    r = anon.get(fpath)
    t.is_(ids(r), [ids_of["erin"], c_id, a_id], "followers, the latest first")
    t.is_([p for x in r.json() for p in account_shape(x)], [], "Account shapes")
    r = anon.get(fpath + "?limit=2")
    t.is_(ids(r), [ids_of["erin"], c_id], "limit=2")
    fid = pg.psql("SELECT id FROM follows WHERE account_id = :'p1' AND target_account_id = :'p2'",
                  c_id, b_id)[0][0]
    t.is_(link(r, "next"), "%s?limit=2&max_id=%s" % (fpath, fid),
          "Link next: the follow's id, not the account's")
    t.is_(ids(anon.get(link(r, "next"))), [a_id], "the next page")
    t.is_(ids(anon.get(link(anon.get(link(r, "next")), "prev"))), [ids_of["erin"], c_id],
          "and back with prev")
    pg.psql("INSERT INTO mutes (account_id, target_account_id) VALUES (:'p1', :'p2')",
            a_id, c_id)
    t.is_(ids(alice.get(fpath)), [ids_of["erin"], a_id], "who the viewer mutes is left out")
    pg.psql("DELETE FROM mutes")
    t.is_(ids(anon.get("/api/v1/accounts/%s/following" % a_id)), [b_id], "following")
    t.is_(anon.get("/api/v1/accounts/x/followers").status_code, 404, "followers of x: 404")
    t.is_(anon.get("/api/v1/accounts/%s/featured_tags" % b_id).json(), [], "featured_tags: []")
    t.is_(anon.get("/api/v1/accounts/1/featured_tags").status_code, 404,
          "featured_tags of nobody: 404")


def test_relationships_search(t, d, pg, alice, ids_of):
    a_id, b_id, c_id = ids_of["alice"], ids_of["bob"], ids_of["carol"]
    pg.psql("INSERT INTO follows (account_id, target_account_id, show_reblogs, notify, languages) "
            "VALUES (:'p1', :'p2', false, true, '{de,nl}') ON CONFLICT (account_id, "
            "target_account_id) DO UPDATE SET show_reblogs = false, notify = true, "
            "languages = '{de,nl}'", a_id, b_id)
    pg.psql("INSERT INTO follows (account_id, target_account_id) VALUES (:'p1', :'p2')",
            b_id, a_id)
    pg.psql("INSERT INTO follow_requests (account_id, target_account_id) VALUES (:'p1', :'p2')",
            c_id, a_id)
    pg.psql("INSERT INTO mutes (account_id, target_account_id, hide_notifications, expires_at) "
            "VALUES (:'p1', :'p2', false, now() + interval '1 hour')", a_id, c_id)
    path = "/api/v1/accounts/relationships?id[]=%s&id[]=%s&id[]=%s&id[]=12345&id[]=x" % (
        c_id, b_id, c_id)
    r = alice.get(path)
    t.is_(ids(r), [c_id, b_id], "relationships: in the order asked, each once, unknown ids left out")
    rel = {x["id"]: x for x in r.json()} if r.status_code == 200 else {}
    t.is_([p for x in rel.values() for p in shape_problems(x, entity_example("Relationship"))],
          [], "Relationship shapes")
    b = rel.get(b_id, {})
    t.is_((b.get("following"), b.get("showing_reblogs"), b.get("notifying"), b.get("languages"),
           b.get("followed_by"), b.get("muting")), (True, False, True, ["de", "nl"], True, False),
          "bob: following with options, followed by")
    c = rel.get(c_id, {})
    t.is_((c.get("following"), c.get("requested_by"), c.get("muting"),
           c.get("muting_notifications"), c.get("muting_expires_at") is not None),
          (False, True, True, False, True), "carol: asks to follow, muted for an hour")
    t.is_(err(Api(d).get(path)), (401, "The access token is invalid"), "relationships: 401")
    r = Api(d, token_for["accounts"]).get(path)
    t.is_(r.status_code, 403, "relationships needs read:follows: 403")

    for q, want in (("bo", [b_id]), ("BOB", [b_id]), ("@bob", [b_id]), ("bob@a.test", [b_id]),
                    ("Carol", [c_id]), ("Cee", [c_id]), ("zed", [ids_of["zed"]]),
                    ("zed@remote", [ids_of["zed"]]), ("zed@a.test", []), ("%", []), ("_o_", []),
                    ("", []), ("   ", [])):
        r = alice.get("/api/v1/accounts/search", params={"q": q})
        t.is_(ids(r), want, "search %r" % q)
    r = alice.get("/api/v1/accounts/search", params={"q": "e", "limit": 1})
    t.is_(len(ids(r)), 1, "search limit")
    r = alice.get("/api/v1/accounts/search", params={"q": "b", "following": "true"})
    t.is_(ids(r), [b_id], "search following=true: only those followed")
    t.is_([p for x in r.json() for p in account_shape(x)], [], "search gives Accounts")
    pg.psql("INSERT INTO blocks (account_id, target_account_id) VALUES (:'p1', :'p2')", b_id, a_id)
    t.is_(ids(alice.get("/api/v1/accounts/search", params={"q": "bob"})), [],
          "someone who blocks you is not found")
    pg.psql("DELETE FROM blocks")
    # WebFinger to a loopback address is refused at once (no private
    # addresses here): the search answers with what it knows.
    r = alice.get("/api/v1/accounts/search", params={"q": "nobody@127.0.0.1:9",
                                                      "resolve": "true"})
    t.is_((r.status_code, r.json()), (200, []), "resolve of an address that cannot resolve: []")
    t.is_(Api(d).get("/api/v1/accounts/search?q=bob").status_code, 401, "search: 401")


token_for = {}


def test(t):
    with Cluster() as pg:
        conf = pg.config("a.test", api_rate_limit=0)
        tokens = {u: local_account(conf, u, password=PASSWORD)
                  for u in ("alice", "bob", "carol", "dave", "erin")}
        token_for["write"] = token(conf, "alice", "write")
        token_for["accounts"] = token(conf, "alice", "read:accounts")
        pg.psql("INSERT INTO accounts (username, domain, uri, display_name, inbox_url) VALUES "
                "('zed', 'remote.example', 'https://remote.example/users/zed', 'Zed', "
                "'https://remote.example/users/zed/inbox')")
        pg.psql("UPDATE accounts SET display_name = 'Carol Cee' WHERE username = 'carol'")
        ids_of = {r[0]: r[1] for r in pg.psql("SELECT username, id FROM accounts "
                                             "WHERE actor_type <> 'Application'")}
        with Meentd(conf) as d:
            alice, bob = Api(d, tokens["alice"]), Api(d, tokens["bob"])
            test_credentials(t, d, conf, pg, alice)
            test_read(t, d, pg, alice, bob, ids_of)
            test_relationships_search(t, d, pg, alice, ids_of)


if __name__ == "__main__":
    main(test)
