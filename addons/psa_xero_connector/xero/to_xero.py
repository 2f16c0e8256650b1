"""Odoo record → Xero payload, as pure functions over plain dicts (no Odoo import); the other
direction is from_xero.py.

The models extract what a mapping needs into dicts (``res.partner._xero_contact_values``,
``account.move._xero_document_values`` …); these functions check and shape it. A problem
Xero would refuse is raised here as ``MappingError`` with a message a user can act on, before
anything is sent.

Totals equal Odoo's to the cent: each line carries Odoo's own LineAmount and TaxAmount
(Xero accepts a line's TaxAmount as sent), and UnitAmount + DiscountRate only when Xero's
formula ``round(Qty × Unit × (100 − Discount) / 100, 2)`` gives back exactly Odoo's line
amount; otherwise the line is sent by amount and Xero derives the unit price.
"""

from decimal import ROUND_HALF_UP, Decimal


class MappingError(ValueError):
    """The record cannot be sent to Xero as it is; the message says what to fix."""


def _dec(value, places=2):
    return Decimal(str(value or 0)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _num(value, places=2):
    """A JSON number with at most ``places`` decimals."""
    return float(_dec(value, places))


def _text(value, limit=None):
    value = (value or "").strip()
    return value[:limit] if limit else value


def split_name(name):
    """"Jane van der Berg" -> ("Jane", "van der Berg"); one word -> (word, "")."""
    parts = (name or "").split()
    if not parts:
        return "", ""
    return parts[0], " ".join(parts[1:])


# --- contacts ------------------------------------------------------------------------------------
def contact_payload(partner, person=None, customer=True, contact_id=None):
    """``partner``: {name, email, ref, vat, phone, mobile, street, street2, city, zip, state,
    country_code, currency, is_company}; ``person``: the person to bill {name, email} (the
    invoice contact, or the partner itself when it is a person). Customers need a first name,
    last name and e-mail address for the person to bill."""
    name = _text(partner.get("name"))
    if not name:
        raise MappingError("Contact missing name")
    if len(name) > 255:
        raise MappingError("Contact name is longer than 255 characters")
    if person is None and not partner.get("is_company"):
        person = partner
    first, last = split_name((person or {}).get("name"))
    email = _text((person or {}).get("email")) or _text(partner.get("email"))
    if customer:
        if not email:
            raise MappingError("Contact missing email address")
        if not first or not last:
            raise MappingError("Contact missing first or last name of the person to bill "
                               "(add an invoice address with a person's full name)")
    payload = {"Name": name}
    if contact_id:
        payload["ContactID"] = contact_id
    if first:
        payload["FirstName"] = first[:255]
    if last:
        payload["LastName"] = last[:255]
    if email:
        payload["EmailAddress"] = email
    if partner.get("ref"):
        payload["AccountNumber"] = _text(partner["ref"], 50)
    if partner.get("vat"):
        payload["TaxNumber"] = _text(partner["vat"], 50)
    if partner.get("currency"):
        payload["DefaultCurrency"] = partner["currency"]
    address = {k: v for k, v in {
        "AddressType": "STREET", "AddressLine1": _text(partner.get("street")),
        "AddressLine2": _text(partner.get("street2")), "City": _text(partner.get("city")),
        "Region": _text(partner.get("state")), "PostalCode": _text(partner.get("zip")),
        "Country": _text(partner.get("country_code"))}.items() if v}
    if len(address) > 1:
        payload["Addresses"] = [address]
    phones = [{"PhoneType": kind, "PhoneNumber": _text(partner.get(field), 50)}
              for kind, field in (("DEFAULT", "phone"), ("MOBILE", "mobile")) if partner.get(field)]
    if phones:
        payload["Phones"] = phones
    return payload


# --- items -----------------------------------------------------------------------------------------
def item_payload(product, item_id=None):
    """``product``: {code, name, description, purchase_description, list_price, standard_price,
    sale_ok, purchase_ok, sales_account, sales_tax_type, purchase_account, purchase_tax_type}."""
    code = _text(product.get("code"))
    if not code:
        raise MappingError("Item code missing: set the product's internal reference")
    if len(code) > 30:
        raise MappingError("Item code '%s' is longer than 30 characters" % code)
    name = _text(product.get("name"))
    payload = {"Code": code, "Name": name if len(name) <= 50 else name[:49] + "…"}
    if item_id:
        payload["ItemID"] = item_id
    description = _text(product.get("description")) or name
    if description:
        payload["Description"] = description[:4000]
    if product.get("purchase_description"):
        payload["PurchaseDescription"] = _text(product["purchase_description"], 4000)
    for side, flag, price, account, tax in (
            ("SalesDetails", "sale_ok", "list_price", "sales_account", "sales_tax_type"),
            ("PurchaseDetails", "purchase_ok", "standard_price", "purchase_account", "purchase_tax_type")):
        if not product.get(flag):
            continue
        details = {"UnitPrice": _num(product.get(price), 4)}
        if product.get(account):
            details["AccountCode"] = product[account]
        if product.get(tax):
            details["TaxType"] = product[tax]
        payload[side] = details
    payload["IsSold"] = bool(product.get("sale_ok"))
    payload["IsPurchased"] = bool(product.get("purchase_ok"))
    return payload


# --- documents -------------------------------------------------------------------------------------
DOCUMENT_TYPES = {
    "out_invoice": ("Invoices", "ACCREC"), "in_invoice": ("Invoices", "ACCPAY"),
    "out_refund": ("CreditNotes", "ACCRECCREDIT"), "in_refund": ("CreditNotes", "ACCPAYCREDIT"),
    "purchase_order": ("PurchaseOrders", None),
}


def line_payload(line, amount_types):
    """``line``: {description, quantity, price_unit, discount, subtotal (tax excluded),
    total (tax included), item_code, account_code, tax_type}. -> Xero LineItem."""
    quantity = _dec(line.get("quantity") or 0, 4)
    subtotal, total = _dec(line.get("subtotal")), _dec(line.get("total"))
    line_amount = total if amount_types == "Inclusive" else subtotal
    tax_amount = total - subtotal
    out = {"Description": _text(line.get("description"), 4000) or _text(line.get("item_code")) or "-",
           "Quantity": float(quantity)}
    unit = _dec(line.get("price_unit"), 4)
    discount = _dec(line.get("discount") or 0, 4)
    formula = (quantity * unit * (100 - discount) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if quantity and formula == line_amount:
        out["UnitAmount"] = float(unit)
        if discount:
            out["DiscountRate"] = float(discount)
    out["LineAmount"] = float(line_amount)
    if line.get("item_code"):
        out["ItemCode"] = line["item_code"]
    if line.get("account_code"):
        out["AccountCode"] = line["account_code"]
    if amount_types == "NoTax":
        out["TaxType"] = "NONE"
    else:
        if not line.get("tax_type") and tax_amount:
            raise MappingError("Line '%s' has tax but its Odoo tax is not mapped to a Xero tax type "
                               "(Xero → Tax mapping)" % out["Description"][:60])
        out["TaxType"] = line.get("tax_type") or "NONE"
        out["TaxAmount"] = float(tax_amount)
    return out


def amount_types_of(lines):
    """Inclusive when every taxed line's price includes its tax, NoTax when nothing is taxed,
    else Exclusive (Xero has one LineAmountTypes per document)."""
    taxed = [line for line in lines if _dec(line.get("total")) != _dec(line.get("subtotal"))]
    if not taxed:
        return "NoTax"
    if all(line.get("price_include") for line in taxed):
        return "Inclusive"
    return "Exclusive"


def document_payload(doc, document_id=None):
    """``doc``: {kind (out_invoice, in_invoice, out_refund, in_refund, purchase_order),
    contact_id, number, reference, date, due_date, currency, base_currency, rate, status, url
    (the document's page in Odoo), total (Odoo's total, checked against Xero's: see
    rounding_line), rounding_account, lines: [line dicts]}. -> (collection, payload)."""
    if doc["kind"] not in DOCUMENT_TYPES:
        raise MappingError("Documents of kind %s are not sent to Xero" % doc["kind"])
    collection, xero_type = DOCUMENT_TYPES[doc["kind"]]
    if not doc.get("contact_id"):
        raise MappingError("The partner is not in Xero yet")
    lines = [line for line in doc.get("lines") or () if line.get("display_type", "product") == "product"]
    if not lines:
        raise MappingError("A document needs at least one line")
    amount_types = amount_types_of(lines)
    payload = {"Contact": {"ContactID": doc["contact_id"]}, "LineAmountTypes": amount_types,
               "LineItems": [part for line in lines
                             for part in tracked_lines(line_payload(line, amount_types), line, doc.get("tracking"))],
               "Status": doc.get("status") or "AUTHORISED"}
    rounding_line(payload, doc.get("total"), doc.get("rounding_account"), len(lines))
    if xero_type:
        payload["Type"] = xero_type
    if doc.get("date"):
        payload["Date"] = str(doc["date"])
    number_field = {"Invoices": "InvoiceNumber", "CreditNotes": "CreditNoteNumber",
                    "PurchaseOrders": "PurchaseOrderNumber"}[collection]
    if xero_type in ("ACCPAY", "ACCPAYCREDIT"):
        # a bill's number is the supplier's reference; Odoo's own name goes in Reference
        if doc.get("reference"):
            payload[number_field] = _text(doc["reference"], 255)
        if doc.get("number"):
            payload["Reference"] = _text(doc["number"], 255)
    else:
        if doc.get("number"):
            payload[number_field] = _text(doc["number"], 255)
        if doc.get("reference"):
            payload["Reference"] = _text(doc["reference"], 255)
    if doc.get("url"):
        # Xero's certification checkpoint 20: "Go to …" in Xero opens the document in Odoo
        payload["Url"] = record_url(doc["url"])
    if doc.get("due_date") and collection == "Invoices":
        payload["DueDate"] = str(doc["due_date"])
    if doc.get("due_date") and collection == "PurchaseOrders":
        payload["DeliveryDate"] = str(doc["due_date"])
    payload.update(currency_fields(doc.get("currency"), doc.get("base_currency"), doc.get("rate")))
    id_field = {"Invoices": "InvoiceID", "CreditNotes": "CreditNoteID", "PurchaseOrders": "PurchaseOrderID"}
    if document_id:
        payload[id_field[collection]] = document_id
    return collection, payload


def record_url(url):
    """``url`` as Xero takes it for a document's ``Url`` (the OpenAPI's "URL link to a source
    document – shown as “Go to [appName]” in the Xero app"): an absolute http(s) address."""
    url = _text(url)
    scheme, _sep, rest = url.partition("://")
    if scheme.lower() not in ("http", "https") or not rest or rest.startswith("/") or any(c.isspace() for c in url):
        raise MappingError("The link back to Odoo (%s) is not an absolute http(s) address: set Settings → Xero → "
                           "Link back to Odoo (or the database's web.base.url)" % (url or "empty"))
    return url


def currency_fields(currency, base_currency=None, rate=None):
    """-> ``CurrencyCode`` and, for a currency other than the base, ``CurrencyRate``.

    Xero's CurrencyRate is units of the document's currency per 1 unit of the base currency
    (a GBP organisation's EUR invoice at 1.15: 115 EUR = 100 GBP) — the quantity Odoo keeps as
    ``invoice_currency_rate`` / ``purchase.order.currency_rate`` (company currency → document
    currency; ``res.currency.rate.rate`` is per unit of the company currency too), so it goes
    as it is, at Xero's 6 decimals. Never omitted for a foreign currency (Xero would take its
    own day rate and its base figures would not be Odoo's) and never 1 there (the classic
    "EUR→DKK at 1.0"); nothing for the base currency, whose rate is always 1 in Xero."""
    if not currency:
        return {}
    out = {"CurrencyCode": currency}
    if base_currency and currency != base_currency:
        rate = _dec(rate or 0, 6)
        if rate <= 0:
            raise MappingError("No exchange rate for %s: set one in Odoo before sending" % currency)
        out["CurrencyRate"] = float(rate)
    return out


def to_base(amount, rate):
    """What Xero books in the base currency for ``amount`` at ``rate`` (see currency_fields)."""
    rate = _dec(rate, 6)
    return _dec(Decimal(str(amount)) / rate) if rate else _dec(amount)


def rounding_line(payload, odoo_total, rounding_account, line_count):
    """Xero's certification checkpoint 14: Xero's total must be Odoo's, never a silent cent.

    Decided before sending, not after: Xero's total is known exactly beforehand (it sums each
    line's amount and the TaxAmount sent with it — ``xero_total``), so the difference is fixed in
    the same request, while the document may still take a line (once approved and paid it no
    longer can). Odoo differs when it rounds tax globally (Xero rounds per line: 25.06 + 25.61 +
    25.63 at 15 % is 11.44 of tax in Xero, 11.45 in Odoo — Xero's "Rounding in Xero" guide's own
    example). The guide's fix: a line of the difference to the organisation's rounding account
    (Xero's system account ROUNDING, 860 in its default charts), without tax. More than a cent
    per line is no rounding: refused with both totals, as is a difference with no rounding
    account known. ``payload`` gains the line in place."""
    if odoo_total is None:
        return
    odoo_total = _dec(odoo_total)
    computed = xero_total(payload)
    difference = odoo_total - computed
    if not difference:
        return
    if abs(difference) > Decimal("0.01") * max(line_count, 1):
        raise MappingError("Xero would total this document %s where Odoo totals %s: more than rounding "
                           "between them; check the lines' taxes and amounts" % (computed, odoo_total))
    if not rounding_account:
        raise MappingError("Xero would total this document %s where Odoo totals %s (Xero rounds tax per line): "
                           "no rounding account of the organisation is known to add the difference to. Import the "
                           "accounts from Xero (its system Rounding account), then Retry" % (computed, odoo_total))
    line = {"Description": "Rounding", "Quantity": 1.0, "UnitAmount": float(difference),
            "LineAmount": float(difference), "AccountCode": rounding_account, "TaxType": "NONE"}
    if payload["LineAmountTypes"] != "NoTax":
        line["TaxAmount"] = 0.0
    payload["LineItems"].append(line)


def xero_total(payload):
    """The total Xero will compute for a document payload built above."""
    total = Decimal(0)
    for line in payload["LineItems"]:
        amount = _dec(line["LineAmount"])
        tax = _dec(line.get("TaxAmount", 0))
        total += amount if payload["LineAmountTypes"] == "Inclusive" else amount + tax
    return total


# --- tracking (issue #12) ---------------------------------------------------------------------
# Odoo's analytic distribution of a line ({"12": 60, "13,20": 40}: a key is one analytic account
# per plan, the value a percentage) becomes Xero Tracking: one option per tracking category.
# Xero allows one option per category on a line, so a line split over several analytic accounts
# of one mapped plan (60/40) is sent as several Xero lines, one per share, whose amounts add up
# to the Odoo line's to the cent: Xero's tracking reports then show the same split as Odoo's.

HUNDRED = Decimal(100)


def tracking_parts(distribution, tracking):
    """-> [(percent, [LineItemTracking])], the shares of a line by tracking options.

    ``distribution``: the line's analytic_distribution; ``tracking``: {analytic account id:
    {"TrackingCategoryID", "TrackingOptionID", "Name", "Option"}} for the accounts of mapped
    plans (the others are not tracked in Xero). A share not allocated to any option of a
    category is a share without it. Keys naming the same categories are read as Odoo's joint
    distribution; keys naming different ones (one plan per key) are independent, each plan's
    split applied to the other's. Shares with the same options are merged."""
    keyed = []
    for key, percent in (distribution or {}).items():
        accounts = [int(a) for a in str(key).split(",") if a.strip().isdigit()]
        elements = [tracking[a] for a in accounts if a in tracking]
        if elements and Decimal(str(percent or 0)) > 0:
            keyed.append((Decimal(str(percent)), elements))
    if not keyed:
        return []
    categories = {frozenset(e["TrackingCategoryID"] for e in elements) for _p, elements in keyed}
    if len(categories) == 1:
        parts = _with_rest(keyed)
    else:
        marginal = {}
        for percent, elements in keyed:
            for element in elements:
                marginal.setdefault(element["TrackingCategoryID"], []).append((percent, [element]))
        parts = [(HUNDRED, [])]
        for shares in marginal.values():
            parts = [(p * q / HUNDRED, a + b) for p, a in parts for q, b in _with_rest(shares)]
    merged = {}
    for percent, elements in parts:
        key = tuple(sorted(e["TrackingOptionID"] for e in elements))
        if key in merged:
            merged[key] = (merged[key][0] + percent, merged[key][1])
        else:
            merged[key] = (percent, elements)
    return [(p, [{k: e[k] for k in ("TrackingCategoryID", "TrackingOptionID", "Name", "Option")} for e in els])
            for p, els in merged.values() if p > 0]


def _with_rest(shares):
    """Shares over 100 % are scaled down; under 100 %, the rest is a share without tracking."""
    total = sum(p for p, _e in shares)
    if total > HUNDRED:
        return [(p * HUNDRED / total, e) for p, e in shares]
    return shares + ([(HUNDRED - total, [])] if total < HUNDRED else [])


def tracked_lines(item, line, tracking):
    """A LineItem with its Tracking; split into one LineItem per share when its analytic
    distribution spreads it over several options of one category. Amounts and tax are shared
    out to the cent, the last share taking what rounding leaves, so the sum is the line's."""
    parts = tracking_parts(line.get("analytic_distribution"), tracking or {})
    if not parts:
        return [item]
    if len(parts) == 1:
        return [dict(item, Tracking=parts[0][1])] if parts[0][1] else [item]
    amount, tax = _dec(item["LineAmount"]), _dec(item.get("TaxAmount", 0))
    quantity = _dec(item.get("Quantity") or 0, 4)
    out, amount_left, tax_left = [], amount, tax
    for index, (percent, elements) in enumerate(parts):
        last = index == len(parts) - 1
        share = amount_left if last else _dec(amount * percent / HUNDRED)
        share_tax = tax_left if last else _dec(tax * percent / HUNDRED)
        amount_left, tax_left = amount_left - share, tax_left - share_tax
        part = {k: v for k, v in item.items() if k not in ("UnitAmount", "DiscountRate")}
        part.update(Quantity=float(_dec(quantity * percent / HUNDRED, 4)), LineAmount=float(share))
        if "TaxAmount" in item:
            part["TaxAmount"] = float(share_tax)
        if "UnitAmount" in item:  # kept only where Xero's formula gives the share back exactly
            unit, discount = _dec(item["UnitAmount"], 4), _dec(item.get("DiscountRate") or 0, 4)
            formula = (_dec(part["Quantity"], 4) * unit * (100 - discount) / 100).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP)
            if formula == share:
                part["UnitAmount"] = float(unit)
                if discount:
                    part["DiscountRate"] = float(discount)
        if elements:
            part["Tracking"] = elements
        out.append(part)
    return out


def tracking_splits(doc):
    """The lines of ``doc`` (see document_payload) sent as several Xero lines, for the note on
    the document: [(description, [(percent, "Category: Option, …"), …])]."""
    out = []
    for line in doc.get("lines") or ():
        parts = tracking_parts(line.get("analytic_distribution"), doc.get("tracking") or {})
        if len(parts) > 1:
            out.append((_text(line.get("description"), 60) or "-", [
                (_percent(p), ", ".join("%s: %s" % (e["Name"], e["Option"]) for e in els)
                 or "-") for p, els in parts]))
    return out


def _percent(value):
    """60 -> "60", 33.3333 -> "33.33" (no exponent, no trailing zeros)."""
    text = "%.2f" % value
    return text.rstrip("0").rstrip(".")
