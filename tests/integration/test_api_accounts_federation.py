"""The accounts group of the client API between two real meentd, A and B:
search with resolve=true finds a remote account through WebFinger; a
follow of a remote account is a request until the Accept comes back
(B accepts at once for an unlocked account, or when its owner authorizes
through B's API); unfollow sends the Undo; follows of a locked local
account from B wait in follow_requests, rejected or accepted (by
unlocking) through A's API with the Reject or Accept going back; a block
reaches B and ends B's follow; a profile change reaches B as an Update."""

from harness import Api, Cluster, Meentd, local_account, main, two_instances, wait_for

PASSWORD = "accounts-federation-password-1"
WAIT = 30


def test(t):
    (pa, da), (pb, db), common = two_instances(api_rate_limit=0)
    with Cluster() as pga, Cluster() as pgb:
        ca = pga.config(da, listen="127.0.0.1:%d" % pa, **common)
        cb = pgb.config(db, listen="127.0.0.1:%d" % pb, **common)
        ta = local_account(ca, "alice", password=PASSWORD)
        tb = {u: local_account(cb, u, password=PASSWORD) for u in ("bob", "carol", "dave")}
        with Meentd(ca) as a, Meentd(cb) as b:
            alice = Api(a, ta)
            bob, carol, dave = (Api(b, tb[u]) for u in ("bob", "carol", "dave"))
            carol.patch("/api/v1/accounts/update_credentials", data={"locked": "true"})

            def rel(api, account_id):
                r = api.get("/api/v1/accounts/relationships?id[]=%s" % account_id)
                return r.json()[0] if r.status_code == 200 and r.json() else {}

            def resolve(api, acct):
                r = api.get("/api/v1/accounts/search", params={"q": acct, "resolve": "true"})
                found = [x for x in r.json() if x.get("acct") == acct] \
                    if r.status_code == 200 else []
                return found[0]["id"] if found else None

            # Search finds bob@B only with resolve=true, through WebFinger.
            r = alice.get("/api/v1/accounts/search", params={"q": "bob@" + db})
            t.is_(r.json(), [], "without resolve, an unknown remote account is not found")
            bob_id = resolve(alice, "bob@" + db)
            t.ok(bob_id, "search with resolve=true fetches bob@%s" % db)
            r = alice.get("/api/v1/accounts/lookup", params={"acct": "bob@" + db})
            t.is_((r.status_code, r.json().get("id")), (200, bob_id), "lookup knows him now")
            r = alice.get("/api/v1/accounts/%s" % bob_id)
            t.is_((r.json().get("url"), r.json().get("uri")),
                  ("http://%s/@bob" % db, "http://%s/users/bob" % db), "his url and uri")

            # Follow: requested until B's Accept, then following.
            r = alice.post("/api/v1/accounts/%s/follow" % bob_id)
            t.is_((r.status_code, r.json().get("requested"), r.json().get("following")),
                  (200, True, False), "a remote follow starts as a request")
            t.ok(wait_for(lambda: rel(alice, bob_id).get("following"), WAIT),
                 "B accepted: following=true")
            t.is_(rel(alice, bob_id).get("requested"), False, "no longer requested")
            row = pga.psql("SELECT uri FROM follows")
            t.ok(row and row[0][0].startswith("http://%s/" % da),
                 "the follow keeps the id of the Follow the request sent")
            t.is_(pgb.psql("SELECT f.uri FROM follows f JOIN accounts a ON a.id = f.account_id "
                           "WHERE a.username = 'alice'"), row,
                  "B stored the follow under the same Follow id")
            bob_me = bob.get("/api/v1/accounts/verify_credentials").json()["id"]
            r = bob.get("/api/v1/accounts/%s/followers" % bob_me)
            t.is_([x["acct"] for x in r.json()], ["alice@" + da], "bob's followers on B: alice@A")
            t.is_(pgb.psql("SELECT type FROM notifications"), [["follow"]],
                  "bob got a follow notification on B")

            # Unfollow: the Undo reaches B.
            r = alice.post("/api/v1/accounts/%s/unfollow" % bob_id)
            t.is_(r.json().get("following"), False, "unfollow")
            t.ok(wait_for(lambda: pgb.psql("SELECT count(*) FROM follows") == [["0"]], WAIT),
                 "B removed the follow on the Undo")

            # A locked account on B: the request waits for its owner.
            carol_id = resolve(alice, "carol@" + db)
            r = alice.post("/api/v1/accounts/%s/follow" % carol_id)
            t.is_(r.json().get("requested"), True, "following locked carol@B: requested")
            t.ok(wait_for(lambda: [x["acct"] for x in
                                   carol.get("/api/v1/follow_requests").json()] == ["alice@" + da],
                          WAIT), "carol sees alice@A's request on B")
            alice_on_b = carol.get("/api/v1/follow_requests").json()[0]["id"]
            r = carol.post("/api/v1/follow_requests/%s/authorize" % alice_on_b)
            t.is_(r.json().get("followed_by"), True, "carol authorizes on B")
            t.ok(wait_for(lambda: rel(alice, carol_id).get("following"), WAIT),
                 "the Accept reaches A: following=true")

            # Follows from B of a locked alice on A.
            alice.patch("/api/v1/accounts/update_credentials", data={"locked": "true"})
            alice_id = resolve(dave, "alice@" + da)
            t.ok(alice_id, "dave@B finds alice@A")
            r = dave.post("/api/v1/accounts/%s/follow" % alice_id)
            t.is_(r.json().get("requested"), True, "dave's follow of locked alice: requested")
            t.ok(wait_for(lambda: [x["acct"] for x in
                                   alice.get("/api/v1/follow_requests").json()] == ["dave@" + db],
                          WAIT), "alice sees dave@B's request")
            dave_id = alice.get("/api/v1/follow_requests").json()[0]["id"]
            t.is_(pga.psql("SELECT type FROM notifications"), [["follow_request"]],
                  "alice was told: follow_request")
            r = alice.post("/api/v1/follow_requests/%s/reject" % dave_id)
            t.is_(r.json().get("requested_by"), False, "alice rejects")
            t.ok(wait_for(lambda: rel(dave, alice_id).get("requested") is False, WAIT),
                 "the Reject reaches B: dave's request is gone")
            dave.post("/api/v1/accounts/%s/follow" % alice_id)
            t.ok(wait_for(lambda: alice.get("/api/v1/follow_requests").json(), WAIT),
                 "dave asks again")
            alice.patch("/api/v1/accounts/update_credentials", data={"locked": "false"})
            t.is_(alice.get("/api/v1/follow_requests").json(), [],
                  "alice unlocks: the request is accepted")
            t.ok(wait_for(lambda: rel(dave, alice_id).get("following"), WAIT),
                 "and the Accept reaches B: dave follows alice")

            # A block reaches B and ends the follow there.
            r = alice.post("/api/v1/accounts/%s/block" % dave_id)
            t.is_((r.json().get("blocking"), r.json().get("followed_by")), (True, False),
                  "alice blocks dave@B")
            t.ok(wait_for(lambda: not rel(dave, alice_id).get("following"), WAIT),
                 "B ended dave's follow")
            t.ok(wait_for(lambda: pgb.psql("SELECT count(*) FROM blocks") == [["1"]], WAIT),
                 "B stored the block")
            alice.post("/api/v1/accounts/%s/unblock" % dave_id)
            t.ok(wait_for(lambda: pgb.psql("SELECT count(*) FROM blocks") == [["0"]], WAIT),
                 "the Undo of the block reaches B")

            # A profile change reaches the followers' servers as an Update.
            bob.post("/api/v1/accounts/%s/follow" % resolve(bob, "alice@" + da))
            t.ok(wait_for(lambda: pga.psql("SELECT count(*) FROM follows f JOIN accounts a "
                                           "ON a.id = f.account_id WHERE a.username = 'bob'")
                          == [["1"]], WAIT), "bob@B follows alice")
            alice.patch("/api/v1/accounts/update_credentials", data={"display_name": "Alice of A"})
            t.ok(wait_for(lambda: "event=inbox_processed type=Update" in b.log_text(), WAIT),
                 "B received and processed the Update of alice")


if __name__ == "__main__":
    main(test)
