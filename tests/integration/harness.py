"""Integration test harness: a throw-away PostgreSQL cluster and real
meentd processes on loopback, torn down even when a test fails.

Tests are plain Python scripts that print TAP (see Tap below); automake's
tap-driver runs them. Python 3 with Debian's python3-requests keeps the
tests short to read and needs no extra build step; the server under test
is the real binary.

    from harness import Tap, Cluster, Meentd
    t = Tap()
    with Cluster() as pg:
        conf = pg.config("a.test")
        with Meentd(conf) as d:
            r = d.get("/healthz")
            t.is_(r.status_code, 200, "healthz")
    t.done()
"""

import atexit
import base64
import email.utils
import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("MEENT_SRCDIR") or os.path.abspath(os.path.join(HERE, "..", ".."))
BUILDDIR = os.environ.get("MEENT_BUILDDIR") or SRCDIR
PG_BIN = os.environ.get("MEENT_PG_BIN", "/usr/lib/postgresql/15/bin")
INTEROP = os.path.abspath(os.path.join(SRCDIR, "..", "shared", "interop"))

_cleanups = []
_problems = []         # sanitizer reports and unclean exits, reported by main()

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


def sanitizer_report(text):
    """The first sanitizer report in text, or None."""
    for mark in SANITIZER_MARKS:
        i = text.find(mark)
        if i >= 0:
            return text[max(0, i - 200):i + 1500]
    return None


def schema_version():
    """The highest migration in schema/: what a migrated database is at."""
    names = [n for n in os.listdir(os.path.join(SRCDIR, "schema"))
             if n.endswith(".sql") and n[:4].isdigit()]
    return max(int(n[:4]) for n in names)


def _run_cleanups():
    while _cleanups:
        fn = _cleanups.pop()
        try:
            fn()
        except Exception:  # teardown must go on whatever failed
            traceback.print_exc(file=sys.stderr)


atexit.register(_run_cleanups)
# automake's driver kills a hung test with SIGTERM: clean up then too.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))


class Tap:
    """A TAP producer: ok, is_, like, skip, diag, done."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, msg):
        self.n += 1
        print(("ok" if cond else "not ok") + " %d - %s" % (self.n, msg), flush=True)
        if not cond:
            self.failed += 1
            frame = traceback.extract_stack()[-2]
            self.diag("failed at %s:%d" % (os.path.basename(frame.filename), frame.lineno))
        return bool(cond)

    def is_(self, got, want, msg):
        good = got == want
        if not self.ok(good, msg):
            self.diag("got:  %r" % (got,))
            self.diag("want: %r" % (want,))
        return good

    def like(self, got, needle, msg):
        good = isinstance(got, str) and needle in got
        if not self.ok(good, msg):
            self.diag("got: %r" % (got[:500] if isinstance(got, str) else got,))
            self.diag("missing: %r" % (needle,))
        return good

    def skip(self, msg):
        self.n += 1
        print("ok %d # SKIP %s" % (self.n, msg), flush=True)

    def diag(self, msg):
        for line in str(msg).splitlines() or [""]:
            print("# " + line, flush=True)

    def done(self):
        _run_cleanups()
        print("1..%d" % self.n, flush=True)
        sys.exit(1 if self.failed else 0)


def _sign(key_pem, key_id, lines, names):
    """A cavage-12 rsa-sha256 Signature header over lines (already joined)."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    sig = base64.b64encode(key.sign(lines.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
    return 'keyId="%s",algorithm="rsa-sha256",headers="%s",signature="%s"' % (key_id, names, sig)


def sign_post(host, path, body, key_pem, key_id, date=None, sign_body=None):
    """Headers for a POST signed as Mastodon signs deliveries: (request-target)
    host date digest. sign_body, when given, is what the digest covers
    instead of body (a tampered request)."""
    date = date or email.utils.formatdate(usegmt=True)
    digest = "SHA-256=" + base64.b64encode(hashlib.sha256(sign_body or body).digest()).decode()
    lines = "(request-target): post %s\nhost: %s\ndate: %s\ndigest: %s" % (path, host, date, digest)
    return {"Host": host, "Date": date, "Digest": digest,
            "Content-Type": "application/activity+json",
            "Signature": _sign(key_pem, key_id, lines, "(request-target) host date digest")}


