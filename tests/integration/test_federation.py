"""Federation I between two real meentd instances on loopback: a.test and
b.test (pinned to 127.0.0.1 with resolve_override, private addresses
allowed for the test only, plain http under the development switch).
Discovery by acct: both ways, a signed fetch verified by an instance in
authorized-fetch mode, the inbox accepting signed activities (fetching
unknown keys, refetching rotated ones) and refusing tampered, stale,
wrongly keyed, unsigned, misattributed and blocked requests."""

import email.utils
import json
import time

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from harness import Cluster, Meentd, ctl, free_port, main, sign_post

AP = {"Accept": "application/activity+json"}




def activity(actor, n):
    return json.dumps({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": "%s#likes/%d" % (actor, n), "type": "Like", "actor": actor,
        "object": "http://b.test/users/bob/statuses/1"}).encode()


def test(t):
    pa, pb = free_port(), free_port()
    da, db = "a.test:%d" % pa, "b.test:%d" % pb
    common = dict(allow_insecure_http_for_development="yes", allow_private_addresses="127.0.0.0/8",
                  resolve_override="a.test:%d:127.0.0.1, b.test:%d:127.0.0.1" % (pa, pb),
                  http_threads=2)
    with Cluster() as pga, Cluster() as pgb:
        ca = pga.config(da, listen="127.0.0.1:%d" % pa, **common)
        cb = pgb.config(db, listen="127.0.0.1:%d" % pb, authorized_fetch="yes", **common)
        for conf, user in ((ca, "alice"), (ca, "carol"), (cb, "bob")):
            ctl(conf, "org", "create", "gemeente", "Gemeente")
            r = ctl(conf, "account", "create", user, "--org", "gemeente")
            t.is_(r.returncode, 0, "created %s: %s" % (user, r.stderr.strip()))
        with Meentd(ca) as a, Meentd(cb) as b:
            # B runs in authorized-fetch mode: unsigned ActivityPub GETs fail.
            r = requests.get(b.url + "/users/bob", headers=AP, timeout=10)
            t.is_(r.status_code, 401, "authorized fetch: unsigned actor GET is 401")
            r = requests.get(b.url + "/users/bob", allow_redirects=False, timeout=10)
            t.is_(r.status_code, 302, "authorized fetch: the HTML redirect stays public")
            t.is_(requests.get(b.url + "/actor", headers=AP, timeout=10).status_code, 200,
                  "authorized fetch: the instance actor stays public")
            r = requests.get(b.url + "/.well-known/webfinger", timeout=10,
                             params={"resource": "acct:bob@" + db})
            t.is_(r.status_code, 200, "authorized fetch: WebFinger stays public")

            # A discovers bob@b.test by acct: its fetch is signed with A's
            # instance actor key, which B fetches and verifies.
            r = ctl(ca, "--json", "remote", "fetch", "bob@" + db)
            t.is_(r.returncode, 0, "A fetches bob@b.test through WebFinger: %s" % r.stderr.strip())
            if r.returncode == 0:
                got = json.loads(r.stdout)
                t.is_(got["uri"], "http://%s/users/bob" % db, "the actor's id")
                t.is_(got["domain"], db, "the acct: domain")
                t.is_(got["key_id"], "http://%s/users/bob#main-key" % db, "its key id")
            rows = pga.psql("SELECT username, domain, inbox_url, length(public_key_pem) > 400 "
                            "FROM accounts WHERE domain IS NOT NULL")
            t.is_(rows, [["bob", db, "http://%s/users/bob/inbox" % db, "t"]],
                  "A cached bob with inbox and key")
            rows = pgb.psql("SELECT uri FROM accounts WHERE domain IS NOT NULL")
            t.is_(rows, [["http://%s/actor" % da]],
                  "B verified A's signed fetch with A's instance actor, fetched from A")
            t.like(b.log_text(), 'route=/users/:username status=200', "B served the signed fetch")

            # B discovers alice@a.test the same way, and by URL.
            r = ctl(cb, "--json", "remote", "fetch", "acct:alice@" + da)
            t.is_(r.returncode, 0, "B fetches alice@a.test: %s" % r.stderr.strip())
            r = ctl(cb, "--json", "remote", "fetch", "http://%s/users/alice" % da)
            t.is_(r.returncode, 0, "B refreshes alice by URL: %s" % r.stderr.strip())
            r = ctl(cb, "remote", "fetch", "nobody@" + da)
            t.is_(r.returncode, 1, "an unknown acct fails")
            t.like(r.stderr, "404", "and says what the server answered")

            def key_of(user):
                # JSON keeps the PEM's newlines on one psql line.
                return json.loads(pga.psql("SELECT json_build_array(private_key_pem, key_id) "
                                           "FROM accounts WHERE username = :'p1'", user)[0][0])

            keys = {u: key_of(u) for u in ("alice", "carol")}
            inbox = b.url + "/inbox"

            def post(user, body, **kw):
                pem, kid = keys[user]
                hdrs = sign_post(db, kw.pop("path", "/inbox"), body, kw.pop("pem", pem),
                                 kw.pop("key_id", kid), **kw)
                return requests.post(inbox, data=body, headers=hdrs, timeout=20)

            alice = "http://%s/users/alice" % da
            carol = "http://%s/users/carol" % da
            r = post("alice", activity(alice, 1))
            t.is_(r.status_code, 202, "a signed activity from alice (key cached) is accepted")
            r = post("carol", activity(carol, 1))
            t.is_(r.status_code, 202, "from carol, whose key B fetches on the way: %s" % r.text)
            t.is_(pgb.psql("SELECT count(*) FROM accounts WHERE uri = :'p1'", carol), [["1"]],
                  "B cached carol while verifying")
            r = post("alice", activity(alice, 1))
            t.is_(r.status_code, 202, "a re-delivery is acknowledged")
            t.is_(pgb.psql("SELECT count(*) FROM jobs WHERE kind = 'inbox'"), [["2"]],
                  "but queued once: two jobs for two distinct activities")
            payload = json.loads(pgb.psql("SELECT payload::text FROM jobs WHERE kind = 'inbox' "
                                          "ORDER BY id LIMIT 1")[0][0])
            t.is_(payload["activity"]["id"], alice + "#likes/1", "the job holds the raw activity")
            known = pgb.psql("SELECT json_build_object('uri', uri, 'inbox', coalesce(nullif("
                             "shared_inbox_url, ''), inbox_url), 'followers', followers_url, "
                             "'featured', featured_url)::text FROM accounts WHERE uri = :'p1'",
                             alice)[0][0]
            t.is_(payload.get("signer_actor"), json.loads(known),
                  "and the signer as stored, from the key lookup, for processing")
            carols = json.loads(pgb.psql("SELECT payload::text FROM jobs WHERE kind = 'inbox' "
                                         "ORDER BY id DESC LIMIT 1")[0][0])
            t.ok("signer_actor" not in carols,
                 "a key fetched on the way leaves processing to read the account")

            r = post("alice", activity(alice, 2), sign_body=b"{}")
            t.is_(r.status_code, 401, "tampered body: 401")
            t.like(r.json().get("error", ""), "igest", "the error names the digest")
            stale = email.utils.formatdate(time.time() - 13 * 3600, usegmt=True)
            r = post("alice", activity(alice, 3), date=stale)
            t.is_(r.status_code, 401, "stale Date: 401")
            other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption()).decode()
            r = post("alice", activity(alice, 4), pem=other)
            t.is_(r.status_code, 401, "wrong key: 401 (after one refetch)")
            r = requests.post(inbox, data=activity(alice, 5), timeout=10,
                              headers={"Content-Type": "application/activity+json"})
            t.is_(r.status_code, 401, "unsigned POST: 401")
            r = post("alice", activity(carol, 6))
            t.is_(r.status_code, 401, "signed by alice for carol's activity: 401")
            pgb.psql("INSERT INTO domain_blocks (domain, severity) VALUES ('c.test', 'suspend')")
            r = post("alice", activity(alice, 7), key_id="http://c.test:1/users/x#main-key")
            t.is_(r.status_code, 403, "keyId on a suspended domain: 403, nothing fetched")
            # A known key on a suspended domain is refused, even when B's
            # threads keep it (ap/key_cache.h): a few requests first, so
            # that both HTTP threads have it.
            for n in range(20, 26):
                post("alice", activity(alice, n))
            pgb.psql("INSERT INTO domain_blocks (domain, severity) VALUES ('a.test', 'suspend')")
            codes = {post("alice", activity(alice, n)).status_code for n in range(30, 34)}
            t.is_(codes, {403}, "a known key on a suspended domain: 403, cached or not")
            pgb.psql("DELETE FROM domain_blocks WHERE domain = 'a.test'")
            pgb.psql("UPDATE accounts SET suspended_at = now() WHERE uri = :'p1'", alice)
            codes = {post("alice", activity(alice, n)).status_code for n in range(34, 38)}
            t.is_(codes, {403}, "a suspended signer with a cached key: 403")
            pgb.psql("UPDATE accounts SET suspended_at = NULL WHERE uri = :'p1'", alice)
            t.is_(pgb.psql("SELECT count(*) FROM inbox_activities WHERE activity_id LIKE :'p1'",
                           alice + "#likes/3_"), [["0"]], "none of those was accepted")
            # A signed request proves its domain is up: B's circuit breaker
            # for A (marked unavailable after days of failures) is cleared.
            pgb.psql("INSERT INTO delivery_domains (domain, failures, failing_since, "
                     "last_failure_at, unavailable_at) VALUES ('a.test', 40, "
                     "now() - interval '8 days', now(), now())")
            r = post("alice", activity(alice, 11))
            t.is_(r.status_code, 202, "a signed activity from a domain B thinks is down")
            t.is_(pgb.psql("SELECT failures, failing_since IS NULL, unavailable_at IS NULL, "
                           "last_seen_at IS NOT NULL FROM delivery_domains "
                           "WHERE domain = 'a.test'"), [["0", "t", "t", "t"]],
                  "clears B's breaker for a.test, with the accept")
            dead = free_port()
            r = post("alice", activity(alice, 8), key_id="http://127.0.0.1:%d/users/x#main-key" % dead)
            t.is_(r.status_code, 503, "the key's server is down: 503 (try again later)")
            r = requests.post(b.url + "/users/nobody/inbox", data=b"{}", timeout=10)
            t.is_(r.status_code, 404, "inbox of an unknown user: 404")
            r = post("alice", activity(alice, 9), path="/users/bob/inbox")
            t.is_(r.status_code, 401, "signed for another path: 401")
            r = requests.post(b.url + "/users/bob/inbox", data=activity(alice, 9), timeout=20,
                              headers=sign_post(db, "/users/bob/inbox", activity(alice, 9),
                                                *keys["alice"]))
            t.is_(r.status_code, 202, "bob's personal inbox accepts a signed activity")

            # Key rotation: B's cached key fails once, B refetches, it verifies.
            r = ctl(ca, "account", "rotate-key", "alice")
            t.is_(r.returncode, 0, "alice's key rotated on A")
            keys["alice"] = key_of("alice")
            r = post("alice", activity(alice, 10))
            t.is_(r.status_code, 202, "after rotation B refetches the key and accepts")

            # A cached actor older than a day is refreshed in the background.
            pgb.psql("UPDATE accounts SET last_fetched_at = now() - interval '2 days', "
                     "display_name = 'stale' WHERE uri = :'p1'", alice)
            r = post("alice", activity(alice, 11))
            t.is_(r.status_code, 202, "a stale cached key still verifies at once")
            fresh = False
            for _ in range(50):
                rows = pgb.psql("SELECT last_fetched_at > now() - interval '1 minute', display_name "
                                "FROM accounts WHERE uri = :'p1'", alice)
                if rows and rows[0][0] == "t":
                    fresh = True
                    break
                time.sleep(0.1)
            t.ok(fresh, "and the actor is refetched in the background")

        # SSRF: without the allow list, loopback is refused at connect time.
        strict = pgb.config(db, allow_insecure_http_for_development="yes",
                            resolve_override="a.test:%d:127.0.0.1" % pa)
        r = ctl(strict, "remote", "fetch", "http://%s/users/alice" % da)
        t.is_(r.returncode, 1, "a fetch that resolves to loopback is refused")
        t.like(r.stderr, "address not allowed", "with the reason")
        r = ctl(strict, "remote", "fetch", "http://127.0.0.1:%d/users/alice" % pa)
        t.like(r.stderr, "address not allowed", "an IP literal too")


main(test)
