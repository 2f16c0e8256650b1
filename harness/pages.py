"""Server-rendered pages: the overview, an organisation, an invoice with "Record payment",
the OAuth consent page and error page. Plain HTML + a little CSS; no JavaScript needed."""

from decimal import Decimal
from html import escape
from urllib.parse import quote

from werkzeug.wrappers import Response

from .accounting import history as record_history
from .accounting.currencies import base_total
from .xerojson import iso_utc, parse_date

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f4f6f8;color:#1d2733}
header{background:#13b5ea;color:#fff;padding:12px 24px;display:flex;gap:16px;align-items:baseline}
header a{color:#fff;text-decoration:none;font-weight:600}header small{opacity:.85}
main{max-width:1180px;margin:0 auto;padding:16px 24px}
section{background:#fff;border:1px solid #dde3e8;border-radius:6px;margin:14px 0;padding:12px 16px}
h1{font-size:20px;margin:6px 0}h2{font-size:16px;margin:4px 0 10px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eef1f4;vertical-align:top}
th{font-weight:600;color:#4a5a6a;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;background:#e8edf2}
.PAID,.delivered,.OK{background:#d7f5e3;color:#116b3a}.AUTHORISED{background:#dcecff;color:#1c4f8f}
.VOIDED,.DELETED,.failed,.ERROR{background:#fde2e1;color:#9b1c1c}.DRAFT,.pending{background:#fff3cd;color:#7a5b00}
form.inline{display:flex;gap:8px;align-items:end;flex-wrap:wrap}label{display:flex;flex-direction:column;font-size:12px;color:#4a5a6a}
input,select{padding:5px 7px;border:1px solid #c5ced6;border-radius:4px;font:inherit}
button{padding:6px 14px;border:0;border-radius:4px;background:#13b5ea;color:#fff;font-weight:600;cursor:pointer}
button.secondary{background:#8a99a8}.muted{color:#6b7b8b}.error{color:#9b1c1c}
.consent{max-width:520px;margin:40px auto}.consent li{list-style:none;margin:6px 0}
"""


def _page(title, body, status=200):
    html = ("<!doctype html><html lang=en><head><meta charset=utf-8><title>%s</title>"
            "<meta name=viewport content='width=device-width,initial-scale=1'><style>%s</style></head>"
            "<body><header><a href='/'>Xero harness</a><small>a Xero simulator for development and tests"
            "</small></header><main>%s</main></body></html>") % (escape(title), CSS, body)
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def _badge(value):
    value = str(value or "")
    return "<span class='badge %s'>%s</span>" % (escape(value), escape(value))


def _money(value):
    return "%.2f" % float(value or 0)


def _rate(value):
    return format(Decimal(str(value)).normalize(), "f")


def _table(headers, rows):
    head = "".join("<th class=num>%s</th>" % escape(h[1:]) if h.startswith("#") else "<th>%s</th>" % escape(h)
                   for h in headers)
    body = "".join("<tr>%s</tr>" % "".join(
        "<td class=num>%s</td>" % c[1:] if isinstance(c, str) and c.startswith("#") else "<td>%s</td>" % c
        for c in row) for row in rows)
    return "<table><tr>%s</tr>%s</table>" % (head, body or "<tr><td class=muted colspan=%d>none</td></tr>"
                                             % len(headers))


def handle(app, request, parts):
    if not parts:
        return index(app)
    if len(parts) == 2 and parts[0] == "online":
        return online_invoice_page(app, parts[1])
    tenant = parts[0].lower()
    org = app.books.organisation(tenant)
    if org is None:
        return error_page("not_found", "No such organisation.", 404)
    if len(parts) == 1:
        return organisation_page(app, org)
    if len(parts) == 3 and parts[1] == "invoices":
        return invoice_page(app, org, parts[2])
    if len(parts) == 4 and parts[1] == "invoices" and parts[3] == "pay" and request.method == "POST":
        return pay(app, org, parts[2], request.form)
    if len(parts) == 2 and parts[1] == "lock-dates" and request.method == "POST":
        return set_lock_dates(app, org, request.form)
    if len(parts) == 3 and parts[1] in RECORD_PAGES:
        return record_page(app, org, parts[1], parts[2])
    return error_page("not_found", "No such page.", 404)


def index(app):
    orgs = app.books.organisation
    rows = []
    for org in app.identity.organisations():
        t = org["OrganisationID"]
        books = app.books
        rows.append(["<a href='/ui/%s'>%s</a>" % (t, escape(org["Name"])), "<code>%s</code>" % t,
                     "#%d" % books.store.count("contact", t), "#%d" % books.store.count("item", t),
                     "#%d" % books.store.count("invoice", t)])
    conns = [[escape(c["client_id"]), escape(c["tenantName"]), escape(c["createdDateUtc"])]
             for c in app.store.all("connection")]
    clients = [[escape(c["client_id"]), escape(c["name"]), escape(", ".join(c["redirect_uris"])),
                escape(c.get("webhook_url") or "—"), _badge(c.get("webhook_status"))]
               for c in app.identity.clients()]
    deliveries = [[escape(iso_utc(d["created"])), escape(d["client_id"]), "#%d" % len(d["events"]),
                   "#%d" % len(d["attempts"]), _badge(d["status"]),
                   escape(str((d["attempts"][-1] if d["attempts"] else {}).get("status") or
                              (d["attempts"][-1] if d["attempts"] else {}).get("error") or ""))]
                  for d in app.webhooks.deliveries()[:30]]
    recent = [[escape(iso_utc(r["at"])[11:19]), escape(r["method"]), escape(r["path"][:90]),
               _badge("OK" if r["status"] < 400 else "ERROR") + " %d" % r["status"], "#%.1f" % r["ms"]]
              for r in list(app.recent)[:40]]
    del orgs
    body = ("<h1>Organisations</h1><section>%s</section>"
            "<section><h2>OAuth apps</h2>%s</section>"
            "<section><h2>Connections</h2>%s</section>"
            "<section><h2>Webhook deliveries</h2>%s</section>"
            "<section><h2>Recent requests</h2>%s</section>") % (
        _table(["Name", "Tenant ID", "#Contacts", "#Items", "#Invoices"], rows),
        _table(["Client ID", "Name", "Redirect URIs", "Webhook URL", "Webhook"], clients),
        _table(["Client", "Organisation", "Connected"], conns),
        _table(["Created", "Client", "#Events", "#Attempts", "State", "Last answer"], deliveries),
        _table(["Time", "Method", "Path", "Status", "#ms"], recent))
    return _page("Xero harness", body)


def organisation_page(app, org):
    t = org["OrganisationID"]
    books = app.books
    contacts = [[escape(c["Name"]), escape(c.get("EmailAddress", "")), escape(c.get("AccountNumber", "")),
                 ("customer " if c.get("IsCustomer") else "") + ("supplier" if c.get("IsSupplier") else ""),
                 _badge(c["ContactStatus"])] for c in books.contacts.records(t)]
    items = [[escape(i["Code"]), escape(i.get("Name", "")),
              "#" + _money(i.get("SalesDetails", {}).get("UnitPrice")),
              escape(i.get("SalesDetails", {}).get("AccountCode", ""))] for i in books.items.records(t)]
    docs = []
    for inv in books.invoices.records(t):
        contact = books.contacts.get(t, inv["_contact"]) or {}
        docs.append(["<a href='/ui/%s/invoices/%s'>%s</a>" % (t, inv["InvoiceID"],
                                                              escape(inv.get("InvoiceNumber") or "(no number)")),
                     escape(inv["Type"]), escape(contact.get("Name", "")), _badge(inv["Status"]),
                     escape(inv.get("CurrencyCode", "")), "#" + _money(inv.get("Total")),
                     "#" + _money(inv.get("AmountDue"))])
    credits = [[escape(c.get("CreditNoteNumber") or ""), escape(c["Type"]), _badge(c["Status"]),
                escape(c.get("CurrencyCode", "")), "#" + _money(c.get("Total")), "#" + _money(c.get("RemainingCredit"))]
               for c in books.creditnotes.records(t)]
    orders = [[escape(p.get("PurchaseOrderNumber") or ""), _badge(p["Status"]), escape(p.get("CurrencyCode", "")),
               "#" + _money(p.get("Total"))] for p in books.purchaseorders.records(t)]
    currencies = ", ".join(escape(c["Code"]) for c in books.currencies.records(t))
    tracking = [[escape(c["Name"]), _badge(c["Status"]),
                 escape(", ".join(o["Name"] + ("" if o["Status"] == "ACTIVE" else " (%s)" % o["Status"].lower())
                                  for o in c["Options"]))]
                for c in books.tracking.live(t)]
    body = ("<h1>%s</h1><p class=muted>Tenant <code>%s</code> · %s · base currency %s · currencies %s</p>%s"
            "<section><h2>Invoices and bills</h2>%s</section>"
            "<section><h2>Credit notes</h2>%s</section><section><h2>Purchase orders</h2>%s</section>"
            "<section><h2>Contacts</h2>%s</section><section><h2>Items</h2>%s</section>"
            "<section><h2>Tracking categories</h2>%s</section>") % (
        escape(org["Name"]), t, escape(org["CountryCode"]), escape(org["BaseCurrency"]), currencies,
        lock_dates_form(org),
        _table(["Number", "Type", "Contact", "Status", "Currency", "#Total", "#Amount due"], docs),
        _table(["Number", "Type", "Status", "Currency", "#Total", "#Remaining"], credits),
        _table(["Number", "Status", "Currency", "#Total"], orders),
        _table(["Name", "E-mail", "Account no.", "Role", "Status"], contacts),
        _table(["Code", "Name", "#Sale price", "Account"], items),
        _table(["Name", "Status", "Options"], tracking))
    return _page(org["Name"], body)


def lock_dates_form(org, message=""):
    """Xero's Financial settings → Lock dates: empty = no lock."""
    values = {f: parse_date(org.get(f)) for f in ("PeriodLockDate", "EndOfYearLockDate")}
    return ("<section><h2>Lock dates</h2>%s<form class=inline method=post action='/ui/%s/lock-dates'>"
            "<label>Period lock date (all but advisers)<input name=PeriodLockDate type=date value='%s'></label>"
            "<label>End of year lock date (everyone)<input name=EndOfYearLockDate type=date value='%s'></label>"
            "<label style='flex-direction:row;gap:6px'><input type=checkbox name=adviser value=1%s>"
            " the app connects as an adviser</label><button>Save lock dates</button></form></section>") % (
        message, org["OrganisationID"], values["PeriodLockDate"] or "", values["EndOfYearLockDate"] or "",
        " checked" if org.get("_adviser") else "")


def set_lock_dates(app, org, form):
    from .seed import set_lock_dates as store_lock_dates

    try:
        store_lock_dates(app, org["OrganisationID"], {
            "PeriodLockDate": form.get("PeriodLockDate") or None,
            "EndOfYearLockDate": form.get("EndOfYearLockDate") or None, "adviser": bool(form.get("adviser"))})
    except ValueError as exc:
        return _page(org["Name"], lock_dates_form(org, "<p class=error>%s</p>" % escape(str(exc))), 400)
    return Response("", 303, {"Location": "/ui/%s" % org["OrganisationID"]})


def invoice_page(app, org, invoice_id, message=""):
    t = org["OrganisationID"]
    books = app.books
    inv = books.invoices.get(t, invoice_id)
    if inv is None:
        return error_page("not_found", "No such invoice.", 404)
    out = books.invoices.render(inv)
    lines = [[escape(str(li.get("ItemCode", ""))), escape(li.get("Description", "")), "#%s" % li["Quantity"],
              "#" + _money(li["UnitAmount"]), escape(li.get("AccountCode", "")), escape(li["TaxType"]),
              "#" + _money(li["TaxAmount"]), "#" + _money(li["LineAmount"]),
              escape("; ".join("%s: %s" % (t["Name"], t["Option"]) for t in li.get("Tracking") or ()))]
             for li in out["LineItems"]]
    payments = [[escape(p.get("Date", "")), "#" + _money(p["Amount"]), "#" + _rate(p.get("CurrencyRate", 1)),
                 "#" + _money(p.get("BankAmount")), escape(p.get("Reference", "")),
                 "<code>%s</code>" % p["PaymentID"]] for p in out["Payments"]]
    base = org["BaseCurrency"]
    currency = escape(inv.get("CurrencyCode") or base)
    if inv.get("CurrencyCode", base) != base:  # the base figure Xero shows: the total at the document's rate
        rate = inv["CurrencyRate"]
        currency += " at %s (total %s %s)" % (_rate(rate), _money(base_total(inv, base)), escape(base))
    banks = [a for a in books.accounts.records(t) if books.accounts.usable_for_payments(a)]
    form = ""
    if inv["Status"] == "AUTHORISED":
        form = ("<form class=inline method=post action='/ui/%s/invoices/%s/pay'>"
                "<label>Amount<input name=amount value='%s' required></label>"
                "<label>Date<input name=date type=date value='%s'></label>"
                "<label>Paid into<select name=account>%s</select></label>%s"
                "<label>Reference<input name=reference></label><button>Record payment</button></form>") % (
            t, inv["InvoiceID"], _money(inv["AmountDue"]), books.today().isoformat(),
            "".join("<option value='%s'>%s %s</option>" % (escape(a["Code"]), escape(a["Code"]), escape(a["Name"]))
                    for a in banks),
            "" if inv.get("CurrencyCode", base) == base else
            "<label>Rate (empty: the day's)<input name=currency_rate></label>")
    body = ("<p><a href='/ui/%s'>← %s</a></p><h1>%s %s %s</h1>%s"
            "<section>%s<p class=muted>Contact: %s · Date %s · Due %s · %s · %s</p></section>"
            "<section><h2>Totals</h2>%s</section><section><h2>Payments</h2>%s%s</section>") % (
        t, escape(org["Name"]), escape(inv["Type"]), escape(inv.get("InvoiceNumber") or ""), _badge(inv["Status"]),
        message,
        _table(["Item", "Description", "#Qty", "#Unit", "Account", "Tax", "#Tax", "#Amount", "Tracking"], lines),
        escape(out.get("Contact", {}).get("Name", "")), escape(inv.get("_Date") or ""),
        escape(inv.get("_DueDate") or ""), escape(inv["LineAmountTypes"]), currency,
        _table(["#Sub total", "#Tax", "#Total", "#Paid", "#Credited", "#Due"], [[
            "#" + _money(inv["SubTotal"]), "#" + _money(inv["TotalTax"]), "#" + _money(inv["Total"]),
            "#" + _money(inv["AmountPaid"]), "#" + _money(inv["AmountCredited"]), "#" + _money(inv["AmountDue"])]]),
        _table(["Date", "#Amount", "#Rate", "#Bank amount", "Reference", "Payment ID"], payments), form)
    body += _history(app, org, books.invoices, inv)
    return _page("%s %s" % (inv["Type"], inv.get("InvoiceNumber") or ""), body)


def _history(app, org, entity, record):
    notes = [[escape(n.get("DateUTCString", "")), escape(n.get("User", "")), escape(n.get("Changes", "")),
              escape(n.get("Details", ""))] for n in record_history.history(app.books, org["OrganisationID"],
                                                                          entity, record)]
    return "<section class=history><h2>History and notes</h2>%s</section>" % _table(
        ["Date (UTC)", "User", "Change", "Details"], notes)


# /ui/{tenant}/{collection}/{id}: the page the connector links to for records other than invoices
RECORD_PAGES = {"contacts": ("contacts", ("Name", "EmailAddress", "AccountNumber", "ContactStatus")),
                "items": ("items", ("Code", "Name", "Description")),
                "creditnotes": ("creditnotes", ("CreditNoteNumber", "Type", "Status", "Total", "RemainingCredit")),
                "purchaseorders": ("purchaseorders", ("PurchaseOrderNumber", "Status", "Total"))}


def record_page(app, org, collection, record_id):
    t = org["OrganisationID"]
    attr, fields = RECORD_PAGES[collection]
    entity = getattr(app.books, attr)
    record = entity.get(t, record_id)
    if record is None:
        return error_page("not_found", "No such record.", 404)
    out = entity.render(record)
    rows = [[escape(f), escape(str(out.get(f, "")))] for f in fields]
    title = "%s %s" % (entity.collection, out.get(fields[0]) or "")
    body = "<p><a href='/ui/%s'>← %s</a></p><h1>%s</h1><section>%s</section>%s" % (
        t, escape(org["Name"]), escape(title), _table(["Field", "Value"], rows), _history(app, org, entity, record))
    return _page(title, body)


def online_invoice_page(app, token):
    """What the customer sees at the invoice's online link (Xero: in.xero.com/…)."""
    ref = app.store.get("onlineinvoice", token)
    org = ref and app.books.organisation(ref["tenant"])
    inv = org and app.books.invoices.get(ref["tenant"], ref["InvoiceID"])
    if not inv or inv["Status"] not in record_history.ONLINE_STATUSES:
        return error_page("not_found", "This invoice is not available online.", 404)
    out = app.books.invoices.render(inv)
    lines = [[escape(li.get("Description", "")), "#%s" % li["Quantity"], "#" + _money(li["UnitAmount"]),
              "#" + _money(li["LineAmount"])] for li in out["LineItems"]]
    body = ("<section class=online-invoice><h1>Invoice %s from %s %s</h1><p class=muted>To %s · Due %s</p>%s"
            "<p>Total <strong>%s %s</strong> · Amount due <strong class=amount-due>%s</strong></p></section>") % (
        escape(inv.get("InvoiceNumber") or ""), escape(org["Name"]), _badge(inv["Status"]),
        escape(out.get("Contact", {}).get("Name", "")), escape(inv.get("_DueDate") or ""),
        _table(["Description", "#Qty", "#Unit", "#Amount"], lines), escape(inv.get("CurrencyCode") or ""),
        _money(inv["Total"]), _money(inv["AmountDue"]))
    return _page("Invoice %s" % (inv.get("InvoiceNumber") or ""), body)


def pay(app, org, invoice_id, form):
    from .admin import record_payment

    ok, out = record_payment(app, org["OrganisationID"], {"Invoice": {"InvoiceID": invoice_id}},
                             form.get("amount"), form.get("date") or None, form.get("account") or None,
                             form.get("reference", ""), form.get("currency_rate") or None)
    if ok:
        return Response("", 303, {"Location": "/ui/%s/invoices/%s" % (org["OrganisationID"], quote(invoice_id))})
    errors = "; ".join(e["Message"] for e in out.get("ValidationErrors", []))
    return invoice_page(app, org, invoice_id, "<p class=error>%s</p>" % escape(errors))


def consent_page(app, client, scopes, args):
    """Xero's consent: who is signed in (login.xero.com; here a choice among the harness's
    users), what is asked, and the organisations to connect (none for a sign-in alone)."""
    sign_in_only = app.identity.user_scopes_only(scopes)
    orgs = [] if sign_in_only else [app.books.organisation(t) for t in app.identity.allowed_tenants(client)]
    hidden = "".join("<input type=hidden name='%s' value='%s'>" % (escape(k), escape(v))
                     for k, v in args.items() if k not in ("decision", "tenant", "user"))
    choices = "".join("<li><label style='flex-direction:row;gap:8px;font-size:14px;color:inherit'>"
                      "<input type=checkbox name=tenant value='%s' checked> %s</label></li>"
                      % (o["OrganisationID"], escape(o["Name"])) for o in orgs)
    app.identity.default_user()  # a harness without users gets its demo user
    people = "".join("<option value='%s'>%s %s &lt;%s&gt;</option>" % (
        escape(u["xero_userid"]), escape(u.get("given_name", "")), escape(u.get("family_name", "")),
        escape(u["email"])) for u in app.identity.users())
    orgs_html = "" if sign_in_only else "<h2>Organisations</h2><ul style='padding:0'>%s</ul>" % choices
    body = ("<div class=consent><section><h1>%s wants access to your Xero %s</h1>"
            "<p class=muted>Requested: %s</p><form method=post action='/identity/connect/authorize'>%s"
            "<label>Signed in to Xero as<select name=user id=user>%s</select></label>%s"
            "<p><button name=decision value=allow id=allow>Allow access</button> "
            "<button name=decision value=deny id=deny class=secondary>Cancel</button></p></form>"
            "</section></div>") % (escape(client["name"]), "identity" if sign_in_only else "data",
                                   escape(" ".join(scopes)), hidden, people, orgs_html)
    return _page("Xero | Authorise %s" % client["name"], body)


def error_page(code, description, status=400):
    body = "<section><h1>Sorry, something went wrong</h1><p class=error>%s</p><p class=muted>%s</p></section>" % (
        escape(code), escape(description))
    return _page("Error", body, status)