def sign_get(host, target, key_pem, key_id):
    """Headers for a GET signed as Mastodon signs fetches: (request-target) host date."""
    date = email.utils.formatdate(usegmt=True)
    lines = "(request-target): get %s\nhost: %s\ndate: %s" % (target, host, date)
    return {"Host": host, "Date": date, "Accept": "application/activity+json",
            "Signature": _sign(key_pem, key_id, lines, "(request-target) host date")}


def two_instances(**extra):
    """Two federating instances on loopback, a.test and b.test over plain
    http: returns (pa, da), (pb, db) (ports and domains) and the config
    keys both need, with extra added."""
    pa, pb = free_port(), free_port()
    common = dict(allow_insecure_http_for_development="yes",
                  allow_private_addresses="127.0.0.0/8",
                  resolve_override="a.test:%d:127.0.0.1, b.test:%d:127.0.0.1" % (pa, pb),
                  http_threads=2, job_workers=1, job_poll_interval=1)
    common.update(extra)
    return (pa, "a.test:%d" % pa), (pb, "b.test:%d" % pb), common


def wait_for(fn, timeout=15):
    """fn() until it is truthy or timeout seconds pass; its last value."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.1)
    return fn()


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _as_pg_user():
    """initdb and postgres refuse to run as root: use the postgres user."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError("running as root needs the 'postgres' user (apt-get install postgresql)")


