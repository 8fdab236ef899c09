"""The client API's instance group against a real meentd and PostgreSQL:
/api/v2/instance and /api/v1/instance (shapes against the documented
examples, values against the configuration, NodeInfo and the database),
rules, peers, activity, extended description, domain blocks, the
endpoints of features that do not exist yet (with their scopes), the
default images, CORS, the public endpoints' rate limit, and direct
conversations computed from the statuses."""

import hashlib
import re
import struct

from client_checks import NEWER_THAN_43, crash_problems
from harness import Api, Cluster, Meentd, entity_example, local_account, main, shape_problems

# Documented after 4.3 (entities/Instance.md "4.4.0 - added", Rule
# translations, the 4.5 annual report) or misspelt in the example.
INSTANCE_NEWER = NEWER_THAN_43 + (
    "about", "privacy_policy", "max_display_name_lenth", "max_note_length",
    "max_profile_fields", "profile_field_name_limit", "profile_field_value_limit",
    "translations", "wrapstodon")
# Nullable, and null here: the status page URL, the last post of an account
# that has none.
NULLABLE = ("status", "last_status_at")
VERSION = re.compile(r"^4\.3\.0 \(compatible; Meent (\d+)\.(\d+)\.(\d+)[^)]*\)$")
BLURHASH = re.compile(r"^[0-9A-Za-z#$%*+,\-.:;=?@\[\]^_{|}~]{6,}$")
PNG_SIG = b"\x89PNG\r\n\x1a\n"
INVALID = {"error": "The access token is invalid"}
SCOPE = {"error": "This action is outside the authorized scopes"}
NEED_USER = {"error": "This method requires an authenticated user"}
NOT_FOUND = {"error": "Record not found"}


def no_problems(t, problems, msg):
    t.ok(not problems, msg)
    for p in problems[:20]:
        t.diag(p)


