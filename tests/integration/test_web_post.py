"""The public web's post pages against a real meentd and PostgreSQL, with
posts made through the client API: the acceptance case (a post with a
content warning, two images with alt text, a mention, a hashtag and a
link renders, and agrees with GET /api/v1/statuses/:id), the thread
(ancestors above, public and unlisted replies below in the order of the
API's anonymous /context, never a private or direct reply), the edit
history, 404 and 410 as Mastodon answers them, boosts sent on to the
original, the Note for ActivityPub clients, the headers of a public page
(CSP, no framing, ETag and 304, public caching, no cookie), the preview
tags (never the text behind a content warning), oEmbed and its errors,
and hostile names and warnings escaped."""

import html
import re
import urllib.parse

from harness import Api, Cluster, Meentd, local_account, main

AP = {"Accept": "application/activity+json"}
BASE = "http://gov.test"
HOSTILE = "<script>alert(1)</script>"


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


def article_ids(text):
    return re.findall(r'<article class="status" id="status-(\d+)"', text)


def meta(page, prop):
    """The content of <meta property|name="prop">, unescaped, or None."""
    m = re.search(r'<meta (?:property|name)="%s" content="([^"]*)">' % re.escape(prop), page)
    return html.unescape(m.group(1)) if m else None


def media(pg, owner, description, path):
    return pg.psql("INSERT INTO media_attachments (account_id, type, content_type, file_path,"
                   " description) VALUES ((SELECT id FROM accounts WHERE username = :'p1'"
                   " AND domain IS NULL), 'image', 'image/png', :'p2', :'p3') RETURNING id",
                   owner, path, description)[0][0]