class Cluster:
    """A private PostgreSQL cluster in a temporary directory, on a unix
    socket only, tuned for speed (no fsync). Migrated unless told not to."""

    def __init__(self, migrate=True, dbname="meent"):
        self.dir = tempfile.mkdtemp(prefix="meent-test-")
        self.data = os.path.join(self.dir, "pg")
        self.sock = self.dir
        self.dbname = dbname
        self.migrate = migrate
        self.pw = _as_pg_user()
        self.running = False
        self._configs = 0
        os.chmod(self.dir, 0o755)
        if self.pw:
            os.chown(self.dir, self.pw.pw_uid, self.pw.pw_gid)
        _cleanups.append(self.destroy)

    def _cmd(self, argv, **kw):
        if self.pw:
            argv = ["runuser", "-u", "postgres", "--"] + argv
        return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, **kw)

    def conninfo(self):
        return "host=%s user=meent dbname=%s" % (self.sock, self.dbname)

    def __enter__(self):
        r = self._cmd([PG_BIN + "/initdb", "-D", self.data, "-U", "meent",
                       "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "-N"])
        if r.returncode != 0:
            raise RuntimeError("initdb failed:\n" + r.stdout)
        self.start()
        r = self._cmd([PG_BIN + "/createdb", "-h", self.sock, "-U", "meent", self.dbname])
        if r.returncode != 0:
            raise RuntimeError("createdb failed:\n" + r.stdout)
        if self.migrate:
            conf = self.config("setup.test")
            r = ctl(conf, "db", "migrate")
            if r.returncode != 0:
                raise RuntimeError("meentctl db migrate failed:\n" + r.stdout + r.stderr)
        return self

    def __exit__(self, *exc):
        self.destroy()

    def start(self):
        opts = ("-c listen_addresses='' -c unix_socket_directories='%s' -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300 "
                "-c shared_buffers=32MB" % self.sock)
        r = self._cmd([PG_BIN + "/pg_ctl", "-D", self.data, "-l",
                       os.path.join(self.dir, "pg.log"), "-w", "-t", "60", "-o", opts, "start"])
        if r.returncode != 0:
            raise RuntimeError("pg_ctl start failed:\n" + r.stdout + self.log_tail())
        self.running = True

    def stop(self, mode="fast"):
        if not self.running:
            return
        self._cmd([PG_BIN + "/pg_ctl", "-D", self.data, "-m", mode, "-w", "stop"])
        self.running = False

    def log_tail(self, n=30):
        try:
            with open(os.path.join(self.dir, "pg.log")) as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def destroy(self):
        if os.path.isdir(self.dir):
            self.stop("immediate")
            shutil.rmtree(self.dir, ignore_errors=True)

    def psql(self, sql, *params):
        """Runs sql (with psql variables :'p1'.. for params); returns rows
        as lists of strings."""
        argv = ["psql", "-h", self.sock, "-U", "meent", "-d", self.dbname,
                "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"]
        for i, p in enumerate(params, 1):
            argv += ["-v", "p%d=%s" % (i, p)]
        r = subprocess.run(argv, input=sql, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError("psql failed: " + r.stderr)
        return [line.split("\t") for line in r.stdout.splitlines() if line != ""]

    def config(self, domain, **keys):
        """Writes a meent.conf for this cluster; returns its path."""
        self._configs += 1
        path = os.path.join(self.dir, "meent-%d.conf" % self._configs)
        values = {
            "domain": domain,
            "database": self.conninfo(),
            "listen": "127.0.0.1:%d" % free_port(),
            "http_threads": "4",
            "schema_dir": os.path.join(SRCDIR, "schema"),
            "log_level": "info",
            "shutdown_timeout": "5",
            "media_dir": os.path.join(self.dir, "media-%d" % self._configs),
            "web_dir": os.path.join(SRCDIR, "web"),
            # Tests read a page right after changing what it shows.
            "page_cache_ms": "0",
        }
        values.update({k: str(v) for k, v in keys.items()})
        with open(path, "w") as f:
            for k, v in values.items():
                f.write('%s = "%s"\n' % (k, v.replace('"', '')))
        return path


def read_config(path):
    out = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.split("=", 1)
                out[k.strip()] = v.strip().strip('"')
    return out


def binary(name):
    return os.path.join(BUILDDIR, name)


def ctl(conf, *args, env=None):
    """Runs meentctl with conf; returns the CompletedProcess (text)."""
    argv = [binary("meentctl"), "--config", conf] + list(args)
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, env=env, timeout=120)
    report = sanitizer_report(r.stderr)
    if report:
        _problems.append(("meentctl %s ran clean" % " ".join(args[:2]), report))
    return r


def ctl_json(conf, *args):
    """Runs meentctl --json and returns the parsed output; raises on failure."""
    r = ctl(conf, "--json", *args)
    if r.returncode != 0:
        raise RuntimeError("meentctl %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr))
    return json.loads(r.stdout)


class Meentd:
    """A meentd process for conf, started on enter, stopped on exit."""

    def __init__(self, conf, env=None, wait=True):
        self.conf = conf
        cfg = read_config(conf)
        self.listen = cfg["listen"]
        self.url = "http://" + self.listen
        self.log = conf + ".log"
        self.env = dict(os.environ)
        self.env.update(env or {})
        self.wait = wait
        self.proc = None
        self.session = requests.Session()
        _cleanups.append(self.kill)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        self.logf = open(self.log, "ab")
        self.proc = subprocess.Popen([binary("meentd"), "--config", self.conf],
                                     stdout=self.logf, stderr=self.logf, env=self.env)
        if self.wait:
            self.wait_ready("/healthz")

    def wait_ready(self, path="/healthz", timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("meentd exited with %d:\n%s" % (self.proc.returncode, self.log_text(6000)))
            try:
                if requests.get(self.url + path, timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError("meentd not ready in %ds:\n%s" % (timeout, self.log_text(6000)))

    def get(self, path, **kw):
        kw.setdefault("timeout", 10)
        return self.session.get(self.url + path, **kw)

    def request(self, method, path, **kw):
        kw.setdefault("timeout", 10)
        return self.session.request(method, self.url + path, **kw)

    def send(self, sig):
        self.proc.send_signal(sig)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Stops meentd; returns its exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.logf.close()
        # Under the sanitizer build a report does not always crash the
        # process: any report, or a SIGTERM that did not exit 0, is a failure.
        report = sanitizer_report(self.log_text())
        if report or (sig == signal.SIGTERM and self.proc.returncode != 0):
            _problems.append(("meentd (%s) ran clean, exit %s" % (
                os.path.basename(self.conf), self.proc.returncode),
                report or self.log_text(3000)))
        return self.proc.returncode

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def log_text(self, tail=None):
        """meentd's output so far (the last tail characters if given)."""
        try:
            with open(self.log, errors="replace") as f:
                text = f.read()
        except OSError:
            return ""
        return text[-tail:] if tail else text

    def rss_kb(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0


_orgs_made = set()


def local_account(conf, username, org="gov", scopes="read write follow push",
                  password=None, email=None, user=None, role="owner"):
    """Creates (through meentctl) an organisation if needed, a user, a local
    account and the membership, and returns a bearer token with scopes for
    the user acting as the account. user defaults to username; password
    lets the user sign in through OAuth too."""
    user = user or username
    if (conf, org) not in _orgs_made:
        r = ctl(conf, "org", "create", org, "Organisation " + org)
        if r.returncode != 0 and "already exists" not in r.stderr:
            raise RuntimeError("org create: " + r.stderr)
        _orgs_made.add((conf, org))
    argv = ["user", "create", user, "--email", email or (user + "@example.org"),
            "--password-stdin"]
    r = subprocess.run([binary("meentctl"), "--config", conf] + argv,
                       input=(password or base64.b64encode(os.urandom(12)).decode()) + "\n",
                       text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if r.returncode != 0 and "already exists" not in r.stderr:
        raise RuntimeError("user create: " + r.stderr)
    r = ctl(conf, "account", "create", username, "--org", org)
    if r.returncode != 0 and "already exists" not in r.stderr:
        raise RuntimeError("account create: " + r.stderr)
    ctl_json(conf, "member", "add", user, username, "--role", role)
    out = ctl_json(conf, "token", "create", "--user", user, "--account", username,
                   "--scopes", scopes)
    return out["access_token"]


class Api:
    """A Mastodon API client for tests: d.url plus a bearer token."""

    def __init__(self, d, token=None):
        self.d = d
        self.token = token
        self.s = requests.Session()

    def headers(self, extra=None):
        h = {}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        h.update(extra or {})
        return h

    def req(self, method, path, headers=None, **kw):
        kw.setdefault("timeout", 15)
        return self.s.request(method, self.d.url + path, headers=self.headers(headers), **kw)

    def get(self, path, **kw):
        return self.req("GET", path, **kw)

    def post(self, path, **kw):
        return self.req("POST", path, **kw)

    def put(self, path, **kw):
        return self.req("PUT", path, **kw)

    def patch(self, path, **kw):
        return self.req("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.req("DELETE", path, **kw)


ENTITIES = os.path.join(INTEROP, "mastodon-api", "entities")


def entity_example(name):
    """The documented example of a Mastodon entity (Status, Account...)."""
    with open(os.path.join(ENTITIES, name + ".json")) as f:
        return json.load(f)


def shape_problems(got, want, path="", optional=()):
    """Differences in shape between got and the documented example want:
    missing keys, and values whose JSON type differs where the example's
    is not null. Keys in optional may be absent. Returns a list of text."""
    out = []
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return ["%s: %s, want an object" % (path or ".", type(got).__name__)]
        for k, v in want.items():
            if k not in got:
                if k not in optional:
                    out.append("%s.%s: missing" % (path, k))
                continue
            if v is None or got[k] is None:
                if got[k] is None and v is not None and not isinstance(v, (dict, list)) \
                        and k not in optional:
                    out.append("%s.%s: null, example has %r" % (path, k, v))
                continue
            out += shape_problems(got[k], v, path + "." + k, optional)
    elif isinstance(want, list):
        if not isinstance(got, list):
            return ["%s: %s, want a list" % (path, type(got).__name__)]
        if want and got:
            out += shape_problems(got[0], want[0], path + "[0]", optional)
    elif isinstance(want, bool):
        if not isinstance(got, bool):
            out.append("%s: %r, want a boolean" % (path, got))
    elif isinstance(want, (int, float)):
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            out.append("%s: %r, want a number" % (path, got))
    elif isinstance(want, str):
        if not isinstance(got, str):
            out.append("%s: %r, want a string" % (path, got))
    return out


def main(fn):
    """Runs fn(t) so that an exception is reported as a TAP failure, not
    a silent crash, and everything is torn down."""
    t = Tap()
    try:
        fn(t)
    except Exception:
        t.ok(False, "test raised an exception")
        t.diag(traceback.format_exc())
    for what, detail in _problems:
        t.ok(False, what)
        t.diag(detail)
    t.done()
