"""Sign-in (OAuth 2) against a real meentd and PostgreSQL, as Mastodon's
Doorkeeper answers it: app registration (JSON, form and query parameters,
validation, rate limit), the authorization pages (sign-in, consent with a
choice of accounts, CSRF, the session cookie, security headers, language),
the authorization_code grant with PKCE, the out-of-band code, denial, the
password, client_credentials and refresh_token grants, revocation, the
discovery document, and every refusal on the way (wrong secret, reused or
expired code, PKCE mismatch, wrong redirect_uri, scope escalation,
disabled users, 2FA users)."""

import base64
import hashlib
import re
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

from harness import (Api, Cluster, Meentd, ctl, entity_example, local_account, main,
                     shape_problems)
from oauth_browser import Browser, parse_forms

PASSWORD = "Correct-horse-battery-2026"
REDIRECT = "nl.example.app://oauth/callback"
OOB = "urn:ietf:wg:oauth:2.0:oob"


def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def sha256(s):
    return hashlib.sha256(s.encode()).hexdigest()


def body(r):
    try:
        return r.json()
    except ValueError:
        return None


def err(r):
    b = body(r)
    return (r.status_code, b.get("error") if isinstance(b, dict) else None)


def register(api, name="Test app", redirect=REDIRECT, scopes="read write follow push", **kw):
    data = {"client_name": name, "redirect_uris": redirect, "scopes": scopes}
    data.update(kw)
    r = api.post("/api/v1/apps", json=data)
    if r.status_code != 200:
        raise RuntimeError("app registration failed: %d %s" % (r.status_code, r.text))
    return r.json()


def query(app, challenge=None, redirect=REDIRECT, scope="read write", state="st-123", **extra):
    q = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": redirect,
         "scope": scope, "state": state}
    if challenge:
        q.update(code_challenge=challenge, code_challenge_method="S256")
    q.update(extra)
    return urlencode(q)


def form_of(html, password=None):
    """The fields of the page's POST form (the sign-in form when password
    is given) as a dict, and the form's action."""
    page = parse_forms(html)
    for f in page.forms:
        if password is not None and not f.has_password():
            continue
        return {name: value for name, value, _ in f.fields}, f.action
    return {}, None


def sign_in(b, q, login, password=PASSWORD, csrf=True):
    """GET /oauth/authorize?q then POST the sign-in form; the response."""
    r = b.request("GET", "/oauth/authorize?" + q)
    fields, action = form_of(r.text, password=True)
    fields["username"] = login
    fields["password"] = password
    if csrf is not True:
        if csrf is None:
            fields.pop("csrf_token", None)
        else:
            fields["csrf_token"] = csrf
    return b.request("POST", action or "/auth/sign_in", data=fields)


def consent(b, q, decision="approve", account=None, csrf=True):
    """GET the consent page of q and POST it; (page response, post response)."""
    page = b.request("GET", "/oauth/authorize?" + q)
    fields, action = form_of(page.text)
    fields["decision"] = decision
    if account is not None:
        fields["account_id"] = account
    if csrf is not True:
        fields["csrf_token"] = csrf
    return page, b.request("POST", action or "/oauth/authorize", data=fields)


def code_from(r):
    loc = r.headers.get("Location", "")
    return parse_qs(urlsplit(loc).query).get("code", [None])[0], loc


def exchange(api, app, code, verifier=None, redirect=REDIRECT, secret=None):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect,
            "client_id": app["client_id"], "client_secret": secret or app["client_secret"]}
    if verifier:
        data["code_verifier"] = verifier
    return api.post("/oauth/token", data=data)


def full_flow(t, d, anon, app, login, account=None, scope="read write"):
    """Signs login in in a new browser and approves; returns the token body."""
    verifier, challenge = pkce()
    b = Browser(d.url)
    q = query(app, challenge, scope=scope)
    r = sign_in(b, q, login)
    if r.status_code != 303:
        t.diag("sign-in: %d %s" % (r.status_code, r.text[:300]))
    _, r = consent(b, q, account=account)
    code, _ = code_from(r)
    r = exchange(anon, app, code, verifier)
    return body(r) or {}, b


