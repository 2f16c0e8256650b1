"""Helpers for driving a running harness from tests, demos and benchmarks (no pytest here).

``Admin`` wraps the admin API; ``approve_consent`` walks the OAuth consent page the way a
person would (GET the page, tick organisations, press Allow) using only ``requests``.
"""

import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlparse

import requests

_INPUT = re.compile(r"<input\b([^>]*)>", re.I)
_OPTION = re.compile(r"<option value='([^']*)'>([^<]*)</option>", re.I)
_ATTR = re.compile(r"""(\w+)=(?:'([^']*)'|"([^"]*)"|(\S+))""")


class Admin:
    def __init__(self, base_url, session=None):
        self.base = base_url.rstrip("/") + "/__harness__"
        self.http = session or requests.Session()

    def _call(self, method, path, body=None):
        resp = self.http.request(method, self.base + path, json=body, timeout=30)
        if resp.status_code >= 400:
            raise RuntimeError("harness admin %s %s -> %s %s" % (method, path, resp.status_code, resp.text))
        return resp.json()

    def get(self, path):
        return self._call("GET", path)

    def post(self, path, body=None):
        return self._call("POST", path, body or {})

    def delete(self, path):
        return self._call("DELETE", path)

    # shortcuts
    def state(self):
        return self.get("/state")

    def reset(self, seed=None):
        return self.post("/reset", {"seed": seed})

    def client(self, **spec):
        return self.post("/clients", spec)

    def update_client(self, client_id, **changes):
        return self.post("/clients/%s" % client_id, changes)

    def fault(self, kind, **spec):
        return self.post("/faults", dict(spec, kind=kind))

    def limits(self, **settings):
        return self.post("/limits", settings)

    def flush_webhooks(self, timeout=10):
        return self.post("/webhooks/flush", {"timeout": timeout})

    def pay(self, tenant, invoice_id, amount, **extra):
        return self.post("/payments", dict(extra, tenant=tenant, InvoiceID=invoice_id, Amount=amount))

    def edit_document(self, tenant, collection, doc_id, **change):
        """A change behind the connector's back: Status=, UnitAmount= or remove=True (admin.py)."""
        return self.post("/documents/edit", dict(change, tenant=tenant, collection=collection, id=doc_id))

    def records(self, kind, tenant):
        return self.state().get(kind, {}).get(tenant, [])

    def add_user(self, email, given_name="", family_name="", **extra):
        """A Xero user who can sign in (the consent page's "Signed in to Xero as")."""
        return self.post("/users", dict(extra, email=email, given_name=given_name, family_name=family_name))

    def id_token_fault(self, kind, count=1):
        """The next ``count`` ID tokens come out wrong: signature, audience, issuer, nonce,
        no_nonce, expired, alg_hs256 or alg_none (identity.ID_TOKEN_FAULTS)."""
        return self.post("/identity/id-token-faults", {"kind": kind, "count": count})


def form_fields(html):
    """Hidden and checkbox inputs of the consent form: -> (hidden dict, tenant values)."""
    hidden, tenants = {}, []
    for attrs_text in _INPUT.findall(html):
        attrs = {m.group(1).lower(): unescape(m.group(2) or m.group(3) or m.group(4) or "")
                 for m in _ATTR.finditer(attrs_text)}
        if attrs.get("type") == "hidden":
            hidden[attrs["name"]] = attrs.get("value", "")
        elif attrs.get("type") == "checkbox" and attrs.get("name") == "tenant":
            tenants.append(attrs.get("value"))
    return hidden, tenants


def approve_consent(authorize_url, tenants=None, decision="allow", session=None, user=None):
    """Open the consent page at ``authorize_url`` and answer it.

    ``tenants``: organisation IDs to tick (None = all shown); ``user``: the email of the Xero
    user signed in (None = the first listed). Returns the redirect URL the harness sends the
    browser to (with ``code``/``state`` or ``error``), not following it.
    """
    http = session or requests.Session()
    page = http.get(authorize_url, timeout=30)
    if page.status_code != 200:
        raise RuntimeError("consent page answered %s: %s" % (page.status_code, page.text[:300]))
    hidden, shown = form_fields(page.text)
    chosen = shown if tenants is None else [t for t in shown if t in tenants]
    data = list(hidden.items()) + [("tenant", t) for t in chosen] + [("decision", decision)]
    if user:
        people = {unescape(text).rsplit("<", 1)[-1].rstrip(">").lower(): value
                  for value, text in _OPTION.findall(page.text)}
        if user.lower() not in people:
            raise RuntimeError("no Xero user %s on the consent page (known: %s)" % (user, ", ".join(people)))
        data.append(("user", people[user.lower()]))
    parsed = urlparse(authorize_url)
    post_url = "%s://%s/identity/connect/authorize" % (parsed.scheme, parsed.netloc)
    resp = http.post(post_url, data=data, allow_redirects=False, timeout=30)
    if resp.status_code != 302:
        raise RuntimeError("consent answered %s: %s" % (resp.status_code, resp.text[:300]))
    return resp.headers["Location"]


def authorize_url(base_url, client_id, redirect_uri, scopes, state="xyz", **extra):
    query = dict(extra, response_type="code", client_id=client_id, redirect_uri=redirect_uri,
                 scope=" ".join(scopes), state=state)
    return "%s/identity/connect/authorize?%s" % (base_url.rstrip("/"), urlencode(query))


def query_of(url):
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def connect(base_url, client_id, client_secret, redirect_uri, scopes, tenants=None):
    """The whole code flow, as a script would do it: -> token response dict."""
    back = query_of(approve_consent(authorize_url(base_url, client_id, redirect_uri, scopes), tenants))
    if "code" not in back:
        raise RuntimeError("consent refused: %r" % back)
    resp = requests.post(base_url.rstrip("/") + "/identity/connect/token", data={
        "grant_type": "authorization_code", "code": back["code"], "redirect_uri": redirect_uri,
        "client_id": client_id, "client_secret": client_secret}, timeout=30)
    resp.raise_for_status()
    return resp.json()
