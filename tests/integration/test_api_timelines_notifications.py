"""Notifications, markers and preferences of the client API against a real
meentd and PostgreSQL: the Notification entity (group_key, account,
status, report for admin.report), types[], exclude_types[], account_id,
pagination, one notification, dismiss, clear, the unread count, what
muted and blocked accounts leave out; markers (version 0, then one more
per change, only for a change); preferences from the users row; and the
errors (no token, missing scope, someone else's notification, bad
values). The data is written with SQL."""

from urllib.parse import urlsplit

from harness import Api, Cluster, Meentd, ctl_json, entity_example, local_account, main, \
    shape_problems

NEWER = ("quote_approval", "quote", "quotes_count")
# meentctl user create wants a password when there is no terminal.
PASSWORD = "timelines-test-password"
# Account fields of the example newer than Mastodon 4.3, and one that is
# null for an account that has never posted.
ACCOUNT_OPTIONAL = ("avatar_description", "header_description", "show_media",
                    "show_media_replies", "show_featured", "feature_approval", "last_status_at")
NOTIFICATION_KEYS = {"id", "type", "created_at", "group_key", "account"}


def sql1(pg, q, *params):
    return pg.psql(q, *params)[0][0]


def notify(pg, owner, sender, kind, status=None):
    return sql1(pg, "INSERT INTO notifications (account_id, from_account_id, type, status_id) "
                    "VALUES (:'p1', :'p2', :'p3', nullif(:'p4', '')::bigint) RETURNING id",
                owner, sender, kind, status or "")


def ids_of(r):
    return [n["id"] for n in r.json()] if r.status_code == 200 else None


def next_link(r):
    for part in r.headers.get("Link", "").split(","):
        if 'rel="next"' in part:
            u = urlsplit(part.split(";")[0].strip().strip("<>"))
            return u.path + "?" + u.query
    return None


def check_shape(t, n, what):
    t.ok(NOTIFICATION_KEYS <= set(n), what + ": the Notification fields")
    t.ok(isinstance(n.get("id"), str) and n["id"].isdigit(), what + ": id is a numeric string")
    t.is_(n.get("group_key"), "ungrouped-%s" % n.get("id"), what + ": group_key")
    t.like(n.get("created_at", ""), "Z", what + ": created_at in UTC")
    t.is_(shape_problems(n.get("account"), entity_example("Account"), optional=ACCOUNT_OPTIONAL), [],
          what + ": the account has the Account shape")
    if "status" in n:
        t.is_(shape_problems(n["status"], entity_example("Status"), optional=NEWER), [],
              what + ": the status has the Status shape")


def build(pg, conf):
    acct = {r[0]: r[1] for r in pg.psql("SELECT username, id FROM accounts WHERE domain IS NULL")}
    alice, bob, carol = acct["alice"], acct["bob"], acct["carol"]
    far = sql1(pg, "INSERT INTO accounts (username, domain, uri) VALUES "
                   "('far', 'b.test', 'https://b.test/users/far') RETURNING id")
    post = sql1(pg, "INSERT INTO statuses (uri, account_id, local, content) VALUES "
                    "('x:1', :'p1', true, '<p>mine</p>') RETURNING id", alice)
    mention = sql1(pg, "INSERT INTO statuses (uri, account_id, local, content) VALUES "
                       "('x:2', :'p1', true, '<p>@alice hi</p>') RETURNING id", bob)
    pg.psql("UPDATE statuses SET language = 'en'")
    n = {"alice": alice, "bob": bob, "carol": carol, "far": far, "post": post}
    n["follow"] = notify(pg, alice, far, "follow")
    n["mention"] = notify(pg, alice, bob, "mention", mention)
    n["favourite"] = notify(pg, alice, carol, "favourite", post)
    n["reblog"] = notify(pg, alice, bob, "reblog", post)
    # A report and its notification in one transaction, as ap/process.c does.
    rows = pg.psql("BEGIN; INSERT INTO reports (account_id, target_account_id, status_ids, "
                   "comment, category) VALUES (:'p1', :'p2', ARRAY[:'p3'::bigint], 'spam!', "
                   "'spam') RETURNING id; INSERT INTO notifications (account_id, "
                   "from_account_id, type) VALUES (:'p4', :'p1', 'admin.report') RETURNING id; "
                   "COMMIT;", far, bob, mention, alice)
    n["report"], n["admin"] = rows[0][0], rows[1][0]
    n["bobs"] = notify(pg, bob, alice, "favourite", mention)     # someone else's
    return n


