"""The only code that talks HTTP to QuickBooks Online (or to the simulator: every URL is
configurable), with ``requests``. Facts and sources: ../shared/qbo-facts.md.

- OAuth 2.0 (Intuit's token endpoint, HTTP Basic client authentication as intuit-oauth sends
  it): code exchange, refresh, revoke. The refresh token's value rotates (every 24–26 h);
  ``refresh`` returns the token set with ``rotated`` and absolute expiries so the caller stores
  the newest value before anything else (see ``refresh`` for lost answers);
- the Accounting API: read, query with paging, create / sparse update / void / delete, CDC,
  batch, each with ``minorversion`` and, for writes, ``requestid`` (idempotency);
- no hidden retries (the caller's queue owns them), a timeout on every call, typed errors
  (``errors.py``) with QBO's own Fault messages, a Fault inside a 200 raised like any other;
- one log entry per exchange (``log`` callback), shaped as the Xero client's (operation,
  method, url, request_headers, request_body, redacted, status, duration_ms, response_headers,
  response_body, error, messages, tenant_id = the realm, idempotency_key = the requestid), with
  credentials redacted where they are;
- ``Pacer``: per-realm pacing inside QBO's limits, in one process.

No Odoo import here: the client is usable (and tested) on its own.
"""

import base64
import bisect
import json
import threading
import time
from collections import defaultdict, deque
from urllib.parse import urlencode

import requests

from .errors import QboAuthError, QboError, QboTransientError, error_for

PRODUCTION = {
    "authorize_url": "https://appcenter.intuit.com/connect/oauth2",
    "token_url": "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
    "revoke_url": "https://developer.api.intuit.com/v2/oauth2/tokens/revoke",
    "api_url": "https://quickbooks.api.intuit.com",
}
SANDBOX_API_URL = "https://sandbox-quickbooks.api.intuit.com"
SCOPES = "com.intuit.quickbooks.accounting"
MINOR_VERSION = 75        # below 75 is answered as 75 since 1 August 2025
TIMEOUT = (10, 60)        # connect, read (QBO itself gives up after 120 s)
MAX_RESULTS = 1000        # rows per query page
BATCH_MAX = 30            # Intuit's limits page (its batch page says 10): configurable
REQUEST_ID_MAX = 50
BATCH_REQUEST_ID_MAX = 36
WRITABLE = ("Customer", "Vendor", "Item", "Invoice", "Bill", "CreditMemo", "PurchaseOrder")
READABLE = WRITABLE + ("Payment", "BillPayment", "Account", "TaxCode", "TaxRate", "Class", "Department",
                       "CompanyInfo", "Preferences")
SECRET_HEADERS = frozenset({"authorization", "intuit-signature", "cookie", "set-cookie"})
OAUTH_SECRETS = frozenset({"client_secret", "refresh_token", "access_token", "id_token", "code", "token"})
REDACTED = "***"


