"""The public web's profile and hashtag pages against a real meentd and
PostgreSQL, with posts made through the client API: what a profile shows
(name, bio, fields with the verified ones marked in words, counts, the
pinned post first, public and unlisted posts and boosts, never a private
or direct one), pagination by max_id, 404 for unknown and remote accounts
and 410 for suspended and deleted ones, the actor for ActivityPub
clients, the headers of a public page (CSP, ETag and 304, public caching,
no cookie), the language switch, escaping of hostile names and texts,
the head's alternates and preview tags, hashtag pages, and the
remote-follow form: its errors and, between two instances, the WebFinger
lookup that sends the reader to their own server."""

import html
import re

from harness import Api, Cluster, Meentd, free_port, local_account, main, two_instances

AP = {"Accept": "application/activity+json"}
HOSTILE_NAME = "<script>alert(1)</script>"


def post(api, text, **kw):
    kw["status"] = text
    r = api.post("/api/v1/statuses", json=kw)
    assert r.status_code == 200, r.text
    return r.json()


def section(page, start, end):
    """The text of page between the markers start and end ('' if absent)."""
    i = page.find(start)
    if i < 0:
        return ""
    j = page.find(end, i)
    return page[i:j if j >= 0 else len(page)]


def test_profile(t, pg, conf, d):
    alice = Api(d, local_account(conf, "alice"))
    bob = Api(d, local_account(conf, "bob"))
    r = alice.patch("/api/v1/accounts/update_credentials", data={
        "display_name": HOSTILE_NAME, "note": "Official account & more <b>words</b>",
        "fields_attributes[0][name]": "Website",
        "fields_attributes[0][value]": "https://example.org/verified",
        "fields_attributes[1][name]": "Office",
        "fields_attributes[1][value]": "Town hall"})
    t.is_(r.status_code, 200, "alice's profile updated through the API")
    # What Mastodon's VerifyAccountLinksWorker would have found.
    pg.psql("UPDATE accounts SET fields = jsonb_set(fields, '{0,verified_at}',"
            " '\"2026-01-02T03:04:05.000Z\"') WHERE username = 'alice'")

    pinned = post(alice, "The pinned announcement")
    public = post(alice, "A public post with #Roads")
    unlisted = post(alice, "An unlisted post", visibility="unlisted")
    post(alice, "SECRET-PRIVATE words", visibility="private")
    post(alice, "SECRET-DIRECT words @bob", visibility="direct")
    post(alice, "Hostile <script>alert(2)</script> & text")
    r = alice.post("/api/v1/statuses/%s/pin" % pinned["id"])
    t.is_(r.status_code, 200, "the first post pinned")
    bob_private = post(bob, "bob's PRIVATE-BOOST-SOURCE", visibility="private")
    r = bob.post("/api/v1/statuses/%s/reblog" % public["id"])
    t.is_(r.status_code, 200, "bob boosts alice's public post")
    r = alice.post("/api/v1/statuses/%s/reblog" % bob_private["id"])
    t.ok(r.status_code in (403, 404, 422), "a private post cannot be boosted by others")

    r = d.get("/@alice")
    t.is_(r.status_code, 200, "GET /@alice: 200")
    t.is_(r.headers.get("Content-Type"), "text/html; charset=utf-8", "as HTML")
    page = r.text
    t.is_(page.count("<h1"), 1, "one h1")
    t.like(page, "<h1 class=\"profile-name\"><bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi></h1>",
           "the hostile display name is the h1, escaped")
    t.ok("<script>" not in page, "no script element anywhere")
    t.like(page, 'readonly value="@alice@gov.test"', "the handle, copyable")
    t.like(page, "Official account &amp; more &lt;b&gt;words&lt;/b&gt;",
           "the bio as the API's HTML, its text escaped")
    fields = section(page, '<dl class="profile-fields">', "</dl>")
    t.like(fields, "<dt>Website</dt>", "the first field's name")
    t.like(fields, 'rel="nofollow noopener noreferrer me"', "its link carries rel=me")
    t.like(fields, "Verified</span>", "the verified field says so in words")
    t.is_(fields.count("Verified</span>"), 1, "only the verified field is marked")
    t.like(fields, "Town hall", "the second field")
    t.like(page, "Posts: 6", "the count of posts (all six, as the API counts them)")
    t.like(page, "Followers: 0", "the count of followers")

    pins = section(page, 'class="pinned"', "</section>")
    posts = section(page, 'class="posts"', "</section>")
    t.like(pins, "The pinned announcement", "the pinned post in its section")
    t.ok(page.find('class="pinned"') < page.find('class="posts"'), "pinned posts come first")
    for text in ("A public post with", "An unlisted post"):
        t.like(posts, text, "the posts list %r" % text)
    t.ok("The pinned announcement" not in posts, "the pinned post is not listed twice")
    ids = re.findall(r' id="([^"]+)"', page)
    t.is_(sorted(set(ids)), sorted(ids), "no id twice on the page")
    t.ok(posts.find("Hostile") < posts.find("An unlisted post") < posts.find("A public post"),
         "newest first")
    t.like(posts, "Hostile &lt;script&gt;alert(2)&lt;/script&gt; &amp; text",
           "a hostile post text escaped")
    for secret in ("SECRET-PRIVATE", "SECRET-DIRECT"):
        t.ok(secret not in page, "%s appears nowhere on the page" % secret)
    t.ok('id="status-%s"' % unlisted["id"] in posts, "the unlisted post by its id")

    # The head: the actor, the feeds, preview tags, canonical.
    base = "http://gov.test"
    t.like(page, '<link rel="alternate" type="application/activity+json" href="%s/users/alice">'
           % base, "the actor as an alternate")
    t.like(page, 'type="application/rss+xml" href="%s/@alice.rss"' % base, "the RSS alternate")
    t.like(page, 'type="application/atom+xml" href="%s/@alice.atom"' % base, "the Atom alternate")
    t.like(page, '<meta property="og:description" content="Official account &amp; more '
           '&lt;b&gt;words&lt;/b&gt;">', "og:description is the bio as plain text")
    t.like(page, '<meta property="og:url" content="%s/@alice">' % base, "og:url")
    t.like(page, '<meta property="og:image" content="%s/avatars/original/missing.png">' % base,
           "og:image is our own image")
    t.like(page, '<meta property="profile:username" content="alice">', "profile:username")
    t.like(page, '<meta name="twitter:card" content="summary">', "twitter:card")
    t.like(page, '<link rel="canonical" href="%s/@alice">' % base, "canonical")
    t.ok('name="robots"' not in page, "indexable: no robots tag")

    # The headers of a public page.
    h = r.headers
    t.like(h.get("Content-Security-Policy", ""), "default-src 'none'", "a strict CSP")
    t.like(h.get("Content-Security-Policy", ""), "form-action 'self' https:",
           "which lets the remote-follow form send the reader on")
    t.is_(h.get("Cache-Control"), "public, max-age=60", "cached publicly")
    t.ok("Set-Cookie" not in h, "no cookie")
    t.like(h.get("Vary", ""), "Accept", "varies by Accept")
    etag = h.get("ETag")
    t.ok(etag, "an ETag")
    r2 = d.get("/@alice", headers={"If-None-Match": etag})
    t.is_(r2.status_code, 304, "If-None-Match: 304")

    # bob's profile: the boost.
    page = d.get("/@bob").text
    t.like(page, "bob boosted", "a boost says who boosted")
    t.like(page, "A public post with", "and shows the boosted post")
    t.ok("PRIVATE-BOOST-SOURCE" not in page, "bob's private post is not on his page")

    # Language.
    r = d.get("/@alice?lang=nl")
    t.like(r.text, '<html lang="nl"', "?lang=nl: the page is Dutch")
    t.like(r.text, "Vastgezette berichten", "with Dutch headings")
    t.like(r.text, 'action="/@alice/remote_follow?lang=nl"', "the form keeps the language")
    r = d.get("/@alice", headers={"Accept-Language": "nl-NL,nl;q=0.9"})
    t.like(r.text, "Volgen vanaf een andere server", "Accept-Language nl: Dutch")

    # Content negotiation and case.
    r = d.get("/@alice", headers=AP)
    t.is_(r.status_code, 200, "Accept activity+json: 200")
    t.like(r.headers.get("Content-Type", ""), "application/activity+json", "the actor")
    t.is_(r.json().get("id"), base + "/users/alice", "with alice's id")
    r = d.get("/@alice", headers={"Accept": 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'})
    t.is_(r.headers.get("Content-Type", "").split(";")[0], "application/activity+json",
          "ld+json too")
    t.is_(d.get("/@ALICE").status_code, 200, "usernames in any case")

    # Unknown, remote, suspended, deleted.
    t.is_(d.get("/@nobody").status_code, 404, "unknown: 404")
    pg.psql("INSERT INTO accounts (username, domain, uri, url) VALUES ('rem', 'remote.example',"
            " 'https://remote.example/users/rem', 'https://remote.example/@rem')")
    t.is_(d.get("/@rem@remote.example").status_code, 404, "a remote account: 404")
    t.is_(d.get("/@rem").status_code, 404, "a remote username without domain: 404")
    local_account(conf, "sus")
    local_account(conf, "gone")
    pg.psql("UPDATE accounts SET suspended_at = now() WHERE username = 'sus'")
    pg.psql("UPDATE accounts SET deleted_at = now() WHERE username = 'gone'")
    r = d.get("/@sus")
    t.is_(r.status_code, 410, "suspended: 410")
    t.like(r.text, "no longer available", "with a page that says so")
    t.is_(d.get("/@gone").status_code, 410, "deleted: 410")
    t.is_(d.get("/@sus.rss").status_code, 410, "a suspended account's feed: 410")
    t.is_(d.get("/@sus", headers=AP).status_code, 200,
          "a suspended actor still answers ActivityPub clients, as ap/actor.c does")

    # Moved.
    local_account(conf, "newhome")
    pg.psql("UPDATE accounts SET moved_to_account_id = (SELECT id FROM accounts WHERE"
            " username = 'newhome') WHERE username = 'bob'")
    r = d.get("/@bob")
    t.like(r.text, "This account has moved to:", "a moved account says so")
    t.like(r.text, '<a href="%s/@newhome">newhome</a>' % base, "and where to")

    # noindex from the account's indexable.
    pg.psql("UPDATE accounts SET indexable = false WHERE username = 'bob'")
    t.like(d.get("/@bob").text, '<meta name="robots" content="noindex, nofollow">',
           "an account that is not indexable asks robots to stay away")


def test_pages(t, pg, conf, d):
    carol = Api(d, local_account(conf, "carol"))
    ids = [post(carol, "Numbered post %02d #Counting" % i)["id"] for i in range(23)]
    post(carol, "Private numbered #Counting", visibility="private")
    post(carol, "Unlisted numbered #Counting", visibility="unlisted")
    r = d.get("/@carol")
    page = r.text
    t.is_(page.count('<article class="status"'), 20, "20 posts a page")
    m = re.search(r'<a href="([^"]+)" rel="next">', page)
    t.ok(m, "a rel=next link to older posts")
    nxt = html.unescape(m.group(1)) if m else ""
    t.like(nxt, "/@carol?max_id=", "by max_id")
    page2 = d.get(nxt).text if m else ""
    t.is_(page2.count('<article class="status"'), 4, "the second page has the rest")
    t.like(page2, "Numbered post 00", "down to the oldest")
    t.ok("Numbered post 22" not in page2, "and not the newest")
    t.ok('rel="next"' not in page2, "no older page after the last")
    t.like(page2, "Newest posts", "a link back to the newest")
    r = d.get("/@carol?max_id=garbage")
    t.is_(r.status_code, 400, "?max_id=garbage: 400")
    t.is_(d.get("/@carol?max_id=-5").status_code, 400, "?max_id=-5: 400")
    t.is_(d.get("/@carol?max_id=99999999999999999999999").status_code, 400,
          "?max_id beyond bigint: 400")
    t.is_(d.get("/@carol?max_id=%s&lang=nl" % ids[3]).text.count('<article class="status"'), 3,
          "max_id takes the posts before it")

    # The hashtag page.
    r = d.get("/tags/counting")
    t.is_(r.status_code, 200, "GET /tags/counting: 200")
    page = r.text
    t.like(page, "<h1>#<bdi>Counting</bdi></h1>", "h1 is the tag as first written")
    t.is_(page.count('<article class="status"'), 20, "20 posts a page")
    t.ok("Private numbered" not in page and "Unlisted numbered" not in page,
         "only public posts (no unlisted, no private)")
    t.like(page, 'type="application/rss+xml" href="http://gov.test/tags/Counting.rss"',
           "the RSS alternate")
    t.like(page, 'rel="next"', "and the older page")
    m = re.search(r'<a href="([^"]+)" rel="next">', page)
    page2 = d.get(html.unescape(m.group(1))).text if m else ""
    t.is_(page2.count('<article class="status"'), 3, "the tag's second page")
    t.ok("Unlisted numbered" not in page2, "without the unlisted post")
    r = d.get("/tags/neverused")
    t.is_(r.status_code, 200, "a tag with no posts is a page")
    t.like(r.text, "No public posts with this hashtag yet.", "that says so")
    for bad in ("/tags/no-dash", "/tags/123", "/tags/%3Cscript%3E", "/tags/" + "a" * 300):
        t.is_(d.get(bad).status_code, 404, "an invalid tag name: 404 (%s)" % bad[:20])
    t.is_(d.get("/tags/caf%C3%A9").status_code, 200, "a non-ASCII tag name is fine")
    t.is_(d.get("/tags/bad%FF").status_code, 404, "invalid UTF-8: 404")
    t.is_(d.get("/tags/counting?max_id=x").status_code, 400, "a tag page with a bad max_id: 400")


def test_remote_follow_errors(t, d):
    def follow(acct, lang=None):
        path = "/@alice/remote_follow" + ("?lang=" + lang if lang else "")
        return d.request("POST", path, data={"acct": acct}, allow_redirects=False)

    r = follow("")
    t.is_(r.status_code, 422, "an empty handle: 422")
    t.like(r.text, 'aria-invalid="true"', "the field is marked invalid")
    t.like(r.text, 'aria-describedby="remote-hint remote-error"', "and described by the error")
    t.like(r.text, "Enter your handle", "with a message")
    t.like(r.text, "The pinned announcement", "on the profile itself")
    r = follow("not a handle <b>")
    t.is_(r.status_code, 422, "not a handle: 422")
    t.like(r.text, "This is not a handle", "says so")
    t.like(r.text, 'value="not a handle &lt;b&gt;"', "and keeps what was typed, escaped")
    t.like(follow("@x@under_score.example").text, "This is not a handle", "a bad domain")
    t.like(follow("@x@gov.test").text, "That account is on this server", "our own domain")
    r = follow("", lang="nl")
    t.like(r.text, "Vul uw adres in", "errors in Dutch with ?lang=nl")
    r = d.request("POST", "/@nobody/remote_follow", data={"acct": "@a@b.example"})
    t.is_(r.status_code, 404, "remote follow of an unknown account: 404")
    r = d.request("POST", "/@sus/remote_follow", data={"acct": "@a@b.example"})
    t.is_(r.status_code, 410, "of a suspended one: 410")
    r = d.request("POST", "/@alice/remote_follow", data=b"acct=%ZZ",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    t.is_(r.status_code, 422, "a malformed form: 422, not a 500")


def test_remote_follow(t):
    (pa, da), (pb, db), common = two_instances()
    with Cluster() as pga, Cluster() as pgb:
        ca = pga.config(da, listen="127.0.0.1:%d" % pa, **common)
        cb = pgb.config(db, listen="127.0.0.1:%d" % pb, **common)
        local_account(ca, "alice")
        local_account(cb, "bob")
        with Meentd(ca) as a, Meentd(cb):
            r = a.request("POST", "/@alice/remote_follow", data={"acct": "@bob@" + db},
                          allow_redirects=False)
            t.is_(r.status_code, 303, "a handle on another server: 303")
            t.is_(r.headers.get("Location"),
                  "http://%s/authorize_interaction?uri=http%%3A%%2F%%2F%s%%2Fusers%%2Falice"
                  % (db, da.replace(":", "%3A")),
                  "to its subscribe template, filled with alice's actor id")
            r = a.request("POST", "/@alice/remote_follow", data={"acct": "https://%s/@bob" % db},
                          allow_redirects=False)
            t.is_(r.status_code, 303, "a profile URL works as a handle")
            r = a.request("POST", "/@alice/remote_follow", data={"acct": "nobody@" + db},
                          allow_redirects=False)
            t.is_(r.status_code, 422, "a handle the server does not know: 422")
            t.like(r.text, "could not be reached, or it does not know", "says so")
            r = a.request("POST", "/@alice/remote_follow",
                          data={"acct": "x@127.0.0.2:%d" % free_port()}, allow_redirects=False)
            t.is_(r.status_code, 422, "a server that does not answer: 422")


def test(t):
    with Cluster() as pg:
        conf = pg.config("gov.test", api_rate_limit=0, job_workers=0,
                         allow_insecure_http_for_development="yes")
        with Meentd(conf) as d:
            test_profile(t, pg, conf, d)
            test_pages(t, pg, conf, d)
            test_remote_follow_errors(t, d)
    test_remote_follow(t)


main(test)
