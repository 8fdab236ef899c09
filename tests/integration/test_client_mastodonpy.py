"""Issue 5's acceptance: Mastodon.py (Debian's python3-mastodon, 1.8 in
bookworm) runs a whole scenario against a real meentd: it registers an
app, signs in two people (Ana with the password grant, Bram through the
authorization URL and the sign-in pages, code shown out-of-band), posts
with a content warning and a visibility, replies, favourites, boosts,
follows, reads home, notifications and context, deletes, and revokes.

Mastodon.py gates every call on the version the instance reports
(version_check_mode "changed" is its strictest: a call fails if the
endpoint changed after the server's version), turns numeric string ids
into ints and parses dates, silently dropping a date it cannot parse:
ids that stay strings and created_at that go missing are what its users
trip over, so both are checked on everything it returns."""

import datetime

from harness import Cluster, Meentd, local_account, main
from oauth_browser import Browser

try:
    from mastodon import Mastodon
    from mastodon.errors import (MastodonIllegalArgumentError, MastodonNotFoundError,
                                 MastodonUnauthorizedError)
except ImportError:         # reported as a failure by test()
    Mastodon = None

PASSWORD = "mastodonpy-test-password-2026"
SCOPES = ["read", "write", "follow", "push"]


def mpy_problems(obj, path=""):
    """Ids Mastodon.py could not turn into numbers, and created_at it could
    not parse (it drops those) or that are not in UTC."""
    out = []
    if isinstance(obj, dict):
        # An Account (a mention has id and acct too, but no created_at),
        # a Status or a Notification.
        if "display_name" in obj or "content" in obj or "type" in obj and "account" in obj:
            if not isinstance(obj.get("created_at"), datetime.datetime):
                out.append("%s.created_at missing or unparsed: %r" % (path, obj.get("created_at")))
            elif obj["created_at"].utcoffset() != datetime.timedelta(0):
                out.append("%s.created_at not UTC: %r" % (path, obj["created_at"]))
        for k, v in obj.items():
            if k in ("id", "in_reply_to_id", "in_reply_to_account_id") and v is not None \
                    and not isinstance(v, int):
                out.append("%s.%s = %r (not a numeric string)" % (path, k, v))
            out += mpy_problems(v, path + "." + k)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += mpy_problems(v, "%s[%d]" % (path, i))
    return out


def clean(t, obj, what):
    return t.is_(mpy_problems(obj), [], what + ": numeric ids, parsed UTC created_at")


def attempt(t, fn, what):
    """fn() or None, with a failure naming the exception."""
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - any error of the client is a failure here
        t.ok(False, "%s raised %s: %s" % (what, type(e).__name__, e))
        return None


def raises(t, exc, fn, what):
    try:
        fn()
    except exc:
        return t.ok(True, what)
    except Exception as e:  # noqa: BLE001
        return t.ok(False, "%s: raised %s: %s" % (what, type(e).__name__, e))
    return t.ok(False, what + ": did not raise")


def register(t, base):
    cid, secret = attempt(t, lambda: Mastodon.create_app(
        "Meent acceptance (Mastodon.py)", scopes=SCOPES, api_base_url=base,
        website="https://example.org/meent"), "create_app") or (None, None)
    t.ok(cid and secret, "Mastodon.create_app gives a client id and secret")
    return cid, secret


def client(t, base, cid, secret):
    m = Mastodon(client_id=cid, client_secret=secret, api_base_url=base,
                 version_check_mode="changed", ratelimit_method="throw", request_timeout=30)
    t.ok(m.version_check_worked, "Mastodon.py read the instance's version")
    t.ok((m.mastodon_major, m.mastodon_minor) >= (4, 3),
         "the version parses as 4.3 or later (%d.%d.%d)" % (m.mastodon_major, m.mastodon_minor,
                                                            m.mastodon_patch))
    return m