def test_acceptance(t, pg, d, alice, bob):
    m1 = media(pg, "alice", "A red bicycle against a wall", "media/one.png")
    m2 = media(pg, "alice", "Road signs & \"detour\" arrows", "media/two.png")
    st = post(alice, "Hello @bob, see #Roads and https://example.org/works for details",
              spoiler_text="Road works ahead", media_ids=[m1, m2])
    bob.post("/api/v1/statuses/%s/favourite" % st["id"])
    bob.post("/api/v1/statuses/%s/reblog" % st["id"])
    post(bob, "A reply from bob", in_reply_to_id=st["id"])

    api = Api(d).get("/api/v1/statuses/%s" % st["id"]).json()
    t.is_(st["url"], "%s/@alice/%s" % (BASE, st["id"]), "the API's url is the page's address")
    r = d.get("/@alice/%s" % st["id"])
    t.is_(r.status_code, 200, "GET /@alice/ID: 200")
    t.is_(r.headers.get("Content-Type"), "text/html; charset=utf-8", "as HTML")
    page = r.text
    main_ = section(page, '<div class="post-focus">', '<section class="replies"')
    t.is_(article_ids(main_), [st["id"]], "the post itself, once")
    t.is_(page.count("<h1"), 1, "one h1")
    t.like(page, '<h1 class="visually-hidden">Post by Alice Example</h1>', "naming the post")
    levels = [int(x) for x in re.findall(r"<h([1-6])", page)]
    t.ok(all(b - a <= 1 for a, b in zip(levels, levels[1:])), "headings in order: %s" % levels)

    # The content warning is the disclosure's summary; the text is inside.
    cw = section(main_, '<details class="cw">', "</details>")
    t.like(cw, '<summary><span class="cw-text" lang="en">Road works ahead</span>',
           "the content warning in <summary>")
    t.like(cw, api["content"], "the text inside the disclosure, as the API's content HTML")
    for m in api["media_attachments"]:
        t.like(cw, '<img src="%s" alt="%s" loading="lazy">'
               % (html.escape(m["preview_url"]), html.escape(m["description"])),
               "the image with its alt text: %s" % m["description"])
    t.is_(cw.count("<img "), 2, "both images")
    t.like(cw, 'href="%s/@bob"' % BASE, "the mention links to bob")
    t.like(cw, 'href="%s/tags/Roads" class="mention hashtag"' % BASE, "the hashtag links to its page")
    t.like(cw, 'href="https://example.org/works"', "the link")

    # The page and the API agree.
    t.is_([m["description"] for m in api["media_attachments"]],
          ["A red bicycle against a wall", 'Road signs & "detour" arrows'],
          "the API has the same descriptions")
    t.is_(api["spoiler_text"], "Road works ahead", "and the same warning")
    t.is_((api["replies_count"], api["reblogs_count"], api["favourites_count"]), (1, 1, 1),
          "the API counts a reply, a boost and a favourite")
    counts = section(main_, '<footer class="status-counts">', "</footer>")
    for label, key in (("Replies", "replies_count"), ("Boosts", "reblogs_count"),
                       ("Favourites", "favourites_count")):
        t.like(counts, "<li>%s: %d</li>" % (label, api[key]), "the page's %s" % label)
    t.like(main_, '<time datetime="%s">' % api["created_at"], "the same time")

    # Preview tags: the warning, never the text; no image behind it.
    head = section(page, "<head>", "</head>")
    t.ok("Hello" not in head and "example.org/works" not in head,
         "nothing of the text behind the warning in the head")
    t.like(head, "<title>Alice Example: &quot;Road works ahead&quot; · ", "the title quotes the warning")
    t.is_(meta(page, "og:type"), "article", "og:type")
    t.is_(meta(page, "og:title"), "Alice Example (@alice@gov.test)", "og:title")
    t.is_(meta(page, "og:description"), "Attached: 2 images · Content warning: Road works ahead",
          "og:description: what is attached and the warning")
    t.is_(meta(page, "og:url"), st["url"], "og:url")
    t.is_(meta(page, "og:site_name"), "Meent", "og:site_name")
    t.is_(meta(page, "og:published_time"), api["created_at"], "og:published_time")
    t.is_(meta(page, "og:image"), BASE + "/avatars/original/missing.png",
          "og:image: the avatar, not a sensitive image")
    t.is_(meta(page, "og:image:alt"), None, "no image alt then")
    t.is_(meta(page, "twitter:card"), "summary", "twitter:card summary")
    t.like(head, '<link rel="canonical" href="%s">' % st["url"], "canonical")
    t.like(head, '<link rel="alternate" type="application/activity+json" href="%s">' % api["uri"],
           "the Note as an alternate")
    t.like(head, '<link rel="alternate" type="application/json+oembed" href="%s">'
           % html.escape("%s/api/oembed?url=%s" % (BASE, urllib.parse.quote(st["url"], safe=""))),
           "the oEmbed alternate")

    # The headers of a public page.
    h = r.headers
    t.like(h.get("Content-Security-Policy", ""), "default-src 'none'", "a strict CSP")
    t.like(h.get("Content-Security-Policy", ""), "frame-ancestors 'none'", "no framing")
    t.is_(h.get("X-Frame-Options"), "DENY", "X-Frame-Options DENY")
    t.is_(h.get("Cache-Control"), "public, max-age=60", "cached publicly")
    t.ok("Set-Cookie" not in h, "no cookie")
    t.like(h.get("Vary", ""), "Accept", "varies by Accept")
    etag = h.get("ETag")
    t.ok(etag, "an ETag")
    t.is_(d.get("/@alice/%s" % st["id"], headers={"If-None-Match": etag}).status_code, 304,
          "If-None-Match: 304")
    t.is_(d.get("/@ALICE/%s" % st["id"]).status_code, 200, "the username in any case")
    nl = d.get("/@alice/%s?lang=nl" % st["id"]).text
    t.like(nl, '<html lang="nl"', "?lang=nl: Dutch")
    t.like(nl, "<h2 id=\"replies-heading\">Reacties</h2>", "with Dutch headings")

    # An image without a warning is the preview.
    m3 = media(pg, "alice", "The new bridge at dusk", "media/three.png")
    plain = post(alice, "The bridge is open. Come and see it!", media_ids=[m3])
    page = d.get("/@alice/%s" % plain["id"]).text
    t.is_(meta(page, "og:image"), "%s/system/media/three.png" % BASE, "og:image: the image")
    t.is_(meta(page, "og:image:alt"), "The new bridge at dusk", "og:image:alt: its description")
    t.is_(meta(page, "twitter:card"), "summary_large_image", "twitter:card summary_large_image")
    t.is_(meta(page, "og:description"), "Attached: 1 image\n\nThe bridge is open. Come and see it!",
          "og:description: the attachment and the text")
    t.like(page, "<title>Alice Example: &quot;The bridge is open. Come and see it!&quot; · ",
           "the title quotes the text")
    return st, plain


