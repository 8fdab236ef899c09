"""The public web in a real browser (issue 6's acceptance): every kind of
page opened in Debian's headless Chromium (tests/browser/pages.mjs, with
playwright-core and axe-core from tests/browser/package-lock.json), with
zero axe-core violations (WCAG 2.0 and 2.1 A and AA, and axe's best
practices) in the light and the dark colour scheme, no request to another
host, nothing refused by the page's own CSP, no horizontal scrolling at
320 CSS pixels (400% zoom), and the OAuth sign-in done with the keyboard
alone, ending in a code that buys a token. Screenshots of every page are
left in $MEENT_BUILDDIR/tests/browser-output.

The data is what a government account posts: an organisation, accounts
with bios and profile fields and an avatar, a post with a content warning,
two images with alt text, a mention, a hashtag and a link, a reply to it,
a rule and a moderated server.

Chromium, Node.js and the npm packages are installed by contrib/meent-dev
check; without them this test fails rather than passing unseen."""

import json
import os
import shutil
import struct
import subprocess
import time
import zlib
from urllib.parse import urlencode

from harness import (BUILDDIR, SRCDIR, Api, Cluster, Meentd, free_port, local_account,
                     main, read_config)

BROWSER_DIR = os.path.join(SRCDIR, "tests", "browser")
OUT_DIR = os.path.join(BUILDDIR, "tests", "browser-output")
CHROMIUM = os.environ.get("MEENT_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "Browser-test-password-2026"
# Pages other engineers are still writing: while their route answers 404
# the check is a TAP TODO (it does not fail the suite). Remove a name
# here when its page lands.
NOT_BUILT_YET = set()


def todo(t, msg, why="page not built yet"):
    t.n += 1
    print("not ok %d - %s # TODO %s" % (t.n, msg, why), flush=True)


def png(w, h, rgb):
    """A w x h PNG of one colour."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def tools(t):
    """Whether Chromium, Node.js and the npm packages are there: each
    missing one is a failure, with the way to install it."""
    node = shutil.which("node")
    have = {
        "Chromium (%s; apt-get install chromium)" % CHROMIUM: os.access(CHROMIUM, os.X_OK),
        "Node.js (apt-get install nodejs npm)": node is not None,
        "playwright-core and axe-core (npm ci --prefix tests/browser)": all(
            os.path.isdir(os.path.join(BROWSER_DIR, "node_modules", p))
            for p in ("playwright-core", "axe-core")),
    }
    for what, ok in have.items():
        t.ok(ok, "installed: " + what)
    return all(have.values())


def store_media(conf, pg, account, name, rgb, alt):
    """A processed image of account in media_dir, as an upload leaves it;
    returns its id (the API has no upload endpoint yet)."""
    media_dir = read_config(conf)["media_dir"]
    key = "media_attachments/files/%s.png" % (name * 32)[:32]
    os.makedirs(os.path.join(media_dir, "media_attachments", "files"), exist_ok=True)
    data = png(64, 40, rgb)
    with open(os.path.join(media_dir, key), "wb") as f:
        f.write(data)
    meta = json.dumps({"original": {"width": 64, "height": 40, "size": "64x40",
                                    "aspect": 1.6}})
    rows = pg.psql("""
        INSERT INTO media_attachments (account_id, type, content_type, file_path, file_size,
                                       description, meta)
        SELECT id, 'image', 'image/png', :'p1', :'p2', :'p3', :'p4'::jsonb
        FROM accounts WHERE username = :'p5' AND domain IS NULL RETURNING id""",
                   key, len(data), alt, meta, account)
    return rows[0][0]


def seed(t, pg, conf, d, callback):
    """The accounts, the posts and the instance's rules; returns the
    post's id and an app's client id."""
    r = subprocess.run([os.path.join(BUILDDIR, "meentctl"), "--config", conf, "org", "create",
                        "minbzk", "Ministerie van Binnenlandse Zaken",
                        "--description", "Binnenlandse Zaken en Koninkrijksrelaties",
                        "--url", "https://www.rijksoverheid.nl/ministeries/bzk"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert r.returncode == 0, r.stderr
    bzk = Api(d, local_account(conf, "bzk", org="minbzk", password=PASSWORD))
    alice = Api(d, local_account(conf, "alice", org="minbzk"))
    pg.psql("UPDATE users SET role = 'admin' WHERE username = 'bzk'")
    r = bzk.patch("/api/v1/accounts/update_credentials", data={
        "display_name": "Ministerie van BZK",
        "note": "Het officiële account van het ministerie. Vragen? https://www.rijksoverheid.nl/contact",
        "fields_attributes[0][name]": "Website",
        "fields_attributes[0][value]": "https://www.rijksoverheid.nl",
        "fields_attributes[1][name]": "Telefoon",
        "fields_attributes[1][value]": "1400",
    }, files={"avatar": ("avatar.png", png(96, 96, (0x1c, 0x4a, 0xa0)), "image/png")})
    t.is_(r.status_code, 200, "seed: the profile with a bio, fields and an avatar")
    r = alice.patch("/api/v1/accounts/update_credentials", data={
        "display_name": "Alice de Vries", "note": "Woordvoerder."})
    t.is_(r.status_code, 200, "seed: a second account")
    media = [store_media(conf, pg, "bzk", "a", (0x20, 0x60, 0x30), "Een kaart van Nederland"),
             store_media(conf, pg, "bzk", "b", (0x60, 0x20, 0x30), "De minister bij de presentatie")]
    r = bzk.post("/api/v1/statuses", json={
        "status": "De nieuwe #Omgevingswet gaat in. Lees alles op "
                  "https://www.rijksoverheid.nl/omgevingswet en stel je vraag aan @alice.",
        "spoiler_text": "Lange uitleg over de wet", "language": "nl",
        "media_ids": media, "visibility": "public"})
    t.is_(r.status_code, 200, "seed: a post with a content warning and two images")
    post = r.json()
    t.is_(len(post.get("media_attachments", [])), 2, "seed: the post has its two images")
    r = alice.post("/api/v1/statuses", json={
        "status": "@bzk Dank voor de uitleg!", "in_reply_to_id": post.get("id"),
        "visibility": "public", "language": "nl"})
    t.is_(r.status_code, 200, "seed: a reply")
    pg.psql("""
        INSERT INTO instance_rules (text, hint, priority) VALUES
            ('Blijf respectvol', 'Geen beledigingen of bedreigingen.', 1);
        INSERT INTO domain_blocks (domain, severity, public_comment)
        VALUES ('spam.example', 'suspend', 'Verstuurt spam');
    """)
    r = Api(d).post("/api/v1/apps", json={
        "client_name": "Browser test", "scopes": "read write",
        "redirect_uris": callback})
    t.is_(r.status_code, 200, "seed: an app to sign in to")
    return post.get("id"), r.json()


def run_browser(spec):
    """pages.mjs over spec: its result, or raises with what it said."""
    path = os.path.join(OUT_DIR, "spec.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    r = subprocess.run(["node", os.path.join(BROWSER_DIR, "pages.mjs"), path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=180)
    if r.returncode != 0:
        raise RuntimeError("pages.mjs failed (%d): %s" % (r.returncode, r.stderr[-3000:]))
    with open(os.path.join(OUT_DIR, "result.json"), "w") as f:
        f.write(r.stdout)
    return json.loads(r.stdout)


def report_violations(t, violations):
    for v in violations:
        t.diag("%s (%s): %s" % (v["id"], v["impact"], v["help"]))
        for n in v["nodes"]:
            t.diag("  at %s: %s" % (n["target"], n["html"]))
            t.diag("    " + n["summary"].replace("\n", "\n    "))


def check_page(t, p, expect, want=200):
    name = p["name"]
    if p.get("status") == 404 and name in NOT_BUILT_YET:
        todo(t, "%s: %s answers 200 (got 404)" % (name, p["url"]))
        return
    if not t.ok(p.get("status") == want and "error" not in p,
                "%s: opened in Chromium, %d" % (name, want)):
        t.diag("status %s, error %s" % (p.get("status"), p.get("error")))
        return
    for scheme, v in p["axe"].items():
        t.ok(p["rules"][scheme] >= 20, "%s: axe applied %d rules (%s scheme)" % (
            name, p["rules"][scheme], scheme))
        if not t.is_(len(v), 0, "%s: axe finds no violations (%s scheme)" % (name, scheme)):
            report_violations(t, v)
    t.is_(p["offOrigin"], [], "%s: no request left the origin" % name)
    t.is_(p["csp"], [], "%s: the page's CSP refused nothing" % name)
    rf = p["reflow"]
    t.ok(rf["scrollWidth"] <= rf["clientWidth"],
         "%s: no horizontal scrolling at 320 CSS px (%d <= %d)" % (
             name, rf["scrollWidth"], rf["clientWidth"]))
    t.is_(len(p["h1"]), 1, "%s: one h1" % name)
    t.ok(p["lang"] in ("en", "nl"), "%s: the page has a language" % name)
    t.ok(all(a is not None for a in p["alts"]), "%s: every image has an alt" % name)
    for s in expect:
        t.like(p.get("textOpen", p["text"]), s, "%s shows %r" % (name, s))
    t.ok(all(os.path.getsize(s) > 1000 for s in p["screenshots"]),
         "%s: screenshots saved" % name)
    if "selfTest" in p:
        t.ok({"image-alt", "color-contrast"} <= set(p["selfTest"]),
             "%s: axe reports a missing alt and poor contrast once they are added" % name)


def check_keyboard(t, k, d, app, callback):
    if not t.ok(k.get("ok"), "keyboard: sign-in and consent by Tab, typing and Enter alone"):
        t.diag("error: %s at %s" % (k.get("error"), k.get("at")))
    for s in k["steps"]:
        t.ok(s["tabs"] > 0, "keyboard: Tab reaches %s (%d presses)" % (s["focus"], s["tabs"]))
        if s["tabs"] > 0:
            t.ok(s["visible"], "keyboard: the focus on %s is visible" % s["focus"])
    t.is_(k["csp"], [], "keyboard: the CSP refused nothing (the redirect included)")
    t.is_(k["offOrigin"], [], "keyboard: no request left the origin")
    code = k.get("code")
    r = Api(d).post("/oauth/token", data={
        "grant_type": "authorization_code", "code": code or "none",
        "client_id": app["client_id"], "client_secret": app["client_secret"],
        "redirect_uri": callback})
    t.ok(r.status_code == 200 and r.json().get("access_token"),
         "keyboard: the code from the redirect buys a token")


def run(t):
    if not tools(t):
        t.diag("run ./contrib/meent-dev check (it installs them), or install them by hand")
        return
    shutil.rmtree(OUT_DIR, ignore_errors=True)
    os.makedirs(OUT_DIR)
    started = time.time()
    port = free_port()
    with Cluster() as pg:
        # The browser reaches the server by its own name (mapped to
        # loopback), so its absolute URLs (avatars, media) are same-origin.
        conf = pg.config("a.test:%d" % port, listen="127.0.0.1:%d" % port,
                         allow_insecure_http_for_development="yes",
                         instance_name="Rijksoverheid Sociaal", contact_email="beheer@a.test")
        with Meentd(conf) as d:
            browser_url = "http://a.test:%d" % port
            callback = browser_url + "/browser-test-callback"
            post_id, app = seed(t, pg, conf, d, callback)
            authorize = "/oauth/authorize?" + urlencode({
                "response_type": "code", "client_id": app["client_id"], "scope": "read write",
                "redirect_uri": callback})
            spec = {
                "base": browser_url, "hosts": {"a.test": "127.0.0.1"}, "out": OUT_DIR,
                "pages": [
                    {"name": "front", "path": "/", "selfTest": True},
                    {"name": "profile", "path": "/@bzk"},
                    {"name": "post", "path": "/@bzk/%s" % post_id},
                    {"name": "tag", "path": "/tags/omgevingswet"},
                    {"name": "signin", "path": authorize},
                    # Longer Dutch words must wrap at 320 px too.
                    {"name": "front-nl", "path": "/?lang=nl"},
                    # The shared message page, and an app's bad request.
                    {"name": "not-found", "path": "/@nobody"},
                    {"name": "oauth-error", "path": "/oauth/authorize?response_type=code"
                                                    "&client_id=unknown&redirect_uri=x"},
                ],
                "oauth": {"path": authorize, "username": "bzk", "password": PASSWORD,
                          "redirect": callback},
            }
            result = run_browser(spec)
            pages = {p["name"]: p for p in result["pages"]}
            expect = {
                "front": ["Rijksoverheid Sociaal", "Ministerie van Binnenlandse Zaken",
                          "Ministerie van BZK", "@bzk@a.test", "Blijf respectvol",
                          "spam.example", "Verstuurt spam"],
                "profile": ["Ministerie van BZK", "@bzk@a.test", "Telefoon", "1400"],
                "post": ["Lange uitleg over de wet", "#Omgevingswet", "@alice",
                         "rijksoverheid.nl/omgevingswet", "Dank voor de uitleg!"],
                "tag": ["#Omgevingswet", "Lange uitleg over de wet"],
                "signin": ["Browser test"],
                "consent": ["Browser test"],
            }
            for name in ("front", "profile", "post", "tag", "signin", "consent"):
                check_page(t, pages[name], expect[name])
            check_page(t, pages["front-nl"], ["Organisaties en hun accounts"])
            check_page(t, pages["not-found"], [], 404)
            check_page(t, pages["oauth-error"], ["unknown"], 401)
            if pages["post"].get("status") == 200:
                t.ok("disclosures open" in " ".join(pages["post"]["axe"]),
                     "post: the content warning's disclosure was opened and checked")
                t.ok(set(pages["post"]["alts"]) >= {"Een kaart van Nederland",
                                                    "De minister bij de presentatie"},
                     "post: both images carry their alt text")
            check_keyboard(t, result["keyboard"], d, app, callback)
    took = time.time() - started
    # About 35 s alone on 2 cores; the bound catches a hang, not a slow machine.
    t.ok(took < 150, "the browser test took %.0f s (under 150)" % took)


main(run)
