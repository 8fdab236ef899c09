"""The instance's front page (GET /, web/front.c) against a real meentd and
PostgreSQL: the instance and its contact as /api/v2/instance gives them,
the directory of organisations and their accounts (suspended, deleted,
undiscoverable and remote accounts left out), the rules, the moderated
servers with their public reasons only, the follow instructions, the
headers of a public page (CSP, public caching, ETag and 304, no cookie),
Dutch by ?lang=nl and by Accept-Language, and hostile names escaped."""

import re
from html.parser import HTMLParser

from harness import Api, Cluster, Meentd, ctl, local_account, main

HOSTILE_ORG = 'Gemeente <script>alert("org")</script> & Co'
HOSTILE_NAME = 'Alice <img src=x onerror=alert(1)> "de" Vries'


class Outline(HTMLParser):
    """The headings (level, text), the <html lang>, the links and the
    images of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings = []
        self.lang = None
        self.links = []
        self.imgs = []
        self._h = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif re.fullmatch(r"h[1-6]", tag):
            self._h = [int(tag[1]), ""]
        elif tag == "a":
            self.links.append(a.get("href"))
        elif tag == "img":
            self.imgs.append(a)

    def handle_endtag(self, tag):
        if self._h is not None and tag == "h%d" % self._h[0]:
            self.headings.append((self._h[0], self._h[1].strip()))
            self._h = None

    def handle_data(self, data):
        if self._h is not None:
            self._h[1] += data


def outline(html):
    p = Outline()
    p.feed(html)
    return p


def headings_in_order(t, page, what):
    levels = [lvl for lvl, _ in page.headings]
    t.is_(levels.count(1), 1, what + ": one h1")
    jumps = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    t.is_(jumps, [], what + ": no heading level skipped")


def check_empty(t, d):
    """A new instance: no accounts, rules or moderated servers yet."""
    r = d.get("/")
    t.is_(r.status_code, 200, "empty instance: 200")
    t.like(r.text, "There are no public accounts on this server yet.", "empty directory said")
    t.like(r.text, "This server has not published any rules.", "no rules said")
    t.like(r.text, "This server does not limit or block any other server.",
           "no moderated servers said")
    return r.headers.get("ETag")


def seed(pg, conf):
    r = ctl(conf, "org", "create", "bzk", "Ministerie van BZK",
            "--description", "Binnenlandse Zaken en Koninkrijksrelaties",
            "--url", "https://www.rijksoverheid.nl/bzk")
    assert r.returncode == 0, r.stderr
    r = ctl(conf, "org", "create", "gem", HOSTILE_ORG)
    assert r.returncode == 0, r.stderr
    tokens = {
        "beheer": local_account(conf, "beheer", org="bzk"),
        "alice": local_account(conf, "alice", org="bzk"),
        "bob": local_account(conf, "bob", org="gem"),
    }
    for name in ("gone", "hidden", "deleted"):
        local_account(conf, name, org="gem")
    r = ctl(conf, "account", "suspend", "gone")
    assert r.returncode == 0, r.stderr
    pg.psql("""
        UPDATE users SET role = 'admin' WHERE username = 'beheer';
        -- meentctl refuses such an address; the page must not trust the table.
        UPDATE organisations SET url = 'javascript:alert(2)' WHERE slug = 'gem';
        UPDATE accounts SET display_name = :'p1' WHERE username = 'alice' AND domain IS NULL;
        UPDATE accounts SET display_name = 'Bob Gemeente' WHERE username = 'bob' AND domain IS NULL;
        UPDATE accounts SET discoverable = false WHERE username = 'hidden' AND domain IS NULL;
        UPDATE accounts SET deleted_at = now() WHERE username = 'deleted' AND domain IS NULL;
        INSERT INTO accounts (username, domain, uri) VALUES
            ('remotebob', 'b.test', 'https://b.test/users/remotebob');
        INSERT INTO instance_rules (text, hint, priority) VALUES
            ('No <b>spam</b>', 'Adverts & scams are removed.', 2),
            ('Be respectful', '', 1);
        INSERT INTO domain_blocks (domain, severity, reject_media, public_comment, private_comment)
        VALUES ('spam.test', 'suspend', false, 'Sends <spam> & scams', 'private-note-1'),
               ('loud.test', 'silence', false, '', 'private-note-2'),
               ('pics.test', 'noop', true, 'Graphic media', 'private-note-3'),
               ('fine.test', 'noop', false, 'Nothing', 'private-note-4');
    """, HOSTILE_NAME)
    return tokens


def check_page(t, d, api):
    r = d.get("/")
    t.is_(r.status_code, 200, "front page: 200")
    t.like(r.headers.get("Content-Type", ""), "text/html", "front page is HTML")
    html = r.text
    page = outline(html)
    t.is_(page.lang, "en", "English by default")
    headings_in_order(t, page, "front page")
    t.is_(page.headings[0], (1, "Rijksoverheid Social"), "the h1 is the instance name")
    t.like(html, "<title>About this server · Rijksoverheid Social</title>", "title")
    h2 = [text for lvl, text in page.headings if lvl == 2]
    t.is_(h2, ["Operator and contact", "Organisations and their accounts", "Rules",
               "Moderated servers", "How to follow an account from another server"],
          "the sections, in order")
    t.like(html, '<nav class="front-toc" aria-label="On this page">', "the contents are a labelled nav")

    # The contact: the same account and address as /api/v2/instance.
    inst = api.get("/api/v2/instance").json()
    t.is_(inst["contact"]["account"]["acct"], "beheer", "the API's contact account is beheer")
    contact = html[html.index('id="contact"'):html.index('id="directory"')]
    t.like(contact, 'href="/@beheer"', "contact account linked")
    t.like(contact, "@beheer@a.test", "contact account's handle shown")
    t.like(contact, 'href="mailto:%s"' % inst["contact"]["email"], "contact e-mail as the API's")

    # The directory: organisations by name, accounts by username.
    directory = html[html.index('id="directory"'):html.index('id="rules"')]
    orgs = [text for lvl, text in page.headings if lvl == 3]
    t.is_(orgs, [HOSTILE_ORG, "Ministerie van BZK"], "organisations by name, as text")
    t.ok("<script>" not in html, "no script element from the organisation's name")
    t.like(directory, "Gemeente &lt;script&gt;alert(&quot;org&quot;)&lt;/script&gt; &amp; Co",
           "organisation name escaped")
    t.like(directory, "Binnenlandse Zaken en Koninkrijksrelaties", "organisation description")
    t.like(directory, 'href="https://www.rijksoverheid.nl/bzk"', "organisation website linked")
    t.ok("javascript:" not in html, "a javascript: website is not linked")
    for name in ("alice", "beheer", "bob"):
        t.like(directory, 'href="/@%s"' % name, "%s listed and linked" % name)
        t.like(directory, "@%s@a.test" % name, "%s's handle shown" % name)
    t.ok(directory.index("/@alice") < directory.index("/@beheer"), "accounts by username")
    t.ok(directory.index("/@bob") < directory.index("/@alice"),
         "accounts under their organisation")
    t.like(directory, "Alice &lt;img src=x onerror=alert(1)&gt; &quot;de&quot; Vries",
           "display name escaped")
    t.ok("<img src=x" not in html, "no markup from a display name")
    t.like(directory, "Bob Gemeente", "display name shown")
    for name in ("gone", "hidden", "deleted", "remotebob"):
        t.ok("@" + name not in html, "%s not listed" % name)
    avatars = [i for i in page.imgs if "avatar" in (i.get("class") or "")]
    t.is_(len(avatars), 4, "an avatar for the contact and each of three accounts")
    t.ok(all(i.get("alt") == "" for i in avatars), "avatars are decorative (alt=\"\")")
    t.ok(all(re.match(r"(https?://a\.test)?/", i["src"])
             for i in avatars), "avatars come from this server")

    # Rules in the operator's order, with hints.
    rules = html[html.index('id="rules"'):html.index('id="moderation"')]
    t.ok(rules.index("Be respectful") < rules.index("No &lt;b&gt;spam"), "rules in order")
    t.like(rules, "Adverts &amp; scams are removed.", "rule hint shown, escaped")

    # The moderated servers, as /api/v1/instance/domain_blocks.
    mod = html[html.index('id="moderation"'):html.index('id="follow"')]
    blocks = api.get("/api/v1/instance/domain_blocks").json()
    t.is_(sorted(b["domain"] for b in blocks), ["loud.test", "pics.test", "spam.test"],
          "the API lists three moderated servers")
    for b in blocks:
        t.like(mod, b["domain"], "%s shown" % b["domain"])
    t.like(mod, "Sends &lt;spam&gt; &amp; scams", "public reason shown, escaped")
    t.like(mod, "blocked: no contact at all", "suspension explained")
    t.like(mod, "limited: their posts are not shown publicly here", "silence explained")
    t.like(mod, "No reason was given.", "a missing reason said")
    t.ok("fine.test" not in html, "a block that limits nothing is not listed")
    t.ok("private-note" not in html, "private comments never shown")

    follow = html[html.index('id="follow"'):]
    t.like(follow, '<code class="front-handle">@username@a.test</code>', "the handle format")
    t.like(follow, '<code class="front-handle">@beheer@a.test</code>',
           "an example handle of a real account")
    return r


def check_headers(t, d, r):
    h = r.headers
    csp = h.get("Content-Security-Policy", "")
    t.like(csp, "default-src 'none'", "CSP: nothing by default")
    t.ok("script-src" not in csp, "CSP allows no script")
    t.like(csp, "frame-ancestors 'none'", "CSP: no framing")
    t.is_(h.get("Cache-Control"), "public, max-age=60", "publicly cacheable")
    t.ok("Set-Cookie" not in h, "no cookie set")
    t.like(h.get("Vary", ""), "Accept-Language", "varies by language")
    etag = h.get("ETag")
    t.ok(etag and etag.startswith('"'), "ETag given")
    r2 = d.get("/", headers={"If-None-Match": etag})
    t.is_(r2.status_code, 304, "If-None-Match: 304")
    t.is_(r2.content, b"", "304 has no body")
    r3 = d.get("/", headers={"If-None-Match": '"other"'})
    t.is_(r3.status_code, 200, "another ETag: 200")
    r4 = d.get("/", headers={"Cookie": "_session_id=abc"})
    t.ok("Set-Cookie" not in r4.headers, "a cookie sent is not answered with one")
    t.is_(r4.text, r.text, "a cookie does not change the page")
    r5 = d.get("/", headers={"Accept": "application/activity+json"})
    t.is_(r5.status_code, 200, "activity+json Accept: the page still")
    t.like(r5.headers.get("Content-Type", ""), "text/html", "activity+json Accept: HTML")
    r6 = d.request("HEAD", "/")
    t.is_(r6.status_code, 200, "HEAD /: 200")


def check_dutch(t, d, english):
    r = d.get("/?lang=nl")
    page = outline(r.text)
    t.is_(r.status_code, 200, "?lang=nl: 200")
    t.is_(page.lang, "nl", "?lang=nl: lang=nl")
    t.like(r.text, "Organisaties en hun accounts", "?lang=nl: Dutch headings")
    t.like(r.text, "<title>Over deze server · Rijksoverheid Social</title>", "?lang=nl: title")
    t.like(r.text, 'href="/@alice?lang=nl"', "?lang=nl carried on the directory's links")
    t.like(r.text, "geblokkeerd: helemaal geen contact", "?lang=nl: severity in Dutch")
    t.ok(r.headers.get("ETag") != english.headers.get("ETag"), "Dutch page has its own ETag")
    r = d.get("/", headers={"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"})
    t.is_(outline(r.text).lang, "nl", "Accept-Language nl: Dutch")
    t.like(r.text, "Een account volgen vanaf een andere server", "Accept-Language nl: Dutch text")
    t.like(r.text, 'href="/@alice"', "Accept-Language: links without ?lang=")
    t.like(r.text, 'href="/?lang=en"', "the switch back to English")
    r = d.get("/", headers={"Accept-Language": "fr"})
    t.is_(outline(r.text).lang, "en", "an unknown language: English")
    r = d.get("/?lang=%3Cscript%3E")
    t.is_(r.status_code, 200, "a hostile ?lang: still the page")
    t.ok("<script>" not in r.text, "a hostile ?lang is not echoed")


def check_page_cache(t, pg):
    """page_cache_ms: a second meentd on the same database keeps the page
    it rendered for its address and language, and only that."""
    conf = pg.config("a.test", instance_name="Rijksoverheid Social", page_cache_ms=60000)
    with Meentd(conf) as d:
        first = d.get("/")
        pg.psql("UPDATE organisations SET name = 'Ministerie van Cache' WHERE slug = 'bzk'")
        again = d.get("/")
        t.is_(again.status_code, 200, "page cache: the page again")
        t.is_(again.text, first.text, "page cache: the kept page, not a new rendering")
        t.is_(again.headers.get("ETag"), first.headers.get("ETag"), "page cache: same ETag")
        t.is_(again.headers.get("Content-Security-Policy"),
              first.headers.get("Content-Security-Policy"), "page cache: same CSP")
        t.is_(d.get("/", headers={"If-None-Match": first.headers.get("ETag")}).status_code,
              304, "page cache: If-None-Match on a kept page gives 304")
        t.like(d.get("/?lang=en").text, "Ministerie van Cache",
               "page cache: another address is rendered anew")
        t.like(d.get("/", headers={"Accept-Language": "nl"}).text, "Ministerie van Cache",
               "page cache: another language is rendered anew")
        t.ok("Set-Cookie" not in again.headers, "page cache: no cookie")
        t.is_(d.stop(), 0, "meentd with a page cache exits cleanly")
    with Meentd(pg.config("a.test")) as d:
        t.like(d.get("/").text, "Ministerie van Cache", "without the cache: the new name at once")


def run(t):
    with Cluster() as pg:
        conf = pg.config("a.test", instance_name="Rijksoverheid Social",
                         contact_email="beheer@a.test")
        with Meentd(conf) as d:
            check_empty(t, d)
            seed(pg, conf)
            api = Api(d)
            r = check_page(t, d, api)
            check_headers(t, d, r)
            check_dutch(t, d, r)
            t.is_(d.stop(), 0, "meentd exits cleanly")
        check_page_cache(t, pg)


main(run)