def test_apps(t, d, anon):
    r = anon.post("/api/v1/apps", json={"client_name": "Elephant", "scopes": "read write push",
                                        "redirect_uris": [REDIRECT, "https://app.example/cb"],
                                        "website": "https://app.example/"})
    app = body(r) or {}
    t.is_(r.status_code, 200, "POST /api/v1/apps (JSON, a list of redirect URIs): 200")
    t.is_(shape_problems(app, entity_example("Application")), [], "the Application shape")
    t.is_(app.get("scopes"), ["read", "write", "push"], "scopes as a list")
    t.is_(app.get("redirect_uri"), REDIRECT + "\nhttps://app.example/cb",
          "redirect_uri: the URIs joined by a newline")
    t.is_(app.get("redirect_uris"), [REDIRECT, "https://app.example/cb"], "redirect_uris")
    t.is_(app.get("website"), "https://app.example/", "website")
    t.ok(re.fullmatch(r"\d+", app.get("id", "")), "a numeric id")
    t.is_(app.get("client_secret_expires_at"), 0, "client_secret_expires_at: 0")
    t.ok(len(app.get("client_id", "")) >= 32 and len(app.get("client_secret", "")) >= 32,
         "a client_id and a client_secret")
    t.like(r.headers.get("Access-Control-Allow-Origin", ""), "*", "CORS for browser apps")
    rows = d.pg.psql("SELECT client_secret_hash FROM oauth_applications WHERE client_id = :'p1'",
                     app.get("client_id", ""))
    t.is_(rows, [[sha256(app.get("client_secret", ""))]],
          "only the secret's SHA-256 is stored")

    r = anon.post("/api/v1/apps", data={"client_name": "Form app", "redirect_uris": OOB})
    a2 = body(r) or {}
    t.is_(r.status_code, 200, "POST /api/v1/apps as a form: 200")
    t.is_(a2.get("scopes"), ["read"], "scopes default to read")
    t.is_(a2.get("website"), None, "no website: null")
    r = anon.post("/api/v1/apps?" + urlencode({"client_name": "Query app",
                                              "redirect_uris": "myapp:/cb\nmyapp://other",
                                              "scopes": "read:statuses  write:media"}))
    t.is_(r.status_code, 200, "POST /api/v1/apps with query parameters: 200")
    t.is_((body(r) or {}).get("redirect_uris"), ["myapp:/cb", "myapp://other"],
          "several URIs in one string")
    t.is_((body(r) or {}).get("scopes"), ["read:statuses", "write:media"], "granular scopes")

    bad = [
        ({"redirect_uris": REDIRECT}, "Application name can't be blank"),
        ({"client_name": "x" * 61, "redirect_uris": REDIRECT}, "Application name is too long"),
        ({"client_name": "x"}, "Redirect URI can't be blank"),
        ({"client_name": "x", "redirect_uris": "javascript://alert(1)"}, "forbidden"),
        ({"client_name": "x", "redirect_uris": "data://text/html,x"}, "forbidden"),
        ({"client_name": "x", "redirect_uris": "/relative"}, "must be an absolute URI"),
        ({"client_name": "x", "redirect_uris": "https://a.example/#f"}, "fragment"),
        ({"client_name": "x", "redirect_uris": "app:opaque"}, "must specify a scheme"),
        ({"client_name": "x", "redirect_uris": "https://a.example/" + "a" * 2000}, "too long"),
        ({"client_name": "x", "redirect_uris": REDIRECT, "scopes": "read nonsense"}, "Scopes"),
        ({"client_name": "x", "redirect_uris": REDIRECT, "scopes": "crypto"}, "Scopes"),
        ({"client_name": "x", "redirect_uris": REDIRECT, "website": "ftp://a.example"},
         "Application website is invalid"),
    ]
    for data, want in bad:
        r = anon.post("/api/v1/apps", json=data)
        b = body(r) or {}
        t.ok(r.status_code == 422 and want in b.get("error", "") and
             b["error"].startswith("Validation failed: "),
             "invalid app %r: 422 %r" % (sorted(data), want))
        if r.status_code != 422:
            t.diag(r.text[:300])
    r = anon.post("/api/v1/apps", data="{not json", headers={"Content-Type": "application/json"})
    t.is_(r.status_code, 400, "malformed JSON: 400")
    return app


def test_metadata(t, d, anon):
    r = anon.get("/.well-known/oauth-authorization-server")
    m = body(r) or {}
    t.is_(r.status_code, 200, "GET /.well-known/oauth-authorization-server: 200")
    base = "http://a.test"
    t.is_(m.get("issuer"), base + "/", "issuer: the root URL")
    t.is_(m.get("authorization_endpoint"), base + "/oauth/authorize", "authorization_endpoint")
    t.is_(m.get("token_endpoint"), base + "/oauth/token", "token_endpoint")
    t.is_(m.get("revocation_endpoint"), base + "/oauth/revoke", "revocation_endpoint")
    t.is_(m.get("app_registration_endpoint"), base + "/api/v1/apps", "app_registration_endpoint")
    t.is_(m.get("code_challenge_methods_supported"), ["S256"], "PKCE: S256 only")
    t.is_(m.get("response_types_supported"), ["code"], "response types")
    t.ok({"authorization_code", "client_credentials", "password", "refresh_token"} ==
         set(m.get("grant_types_supported", [])), "the four grants")
    t.ok("read:statuses" in m.get("scopes_supported", []) and
         "admin:write:accounts" in m.get("scopes_supported", []) and
         "crypto" not in m.get("scopes_supported", []), "the scopes, without crypto")


