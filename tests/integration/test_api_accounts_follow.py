"""The accounts group of the client API, part two, on one instance:
follow (options, yourself, blocked, scopes), locked accounts and follow
requests (list, authorize, reject, unlock), unfollow and
remove_from_followers, block and unblock, mute and unmute, the blocks
and mutes lists, and the notifications all of them make or take back."""

from client_checks import account_shape
from harness import Api, Cluster, Meentd, ctl_json, entity_example, local_account, main, \
    shape_problems

PASSWORD = "accounts-follow-password-1"


def err(r):
    try:
        return r.status_code, r.json().get("error")
    except ValueError:
        return r.status_code, r.text[:200]


def ids(r):
    return [x["id"] for x in r.json()] if r.status_code == 200 else r.text[:300]


def rel_of(r, *keys):
    """The given keys of a Relationship reply (or the error)."""
    if r.status_code != 200:
        return err(r)
    return tuple(r.json().get(k) for k in keys)


def test(t):
    with Cluster() as pg:
        conf = pg.config("a.test", api_rate_limit=0)
        tok = {u: local_account(conf, u, password=PASSWORD)
               for u in ("alice", "bob", "carol", "dave", "erin")}
        ids_of = {r[0]: r[1] for r in pg.psql("SELECT username, id FROM accounts "
                                             "WHERE actor_type <> 'Application'")}
        a_id, b_id, c_id, d_id, e_id = (ids_of[u] for u in ("alice", "bob", "carol", "dave",
                                                            "erin"))

        def notes(who):
            return pg.psql("SELECT n.type, f.username FROM notifications n JOIN accounts f "
                           "ON f.id = n.from_account_id JOIN accounts a ON a.id = n.account_id "
                           "WHERE a.username = :'p1' ORDER BY n.id", who)

        def scoped(user, scopes):
            return ctl_json(conf, "token", "create", "--user", user, "--account", user,
                            "--scopes", scopes)["access_token"]

        with Meentd(conf) as d:
            alice, bob, carol, dave, erin = (Api(d, tok[u]) for u in
                                             ("alice", "bob", "carol", "dave", "erin"))
            follow = "/api/v1/accounts/%s/follow"

            # Follow an unlocked local account: at once, with a notification.
            r = alice.post(follow % b_id)
            t.is_(r.status_code, 200, "follow: 200")
            t.is_(shape_problems(r.json(), entity_example("Relationship")), [],
                  "the answer is a Relationship")
            t.is_(rel_of(r, "id", "following", "showing_reblogs", "notifying", "requested"),
                  (b_id, True, True, False, False), "following, with reblogs, not notified")
            t.is_(notes("bob"), [["follow", "alice"]], "bob is told: a follow notification")
            r = alice.post(follow % b_id, data={"reblogs": "false", "notify": "true",
                                                "languages[]": ["de", "nl"]})
            t.is_(rel_of(r, "following", "showing_reblogs", "notifying", "languages"),
                  (True, False, True, ["de", "nl"]), "following again changes the options")
            r = alice.post(follow % b_id, json={"notify": False})
            t.is_(rel_of(r, "showing_reblogs", "notifying", "languages"), (False, False, ["de", "nl"]),
                  "what is not sent stays as it was")
            t.is_(notes("bob"), [["follow", "alice"]], "and nobody is told twice")
            t.is_(err(alice.post(follow % b_id, data={"languages[]": "Deutsch"})),
                  (422, "Validation failed: Languages is invalid"), "a bad language: 422")
            t.is_(err(alice.post(follow % a_id)), (404, "Record not found"),
                  "following yourself: 404, as FollowService's RecordNotFound")
            t.is_(err(alice.post(follow % "4242")), (404, "Record not found"), "unknown id: 404")
            t.is_(err(alice.post(follow % "bogus")), (404, "Record not found"), "bad id: 404")
            t.is_(err(Api(d).post(follow % b_id)), (401, "The access token is invalid"),
                  "no token: 401")
            t.is_(err(Api(d, scoped("alice", "read write:statuses")).post(follow % c_id)),
                  (403, "This action is outside the authorized scopes"),
                  "a token without write:follows: 403")
            r = Api(d, scoped("alice", "follow")).post(follow % e_id)
            t.is_(rel_of(r, "following"), (True,), "the deprecated follow scope still works")
            alice.post("/api/v1/accounts/%s/unfollow" % e_id)

            # A locked account: a request and its notification.
            carol.patch("/api/v1/accounts/update_credentials", data={"locked": "true"})
            r = alice.post(follow % c_id, data={"reblogs": "0"})
            t.is_(rel_of(r, "following", "requested", "showing_reblogs"), (False, True, False),
                  "following a locked account: requested")
            r = dave.post(follow % c_id)
            t.is_(notes("carol"), [["follow_request", "alice"], ["follow_request", "dave"]],
                  "carol is told: follow_request notifications")
            r = carol.get("/api/v1/follow_requests")
            t.is_(ids(r), [d_id, a_id], "carol's follow requests, the latest first")
            t.is_([p for x in r.json() for p in account_shape(x)], [], "as Accounts")
            r = carol.get("/api/v1/follow_requests?limit=1")
            t.is_(ids(r), [d_id], "limit=1")
            t.like(r.headers.get("Link", ""), 'rel="next"', "with a Link header")
            t.is_(carol.get("/api/v1/accounts/verify_credentials").json()["source"]
                  ["follow_requests_count"], 2, "source.follow_requests_count")
            r = carol.get("/api/v1/accounts/relationships?id[]=%s" % a_id)
            t.is_(r.json()[0]["requested_by"], True, "carol sees alice's request: requested_by")
            r = carol.post("/api/v1/follow_requests/%s/authorize" % a_id)
            t.is_(rel_of(r, "id", "followed_by", "requested_by"), (a_id, True, False),
                  "authorize: alice follows carol now")
            t.is_(rel_of(alice.post(follow % c_id), "following", "showing_reblogs"), (True, False),
                  "alice follows carol, with the options she asked for")
            t.is_(notes("carol"), [["follow_request", "dave"]],
                  "the authorized request's notification is gone")
            r = carol.post("/api/v1/follow_requests/%s/reject" % d_id)
            t.is_(rel_of(r, "followed_by", "requested_by"), (False, False), "reject")
            t.is_(notes("carol"), [], "and its notification is gone too")
            t.is_(err(carol.post("/api/v1/follow_requests/%s/authorize" % d_id)),
                  (404, "Record not found"), "authorizing a request that is not there: 404")
            t.is_(err(carol.post("/api/v1/follow_requests/x/reject")), (404, "Record not found"),
                  "a bad id: 404")
            t.is_(Api(d, scoped("carol", "read")).get("/api/v1/follow_requests").status_code,
                  200, "follow_requests with read")
            t.is_(Api(d, scoped("carol", "write:statuses")).get("/api/v1/follow_requests")
                  .status_code, 403, "follow_requests without read:follows: 403")
            t.is_(Api(d, scoped("carol", "read")).post("/api/v1/follow_requests/%s/reject" % d_id)
                  .status_code, 403, "reject without write:follows: 403")
            # Unlocking accepts whoever is still waiting.
            erin.post(follow % c_id)
            carol.patch("/api/v1/accounts/update_credentials", data={"locked": "false"})
            r = erin.get("/api/v1/accounts/relationships?id[]=%s" % c_id)
            t.is_((r.json()[0]["following"], r.json()[0]["requested"]), (True, False),
                  "carol unlocked: erin's waiting request became a follow")

            # Unfollow, and withdrawing a request.
            r = alice.post("/api/v1/accounts/%s/unfollow" % b_id)
            t.is_(rel_of(r, "following", "showing_reblogs"), (False, False), "unfollow")
            t.is_(notes("bob"), [], "the follow notification goes with the follow")
            t.is_(rel_of(alice.post("/api/v1/accounts/%s/unfollow" % b_id), "following"),
                  (False,), "unfollowing again is fine")
            carol.patch("/api/v1/accounts/update_credentials", data={"locked": "true"})
            dave.post(follow % c_id)
            r = dave.post("/api/v1/accounts/%s/unfollow" % c_id)
            t.is_(rel_of(r, "requested"), (False,), "unfollow withdraws a request")
            t.is_(ids(carol.get("/api/v1/follow_requests")), [], "carol has none left")
            t.is_(err(alice.post("/api/v1/accounts/77/unfollow")), (404, "Record not found"),
                  "unfollow of nobody: 404")
            r = carol.post("/api/v1/accounts/%s/remove_from_followers" % a_id)
            t.is_(rel_of(r, "followed_by"), (False,), "remove_from_followers")

            # Block: follows and requests end both ways.
            bob.post(follow % a_id)
            alice.post(follow % b_id)
            dave.post(follow % c_id)
            r = carol.post("/api/v1/accounts/%s/block" % d_id)
            t.is_(rel_of(r, "blocking", "requested_by"), (True, False),
                  "block ends the request of the blocked")
            r = alice.post("/api/v1/accounts/%s/block" % b_id)
            t.is_(rel_of(r, "blocking", "following", "followed_by"), (True, False, False),
                  "block: no follow either way")
            t.is_(notes("alice"), [], "bob's follow notification to alice is gone")
            r = bob.get("/api/v1/accounts/relationships?id[]=%s" % a_id)
            t.is_(r.json()[0]["blocked_by"], True, "bob sees he is blocked")
            t.is_(err(bob.post(follow % a_id)), (403, "This action is not allowed"),
                  "the blocked cannot follow: 403")
            t.is_(err(alice.post(follow % b_id)), (403, "This action is not allowed"),
                  "nor can the blocker")
            t.is_(rel_of(alice.post("/api/v1/accounts/%s/block" % b_id), "blocking"), (True,),
                  "blocking again is fine")
            t.is_(rel_of(alice.post("/api/v1/accounts/%s/block" % a_id), "blocking"), (False,),
                  "blocking yourself changes nothing")
            alice.post("/api/v1/accounts/%s/block" % e_id)
            r = alice.get("/api/v1/blocks")
            t.is_(ids(r), [e_id, b_id], "the blocks list, the latest first")
            r = alice.get("/api/v1/blocks?limit=1")
            t.is_(ids(r), [e_id], "limit=1")
            nxt = r.headers.get("Link", "").split(">")[0].lstrip("<")
            t.is_(ids(alice.get(nxt[nxt.index("/api/"):])), [b_id], "the next page")
            t.is_(Api(d, scoped("alice", "read:mutes")).get("/api/v1/blocks").status_code, 403,
                  "blocks without read:blocks: 403")
            t.is_(Api(d, scoped("alice", "read:follows")).post(
                "/api/v1/accounts/%s/block" % c_id).status_code, 403,
                "block without write:blocks: 403")
            r = alice.post("/api/v1/accounts/%s/unblock" % b_id)
            t.is_(rel_of(r, "blocking", "following"), (False, False),
                  "unblock; the follows do not come back")
            t.is_(ids(alice.get("/api/v1/blocks")), [e_id], "one block left")
            t.is_(err(alice.post("/api/v1/accounts/x/unblock")), (404, "Record not found"),
                  "unblock of x: 404")

            # Mute, with and without notifications and for a while.
            r = alice.post("/api/v1/accounts/%s/mute" % b_id)
            t.is_(rel_of(r, "muting", "muting_notifications", "muting_expires_at"),
                  (True, True, None), "mute: notifications too, for good")
            r = alice.post("/api/v1/accounts/%s/mute" % b_id,
                           data={"notifications": "false", "duration": "3600"})
            t.is_(rel_of(r, "muting", "muting_notifications"), (True, False),
                  "mute again: only statuses")
            t.ok(r.json().get("muting_expires_at", "") and
                 r.json()["muting_expires_at"].endswith("Z"), "and it ends in an hour")
            t.is_(pg.psql("SELECT expires_at BETWEEN now() + interval '59 minutes' AND "
                          "now() + interval '61 minutes' FROM mutes"), [["t"]],
                  "the mute ends an hour from now")
            r = alice.post("/api/v1/accounts/%s/mute" % c_id, json={"duration": 0})
            t.is_(ids(alice.get("/api/v1/mutes")), [c_id, b_id], "the mutes list")
            pg.psql("UPDATE mutes SET expires_at = now() - interval '1 second' "
                    "WHERE target_account_id = :'p1'", c_id)
            t.is_(ids(alice.get("/api/v1/mutes")), [b_id], "an expired mute is no longer listed")
            r = alice.get("/api/v1/accounts/relationships?id[]=%s" % c_id)
            t.is_(r.json()[0]["muting"], False, "nor a mute")
            r = alice.post("/api/v1/accounts/%s/unmute" % b_id)
            t.is_(rel_of(r, "muting", "muting_notifications"), (False, False), "unmute")
            t.is_(ids(alice.get("/api/v1/mutes")), [], "no mutes left")
            t.is_(Api(d, scoped("alice", "write:blocks")).post(
                "/api/v1/accounts/%s/mute" % b_id).status_code, 403,
                "mute without write:mutes: 403")
            t.is_(Api(d, scoped("alice", "read:blocks")).get("/api/v1/mutes").status_code, 403,
                  "mutes without read:mutes: 403")
            # A muted account's follow notifies nobody.
            erin.post("/api/v1/accounts/%s/mute" % d_id)
            dave.post(follow % e_id)
            t.is_(notes("erin"), [], "a follow by someone erin mutes: no notification")
            t.is_(pg.psql("SELECT count(*) FROM follows WHERE account_id = :'p1' "
                          "AND target_account_id = :'p2'", d_id, e_id), [["1"]],
                  "but the follow is made")


if __name__ == "__main__":
    main(test)
