"""The admin API under ``/__harness__/``: what tests, demos and benchmarks use to drive the
simulator. It is not part of Xero and needs no token (bind the harness to loopback).

  GET  state                     every object, as JSON
  POST reset        {seed?}      wipe everything (then seed "demo" if asked)
  POST seed         {name}       load a seed ("demo")
  POST organisations {name, tenant_id?, country?, currency?, lock_dates?}   with a standard chart and taxes
  POST organisations/<tenant>/lock-dates {PeriodLockDate?, EndOfYearLockDate?, adviser?}
                                 set (a date) or clear (null) the lock dates; adviser: the connection
                                 acts as an adviser (the period lock date does not bind it)
  GET|POST clients  {client_id, client_secret, redirect_uris, scopes, name, webhook_url,
                     webhook_key, tenant_ids, custom_tenant}
  POST clients/<id> {…}          change an app (e.g. its webhook URL)
  GET|POST|DELETE faults {kind, count, rate, seed, burst, status, delay, mode, method, path, tenant,
                          retry_after, problem}      (see faults.py)
  DELETE faults/<id>                     remove one rule
  GET  faults/log                        the last 1,000 faults fired and totals per kind
  GET|POST limits   {enabled, concurrent, minute, day, app_minute, reset}
  GET  identity/stats                    token endpoint calls per grant type
  GET|POST users   {email, given_name?, family_name?, xero_userid?}   the Xero users who can sign
                                         in (picked on the consent page)
  POST identity/id-token-faults {kind, count?}   the next ID tokens come out wrong (identity.py)
  POST tokens/expire {client_id?}        every access token expires now
  GET|POST tokens/expire-every {every, client_id?}   ... and again every N simulated seconds
                                         (follows --time-scale; every: null stops)
  POST connections/<id>/revoke           the organisation is disconnected
  POST clock/advance {seconds}
  POST webhooks/intent {client_id}       Xero's intent-to-receive check
  POST webhooks/flush {timeout?}         wait until deliveries are done
  POST webhooks/retry                    pending retries are due now
  POST webhooks/drop {count}             the next N deliveries are lost
  POST webhooks/emit {tenant, ids, category?, type?}   events for existing records (load tests)
  GET  webhooks/deliveries
  GET  requests                          the most recent requests
  POST payments {tenant, InvoiceID | CreditNoteID, Amount, Date?, AccountCode?, CurrencyRate?}
  POST documents/bulk {tenant, collection, elements}   many records at once, through Xero's own
                                         write rules, without HTTP per batch or limits (benchmarks)
  POST documents/edit {tenant, collection, id, Status? | UnitAmount? | remove?}
                                         a change made behind the connector's back (see edit_document)
"""

from werkzeug.wrappers import Response

from . import seed as seeds
from .faults import TokenExpiry
from .xerojson import dumps, loads

PREFIX = "__harness__"


def _json(body, status=200):
    return Response(dumps(body), status=status, content_type="application/json; charset=utf-8")


def handle(app, request, parts):
    low = [p.lower() for p in parts]
    try:
        body = loads(request.get_data(as_text=True) or "{}") if request.method in ("POST", "PUT", "PATCH") else {}
    except ValueError as exc:
        return _json({"error": "invalid JSON: %s" % exc}, 400)
    if not isinstance(body, dict):
        return _json({"error": "a JSON object is expected"}, 400)
    try:
        return _route(app, request, parts, low, body)
    except (KeyError, ValueError, TypeError) as exc:
        return _json({"error": "%s: %s" % (exc.__class__.__name__, exc)}, 400)


