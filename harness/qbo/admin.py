"""The QBO simulator's admin API under ``/__harness__/`` (no auth: bind to loopback).

  GET  state                       every object, as JSON
  POST reset {seed?}               wipe everything (then load a seed)
  POST seed {name}
  POST companies {name, realmId, country?, currency?, tax_mode: us_ast|vat, tz_hours?,
                  multicurrency?, custom_txn_numbers?, book_close_date?}
  GET|POST clients {client_id, client_secret, redirect_uris, name, webhook_url, verifier_token,
                    webhook_format: legacy|cloudevents, realms}
  POST clients/<id> {…}            change an app (webhook URL, format, verifier token)
  GET|POST|DELETE faults {kind, …}  the Xero simulator's fault rules (harness/faults.py)
  DELETE faults/<id>;  GET faults/log
  GET|POST limits {enabled, minute, second, batch_minute, reset}
  POST batch-limit {max}           batch size limit (default 30)
  POST tokens/expire {client_id?}; GET|POST tokens/expire-every {every, client_id?}
  POST tokens/rotate-after {seconds}   refresh-token value changes when older than this (24 h)
  POST clock/advance {seconds}
  POST webhooks/flush {timeout?};  POST webhooks/retry;  POST webhooks/drop {count}
  GET  webhooks/deliveries;  GET requests
  POST payments {realmId, InvoiceId, Amount, TxnDate?}   a payment recorded in QBO by a user
  POST preferences {realmId, …}    a sparse Preferences change made in QBO (e.g.
                                   {"AccountingInfoPrefs": {"BookCloseDate": "2026-10-31"}})
"""

from werkzeug.wrappers import Response

from ..faults import TokenExpiry
from . import seed as seeds
from .wire import QboFault, dumps, loads

PREFIX = "__harness__"


def _json(body, status=200):
    return Response(dumps(body), status=status, content_type="application/json; charset=utf-8")


def handle(app, request, parts):
    try:
        body = loads(request.get_data(as_text=True) or "{}") if request.method in ("POST", "PUT") else {}
    except ValueError as exc:
        return _json({"error": "invalid JSON: %s" % exc}, 400)
    if not isinstance(body, dict):
        return _json({"error": "a JSON object is expected"}, 400)
    try:
        return _route(app, request.method, [p.lower() for p in parts], parts, body)
    except QboFault as fault:
        return _json({"error": fault.fault()}, 400)
    except (KeyError, ValueError, TypeError) as exc:
        return _json({"error": "%s: %s" % (exc.__class__.__name__, exc)}, 400)


def token_expiry(app):
    if not hasattr(app, "_token_expiry"):
        app._token_expiry = TokenExpiry(app.identity, app.clock)
    return app._token_expiry


def record_payment(app, realm, invoice_id, amount, txn_date=None):
    """What a user does in QBO's "Receive payment" screen: a Payment for the invoice's customer,
    applied to it (then webhooks: Payment Create, Invoice Update)."""
    invoice = app.books.get(realm, "Invoice", invoice_id)
    if invoice is None:
        raise KeyError("invoice %s" % invoice_id)
    body = {"CustomerRef": invoice["CustomerRef"], "TotalAmt": amount,
            "CurrencyRef": invoice.get("CurrencyRef"), "ExchangeRate": invoice.get("ExchangeRate"),
            "Line": [{"Amount": amount, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]}
    undeposited = next((a for a in app.store.all("Account", realm) if a.get("AccountSubType") == "UndepositedFunds"),
                       None)
    if undeposited:
        body["DepositToAccountRef"] = {"value": undeposited["Id"]}
    if txn_date:
        body["TxnDate"] = txn_date
    return app.books.write(realm, "Payment", body, user="QBO user")


def _route(app, method, low, parts, body):  # noqa: C901 - the admin API's routing table
    ident = app.identity
    if low == ["state"]:
        return _json(app.store.dump())
    if low == ["reset"] and method == "POST":
        app.store.clear()
        app.limits.reset()
        app.faults.clear()
        token_expiry(app).stop()
        if body.get("seed"):
            seeds.load(app, body["seed"])
        return _json({"ok": True})
    if low == ["seed"] and method == "POST":
        return _json(seeds.load(app, body.get("name", "demo")))
    if low == ["companies"] and method == "POST":
        realm = seeds.company(app, body["name"], str(body["realmId"]), body.get("country", "US"),
                              body.get("currency", "USD"), body.get("tz_hours", -8), body.get("tax_mode", "us_ast"),
                              body.get("multicurrency", False), body.get("custom_txn_numbers", False),
                              body.get("book_close_date"))
        return _json(app.store.get("company", realm))
    if low == ["companies"]:
        return _json(ident.companies())
    if low == ["clients"]:
        if method == "POST":
            spec = {k: body[k] for k in ("client_id", "client_secret", "redirect_uris", "name", "webhook_url",
                                         "verifier_token", "webhook_format", "realms") if k in body}
            return _json(ident.register_client(**spec))
        return _json(ident.clients())
    if len(low) == 2 and low[0] == "clients" and method == "POST":
        return _json(ident.update_client(parts[1], **body))
    if low == ["faults"]:
        if method == "POST":
            return _json(app.faults.add(**body).describe())
        if method == "DELETE":
            app.faults.clear()
        return _json(app.faults.describe())
    if low == ["faults", "log"]:
        return _json(app.faults.log())
    if len(low) == 2 and low[0] == "faults" and method == "DELETE":
        return _json({"removed": app.faults.remove(low[1])})
    if low == ["limits"]:
        if method == "POST":
            if body.pop("reset", False):
                app.limits.reset()
            app.limits.configure(**body)
        return _json(app.limits.snapshot())
    if low == ["batch-limit"] and method == "POST":
        app.batch_max = int(body["max"])
        return _json({"max": app.batch_max})
    if low == ["tokens", "expire"] and method == "POST":
        return _json({"expired": ident.expire_tokens(body.get("client_id"))})
    if low == ["tokens", "expire-every"]:
        if method == "POST":
            return _json(token_expiry(app).configure(body.get("every"), body.get("client_id")))
        return _json(token_expiry(app).describe())
    if low == ["tokens", "rotate-after"] and method == "POST":
        ident.rotate_after = float(body["seconds"])
        return _json({"rotate_after": ident.rotate_after})
    if low == ["clock", "advance"] and method == "POST":
        app.clock.advance(float(body["seconds"]))
        return _json({"now": app.clock.now()})
    if low == ["webhooks", "flush"] and method == "POST":
        return _json({"idle": app.webhooks.flush(float(body.get("timeout", 10)))})
    if low == ["webhooks", "retry"] and method == "POST":
        app.webhooks.retry_now()
        return _json({"ok": True})
    if low == ["webhooks", "drop"] and method == "POST":
        app.webhooks.drop_next(int(body.get("count", 1)))
        return _json({"ok": True})
    if low == ["webhooks", "deliveries"]:
        return _json(app.webhooks.deliveries())
    if low == ["requests"]:
        return _json(list(app.recent))
    if low == ["payments"] and method == "POST":
        return _json(record_payment(app, str(body["realmId"]), str(body["InvoiceId"]), body["Amount"],
                                    body.get("TxnDate")))
    if low == ["preferences"] and method == "POST":
        realm = str(body.pop("realmId"))
        prefs = app.store.get("Preferences", "1", realm)
        return _json(app.books.write(realm, "Preferences", dict(body, Id="1", SyncToken=prefs["SyncToken"],
                                                               sparse=True), user="QBO user"))
    return _json({"error": "no such admin route"}, 404)
