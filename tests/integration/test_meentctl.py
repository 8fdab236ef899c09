"""meentctl against a real PostgreSQL: organisations, users, accounts,
memberships and tokens; their errors and exit codes; --json and --help;
what ends up in the database (hashes, never secrets; keys; URIs)."""

import hashlib
import json
import os
import pty
import select
import shutil
import subprocess
import time

from harness import Cluster, binary, main

COMMANDS = [
    ("org", "create"), ("org", "list"),
    ("user", "create"), ("user", "list"), ("user", "passwd"),
    ("user", "disable"), ("user", "enable"),
    ("account", "create"), ("account", "list"), ("account", "suspend"),
    ("account", "unsuspend"), ("account", "rotate-key"),
    ("member", "add"), ("member", "remove"), ("member", "list"),
    ("token", "create"), ("token", "list"), ("token", "revoke"),
    ("db", "migrate"), ("db", "status"),
]

SANITIZER_MARKS = ("LeakSanitizer", "AddressSanitizer", "runtime error:")
sanitizer_reports = []


def run(conf, *args, input=None, new_session=False):
    """Runs meentctl; returns the CompletedProcess. Sanitizer reports on
    stderr are collected, so that a leak fails the test."""
    argv = [binary("meentctl"), "--config", conf] + list(args)
    r = subprocess.run(argv, input=input if input is not None else "",
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=120, start_new_session=new_session)
    if any(m in r.stderr for m in SANITIZER_MARKS):
        sanitizer_reports.append((args, r.stderr[-3000:]))
    return r


def run_json(t, conf, *args, input=None):
    r = run(conf, "--json", *args, input=input)
    if r.returncode != 0:
        t.diag("meentctl %s: %d %s" % (" ".join(args), r.returncode, r.stderr))
        return None
    try:
        return json.loads(r.stdout)
    except ValueError:
        t.diag("not JSON: %r" % r.stdout[:500])
        return None


def refused(t, r, code, needle, msg):
    """r failed with exit code code and a stderr line containing needle."""
    good = r.returncode == code and needle.lower() in r.stderr.lower()
    if not t.ok(good, msg):
        t.diag("exit %d, stderr: %r" % (r.returncode, r.stderr[:400]))
    return good


def run_pty(conf, args, answers, timeout=30):
    """Runs meentctl on a pseudo-terminal (its controlling terminal) and
    answers each prompt in turn; returns (exit code, everything shown)."""
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execv(binary("meentctl"), [binary("meentctl"), "--config", conf] + args)
        finally:
            os._exit(127)
    out = b""
    deadline = time.time() + timeout
    pending = list(answers)
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.5)
        if not r:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        if pending and out.rstrip().endswith(b":"):
            os.write(fd, pending.pop(0).encode() + b"\n")
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    if any(m in out.decode(errors="replace") for m in SANITIZER_MARKS):
        sanitizer_reports.append((args, out.decode(errors="replace")[-3000:]))
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


# psql prints one row a line: PEM newlines come back as "~".
pem_cols = "replace(public_key_pem, chr(10), '~'), replace(private_key_pem, chr(10), '~')"