def test_thread(t, pg, d, alice, bob, carol, root):
    r1 = post(bob, "bob answers", in_reply_to_id=root["id"])
    r2 = post(alice, "alice answers bob", in_reply_to_id=r1["id"])
    self1 = post(alice, "alice adds to her own post", in_reply_to_id=root["id"])
    post(carol, "carol PRIVATE-REPLY text", in_reply_to_id=root["id"], visibility="private")
    post(carol, "carol DIRECT-REPLY @alice", in_reply_to_id=root["id"], visibility="direct")
    unl = post(carol, "carol unlisted reply", in_reply_to_id=r1["id"], visibility="unlisted")

    ctx = Api(d).get("/api/v1/statuses/%s/context" % root["id"]).json()
    page = d.get("/@alice/%s" % root["id"]).text
    replies = section(page, '<section class="replies"', "</section>")
    t.is_(article_ids(replies), [s["id"] for s in ctx["descendants"]],
          "the replies are the API's anonymous descendants, in its order")
    t.ok(self1["id"] in article_ids(replies) and unl["id"] in article_ids(replies),
         "the self-reply and the unlisted reply are there")
    t.ok(article_ids(replies).index(self1["id"]) < article_ids(replies).index(r1["id"]),
         "the author's own reply comes first, as Mastodon promotes it")
    for secret in ("PRIVATE-REPLY", "DIRECT-REPLY"):
        t.ok(secret not in page, "%s appears nowhere" % secret)
    t.ok('class="thread-ancestors"' not in page, "a root has no ancestors section")

    page = d.get("/@alice/%s" % r2["id"]).text
    ctx = Api(d).get("/api/v1/statuses/%s/context" % r2["id"]).json()
    up = section(page, '<section class="thread-ancestors"', "</section>")
    t.is_(article_ids(up), [s["id"] for s in ctx["ancestors"]], "the ancestors, as the API's")
    t.is_(article_ids(up), [root["id"], r1["id"]], "root first")
    t.like(up, '<h2 id="ancestors-heading">Earlier in the thread</h2>', "under a heading")
    t.ok(page.find('class="thread-ancestors"') < page.find('class="post-focus"')
         < page.find('class="replies"'), "above the post, replies below")
    t.like(section(page, '<section class="replies"', "</section>"), "No public replies yet.",
           "a post without replies says so")
    ids = re.findall(r' id="([^"]+)"', page)
    t.is_(sorted(set(ids)), sorted(ids), "no id twice on the page")

    # A public reply to a private post: the private one is not an ancestor.
    secret = post(carol, "carol SECRET-PARENT", visibility="private")
    pg.psql("INSERT INTO follows (account_id, target_account_id) SELECT b.id, c.id FROM"
            " accounts b, accounts c WHERE b.username = 'bob' AND c.username = 'carol'")
    under = post(bob, "bob replies in public to a private post", in_reply_to_id=secret["id"])
    page = d.get("/@bob/%s" % under["id"]).text
    t.ok("SECRET-PARENT" not in page, "a private parent is not shown")
    t.is_(d.get("/@carol/%s" % secret["id"]).status_code, 404, "nor its page")


