"""The QuickBooks Online simulator's WSGI app: routing and the HTTP shape of Intuit's answers.

Paths are Intuit's, on the simulator's own base URL (one host stands for appcenter.intuit.com,
oauth.platform.intuit.com, developer.api.intuit.com and quickbooks.api.intuit.com):

  GET  /.well-known/openid_configuration        discovery (intuitlib reads the endpoints here)
  GET|POST /connect/oauth2                      consent page: pick one company
  POST /oauth2/v1/tokens/bearer                 code and refresh grants
  POST /v2/oauth2/tokens/revoke                 revoke
  /v3/company/{realmId}/{entity}[/{id}]         Accounting API (``minorversion``: none or < 75 → 75)
  /v3/company/{realmId}/query|batch|cdc|companyinfo/{realmId}|preferences
  /__harness__/…                                admin API (admin.py);  /  /ui/…  the page

State and rules live in ``identity``, ``entities``, ``query``, ``batch``, ``cdc``, ``limits``,
``webhooks``; fault injection is the Xero simulator's (``harness.faults``).
"""

import secrets
import socket
import struct
import threading
import time
from collections import deque

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from ..clock import Clock
from ..faults import Faults
from . import admin, batch, cdc, pages, query
from .entities import Books
from .identity import Identity, OAuthError
from .limits import Limits, Throttled
from .store import QboStore
from .webhooks import QboWebhooks
from .wire import QboFault, dumps, fault_body, loads, qbo_time, throttle_xml

JSON = "application/json;charset=UTF-8"
MINOR_VERSION = 75
REQUESTID_MAX = 50
ENTITY_PATHS = {name.lower(): name for name in (
    "Customer", "Vendor", "Item", "Account", "TaxCode", "TaxRate", "Invoice", "Bill", "CreditMemo",
    "PurchaseOrder", "Payment", "BillPayment", "Class", "Department", "CompanyInfo", "Preferences")}
QUERYABLE = tuple(ENTITY_PATHS.values())


def json_response(body, status=200, headers=None):
    headers = dict(headers or {})
    headers.setdefault("intuit_tid", "1-" + secrets.token_hex(12))  # Intuit's trace id, logged by clients
    return Response(dumps(body), status=status, headers=headers, content_type=JSON)