def _route(app, request, parts, low, body):  # noqa: C901 - the admin API's routing table, one branch per route
    method = request.method
    ident = app.identity
    if low == ["state"]:
        return _json(app.store.dump())
    if low == ["reset"] and method == "POST":
        app.store.clear()
        app.limits.reset()
        app.faults.clear()
        ident.id_token_faults.clear()
        token_expiry(app).stop()
        if body.get("seed"):
            seeds.load(app, body["seed"])
        return _json({"ok": True})
    if low == ["seed"] and method == "POST":
        return _json(seeds.load(app, body.get("name", "demo")))
    if low == ["organisations"]:
        if method == "POST":
            org = seeds.organisation(app, body["name"], tenant_id=body.get("tenant_id"),
                                     country=body.get("country", "GB"), currency=body.get("currency", "GBP"),
                                     lock_dates=body.get("lock_dates"))
            return _json(org, 201)
        return _json(ident.organisations())
    if len(low) == 3 and low[0] == "organisations" and low[2] == "lock-dates" and method == "POST":
        if app.books.organisation(low[1]) is None:
            return _json({"error": "no such organisation"}, 404)
        return _json(seeds.set_lock_dates(app, low[1], body))
    if low == ["clients"]:
        if method == "POST":
            return _json(ident.register_client(**_client_args(body)), 201)
        return _json(ident.clients())
    if len(low) == 2 and low[0] == "clients" and method == "POST":
        return _json(ident.update_client(parts[1], **_client_args(body)))
    if low == ["faults"]:
        if method == "POST":
            return _json(app.faults.add(**body).describe(), 201)
        if method == "DELETE":
            app.faults.clear()
            return _json({"ok": True})
        return _json(app.faults.describe())
    if low == ["faults", "log"]:
        return _json(app.faults.log())
    if len(low) == 2 and low[0] == "faults" and method == "DELETE":
        return _json({"removed": app.faults.remove(low[1])})
    if low == ["limits"]:
        if method == "POST":
            if body.pop("reset", False):
                app.limits.reset()  # forget the calls counted so far
            app.limits.configure(**body)
        return _json(app.limits.snapshot())
    if low == ["users"]:
        if method == "POST":
            return _json(ident.add_user(body["email"], body.get("given_name", ""), body.get("family_name", ""),
                                        body.get("xero_userid")), 201)
        return _json(ident.users())
    if low == ["identity", "id-token-faults"] and method == "POST":
        return _json({"pending": ident.add_id_token_fault(body["kind"], body.get("count", 1))})
    if low == ["identity", "stats"]:
        return _json({"token_calls": dict(ident.grant_counts)})
    if low == ["tokens", "expire"] and method == "POST":
        return _json({"expired": ident.expire_tokens(body.get("client_id"))})
    if low == ["tokens", "expire-every"]:
        expiry = token_expiry(app)
        if method == "POST":
            return _json(expiry.configure(body.get("every"), body.get("client_id")))
        return _json(expiry.describe())
    if len(low) == 3 and low[0] == "connections" and low[2] == "revoke" and method == "POST":
        conn = app.store.get("connection", low[1])
        if not conn:
            return _json({"error": "no such connection"}, 404)
        app.store.delete("connection", conn["id"])
        return _json({"ok": True})
    if low == ["clock", "advance"] and method == "POST":
        app.clock.advance(float(body["seconds"]))
        return _json({"now": app.clock.now()})
    if low[:1] == ["webhooks"]:
        return _webhooks(app, low[1:], method, body)
    if low == ["requests"]:
        return _json(list(app.recent))
    if low == ["payments"] and method == "POST":
        return _payment(app, body)
    if low == ["documents", "bulk"] and method == "POST":
        entity = app.books.by_path[body["collection"].lower()]
        results = entity.write(body["tenant"].lower(), list(body["elements"]), "PUT")
        return _json({"ids": [out.get(entity.id_field) if ok else None for ok, out in results],
                      "errors": [out.get("ValidationErrors") for ok, out in results if not ok][:10]})
    if low == ["documents", "edit"] and method == "POST":
        out, status = edit_document(app, body["tenant"].lower(), body["collection"], body["id"],
                                    status=body.get("Status"), unit_amount=body.get("UnitAmount"),
                                    remove=bool(body.get("remove")))
        return _json(out, status)
    return _json({"error": "unknown admin route"}, 404)


def token_expiry(app):
    """The app's periodic token expiry (made on first use)."""
    expiry = getattr(app, "token_expiry", None)
    if expiry is None:
        expiry = app.token_expiry = TokenExpiry(app.identity, app.clock)
    return expiry


def _client_args(body):
    keys = ("client_id", "client_secret", "redirect_uris", "scopes", "name", "webhook_url",
            "webhook_key", "tenant_ids", "custom_tenant")
    return {k: body[k] for k in keys if k in body}


