"""Schema 0006's triggers: home timelines written on creation (fan-out on
write), backfilled on follow and emptied on unfollow, cleaned on delete;
per-status counters; direct posts only for the mentioned."""

from harness import Cluster, ctl, main


def test(t):
    with Cluster() as pg:
        conf = pg.config("a.test")
        ctl(conf, "org", "create", "min", "Ministerie")
        for u in ("reader", "author", "other"):
            ctl(conf, "account", "create", u, "--org", "min")
        ids = dict(pg.psql("SELECT username, id FROM accounts"))
        reader, author, other = ids["reader"], ids["author"], ids["other"]
        remote = pg.psql("INSERT INTO accounts (username, domain, uri) VALUES "
                         "('far', 'b.test', 'https://b.test/users/far') RETURNING id")[0][0]

        def post(acct, uri, vis="public", reblog=None, reply=None, local=True):
            return pg.psql("INSERT INTO statuses (uri, account_id, visibility, local, "
                           "reblog_of_id, in_reply_to_id) VALUES (:'p1', :'p2', :'p3', "
                           ":'p4', nullif(:'p5', '')::bigint, nullif(:'p6', '')::bigint) "
                           "RETURNING id", uri, acct, vis, "t" if local else "f",
                           reblog or "", reply or "")[0][0]

        def feed(acct):
            return [r[0] for r in pg.psql("SELECT status_id FROM home_feeds WHERE "
                                          "account_id = :'p1' ORDER BY status_id", acct)]

        old = post(author, "x:old")
        t.is_(feed(author), [old], "a local post reaches its author's own home")
        t.is_(feed(reader), [], "not a stranger's")

        pg.psql("INSERT INTO follows (account_id, target_account_id) VALUES (:'p1', :'p2')",
                reader, author)
        t.is_(feed(reader), [old], "following brings the recent posts home")

        new = post(author, "x:new", "private")
        t.is_(feed(reader), [old, new], "a followers-only post reaches followers")
        direct = post(author, "x:dm", "direct")
        t.ok(direct not in feed(reader), "a direct post does not reach followers")
        pg.psql("INSERT INTO mentions (status_id, account_id) VALUES (:'p1', :'p2')",
                direct, other)
        t.ok(direct in feed(other), "it reaches the mentioned local account")
        t.ok(direct in feed(author), "and its author")

        pg.psql("INSERT INTO follows (account_id, target_account_id) VALUES (:'p1', :'p2')",
                reader, remote)
        far = post(remote, "https://b.test/1", local=False)
        t.ok(far in feed(reader), "a remote post reaches local followers")
        t.is_(pg.psql("SELECT count(*) FROM home_feeds WHERE account_id = :'p1'", remote),
              [["0"]], "remote accounts have no home timeline")
        # Schema 0009: the follow row says whether the follower is local,
        # and only local followers' feeds are written.
        pg.psql("INSERT INTO follows (account_id, target_account_id) VALUES (:'p1', :'p2')",
                remote, author)
        t.is_(pg.psql("SELECT account_id = :'p1', local_follower FROM follows "
                      "WHERE target_account_id = :'p2' ORDER BY 1", remote, author),
              [["f", "t"], ["t", "f"]], "a follow row knows a local follower from a remote one")
        to_both = post(author, "x:both")
        t.ok(to_both in feed(reader), "a post reaches the local follower")
        t.is_(pg.psql("SELECT count(*) FROM home_feeds WHERE account_id = :'p1'", remote),
              [["0"]], "and not the remote one")
        pg.psql("DELETE FROM follows WHERE account_id = :'p1'", remote)

        pg.psql("INSERT INTO follows (account_id, target_account_id, show_reblogs) "
                "VALUES (:'p1', :'p2', false)", reader, other)
        boost = post(other, "x:boost", reblog=old)
        t.ok(boost not in feed(reader), "a follow without reblogs gets no reblogs")

        reply = post(other, "x:reply", reply=old)
        deeper = post(author, "x:deeper", reply=reply)

        def thread(sid):
            return pg.psql("SELECT conversation_id FROM statuses WHERE id = :'p1'", sid)[0][0]
        t.is_((thread(old), thread(reply), thread(deeper)), (old, old, old),
              "a post starts its thread, replies and their replies join it")
        orphan = pg.psql("INSERT INTO statuses (uri, account_id, in_reply_to_uri, local) "
                         "VALUES ('x:orphan', :'p1', 'x:unknown', false) RETURNING id",
                         remote)[0][0]
        t.is_(thread(orphan), orphan, "a reply to an unknown post starts its own")
        named = pg.psql("INSERT INTO statuses (uri, account_id, conversation_id) "
                        "VALUES ('x:named', :'p1', :'p2') RETURNING id", author, old)[0][0]
        t.is_(thread(named), old, "a row that names its thread keeps it")
        pg.psql("DELETE FROM statuses WHERE id IN (:'p1', :'p2', :'p3')", deeper, orphan, named)
        fav = pg.psql("INSERT INTO favourites (account_id, status_id) VALUES (:'p1', :'p2') "
                      "RETURNING id", reader, old)[0][0]
        t.is_(pg.psql("SELECT replies_count, reblogs_count, favourites_count FROM status_stats "
                      "WHERE status_id = :'p1'", old), [["1", "1", "1"]],
              "replies, reblogs and favourites counted by triggers")
        pg.psql("UPDATE statuses SET deleted_at = now() WHERE id = :'p1'", reply)
        pg.psql("DELETE FROM favourites WHERE id = :'p1'", fav)
        t.is_(pg.psql("SELECT replies_count, reblogs_count, favourites_count FROM status_stats "
                      "WHERE status_id = :'p1'", old), [["0", "1", "0"]],
              "and counted down on delete and unfavourite")

        pg.psql("UPDATE statuses SET deleted_at = now() WHERE id = :'p1'", new)
        t.ok(new not in feed(reader) and new not in feed(author),
             "a deleted post leaves every home")

        pg.psql("DELETE FROM follows WHERE account_id = :'p1' AND target_account_id = :'p2'",
                reader, author)
        t.is_(feed(reader), [far], "unfollowing takes the author's posts away")

        # Schema 0008 keeps the cascade of the foreign keys it dropped.
        pg.psql("DELETE FROM statuses WHERE id = :'p1'", far)
        t.is_(feed(reader), [], "a status deleted outright leaves every home (0008)")
        t.ok(len(feed(author)) > 0, "the author has a home timeline")
        pg.psql("DELETE FROM accounts WHERE id = :'p1'", author)
        t.is_(pg.psql("SELECT count(*) FROM home_feeds WHERE account_id = :'p1'", author),
              [["0"]], "an account deleted outright takes its home timeline with it")


main(test)