def redact_headers(headers):
    return {k: (REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in (headers or {}).items()}


def redact_oauth(body):
    if isinstance(body, dict):
        return {k: (REDACTED if str(k).lower() in OAUTH_SECRETS and v else redact_oauth(v)) for k, v in body.items()}
    if isinstance(body, list):
        return [redact_oauth(v) for v in body]
    return body


def check_request_id(request_id, batch=False):
    """``requestid``: ≤ 50 characters, ≤ 36 for a batch (qbo-facts "API shape")."""
    limit = BATCH_REQUEST_ID_MAX if batch else REQUEST_ID_MAX
    if request_id is not None and not 0 < len(request_id) <= limit:
        raise ValueError("A requestid%s has 1 to %d characters: %r" % (" of a batch" if batch else "", limit,
                                                                     request_id))
    return request_id


def token_set(answer, sent_refresh_token=None, sent_at=None):
    """The token endpoint's answer plus what the caller stores: absolute expiries (UNIX time,
    counted from when the request left: never later than Intuit's) and ``rotated`` (the refresh
    token's value changed: store the new one; the old one now answers invalid_grant)."""
    sent_at = time.time() if sent_at is None else sent_at
    out = dict(answer)
    for key, field in (("access_expires_at", "expires_in"), ("refresh_expires_at", "x_refresh_token_expires_in"),
                       ("hard_expires_at", "x_refresh_token_hard_expires_in")):
        try:
            out[key] = sent_at + int(answer[field])
        except (KeyError, TypeError, ValueError):
            out[key] = None
    out["rotated"] = bool(sent_refresh_token) and answer.get("refresh_token") != sent_refresh_token
    return out


class Pacer:
    """Keeps one process's calls per realm inside QBO's limits (qbo-facts "Limits"): 10 per
    second, 500 per minute, 40 batch requests per minute — with a margin (``headroom``), since
    other processes and QBO's own clock count too. After a 429, ``pause`` holds the realm.

    ``delay(realm, batch)`` says how long to wait without waiting (a queue re-schedules);
    ``acquire`` waits and takes a slot. The clock and sleep are injectable for tests."""

    def __init__(self, per_second=10, per_minute=500, batch_per_minute=40, headroom=0.9, clock=time.monotonic,
                 sleep=time.sleep):
        self.limits = ((1.0, max(1, int(per_second * headroom))), (60.0, max(1, int(per_minute * headroom))))
        self.batch_limit = (60.0, max(1, int(batch_per_minute * headroom)))
        self.clock, self.sleep = clock, sleep
        self._lock = threading.Lock()
        self._calls = defaultdict(deque)    # realm -> times
        self._batches = defaultdict(deque)  # realm -> times
        self._paused = {}                   # realm -> until

    def _wait(self, realm, batch, now):
        wait = max(0.0, self._paused.get(realm, 0.0) - now)
        checks = [(self._calls[realm], span, limit) for span, limit in self.limits]
        if batch:
            checks.append((self._batches[realm], *self.batch_limit))
        for times in {id(t): t for t, _s, _l in checks}.values():  # one deque per realm, kept a minute
            while times and times[0] <= now - 60.0:
                times.popleft()
        for times, span, limit in checks:
            recent = len(times) - bisect.bisect_right(times, now - span)
            if recent >= limit:  # wait until the limit-th most recent call leaves the window
                wait = max(wait, times[len(times) - limit] + span - now)
        return wait

    def delay(self, realm, batch=False):
        with self._lock:
            return self._wait(realm, batch, self.clock())

    def acquire(self, realm, batch=False):
        """Wait until a call is allowed, then count it. -> seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock()
                wait = self._wait(realm, batch, now)
                if wait <= 0:
                    self._calls[realm].append(now)
                    if batch:
                        self._batches[realm].append(now)
                    return waited
            self.sleep(wait)
            waited += wait

    def pause(self, realm, seconds):
        with self._lock:
            self._paused[realm] = max(self._paused.get(realm, 0.0), self.clock() + seconds)


class QboClient:
    def __init__(self, settings, log=None, timeout=None, pacer=None, session=None):
        """``settings``: client_id, client_secret and optionally authorize_url, token_url,
        revoke_url, api_url (the simulator's base URL; default Intuit's production), minorversion,
        batch_max. ``log(entry)`` receives one dict per exchange; ``pacer`` (a ``Pacer``) is
        consulted before every Accounting call."""
        self.settings = dict(PRODUCTION, **{k: v for k, v in settings.items() if v})
        self.log = log
        self.timeout = timeout or TIMEOUT
        self.pacer = pacer
        self.minorversion = int(self.settings.get("minorversion") or MINOR_VERSION)
        self.batch_max = int(self.settings.get("batch_max") or BATCH_MAX)
        self.http = session or requests.Session()

    # --- OAuth 2.0 --------------------------------------------------------------------------
    def authorize_url(self, redirect_uri, state, scopes=SCOPES):
        return "%s?%s" % (self.settings["authorize_url"], urlencode({
            "client_id": self.settings["client_id"], "response_type": "code", "scope": scopes,
            "redirect_uri": redirect_uri, "state": state}))

    def _basic(self):
        pair = "%s:%s" % (self.settings["client_id"], self.settings["client_secret"])
        return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode(), "Accept": "application/json"}

    def _token_call(self, form, operation, sent_refresh_token=None):
        sent_at = time.time()
        data, _headers = self._send("POST", self.settings["token_url"], operation, form=form, headers=self._basic(),
                                    oauth=True)
        if not isinstance(data, dict) or not data.get("access_token") or not data.get("refresh_token"):
            raise QboAuthError("Intuit's token endpoint answered without tokens.", body=redact_oauth(data))
        return token_set(data, sent_refresh_token, sent_at)

    def exchange_code(self, code, redirect_uri):
        """The callback's ``code`` -> token set (the realm is the callback's ``realmId``)."""
        return self._token_call({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
                                "token")

    def refresh(self, refresh_token):
        """-> token set; store ``refresh_token`` (``rotated`` says it changed) before using the
        access token. The caller refreshes one realm at a time (under a lock): two concurrent
        refreshes are how peers lose their token (intuit/oauth-jsclient#138).

        A lost answer raises QboTransientError with ``answer_lost``: keep the token sent and send
        it again. Intuit changes the value only every 24–26 h, so a retry mostly gets the same
        value back; if the lost answer did rotate it, the retry answers ``invalid_grant``
        (QboAuthError, ``grant_refused``) and the company needs a new consent — that is why the
        caller should refresh ahead of need (access tokens live an hour) rather than at the last
        moment, and keep a refresh's answer in the same transaction that stores it."""
        return self._token_call({"grant_type": "refresh_token", "refresh_token": refresh_token}, "refresh",
                                sent_refresh_token=refresh_token)

    def revoke(self, token):
        """Disconnect: revokes the whole grant (the refresh or the access token may be sent).
        A token Intuit no longer knows is already revoked: the goal is reached."""
        try:
            self._send("POST", self.settings["revoke_url"], "revoke", body={"token": token}, headers=self._basic(),
                       oauth=True)
        except QboError as exc:
            if exc.status != 400:
                raise
            return False
        return True

    # --- Accounting API ----------------------------------------------------------------------
    def call(self, access_token, realm, method, path, body=None, params=None, request_id=None, operation=None,
             context=None, batch=False):
        """One Accounting API call on ``/v3/company/<realm>/<path>``. -> (data, headers).
        ``request_id``: QBO's ``requestid`` (a repeat returns the first answer, applies nothing)."""
        params = dict(params or {}, minorversion=self.minorversion)
        if request_id:
            params["requestid"] = check_request_id(request_id, batch)
        if self.pacer:
            self.pacer.acquire(realm, batch=batch)
        headers = {"Authorization": "Bearer %s" % access_token, "Accept": "application/json"}
        url = "%s/v3/company/%s/%s" % (self.settings["api_url"].rstrip("/"), realm, path.lstrip("/"))
        try:
            return self._send(method, url, operation or "%s %s" % (method, path.split("?")[0]), body=body,
                              params=params, headers=headers, scope="batch" if batch else "realm",
                              context=dict(context or {}, tenant_id=realm, idempotency_key=request_id))
        except QboError as exc:
            if self.pacer and getattr(exc, "retry_after", None):
                self.pacer.pause(realm, exc.retry_after)
            raise

    def get(self, access_token, realm, entity, obj_id):
        """``GET /<entity>/<id>`` -> the object."""
        _check(entity, READABLE)
        path = entity.lower() if entity in ("CompanyInfo", "Preferences") else "%s/%s" % (entity.lower(), obj_id)
        if entity == "CompanyInfo":
            path = "companyinfo/%s" % realm
        data, _ = self.call(access_token, realm, "GET", path, operation="read %s" % entity)
        return data[entity]

    def query(self, access_token, realm, select, start=1, max_results=MAX_RESULTS):
        """One page: ``select`` without paging clauses -> (rows, QueryResponse). The entity's
        rows are under the QueryResponse key named like it; a page without rows has none."""
        text = "%s STARTPOSITION %d MAXRESULTS %d" % (select.strip().rstrip(";"), start, max_results)
        data, _ = self.call(access_token, realm, "GET", "query", params={"query": text},
                            operation="query %s" % _entity_of(select))
        response = data.get("QueryResponse") or {}
        rows = next((v for k, v in response.items() if isinstance(v, list)), [])
        return rows, response

    def query_all(self, access_token, realm, select, page_size=MAX_RESULTS):
        """Every row, page after page (STARTPOSITION 1, 1 + page_size, …) until a short page.
        Add ``ORDERBY Id`` (or another stable order) to ``select`` when rows may change meanwhile."""
        rows, start = [], 1
        while True:
            page, _response = self.query(access_token, realm, select, start, page_size)
            rows.extend(page)
            if len(page) < page_size:
                return rows
            start += page_size

    def save(self, access_token, realm, entity, body, request_id=None):
        """``POST /<entity>``: creates, or updates when ``body`` has Id + SyncToken (add
        ``"sparse": True`` to change only the fields sent). -> the object QBO saved."""
        _check(entity, WRITABLE)
        data, _ = self.call(access_token, realm, "POST", entity.lower(), body=body, request_id=request_id,
                            operation="%s %s" % ("update" if body.get("Id") else "create", entity))
        return data[entity]

    def sparse_update(self, access_token, realm, entity, obj_id, sync_token, fields, request_id=None):
        """Only ``fields`` change (a ``Line`` list replaces all lines). A stale ``sync_token``
        raises QboStaleObject (5010)."""
        body = dict(fields, Id=str(obj_id), SyncToken=str(sync_token), sparse=True)
        return self.save(access_token, realm, entity, body, request_id=request_id)

    def void(self, access_token, realm, entity, obj_id, sync_token, request_id=None):
        return self._operation(access_token, realm, entity, obj_id, sync_token, "void", request_id)

    def delete(self, access_token, realm, entity, obj_id, sync_token, request_id=None):
        return self._operation(access_token, realm, entity, obj_id, sync_token, "delete", request_id)

    def _operation(self, access_token, realm, entity, obj_id, sync_token, operation, request_id):
        _check(entity, WRITABLE)
        data, _ = self.call(access_token, realm, "POST", entity.lower(), body={"Id": str(obj_id),
                                                                               "SyncToken": str(sync_token)},
                            params={"operation": operation}, request_id=request_id,
                            operation="%s %s" % (operation, entity))
        return data[entity]

    def cdc(self, access_token, realm, entities, changed_since):
        """``GET /cdc`` -> {entity: [objects]} changed at or after ``changed_since`` (an ISO
        time, at most 30 days back; a deleted object is ``{"Id", "status": "Deleted"}``)."""
        data, _ = self.call(access_token, realm, "GET", "cdc", params={
            "entities": ",".join(entities), "changedSince": changed_since}, operation="cdc")
        out = {name: [] for name in entities}
        for cdc in data.get("CDCResponse") or ():
            for response in cdc.get("QueryResponse") or ():
                for key, value in response.items():
                    if isinstance(value, list):
                        out.setdefault(key, []).extend(value)
        return out

    def batch(self, access_token, realm, items, request_id=None):
        """``POST /batch``: ``items`` are BatchItemRequest dicts ({"bId", "operation", "<Entity>":
        {...}} or {"bId", "Query"}). -> {bId: {"entity", "object", "error", "query"}} — each
        element on its own: ``error`` a QboError for a failed element (the others succeeded)."""
        if not items or len(items) > self.batch_max:
            raise ValueError("A batch holds 1 to %d items, not %d" % (self.batch_max, len(items or ())))
        bids = [str(item.get("bId") or "") for item in items]
        if not all(bids) or len(set(bids)) != len(bids):
            raise ValueError("Each batch item needs its own bId")
        data, _ = self.call(access_token, realm, "POST", "batch", body={"BatchItemRequest": list(items)},
                            request_id=request_id, operation="batch", batch=True)
        out = {}
        for answer in data.get("BatchItemResponse") or ():
            bid = str(answer.get("bId") or "")
            entity = next((k for k in answer if k not in ("bId", "Fault", "QueryResponse")), None)
            error = error_for(None, {"Fault": answer["Fault"]}) if answer.get("Fault") else None
            out[bid] = {"entity": entity, "object": answer.get(entity) if entity else None, "error": error,
                        "query": answer.get("QueryResponse")}
        missing = [b for b in bids if b not in out]
        for bid in missing:  # never silently: an element without an answer is unknown, not done
            out[bid] = {"entity": None, "object": None, "query": None,
                        "error": QboTransientError("QuickBooks returned no answer for batch item %s" % bid)}
        return out

    # --- transport -----------------------------------------------------------------------------
    def _send(self, method, url, operation, body=None, form=None, params=None, headers=None, context=None,
              oauth=False, scope="realm"):
        """``oauth``: an identity endpoint's call, whose form and answer carry secrets (redacted
        in the log entry, which then says ``redacted``)."""
        headers = dict(headers or {})
        redact = redact_oauth if oauth else (lambda value: value)
        data_arg = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data_arg = json.dumps(body, default=str)
        elif form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            data_arg = form
        entry = dict(context or {}, operation=operation, method=method,
                     url=url + ("?" + urlencode(params) if params else ""), request_headers=redact_headers(headers),
                     request_body=redact(body if body is not None else form), redacted=oauth)
        started = time.monotonic()
        status, raw, resp_headers, error = None, None, {}, None
        try:
            try:
                resp = self.http.request(method, url, params=params, data=data_arg, headers=headers,
                                         timeout=self.timeout, allow_redirects=False)
            except requests.RequestException as exc:
                # a read timeout or a reset after sending: the request may have been applied
                lost = not isinstance(exc, requests.ConnectTimeout | requests.exceptions.InvalidURL)
                error = QboTransientError("No answer from QuickBooks: %s" % exc.__class__.__name__, answer_lost=lost)
                raise error from exc
            status, raw, resp_headers = resp.status_code, resp.text, dict(resp.headers)
            data = _decode(raw)
            if oauth and status >= 400:
                error = _oauth_error(status, data)
            else:
                error = error_for(status, data, resp_headers, scope=scope)
            if error is not None:
                raise error
            if not oauth and not isinstance(data, dict):
                error = QboTransientError("QuickBooks answered %s without JSON" % status, status=status, body=data)
                raise error
            return data, resp_headers
        finally:
            if self.log:
                entry.update(status=status, duration_ms=int((time.monotonic() - started) * 1000),
                             response_headers=redact_headers(resp_headers),
                             response_body=redact(_decode(raw)) if raw else None,
                             error=str(error) if error else None, messages=getattr(error, "messages", None) or [])
                self.log(entry)


def _oauth_error(status, data):
    body = data if isinstance(data, dict) else {}
    code = body.get("error")
    text = "Intuit refused the credentials: %s" % (body.get("error_description") or code or status)
    if status >= 500:
        return QboTransientError(text, status=status, body=data)
    return QboAuthError(text, status=status, body=data, oauth_error=code)


def _decode(raw):
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _check(entity, allowed):
    if entity not in allowed:
        raise ValueError("%s is not an entity this client %s" % (entity, "writes" if allowed is WRITABLE
                                                                  else "reads"))


def _entity_of(select):
    words = select.split()
    upper = [w.upper() for w in words]
    return words[upper.index("FROM") + 1] if "FROM" in upper[:-1] else "?"
