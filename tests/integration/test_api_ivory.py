"""Issue 5's acceptance: the sign-in sequence Ivory performs, in its order,
against a real meentd. Ivory registers an app with a custom-scheme
redirect, sends the person to /oauth/authorize (sign-in page, then consent
page) with a PKCE S256 challenge, trades the code for a token, and then
loads home, the account, the v2 instance, preferences, home again from the
newest id, lists, the account's own posts without boosts, and filtered
notifications. Every entity is checked against the documented example and
for what made Ivory crash elsewhere: non-numeric ids, a boost that reuses
the boosted status's id, and null or malformed created_at."""

import base64
import hashlib
import re
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

from client_checks import (account_shape, crash_problems, instance_shape, notification_shape,
                           status_shape)
from harness import Api, Cluster, Meentd, entity_example, local_account, main, shape_problems
from oauth_browser import Browser

PASSWORD = "Ivory-test-password-2026"
# A custom scheme as the Tapbots apps register, one per installation.
REDIRECT = "com.tapbots.Ivory.19300:/request_token/6d2a1cc4-3c48-4f5e-a5b6-0c4b1b1a9b2e"
SCOPES = "read write follow push"
VERSION = re.compile(r"^4\.\d+\.\d+ \(compatible; Meent [^)]+\)$")


def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def ok_json(t, r, what, status=200):
    """Checks the status code and that the body is JSON; returns the body
    (None when it is not JSON)."""
    if not t.is_(r.status_code, status, what + ": %d" % status):
        t.diag(r.text[:600])
    try:
        return r.json()
    except ValueError:
        t.ok(False, what + ": the body is JSON")
        t.diag(r.text[:300])
        return None


def as_list(body):
    """The dict items of a JSON array body, or [] when it is not one."""
    return [x for x in body if isinstance(x, dict)] if isinstance(body, list) else []


def no_problems(t, problems, what):
    return t.is_(problems, [], what)


def error_of(r):
    """(status, the "error" of a JSON body or None)."""
    try:
        body = r.json()
    except ValueError:
        body = None
    return r.status_code, body.get("error") if isinstance(body, dict) else None


def authorize_query(client_id, challenge, state):
    return urlencode({"client_id": client_id, "response_type": "code",
                      "redirect_uri": REDIRECT, "scope": SCOPES, "state": state,
                      "code_challenge": challenge, "code_challenge_method": "S256"})


def setup_content(t, d, tok):
    """What Ana's home and notifications hold when she signs in: Bram, whom
    she follows, posts a mention of her, boosts Carla's post, favourites
    Ana's post and follows her; Ana boosts Bram's post. Returns the ids."""
    ana, bram, carla = Api(d, tok["ana"]), Api(d, tok["bram"]), Api(d, tok["carla"])
    ids = {}
    for name, api in (("ana", ana), ("bram", bram), ("carla", carla)):
        r = api.get("/api/v1/accounts/verify_credentials")
        ids[name] = r.json().get("id") if r.status_code == 200 else None
    t.ok(all(ids.values()), "setup: verify_credentials gives each account's id (%r)" % ids)

    def post(api, text, what):
        r = api.post("/api/v1/statuses", json={"status": text})
        t.is_(r.status_code, 200, "setup: " + what)
        return r.json().get("id") if r.status_code == 200 else None

    r = ana.post("/api/v1/accounts/%s/follow" % ids["bram"])
    t.is_(r.status_code, 200, "setup: Ana follows Bram")
    ids["ana_post"] = post(ana, "Eerste bericht vanuit het ministerie", "Ana posts")
    ids["carla_post"] = post(carla, "Persbericht van Carla", "Carla posts")
    r = bram.post("/api/v1/statuses/%s/reblog" % ids["carla_post"])
    t.is_(r.status_code, 200, "setup: Bram boosts Carla's post")
    ids["bram_boost"] = r.json().get("id") if r.status_code == 200 else None
    ids["bram_post"] = post(bram, "Welkom @ana, fijn dat je er bent", "Bram mentions Ana")
    r = bram.post("/api/v1/statuses/%s/favourite" % ids["ana_post"])
    t.is_(r.status_code, 200, "setup: Bram favourites Ana's post")
    r = bram.post("/api/v1/accounts/%s/follow" % ids["ana"])
    t.is_(r.status_code, 200, "setup: Bram follows Ana")
    r = ana.post("/api/v1/statuses/%s/reblog" % ids["bram_post"])
    t.is_(r.status_code, 200, "setup: Ana boosts Bram's post")
    ids["ana_boost"] = r.json().get("id") if r.status_code == 200 else None
    return ids


