"""A minimal browser for the OAuth sign-in pages, as a person using an app
sees them: GET /oauth/authorize, fill in the sign-in form, press the
approve button on the consent page, and read the authorization code from
the redirect to the app (or from the page that shows it, for
urn:ietf:wg:oauth:2.0:oob).

It knows nothing about Meent's markup: it finds the <form>s on a page,
keeps every hidden input (the CSRF token among them), fills the username
and password fields by their names, and picks the approving submit button
over a deny one. Cookies are kept by hand (name=value, sent back to the
same server whatever their Secure flag) so the flow works over the plain
http of the tests; the Set-Cookie headers seen are kept for inspection.

    b = Browser(d.url)
    code, trail = b.authorize(params, "alice", "secret")
"""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

USER_FIELD = re.compile(r"user|login|email|acct|identifier", re.I)
DENY = re.compile(r"deny|reject|cancel|decline|refuse|weiger|annuleer", re.I)


class Form:
    def __init__(self, attrs):
        self.action = attrs.get("action") or ""
        self.method = (attrs.get("method") or "get").lower()
        self.fields = []        # [name, value, type] of inputs, selects, textareas
        self.buttons = []       # (name, value, text) of submit buttons
        self.selects = {}       # select name -> [(value, selected)]

    def has_password(self):
        return any(f[2] == "password" for f in self.fields)

    def approving_button(self):
        """The submit button that is not a deny button, or None."""
        for b in self.buttons:
            if not DENY.search(" ".join(x or "" for x in b)):
                return b
        return None

    def looks_like_deny(self):
        hidden = " ".join("%s=%s" % (f[0], f[1]) for f in self.fields)
        if re.search(r"_method=delete", hidden, re.I) or DENY.search(self.action):
            return True
        return bool(self.buttons) and self.approving_button() is None


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.form = None
        self.select = None
        self.button = None
        self.textarea = None
        self.text = []          # the page's visible text, for codes shown on it
        self.codes = []         # text of <code> and values of readonly inputs
        self.in_code = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = Form(a)
            self.forms.append(self.form)
        elif tag == "code":
            self.in_code = True
            self.codes.append("")
        elif tag == "input":
            typ = (a.get("type") or "text").lower()
            if "readonly" in a and a.get("value"):
                self.codes.append(a["value"])
            if self.form is None or "disabled" in a:
                return
            if typ in ("submit", "image"):
                self.form.buttons.append((a.get("name"), a.get("value"), a.get("value")))
            elif typ in ("checkbox", "radio"):
                if "checked" in a and a.get("name"):
                    self.form.fields.append([a["name"], a.get("value", "on"), typ])
            elif typ not in ("button", "reset", "file") and a.get("name"):
                self.form.fields.append([a["name"], a.get("value", ""), typ])
        elif tag == "button" and self.form is not None:
            if (a.get("type") or "submit").lower() == "submit":
                self.button = [a.get("name"), a.get("value"), ""]
        elif tag == "select" and self.form is not None and a.get("name"):
            self.select = a["name"]
            self.form.selects[self.select] = []
        elif tag == "option" and self.select is not None:
            self.form.selects[self.select].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and self.form is not None and a.get("name"):
            self.textarea = [a["name"], "", "textarea"]

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "code":
            self.in_code = False
        elif tag == "button" and self.button is not None:
            self.form.buttons.append(tuple(self.button))
            self.button = None
        elif tag == "select" and self.select is not None:
            opts = self.form.selects[self.select]
            chosen = [v for v, sel in opts if sel] or [v for v, _ in opts[:1]]
            if chosen:
                self.form.fields.append([self.select, chosen[0], "select"])
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.form.fields.append(self.textarea)
            self.textarea = None

    def handle_data(self, data):
        self.text.append(data)
        if self.in_code:
            self.codes[-1] += data
        if self.button is not None:
            self.button[2] += data.strip()
        if self.textarea is not None:
            self.textarea[1] += data


def parse_forms(html):
    p = FormParser()
    p.feed(html)
    p.close()
    return p


class Browser:
    """One person's browser against one server (base URL)."""

    def __init__(self, base):
        self.base = base.rstrip("/")
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.base))
        self.s = requests.Session()
        self.cookies = {}
        self.set_cookies = []   # every Set-Cookie header seen, raw

    def _remember(self, r):
        for raw in r.raw.headers.getlist("Set-Cookie") if r.raw is not None else []:
            self.set_cookies.append(raw)
            name, _, rest = raw.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def request(self, method, url, data=None):
        url = urljoin(self.base + "/", url)
        headers = {"Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.origin
        r = self.s.request(method, url, data=data, headers=headers,
                           allow_redirects=False, timeout=15)
        self._remember(r)
        return r

    def authorize(self, query, username, password, max_steps=8):
        """Runs the whole sign-in from GET /oauth/authorize?query. Returns
        (code or None, trail): trail lists (method, url, status) of every
        step and ends with the last response, for diagnostics."""
        trail = []
        r = self.request("GET", "/oauth/authorize?" + query)
        trail.append(("GET", r.url, r.status_code))
        for _ in range(max_steps):
            if r.is_redirect or r.status_code in (301, 302, 303, 307, 308):
                loc = r.headers.get("Location", "")
                code = parse_qs(urlsplit(loc).query).get("code")
                target = urljoin(r.url, loc)
                if code and not target.startswith(self.origin):
                    return code[0], trail + [("redirect", loc, r.status_code)]
                r = self.request("GET", target)
                trail.append(("GET", target, r.status_code))
                continue
            if r.status_code != 200:
                break
            page = parse_forms(r.text)
            form = self.pick_form(page.forms)
            if form is None:
                # The out-of-band page shows the code for the person to copy.
                code = parse_qs(urlsplit(r.url).query).get("code")
                if code:
                    return code[0], trail
                shown = [c.strip() for c in page.codes if c.strip()]
                return (shown[0] if shown else None), trail
            data = self.fill(form, username, password)
            action = urljoin(r.url, form.action or r.url)
            r = self.request(form.method.upper(), action, data=data)
            trail.append((form.method.upper(), action, r.status_code))
        trail.append(("last", r.url, r.status_code))
        return None, trail + [("body", (r.text or "")[:1500], None)]

    @staticmethod
    def pick_form(forms):
        """The sign-in form if there is one, else the approving form."""
        for f in forms:
            if f.has_password():
                return f
        for f in forms:
            if f.method == "post" and not f.looks_like_deny():
                return f
        return None

    @staticmethod
    def fill(form, username, password):
        data = []
        for name, value, typ in form.fields:
            if typ == "password":
                value = password
            elif typ in ("text", "email") and USER_FIELD.search(name) and not value:
                value = username
            data.append((name, value))
        button = form.approving_button()
        if button and button[0]:
            data.append((button[0], button[1] or ""))
        return data