def test_history(t, d, alice):
    st = post(alice, "First words of the announcement")
    page = d.get("/@alice/%s" % st["id"]).text
    t.ok("post-history" not in page, "a post never edited has no history")
    r = alice.put("/api/v1/statuses/%s" % st["id"], json={"status": "Second words, corrected"})
    t.is_(r.status_code, 200, "edited through the API")
    r = alice.put("/api/v1/statuses/%s" % st["id"],
                  json={"status": "Third words, final", "spoiler_text": "Update <b>"})
    t.is_(r.status_code, 200, "edited again with a warning")
    hist = Api(d).get("/api/v1/statuses/%s/history" % st["id"]).json()
    t.is_(len(hist), 3, "the API keeps three versions")
    page = d.get("/@alice/%s" % st["id"]).text
    t.like(page, '<span class="edited">Edited</span>', "the post says it was edited")
    h = section(page, '<details class="post-history">', "</ol>")
    t.like(h, "<summary>Edit history (3 versions)</summary>", "a disclosure of the history")
    t.is_(h.count('<li class="post-version">'), 3, "three versions")
    order = [h.find(x) for x in ("Third words", "Second words", "First words")]
    t.ok(-1 not in order and order == sorted(order), "newest first")
    for v in hist:
        t.like(h, v["content"], "each version's content as the API's")
    t.like(h, "current version", "the newest marked current")
    t.like(h, "original</p>", "the oldest marked original")
    t.like(h, '<span class="cw-text" lang="en">Update &lt;b&gt;</span>',
           "a version's warning stays a disclosure, escaped")


def test_errors(t, pg, conf, d, alice, bob, carol):
    priv = post(alice, "PRIVATE words", visibility="private")
    direct = post(alice, "DIRECT words @bob", visibility="direct")
    unl = post(alice, "An unlisted post", visibility="unlisted")
    pub = post(alice, "A public post to delete")
    bobs = post(bob, "bob's own post")
    t.is_(d.get("/@alice/%s" % unl["id"]).status_code, 200, "unlisted: 200")
    for what, path in (("private", "/@alice/%s" % priv["id"]),
                       ("direct", "/@alice/%s" % direct["id"]),
                       ("unknown id", "/@alice/12345"),
                       ("not an id", "/@alice/abc"),
                       ("a signed id", "/@alice/-5"),
                       ("beyond bigint", "/@alice/99999999999999999999"),
                       ("another account's post", "/@alice/%s" % bobs["id"]),
                       ("unknown account", "/@nobody/%s" % pub["id"])):
        r = d.get(path)
        t.is_(r.status_code, 404, "%s: 404" % what)
        t.like(r.text, "There is nothing here.", "%s: the not-found page" % what)
        t.ok("PRIVATE" not in r.text and "DIRECT" not in r.text, "%s: nothing leaks" % what)

    # A remote status under a local name.
    remote = pg.psql("INSERT INTO accounts (username, domain, uri, url) VALUES ('alice',"
                     " 'remote.example', 'https://remote.example/users/alice',"
                     " 'https://remote.example/@alice') RETURNING id")[0][0]
    rid = pg.psql("INSERT INTO statuses (id, uri, url, account_id, visibility, local, content)"
                  " VALUES (meent_id(), 'https://remote.example/s/1', 'https://remote.example/@alice/1',"
                  " :'p1', 'public', false, '<p>remote</p>') RETURNING id", remote)[0][0]
    t.is_(d.get("/@alice/%s" % rid).status_code, 404, "a remote status at a local address: 404")

    r = alice.delete("/api/v1/statuses/%s" % pub["id"])
    t.is_(r.status_code, 200, "a public post deleted")
    r = d.get("/@alice/%s" % pub["id"])
    t.is_(r.status_code, 410, "a deleted public post: 410")
    t.like(r.text, "This post has been deleted.", "with a page that says so")
    r = alice.delete("/api/v1/statuses/%s" % priv["id"])
    t.is_(d.get("/@alice/%s" % priv["id"]).status_code, 404,
          "a deleted private post: 404, as before")

    # A boost's id: off to the boosted post.
    boost = bob.post("/api/v1/statuses/%s/reblog" % unl["id"]).json()
    r = d.get("/@bob/%s" % boost["id"], allow_redirects=False)
    t.is_(r.status_code, 302, "a boost's id: 302")
    t.is_(r.headers.get("Location"), unl["url"], "to the boosted post's page")

    # Suspended account.
    local_account(conf, "sus")
    sus = Api(d, local_account(conf, "sus"))
    sp = post(sus, "Before the suspension")
    pg.psql("UPDATE accounts SET suspended_at = now() WHERE username = 'sus'")
    r = d.get("/@sus/%s" % sp["id"])
    t.is_(r.status_code, 410, "a suspended account's post: 410")
    t.like(r.text, "This account is no longer available", "says so")
    t.is_(d.get("/@sus/1").status_code, 410, "any id of a suspended account: 410")

    # ActivityPub clients get the Note.
    r = d.get("/@alice/%s" % unl["id"], headers=AP)
    t.is_(r.status_code, 200, "Accept activity+json: 200")
    t.like(r.headers.get("Content-Type", ""), "application/activity+json", "as ActivityPub")
    note = r.json()
    t.is_((note.get("type"), note.get("id")), ("Note", unl["uri"]), "the Note at its uri")
    same = d.get("/users/alice/statuses/%s" % unl["id"], headers=AP).json()
    t.is_(note, same, "the same Note as at /users/alice/statuses/ID")
    r = d.get("/@alice/%s" % direct["id"], headers=AP)
    t.is_(r.status_code, 404, "a direct post's Note: 404")
    r = d.get("/@alice/%s" % pub["id"], headers=AP)
    t.is_(r.status_code, 410, "a deleted post's Note: 410 (a Tombstone)")