def check_page(t, r, what, lang="en"):
    """What every HTML page must have for axe-core and for safety."""
    html = r.text
    t.like(r.headers.get("Content-Type", ""), "text/html", what + ": HTML")
    csp = r.headers.get("Content-Security-Policy", "")
    t.ok("default-src 'none'" in csp and "frame-ancestors 'none'" in csp and
         "base-uri 'none'" in csp and "style-src 'self'" in csp and "script-src" not in csp,
         what + ": a strict CSP (%s)" % csp)
    t.is_(r.headers.get("X-Frame-Options"), "DENY", what + ": X-Frame-Options DENY")
    t.like(r.headers.get("Cache-Control", ""), "no-store", what + ": not cached")
    t.ok(re.search(r'<html lang="%s"' % lang, html), what + ": <html lang=%s>" % lang)
    t.is_(len(re.findall(r"<h1[ >]", html)), 1, what + ": one <h1>")
    t.is_(len(re.findall(r"<main[ >]", html)), 1, what + ": one <main>")
    t.ok(re.search(r"<title>[^<]+</title>", html), what + ": a title")
    ids = set(re.findall(r'<input[^>]*\bid="([^"]+)"', html))
    visible = [i for i in re.findall(r'<input([^>]*)>', html)
               if 'type="hidden"' not in i and 'type="radio"' not in i]
    labels = set(re.findall(r'<label for="([^"]+)"', html))
    t.ok(all(re.search(r'\bid="([^"]+)"', i) and re.search(r'\bid="([^"]+)"', i).group(1)
             in labels for i in visible) and ids >= labels,
         what + ": every visible input has a <label for>")