def _webhooks(app, low, method, body):
    hooks = app.webhooks
    if low == ["intent"] and method == "POST":
        return _json(hooks.intent_to_receive(body["client_id"]))
    if low == ["flush"] and method == "POST":
        return _json({"done": hooks.flush(float(body.get("timeout", 10)))})
    if low == ["retry"] and method == "POST":
        hooks.retry_now()
        return _json({"done": hooks.flush(float(body.get("timeout", 10)))})
    if low == ["drop"] and method == "POST":
        hooks.drop_next(int(body.get("count", 1)))
        return _json({"ok": True})
    if low == ["emit"] and method == "POST":
        tenant, category = str(body["tenant"]).lower(), body.get("category", "INVOICE")
        entity = {"INVOICE": app.books.invoices, "CREDITNOTE": app.books.creditnotes,
                  "CONTACT": app.books.contacts}.get(category)
        if entity is None:
            return _json({"error": "category must be INVOICE, CREDITNOTE or CONTACT"}, 400)
        missing = [i for i in body["ids"] if entity.get(tenant, str(i)) is None]
        if missing:
            return _json({"error": "unknown %s IDs" % category, "ids": missing}, 400)
        for resource_id in body["ids"]:
            hooks.emit(tenant, category, body.get("type", "UPDATE"), str(resource_id).lower())
        return _json({"emitted": len(body["ids"])})
    if low == ["deliveries"]:
        return _json(hooks.deliveries())
    return _json({"error": "unknown admin route"}, 404)


def record_payment(app, tenant, doc_ref, amount, date=None, account_code=None, reference="", currency_rate=None):
    """Create a payment as a Xero user would in the web app (used by the page and the API);
    a foreign-currency document's payment takes the day rate unless ``currency_rate`` is given."""
    books = app.books
    if account_code is None:
        bank = next((a for a in books.accounts.records(tenant) if a.get("Type") == "BANK"
                     and a.get("Status") == "ACTIVE"), None)
        account_code = bank["Code"] if bank else None
    payment = dict(doc_ref, Account={"Code": account_code}, Amount=amount, Reference=reference)
    if date:
        payment["Date"] = date
    if currency_rate not in (None, ""):
        payment["CurrencyRate"] = currency_rate
    return books.payments.write(tenant, [payment], "PUT")[0]


def _payment(app, body):
    tenant = body["tenant"].lower()
    if body.get("InvoiceID") or body.get("InvoiceNumber"):
        ref = {"Invoice": {k: body[k] for k in ("InvoiceID", "InvoiceNumber") if body.get(k)}}
    else:
        ref = {"CreditNote": {"CreditNoteID": body["CreditNoteID"]}}
    ok, out = record_payment(app, tenant, ref, body["Amount"], body.get("Date"), body.get("AccountCode"),
                             body.get("Reference", ""), body.get("CurrencyRate"))
    return _json(out, 201 if ok else 400)


def edit_document(app, tenant, collection, key, status=None, unit_amount=None, remove=False):
    """What someone does in Xero behind the connector's back (the drift report's tests):

    - ``UnitAmount``: the first line's unit price changes, through Xero's own update rules (a
      user editing an approved invoice without payments), so the totals follow;
    - ``Status``: forced, whatever Xero's transitions allow (an approved invoice DELETED stands
      for one deleted as a draft in Xero, or removed by a restore);
    - ``remove``: the record is gone, as if it had never reached Xero (not even listed DELETED).
    -> (answer, HTTP status)."""
    entity = app.books.by_path.get(str(collection).lower())
    record = entity.get(tenant, str(key)) if entity else None
    if record is None:
        return {"error": "no such %s" % collection}, 404
    record_id = record[entity.id_field]
    if remove:
        app.store.delete(entity.kind, record_id, tenant)
        return {"removed": record_id}, 200
    if unit_amount is not None:
        lines = [{k: v for k, v in line.items() if k not in ("LineAmount", "TaxAmount", "Item", "AccountID")}
                 for line in entity.render(record).get("LineItems") or ()]
        if not lines:
            return {"error": "the document has no line"}, 400
        lines[0]["UnitAmount"] = unit_amount
        ok, out = entity.write(tenant, [{entity.id_field: record_id, "LineItems": lines}], "POST")[0]
        return out, 200 if ok else 400
    if status:
        changed = dict(record, Status=status)
        entity.save(tenant, changed, False)
        return entity.render(changed), 200
    return {"error": "nothing to change: Status, UnitAmount or remove"}, 400