def test_hostile(t, conf, d):
    mal = Api(d, local_account(conf, "mallory"))
    r = mal.patch("/api/v1/accounts/update_credentials", data={"display_name": HOSTILE})
    t.is_(r.status_code, 200, "a hostile display name set")
    st = post(mal, "Text <script>alert(2)</script> & more", spoiler_text="<script>alert(3)</script>")
    post(mal, "A reply <img src=x onerror=alert(4)>", in_reply_to_id=st["id"])
    page = d.get("/@mallory/%s" % st["id"]).text
    t.ok("<script" not in page, "no script element anywhere")
    t.ok("<img src=x" not in page, "no injected image")
    t.like(page, "<summary><span class=\"cw-text\" lang=\"en\">&lt;script&gt;alert(3)&lt;/script&gt;"
           "</span>", "the warning escaped")
    t.like(page, "&lt;script&gt;alert(1)&lt;/script&gt;", "the display name escaped")
    t.is_(meta(page, "og:title"), HOSTILE + " (@mallory@gov.test)", "og:title escaped, intact")
    t.is_(meta(page, "og:description"), "Content warning: " + "<script>alert(3)</script>",
          "the warning in og:description, escaped in the attribute")
    o = Api(d).get("/api/oembed", params={"url": st["url"]}).json()
    t.ok("<script" not in o["html"], "the oEmbed html has no script")
    t.like(o["html"], "&lt;script&gt;alert(1)&lt;/script&gt;", "its author escaped")


