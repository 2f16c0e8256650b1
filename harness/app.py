"""The WSGI application: routing, the HTTP shape of Xero's answers, and nothing else.

State and rules live in ``identity``, ``accounting``, ``limits``, ``webhooks`` and
``faults``; pages in ``pages`` and the admin API in ``admin``. Paths match Xero's
case-insensitively (xero-python asks for ``/Connections``), so a client changes base URLs only.
"""

import socket
import threading
import time
from collections import deque
from urllib.parse import urlencode

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from . import admin, pages
from .accounting import Books, lockdates
from .accounting import history as record_history
from .accounting.query import QueryError
from .clock import Clock
from .faults import Faults
from .identity import AuthFailure, Identity, OAuthError
from .limits import Limits, RateLimited
from .store import Store
from .webhooks import Webhooks
from .xerojson import (
    api_exception,
    dumps,
    loads,
    msdate,
    new_id,
    not_found_body,
    parse_http_date,
    post_data_invalid,
    problem,
    validation_exception,
)

API_PREFIX = ("api.xro", "2.0")
MAX_BODY = 3_500_000          # Xero refuses requests over 3.5 MB
IDEMPOTENCY_TTL = 24 * 3600   # undocumented by Xero; 24 h of simulated time here
JSON = "application/json; charset=utf-8"


def json_response(body, status=200, headers=None):
    return Response(dumps(body) if body is not None else "", status=status,
                    headers=headers or {}, content_type=JSON)