def register_app(t, anon):
    r = anon.post("/api/v1/apps", json={"client_name": "Ivory for iOS", "redirect_uris": REDIRECT,
                                         "scopes": SCOPES, "website": "https://tapbots.com/ivory/"})
    app = ok_json(t, r, "POST /api/v1/apps") or {}
    no_problems(t, shape_problems(app, entity_example("Application")), "the app has the Application shape")
    t.ok(isinstance(app.get("client_id"), str) and len(app.get("client_id", "")) >= 20 and
         isinstance(app.get("client_secret"), str) and len(app.get("client_secret", "")) >= 20,
         "the app has a client_id and client_secret")
    t.is_(app.get("redirect_uri"), REDIRECT, "redirect_uri is the custom-scheme URI")
    t.is_(app.get("name"), "Ivory for iOS", "the app's name")
    return app


def sign_in(t, d, app):
    """The browser part: the code from the redirect to Ivory's scheme."""
    verifier, challenge = pkce()
    state = secrets.token_hex(8)
    b = Browser(d.url)
    code, trail = b.authorize(authorize_query(app.get("client_id"), challenge, state),
                              "ana", PASSWORD)
    if not t.ok(code, "sign-in and consent pages give an authorization code"):
        for step in trail:
            t.diag("%s %s -> %s" % step)
    redirect = trail[-1][1] if trail and trail[-1][0] == "redirect" else ""
    t.ok(redirect.startswith(REDIRECT + "?") or redirect.startswith(REDIRECT + "&"),
         "the code comes back on Ivory's redirect URI (%s)" % redirect[:80])
    t.is_(parse_qs(urlsplit(redirect).query).get("state"), [state], "state is echoed")
    session = [c for c in b.set_cookies if re.search(r"httponly", c, re.I)]
    t.ok(session and all(re.search(r"samesite=lax", c, re.I) for c in session),
         "the sign-in session cookie is HttpOnly and SameSite=Lax (%r)" % b.set_cookies)
    return b, code, verifier


def token(t, anon, app, code, verifier):
    r = anon.post("/oauth/token", data={
        "grant_type": "authorization_code", "code": code or "", "client_id": app.get("client_id"),
        "client_secret": app.get("client_secret"), "redirect_uri": REDIRECT,
        "code_verifier": verifier, "scope": SCOPES})
    tok = ok_json(t, r, "POST /oauth/token (authorization_code, PKCE S256)") or {}
    no_problems(t, shape_problems(tok, entity_example("Token")), "the token has the Token shape")
    t.is_(str(tok.get("token_type", "")).lower(), "bearer", "token_type Bearer")
    t.is_(sorted(str(tok.get("scope", "")).split()), sorted(SCOPES.split()), "the granted scopes")
    t.ok(isinstance(tok.get("created_at"), int), "created_at is a Unix time")
    return tok.get("access_token")


def token_errors(t, d, anon, app, b, first_code, first_verifier):
    """A second authorization in the same browser (signed in already): a
    wrong or missing PKCE verifier and a reused code are refused."""
    verifier, challenge = pkce()
    code, trail = b.authorize(authorize_query(app.get("client_id"), challenge, "second"),
                              "ana", PASSWORD)
    t.ok(code, "a second authorization in the signed-in browser gives a code")
    base = {"grant_type": "authorization_code", "client_id": app.get("client_id"),
            "client_secret": app.get("client_secret"), "redirect_uri": REDIRECT}
    r = anon.post("/oauth/token", data=dict(base, code=code or "x", code_verifier=pkce()[0]))
    t.is_(error_of(r), (400, "invalid_grant"), "a wrong code_verifier: 400 invalid_grant")
    r = anon.post("/oauth/token", data=dict(base, code=first_code or "x", code_verifier=first_verifier))
    t.is_(error_of(r), (400, "invalid_grant"), "a code used once already: 400 invalid_grant")
    r = anon.post("/oauth/token", data=dict(base, code="not-a-code", code_verifier=verifier))
    t.is_(r.status_code, 400, "an unknown code: 400")


