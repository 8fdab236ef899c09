"""What real clients trip over, checked on any JSON the API returns: the
crash causes the research behind issue 5 found (Ivory on non-numeric ids
and on a boost that reuses the boosted status's id, Tusky on a null
created_at), and entity shapes against the documented examples, including
the examples the docs only give cut short (Notification, Context)."""

import json
import os
import re

from harness import ENTITIES, entity_example, shape_problems

# Fields the documentation's examples show that Mastodon added after 4.3,
# the version Meent reports: a 4.3 server may leave them out, and apps
# that read them treat them as absent on older servers.
NEWER_THAN_43 = ("quotes_count", "quote", "quote_approval", "avatar_description",
                 "header_description", "show_media", "show_media_replies", "show_featured",
                 "feature_approval", "timelines_access", "limited_federation", "min_age",
                 "reason_required", "terms_of_service")
# Only on statuses of the viewer's own account (Mastodon's REST::StatusSerializer).
OWN_ONLY = ("application",)
# Documented as "or null" though the examples show a value.
NULLABLE = ("in_reply_to_id", "in_reply_to_account_id", "language", "last_status_at")

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
NUMERIC = re.compile(r"^[0-9]+$")
# Keys whose value is an id of ours (Mastodon's are numeric strings).
ID_KEY = re.compile(r"^(id|in_reply_to_id|in_reply_to_account_id|account_id|status_id|"
                    r"last_status_id|last_read_id)$")


def walk(obj, path=""):
    """(path, key, value) for every key of every object inside obj."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield path, k, v
            yield from walk(v, path + "." + k)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from walk(v, "%s[%d]" % (path, i))


def id_problems(obj, skip=()):
    """Ids that are not numeric strings (Ivory crashes on them). Keys
    under a path containing one of skip are not ids of ours (a remote
    custom emoji's, a rule's text...)."""
    out = []
    for path, k, v in walk(obj):
        if not ID_KEY.match(k) or any(s in path for s in skip):
            continue
        if v is None and k != "id":
            continue
        if not isinstance(v, str) or not NUMERIC.match(v):
            out.append("%s.%s = %r" % (path, k, v))
    return out


def time_problems(obj):
    """created_at values that are null or not ISO 8601 with milliseconds in
    UTC (Tusky crashes on a null one), and edited_at ones that are set but
    malformed. Not for the Token entity, whose created_at is a Unix time."""
    out = []
    for path, k, v in walk(obj):
        if k == "created_at" and not (isinstance(v, str) and ISO_MS.match(v)):
            out.append("%s.%s = %r" % (path, k, v))
        elif k == "edited_at" and v is not None and not (isinstance(v, str) and ISO_MS.match(v)):
            out.append("%s.%s = %r" % (path, k, v))
    return out


def reblog_problems(statuses):
    """Boosts whose id is the boosted status's (Ivory crashes on them)."""
    out = []
    for s in statuses if isinstance(statuses, list) else [statuses]:
        if isinstance(s, dict) and isinstance(s.get("reblog"), dict):
            if s.get("id") == s["reblog"].get("id"):
                out.append("boost %s reuses the boosted status's id" % s.get("id"))
            if s.get("uri") and s.get("uri") == s["reblog"].get("uri"):
                out.append("boost %s reuses the boosted status's uri" % s.get("id"))
    return out


def crash_problems(obj, skip=()):
    """Every check above at once: what would make Ivory or Tusky crash."""
    return id_problems(obj, skip) + time_problems(obj) + reblog_problems(obj)


def elided_example(name):
    """A documented example the docs cut short with `// ...`: the keys it
    shows, parsed after dropping the comments and the commas they leave."""
    with open(os.path.join(ENTITIES, "elided", name + ".json")) as f:
        text = f.read()
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r",(\s*[}\]])", r"\1", text)
    return json.loads(text)


def status_shape(got, own=False):
    """Shape problems of a Status (and its reblog) against the example."""
    opt = NEWER_THAN_43 + NULLABLE + (() if own else OWN_ONLY)
    out = shape_problems(got, entity_example("Status"), optional=opt)
    if isinstance(got, dict) and isinstance(got.get("reblog"), dict):
        out += shape_problems(got["reblog"], entity_example("Status"), ".reblog",
                              optional=NEWER_THAN_43 + NULLABLE + OWN_ONLY)
    return out


def account_shape(got):
    return shape_problems(got, entity_example("Account"), optional=NEWER_THAN_43 + NULLABLE)


def instance_shape(got):
    """A v2 Instance against the example as it stood in 4.3: the keys the
    documentation marks as added in 4.4 and 4.5 are taken out."""
    ex = entity_example("Instance")
    conf = ex["configuration"]
    ex["thumbnail"].pop("description", None)
    for k in ("status", "about", "privacy_policy", "terms_of_service"):
        conf["urls"].pop(k, None)
    conf["accounts"] = {k: v for k, v in conf["accounts"].items()
                        if k in ("max_featured_tags", "max_pinned_statuses")}
    return shape_problems(got, ex, optional=NEWER_THAN_43 + NULLABLE)


def notification_shape(got):
    """A Notification: the keys of the docs' example, its account an
    Account and its status (when the type has one) a Status."""
    out = shape_problems(got, elided_example("Notification"), optional=("status",) + NULLABLE)
    if isinstance(got, dict):
        out += shape_problems(got.get("account"), entity_example("Account"), ".account",
                              optional=NEWER_THAN_43 + NULLABLE)
        if got.get("type") in ("mention", "status", "reblog", "favourite", "poll", "update"):
            out += shape_problems(got.get("status"), entity_example("Status"), ".status",
                                  optional=NEWER_THAN_43 + NULLABLE + OWN_ONLY)
    return out