def sign_in_password(t, m):
    raises(t, MastodonIllegalArgumentError, lambda: m.log_in("ana@ministerie.example", "wrong-password",
                                                             scopes=SCOPES),
           "log_in with a wrong password is refused")
    tok = attempt(t, lambda: m.log_in("ana@ministerie.example", PASSWORD, scopes=SCOPES),
                  "log_in (password grant)")
    t.ok(tok, "log_in with e-mail and password gives a token with every scope asked")


def sign_in_browser(t, d, m):
    """Bram opens the authorization URL, signs in, approves; the code is
    shown on the page (urn:ietf:wg:oauth:2.0:oob) and he pastes it."""
    url = m.auth_request_url(scopes=SCOPES)
    t.like(url, d.url + "/oauth/authorize?", "auth_request_url points at /oauth/authorize")
    code, trail = Browser(d.url).authorize(url.split("?", 1)[1], "bram", PASSWORD)
    if not t.ok(code, "the sign-in pages show an authorization code (out of band)"):
        for step in trail:
            t.diag("%s %s -> %s" % step)
    tok = attempt(t, lambda: m.log_in(code=code, scopes=SCOPES), "log_in(code=...)")
    t.ok(tok, "log_in with the code gives a token")


def test(t):
    if Mastodon is None:
        t.ok(False, "Mastodon.py is installed (apt-get install python3-mastodon)")
        return
    with Cluster() as pg:
        conf = pg.config("mpy.test", api_rate_limit=0)
        local_account(conf, "ana", password=PASSWORD, email="ana@ministerie.example")
        local_account(conf, "bram", password=PASSWORD, email="bram@ministerie.example")
        with Meentd(conf) as d:
            cid, secret = register(t, d.url)
            ana, bram = client(t, d.url, cid, secret), client(t, d.url, cid, secret)
            sign_in_password(t, ana)
            sign_in_browser(t, d, bram)
            scenario(t, ana, bram)


def scenario(t, ana, bram):
    me = attempt(t, ana.account_verify_credentials, "account_verify_credentials") or {}
    t.is_((me.get("username"), me.get("acct")), ("ana", "ana"), "verify_credentials: Ana")
    t.ok(isinstance(me.get("source"), dict), "verify_credentials has source")
    clean(t, me, "verify_credentials")
    him = attempt(t, bram.account_verify_credentials, "Bram's verify_credentials") or {}
    t.is_(him.get("username"), "bram", "the browser-signed token acts as Bram")

    rel = attempt(t, lambda: bram.account_follow(me.get("id")), "account_follow (Bram follows Ana)") or {}
    t.ok(rel.get("following") is True, "Bram now follows Ana (relationship.following)")
    rel = attempt(t, lambda: ana.account_follow(him.get("id")), "account_follow (Ana follows Bram)") or {}
    t.ok(rel.get("following") is True, "Ana now follows Bram")

    s = attempt(t, lambda: ana.status_post("Nieuwe regels voor #subsidies", spoiler_text="Beleid",
                                            visibility="unlisted"), "status_post") or {}
    t.is_((s.get("visibility"), s.get("spoiler_text"), s.get("sensitive")), ("unlisted", "Beleid", True),
          "status_post: unlisted, with its content warning (sensitive, as Mastodon sets it)")
    t.ok([x.get("name") for x in s.get("tags", [])] == ["subsidies"], "the hashtag is a tag")
    clean(t, s, "status_post")

    reply = attempt(t, lambda: bram.status_reply(s, "Duidelijk, dank je"), "status_reply") or {}
    t.is_(reply.get("in_reply_to_id"), s.get("id"), "the reply points at Ana's post")
    t.is_((reply.get("visibility"), reply.get("spoiler_text")), ("unlisted", "Beleid"),
          "status_reply kept the visibility and the content warning")
    t.ok([a.get("id") for a in reply.get("mentions", [])] == [me.get("id")], "the reply mentions Ana")
    t.like(reply.get("content"), "Duidelijk, dank je", "the reply's text")
    clean(t, reply, "status_reply")

    fav = attempt(t, lambda: ana.status_favourite(reply), "status_favourite") or {}
    t.is_((fav.get("favourited"), fav.get("favourites_count")), (True, 1), "favourited, counted once")
    boost = attempt(t, lambda: ana.status_reblog(reply), "status_reblog") or {}
    t.ok(boost.get("id") != reply.get("id") and (boost.get("reblog") or {}).get("id") == reply.get("id"),
         "the boost is its own status with its own id, the reply inside")
    t.ok((boost.get("reblog") or {}).get("reblogged") is True, "the boosted status says reblogged")
    clean(t, boost, "status_reblog")
    attempt(t, lambda: bram.status_favourite(s), "Bram favourites Ana's post")

    reading(t, ana, me, s, reply)
    cleanup(t, ana, bram, s, reply)