def test_pages(t, d, anon, app):
    b = Browser(d.url)
    verifier, challenge = pkce()
    q = query(app, challenge)
    r = b.request("GET", "/oauth/authorize?" + q)
    t.is_(r.status_code, 200, "GET /oauth/authorize: the sign-in page")
    check_page(t, r, "sign-in page")
    t.ok("Access-Control-Allow-Origin" not in r.headers, "the pages have no CORS")
    t.like(r.text, 'name="csrf_token"', "the form carries a CSRF token")
    t.like(r.text, "Test app", "the page names the app")
    cookie = r.headers.get("Set-Cookie", "")
    t.ok(cookie.startswith("meent_session=") and "HttpOnly" in cookie and
         "SameSite=Lax" in cookie and "Path=/" in cookie and "Secure" not in cookie,
         "an anonymous session cookie: HttpOnly, SameSite=Lax, Path=/ (%s)" % cookie)
    css = re.search(r'href="(/static/meent\.css\?v=[0-9a-f]+)"', r.text)
    t.ok(css, "one versioned stylesheet")
    if css:
        c = anon.get(css.group(1))
        t.ok(c.status_code == 200 and "text/css" in c.headers.get("Content-Type", "") and
             "max-age=31536000" in c.headers.get("Cache-Control", "") and
             "prefers-color-scheme: dark" in c.text, "the stylesheet: light and dark, cached")

    r = d.get("/oauth/authorize?" + q, headers={"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.8"})
    check_page(t, r, "Dutch sign-in page", lang="nl")
    t.like(r.text, "Wachtwoord", "in Dutch from Accept-Language")
    r = d.get("/oauth/authorize?" + q + "&lang=en", headers={"Accept-Language": "nl"})
    t.ok('lang="en"' in r.text, "the lang parameter wins over Accept-Language")

    # Sign-in failures say nothing about whether the user exists.
    r1 = sign_in(b, q, "alice", "wrong-password-123")
    r2 = sign_in(b, q, "nobody-here", "wrong-password-123")
    t.is_((r1.status_code, r2.status_code), (401, 401), "a wrong password or user: 401")
    t.like(r1.text, "not correct", "the page says the name or password is not correct")
    msg = lambda r: re.search(r'role="alert"[^>]*>\s*<p>([^<]*)<', r.text)
    t.ok(msg(r1) and msg(r2) and msg(r1).group(1) == msg(r2).group(1),
         "the same words for a wrong password and an unknown user")
    t.like(r1.text, 'value="alice"', "the name is kept in the form")
    t.ok("wrong-password" not in r1.text, "the password is not")
    t.ok(not any("Max-Age" in c for c in b.set_cookies), "no session after failures")

    r = sign_in(b, q, "alice", csrf=None)
    t.is_(r.status_code, 403, "sign-in without the CSRF token: 403")
    r = sign_in(b, q, "alice", csrf="0" * 64)
    t.is_(r.status_code, 403, "sign-in with a wrong CSRF token: 403")
    other = Browser(d.url)
    r = other.request("GET", "/oauth/authorize?" + q)
    stolen, _ = form_of(r.text, password=True)
    r = sign_in(b, q, "alice", csrf=stolen.get("csrf_token"))
    t.is_(r.status_code, 403, "another browser's CSRF token: 403")

    anon_cookie = b.cookies.get("meent_session")
    r = sign_in(b, q, "alice@example.org")
    t.is_(r.status_code, 303, "sign-in by e-mail address: 303")
    t.like(r.headers.get("Location", ""), "/oauth/authorize?", "back to the authorization")
    cookie = r.headers.get("Set-Cookie", "")
    t.ok("Max-Age=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie,
         "a signed-in session cookie (%s)" % cookie)
    t.ok(b.cookies.get("meent_session") != anon_cookie, "a new token at sign-in (no fixation)")
    rows = d.pg.psql("SELECT count(*) FROM web_sessions WHERE token_hash = :'p1'",
                     sha256(b.cookies.get("meent_session", "")))
    t.is_(rows, [["1"]], "the session is stored by its SHA-256 only")

    page = b.request("GET", "/oauth/authorize?" + q)
    t.is_(page.status_code, 200, "the consent page")
    check_page(t, page, "consent page")
    t.like(page.text, "Read all your account", "the scopes in words")
    t.like(page.text, "Change all your account", "write in words")
    t.like(page.headers.get("Content-Security-Policy", ""), "form-action 'self' nl.example.app:",
           "form-action lets the approval redirect to the app's scheme")
    fields, _ = form_of(page.text)
    t.ok("account_id" in fields and "csrf_token" in fields, "account and CSRF token in the form")
    t.ok('type="radio"' not in page.text, "one account: no choice to make")

    f2 = dict(fields, decision="approve")
    f2.pop("csrf_token")
    r = b.request("POST", "/oauth/authorize", data=f2)
    t.ok(r.status_code == 403 and "Location" not in r.headers, "approval without CSRF: 403")
    r = b.request("POST", "/oauth/authorize", data=dict(fields, decision="approve",
                                                        csrf_token=stolen.get("csrf_token")))
    t.ok(r.status_code == 403 and "Location" not in r.headers,
         "approval with another session's CSRF token: 403")

    r = b.request("POST", "/oauth/authorize", data=dict(fields, decision="approve"))
    t.is_(r.status_code, 302, "approval: 302")
    code, loc = code_from(r)
    t.ok(loc.startswith(REDIRECT + "?code="), "to the redirect URI with the code (%s)" % loc[:60])
    t.is_(parse_qs(urlsplit(loc).query).get("state"), ["st-123"], "and the state")
    rows = d.pg.psql("SELECT count(*) FROM oauth_authorization_codes WHERE code_hash = :'p1'"
                     " AND expires_at BETWEEN now() + interval '9 minutes'"
                     " AND now() + interval '10 minutes'", sha256(code or ""))
    t.is_(rows, [["1"]], "the code is stored hashed and lives 10 minutes")

    r = exchange(anon, app, code)
    t.is_(err(r), (400, "invalid_request"), "without the code_verifier: 400 invalid_request")
    r = exchange(anon, app, code, "x" * 43)
    t.is_(err(r), (400, "invalid_grant"), "a wrong code_verifier: 400 invalid_grant")
    r = exchange(anon, app, code, verifier, redirect="https://app.example/cb")
    t.is_(err(r), (400, "invalid_grant"), "another redirect_uri: 400 invalid_grant")
    r = exchange(anon, app, code, verifier, secret="not-the-secret")
    t.is_(err(r), (401, "invalid_client"), "a wrong client_secret: 401 invalid_client")
    t.like(r.headers.get("WWW-Authenticate", ""), "invalid_client", "with WWW-Authenticate")
    r = exchange(anon, app, code, verifier)
    tok = body(r) or {}
    t.is_(r.status_code, 200, "the code for a token (after refused tries): 200")
    t.is_(shape_problems(tok, entity_example("Token")), [], "the Token shape")
    t.is_(tok.get("token_type"), "Bearer", "token_type Bearer")
    t.is_(tok.get("scope"), "read write", "the scopes granted")
    t.ok(isinstance(tok.get("refresh_token"), str), "a refresh token")
    t.like(r.headers.get("Cache-Control", ""), "no-store", "token responses are not cached")
    r = exchange(anon, app, code, verifier)
    t.is_(err(r), (400, "invalid_grant"), "the code again: 400 invalid_grant")

    user = Api(d, tok.get("access_token"))
    r = user.get("/api/v1/accounts/verify_credentials")
    t.ok(r.status_code == 200 and (body(r) or {}).get("username") == "alice",
         "the token acts as alice (accounts/verify_credentials)")
    r = user.get("/api/v1/apps/verify_credentials")
    v = body(r) or {}
    t.ok(r.status_code == 200 and v.get("name") == "Test app" and "client_secret" not in v,
         "apps/verify_credentials with the user token: the app, without its secret")
    # Mastodon sends website null when the app gave none.
    t.is_(shape_problems(v, entity_example("Application"), optional=("website",)), [],
          "the Application shape")
    t.is_(v.get("website"), None, "website null when none was given")
    rows = d.pg.psql("SELECT application_id IS NOT NULL, user_id IS NOT NULL,"
                     " account_id = (SELECT id FROM accounts WHERE username = 'alice'),"
                     " scopes FROM oauth_tokens WHERE token_hash = :'p1'",
                     sha256(tok.get("access_token", "")))
    t.is_(rows, [["t", "t", "t", "read write"]], "the token row: app, user, account, scopes")

    # A second authorization in the signed-in browser goes straight to consent;
    # force_login asks for the password again.
    r = b.request("GET", "/oauth/authorize?" + query(app, challenge, force_login="true"))
    t.ok(r.status_code == 200 and 'type="password"' in r.text, "force_login: the sign-in page")
    return b, tok


