"""Every activity and object in shared/interop/activities goes through inbox
processing: each is queued as an "inbox" job signed by a remote account
whose URI is the document's actor (or a stand-in), and meentd's job
threads process them all without crash, hang or sanitizer report (under
the check build), every job ending done or dead, the server still
answering afterwards."""

import json
import os
import time

from harness import INTEROP, Cluster, Meentd, ctl, main

ACTIVITY_TYPES = {"Create", "Update", "Delete", "Follow", "Accept", "Reject", "Undo", "Like",
                  "Announce", "Block", "Flag", "Move", "Add", "Remove", "EmojiReact",
                  "ChatMessage", "Question", "Note", "Article", "Page", "Video", "Event",
                  "Join", "Leave", "Invite", "Lock", "Dislike", "View", "Listen"}


def corpus():
    """(path, document) for each JSON activity or object in the corpus."""
    root = os.path.join(INTEROP, "activities")
    for dirpath, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith(".json"):
                continue
            path = os.path.join(dirpath, name)
            try:
                with open(path, encoding="utf-8") as f:
                    doc = json.load(f)
            except (ValueError, UnicodeDecodeError):
                continue
            if not isinstance(doc, dict):
                continue
            t = doc.get("type")
            t = t[0] if isinstance(t, list) and t else t
            if isinstance(t, str) and t in ACTIVITY_TYPES:
                yield os.path.relpath(path, root), doc


def lit(value):
    """value as a SQL json literal, dollar-quoted: too big for a psql variable."""
    text = json.dumps(value)
    assert "$corpus$" not in text
    return "$corpus$%s$corpus$::json" % text


def actor_of(doc):
    a = doc.get("actor") or doc.get("attributedTo")
    if isinstance(a, list) and a:
        a = a[0]
    if isinstance(a, dict):
        a = a.get("id")
    return a if isinstance(a, str) and a else "https://stand-in.example/users/x"


def test(t):
    docs = list(corpus())
    t.ok(len(docs) > 100, "the corpus has %d activities and objects" % len(docs))
    with Cluster() as pg:
        conf = pg.config("corpus.test", job_workers=2, job_poll_interval=1)
        ctl(conf, "org", "create", "o", "O")
        ctl(conf, "account", "create", "local", "--org", "o")
        actors = sorted({actor_of(d) for _, d in docs})
        rows = [{"uri": a, "username": "u%d" % i, "domain": "remote%d.example" % i}
                for i, a in enumerate(actors)]
        pg.psql("INSERT INTO accounts (uri, username, domain, inbox_url) "
                "SELECT r->>'uri', r->>'username', r->>'domain', (r->>'uri') || '/inbox' "
                "FROM json_array_elements(%s) r" % lit(rows))
        jobs = []
        for path, doc in docs:
            # Objects alone are wrapped as Mastodon would receive them.
            act = doc if doc.get("actor") else {"id": str(doc.get("id", path)) + "#create",
                                                "type": "Create", "actor": actor_of(doc),
                                                "object": doc}
            if not isinstance(act.get("id"), str):
                act = dict(act, id="https://stand-in.example/%s" % path)
            jobs.append({"activity": act, "uri": actor_of(doc)})
        pg.psql("INSERT INTO jobs (kind, queue, payload) "
                "SELECT 'inbox', 'inbox', jsonb_build_object('activity', j->'activity', "
                "'signer', (SELECT id FROM accounts WHERE uri = j->>'uri')) "
                "FROM json_array_elements(%s) j" % lit(jobs))
        with Meentd(conf) as d:
            deadline = time.time() + 120
            left = None
            while time.time() < deadline:
                left = pg.psql("SELECT count(*) FROM jobs WHERE kind = 'inbox' "
                               "AND state NOT IN ('done', 'dead')")[0][0]
                if left == "0":
                    break
                time.sleep(0.3)
            t.is_(left, "0", "all %d inbox jobs finished" % len(jobs))
            states = dict(pg.psql("SELECT state, count(*) FROM jobs WHERE kind = 'inbox' "
                                  "GROUP BY state"))
            t.ok(sum(int(v) for v in states.values()) == len(jobs),
                 "every job accounted for: %s" % states)
            t.is_(d.get("/readyz").status_code, 200, "meentd still serves")
            stored = pg.psql("SELECT count(*) FROM statuses")[0][0]
            t.ok(int(stored) > 10, "notes from the corpus were stored (%s)" % stored)
            bad = pg.psql("SELECT count(*) FROM statuses WHERE content ~* "
                          "'<script|javascript:|\\son[a-z]+='")[0][0]
            t.is_(bad, "0", "no stored content carries script, javascript: or event handlers")


main(test)