def check_list(t, api, n):
    r = api.get("/api/v1/notifications")
    t.is_(r.status_code, 200, "list: 200")
    got = r.json()
    t.is_([x["id"] for x in got], [n["admin"], n["reblog"], n["favourite"], n["mention"], n["follow"]],
          "list: the owner's notifications, newest first")
    by = {x["type"]: x for x in got}
    for x in got:
        check_shape(t, x, "list: " + x["type"])
    t.ok("status" not in by["follow"], "follow: no status")
    t.is_(by["mention"].get("status", {}).get("content"), "<p>@alice hi</p>", "mention: its status")
    t.is_(by["favourite"]["account"]["id"], n["carol"], "favourite: the account that acted")
    t.is_(by["follow"]["account"]["acct"], "far@b.test", "follow: a remote account's acct")
    rep = by["admin.report"].get("report") or {}
    t.is_(shape_problems(rep, entity_example("Report"), optional=ACCOUNT_OPTIONAL), [],
          "admin.report: the Report shape")
    t.is_((rep.get("id"), rep.get("comment"), rep.get("category"), rep.get("action_taken")),
          (n["report"], "spam!", "spam", False), "admin.report: the report's values")
    t.is_(rep.get("target_account", {}).get("id"), n["bob"], "admin.report: the target account")

    got = ids_of(api.get("/api/v1/notifications?types[]=mention&types[]=follow"))
    t.is_(got, [n["mention"], n["follow"]], "types[]")
    got = ids_of(api.get("/api/v1/notifications?exclude_types[]=mention&exclude_types[]=admin.report"))
    t.is_(got, [n["reblog"], n["favourite"], n["follow"]], "exclude_types[]")
    got = ids_of(api.get("/api/v1/notifications?types[]=mention&exclude_types[]=mention"))
    t.is_(got, [], "types[] less exclude_types[] can be nothing")
    got = ids_of(api.get("/api/v1/notifications?types[]=nonsense"))
    t.is_(got, [], "types[] of unknown types only is nothing, as in Mastodon")
    got = ids_of(api.get("/api/v1/notifications?types=favourite"))
    t.is_(got, [n["favourite"]], "types as a single value")
    got = ids_of(api.get("/api/v1/notifications?account_id=" + n["bob"]))
    t.is_(got, [n["reblog"], n["mention"]], "account_id")
    got = ids_of(api.get("/api/v1/notifications?account_id=junk"))
    t.is_(got, [], "a junk account_id matches nothing")

    r = api.get("/api/v1/notifications?limit=2")
    t.is_(ids_of(r), [n["admin"], n["reblog"]], "limit")
    nxt = next_link(r)
    t.like(nxt or "", "max_id=" + n["reblog"], "the next link")
    t.is_(ids_of(api.get(nxt)), [n["favourite"], n["mention"]], "following it")
    got = ids_of(api.get("/api/v1/notifications?limit=2&min_id=" + n["follow"]))
    t.is_(got, [n["favourite"], n["mention"]], "min_id: the ones right after, newest first")
    got = ids_of(api.get("/api/v1/notifications?since_id=" + n["favourite"]))
    t.is_(got, [n["admin"], n["reblog"]], "since_id")
    r = api.get("/api/v1/notifications?types[]=mention&types[]=follow&limit=1")
    t.is_(ids_of(api.get(next_link(r) or "/")), [n["follow"]], "the Link keeps types[]")
    r = api.get("/api/v1/notifications?limit=500")
    t.is_(r.status_code, 200, "a limit over 80 is capped")


def check_filters(t, pg, api, n):
    pg.psql("INSERT INTO mutes (account_id, target_account_id) VALUES (:'p1', :'p2')",
            n["alice"], n["carol"])
    got = ids_of(api.get("/api/v1/notifications")) or []
    t.ok(n["favourite"] not in got, "a muted account's notifications are left out")
    pg.psql("UPDATE mutes SET hide_notifications = false")
    got = ids_of(api.get("/api/v1/notifications")) or []
    t.ok(n["favourite"] in got, "unless the mute keeps notifications")
    pg.psql("UPDATE mutes SET hide_notifications = true, expires_at = now() - interval '1 hour'")
    got = ids_of(api.get("/api/v1/notifications")) or []
    t.ok(n["favourite"] in got, "or has expired")
    pg.psql("INSERT INTO blocks (account_id, target_account_id) VALUES (:'p1', :'p2')",
            n["alice"], n["far"])
    got = ids_of(api.get("/api/v1/notifications")) or []
    t.ok(n["follow"] not in got, "a blocked account's notifications are left out")
    pg.psql("DELETE FROM blocks")
    pg.psql("UPDATE statuses SET deleted_at = now() WHERE uri = 'x:2'")
    got = ids_of(api.get("/api/v1/notifications")) or []
    t.ok(n["mention"] not in got, "a notification about a deleted status is left out")
    pg.psql("UPDATE statuses SET deleted_at = NULL WHERE uri = 'x:2'")


