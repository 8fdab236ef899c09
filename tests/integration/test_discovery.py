"""Federation I discovery: WebFinger, host-meta, NodeInfo (validated
against the schemas in shared/interop/discovery) and actor documents,
including the instance actor, suspended and deleted accounts."""

import json
import os
import xml.etree.ElementTree as ET

import jsonschema

from harness import INTEROP, Cluster, Meentd, ctl, main

AP = {"Accept": "application/activity+json"}
LD = {"Accept": 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'}


def check(t, r, what):
    if r.returncode != 0:
        t.diag("%s failed: %s %s" % (what, r.stdout, r.stderr))
    return r.returncode == 0


def test(t):
    with Cluster() as pg:
        conf = pg.config("a.test", instance_name="Rijksoverheid Social")
        t.ok(check(t, ctl(conf, "org", "create", "minbzk", "Ministerie van BZK"), "org create") and
             check(t, ctl(conf, "account", "create", "Alice", "--org", "minbzk",
                          "--display-name", "Alice Ambtenaar"), "account create") and
             check(t, ctl(conf, "account", "create", "dienst", "--org", "minbzk",
                          "--type", "Organization", "--locked"), "account create") and
             check(t, ctl(conf, "account", "create", "gone", "--org", "minbzk"), "account create") and
             check(t, ctl(conf, "account", "create", "paused", "--org", "minbzk"), "account create"),
             "accounts created with meentctl")
        pg.psql("UPDATE accounts SET deleted_at = now() WHERE username = 'gone'")
        check(t, ctl(conf, "account", "suspend", "paused"), "account suspend")
        with Meentd(conf) as d:
            # WebFinger
            r = d.get("/.well-known/webfinger?resource=acct:alice@a.test")
            t.is_(r.status_code, 200, "webfinger finds acct: case-insensitively")
            t.like(r.headers.get("Content-Type", ""), "application/jrd+json", "JRD content type")
            t.is_(r.headers.get("Access-Control-Allow-Origin"), "*", "CORS allowed")
            jrd = r.json()
            t.is_(jrd["subject"], "acct:Alice@a.test", "subject spelled as the account")
            t.is_(jrd["aliases"], ["https://a.test/@Alice", "https://a.test/users/Alice"], "aliases")
            links = {l["rel"]: l for l in jrd["links"]}
            t.is_(links["self"], {"rel": "self", "type": "application/activity+json",
                                  "href": "https://a.test/users/Alice"}, "self link")
            t.is_(links["http://webfinger.net/rel/profile-page"]["href"], "https://a.test/@Alice",
                  "profile page link")
            t.is_(links["http://ostatus.org/schema/1.0/subscribe"]["template"],
                  "https://a.test/authorize_interaction?uri={uri}", "subscribe template")
            for res in ("https://a.test/@alice", "https://a.test/users/Alice"):
                r = d.get("/.well-known/webfinger", params={"resource": res})
                t.is_((r.status_code, r.json().get("subject")), (200, "acct:Alice@a.test"),
                      "resource given as %s" % res)
            for res, code in (("acct:nobody@a.test", 404), ("acct:alice@b.test", 404),
                              ("acct:gone@a.test", 410), ("alice", 400), ("", 400)):
                r = d.get("/.well-known/webfinger", params={"resource": res})
                t.is_(r.status_code, code, "resource %r: %d" % (res, code))
                t.ok("error" in r.json(), "with a JSON error")
            r = d.get("/.well-known/webfinger")
            t.is_(r.status_code, 400, "missing resource: 400")
            r = d.get("/.well-known/webfinger", params={"resource": "acct:a.test@a.test"})
            t.is_(r.json()["links"][1]["href"], "https://a.test/actor",
                  "acct:domain@domain is the instance actor")

            # host-meta
            r = d.get("/.well-known/host-meta")
            t.like(r.headers.get("Content-Type", ""), "application/xrd+xml", "host-meta is XRD")
            link = ET.fromstring(r.content).find("{http://docs.oasis-open.org/ns/xri/xrd-1.0}Link")
            t.is_(link.get("template"), "https://a.test/.well-known/webfinger?resource={uri}",
                  "lrdd template")
            r = d.get("/.well-known/host-meta", headers={"Accept": "application/json"})
            t.is_(r.json()["links"][0]["template"],
                  "https://a.test/.well-known/webfinger?resource={uri}", "host-meta as JSON")

            # NodeInfo
            r = d.get("/.well-known/nodeinfo")
            hrefs = {l["rel"].rsplit("/", 1)[1]: l["href"] for l in r.json()["links"]}
            t.is_(hrefs, {"2.0": "https://a.test/nodeinfo/2.0", "2.1": "https://a.test/nodeinfo/2.1"},
                  "nodeinfo discovery links 2.0 and 2.1")
            for v in ("2.0", "2.1"):
                doc = d.get("/nodeinfo/" + v).json()
                with open(os.path.join(INTEROP, "discovery", "nodeinfo", "schemas", v,
                                       "schema.json")) as f:
                    schema = json.load(f)
                try:
                    jsonschema.validate(doc, schema)
                    t.ok(True, "nodeinfo %s validates against the schema" % v)
                except jsonschema.ValidationError as e:
                    t.ok(False, "nodeinfo %s validates: %s" % (v, e.message))
                t.is_(doc["software"]["name"], "meent", "software name")
                t.is_(doc["openRegistrations"], False, "registrations closed")
                t.is_(doc["usage"]["users"]["total"], 2,
                      "users: local, not deleted, not suspended, not the instance actor")
                t.is_(doc["metadata"]["nodeName"], "Rijksoverheid Social", "node name")
            t.is_(d.get("/nodeinfo/9.9").status_code, 404, "unknown nodeinfo version 404")

            # Actors
            for hdr in (AP, LD):
                r = d.get("/users/alice", headers=hdr)
                t.is_(r.status_code, 200, "actor served for Accept: %s" % hdr["Accept"])
            t.like(r.headers.get("Content-Type", ""), "application/activity+json", "AP content type")
            a = r.json()
            t.ok("https://www.w3.org/ns/activitystreams" in a["@context"] and
                 "https://w3id.org/security/v1" in a["@context"], "AS and security contexts")
            ext = a["@context"][2]
            t.ok(all(k in ext for k in ("toot", "schema", "PropertyValue", "discoverable",
                                        "indexable", "featured", "alsoKnownAs", "movedTo")),
                 "toot and schema extensions in the context")
            base = "https://a.test/users/Alice"
            t.is_((a["id"], a["type"], a["preferredUsername"], a["name"]),
                  (base, "Person", "Alice", "Alice Ambtenaar"), "id, type, names")
            t.is_((a["inbox"], a["outbox"], a["followers"], a["following"], a["featured"]),
                  (base + "/inbox", base + "/outbox", base + "/followers", base + "/following",
                   base + "/collections/featured"), "collection URLs as Mastodon lays them out")
            t.is_(a["endpoints"], {"sharedInbox": "https://a.test/inbox"}, "shared inbox")
            t.is_(a["url"], "https://a.test/@Alice", "profile URL")
            t.is_(a["publicKey"]["id"], base + "#main-key", "key id")
            t.is_(a["publicKey"]["owner"], base, "key owner")
            t.like(a["publicKey"]["publicKeyPem"], "-----BEGIN PUBLIC KEY-----", "PEM public key")
            t.is_((a["manuallyApprovesFollowers"], a["discoverable"], a["indexable"]),
                  (False, True, True), "flags")
            t.ok(a["published"].endswith("T00:00:00Z"), "published date as Mastodon gives it")
            t.is_((a["attachment"], a["tag"]), ([], []), "no fields, no emoji")
            t.ok("suspended" not in a, "not suspended")

            a = d.get("/users/dienst", headers=AP).json()
            t.is_((a["type"], a["manuallyApprovesFollowers"]), ("Organization", True),
                  "Organization type and locked account")

            r = d.get("/users/alice", allow_redirects=False)
            t.is_((r.status_code, r.headers.get("Location")), (302, "https://a.test/@Alice"),
                  "a browser is sent to the profile page")
            t.like(r.headers.get("Vary", ""), "Accept", "Vary: Accept")

            r = d.get("/users/gone", headers=AP)
            t.is_(r.status_code, 410, "deleted account: 410 Gone")
            t.is_(r.json().get("type"), "Tombstone", "with a Tombstone")
            a = d.get("/users/paused", headers=AP).json()
            t.is_((a.get("suspended"), a["name"], a["summary"]), (True, "", ""),
                  "suspended account: suspended flag and no profile")
            t.like(a["publicKey"]["publicKeyPem"], "PUBLIC KEY", "but still its key")
            t.is_(d.get("/users/nobody", headers=AP).status_code, 404, "unknown actor 404")

            a = d.get("/actor", headers=AP).json()
            t.is_((a["id"], a["type"], a["preferredUsername"]),
                  ("https://a.test/actor", "Application", "a.test"), "instance actor")
            t.is_(a["publicKey"]["id"], "https://a.test/actor#main-key", "instance actor key id")
            t.is_(d.get("/users/a.test", headers=AP).status_code, 404,
                  "the instance actor is not a user")
            n = pg.psql("SELECT count(*) FROM accounts WHERE actor_type = 'Application'")
            t.is_(n, [["1"]], "one instance actor")
        # A second node on the same database does not make another.
        with Meentd(pg.config("a.test")):
            pass
        t.is_(pg.psql("SELECT count(*) FROM accounts WHERE actor_type = 'Application'"), [["1"]],
              "still one instance actor after a second start")


main(test)