def home(t, api, ids):
    r = api.get("/api/v1/timelines/home?limit=40")
    page = as_list(ok_json(t, r, "GET /api/v1/timelines/home?limit=40"))
    t.ok(isinstance(page, list) and len(page) >= 3, "home holds Bram's posts and boost (%d)" % len(page))
    got = {s.get("id"): s for s in page if isinstance(s, dict)}
    boost = got.get(ids.get("bram_boost"))
    t.ok(boost is not None and isinstance(boost.get("reblog"), dict)
         and boost["reblog"].get("id") == ids.get("carla_post"),
         "Bram's boost is in home, its reblog Carla's post")
    t.ok(ids.get("bram_post") in got, "Bram's mention of Ana is in home")
    t.ok(ids.get("ana_post") in got, "Ana's own post is in her home")
    no_problems(t, crash_problems(page), "home: numeric ids, own ids for boosts, ISO created_at")
    no_problems(t, [p for s in page for p in status_shape(s, own=(s.get("account") or {}).get("id") == ids.get("ana"))],
                "home: every status has the Status shape")
    ordered = [int(s["id"]) for s in page if str(s.get("id", "")).isdigit()]
    t.is_(ordered, sorted(ordered, reverse=True), "home is newest first")
    for h in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
        t.ok(h in r.headers, "the reply carries %s" % h)
    return page


def account(t, api, ids):
    r = api.get("/api/v1/accounts/verify_credentials")
    me = ok_json(t, r, "GET /api/v1/accounts/verify_credentials") or {}
    t.is_(me.get("id"), ids.get("ana"), "the token acts as Ana")
    t.ok(isinstance(me.get("source"), dict), "verify_credentials has source")
    r = api.get("/api/v1/accounts/%s" % me.get("id"))
    acct = ok_json(t, r, "GET /api/v1/accounts/:id") or {}
    no_problems(t, account_shape(acct), "the account has the Account shape")
    no_problems(t, crash_problems(acct), "the account: numeric id, ISO created_at")
    t.is_((acct.get("username"), acct.get("acct")), ("ana", "ana"), "username and acct")
    t.ok(acct.get("statuses_count", 0) >= 2 and acct.get("followers_count") == 1
         and acct.get("following_count") == 1, "Ana's counts (statuses %r, followers %r, following %r)"
         % (acct.get("statuses_count"), acct.get("followers_count"), acct.get("following_count")))
    t.ok(all(isinstance(acct.get(k), str) and acct.get(k) for k in ("avatar", "header", "url")),
         "avatar, header and url are non-empty strings")


def instance(t, api):
    r = api.get("/api/v2/instance")
    inst = ok_json(t, r, "GET /api/v2/instance") or {}
    no_problems(t, instance_shape(inst), "the instance has the v2 Instance shape (4.3)")
    t.ok(VERSION.match(str(inst.get("version"))), "version is Mastodon-compatible: %r" % inst.get("version"))
    thumb = inst.get("thumbnail") or {}
    t.ok(isinstance(thumb.get("url"), str) and thumb.get("url", "").startswith("http"),
         "thumbnail.url is a URL (Mastonaut crashes on an empty one)")
    conf = inst.get("configuration") or {}
    t.ok(isinstance(conf.get("statuses", {}).get("max_characters"), int),
         "configuration.statuses.max_characters is a number")
    t.ok(isinstance(conf.get("urls", {}).get("streaming"), str), "configuration.urls.streaming is a string")
    t.is_((inst.get("registrations") or {}).get("enabled"), False, "registrations are closed")
    no_problems(t, crash_problems(inst), "the instance: numeric ids")


def preferences(t, api):
    r = api.get("/api/v1/preferences")
    prefs = ok_json(t, r, "GET /api/v1/preferences") or {}
    no_problems(t, shape_problems(prefs, entity_example("Preferences")), "preferences have the documented keys")
    t.ok(prefs.get("posting:default:visibility") in ("public", "unlisted", "private", "direct"),
         "posting:default:visibility is a visibility")


def home_since(t, d, api, tok, page):
    newest = page[0]["id"] if page else "0"
    r = api.get("/api/v1/timelines/home?min_id=%s" % newest)
    got = ok_json(t, r, "GET /api/v1/timelines/home?min_id=<newest>")
    t.is_(got, [], "nothing newer than the newest yet")
    r = Api(d, tok["bram"]).post("/api/v1/statuses", json={"status": "Nog een update"})
    new_id = r.json().get("id") if r.status_code == 200 else None
    r = api.get("/api/v1/timelines/home?min_id=%s" % newest)
    got = as_list(ok_json(t, r, "GET /api/v1/timelines/home?min_id=<newest> after a new post"))
    t.is_([s.get("id") for s in got], [new_id], "min_id returns just the new post")
    no_problems(t, crash_problems(got), "the new page: numeric ids, ISO created_at")