def reading(t, ana, me, s, reply):
    home = attempt(t, lambda: ana.timeline_home(limit=40), "timeline_home") or []
    ids = [x.get("id") for x in home]
    t.ok(s.get("id") in ids and reply.get("id") in ids, "home has Ana's post and Bram's reply")
    t.is_(ids, sorted(ids, reverse=True), "home is newest first")
    clean(t, home, "timeline_home")

    notes = attempt(t, ana.notifications, "notifications") or []
    kinds = sorted(n.get("type") for n in notes)
    t.is_(kinds, ["favourite", "follow", "mention"], "notifications: Bram's follow, mention and favourite")
    mention = [n for n in notes if n.get("type") == "mention"]
    t.ok(mention and (mention[0].get("status") or {}).get("id") == reply.get("id"),
         "the mention carries the reply")
    clean(t, notes, "notifications")
    only = attempt(t, lambda: ana.notifications(types=["mention"]), "notifications(types=[mention])") or []
    t.is_([n.get("type") for n in only], ["mention"], "types[] filters")
    only = attempt(t, lambda: ana.notifications(exclude_types=["follow", "favourite"]),
                   "notifications(exclude_types=...)") or []
    t.is_([n.get("type") for n in only], ["mention"], "exclude_types[] filters")

    ctx = attempt(t, lambda: ana.status_context(s), "status_context") or {}
    t.is_([x.get("id") for x in ctx.get("descendants", [])], [reply.get("id")], "context: the reply descends")
    t.is_(ctx.get("ancestors"), [], "context: no ancestors for the first post")
    ctx = attempt(t, lambda: ana.status_context(reply), "status_context of the reply") or {}
    t.is_([x.get("id") for x in ctx.get("ancestors", [])], [s.get("id")], "context: the post is the ancestor")
    clean(t, ctx, "status_context")
    raises(t, MastodonNotFoundError, lambda: ana.status_context(999999999999), "context of no status: not found")


def cleanup(t, ana, bram, s, reply):
    raises(t, MastodonNotFoundError, lambda: bram.status_delete(s),
           "Bram cannot delete Ana's post (not found, as Mastodon)")
    gone = attempt(t, lambda: ana.status_delete(s), "status_delete") or {}
    t.is_(gone.get("text"), "Nieuwe regels voor #subsidies", "status_delete returns the source text (redraft)")
    raises(t, MastodonNotFoundError, lambda: ana.status(s.get("id")), "the deleted post is gone")
    t.ok(attempt(t, lambda: ana.status(reply.get("id")), "the reply still loads") is not None,
         "the reply survives its parent")
    ana_token = ana.access_token
    attempt(t, ana.revoke_access_token, "revoke_access_token")
    raises(t, MastodonUnauthorizedError, lambda: Mastodon(access_token=ana_token, api_base_url=ana.api_base_url,
                                                          version_check_mode="none").account_verify_credentials(),
           "the revoked token is unauthorized")
    t.ok(attempt(t, bram.account_verify_credentials, "Bram's token after Ana's revoke") is not None,
         "revoking Ana's token leaves Bram's (same app) alone")


main(test)
