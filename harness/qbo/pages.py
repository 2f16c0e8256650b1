"""The QBO simulator's pages: the consent page (pick ONE company, as Intuit's does), and a page
to look inside: companies, apps, webhook deliveries, recent requests (``/``); a company's
customers, items, invoices (each with **Record payment**), bills and payments (``/ui/{realm}``).
"""

from html import escape

from werkzeug.wrappers import Response

STYLE = ("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;"
         "margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
         "th{background:#eef}</style>")


def _page(title, body, status=200):
    html = "<!doctype html><html><head><meta charset='utf-8'><title>%s</title>%s</head><body><h1>%s</h1>%s" \
           "</body></html>" % (escape(title), STYLE, escape(title), body)
    return Response(html, status, content_type="text/html; charset=utf-8")


def _table(headers, rows):
    head = "".join("<th>%s</th>" % escape(h) for h in headers)
    body = "".join("<tr>%s</tr>" % "".join("<td>%s</td>" % cell for cell in row) for row in rows)
    return "<table><tr>%s</tr>%s</table>" % (head, body or "<tr><td colspan=%d>none</td></tr>" % len(headers))


def error_page(code, description):
    return _page("Intuit sign-in error", "<p><b>%s</b>: %s</p>" % (escape(code), escape(description or "")), 400)


def consent_page(app, client, scopes, args):
    hidden = "".join("<input type='hidden' name='%s' value='%s'>" % (escape(k), escape(v))
                     for k, v in args.items() if k in ("client_id", "redirect_uri", "scope", "state",
                                                       "response_type"))
    choices = "".join("<p><label><input type='radio' name='realmId' value='%s'%s> %s (%s)</label></p>"
                      % (escape(c["realmId"]), " checked" if i == 0 else "", escape(c["CompanyName"]),
                         escape(c["Country"])) for i, c in enumerate(app.identity.realms_for(client)))
    body = ("<p><b>%s</b> wants to connect to one QuickBooks company (%s).</p>"
            "<form method='post' action='/connect/oauth2'>%s%s"
            "<button name='decision' value='allow'>Connect</button> "
            "<button name='decision' value='deny'>Cancel</button></form>"
            % (escape(client["name"]), escape(" ".join(scopes)), hidden, choices))
    return _page("Intuit: connect your QuickBooks company", body)


def handle(app, request, parts):
    if not parts:
        return index(app)
    realm = parts[0]
    if app.store.get("company", realm) is None:
        return _page("Not found", "<p>No company %s</p>" % escape(realm), 404)
    if len(parts) == 4 and parts[1] == "invoices" and parts[3] == "pay" and request.method == "POST":
        from .admin import record_payment
        from .wire import QboFault
        try:
            record_payment(app, realm, parts[2], request.form.get("amount"), request.form.get("date") or None)
        except QboFault as fault:
            return _page("Payment refused", "<p>%s: %s</p>" % (escape(fault.message), escape(fault.detail)), 400)
        return Response("", 303, {"Location": "/ui/%s" % realm})
    return company_page(app, realm)


def index(app):
    companies = _table(["Company", "realmId", "Country", "Tax"], [
        ("<a href='/ui/%s'>%s</a>" % (escape(c["realmId"]), escape(c["CompanyName"])), escape(c["realmId"]),
         escape(c["Country"]), escape(c["tax_mode"])) for c in app.identity.companies()])
    clients = _table(["App", "client_id", "Webhook", "Format", "Status"], [
        (escape(c["name"]), escape(c["client_id"]), escape(c.get("webhook_url") or ""),
         escape(c.get("webhook_format", "")), escape(c.get("webhook_status", ""))) for c in app.identity.clients()])
    deliveries = _table(["Created", "App", "Status", "Events", "Attempts"], [
        (escape(str(round(d["created"]))), escape(d["client_id"]), escape(d["status"]),
         escape(", ".join("%s %s %s" % (e["realm"], e["name"], e["operation"]) for e in d["events"][:5])),
         escape(str(len(d["attempts"])))) for d in app.webhooks.deliveries()[:50]])
    requests_ = _table(["Method", "Path", "Status", "ms"], [
        (escape(r["method"]), escape(r["path"]), escape(str(r["status"])), escape(str(r["ms"])))
        for r in list(app.recent)[:50]])
    return _page("QuickBooks Online simulator", "<h2>Companies</h2>%s<h2>Apps</h2>%s<h2>Webhook deliveries</h2>%s"
                 "<h2>Requests received</h2>%s" % (companies, clients, deliveries, requests_))


def _ref(ref):
    return escape((ref or {}).get("name") or (ref or {}).get("value") or "")


def company_page(app, realm):
    books = app.books
    company = app.store.get("company", realm)
    close = books.book_close_date(realm)
    invoices = []
    for inv in books.all(realm, "Invoice"):
        form = ""
        if float(inv.get("Balance") or 0) > 0:
            form = ("<form method='post' action='/ui/%s/invoices/%s/pay'><input name='amount' value='%s' size='8'>"
                    " <input name='date' type='date'> <button>Record payment</button></form>"
                    % (escape(realm), escape(inv["Id"]), escape(str(inv["Balance"]))))
        invoices.append((escape(inv["Id"]), escape(inv.get("DocNumber") or ""), _ref(inv.get("CustomerRef")),
                         escape(inv["TxnDate"]), escape(str(inv["TotalAmt"])), escape(str(inv.get("Balance"))),
                         "Voided" if inv.get("_void") else "", form))
    sections = [
        ("Customers", ["Id", "Name", "Balance", "Active"], [
            (escape(c["Id"]), escape(c["DisplayName"]), escape(str(c.get("Balance"))), escape(str(c["Active"])))
            for c in books.all(realm, "Customer")]),
        ("Items", ["Id", "Name", "Type", "Price"], [
            (escape(i["Id"]), escape(i["Name"]), escape(i["Type"]), escape(str(i.get("UnitPrice"))))
            for i in books.all(realm, "Item")]),
        ("Invoices", ["Id", "No.", "Customer", "Date", "Total", "Balance", "", ""], invoices),
        ("Bills", ["Id", "No.", "Vendor", "Date", "Total", "Balance"], [
            (escape(b["Id"]), escape(b.get("DocNumber") or ""), _ref(b.get("VendorRef")), escape(b["TxnDate"]),
             escape(str(b["TotalAmt"])), escape(str(b.get("Balance")))) for b in books.all(realm, "Bill")]),
        ("Payments", ["Id", "Customer", "Date", "Amount", "Applied to"], [
            (escape(p["Id"]), _ref(p.get("CustomerRef")), escape(p["TxnDate"]), escape(str(p["TotalAmt"])),
             escape(", ".join("Invoice %s" % link["TxnId"] for line in p.get("Line") or []
                              for link in line.get("LinkedTxn") or []))) for p in books.all(realm, "Payment")]),
    ]
    body = "<p><a href='/'>All companies</a> · realmId %s · %s · books closed through %s</p>" % (
        escape(realm), escape(company["currency"]), escape(close or "—"))
    body += "".join("<h2>%s</h2>%s" % (title, _table(headers, rows)) for title, headers, rows in sections)
    return _page(company["CompanyName"], body)
