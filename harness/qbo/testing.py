"""Helpers for driving the QBO simulator from tests, demos and benchmarks (no pytest here):
walk the consent page as a person would (pick one company, press Connect) with ``requests``."""

from html import unescape
from urllib.parse import parse_qs, urlencode, urlparse

import requests

from ..testing import _ATTR, _INPUT

SCOPE = "com.intuit.quickbooks.accounting"


def consent_form(html):
    """-> (hidden fields, realmIds offered) of the consent page."""
    hidden, realms = {}, []
    for attrs_text in _INPUT.findall(html):
        attrs = {m.group(1).lower(): unescape(m.group(2) or m.group(3) or m.group(4) or "")
                 for m in _ATTR.finditer(attrs_text)}
        if attrs.get("type") == "hidden":
            hidden[attrs["name"]] = attrs.get("value", "")
        elif attrs.get("type") == "radio" and attrs.get("name") == "realmId":
            realms.append(attrs.get("value"))
    return hidden, realms


def approve_consent(authorize_url, realm=None, decision="allow", session=None):
    """Open the consent page, pick ``realm`` (default: the first offered), answer. -> the
    redirect URL (with code, state, realmId — or error), not followed."""
    http = session or requests.Session()
    page = http.get(authorize_url, timeout=30)
    if page.status_code != 200:
        raise RuntimeError("consent page answered %s: %s" % (page.status_code, page.text[:300]))
    hidden, offered = consent_form(page.text)
    data = dict(hidden, decision=decision, realmId=realm or offered[0])
    parsed = urlparse(authorize_url)
    resp = http.post("%s://%s/connect/oauth2" % (parsed.scheme, parsed.netloc), data=data,
                     allow_redirects=False, timeout=30)
    if resp.status_code != 302:
        raise RuntimeError("consent answered %s: %s" % (resp.status_code, resp.text[:300]))
    return resp.headers["Location"]


def authorize_url(base_url, client_id, redirect_uri, scope=SCOPE, state="xyz"):
    return "%s/connect/oauth2?%s" % (base_url.rstrip("/"), urlencode({
        "client_id": client_id, "response_type": "code", "scope": scope, "redirect_uri": redirect_uri,
        "state": state}))


def query_of(url):
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def connect(base_url, client_id, client_secret, redirect_uri, realm=None):
    """The whole code flow: -> token response dict with ``realmId`` added."""
    back = query_of(approve_consent(authorize_url(base_url, client_id, redirect_uri), realm))
    if "code" not in back:
        raise RuntimeError("consent refused: %r" % back)
    resp = requests.post(base_url.rstrip("/") + "/oauth2/v1/tokens/bearer", auth=(client_id, client_secret), data={
        "grant_type": "authorization_code", "code": back["code"], "redirect_uri": redirect_uri}, timeout=30)
    resp.raise_for_status()
    return dict(resp.json(), realmId=back["realmId"])