def lists(t, api):
    r = api.get("/api/v1/lists")
    t.is_(ok_json(t, r, "GET /api/v1/lists"), [], "lists: an empty list")


def own_statuses(t, api, ids):
    path = "/api/v1/accounts/%s/statuses" % ids.get("ana")
    r = api.get(path + "?exclude_reblogs=1")
    got = as_list(ok_json(t, r, "GET /api/v1/accounts/:id/statuses?exclude_reblogs=1"))
    got_ids = [s.get("id") for s in got]
    t.ok(ids.get("ana_post") in got_ids, "Ana's post is there")
    t.ok(ids.get("ana_boost") not in got_ids and not any(s.get("reblog") for s in got),
         "exclude_reblogs=1 leaves out her boost")
    no_problems(t, crash_problems(got), "her posts: numeric ids, ISO created_at")
    no_problems(t, [p for s in got for p in status_shape(s, own=True)], "her posts have the Status shape")
    r = api.get(path)
    every = as_list(ok_json(t, r, "GET /api/v1/accounts/:id/statuses"))
    boost = [s for s in every if s.get("id") == ids.get("ana_boost")]
    t.ok(boost and (boost[0].get("reblog") or {}).get("id") == ids.get("bram_post"),
         "without exclude_reblogs her boost is there, with its own id")
    no_problems(t, crash_problems(every), "with boosts: no boost reuses the boosted id")


def notifications(t, api, ids):
    r = api.get("/api/v1/notifications?types[]=mention&types[]=favourite&types[]=reblog"
                "&types[]=status&types[]=poll&types[]=update")
    got = as_list(ok_json(t, r, "GET /api/v1/notifications?types[]=mention&types[]=favourite..."))
    types = sorted({n.get("type") for n in got})
    t.is_(types, ["favourite", "mention"], "only the asked types: Bram's mention and favourite")
    mention = [n for n in got if n.get("type") == "mention"]
    t.ok(mention and (mention[0].get("status") or {}).get("id") == ids.get("bram_post")
         and (mention[0].get("account") or {}).get("id") == ids.get("bram"),
         "the mention carries Bram's post and account")
    no_problems(t, [p for n in got for p in notification_shape(n)], "notifications have the documented shape")
    no_problems(t, crash_problems(got), "notifications: numeric ids, ISO created_at")
    r = api.get("/api/v1/notifications?types[]=mention")
    got = as_list(ok_json(t, r, "GET /api/v1/notifications?types[]=mention (Ivory's mentions tab)"))
    t.is_([n.get("type") for n in got], ["mention"], "only the mention")
    r = api.get("/api/v1/notifications")
    got = as_list(ok_json(t, r, "GET /api/v1/notifications"))
    t.is_(sorted(n.get("type") for n in got), ["favourite", "follow", "mention"],
          "unfiltered: the follow is there too")


def sign_out(t, d, anon, app, access):
    """Ivory signs out by revoking its token; the token is dead after."""
    api = Api(d, access)
    r = Api(d).get("/api/v1/timelines/home")
    t.ok(error_of(r)[0] == 401 and error_of(r)[1], "home without a token: 401 with an error")
    r = anon.post("/oauth/revoke", data={"client_id": app.get("client_id"),
                                         "client_secret": app.get("client_secret"), "token": access})
    t.is_(r.status_code, 200, "POST /oauth/revoke: 200")
    r = api.get("/api/v1/timelines/home")
    t.is_(r.status_code, 401, "the revoked token gets 401")


def test(t):
    with Cluster() as pg:
        conf = pg.config("ivory.test")
        tok = {"ana": local_account(conf, "ana", password=PASSWORD, email="ana@ministerie.example"),
               "bram": local_account(conf, "bram", password=PASSWORD),
               "carla": local_account(conf, "carla", password=PASSWORD)}
        with Meentd(conf) as d:
            ids = setup_content(t, d, tok)
            anon = Api(d)
            app = register_app(t, anon)
            b, code, verifier = sign_in(t, d, app)
            access = token(t, anon, app, code, verifier)
            api = Api(d, access)
            page = home(t, api, ids)
            account(t, api, ids)
            instance(t, api)
            preferences(t, api)
            home_since(t, d, api, tok, page)
            lists(t, api)
            own_statuses(t, api, ids)
            notifications(t, api, ids)
            # After the sequence: a server may revoke the first token when
            # its code is replayed (RFC 6749 section 4.1.2).
            token_errors(t, d, anon, app, b, code, verifier)
            sign_out(t, d, anon, app, access)


main(test)