def test_code_refusals(t, d, anon, app, b):
    verifier, challenge = pkce()
    q = query(app, challenge)
    _, r = consent(b, q)
    code, _ = code_from(r)
    d.pg.psql("UPDATE oauth_authorization_codes SET expires_at = now() - interval '1 second'"
              " WHERE code_hash = :'p1'", sha256(code or ""))
    t.is_(err(exchange(anon, app, code, verifier)), (400, "invalid_grant"),
          "an expired code: 400 invalid_grant")

    other = register(anon, name="Other app")
    _, r = consent(b, q)
    code, _ = code_from(r)
    t.is_(err(exchange(anon, other, code, verifier)), (400, "invalid_grant"),
          "another app's code: 400 invalid_grant")
    r = anon.post("/oauth/token", data={"grant_type": "authorization_code", "code": code,
                                        "redirect_uri": REDIRECT, "code_verifier": verifier},
                  auth=(app["client_id"], app["client_secret"]))
    t.is_(r.status_code, 200, "client credentials by HTTP Basic: 200")

    # Without PKCE the code needs no verifier, and refuses one.
    q = query(app)
    _, r = consent(b, q)
    code, _ = code_from(r)
    t.is_(err(exchange(anon, app, code, verifier)), (400, "invalid_grant"),
          "a verifier for a code without a challenge: 400")
    t.is_(exchange(anon, app, code).status_code, 200, "a code without PKCE: 200")
    t.is_(err(exchange(anon, app, "not-a-code")), (400, "invalid_grant"), "an unknown code: 400")
    r = anon.post("/oauth/token", data={"grant_type": "authorization_code",
                                        "client_id": app["client_id"],
                                        "client_secret": app["client_secret"], "code": "x"})
    t.is_(err(r), (400, "invalid_request"), "no redirect_uri: 400 invalid_request")
    r = anon.post("/oauth/token", data={"client_id": app["client_id"]})
    t.is_(err(r), (400, "invalid_request"), "no grant_type: 400 invalid_request")
    r = anon.post("/oauth/token", data={"grant_type": "implicit", "client_id": app["client_id"],
                                        "client_secret": app["client_secret"]})
    t.is_(err(r), (400, "unsupported_grant_type"), "an unknown grant: 400")
    r = anon.post("/oauth/token", data={"grant_type": "client_credentials"})
    t.is_(err(r), (401, "invalid_client"), "no client credentials: 401")
    b_ = body(r) or {}
    t.ok(isinstance(b_.get("error_description"), str), "errors carry error_description")


def test_oob_and_deny(t, d, anon, b):
    app = register(anon, name="CLI", redirect=OOB, scopes="read write")
    verifier, challenge = pkce()
    q = query(app, challenge, redirect=OOB, state="")
    page, r = consent(b, q)
    t.like(page.headers.get("Content-Security-Policy", ""), "form-action 'self';",
           "out of band: form-action 'self'")
    t.is_(r.status_code, 302, "out-of-band approval: 302")
    loc = r.headers.get("Location", "")
    t.like(loc, "/oauth/authorize/native?code=", "to the page that shows the code")
    code = parse_qs(urlsplit(loc).query).get("code", [""])[0]
    r = d.get(loc)
    check_page(t, r, "code page")
    t.like(r.text, 'value="%s"' % code, "the code is shown to copy")
    t.is_(d.get("/oauth/authorize/native?code=%3Cscript%3E").status_code, 404,
          "the code page shows only codes")
    t.is_(exchange(anon, app, code, verifier, redirect=OOB).status_code, 200,
          "the out-of-band code for a token")

    q = query(register(anon, name="Denied"), state="deny-state")
    _, r = consent(b, q, decision="deny")
    loc = r.headers.get("Location", "")
    qs = parse_qs(urlsplit(loc).query)
    t.ok(r.status_code == 302 and loc.startswith(REDIRECT + "?") and
         qs.get("error") == ["access_denied"] and qs.get("state") == ["deny-state"] and
         "code" not in qs, "deny: the app gets error=access_denied and the state")