class QboApp:
    def __init__(self, store=None, clock=None, limits=True, public_url="http://127.0.0.1:8071",
                 batch_max=batch.DEFAULT_MAX_ITEMS):
        self.store = store if store is not None else QboStore()
        self.clock = clock if clock is not None else Clock()
        self.public_url = public_url.rstrip("/")
        self.identity = Identity(self.store, self.clock)
        self.webhooks = QboWebhooks(self.store, self.clock, self.identity, lambda: self.public_url)
        self.books = Books(self.store, self.clock, on_event=self.webhooks.emit)
        self.limits = Limits(self.clock, enabled=limits)
        self.faults = Faults()
        self.batch_max = batch_max
        self.recent = deque(maxlen=300)
        self._recent_lock = threading.Lock()

    # --- WSGI -------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        started = time.monotonic()
        parts = [p for p in request.path.split("/") if p]
        realm = parts[2] if len(parts) > 2 and parts[:2] == ["v3", "company"] else None
        fault = None
        if parts[:1] not in (["__harness__"], ["ui"], []):
            fault = self.faults.take(request.method, request.path, realm)
        try:
            if fault and fault.kind in ("status", "rate_limit", "timeout"):
                response = self._fault_response(fault, realm)
            else:
                if fault and fault.kind == "slow":
                    time.sleep(fault.delay)
                response = self.dispatch(request, parts)
        except HTTPException as exc:
            response = exc.get_response()
        except Exception as exc:  # a bug still answers in QBO's shape; printed for the tests
            import traceback
            traceback.print_exc()
            response = json_response(fault_body(QboFault(10000, "An application error has occurred while "
                                                         "processing your request", "System Failure Error: "
                                                         "harness bug: %s" % exc, type_="SystemFault"),
                                                self.clock.now()), 500)
        self._remember(request, response, realm, started)
        if fault and fault.kind == "lose_response":
            if fault.mode == "reset" and self._reset(environ):
                start_response("504 Gateway Timeout", [("Content-Length", "0")])
                return []
            response = Response("", 504)
        return response(environ, start_response)

    @staticmethod
    def _reset(environ):
        sock = environ.get("werkzeug.socket")
        if sock is None:
            return False
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        return True

    def _fault_response(self, fault, realm):
        if fault.kind == "rate_limit":
            return self.throttled(realm)
        if fault.kind == "timeout":
            time.sleep(fault.delay)
            return Response("", 504)
        return json_response(fault_body(QboFault(10000, "An application error has occurred while processing your "
                                                 "request", "System Failure Error: injected %d" % fault.status,
                                                 type_="SystemFault"), self.clock.now()), fault.status)

    def throttled(self, realm):
        tz = self.books.tz(realm) if realm and self.books.company(realm) else 0
        return Response(throttle_xml(self.clock.now(), tz), 429, content_type="application/xml")

    def _remember(self, request, response, realm, started):
        entry = {"at": self.clock.now(), "method": request.method, "path": request.full_path.rstrip("?"),
                 "status": response.status_code, "realm": realm,
                 "minorversion": request.environ.get("qbo.minorversion"),
                 "ms": round((time.monotonic() - started) * 1000, 1)}
        with self._recent_lock:
            self.recent.appendleft(entry)

    # --- routing --------------------------------------------------------------------------
    def dispatch(self, request, parts):
        if not parts or parts[0] == "ui":
            return pages.handle(self, request, parts[1:] if parts else [])
        if parts[0] == admin.PREFIX:
            return admin.handle(self, request, parts[1:])
        path = "/".join(parts)
        if path in (".well-known/openid_configuration", ".well-known/openid_sandbox_configuration"):
            return json_response(self.identity.discovery(self.public_url))
        if path == "oauth2/v1/keys":
            return json_response({"keys": []})
        try:
            if path == "connect/oauth2":
                return self.authorize(request)
            if path == "oauth2/v1/tokens/bearer" and request.method == "POST":
                return json_response(self.identity.token(request.form, request.headers.get("Authorization")),
                                     200, {"Cache-Control": "no-store"})
            if path == "v2/oauth2/tokens/revoke" and request.method == "POST":
                body = request.get_json(silent=True) or request.form
                self.identity.revoke(body.get("token"), request.headers.get("Authorization"))
                return Response("", 200)
        except OAuthError as exc:
            return json_response(exc.body(), exc.status)
        if parts[:2] == ["v3", "company"] and len(parts) >= 4:
            return self.accounting(request, parts[2], parts[3:])
        return json_response({"error": "not found"}, 404)

    def authorize(self, request):
        args = request.values
        try:
            client, scopes = self.identity.check_authorize(args)
        except OAuthError as exc:  # never redirect to an unverified URI
            return pages.error_page(exc.code, exc.description or "The request is invalid.")
        if request.method == "GET":
            return pages.consent_page(self, client, scopes, args)
        from urllib.parse import urlencode
        back = {"state": args.get("state", "")}
        if request.form.get("decision") != "allow":
            back = {"error": "access_denied", "state": args.get("state", "")}
        else:
            try:
                realm = request.form.get("realmId")
                back = {"code": self.identity.grant_consent(client, args, scopes, realm),
                        "state": args.get("state", ""), "realmId": realm}
            except OAuthError as exc:
                return pages.error_page(exc.code, exc.description)
        uri = args["redirect_uri"]
        return Response("", 302, {"Location": uri + ("&" if "?" in uri else "?") + urlencode(back)})

    # --- the Accounting API ---------------------------------------------------------------
    def _fault(self, fault, realm):
        tz = self.books.tz(realm) if self.books.company(realm) else 0
        return json_response(fault_body(fault, self.clock.now(), tz), fault.status)

    def accounting(self, request, realm, rest):
        minor = request.args.get("minorversion", "")
        request.environ["qbo.minorversion"] = max(MINOR_VERSION, int(minor)) if minor.isdigit() else MINOR_VERSION
        token = self.identity.authenticate(request.headers.get("Authorization"))
        if token is None:
            return self._fault(QboFault(3200, "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                                        "Token expired or invalid", type_="AuthenticationFault", status=401), realm)
        if token["realm"] != realm or self.books.company(realm) is None:
            return self._fault(QboFault(3100, "message=ApplicationAuthorizationFailed; errorCode=003100; "
                                        "statusCode=403", "This app is not connected to company %s" % realm,
                                        type_="AuthorizationFault", status=403), realm)
        head = rest[0].lower()
        try:
            self.limits.acquire(token["client_id"], realm, batch=head == "batch")
        except Throttled:
            return self.throttled(realm)
        request_id = request.args.get("requestid") if request.method == "POST" else None
        if not request_id:
            return self._answer(request, realm, head, rest)
        with self.store.lock:  # two copies of one request in flight: the second waits and gets the replay
            replay = self.store.get("requestid", request_id, realm)
            if replay is not None:  # the first answer again, nothing applied (Intuit blog 2015-04-06)
                return Response(replay["body"], replay["status"], content_type=JSON,
                                headers={"intuit_tid": "1-" + secrets.token_hex(12)})
            response = self._answer(request, realm, head, rest)
            if response.status_code < 500:
                self.store.put("requestid", request_id, {"status": response.status_code,
                                                         "body": response.get_data(as_text=True),
                                                         "at": self.clock.now()}, realm)
            return response

    def _answer(self, request, realm, head, rest):
        try:
            status, body = 200, self._route(request, realm, head, rest)
        except QboFault as fault:
            status, body = fault.status, fault_body(fault, self.clock.now(), self.books.tz(realm))
        if "time" not in body:
            body["time"] = qbo_time(self.clock.now(), self.books.tz(realm), millis=True)
        return json_response(body, status)

    def _route(self, request, realm, head, rest):
        books = self.books
        if head == "query":
            text = request.args.get("query") if request.method == "GET" else request.get_data(as_text=True)
            if not text:
                raise QboFault(2020, "Required param missing, need to supply the required value for the API",
                               "Required parameter query is missing in the request", "query")
            return {"QueryResponse": query.run(books, realm, text, QUERYABLE)}
        if head == "cdc" and request.method == "GET":
            return {"CDCResponse": [cdc.run(books, realm, request.args.get("entities"),
                                            request.args.get("changedSince"), QUERYABLE)]}
        if head == "batch" and request.method == "POST":
            return batch.run(books, realm, self._body(request), self.batch_max, QUERYABLE)
        entity = ENTITY_PATHS.get(head)
        if entity is None:
            raise QboFault(2010, "Request has invalid or unsupported property",
                           "Unsupported entity %s" % rest[0], type_="ValidationFault")
        if request.method == "GET":
            obj_id = "1" if entity in ("CompanyInfo", "Preferences") else (rest[1] if len(rest) > 1 else None)
            obj = books.get(realm, entity, obj_id) if obj_id else None
            if obj is None:
                from .entities import errors
                raise errors.not_found()
            return {entity: books.render(obj)}
        if request.method != "POST" or len(rest) > 1:
            raise QboFault(500, "Unsupported Operation", "Operation %s %s is not supported."
                           % (request.method, "/".join(rest)))
        operation = (request.args.get("operation") or "create").lower()
        include = [i.strip().lower() for i in (request.args.get("include") or "").split(",") if i.strip()]
        if operation == "update" and "void" in include:  # how Payment is voided (python-quickbooks VoidMixin)
            operation = "void"
        elif operation == "update":
            operation = "create"  # create-or-update by Id, as POST /{entity} does
        return {entity: books.write(realm, entity, self._body(request), operation, include)}

    @staticmethod
    def _body(request):
        try:
            return loads(request.get_data(as_text=True) or "null")
        except ValueError as exc:
            raise QboFault(2010, "Request has invalid or unsupported property",
                           "Request body is not valid JSON: %s" % exc) from None


def create_app(data=":memory:", time_scale=1.0, limits=True, public_url="http://127.0.0.1:8071", batch_max=30):
    return QboApp(QboStore(data), Clock(time_scale), limits=limits, public_url=public_url, batch_max=batch_max)
