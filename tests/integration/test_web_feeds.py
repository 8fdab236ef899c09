"""The RSS 2.0 and Atom feeds of accounts (/@user.rss, /@user.atom) and
hashtags (/tags/name.rss, .atom) against a real meentd and PostgreSQL,
with posts made through the client API, read with a real feed parser
(python3-feedparser): well-formed (bozo 0), titles, links, ids, dates,
content, media enclosures and categories; only public posts (never
unlisted, private or direct ones, nor boosts and replies to others), the
content types and caching of a public document, and escaping of hostile
names and texts."""

import calendar
import datetime
import xml.dom.minidom

import feedparser

from harness import Api, Cluster, Meentd, local_account, main

HOSTILE_NAME = "<script>x</script> & co"


def post(api, text, **kw):
    kw["status"] = text
    r = api.post("/api/v1/statuses", json=kw)
    assert r.status_code == 200, r.text
    return r.json()


def iso_epoch(iso):
    return calendar.timegm(datetime.datetime.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S").timetuple())


def check_feed(t, d, path, kind):
    r = d.get(path)
    t.is_(r.status_code, 200, "GET %s: 200" % path)
    want = "application/rss+xml" if kind == "rss" else "application/atom+xml"
    t.is_(r.headers.get("Content-Type"), want + "; charset=utf-8", "%s: %s" % (path, want))
    t.is_(r.headers.get("Cache-Control"), "public, max-age=60", "%s: cached publicly" % path)
    t.ok("Set-Cookie" not in r.headers, "%s: no cookie" % path)
    etag = r.headers.get("ETag")
    t.is_(d.get(path, headers={"If-None-Match": etag or "x"}).status_code, 304,
          "%s: If-None-Match gives 304" % path)
    try:
        xml.dom.minidom.parseString(r.content)
        t.ok(True, "%s is well-formed XML" % path)
    except Exception as e:  # noqa: the parser's own exception types vary
        t.ok(False, "%s is well-formed XML: %s" % (path, e))
    f = feedparser.parse(r.content)
    t.is_(f.bozo, 0, "%s: the feed parser is content (bozo 0) %s" % (path, f.get("bozo_exception", "")))
    t.is_(f.version, "rss20" if kind == "rss" else "atom10", "%s: version" % path)
    return f, r.text


def test(t):
    with Cluster() as pg:
        conf = pg.config("gov.test", api_rate_limit=0, job_workers=0,
                         allow_insecure_http_for_development="yes")
        with Meentd(conf) as d:
            alice = Api(d, local_account(conf, "alice"))
            bob = Api(d, local_account(conf, "bob"))
            aid = pg.psql("SELECT id FROM accounts WHERE username = 'alice'")[0][0]
            r = alice.patch("/api/v1/accounts/update_credentials",
                            data={"display_name": HOSTILE_NAME})
            t.is_(r.status_code, 200, "a hostile display name")
            media = pg.psql("INSERT INTO media_attachments (account_id, type, content_type, "
                            "file_path, file_size, description) VALUES (:'p1', 'image', "
                            "'image/png', 'media/cat.png', 1234, 'A <cat> & a dog') RETURNING id",
                            aid)[0][0]
            bob_post = post(bob, "bob's own post #Feeds")
            first = post(alice, "First public post #Feeds #Roads https://example.org/x")
            post(alice, "UNLISTED-SECRET #Feeds", visibility="unlisted")
            post(alice, "PRIVATE-SECRET #Feeds", visibility="private")
            post(alice, "DIRECT-SECRET @bob #Feeds", visibility="direct")
            post(alice, "REPLY-TO-BOB", in_reply_to_id=bob_post["id"])
            alice.post("/api/v1/statuses/%s/reblog" % bob_post["id"])
            cw = post(alice, "Behind the warning", spoiler_text="Roadworks <b>&</b> detours")
            pic = post(alice, "With a picture & <tags>", media_ids=[media])
            last = post(alice, "Edited later")
            r = alice.put("/api/v1/statuses/%s" % last["id"], json={"status": "Edited now"})
            t.is_(r.status_code, 200, "a post edited")
            secrets = ("UNLISTED-SECRET", "PRIVATE-SECRET", "DIRECT-SECRET", "REPLY-TO-BOB",
                       "bob's own post")

            base = "http://gov.test"
            for kind in ("rss", "atom"):
                f, text = check_feed(t, d, "/@alice." + kind, kind)
                for s in secrets:
                    t.ok(s not in text, "%s: %s is not in the feed" % (kind, s))
                t.ok("<script>" not in text, "%s: no unescaped markup from the name" % kind)
                t.is_(f.feed.title, HOSTILE_NAME, "%s: the feed's title is the display name" % kind)
                t.is_(f.feed.link, base + "/@alice", "%s: the feed links to the profile" % kind)
                links = [e.link for e in f.entries]
                t.is_(links, [base + "/@alice/" + s["id"] for s in (last, pic, cw, first)],
                      "%s: the four public posts, newest first, each linking to its page" % kind)
                ids = [e.id for e in f.entries]
                want = [base + ("/@alice/" if kind == "rss" else "/users/alice/statuses/") + s["id"]
                        for s in (last, pic, cw, first)]
                t.is_(ids, want, "%s: guid / id" % kind)
                e = {x.link.rsplit("/", 1)[1]: x for x in f.entries}
                t.like(e[first["id"]].description if kind == "rss" else e[first["id"]].content[0].value,
                       '<a href="https://example.org/x"', "%s: the content is the post's HTML" % kind)
                t.is_(calendar.timegm(e[first["id"]].published_parsed), iso_epoch(first["created_at"]),
                      "%s: the date is the post's" % kind)
                t.is_(e[cw["id"]].title, "Roadworks <b>&</b> detours",
                      "%s: a content warning is the title" % kind)
                t.is_(e[first["id"]].title, "First public post #Feeds #Roads https://example.org/x",
                      "%s: else the start of the text" % kind)
                t.is_(sorted(x.term for x in e[first["id"]].tags), ["feeds", "roads"],
                      "%s: hashtags as categories (the API's names)" % kind)
                t.like(e[pic["id"]].title, "With a picture & <tags>", "%s: a title unescaped once" % kind)
                enc = e[pic["id"]].enclosures
                t.is_(len(enc), 1, "%s: the picture as an enclosure" % kind)
                if enc:
                    t.is_((enc[0].get("type"), str(enc[0].get("length"))), ("image/png", "1234"),
                          "%s: with its type and length" % kind)
                    t.like(enc[0].get("href", ""), base + "/system/media/cat.png",
                           "%s: and our own address" % kind)
                if kind == "atom":
                    t.ok(e[last["id"]].updated_parsed > e[last["id"]].published_parsed or
                         e[last["id"]].updated != e[last["id"]].published,
                         "atom: an edited post's updated is its edit")
                    t.is_(f.feed.id, base + "/users/alice", "atom: the feed's id is the actor")
                    t.is_(f.feed.get("icon"), base + "/avatars/original/missing.png",
                          "atom: the avatar as the icon")
                else:
                    t.like(text, "<pubDate>", "rss: pubDate")
                    t.like(text, "+0000</pubDate>", "rss: in RFC 822 form")
                    t.is_(f.feed.get("image", {}).get("href"),
                          base + "/avatars/original/missing.png", "rss: the avatar as the image")

            # The hashtag's feeds: public posts of anyone, never the others.
            for kind in ("rss", "atom"):
                f, text = check_feed(t, d, "/tags/feeds." + kind, kind)
                t.is_([x.link for x in f.entries], [base + "/@alice/" + first["id"],
                                                    base + "/@bob/" + bob_post["id"]],
                      "%s: the tag's public posts, newest first" % kind)
                for s in ("UNLISTED-SECRET", "PRIVATE-SECRET", "DIRECT-SECRET"):
                    t.ok(s not in text, "%s: %s is not in the tag's feed" % (kind, s))
                t.is_(f.feed.title, "#Feeds", "%s: the title is the tag" % kind)
                f, text = check_feed(t, d, "/tags/unusedtag." + kind, kind)
                t.is_(len(f.entries), 0, "%s: an unused tag's feed is empty" % kind)

            # Errors.
            t.is_(d.get("/@nobody.rss").status_code, 404, "an unknown account's feed: 404")
            t.is_(d.get("/tags/no-dash.atom").status_code, 404, "an invalid tag's feed: 404")
            r = d.get("/@alice.rss?lang=nl")
            t.like(r.text, "Openbare berichten van @alice@gov.test", "the description in Dutch")
            local_account(conf, "quiet")
            f, text = check_feed(t, d, "/@quiet.atom", "atom")
            t.is_(len(f.entries), 0, "an account without posts: an empty feed")


main(test)