def test_authorize_errors(t, d, anon, b):
    app = register(anon, name="Read only", scopes="read")
    cases = [
        ({"client_id": "nope"}, 401, "invalid_client", "an unknown client_id"),
        ({"client_id": ""}, 400, "invalid_request", "no client_id"),
        ({"redirect_uri": "https://evil.example/cb"}, 400, "invalid_redirect_uri",
         "an unregistered redirect_uri"),
        ({"redirect_uri": ""}, 400, "invalid_redirect_uri", "no redirect_uri"),
        ({"response_type": "token"}, 400, "unsupported_response_type", "response_type=token"),
        ({"response_type": ""}, 400, "invalid_request", "no response_type"),
        ({"scope": "read write"}, 400, "invalid_scope", "a scope beyond the app's"),
        ({"scope": "read nonsense"}, 400, "invalid_scope", "an unknown scope"),
        ({"code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
          "code_challenge_method": "plain"}, 400, "invalid_code_challenge_method", "plain PKCE"),
        ({"code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, 400,
         "invalid_code_challenge_method", "a challenge without a method"),
        ({"code_challenge": "short", "code_challenge_method": "S256"}, 400, "invalid_request",
         "a malformed challenge"),
        ({"state": "s" * 3000}, 400, "invalid_request", "an over-long state"),
    ]
    base = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT,
            "scope": "read", "state": "x"}
    for change, status, error, what in cases:
        qd = dict(base, **change)
        for method in ("GET", "POST"):
            r = (b.request("GET", "/oauth/authorize?" + urlencode(qd)) if method == "GET" else
                 b.request("POST", "/oauth/authorize", data=dict(qd, decision="approve")))
            t.ok(r.status_code == status and "Location" not in r.headers and
                 "<code>%s</code>" % error in r.text and "text/html" in
                 r.headers.get("Content-Type", ""),
                 "%s %s: an HTML %d %s page, no redirect" % (method, what, status, error))
    r = b.request("GET", "/oauth/authorize?" + urlencode(dict(base, client_id="nope")))
    check_page(t, r, "error page")
    r = b.request("GET", "/oauth/authorize?" + urlencode(dict(base, scope="")))
    t.is_(r.status_code, 200, "no scope: the default, read")

    # The token endpoint's scope checks.
    r = anon.post("/oauth/token", data={"grant_type": "client_credentials", "scope": "write",
                                        "client_id": app["client_id"],
                                        "client_secret": app["client_secret"]})
    t.is_(err(r), (400, "invalid_scope"), "client_credentials beyond the app's scopes: 400")
    r = anon.post("/oauth/token", data={"grant_type": "password", "scope": "admin:read",
                                        "username": "alice", "password": PASSWORD,
                                        "client_id": app["client_id"],
                                        "client_secret": app["client_secret"]})
    t.is_(err(r), (400, "invalid_scope"), "password grant beyond the app's scopes: 400")