def png_size(body):
    """(width, height) of a PNG, or None when body is not one."""
    if body[:8] != PNG_SIG or body[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", body[16:24])


def setup(pg, conf):
    """Accounts, statuses, remote accounts, rules and domain blocks."""
    pw = "Instance-test-password-2026"
    tokens = {
        # alice is made first: the oldest account, but not an admin's.
        "alice": local_account(conf, "alice", password=pw),
        "beheer": local_account(conf, "beheer", password=pw),
        "lists": local_account(conf, "lister", scopes="read:lists read:filters", password=pw),
        "write": local_account(conf, "writer", scopes="write", password=pw),
        "follow": local_account(conf, "follower", scopes="follow", password=pw),
        "push": local_account(conf, "pusher", scopes="push", password=pw),
    }
    pg.psql("UPDATE users SET role = 'admin' WHERE username = 'beheer'")
    # An app-only token (client_credentials): no user behind it.
    app = "app-token-for-the-instance-test-0123456789"
    pg.psql("INSERT INTO oauth_tokens (token_hash, scopes) VALUES (:'p1', 'read write')",
            hashlib.sha256(app.encode()).hexdigest())
    tokens["app"] = app
    # One local status now, one three weeks ago, one remote now.
    pg.psql("""
        INSERT INTO statuses (id, uri, account_id, local, text, content)
        SELECT meent_id(), 'https://a.test/users/alice/statuses/1', id, true, 'a', '<p>a</p>'
        FROM accounts WHERE username = 'alice' AND domain IS NULL;
        INSERT INTO statuses (id, uri, account_id, local, text, content, created_at)
        SELECT meent_id_at(now() - interval '21 days'), 'https://a.test/users/alice/statuses/2',
               id, true, 'b', '<p>b</p>', now() - interval '21 days'
        FROM accounts WHERE username = 'alice' AND domain IS NULL;
        INSERT INTO accounts (username, domain, uri) VALUES
            ('bob', 'b.test', 'https://b.test/users/bob'),
            ('cat', 'c.test', 'https://c.test/users/cat'),
            ('cat2', 'c.test', 'https://c.test/users/cat2'),
            ('spam', 'blocked.test', 'https://blocked.test/users/spam');
        INSERT INTO statuses (uri, account_id, local, content)
        SELECT 'https://b.test/users/bob/statuses/1', id, false, '<p>remote</p>'
        FROM accounts WHERE username = 'bob';
        UPDATE accounts SET created_at = now() - interval '14 days'
        WHERE username = 'writer' AND domain IS NULL;
        INSERT INTO instance_rules (text, hint, priority) VALUES
            ('Second rule', '', 2), ('First rule', 'Be kind.', 1);
        INSERT INTO domain_blocks (domain, severity, reject_media, public_comment, private_comment)
        VALUES ('blocked.test', 'suspend', false, 'Spam', 'secret-note-1'),
               ('quiet.test', 'silence', false, 'Noise', 'secret-note-2'),
               ('media.test', 'noop', true, 'Gore', 'secret-note-3'),
               ('harmless.test', 'noop', false, 'Nothing', 'secret-note-4');
    """)
    return tokens


def check_v2(t, d, api, nodeinfo):
    r = api.get("/api/v2/instance")
    t.is_(r.status_code, 200, "v2 instance: 200")
    inst = r.json()
    # thumbnail.description came after 4.3 too; the top-level description
    # is checked by name below.
    no_problems(t, shape_problems(inst, entity_example("Instance"),
                                  optional=INSTANCE_NEWER + NULLABLE + ("description",)),
                "v2 instance has the documented shape")
    no_problems(t, crash_problems(inst), "v2 instance: numeric ids, proper times")
    for k in ("domain", "title", "version", "source_url", "description", "usage", "thumbnail",
              "icon", "languages", "configuration", "registrations", "api_versions", "contact",
              "rules"):
        t.ok(k in inst, "v2 has %s" % k)
    t.is_((inst["domain"], inst["title"]), ("a.test", "Rijksoverheid Social"), "domain and title")
    m = VERSION.match(inst["version"])
    t.ok(m is not None, "version parses as 4.3.0 (compatible; Meent x.y.z): %r" % inst["version"])
    t.is_(inst["source_url"], "https://github.com/meent/meent", "source_url is the repository")
    t.is_(inst["description"], "", "description: Mastodon's default, empty")
    t.is_(inst["api_versions"], {"mastodon": 2}, "api_versions of Mastodon 4.3")
    t.is_(inst["usage"]["users"]["active_month"], 1, "one account posted this month")
    t.is_(inst["usage"]["users"]["active_month"], nodeinfo["usage"]["users"]["activeMonth"],
          "active_month is NodeInfo's activeMonth")
    t.is_(inst["languages"], ["en"], "languages")

    th = inst["thumbnail"]
    t.ok(isinstance(th.get("url"), str) and th["url"].startswith("https://a.test/"),
         "thumbnail.url is a URL of ours")
    t.ok(BLURHASH.match(th.get("blurhash") or ""), "thumbnail.blurhash is a BlurHash")
    t.is_(sorted(th.get("versions", {})), ["@1x", "@2x"], "thumbnail versions @1x and @2x")
    t.is_(th["versions"]["@1x"], th["url"], "@1x is the thumbnail")
    for url, size in ((th["url"], (1200, 630)), (th["versions"]["@2x"], (2400, 1260))):
        r = d.get(url.replace("https://a.test", ""))
        t.is_((r.status_code, r.headers.get("Content-Type")), (200, "image/png"),
              "thumbnail %s is served as PNG" % url)
        t.is_(png_size(r.content), size, "thumbnail %s is %dx%d" % ((url,) + size))
    t.is_(len(inst["icon"]), 9, "nine icon sizes, as Mastodon's")
    for icon in inst["icon"]:
        r = d.get(icon["src"].replace("https://a.test", ""))
        w, h = (int(x) for x in icon["size"].split("x"))
        t.is_((r.status_code, png_size(r.content)), (200, (w, h)),
              "icon %s is a %s PNG" % (icon["src"], icon["size"]))

    c = inst["configuration"]
    t.is_(c["urls"], {"streaming": "wss://a.test", "status": None},
          "urls: streaming where Mastodon puts it, no status page")
    t.is_(c["vapid"], {"public_key": ""}, "vapid: no Web Push yet, an empty key")
    t.is_(c["accounts"], {"max_featured_tags": 10, "max_pinned_statuses": 5}, "account limits")
    t.is_(c["statuses"], {"max_characters": 1000, "max_media_attachments": 4,
                          "characters_reserved_per_url": 23},
          "status limits, max_characters from max_status_chars")
    ma = c["media_attachments"]
    t.ok("image/png" in ma["supported_mime_types"] and "video/mp4" in ma["supported_mime_types"],
         "supported MIME types")
    t.is_((ma["image_size_limit"], ma["image_matrix_limit"], ma["video_size_limit"],
           ma["video_frame_rate_limit"], ma["video_matrix_limit"], ma["description_limit"]),
          (16777216, 33177600, 103809024, 120, 8294400, 1500), "media limits of Mastodon 4.3")
    t.is_(c["polls"], {"max_options": 4, "max_characters_per_option": 50,
                       "min_expiration": 300, "max_expiration": 2629746}, "poll limits")
    t.is_(c["translation"], {"enabled": False}, "no translation")
    t.is_(inst["registrations"], {"enabled": False, "approval_required": False,
                                  "message": None, "url": None}, "registrations closed")
    t.is_(inst["contact"]["email"], "beheer@a.test", "contact email from contact_email")
    acct = inst["contact"]["account"] or {}
    t.is_(acct.get("username"), "beheer", "contact account: the account an admin owns")
    no_problems(t, shape_problems(acct, entity_example("Account"),
                                  optional=INSTANCE_NEWER + NULLABLE),
                "contact account is an Account")
    r = d.get(acct.get("avatar", "").replace("https://a.test", ""))
    t.is_((r.status_code, r.headers.get("Content-Type")), (200, "image/png"),
          "the contact's default avatar is served")
    t.is_([(x["text"], x["hint"]) for x in inst["rules"]],
          [("First rule", "Be kind."), ("Second rule", "")], "rules in priority order")
    t.like(r.headers.get("Cache-Control", ""), "max-age", "images may be cached")
    return inst


def check_v1(t, d, api, nodeinfo, v2):
    r = api.get("/api/v1/instance")
    t.is_(r.status_code, 200, "v1 instance: 200")
    inst = r.json()
    no_problems(t, shape_problems(inst, entity_example("V1_Instance"),
                                  optional=INSTANCE_NEWER + NULLABLE),
                "v1 instance has the documented shape")
    no_problems(t, crash_problems(inst), "v1 instance: numeric ids, proper times")
    t.is_((inst["uri"], inst["title"], inst["email"], inst["version"]),
          ("a.test", "Rijksoverheid Social", "beheer@a.test", v2["version"]),
          "uri, title, email, version")
    t.is_((inst["short_description"], inst["description"]), ("", ""), "descriptions")
    t.is_(inst["urls"], {"streaming_api": "wss://a.test"}, "urls.streaming_api")
    t.is_(inst["thumbnail"], v2["thumbnail"]["url"], "thumbnail: a URL string, never null")
    t.is_((inst["registrations"], inst["approval_required"], inst["invites_enabled"]),
          (False, False, False), "registrations, approval, invites")
    st = inst["stats"]
    t.is_(st["user_count"], nodeinfo["usage"]["users"]["total"], "user_count is NodeInfo's total")
    t.is_(st["status_count"], nodeinfo["usage"]["localPosts"], "status_count is NodeInfo's localPosts")
    t.is_((st["user_count"], st["status_count"], st["domain_count"]), (6, 2, 3),
          "stats: 6 local accounts, 2 local posts, 3 known servers")
    t.is_(inst["configuration"]["accounts"], {"max_featured_tags": 10}, "v1 account limits")
    t.is_(inst["configuration"]["statuses"]["max_characters"], 1000, "v1 max_characters")
    t.is_((inst["contact_account"] or {}).get("username"), "beheer", "v1 contact account")
    t.is_(inst["rules"], v2["rules"], "v1 rules as v2's")


def check_about(t, d, api):
    r = api.get("/api/v1/instance/rules")
    rules = r.json()
    t.is_(r.status_code, 200, "rules: 200")
    t.is_([x["text"] for x in rules], ["First rule", "Second rule"], "rules in order")
    for rule in rules:
        no_problems(t, shape_problems(rule, entity_example("Rule"), optional=INSTANCE_NEWER),
                    "rule %s has the Rule shape" % rule.get("id"))
    no_problems(t, crash_problems(rules), "rule ids are numeric strings")

    r = api.get("/api/v1/instance/peers")
    t.is_((r.status_code, r.json()), (200, ["b.test", "c.test"]),
          "peers: known servers, sorted, blocked ones left out")

    r = api.get("/api/v1/instance/activity")
    weeks = r.json()
    t.is_((r.status_code, len(weeks)), (200, 12), "activity: twelve weeks")
    t.ok(all(isinstance(w.get(k), str) and w[k].isdigit() for w in weeks
             for k in ("week", "statuses", "logins", "registrations")),
         "activity values are decimal strings")
    starts = [int(w["week"]) for w in weeks]
    t.ok(all(s % 604800 == 345600 for s in starts), "weeks start on Monday 00:00 UTC")
    t.ok(all(a - b == 604800 for a, b in zip(starts, starts[1:])), "newest week first, consecutive")
    t.is_([w["statuses"] for w in weeks[:5]], ["1", "0", "0", "1", "0"],
          "local statuses per week (the remote one not counted)")
    t.is_(weeks[0]["logins"], "6", "logins this week: the six users with new tokens")
    t.is_((weeks[0]["registrations"], weeks[2]["registrations"]), ("5", "1"),
          "registrations per week (the instance actor not counted)")

    r = api.get("/api/v1/instance/extended_description")
    t.is_((r.status_code, r.json()), (200, {"updated_at": None, "content": ""}),
          "extended description: none set, as Mastodon answers then")
    no_problems(t, shape_problems(r.json(), entity_example("ExtendedDescription"),
                                  optional=("updated_at",)),
                "extended description has the documented shape")

    r = api.get("/api/v1/instance/domain_blocks")
    blocks = r.json()
    t.is_(r.status_code, 200, "domain blocks are public")
    t.is_([(b["domain"], b["severity"], b["comment"]) for b in blocks],
          [("media.test", "noop", "Gore"), ("quiet.test", "silence", "Noise"),
           ("blocked.test", "suspend", "Spam")],
          "blocks that limit something, by severity, with the public comment")
    t.ok(all(b["digest"] == hashlib.sha256(b["domain"].encode()).hexdigest() for b in blocks),
         "digest is the domain's SHA-256")
    for b in blocks:
        no_problems(t, shape_problems(b, entity_example("DomainBlock")),
                    "%s has the DomainBlock shape" % b["domain"])
    t.ok("secret-note" not in r.text, "private comments stay private")

    r = api.get("/api/v1/instance/translation_languages")
    t.is_((r.status_code, r.json()), (200, {}), "translation languages: none")
    r = api.get("/api/v1/instance/languages")
    langs = r.json() if r.status_code == 200 else []
    t.ok(len(langs) > 150 and all(sorted(x) == ["code", "name"] and isinstance(x["code"], str)
                                 and isinstance(x["name"], str) and x["name"] for x in langs),
         "languages: Language entities (code and name), %d of them" % len(langs))
    by_code = {x["code"]: x["name"] for x in langs}
    t.is_((by_code.get("nl"), by_code.get("en"), by_code.get("fy"), by_code.get("zgh")),
          ("Dutch", "English", "Western Frisian", "Standard Moroccan Tamazight"),
          "languages: ISO 639-1 and Mastodon's ISO 639-3 codes, with English names")
    t.is_([x["code"] for x in langs], sorted(by_code), "languages: sorted by code, no duplicates")
    t.ok("EN" not in by_code and "en-GB" not in by_code, "languages: codes only, lower case")
    for path in ("/api/v1/custom_emojis", "/api/v1/trends", "/api/v1/trends/tags",
                 "/api/v1/trends/statuses", "/api/v1/trends/links"):
        r = api.get(path)
        t.is_((r.status_code, r.json()), (200, []), "%s: an empty list" % path)
    r = api.get("/api/v1/streaming/health")
    t.is_((r.status_code, r.text), (200, "OK"), "streaming health: OK")


def check_public_tokens(t, d):
    """Public endpoints ignore tokens, as Mastodon does: an app with an
    expired token must still see the server."""
    for path in ("/api/v2/instance", "/api/v1/instance", "/api/v1/instance/rules",
                 "/api/v1/custom_emojis", "/api/v1/instance/peers"):
        r = d.get(path)
        t.is_(r.status_code, 200, "%s without a token: 200" % path)
        r = d.get(path, headers={"Authorization": "Bearer not-a-token"})
        t.is_(r.status_code, 200, "%s with a bad token: 200" % path)
        t.like(r.headers.get("Cache-Control", ""), "public", "%s may be cached" % path)


def check_absent(t, d, tokens):
    user = Api(d, tokens["alice"])
    anon = Api(d)
    app = Api(d, tokens["app"])
    write = Api(d, tokens["write"])
    granular = Api(d, tokens["lists"])
    lists = ["/api/v1/lists", "/api/v2/filters", "/api/v1/filters", "/api/v1/followed_tags",
             "/api/v2/suggestions", "/api/v1/suggestions", "/api/v1/scheduled_statuses",
             "/api/v1/featured_tags", "/api/v1/featured_tags/suggestions",
             "/api/v1/endorsements", "/api/v1/domain_blocks"]
    for path in lists:
        r = user.get(path)
        t.is_((r.status_code, r.json()), (200, []), "%s: an empty list" % path)
        t.ok("Link" not in r.headers, "%s: no Link header for an empty page" % path)
        r = anon.get(path)
        t.is_((r.status_code, r.json()), (401, INVALID), "%s without a token: 401" % path)
        r = write.get(path)
        t.is_((r.status_code, r.json()), (403, SCOPE), "%s with only write: 403" % path)
        r = app.get(path)
        t.is_((r.status_code, r.json()), (422, NEED_USER), "%s with an app token: 422" % path)
    for path in ("/api/v1/lists", "/api/v1/filters", "/api/v2/filters"):
        r = granular.get(path)
        t.is_((r.status_code, r.json()), (200, []), "%s with its granular scope" % path)
    r = granular.get("/api/v1/followed_tags")
    t.is_(r.status_code, 403, "read:lists does not cover read:follows")
    alice_id = user.get("/api/v1/accounts/verify_credentials").json()["id"]
    r = user.get("/api/v1/accounts/%s/lists" % alice_id)
    t.is_((r.status_code, r.json()), (200, []), "an account's lists: none")
    r = granular.get("/api/v1/accounts/%s/lists" % alice_id)
    t.is_((r.status_code, r.json()), (200, []), "an account's lists with read:lists")
    r = write.get("/api/v1/accounts/%s/lists" % alice_id)
    t.is_((r.status_code, r.json()), (403, SCOPE), "an account's lists need read:lists")
    for bad in ("1", "x"):
        r = user.get("/api/v1/accounts/%s/lists" % bad)
        t.is_((r.status_code, r.json()), (404, NOT_FOUND), "lists of unknown account %s: 404" % bad)
    r = Api(d, tokens["follow"]).get("/api/v1/domain_blocks")
    t.is_((r.status_code, r.json()), (200, []), "the old follow scope covers read:blocks")

    for path in ("/api/v1/lists/1", "/api/v1/lists/1/accounts", "/api/v1/filters/1",
                 "/api/v2/filters/1", "/api/v1/scheduled_statuses/1"):
        r = user.get(path)
        t.is_((r.status_code, r.json()), (404, NOT_FOUND), "%s: 404" % path)
    r = write.delete("/api/v1/scheduled_statuses/1")
    t.is_((r.status_code, r.json()), (404, NOT_FOUND), "DELETE scheduled status: 404 with write")
    r = granular.delete("/api/v1/scheduled_statuses/1")
    t.is_((r.status_code, r.json()), (403, SCOPE), "DELETE scheduled status needs write")

    r = user.get("/api/v1/announcements")
    t.is_((r.status_code, r.json()), (200, []), "announcements: none")
    r = anon.get("/api/v1/announcements")
    t.is_((r.status_code, r.json()), (422, NEED_USER), "announcements without a user: 422")
    r = app.get("/api/v1/announcements")
    t.is_((r.status_code, r.json()), (422, NEED_USER), "announcements with an app token: 422")
    r = write.post("/api/v1/announcements/1/dismiss")
    t.is_((r.status_code, r.json()), (404, NOT_FOUND), "dismiss an unknown announcement: 404")
    r = Api(d, tokens["lists"]).post("/api/v1/announcements/1/dismiss")
    t.is_(r.status_code, 403, "dismiss needs write:accounts")
    r = write.put("/api/v1/announcements/1/reactions/%F0%9F%91%8D")
    t.is_((r.status_code, r.json()), (404, NOT_FOUND), "react to an unknown announcement: 404")

    push = Api(d, tokens["push"])
    r = push.get("/api/v1/push/subscription")
    t.is_((r.status_code, r.json()), (404, NOT_FOUND), "no push subscription: 404")
    r = push.delete("/api/v1/push/subscription")
    t.is_((r.status_code, r.json()), (200, {}), "deleting no push subscription: {}")
    r = user.get("/api/v1/push/subscription")
    t.is_(r.status_code, 404, "a read write follow push token: 404 too")
    r = write.get("/api/v1/push/subscription")
    t.is_((r.status_code, r.json()), (403, SCOPE), "push subscription needs push")
    r = anon.get("/api/v1/push/subscription")
    t.is_(r.status_code, 401, "push subscription without a token: 401")


def conversations_setup(pg):
    """Direct statuses: alice to beheer, beheer's reply, bob's reply to
    alice's (remote: no conversation_id), bob's own to alice, and two that
    are not alice's (public, and between others)."""
    pg.psql("""
        INSERT INTO statuses (id, uri, account_id, local, visibility, content, conversation_id)
        SELECT 1000, 'https://a.test/users/alice/statuses/1000', id, true, 'direct',
               '<p>d1</p>', 1000 FROM accounts WHERE username = 'alice' AND domain IS NULL;
        INSERT INTO statuses (id, uri, account_id, local, visibility, content, conversation_id,
                              in_reply_to_id)
        SELECT 1001, 'https://a.test/users/beheer/statuses/1001', id, true, 'direct',
               '<p>d2</p>', 1000, 1000 FROM accounts WHERE username = 'beheer';
        INSERT INTO statuses (id, uri, account_id, local, visibility, content)
        SELECT 1002, 'https://b.test/users/bob/statuses/2', id, false, 'direct', '<p>d3</p>'
        FROM accounts WHERE username = 'bob';
        INSERT INTO statuses (id, uri, account_id, local, visibility, content, in_reply_to_id)
        SELECT 1003, 'https://b.test/users/bob/statuses/3', id, false, 'direct', '<p>d4</p>', 1000
        FROM accounts WHERE username = 'bob';
        INSERT INTO statuses (id, uri, account_id, local, visibility, content, conversation_id)
        SELECT 1004, 'https://a.test/users/alice/statuses/1004', id, true, 'public',
               '<p>p</p>', 1004 FROM accounts WHERE username = 'alice' AND domain IS NULL;
        INSERT INTO statuses (id, uri, account_id, local, visibility, content, conversation_id)
        SELECT 1005, 'https://a.test/users/lister/statuses/1005', id, true, 'direct',
               '<p>other</p>', 1005 FROM accounts WHERE username = 'lister';
        INSERT INTO mentions (status_id, account_id)
        SELECT v.s, a.id FROM (VALUES (1000, 'beheer'), (1001, 'alice'), (1002, 'alice'),
                                      (1003, 'alice'), (1004, 'beheer'), (1005, 'writer')) v(s, u)
        JOIN accounts a ON a.username = v.u AND a.domain IS NULL;
    """)


def check_conversations(t, d, pg, tokens):
    conversations_setup(pg)
    alice, beheer = Api(d, tokens["alice"]), Api(d, tokens["beheer"])
    r = alice.get("/api/v1/conversations")
    convs = r.json()
    t.is_(r.status_code, 200, "conversations: 200")
    t.is_([(c["id"], c["last_status"]["id"], [a["username"] for a in c["accounts"]], c["unread"])
           for c in convs],
          [("1003", "1003", ["bob"], False), ("1002", "1002", ["bob"], False),
           ("1000", "1001", ["beheer"], False)],
          "alice's conversations by thread and participants, as Mastodon's: bob's reply "
          "in the thread with beheer is one of its own; the newest last status first")
    for c in convs:
        t.is_(sorted(c), ["accounts", "id", "last_status", "unread"], "Conversation keys")
        for a in c["accounts"]:
            no_problems(t, shape_problems(a, entity_example("Account"),
                                          optional=INSTANCE_NEWER + NULLABLE),
                        "participant %s is an Account" % a["username"])
        no_problems(t, crash_problems(c), "conversation %s: ids and times" % c["id"])
    r = beheer.get("/api/v1/conversations")
    t.is_([(c["id"], c["last_status"]["id"], [a["username"] for a in c["accounts"]])
           for c in r.json()],
          [("1000", "1001", ["alice"])], "beheer sees his thread with alice, not bob's to alice")
    r = alice.get("/api/v1/conversations", params={"limit": "1"})
    t.is_([c["id"] for c in r.json()], ["1003"], "limit=1")
    link = r.headers.get("Link", "")
    t.like(link, "max_id=1003>; rel=\"next\"", "Link next by the last status id")
    t.like(link, "min_id=1003>; rel=\"prev\"", "Link prev")
    r = alice.get("/api/v1/conversations", params={"limit": "2", "max_id": "1003"})
    t.is_([c["id"] for c in r.json()], ["1002", "1000"], "the next page")
    r = alice.get("/api/v1/conversations", params={"min_id": "1001"})
    t.is_([c["id"] for c in r.json()], ["1003", "1002"], "min_id: the newer ones, newest first")
    r = alice.get("/api/v1/conversations", params={"since_id": "1003"})
    t.is_((r.json(), "Link" in r.headers), ([], False), "since_id past the newest: empty, no Link")

    r = alice.post("/api/v1/conversations/1000/read")
    t.is_((r.status_code, r.json().get("id"), r.json().get("unread")), (200, "1000", False),
          "mark read: the conversation")
    r = alice.post("/api/v1/conversations/1005/read")
    t.is_((r.status_code, r.json()), (404, NOT_FOUND), "someone else's conversation: 404")
    r = alice.post("/api/v1/conversations/1001/read")
    t.is_((r.status_code, r.json()), (404, NOT_FOUND), "a status that is not a conversation: 404")
    r = alice.post("/api/v1/conversations/abc/read")
    t.is_((r.status_code, r.json()), (404, NOT_FOUND), "a bad id: 404")
    r = Api(d, tokens["lists"]).post("/api/v1/conversations/1000/read")
    t.is_((r.status_code, r.json()), (403, SCOPE), "read needs write:conversations")
    r = Api(d, tokens["lists"]).get("/api/v1/conversations")
    t.is_((r.status_code, r.json()), (403, SCOPE), "conversations need read:statuses")
    r = Api(d).get("/api/v1/conversations")
    t.is_((r.status_code, r.json()), (401, INVALID), "conversations need a token")
    r = Api(d, tokens["write"]).get("/api/v1/conversations")
    t.is_(r.status_code, 403, "write alone cannot read them")


def check_images(t, d):
    for path, size in (("/avatars/original/missing.png", (400, 400)),
                       ("/headers/original/missing.png", (1500, 500))):
        r = d.get(path)
        t.is_((r.status_code, r.headers.get("Content-Type")), (200, "image/png"),
              "%s is a PNG" % path)
        t.is_(png_size(r.content), size, "%s is %dx%d" % ((path,) + size))
        t.is_(int(r.headers.get("Content-Length", "0")), len(r.content), "with its length")
        t.like(r.headers.get("Cache-Control", ""), "max-age=2592000", "cached for a month")
        h = d.request("HEAD", path)
        t.is_((h.status_code, h.content, h.headers.get("Content-Length")),
              (200, b"", str(len(r.content))), "HEAD %s" % path)
    for path in ("/images/nope.png", "/images/..%2Fsecret", "/avatars/original/other.png"):
        t.is_(d.get(path).status_code, 404, "%s: 404" % path)


def check_cors(t, d):
    origin = {"Origin": "https://elk.zone"}
    r = d.get("/api/v2/instance", headers=origin)
    t.is_(r.headers.get("Access-Control-Allow-Origin"), "*", "CORS on GET /api/v2/instance")
    t.like(r.headers.get("Access-Control-Expose-Headers", ""), "Link", "Link exposed")
    r = d.get("/api/v1/lists", headers=origin)
    t.is_((r.status_code, r.headers.get("Access-Control-Allow-Origin")), (401, "*"),
          "CORS on an error too")
    r = d.request("OPTIONS", "/api/v1/lists", headers={
        "Origin": "https://phanpy.social", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization,content-type"})
    t.ok(r.status_code in (200, 204), "preflight answered (%d)" % r.status_code)
    t.is_(r.headers.get("Access-Control-Allow-Origin"), "*", "preflight allows any origin")
    t.like(r.headers.get("Access-Control-Allow-Headers", "").lower(), "authorization",
           "preflight allows Authorization")
    t.like(r.headers.get("Access-Control-Allow-Methods", ""), "GET", "preflight allows GET")
    r = d.request("OPTIONS", "/api/v2/instance", headers={
        "Origin": "https://elk.zone", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization"})
    t.is_((r.status_code in (200, 204), r.headers.get("Access-Control-Allow-Origin")),
          (True, "*"), "preflight of the instance")


def check_rate_limit(t, pg):
    conf = pg.config("a.test", api_rate_limit="3")
    with Meentd(conf) as d:
        codes = [d.get("/api/v1/instance").status_code for _ in range(3)]
        r = d.get("/api/v2/instance")
        t.is_((codes, r.status_code), ([200, 200, 200], 429),
              "public endpoints share the address's rate limit")
        t.is_(r.json(), {"error": "Too many requests"}, "429 body")
        t.is_(r.headers.get("X-RateLimit-Remaining"), "0", "with X-RateLimit headers")


def test(t):
    with Cluster() as pg:
        conf = pg.config("a.test", instance_name="Rijksoverheid Social",
                         contact_email="beheer@a.test", max_status_chars="1000",
                         api_rate_limit="0")
        tokens = setup(pg, conf)
        with Meentd(conf) as d:
            nodeinfo = d.get("/nodeinfo/2.1").json()
            api = Api(d)
            v2 = check_v2(t, d, api, nodeinfo)
            check_v1(t, d, api, nodeinfo, v2)
            check_about(t, d, api)
            check_public_tokens(t, d)
            check_absent(t, d, tokens)
            check_images(t, d)
            check_cors(t, d)
            check_conversations(t, d, pg, tokens)
            # No admin owns an account any more: no contact account.
            pg.psql("UPDATE users SET role = 'none'")
            r = api.get("/api/v2/instance").json()
            t.is_(r["contact"]["account"], None, "no admin's account: contact.account null")
            t.is_(api.get("/api/v1/instance").json()["contact_account"], None,
                  "and contact_account null")
        check_rate_limit(t, pg)


main(test)