def check_one(t, api, n):
    r = api.get("/api/v1/notifications/" + n["mention"])
    t.is_((r.status_code, r.json().get("id")), (200, n["mention"]), "one notification")
    check_shape(t, r.json(), "one notification")
    for bad in (n["bobs"], "junk", "99999999999999"):
        r = api.get("/api/v1/notifications/" + bad)
        t.is_((r.status_code, r.json().get("error")), (404, "Record not found"),
              "GET %s: 404" % bad)
        r = api.post("/api/v1/notifications/%s/dismiss" % bad)
        t.is_(r.status_code, 404, "dismiss %s: 404" % bad)

    r = api.post("/api/v1/notifications/%s/dismiss" % n["reblog"])
    t.is_((r.status_code, r.json()), (200, {}), "dismiss: {}")
    t.is_(api.get("/api/v1/notifications/" + n["reblog"]).status_code, 404, "dismissed: gone")
    t.ok(n["reblog"] not in (ids_of(api.get("/api/v1/notifications")) or []),
         "dismissed: not listed")
    t.is_(api.post("/api/v1/notifications/%s/dismiss" % n["reblog"]).status_code, 404,
          "dismissed twice: 404")


def check_unread(t, api, n):
    r = api.get("/api/v1/notifications/unread_count")
    t.is_((r.status_code, r.json()), (200, {"count": 4}), "unread_count without a marker")
    r = api.post("/api/v1/markers", data={"notifications[last_read_id]": n["mention"]})
    t.is_(r.status_code, 200, "marker saved")
    t.is_(api.get("/api/v1/notifications/unread_count").json(), {"count": 2},
          "unread_count: newer than the marker")
    t.is_(api.get("/api/v1/notifications/unread_count?limit=1").json(), {"count": 1},
          "unread_count: capped by limit")
    t.is_(api.get("/api/v1/notifications/unread_count?types[]=favourite").json(), {"count": 1},
          "unread_count: types[]")


def check_clear(t, pg, api, n):
    r = api.post("/api/v1/notifications/clear")
    t.is_((r.status_code, r.json()), (200, {}), "clear: {}")
    t.is_(api.get("/api/v1/notifications").json(), [], "clear: nothing left")
    t.is_(sql1(pg, "SELECT count(*) FROM notifications WHERE id = :'p1' AND dismissed_at IS NULL",
               n["bobs"]), "1", "clear: someone else's stay")


def check_markers(t, d, api, n):
    r = api.get("/api/v1/markers?timeline[]=home&timeline[]=notifications")
    t.is_((r.status_code, r.json()), (200, {}), "markers: none yet")
    r = api.post("/api/v1/markers", data={"home[last_read_id]": "103194548672408537"})
    t.is_(r.status_code, 200, "markers: POST home")
    home = r.json().get("home", {})
    t.is_(shape_problems(home, entity_example("Marker")), [], "markers: the Marker shape")
    t.is_((home.get("last_read_id"), home.get("version")), ("103194548672408537", 0),
          "markers: a new marker is version 0")
    t.is_(list(r.json()), ["home"], "markers: only what was saved")
    r = api.post("/api/v1/markers", data={"home[last_read_id]": "103194548672408537"})
    t.is_(r.json()["home"]["version"], 0, "markers: the same id again changes nothing")
    r = api.post("/api/v1/markers", json={"home": {"last_read_id": "103194548672408540"},
                                          "notifications": {"last_read_id": 35098814}})
    t.is_((r.json()["home"]["version"], r.json()["home"]["last_read_id"]),
          (1, "103194548672408540"), "markers: a change is one version more (JSON body)")
    t.is_(r.json()["notifications"]["last_read_id"], "35098814", "markers: a number in JSON")
    r = api.get("/api/v1/markers?timeline[]=home&timeline[]=notifications&timeline[]=lists")
    t.is_(sorted(r.json()), ["home", "notifications"], "markers: GET both")
    t.is_(r.json()["home"]["version"], 1, "markers: GET gives the version")
    r = api.get("/api/v1/markers?timeline[]=notifications")
    t.is_(list(r.json()), ["notifications"], "markers: GET one")
    t.is_(api.get("/api/v1/markers").json(), {}, "markers: no timeline[] is {}")
    for bad in ("junk", "", "-5"):
        r = api.post("/api/v1/markers", data={"home[last_read_id]": bad})
        t.is_(r.status_code, 422, "markers: last_read_id %r is refused" % bad)
    r = api.post("/api/v1/markers", data={"home[last_read_id]": "103194548672408999",
                                          "notifications[last_read_id]": "x"})
    t.is_(r.status_code, 422, "markers: one bad timeline refuses both")
    t.is_(api.get("/api/v1/markers?timeline[]=home").json()["home"]["last_read_id"],
          "103194548672408540", "markers: and saves neither")