def test_grants(t, d, anon, app):
    def token(**data):
        data.update(client_id=app["client_id"], client_secret=app["client_secret"])
        return anon.post("/oauth/token", data=data)

    r = token(grant_type="password", username="alice", password=PASSWORD, scope="read write")
    tok = body(r) or {}
    t.ok(r.status_code == 200 and tok.get("scope") == "read write" and
         isinstance(tok.get("refresh_token"), str), "password grant: 200 with a refresh token")
    t.is_(Api(d, tok.get("access_token")).get("/api/v1/accounts/verify_credentials")
          .status_code, 200, "the password grant's token works")
    r = token(grant_type="password", username="ALICE@example.org", password=PASSWORD)
    t.ok(r.status_code == 200 and (body(r) or {}).get("scope") == "read",
         "by e-mail in any case, default scope read")
    t.is_(err(token(grant_type="password", username="alice", password="wrong-one-123")),
          (400, "invalid_grant"), "a wrong password: 400 invalid_grant")
    t.is_(err(token(grant_type="password", username="nobody", password=PASSWORD)),
          (400, "invalid_grant"), "an unknown user: 400 invalid_grant")
    t.is_(err(token(grant_type="password", username="dave", password=PASSWORD)),
          (400, "invalid_grant"), "a user with 2FA: 400 invalid_grant")
    t.is_(err(token(grant_type="password", username="carol", password=PASSWORD)),
          (400, "invalid_grant"), "a disabled user: 400 invalid_grant")

    r = token(grant_type="client_credentials", scope="read")
    app_tok = body(r) or {}
    t.ok(r.status_code == 200 and "refresh_token" not in app_tok,
         "client_credentials: 200, no refresh token")
    a = Api(d, app_tok.get("access_token"))
    t.is_(a.get("/api/v1/apps/verify_credentials").status_code, 200,
          "an app token verifies the app")
    t.is_(err(a.get("/api/v1/accounts/verify_credentials")),
          (422, "This method requires an authenticated user"), "but is no user")
    rows = d.pg.psql("SELECT user_id IS NULL AND account_id IS NULL FROM oauth_tokens"
                     " WHERE token_hash = :'p1'", sha256(app_tok.get("access_token", "")))
    t.is_(rows, [["t"]], "an app token has no user and no account")
    t.is_(Api(d).get("/api/v1/apps/verify_credentials").status_code, 401,
          "apps/verify_credentials without a token: 401")

    # Refresh: a new pair, the old one revoked; narrower scopes only.
    r = token(grant_type="refresh_token", refresh_token=tok.get("refresh_token"))
    new = body(r) or {}
    t.ok(r.status_code == 200 and new.get("access_token") != tok.get("access_token") and
         new.get("refresh_token") not in (None, tok.get("refresh_token")) and
         new.get("scope") == "read write", "refresh_token grant: a new pair")
    t.is_(Api(d, tok.get("access_token")).get("/api/v1/accounts/verify_credentials")
          .status_code, 401, "the old access token is revoked")
    t.is_(Api(d, new.get("access_token")).get("/api/v1/accounts/verify_credentials")
          .status_code, 200, "the new one works")
    t.is_(err(token(grant_type="refresh_token", refresh_token=tok.get("refresh_token"))),
          (400, "invalid_grant"), "the old refresh token again: 400 invalid_grant")
    t.is_(err(token(grant_type="refresh_token", refresh_token=new.get("refresh_token"),
                    scope="read write push")), (400, "invalid_scope"),
          "refresh with a wider scope: 400 invalid_scope")
    r = token(grant_type="refresh_token", refresh_token=new.get("refresh_token"), scope="read")
    t.ok(r.status_code == 200 and (body(r) or {}).get("scope") == "read",
         "refresh with a narrower scope")
    other = register(anon, name="Thief")
    r = anon.post("/oauth/token", data={"grant_type": "refresh_token",
                                        "refresh_token": (body(r) or {}).get("refresh_token"),
                                        "client_id": other["client_id"],
                                        "client_secret": other["client_secret"]})
    t.is_(err(r), (400, "invalid_grant"), "another app's refresh token: 400")

    # Revocation.
    r = token(grant_type="password", username="alice", password=PASSWORD)
    rtok = (body(r) or {}).get("access_token")
    r = anon.post("/oauth/revoke", data={"token": rtok, "client_id": other["client_id"],
                                         "client_secret": other["client_secret"]})
    t.is_(err(r), (403, "unauthorized_client"), "revoking another app's token: 403")
    r = anon.post("/oauth/revoke", data={"token": rtok})
    t.is_(err(r), (401, "invalid_client"), "revoking without client credentials: 401")
    r = anon.post("/oauth/revoke", data={"token": rtok, "client_id": app["client_id"],
                                         "client_secret": app["client_secret"]})
    t.ok(r.status_code == 200 and body(r) == {}, "POST /oauth/revoke: 200 {}")
    t.is_(Api(d, rtok).get("/api/v1/accounts/verify_credentials").status_code, 401,
          "the revoked token gets 401")
    r = anon.post("/oauth/revoke", data={"token": "unknown", "client_id": app["client_id"],
                                         "client_secret": app["client_secret"]})
    t.ok(r.status_code == 200 and body(r) == {}, "an unknown token: 200 {} as Doorkeeper")


