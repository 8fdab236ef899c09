"""Issue 5's acceptance: the toot CLI from Debian (apt-get install toot,
0.34 in bookworm) signs in to a test instance and posts, exactly as a
government staff member would use it. The real /usr/bin/toot runs here,
with a throw-away HOME and XDG_CONFIG_HOME for its config.

toot logs in without a browser through `toot login_cli`: it registers an
app (POST /api/v1/apps with redirect urn:ietf:wg:oauth:2.0:oob), then uses
the password grant with the e-mail address as username, the password read
from standard input when that is not a terminal. --disable-https makes it
speak plain http to --instance HOST:PORT, the way the tests run meentd.
Everything it posts is checked again through the API."""

import json
import os
import re
import shutil
import subprocess
import tempfile

from harness import Api, Cluster, Meentd, local_account, main

PASSWORD = "toot-test-password-2026"
EMAIL = "ana@ministerie.example"
TOOT = shutil.which("toot") or "/usr/bin/toot"


class Toot:
    """The toot binary with its own home; every run's output kept."""

    def __init__(self, instance):
        self.instance = instance
        self.home = tempfile.mkdtemp(prefix="meent-toot-")
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.home,
                    "XDG_CONFIG_HOME": os.path.join(self.home, "config"),
                    "LANG": "C.UTF-8", "NO_COLOR": "1", "TERM": "dumb"}

    def __call__(self, *args, stdin=""):
        r = subprocess.run([TOOT] + list(args), input=stdin, capture_output=True,
                           text=True, env=self.env, timeout=60)
        r.out = r.stdout + r.stderr
        return r

    def config(self):
        with open(os.path.join(self.home, "config", "toot", "config.json")) as f:
            return json.load(f)

    def cleanup(self):
        shutil.rmtree(self.home, ignore_errors=True)


def ran(t, r, what, needle=None):
    """The command exited 0 (and printed needle); shows its output if not."""
    good = r.returncode == 0 and (needle is None or needle in r.out)
    if not t.ok(good, what):
        t.diag("exit %d, output:\n%s" % (r.returncode, r.out[-1500:]))
    return good


def sign_in(t, toot):
    login = ["login_cli", "--instance", toot.instance, "--email", EMAIL, "--disable-https"]
    r = toot(*login, stdin="not-the-password\n")
    t.like(r.out, "running Mastodon version 4.", "toot found a Mastodon 4 instance and registered")
    t.ok(r.returncode != 0 and "Login failed" in r.out, "a wrong password: toot says Login failed")
    r = toot(*login, stdin=PASSWORD + "\n")
    ran(t, r, "toot login_cli signs in with e-mail and password (the app saved is reused)",
        "Successfully logged in")
    cfg = toot.config()
    app = cfg.get("apps", {}).get(toot.instance, {})
    t.is_(app.get("base_url"), "http://" + toot.instance, "the app is saved with its base URL")
    user = cfg.get("users", {}).get("ana@" + toot.instance, {})
    t.ok(user.get("access_token"), "the access token is saved for ana@" + toot.instance)
    return user.get("access_token")


def post_and_check(t, toot, api, me):
    r = toot("post", "Hallo vanuit toot: de eerste bekendmaking")
    ran(t, r, "toot post", "Toot posted:")
    m = re.search(r"Toot posted: (\S+)", r.out)
    url = m.group(1) if m else ""
    r = toot("post", "-v", "unlisted", "-p", "Let op", "Bericht met een waarschuwing")
    ran(t, r, "toot post -v unlisted -p (content warning)", "Toot posted:")

    r = api.get("/api/v1/accounts/%s/statuses" % me)
    mine = r.json() if r.status_code == 200 else []
    t.is_(r.status_code, 200, "the API lists Ana's statuses")
    by_text = {s.get("content"): s for s in mine if isinstance(s, dict)}
    first = by_text.get("<p>Hallo vanuit toot: de eerste bekendmaking</p>")
    warned = by_text.get("<p>Bericht met een waarschuwing</p>")
    t.ok(first is not None, "the API has toot's post, as Mastodon's HTML")
    t.ok(warned is not None, "the API has the post with the content warning")
    first, warned = first or {}, warned or {}
    t.is_(first.get("url"), url, "toot printed the status's url")
    t.is_(first.get("visibility"), "public", "public by default")
    t.is_((warned.get("visibility"), warned.get("spoiler_text"), warned.get("sensitive")),
          ("unlisted", "Let op", True), "unlisted, spoiler_text 'Let op', sensitive (as Mastodon sets it)")
    t.is_((first.get("application") or {}).get("name"), "toot - a Mastodon CLI client",
          "the status names the app, as toot registered it")
    return first.get("id"), warned.get("id")