def check_preferences(t, pg, api, n):
    r = api.get("/api/v1/preferences")
    t.is_(r.status_code, 200, "preferences: 200")
    t.is_(shape_problems(r.json(), entity_example("Preferences")), [], "preferences: the shape")
    t.is_(r.json(), entity_example("Preferences"), "preferences: the defaults are Mastodon's")
    pg.psql("UPDATE users SET default_visibility = 'unlisted', default_sensitive = true, "
            "default_language = 'nl', expand_media = 'show_all', expand_spoilers = true "
            "WHERE username = 'alice'")
    t.is_(api.get("/api/v1/preferences").json(), {
        "posting:default:visibility": "unlisted", "posting:default:sensitive": True,
        "posting:default:language": "nl", "reading:expand:media": "show_all",
        "reading:expand:spoilers": True}, "preferences: the user's own")


def check_errors(t, d, conf):
    anon = Api(d)
    for method, path in (("GET", "/api/v1/notifications"), ("GET", "/api/v1/notifications/1"),
                         ("POST", "/api/v1/notifications/clear"),
                         ("POST", "/api/v1/notifications/1/dismiss"),
                         ("GET", "/api/v1/notifications/unread_count"),
                         ("GET", "/api/v1/markers"), ("POST", "/api/v1/markers"),
                         ("GET", "/api/v1/preferences")):
        r = anon.req(method, path)
        t.is_(r.status_code, 401, "no token: 401 on %s %s" % (method, path))
    tok = ctl_json(conf, "token", "create", "--user", "alice", "--account", "alice",
                   "--scopes", "read:statuses write:statuses")["access_token"]
    narrow = Api(d, tok)
    for method, path in (("GET", "/api/v1/notifications"), ("GET", "/api/v1/notifications/1"),
                         ("POST", "/api/v1/notifications/clear"),
                         ("POST", "/api/v1/notifications/1/dismiss"),
                         ("GET", "/api/v1/notifications/unread_count"),
                         ("GET", "/api/v1/preferences")):
        r = narrow.req(method, path)
        t.is_((r.status_code, r.json().get("error")),
              (403, "This action is outside the authorized scopes"),
              "missing scope: 403 on %s %s" % (method, path))
    tok = ctl_json(conf, "token", "create", "--user", "alice", "--account", "alice",
                   "--scopes", "read:notifications")["access_token"]
    reader = Api(d, tok)
    t.is_(reader.get("/api/v1/notifications").status_code, 200, "read:notifications reads")
    t.is_(reader.post("/api/v1/notifications/clear").status_code, 403,
          "but clearing needs write:notifications")
    t.is_(reader.get("/api/v1/markers").status_code, 403, "markers need read:statuses")
    t.is_(reader.post("/api/v1/markers").status_code, 403, "and write:statuses to save")


def test(t):
    with Cluster() as pg:
        conf = pg.config("a.test", api_rate_limit=0)
        tokens = {name: local_account(conf, name, password=PASSWORD)
                  for name in ("alice", "bob", "carol")}
        n = build(pg, conf)
        with Meentd(conf) as d:
            api = Api(d, tokens["alice"])
            check_list(t, api, n)
            check_filters(t, pg, api, n)
            check_one(t, api, n)
            check_markers(t, d, api, n)
            check_unread(t, api, n)
            check_clear(t, pg, api, n)
            check_preferences(t, pg, api, n)
            check_errors(t, d, conf)


main(test)