def test_oembed(t, d, alice, cw_post, plain_post):
    api = Api(d)
    r = api.get("/api/oembed", params={"url": plain_post["url"]})
    t.is_(r.status_code, 200, "oEmbed of a public post: 200")
    t.like(r.headers.get("Content-Type", ""), "application/json", "JSON")
    o = r.json()
    t.is_(sorted(o), sorted(["type", "version", "title", "author_name", "author_url",
                             "provider_name", "provider_url", "cache_age", "html", "width",
                             "height"]), "Mastodon's fields")
    t.is_((o["type"], o["version"]), ("rich", "1.0"), "type rich, version 1.0")
    t.is_(o["title"], "New status by alice", "title as Mastodon's")
    t.is_((o["author_name"], o["author_url"]), ("Alice Example", BASE + "/@alice"), "the author")
    t.is_((o["provider_name"], o["provider_url"]), ("gov.test", BASE + "/"), "the provider")
    t.is_(o["cache_age"], 86400, "cache_age")
    t.is_((o["width"], o["height"]), (400, None), "width 400, height null by default")
    t.like(o["html"], '<blockquote class="meent-embed" cite="%s" lang="en">' % plain_post["url"],
           "a blockquote citing the post")
    t.like(o["html"], "The bridge is open. Come and see it!", "with its text")
    t.like(o["html"], '<a href="%s">' % plain_post["url"], "and a link to it")
    t.ok("<script" not in o["html"] and "<iframe" not in o["html"], "no script, no iframe")
    o = api.get("/api/oembed", params={"url": plain_post["url"], "maxwidth": "500",
                                       "maxheight": "300"}).json()
    t.is_((o["width"], o["height"]), (500, 300), "maxwidth and maxheight")
    o = api.get("/api/oembed", params={"url": plain_post["url"], "maxwidth": "x"}).json()
    t.is_(o["width"], 400, "a bad maxwidth: the default")
    o = api.get("/api/oembed", params={"url": "%s/users/alice/statuses/%s"
                                       % (BASE, plain_post["id"])}).json()
    t.is_(o.get("type"), "rich", "the ActivityPub address works too")
    o = api.get("/api/oembed", params={"url": cw_post["url"]}).json()
    t.like(o["html"], "Content warning: Road works ahead", "a warned post: the warning")
    t.ok("Hello" not in o["html"], "never the text behind it")

    priv = post(alice, "PRIVATE oembed", visibility="private")
    for what, params in (("no url", {}),
                         ("a foreign url", {"url": "https://evil.example/@alice/%s"
                                            % plain_post["id"]}),
                         ("a host that starts with ours", {"url": "http://gov.test.evil/@alice/%s"
                                                           % plain_post["id"]}),
                         ("a private post", {"url": priv["url"]}),
                         ("an unknown id", {"url": BASE + "/@alice/1"}),
                         ("another account's name", {"url": BASE + "/@bob/%s" % plain_post["id"]}),
                         ("not a post", {"url": BASE + "/@alice"}),
                         ("garbage", {"url": "\x01%%%"})):
        r = api.get("/api/oembed", params=params)
        t.is_(r.status_code, 404, "oEmbed of %s: 404" % what)
        t.is_(r.json(), {"error": "Record not found"}, "oEmbed of %s: the JSON error" % what)


def test(t):
    with Cluster() as pg:
        conf = pg.config("gov.test", api_rate_limit=0, job_workers=0,
                         allow_insecure_http_for_development="yes")
        with Meentd(conf) as d:
            alice = Api(d, local_account(conf, "alice"))
            bob = Api(d, local_account(conf, "bob"))
            carol = Api(d, local_account(conf, "carol"))
            r = alice.patch("/api/v1/accounts/update_credentials",
                            data={"display_name": "Alice Example"})
            assert r.status_code == 200, r.text
            cw_post, plain_post = test_acceptance(t, pg, d, alice, bob)
            test_thread(t, pg, d, alice, bob, carol, plain_post)
            test_history(t, d, alice)
            test_errors(t, pg, conf, d, alice, bob, carol)
            test_hostile(t, conf, d)
            test_oembed(t, d, alice, cw_post, plain_post)


main(test)