def test_users(t, d, anon, app):
    # Disabled users cannot sign in, with the right password or not.
    b = Browser(d.url)
    r = sign_in(b, query(app), "carol")
    t.ok(r.status_code == 403 and "disabled" in r.text and "Location" not in r.headers,
         "a disabled user: 403 on the sign-in page")
    t.ok(not any("Max-Age" in c for c in b.set_cookies), "and no session")
    r = sign_in(Browser(d.url), query(app), "dave")
    t.is_(r.status_code, 403, "a user with 2FA cannot skip it: 403")

    # Bob acts as two accounts and chooses the second.
    b = Browser(d.url)
    q = query(app)
    sign_in(b, q, "bob")
    page = b.request("GET", "/oauth/authorize?" + q)
    radios = re.findall(r'<input type="radio" id="([^"]+)" name="account_id" value="(\d+)"',
                        page.text)
    t.is_(len(radios), 2, "two accounts: two radio buttons")
    t.ok("<fieldset>" in page.text and "<legend>" in page.text, "in a fieldset with a legend")
    t.ok(all('<label for="%s">' % rid in page.text for rid, _ in radios), "each with a label")
    check_page(t, page, "consent page with a choice")
    ids = d.pg.psql("SELECT id FROM accounts WHERE username = 'bobteam'")
    team = ids[0][0] if ids else ""
    t.ok(team in [v for _, v in radios], "bobteam is one of them")
    alice = d.pg.psql("SELECT id FROM accounts WHERE username = 'alice'")[0][0]
    _, r = consent(b, q, account=alice)
    t.ok(r.status_code == 403 and "Location" not in r.headers,
         "choosing an account that is not his: 403")
    _, r = consent(b, q, account=team)
    code, _ = code_from(r)
    r = exchange(anon, app, code)
    tok = body(r) or {}
    r = Api(d, tok.get("access_token")).get("/api/v1/accounts/verify_credentials")
    t.ok(r.status_code == 200 and (body(r) or {}).get("username") == "bobteam",
         "the token acts as the chosen account, bobteam")
    tok2, _ = full_flow(t, d, anon, app, "bob")
    r = Api(d, tok2.get("access_token")).get("/api/v1/accounts/verify_credentials")
    t.is_((body(r) or {}).get("username"), "bob", "the default choice is his own account")


def test_limits(t, pg):
    """A second meentd with the rate limits on and the Secure cookie."""
    conf = pg.config("a.test", api_rate_limit="300")
    with Meentd(conf) as d:
        d.pg = pg
        anon = Api(d)
        codes = []
        for i in range(6):
            r = anon.post("/api/v1/apps", json={"client_name": "App %d" % i,
                                                "redirect_uris": REDIRECT})
            codes.append(r.status_code)
        t.is_(codes, [200] * 5 + [429], "app registration: 5 per 10 minutes, then 429")
        t.ok(r.headers.get("X-RateLimit-Limit") == "5" and
             r.headers.get("X-RateLimit-Remaining") == "0" and
             r.headers.get("X-RateLimit-Reset") and r.headers.get("Retry-After"),
             "429 with X-RateLimit-* and Retry-After")
        t.is_(err(r), (429, "Too many requests"), "Mastodon's error")

        app = pg.psql("SELECT client_id FROM oauth_applications LIMIT 1")[0][0]
        b = Browser(d.url)
        q = urlencode({"response_type": "code", "client_id": app, "redirect_uri": REDIRECT})
        r = b.request("GET", "/oauth/authorize?" + q)
        cookie = r.headers.get("Set-Cookie", "")
        t.ok(cookie.startswith("__Host-meent_session=") and "Secure" in cookie,
             "behind TLS the cookie is __Host- and Secure (%s)" % cookie)
        fields, _ = form_of(r.text, password=True)
        statuses = []
        for i in range(26):
            f = dict(fields, username="limit-%d" % (i % 3), password="wrong-password-1")
            statuses.append(b.request("POST", "/auth/sign_in", data=f).status_code)
        t.is_(statuses, [401] * 25 + [429], "sign-in: 25 attempts per address, then 429")
        t.like(b.request("POST", "/auth/sign_in", data=f).text, "Too many sign-in attempts",
               "an HTML page says so")


def run(t):
    with Cluster() as pg:
        conf = pg.config("a.test", api_rate_limit="0", allow_insecure_http_for_development="yes")
        for name in ("alice", "bob", "carol", "dave"):
            local_account(conf, name, password=PASSWORD)
        local_account(conf, "bobteam", user="bob", password=PASSWORD, role="editor")
        r = ctl(conf, "user", "disable", "carol")
        t.is_(r.returncode, 0, "setup: carol is disabled")
        pg.psql("UPDATE users SET otp_secret = 'JBSWY3DPEHPK3PXP' WHERE username = 'dave'")
        with Meentd(conf) as d:
            d.pg = pg
            anon = Api(d)
            test_apps(t, d, anon)
            test_metadata(t, d, anon)
            app = register(anon)
            b, _ = test_pages(t, d, anon, app)
            test_code_refusals(t, d, anon, app, b)
            test_oob_and_deny(t, d, anon, b)
            test_authorize_errors(t, d, anon, b)
            test_grants(t, d, anon, app)
            test_users(t, d, anon, app)
        test_limits(t, pg)


if __name__ == "__main__":
    main(run)