def thread(t, toot, api, first):
    r = toot("post", "-r", str(first), "Een antwoord in de draad")
    ran(t, r, "toot post -r (a reply)", "Toot posted:")
    r = api.get("/api/v1/statuses/%s/context" % first)
    desc = r.json().get("descendants", []) if r.status_code == 200 else []
    reply = [s for s in desc if s.get("content") == "<p>Een antwoord in de draad</p>"]
    t.ok(reply and reply[0].get("in_reply_to_id") == first, "the API has the reply under the post")
    reply_id = reply[0].get("id") if reply else "0"
    r = toot("thread", str(first))
    ran(t, r, "toot thread shows the post and its reply", "Een antwoord in de draad")
    t.like(r.out, "Hallo vanuit toot", "the thread starts with the post")
    r = toot("delete", reply_id)
    ran(t, r, "toot delete", "Status deleted")
    t.is_(api.get("/api/v1/statuses/%s" % reply_id).status_code, 404, "the deleted reply is gone (404)")


def reading(t, toot):
    r = toot("whoami")
    ran(t, r, "toot whoami", "@ana")
    r = toot("instance", "--disable-https")
    ran(t, r, "toot instance", "Meent")
    r = toot("timeline", "--once")
    ran(t, r, "toot timeline (home; parses every created_at strictly)", "Hallo vanuit toot")
    t.like(r.out, "Bericht van Bram aan @ana", "Bram's mention is in the home timeline")
    r = toot("timeline", "--public", "--local", "--once")
    ran(t, r, "toot timeline --public --local", "Hallo vanuit toot")
    r = toot("notifications")
    ran(t, r, "toot notifications", "@bram mentioned you in")
    t.like(r.out, "@bram now follows you", "the follow is there too")
    r = toot("notifications", "--mentions")
    ran(t, r, "toot notifications --mentions (exclude_types[])", "@bram mentioned you in")
    t.ok("now follows you" not in r.out, "--mentions leaves the follow out")


def acting(t, toot, bram, bram_post):
    r = toot("favourite", bram_post)
    ran(t, r, "toot favourite", "Status favourited")
    r = toot("reblog", bram_post)
    ran(t, r, "toot reblog", "Status reblogged")
    r = bram.get("/api/v1/statuses/%s" % bram_post)
    s = r.json() if r.status_code == 200 else {}
    t.is_((s.get("favourites_count"), s.get("reblogs_count")), (1, 1),
          "Bram's post counts the favourite and the boost")
    r = toot("post", "x" * 501)
    t.ok(r.returncode != 0 and "500" in r.out, "a post over 500 characters is refused with the limit named")


def test(t):
    if not os.access(TOOT, os.X_OK):
        t.ok(False, "toot is installed (apt-get install toot)")
        return
    with Cluster() as pg:
        conf = pg.config("toot.test")
        ana_tok = local_account(conf, "ana", password=PASSWORD, email=EMAIL)
        bram_tok = local_account(conf, "bram", password=PASSWORD)
        with Meentd(conf) as d:
            toot = Toot(d.listen)
            try:
                api, bram = Api(d, ana_tok), Api(d, bram_tok)
                me = api.get("/api/v1/accounts/verify_credentials").json().get("id")
                sign_in(t, toot)
                first, _ = post_and_check(t, toot, api, me)
                thread(t, toot, api, first)
                bram_id = bram.get("/api/v1/accounts/verify_credentials").json().get("id")
                t.is_(api.post("/api/v1/accounts/%s/follow" % bram_id).status_code, 200,
                      "setup: Ana follows Bram")
                t.is_(bram.post("/api/v1/accounts/%s/follow" % me).status_code, 200,
                      "setup: Bram follows Ana")
                r = bram.post("/api/v1/statuses", json={"status": "Bericht van Bram aan @ana"})
                bram_post = r.json().get("id") if r.status_code == 200 else "0"
                t.is_(r.status_code, 200, "setup: Bram mentions Ana")
                reading(t, toot)
                acting(t, toot, bram, bram_post)
            finally:
                toot.cleanup()


main(test)
