"""Federation II, incoming: activities signed by alice on instance A are
delivered to instance B's inbox and processed by B's job workers as
Mastodon processes them: Follow (auto-accepted with a signed Accept
delivered back to A, or a follow request on a locked account), Create with
sanitised HTML, mentions and notifications, Like, Announce and their Undo,
Update with edit history, Delete, Block, and forged or foreign objects
dropped. Each step is checked in B's database."""

import json
import time

import requests

from harness import Cluster, Meentd, ctl, main, sign_post, two_instances, wait_for

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"






def test(t):
    (pa, da), (pb, db), common = two_instances()
    with Cluster() as pga, Cluster() as pgb:
        ca = pga.config(da, listen="127.0.0.1:%d" % pa, **common)
        cb = pgb.config(db, listen="127.0.0.1:%d" % pb, **common)
        ctl(ca, "org", "create", "a", "A")
        ctl(ca, "account", "create", "alice", "--org", "a")
        ctl(cb, "org", "create", "b", "B")
        ctl(cb, "account", "create", "bob", "--org", "b")
        ctl(cb, "account", "create", "carol", "--org", "b", "--locked")
        pem, kid = json.loads(pga.psql("SELECT json_build_array(private_key_pem, key_id) "
                                       "FROM accounts WHERE username = 'alice'")[0][0])
        alice = "http://%s/users/alice" % da
        bob = "http://%s/users/bob" % db
        carol = "http://%s/users/carol" % db
        bob_id = pgb.psql("SELECT id FROM accounts WHERE username = 'bob'")[0][0]
        bob_post = "http://%s/users/bob/statuses/1" % db
        pgb.psql("INSERT INTO statuses (uri, account_id, local, content) "
                 "VALUES (:'p1', :'p2', true, '<p>Hallo</p>')", bob_post, bob_id)
        n = [0]

        def send(act):
            n[0] += 1
            act.setdefault("@context", "https://www.w3.org/ns/activitystreams")
            act.setdefault("id", "%s#activities/%d" % (alice, n[0]))
            act.setdefault("actor", alice)
            body = json.dumps(act).encode()
            r = requests.post(b.url + "/inbox", data=body, timeout=20,
                              headers=sign_post(db, "/inbox", body, pem, kid))
            return r.status_code

        def q(sql, *params):
            return pgb.psql(sql, *params)

        def alice_id():
            return q("SELECT id FROM accounts WHERE uri = :'p1'", alice)[0][0]

        with Meentd(ca) as a, Meentd(cb) as b:
            # Follow, auto-accepted.
            t.is_(send({"type": "Follow", "object": bob}), 202, "Follow accepted by the inbox")
            t.ok(wait_for(lambda: q("SELECT 1 FROM follows f JOIN accounts a ON a.id = "
                                    "f.account_id WHERE a.uri = :'p1'", alice)),
                 "B's worker recorded alice following bob")
            t.ok(wait_for(lambda: q("SELECT 1 FROM notifications WHERE type = 'follow' "
                                    "AND account_id = :'p1'", bob_id)),
                 "bob is notified of the follow")
            accepted = wait_for(lambda: pga.psql(
                "SELECT activity_id FROM inbox_activities WHERE activity_id LIKE :'p1'",
                bob + "#accepts/follows/%"))
            t.ok(accepted, "B delivered a signed Accept that A verified and took in")
            t.ok(wait_for(lambda: q("SELECT 1 FROM jobs WHERE kind = 'deliver' AND "
                                    "state = 'done'")), "the deliver job finished")

            # A locked account: a follow request, no Accept.
            t.is_(send({"type": "Follow", "object": carol}), 202, "Follow of a locked account")
            t.ok(wait_for(lambda: q("SELECT 1 FROM follow_requests r JOIN accounts c ON "
                                    "c.id = r.target_account_id WHERE c.username = 'carol'")),
                 "a follow request for carol")
            t.ok(wait_for(lambda: q("SELECT 1 FROM notifications n JOIN accounts c ON c.id = "
                                    "n.account_id WHERE c.username = 'carol' AND "
                                    "n.type = 'follow_request'")), "carol is notified")

            # Create: a reply mentioning bob, with hostile HTML.
            note = "http://%s/users/alice/statuses/10" % da
            html = ('<p>Hoi <span class="h-card"><a href="%s" class="u-url mention">@bob</a>'
                    '</span> <script>alert(1)</script><a href="javascript:x()">x</a> '
                    '<a href="https://example.nl/#tag">#wonen</a></p>' % bob)
            t.is_(send({"type": "Create", "object": {
                "id": note, "type": "Note", "attributedTo": alice, "content": html,
                "summary": "Let op", "sensitive": True, "inReplyTo": bob_post,
                "published": "2026-11-20T10:00:00Z", "to": [PUBLIC],
                "cc": [alice + "/followers", bob], "contentMap": {"nl": html},
                "tag": [{"type": "Mention", "href": bob, "name": "@bob@" + db},
                        {"type": "Hashtag", "href": "https://x/tags/wonen", "name": "#wonen"}]}}),
                  202, "Create accepted")
            row = wait_for(lambda: q("SELECT content, spoiler_text, sensitive, visibility, "
                                     "language, in_reply_to_id IS NOT NULL, "
                                     "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') "
                                     "FROM statuses WHERE uri = :'p1'", note))
            t.ok(row, "the note is stored")
            if row:
                content, spoiler, sensitive, vis, lang, reply, day = row[0]
                t.ok("<script" not in content and "javascript:" not in content,
                     "script and javascript: links are gone")
                t.like(content, 'class="u-url mention"', "the mention markup is kept")
                t.is_((spoiler, sensitive, vis, lang, reply, day),
                      ("Let op", "t", "public", "nl", "t", "2026-11-20"),
                      "content warning, sensitive, visibility, language, reply, published date")
            t.ok(wait_for(lambda: q("SELECT 1 FROM mentions m JOIN statuses s ON s.id = "
                                    "m.status_id WHERE s.uri = :'p1' AND m.account_id = :'p2'",
                                    note, bob_id)), "bob's mention recorded")
            t.ok(q("SELECT 1 FROM notifications WHERE type = 'mention' AND account_id = :'p1'",
                   bob_id), "bob is notified of the mention")
            t.ok(q("SELECT 1 FROM tags WHERE name = 'wonen'"), "the hashtag is recorded")

            # Update: the edit is kept in the history.
            t.is_(send({"type": "Update", "object": {
                "id": note, "type": "Note", "attributedTo": alice, "content": "<p>Bewerkt</p>",
                "to": [PUBLIC]}}), 202, "Update accepted")
            t.ok(wait_for(lambda: q("SELECT 1 FROM statuses WHERE uri = :'p1' AND content = "
                                    "'<p>Bewerkt</p>' AND edited_at IS NOT NULL", note)),
                 "the note was edited")
            t.is_(q("SELECT count(*) FROM status_edits e JOIN statuses s ON s.id = e.status_id "
                    "WHERE s.uri = :'p1'", note), [["1"]], "the previous version is kept")

            # Like and Undo Like of bob's post.
            like = "%s#likes/1" % alice
            t.is_(send({"id": like, "type": "Like", "object": bob_post}), 202, "Like accepted")
            t.ok(wait_for(lambda: q("SELECT 1 FROM favourites WHERE uri = :'p1'", like)),
                 "the like is recorded")
            t.ok(q("SELECT 1 FROM notifications WHERE type = 'favourite' AND account_id = :'p1'",
                   bob_id), "bob is notified of the like")
            t.is_(send({"type": "Undo", "object": {"id": like, "type": "Like", "actor": alice,
                                                   "object": bob_post}}), 202, "Undo Like")
            t.ok(wait_for(lambda: not q("SELECT 1 FROM favourites WHERE uri = :'p1'", like)),
                 "the like is gone")

            # Announce and Undo Announce.
            boost = "%s/statuses/11/activity" % alice
            t.is_(send({"id": boost, "type": "Announce", "object": bob_post, "to": [PUBLIC]}),
                  202, "Announce accepted")
            t.ok(wait_for(lambda: q("SELECT 1 FROM statuses WHERE uri = :'p1' AND "
                                    "reblog_of_id IS NOT NULL AND deleted_at IS NULL", boost)),
                 "the boost is a status of its own")
            t.is_(send({"type": "Undo", "object": {"id": boost, "type": "Announce",
                                                   "actor": alice}}), 202, "Undo Announce")
            t.ok(wait_for(lambda: q("SELECT 1 FROM statuses WHERE uri = :'p1' AND "
                                    "deleted_at IS NOT NULL", boost)), "the boost is withdrawn")

            # Forged: a note attributed to someone else, and a Like of nothing.
            t.is_(send({"type": "Create", "object": {
                "id": "http://%s/users/bob/statuses/99" % db, "type": "Note",
                "attributedTo": bob, "content": "<p>vals</p>", "to": [PUBLIC]}}), 202,
                  "a forged Create is accepted at the door")
            # Not believed as given: fetched from its origin, which has no such post.
            t.ok(wait_for(lambda: "event=note_fetch_failed uri=http://%s/users/bob/statuses/99"
                          % db in b.log_text()), "it is fetched from its origin, and the "
                                                 "failure logged")
            t.is_(q("SELECT count(*) FROM statuses WHERE content LIKE '%vals%'"), [["0"]],
                  "but never stored")

            # Delete of the note.
            t.is_(send({"type": "Delete", "object": {"id": note, "type": "Tombstone"}}), 202,
                  "Delete accepted")
            t.ok(wait_for(lambda: q("SELECT 1 FROM statuses WHERE uri = :'p1' AND "
                                    "deleted_at IS NOT NULL", note)), "the note is tombstoned")

            # Block: follows go, Undo Block lifts it; Undo Follow.
            t.is_(send({"type": "Block", "object": bob}), 202, "Block accepted")
            t.ok(wait_for(lambda: q("SELECT 1 FROM blocks WHERE target_account_id = :'p1'",
                                    bob_id)), "the block is recorded")
            t.is_(q("SELECT count(*) FROM follows WHERE target_account_id = :'p1'", bob_id),
                  [["0"]], "and alice no longer follows bob")
            t.is_(send({"type": "Undo", "object": {"type": "Block", "actor": alice,
                                                   "id": "%s#activities/%d" % (alice, n[0]),
                                                   "object": bob}}), 202, "Undo Block")
            t.ok(wait_for(lambda: not q("SELECT 1 FROM blocks WHERE target_account_id = :'p1'",
                                        bob_id)), "the block is lifted")
            t.is_(send({"type": "Follow", "id": alice + "#follows/2", "object": bob}), 202,
                  "follow again")
            t.ok(wait_for(lambda: q("SELECT 1 FROM follows WHERE uri = :'p1'",
                                    alice + "#follows/2")), "following again")
            t.is_(send({"type": "Undo", "object": alice + "#follows/2"}), 202, "Undo Follow")
            t.ok(wait_for(lambda: not q("SELECT 1 FROM follows WHERE target_account_id = :'p1'",
                                        bob_id)), "unfollowed")

            # Unknown types are ignored without harm; an actor deletes itself.
            t.is_(send({"type": "EmojiReact", "object": bob_post, "content": ":)"}), 202,
                  "an unknown type is accepted and ignored")
            t.is_(send({"type": "Delete", "object": alice}), 202, "the actor deletes itself")
            t.ok(wait_for(lambda: q("SELECT 1 FROM accounts WHERE uri = :'p1' AND "
                                    "deleted_at IS NOT NULL", alice)), "alice is tombstoned on B")
            t.is_(q("SELECT count(*) FROM jobs WHERE kind = 'inbox' AND state <> 'done'"),
                  [["0"]], "every inbox job finished")


main(test)