class HarnessApp:
    def __init__(self, store=None, clock=None, limits=True, public_url="http://127.0.0.1:8070"):
        self.store = store if store is not None else Store()
        self.clock = clock if clock is not None else Clock()
        self.public_url = public_url.rstrip("/")
        self.identity = Identity(self.store, self.clock)
        self.identity.issuer = lambda: self.public_url  # the ID tokens' iss and the discovery's issuer
        self.webhooks = Webhooks(self.store, self.clock, self.identity, lambda: self.public_url)
        self.books = Books(self.store, self.clock, on_event=self.webhooks.emit)
        self.limits = Limits(self.clock, enabled=limits)
        self.faults = Faults()
        self.recent = deque(maxlen=300)
        self._recent_lock = threading.Lock()

    # --- WSGI -----------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        started = time.monotonic()
        tenant = request.headers.get("xero-tenant-id")
        fault = None
        parts = [p for p in request.path.split("/") if p]
        if not (parts and parts[0] == admin.PREFIX) and parts[:1] != ["static"]:
            fault = self.faults.take(request.method, request.path, tenant)
        try:
            if fault and fault.kind in ("status", "rate_limit", "timeout"):
                response = self._fault_response(fault)
            else:
                environ["harness.fault"] = fault
                response = self.dispatch(request, parts)
        except HTTPException as exc:
            response = exc.get_response()
        except Exception as exc:  # a bug must still answer in Xero's shape; logged for the tests
            response = json_response(api_exception(500, "UnknownErrorException",
                                                   "An error occurred in Xero (harness bug: %s)" % exc), 500)
            import traceback
            traceback.print_exc()
        self._remember(request, response, tenant, started)
        if fault and fault.kind == "lose_response":
            if fault.mode == "reset" and self._reset(environ):
                start_response("504 Gateway Timeout", [("Content-Length", "0")])
                return []
            response = json_response(problem(504, "Gateway Timeout", "The upstream server timed out"), 504)
        return response(environ, start_response)

    @staticmethod
    def _reset(environ):
        """Close the client's connection with a TCP reset, as a dropped gateway would."""
        sock = environ.get("werkzeug.socket")
        if sock is None:
            return False
        try:
            import struct
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        return True

    def _fault_response(self, fault):
        if fault.kind == "rate_limit":
            return json_response(problem(429, "Too Many Requests", "Rate limit exceeded"), 429, {
                "Retry-After": str(fault.retry_after), "X-Rate-Limit-Problem": fault.problem})
        if fault.kind == "timeout":
            time.sleep(fault.delay)
            return json_response(problem(504, "Gateway Timeout", "The upstream server timed out"), 504)
        return json_response(api_exception(fault.status, "UnknownErrorException",
                                           "An error occurred in Xero. Check the API Status page "
                                           "http://status.developer.xero.com for current service status."),
                             fault.status)

    def _remember(self, request, response, tenant, started):
        entry = {"at": self.clock.now(), "method": request.method, "path": request.full_path.rstrip("?"),
                 "status": response.status_code, "tenant": tenant,
                 "ms": round((time.monotonic() - started) * 1000, 1)}
        with self._recent_lock:
            self.recent.appendleft(entry)

    # --- routing ----------------------------------------------------------------------------
    def dispatch(self, request, parts):
        low = [p.lower() for p in parts]
        fault = request.environ.get("harness.fault")
        if fault and fault.kind == "slow" and tuple(low[:2]) != API_PREFIX:
            time.sleep(fault.delay)  # Accounting calls sleep inside their rate-limit slot instead
        if not parts or low[0] == "ui":
            return pages.handle(self, request, parts[1:] if parts else [])
        if low[0] == admin.PREFIX:
            return admin.handle(self, request, parts[1:])
        if low[:2] == ["identity", "connect"] and len(low) == 3:
            return self.oauth(request, low[2])
        if low[:2] == [".well-known", "openid-configuration"] and len(low) <= 3:
            return self.openid_metadata(low[2:])
        if low[0] == "connections":
            return self.connections(request, parts[1:])
        if tuple(low[:2]) == API_PREFIX and len(parts) >= 3:
            return self.accounting(request, parts[2:])
        return json_response(not_found_body(), 404)

    # --- OAuth -----------------------------------------------------------------------------------
    def oauth(self, request, action):
        try:
            if action == "authorize":
                return self.authorize(request)
            if action == "userinfo":
                return self.userinfo(request)
            if request.method != "POST":
                return json_response({"error": "invalid_request"}, 405)
            if action == "token":
                body = self.identity.token(request.form, request.headers.get("Authorization"))
                return json_response(body, 200, {"Cache-Control": "no-store"})
            if action == "revocation":
                self.identity.revoke(request.form, request.headers.get("Authorization"))
                return Response("", 200)
        except OAuthError as exc:
            return json_response(exc.body(), exc.status)
        return json_response(not_found_body(), 404)

    def authorize(self, request):
        args = request.values
        try:
            client, scopes = self.identity.check_authorize(args)
        except OAuthError as exc:
            # Never redirect to an unverified URI: show the error here, as Xero does.
            return pages.error_page(exc.code, exc.description or "The request is invalid.")
        if request.method == "GET":
            return pages.consent_page(self, client, scopes, args)
        back = {"state": args.get("state", "")}
        if request.form.get("decision") != "allow":
            back["error"] = "access_denied"
        else:
            try:
                back["code"] = self.identity.grant_consent(client, args, scopes, request.form.getlist("tenant"),
                                                           request.form.get("user"))
                back["scope"] = " ".join(scopes)
            except OAuthError as exc:
                back["error"] = exc.code
        sep = "&" if "?" in args["redirect_uri"] else "?"
        return Response("", 302, {"Location": args["redirect_uri"] + sep + urlencode(back)})

    def openid_metadata(self, rest):
        """identity.xero.com/.well-known/openid-configuration and its ``/jwks``."""
        if not rest:
            return json_response(self.identity.discovery(self.public_url))
        if rest == ["jwks"]:
            return json_response(self.identity.jwks())
        return json_response(not_found_body(), 404)

    def userinfo(self, request):
        """identity.xero.com/connect/userinfo (GET or POST, bearer access token)."""
        try:
            token = self.identity.bearer(request.headers.get("Authorization"))
            return json_response(self.identity.userinfo(token))
        except AuthFailure as exc:
            return json_response(problem(exc.status, exc.title, exc.detail), exc.status,
                                 {"WWW-Authenticate": 'Bearer error="%s"' % (
                                     "insufficient_scope" if exc.status == 403 else "invalid_token")})

    def connections(self, request, rest):
        try:
            token = self.identity.bearer(request.headers.get("Authorization"))
        except AuthFailure as exc:
            return json_response(problem(exc.status, exc.title, exc.detail), exc.status)
        if not rest and request.method == "GET":
            conns = self.identity.connections(token["client_id"], request.args.get("authEventId"))
            return json_response([self.identity.public_connection(c) for c in conns])
        if len(rest) == 1 and request.method == "DELETE":
            if self.identity.delete_connection(token["client_id"], rest[0]):
                return Response("", 204)
            return json_response(problem(404, "Not Found", "Connection not found"), 404)
        return json_response(problem(405, "Method Not Allowed", "Unsupported"), 405)

    # --- Accounting -------------------------------------------------------------------------------
    def accounting(self, request, parts):
        try:
            token = self.identity.bearer(request.headers.get("Authorization"))
            tenant = self.identity.check_tenant(token, request.headers.get("xero-tenant-id"))
            self.identity.check_scope(token, parts[0].lower(), request.method)
        except AuthFailure as exc:
            return json_response(problem(exc.status, exc.title, exc.detail), exc.status)
        client = token["client_id"]
        try:
            headers = self.limits.acquire(client, tenant)
        except RateLimited as exc:
            return json_response(problem(429, "Too Many Requests", "Rate limit exceeded: %s" % exc.problem), 429,
                                 dict(exc.headers, **{"Retry-After": str(exc.retry_after),
                                                      "X-Rate-Limit-Problem": exc.problem}))
        try:
            fault = request.environ.get("harness.fault")
            if fault and fault.kind == "slow":
                time.sleep(fault.delay)  # inside the call's concurrency slot, as a slow Xero would be
            response = self._accounting(request, parts, tenant, client)
        finally:
            self.limits.release(client, tenant)
        response.headers.update(headers)
        response.headers["Xero-Correlation-Id"] = new_id()
        return response

    def envelope(self, client, collection, items, pagination=None):
        app = self.identity.client(client) or {}
        body = {"Id": new_id(), "Status": "OK", "ProviderName": app.get("name", "Harness app"),
                "DateTimeUTC": msdate(self.clock.now())}
        if pagination is not None:
            body["pagination"] = pagination
        body[collection] = items
        return body

    def _accounting(self, request, parts, tenant, client):
        accept = request.headers.get("Accept", "")
        if accept and "json" not in accept and "*/*" not in accept:
            return json_response(api_exception(406, "NotAcceptable",
                                               "The harness answers in JSON only: send Accept: application/json"), 406)
        name = parts[0].lower()
        if name == "organisation" and request.method == "GET" and len(parts) == 1:
            org = lockdates.render(self.books.organisation(tenant))
            return json_response(self.envelope(client, "Organisations", [org]))
        entity = self.books.by_path.get(name)
        if entity is None:
            return json_response(not_found_body(), 404)
        rest = parts[1:]
        method = request.method
        if entity is self.books.currencies and (rest or method not in ("GET", "PUT")):
            return json_response(api_exception(405, "MethodNotAllowed", "Method not allowed"), 405)  # the spec's two
        try:
            if method == "GET":
                return self._get(request, entity, rest, tenant, client)
            if method in ("PUT", "POST"):
                return self._write(request, entity, rest, tenant, client)
            if method == "DELETE":
                return self._delete(entity, rest, tenant, client)
        except QueryError as exc:
            return json_response(api_exception(10, "ValidationException", str(exc)), 400)
        return json_response(api_exception(405, "MethodNotAllowed", "Method not allowed"), 405)

    def _get(self, request, entity, rest, tenant, client):
        if len(rest) == 2 and rest[1].lower() in ("history", "onlineinvoice"):
            return self._record_extra(entity, rest, tenant, client)
        if len(rest) == 1:
            record = entity.get(tenant, rest[0])
            if record is None:
                return json_response(not_found_body(), 404)
            return json_response(self.envelope(client, entity.collection, [entity.render(record)]))
        if rest:
            return json_response(not_found_body(), 404)
        since = parse_http_date(request.headers.get("If-Modified-Since"))
        items, pagination = entity.list(tenant, request.args, since)
        if request.args.get("summaryOnly", "").lower() == "true":
            for item in items:
                item.pop("LineItems", None)
        return json_response(self.envelope(client, entity.collection, items, pagination))

    def _record_extra(self, entity, rest, tenant, client):
        """GET /{Collection}/{id}/History and GET /Invoices/{id}/OnlineInvoice."""
        sub = rest[1].lower()
        record = entity.get(tenant, rest[0])
        known = entity.collection.lower() in record_history.HISTORY_COLLECTIONS if sub == "history" \
            else entity is self.books.invoices
        if record is None or not known:
            return json_response(not_found_body(), 404)
        if sub == "history":
            return json_response(self.envelope(client, "HistoryRecords",
                                               record_history.history(self.books, tenant, entity, record)))
        url, refused = record_history.online_invoice(self.books, tenant, record, self.public_url)
        if refused:
            return json_response(validation_exception([{"ValidationErrors": [{"Message": refused}]}]), 400)
        return json_response(self.envelope(client, "OnlineInvoices", [{"OnlineInvoiceUrl": url}]))

    def _body(self, request):
        if (request.content_length or 0) > MAX_BODY:
            return None, json_response(api_exception(413, "PayloadTooLarge", "The request was too large"), 413)
        raw = request.get_data(cache=False)
        if len(raw) > MAX_BODY:
            return None, json_response(api_exception(413, "PayloadTooLarge", "The request was too large"), 413)
        try:
            return loads(raw.decode("utf-8")), None
        except (ValueError, UnicodeDecodeError) as exc:
            return None, json_response(post_data_invalid(
                "JSON for post data was invalid,%s" % exc), 400)

    def _write(self, request, entity, rest, tenant, client):
        key = request.headers.get("Idempotency-Key")
        if key is not None and (not key.strip() or len(key) > 128):
            return json_response(api_exception(10, "ValidationException",
                                               "Idempotency-Key must be 1 to 128 characters"), 400)
        body, error = self._body(request)
        if error:
            return error
        with self.store.transaction():
            if key:
                stored = self.store.get("idempotency", "%s:%s:%s" % (client, tenant, key))
                if stored and stored["at"] + IDEMPOTENCY_TTL > self.clock.now():
                    return Response(stored["body"], stored["status"], content_type=JSON,
                                    headers={"Idempotent-Replayed": "true"})
            response = self._apply(request, entity, rest, tenant, client, body)
            if key and response.status_code < 500:
                self.store.put("idempotency", "%s:%s:%s" % (client, tenant, key), {
                    "at": self.clock.now(), "status": response.status_code,
                    "body": response.get_data(as_text=True)})
        return response

    def _apply(self, request, entity, rest, tenant, client, body):
        summarize = request.args.get("summarizeErrors", "true").lower() != "false"
        unitdp = 4 if request.args.get("unitdp") == "4" else 2
        allocations = len(rest) == 2 and rest[1].lower() == "allocations" and entity is self.books.creditnotes
        notes = len(rest) == 2 and rest[1].lower() == "history" \
            and entity.collection.lower() in record_history.HISTORY_COLLECTIONS
        options = len(rest) >= 2 and rest[1].lower() == "options" and entity is self.books.tracking
        collection = "Allocations" if allocations else "HistoryRecords" if notes else "Options" if options \
            else entity.collection
        if not isinstance(body, dict):
            return json_response(post_data_invalid("JSON for post data was invalid: an object is expected"), 400)
        elements = body.get(collection, body if collection not in body else None)
        if isinstance(elements, dict):
            elements = [elements]
        if not isinstance(elements, list) or not elements:
            return json_response(post_data_invalid("JSON for post data was invalid: %s must be a non-empty list"
                                                   % collection), 400)
        if entity is self.books.tracking:
            results = self._tracking_write(request.method, rest, tenant, elements)
            if not isinstance(results, list):
                return results
        elif allocations:
            if request.method != "PUT" or entity.get(tenant, rest[0]) is None:
                return json_response(not_found_body(), 404)
            results = entity.allocate(tenant, rest[0], elements)
        elif notes:
            record = entity.get(tenant, rest[0])
            if request.method != "PUT" or record is None:
                return json_response(not_found_body(), 404)
            user = (self.identity.client(client) or {}).get("name", "Harness app")
            results = record_history.add_notes(self.books, tenant, entity, record, elements, user)
        elif len(rest) > 1 or (rest and request.method != "POST"):
            return json_response(not_found_body(), 404)
        else:
            path_id = rest[0] if rest else None
            if path_id and entity.get(tenant, path_id) is None:
                return json_response(not_found_body(), 404)
            results = entity.write(tenant, elements, request.method, path_id, unitdp)
        if summarize and not all(ok for ok, _ in results):
            return json_response(validation_exception([out for ok, out in results if not ok]), 400)
        return json_response(self.envelope(client, collection, [out for _, out in results]))

    def _tracking_write(self, method, rest, tenant, elements):
        """TrackingCategories' own routes -> results per element, or a Response (404 / 405)."""
        tracking = self.books.tracking
        category = tracking.get(tenant, rest[0]) if rest else None
        if rest and (category is None or category["Status"] == "DELETED"):
            return json_response(not_found_body(), 404)
        if not rest and method == "PUT":
            return tracking.write(tenant, elements, "PUT")
        if len(rest) == 1 and method == "POST":
            return tracking.write(tenant, elements, "POST", category["TrackingCategoryID"])
        if len(rest) == 2 and rest[1].lower() == "options" and method == "PUT":
            return tracking.add_options(tenant, category["TrackingCategoryID"], elements)
        if len(rest) == 3 and rest[1].lower() == "options" and method == "POST":
            if tracking.option(category, option_id=rest[2]) is None:
                return json_response(not_found_body(), 404)
            return tracking.update_option(tenant, category["TrackingCategoryID"], rest[2], elements)
        return json_response(api_exception(405, "MethodNotAllowed", "Method not allowed"), 405)

    def _delete(self, entity, rest, tenant, client):
        books = self.books
        if entity is books.tracking and len(rest) in (1, 3) and (len(rest) == 1 or rest[1].lower() == "options"):
            category = books.tracking.get(tenant, rest[0])
            if category is None or category["Status"] == "DELETED" or (
                    len(rest) == 3 and books.tracking.option(category, option_id=rest[2]) is None):
                return json_response(not_found_body(), 404)
            ok, out = books.tracking.delete(tenant, category["TrackingCategoryID"], rest[2] if len(rest) == 3 else None)
            if not ok:
                return json_response(api_exception(10, "ValidationException", out), 400)
            return json_response(self.envelope(client, "TrackingCategories" if len(rest) == 1 else "Options", [out]))
        if entity is books.items and len(rest) == 1:
            return Response("", 204) if books.items.delete(tenant, rest[0]) else json_response(not_found_body(), 404)
        if entity is books.accounts and len(rest) == 1:
            account = books.accounts.get(tenant, rest[0])
            if account is None:
                return json_response(not_found_body(), 404)
            self.store.delete("account", account["AccountID"], tenant)
            return json_response(self.envelope(client, "Accounts", [dict(books.accounts.render(account),
                                                                         Status="DELETED")]))
        if entity is books.creditnotes and len(rest) == 3 and rest[1].lower() == "allocations":
            out = books.creditnotes.delete_allocation(tenant, rest[0], rest[2])
            if out is None:
                return json_response(not_found_body(), 404)
            return json_response(out)  # the spec answers a bare Allocation here
        return json_response(api_exception(405, "MethodNotAllowed", "Method not allowed"), 405)


def create_app(data=":memory:", time_scale=1.0, limits=True, public_url="http://127.0.0.1:8070"):
    return HarnessApp(Store(data), Clock(time_scale), limits=limits, public_url=public_url)