def key_bits(pem):
    """The size of an RSA public key, via the openssl tool."""
    r = subprocess.run(["openssl", "pkey", "-pubin", "-noout", "-text"], input=pem,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in r.stdout.splitlines():
        if "Public-Key:" in line:
            return int(line.split("(")[1].split()[0])
    return None


def test_help_and_usage(t, conf):
    for group, cmd in COMMANDS:
        r = run(conf, group, cmd, "--help")
        t.ok(r.returncode == 0 and ("usage: meentctl %s %s" % (group, cmd)) in r.stdout,
             "%s %s --help exits 0 with its usage" % (group, cmd))
    r = run(conf, "frobnicate", "now")
    refused(t, r, 2, "unknown command group", "unknown group: exit 2")
    r = run(conf, "user", "frobnicate")
    refused(t, r, 2, "unknown user command", "unknown command: exit 2")
    r = run(conf, "org", "create", "only-slug")
    refused(t, r, 2, "missing argument", "missing argument: exit 2")
    r = run(conf, "org", "list", "extra")
    refused(t, r, 2, "unexpected argument", "extra argument: exit 2")
    r = run(conf, "org", "list", "--bogus")
    refused(t, r, 2, "unknown option", "unknown option: exit 2")
    r = run(conf, "org", "create", "x", "X", "--url")
    refused(t, r, 2, "needs a value", "option without its value: exit 2")


def test_orgs(t, pg, conf):
    o = run_json(t, conf, "org", "create", "bzk", "Ministerie van BZK",
                 "--description", "Binnenlandse Zaken", "--url", "https://www.rijksoverheid.nl/")
    t.ok(o is not None and o["slug"] == "bzk" and o["name"] == "Ministerie van BZK"
         and o["url"] == "https://www.rijksoverheid.nl/" and o["id"].isdigit(),
         "org create --json")
    r = run(conf, "org", "create", "utrecht", "Gemeente Utrecht")
    t.ok(r.returncode == 0 and "created organisation utrecht" in r.stdout, "org create text")
    r = run(conf, "org", "create", "bzk", "Another name")
    refused(t, r, 1, "organisation 'bzk' already exists", "duplicate org: exit 1, already exists")
    r = run(conf, "org", "create", "Bad_Slug", "Name")
    refused(t, r, 2, "slug", "bad slug: exit 2")
    r = run(conf, "org", "create", "ok-slug", "")
    refused(t, r, 2, "name", "empty name: exit 2")
    r = run(conf, "org", "create", "ok-slug", "Name", "--url", "javascript:alert(1)")
    refused(t, r, 2, "https://", "bad url: exit 2")
    orgs = run_json(t, conf, "org", "list")
    t.is_([x["slug"] for x in orgs or []], ["bzk", "utrecht"], "org list --json")
    r = run(conf, "org", "list")
    t.ok(r.returncode == 0 and "Gemeente Utrecht" in r.stdout, "org list text")


def test_users(t, pg, conf):
    u = run_json(t, conf, "user", "create", "jan", "--email", "jan@bzk.example",
                 "--role", "admin", "--password-stdin", input="hunter2hunter2\n")
    t.ok(u is not None and u["username"] == "jan" and u["role"] == "admin"
         and "password" not in json.dumps(u), "user create --json, no hash in output")
    r = run(conf, "user", "create", "piet", "--password-stdin", input="piet-secret-1\n")
    t.is_(r.returncode, 0, "user create text")
    r = run(conf, "user", "create", "marie", "--password-stdin", input="marie-secret-1")
    t.is_(r.returncode, 0, "password without a final newline")
    rows = pg.psql("SELECT username, password_hash, role FROM users ORDER BY username")
    t.is_([x[0] for x in rows], ["jan", "marie", "piet"], "users stored")
    t.ok(all(x[1].startswith("$argon2id$v=19$m=19456,t=2,p=1$") for x in rows),
         "passwords stored as Argon2id PHC strings")
    t.ok(not any("hunter2" in x[1] or "piet-secret" in x[1] for x in rows),
         "no password in clear")
    t.is_(rows[0][2], "admin", "role stored")
    dump = pg.psql("SELECT string_agg(t::text, ' ') FROM users t")[0][0]
    t.ok("hunter2hunter2" not in dump, "password nowhere in the users table")

    r = run(conf, "user", "create", "jan", "--password-stdin", input="another-pw\n")
    refused(t, r, 1, "user 'jan' already exists", "duplicate user: exit 1")
    r = run(conf, "user", "create", "JAN", "--password-stdin", input="another-pw\n")
    refused(t, r, 1, "already exists", "duplicate user in other case: exit 1")
    r = run(conf, "user", "create", "janneke", "--email", "JAN@bzk.example",
            "--password-stdin", input="another-pw\n")
    refused(t, r, 1, "e-mail", "duplicate e-mail: exit 1 naming the e-mail")
    r = run(conf, "user", "create", "kees", "--password-stdin", input="short\n")
    refused(t, r, 2, "at least 8", "short password refused, minimum named")
    r = run(conf, "user", "create", "kees", "--password-stdin", input="")
    refused(t, r, 2, "no password", "no password on stdin refused")
    r = run(conf, "user", "create", "kees", "--password-stdin", input="x" * 2000 + "\n")
    refused(t, r, 2, "too long", "over-long password refused")
    r = run(conf, "user", "create", "kees", "--role", "god", "--password-stdin",
            input="long-enough\n")
    refused(t, r, 2, "role", "bad role: exit 2")
    r = run(conf, "user", "create", "kees smit", "--password-stdin", input="long-enough\n")
    refused(t, r, 2, "user name", "bad user name: exit 2")
    r = run(conf, "user", "create", "kees", "--email", "not-an-address",
            "--password-stdin", input="long-enough\n")
    refused(t, r, 2, "e-mail", "bad e-mail: exit 2")
    r = run(conf, "user", "create", "kees", new_session=True)
    refused(t, r, 2, "--password-stdin", "no terminal and no --password-stdin: exit 2")
    t.is_(pg.psql("SELECT count(*) FROM users WHERE username = 'kees'"), [["0"]],
          "no user made by the refused commands")

    # The terminal path: prompts twice with echo off.
    code, shown = run_pty(conf, ["user", "create", "tty-user"], ["tty-password", "tty-password"])
    t.is_(code, 0, "user create on a terminal")
    t.ok("Password:" in shown and "Repeat password:" in shown, "prompts shown")
    t.ok("tty-password" not in shown, "password not echoed")
    code, shown = run_pty(conf, ["user", "create", "tty-user2"], ["tty-password", "different"])
    t.is_(code, 2, "mismatched repeat refused")
    t.like(shown, "do not match", "says the passwords differ")

    users = run_json(t, conf, "user", "list")
    t.ok(users is not None and [x["username"] for x in users] ==
         ["jan", "marie", "piet", "tty-user"], "user list --json")
    t.ok(users and all(x["has_password"] and not x["disabled"] for x in users),
         "user list flags")
    r = run(conf, "user", "list")
    t.ok(r.returncode == 0 and "jan" in r.stdout and "admin" in r.stdout, "user list text")

    old = pg.psql("SELECT password_hash FROM users WHERE username = 'piet'")[0][0]
    r = run(conf, "user", "passwd", "PIET", "--password-stdin", input="new-secret-99\n")
    t.is_(r.returncode, 0, "user passwd (name in any case)")
    new = pg.psql("SELECT password_hash FROM users WHERE username = 'piet'")[0][0]
    t.ok(new != old and new.startswith("$argon2id$"), "passwd stores a new Argon2id hash")
    r = run(conf, "user", "passwd", "nobody", "--password-stdin", input="new-secret-99\n")
    refused(t, r, 1, "not found", "passwd of unknown user: exit 1")
    r = run(conf, "user", "passwd", "piet", "--password-stdin", input="short\n")
    refused(t, r, 2, "at least 8", "passwd with a short password: exit 2")


def test_accounts(t, pg, conf):
    a = run_json(t, conf, "account", "create", "minbzk", "--org", "bzk",
                 "--display-name", "Ministerie van BZK", "--type", "Organization")
    t.ok(a is not None and a["uri"] == "https://a.test/users/minbzk", "account create --json")
    row = pg.psql("SELECT a.domain IS NULL, o.slug, actor_type, uri, a.url, inbox_url,"
                  " outbox_url, shared_inbox_url, followers_url, following_url, featured_url,"
                  " key_id, display_name, locked, bot, " + pem_cols +
                  " FROM accounts a JOIN organisations o ON o.id = a.organisation_id"
                  " WHERE username = 'minbzk'")[0]
    t.is_(row[0:3], ["t", "bzk", "Organization"], "local, in bzk, an Organization")
    t.is_(row[3:12], [
        "https://a.test/users/minbzk", "https://a.test/@minbzk",
        "https://a.test/users/minbzk/inbox", "https://a.test/users/minbzk/outbox",
        "https://a.test/inbox", "https://a.test/users/minbzk/followers",
        "https://a.test/users/minbzk/following",
        "https://a.test/users/minbzk/collections/featured",
        "https://a.test/users/minbzk#main-key"], "Mastodon's URL layout")
    t.is_(row[12:15], ["Ministerie van BZK", "f", "f"], "display name, not locked, not a bot")
    t.ok(row[15].startswith("-----BEGIN PUBLIC KEY-----"), "public key PEM stored")
    t.ok(row[16].startswith("-----BEGIN PRIVATE KEY-----"), "private key PEM stored")
    if shutil.which("openssl"):
        t.is_(key_bits(row[15].replace("~", "\n")), 2048, "a 2048-bit RSA key")
    else:
        t.skip("no openssl tool to read the key size")
    t.is_(pg.psql("SELECT statuses_count, followers_count, following_count FROM account_stats"
                  " s JOIN accounts a ON a.id = s.account_id WHERE a.username = 'minbzk'"),
          [["0", "0", "0"]], "account_stats row made")

    r = run(conf, "account", "create", "bzk_pers", "--org", "bzk", "--type", "Service", "--locked")
    t.ok(r.returncode == 0 and "@bzk_pers@a.test" in r.stdout, "account create text")
    t.is_(pg.psql("SELECT locked, bot, actor_type FROM accounts WHERE username = 'bzk_pers'"),
          [["t", "t", "Service"]], "--locked, and a Service is a bot")
    r = run(conf, "account", "create", "utrecht", "--org", "utrecht")
    t.is_(r.returncode, 0, "account in a second organisation")

    r = run(conf, "account", "create", "minbzk", "--org", "bzk")
    refused(t, r, 1, "account 'minbzk' already exists", "duplicate account: exit 1")
    r = run(conf, "account", "create", "MinBZK", "--org", "utrecht")
    refused(t, r, 1, "already exists", "duplicate account in other case: exit 1")
    r = run(conf, "account", "create", "nieuw", "--org", "nosuchorg")
    refused(t, r, 1, "organisation 'nosuchorg' not found", "unknown org: exit 1")
    r = run(conf, "account", "create", "nieuw")
    refused(t, r, 2, "--org", "missing --org: exit 2")
    for name in ("admin", "inbox", "users", "api", "oauth", "well-known", "Settings"):
        r = run(conf, "account", "create", name, "--org", "bzk")
        refused(t, r, 2, "reserved", "reserved name %s refused" % name)
    for name in (".dot", "dash-", "with space", "a" * 31, "caf\u00e9"):
        r = run(conf, "account", "create", name, "--org", "bzk")
        refused(t, r, 2, "username", "bad username %r refused" % name)
    r = run(conf, "account", "create", "A.test", "--org", "bzk")
    refused(t, r, 2, "instance actor", "the instance domain is no username")
    r = run(conf, "account", "create", "nieuw", "--org", "bzk", "--type", "Robot")
    refused(t, r, 2, "--type", "bad type: exit 2")
    r = run(conf, "account", "create", "nieuw", "--org", "bzk", "--display-name", "x" * 101)
    refused(t, r, 2, "display-name", "over-long display name: exit 2")
    t.is_(pg.psql("SELECT count(*) FROM accounts"), [["3"]], "no account from refused commands")

    accts = run_json(t, conf, "account", "list")
    t.is_([x["username"] for x in accts or []], ["bzk_pers", "minbzk", "utrecht"],
          "account list --json")
    accts = run_json(t, conf, "account", "list", "--org", "utrecht")
    t.is_([x["username"] for x in accts or []], ["utrecht"], "account list --org")
    r = run(conf, "account", "list", "--org", "nosuchorg")
    refused(t, r, 1, "not found", "account list of unknown org: exit 1")
    r = run(conf, "account", "list")
    t.ok(r.returncode == 0 and "minbzk" in r.stdout and "Organization" in r.stdout,
         "account list text")

    s = run_json(t, conf, "account", "suspend", "utrecht")
    t.ok(s is not None and s["suspended_at"], "account suspend --json")
    t.is_(pg.psql("SELECT suspended_at IS NOT NULL FROM accounts WHERE username = 'utrecht'"),
          [["t"]], "suspended_at set")
    r = run(conf, "account", "unsuspend", "utrecht")
    t.ok(r.returncode == 0 and "unsuspended" in r.stdout, "account unsuspend")
    t.is_(pg.psql("SELECT suspended_at IS NULL FROM accounts WHERE username = 'utrecht'"),
          [["t"]], "suspended_at cleared")
    r = run(conf, "account", "suspend", "nobody")
    refused(t, r, 1, "not found", "suspend unknown account: exit 1")

    before = pg.psql("SELECT " + pem_cols + ", key_id FROM accounts"
                     " WHERE username = 'minbzk'")[0]
    r = run(conf, "account", "rotate-key", "minbzk")
    t.ok(r.returncode == 0 and "refetch" in r.stdout, "rotate-key says remote servers refetch")
    after = pg.psql("SELECT " + pem_cols + ", key_id FROM accounts"
                    " WHERE username = 'minbzk'")[0]
    t.ok(after[0] != before[0] and after[0].startswith("-----BEGIN PUBLIC KEY-----"),
         "rotate-key changes public_key_pem")
    t.ok(after[1] != before[1], "rotate-key changes the private key")
    t.is_(after[2], before[2], "rotate-key keeps the key id")
    k = run_json(t, conf, "account", "rotate-key", "minbzk")
    t.ok(k is not None and k["key_id"] == "https://a.test/users/minbzk#main-key"
         and k["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----"), "rotate-key --json")
    r = run(conf, "account", "rotate-key", "nobody")
    refused(t, r, 1, "not found", "rotate-key of unknown account: exit 1")


def test_members(t, pg, conf):
    # Two users run one account; one user runs two accounts.
    m = run_json(t, conf, "member", "add", "jan", "minbzk", "--role", "owner")
    t.ok(m is not None and m["role"] == "owner" and m["created"], "member add --json")
    r = run(conf, "member", "add", "piet", "minbzk")
    t.ok(r.returncode == 0 and "editor" in r.stdout, "second user on one account (default editor)")
    r = run(conf, "member", "add", "jan", "utrecht", "--role", "manager")
    t.is_(r.returncode, 0, "one user on a second account")
    r = run(conf, "member", "add", "piet", "minbzk", "--role", "manager")
    t.ok(r.returncode == 0 and "was editor" in r.stdout, "member add again changes the role")
    t.is_(pg.psql("SELECT u.username, a.username, m.role FROM memberships m"
                  " JOIN users u ON u.id = m.user_id JOIN accounts a ON a.id = m.account_id"
                  " ORDER BY 2, 1"),
          [["jan", "minbzk", "owner"], ["piet", "minbzk", "manager"],
           ["jan", "utrecht", "manager"]], "memberships stored")

    r = run(conf, "member", "add", "nobody", "minbzk")
    refused(t, r, 1, "user 'nobody' not found", "member add of unknown user: exit 1")
    r = run(conf, "member", "add", "jan", "nobody")
    refused(t, r, 1, "account 'nobody' not found", "member add to unknown account: exit 1")
    r = run(conf, "member", "add", "jan", "minbzk", "--role", "admin")
    refused(t, r, 2, "role", "bad member role: exit 2")

    ms = run_json(t, conf, "member", "list", "minbzk")
    t.is_(sorted((x["user"], x["role"]) for x in ms or []),
          [("jan", "owner"), ("piet", "manager")], "member list ACCOUNT")
    ms = run_json(t, conf, "member", "list")
    t.is_(len(ms or []), 3, "member list of everything")
    r = run(conf, "member", "list", "nobody")
    refused(t, r, 1, "not found", "member list of unknown account: exit 1")
    r = run(conf, "member", "list")
    t.ok(r.returncode == 0 and "utrecht" in r.stdout, "member list text")

    r = run(conf, "member", "add", "marie", "bzk_pers")
    t.is_(r.returncode, 0, "member add marie")
    r = run(conf, "member", "remove", "marie", "bzk_pers")
    t.ok(r.returncode == 0 and "no longer" in r.stdout, "member remove")
    r = run(conf, "member", "remove", "marie", "bzk_pers")
    refused(t, r, 1, "not a member", "removing a non-member: exit 1")

    # The instance actor (schema 0002, made by meentd) is nobody's to run.
    pg.psql("INSERT INTO accounts (username, actor_type, uri, public_key_pem, private_key_pem)"
            " VALUES ('a.test', 'Application', 'https://a.test/actor', 'pub', 'priv')")
    r = run(conf, "member", "add", "jan", "a.test")
    refused(t, r, 1, "not found", "no membership of the instance actor")
    r = run(conf, "account", "suspend", "a.test")
    refused(t, r, 1, "not found", "the instance actor is not suspended from here")
    r = run(conf, "account", "rotate-key", "a.test")
    refused(t, r, 1, "not found", "nor re-keyed")
    accts = run_json(t, conf, "account", "list")
    t.ok(accts is not None and "a.test" not in [x["username"] for x in accts],
         "account list leaves the instance actor out")


def test_tokens(t, pg, conf):
    r = run(conf, "token", "create", "--user", "marie", "--account", "minbzk",
            "--scopes", "read write")
    refused(t, r, 1, "not a member", "token for a non-member refused")
    r = run(conf, "token", "create", "--user", "jan", "--account", "minbzk",
            "--scopes", "read bogus")
    refused(t, r, 2, "unknown scope 'bogus'", "unknown scope refused, named")
    r = run(conf, "token", "create", "--user", "jan", "--account", "minbzk", "--scopes", "crypto")
    refused(t, r, 2, "unknown scope", "removed crypto scope refused")
    r = run(conf, "token", "create", "--user", "jan", "--account", "minbzk", "--scopes", "")
    refused(t, r, 2, "no scopes", "empty scopes refused")
    r = run(conf, "token", "create", "--user", "nobody", "--account", "minbzk")
    refused(t, r, 1, "user 'nobody' not found", "token for unknown user: exit 1")
    r = run(conf, "token", "create", "--user", "jan", "--account", "nobody")
    refused(t, r, 1, "account 'nobody' not found", "token for unknown account: exit 1")
    r = run(conf, "token", "create", "--account", "minbzk")
    refused(t, r, 2, "--user", "token create without --user: exit 2")
    t.is_(pg.psql("SELECT count(*) FROM oauth_tokens"), [["0"]], "no token from refusals")

    r = run(conf, "token", "create", "--user", "jan", "--account", "minbzk",
            "--scopes", "read  write follow read")
    tok = r.stdout.strip()
    t.ok(r.returncode == 0 and len(tok) == 43 and "\n" not in tok,
         "token create prints the token alone on stdout")
    t.like(r.stderr, "shown only this once", "and says so on stderr")
    rows = pg.psql("SELECT token_hash, scopes, application_id IS NULL, u.username, a.username"
                   " FROM oauth_tokens t JOIN users u ON u.id = t.user_id"
                   " JOIN accounts a ON a.id = t.account_id")
    t.is_(rows, [[hashlib.sha256(tok.encode()).hexdigest(), "read write follow", "t",
                  "jan", "minbzk"]], "only the SHA-256 stored, scopes normalised, no app")
    dump = "\n".join("\t".join(x) for x in pg.psql("SELECT t::text FROM oauth_tokens t"))
    t.ok(tok not in dump, "the token itself is not in the database")

    j = run_json(t, conf, "token", "create", "--user", "jan", "--account", "utrecht",
                 "--scopes", "read:statuses write:media admin:read:accounts")
    t.ok(j is not None and len(j["access_token"]) == 43
         and j["scopes"] == "read:statuses write:media admin:read:accounts"
         and j["account"] == "utrecht", "token create --json")
    j2 = run_json(t, conf, "token", "create", "--user", "piet", "--account", "minbzk")
    t.ok(j2 is not None and j2["scopes"] == "read", "default scope read")

    lst = run_json(t, conf, "token", "list", "--user", "jan")
    t.ok(lst is not None and len(lst) == 2 and not any(x["revoked"] for x in lst),
         "token list --user")
    t.ok(j is not None and lst is not None and j["access_token"] not in json.dumps(lst)
         and tok not in json.dumps(lst), "token list shows no secrets")
    r = run(conf, "token", "list", "--user", "jan")
    t.ok(r.returncode == 0 and "minbzk" in r.stdout and tok not in r.stdout, "token list text")
    r = run(conf, "token", "list", "--user", "nobody")
    refused(t, r, 1, "not found", "token list of unknown user: exit 1")

    rv = run_json(t, conf, "token", "revoke", j2["id"] if j2 else "0")
    t.ok(rv is not None and rv["revoked_at"] and not rv["already_revoked"], "token revoke")
    r = run(conf, "token", "revoke", j2["id"] if j2 else "0")
    t.ok(r.returncode == 0 and "already" in r.stdout, "revoking twice is fine")
    r = run(conf, "token", "revoke", "123")
    refused(t, r, 1, "not found", "revoke unknown token: exit 1")
    r = run(conf, "token", "revoke", "12abc")
    refused(t, r, 2, "not a token id", "revoke with a bad id: exit 2")

    # Leaving an account revokes the tokens that acted as it.
    r = run(conf, "member", "remove", "jan", "utrecht")
    t.ok(r.returncode == 0 and "1 token(s) revoked" in r.stdout, "member remove revokes tokens")
    t.is_(pg.psql("SELECT a.username, t.revoked_at IS NOT NULL FROM oauth_tokens t"
                  " JOIN accounts a ON a.id = t.account_id JOIN users u ON u.id = t.user_id"
                  " WHERE u.username = 'jan' ORDER BY t.id"),
          [["minbzk", "f"], ["utrecht", "t"]], "only the token for that account revoked")

    # Disabling a user revokes every token of the user.
    r = run(conf, "token", "create", "--user", "jan", "--account", "minbzk", "--scopes", "push")
    t.is_(r.returncode, 0, "another token")
    d = run_json(t, conf, "user", "disable", "jan")
    t.ok(d is not None and d["tokens_revoked"] == 2 and d["disabled_at"], "user disable --json")
    t.is_(pg.psql("SELECT count(*) FROM oauth_tokens t JOIN users u ON u.id = t.user_id"
                  " WHERE u.username = 'jan' AND t.revoked_at IS NULL"), [["0"]],
          "disabled user's tokens revoked")
    t.is_(pg.psql("SELECT count(*) FROM oauth_tokens WHERE revoked_at IS NULL"), [["0"]],
          "other users' tokens untouched (piet's was revoked by hand)")
    r = run(conf, "token", "create", "--user", "jan", "--account", "minbzk")
    refused(t, r, 1, "disabled", "no token for a disabled user")
    users = run_json(t, conf, "user", "list")
    t.ok(users is not None and [x["disabled"] for x in users if x["username"] == "jan"] == [True],
         "user list shows disabled")
    r = run(conf, "user", "disable", "nobody")
    refused(t, r, 1, "not found", "disable unknown user: exit 1")
    r = run(conf, "user", "enable", "jan")
    t.ok(r.returncode == 0 and "enabled" in r.stdout, "user enable")
    t.is_(pg.psql("SELECT disabled_at IS NULL FROM users WHERE username = 'jan'"), [["t"]],
          "disabled_at cleared")
    t.is_(pg.psql("SELECT count(*) FROM oauth_tokens t JOIN users u ON u.id = t.user_id"
                  " WHERE u.username = 'jan' AND t.revoked_at IS NULL"), [["0"]],
          "enable does not bring tokens back")

    r = run(conf, "account", "suspend", "bzk_pers")
    r = run(conf, "member", "add", "piet", "bzk_pers")
    r = run(conf, "token", "create", "--user", "piet", "--account", "bzk_pers")
    refused(t, r, 1, "suspended", "no token for a suspended account")


def test_db_errors(t, pg):
    bad = pg.config("a.test", database="host=%s user=meent dbname=meent"
                    % os.path.join(pg.dir, "no-such-dir"))
    for args in (["org", "list"], ["user", "create", "x", "--password-stdin"],
                 ["token", "list", "--user", "jan"]):
        r = run(bad, *args, input="long-enough\n")
        refused(t, r, 3, "database", "database unreachable: exit 3 (%s)" % " ".join(args))


def test(t):
    with Cluster() as pg:
        conf = pg.config("a.test")
        test_help_and_usage(t, conf)
        test_orgs(t, pg, conf)
        test_users(t, pg, conf)
        test_accounts(t, pg, conf)
        test_members(t, pg, conf)
        test_tokens(t, pg, conf)
        test_db_errors(t, pg)
        t.ok(not sanitizer_reports, "no sanitizer reports from any meentctl run")
        for args, err in sanitizer_reports[:3]:
            t.diag("meentctl %s:\n%s" % (" ".join(args), err))


main(test)
