"""Odoo-side neutral dicts → QuickBooks Online JSON, as pure functions (no Odoo import); the
other direction is from_qbo.py. Field names are Intuit's (Finance.xsd; checked by the tests
against ../shared/intuit-qbo-xsd and the simulator). A record QBO would refuse is refused
here with ``MappingError``, a message a user can act on, before anything is sent.

Tax (qbo-facts "Tax, numbering, currency"): a UK (VAT) company needs a ``TaxCodeRef`` on every
line and ``GlobalTaxCalculation``; lines go net of tax (``TaxExcluded``) and QBO adds the tax
per rate. A US company with automated sales tax takes ``TAX`` / ``NON`` per sales line and
computes the tax itself: its total may differ from Odoo's (``totals_differ``).
"""

import re
from decimal import ROUND_HALF_UP, Decimal

DOC_NUMBER_MAX = 21
NAME_MAX = 100          # Item Name, GivenName, FamilyName, CompanyName
DISPLAY_NAME_MAX = 500
PRIVATE_NOTE_MAX = 4000
DOCUMENT_ENTITIES = {"out_invoice": "Invoice", "out_refund": "CreditMemo", "in_invoice": "Bill",
                     "purchase_order": "PurchaseOrder"}
SALES = ("Invoice", "CreditMemo")
MARKER = re.compile(r"\[odoo:[\w.-]+\]")


class MappingError(ValueError):
    """The record cannot be sent to QuickBooks as it is; the message says what to fix."""


def _dec(value, places=2):
    return Decimal(str(value or 0)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _text(value, limit=None):
    value = re.sub(r"[\t\r\n]+", " ", value or "").strip()
    return value[:limit] if limit else value


def ref(value):
    return {"value": str(value)}


def update_fields(payload, remote_id=None, sync_token=None):
    """An update of ``remote_id`` is sparse: only the fields sent change (a ``Line`` list
    replaces every line); ``sync_token`` is the link's last one (a stale one answers 5010)."""
    if remote_id:
        if sync_token in (None, ""):
            raise MappingError("The QuickBooks SyncToken of %s is unknown: read it again first" % remote_id)
        payload.update(Id=str(remote_id), SyncToken=str(sync_token), sparse=True)
    return payload


def split_name(name):
    parts = (name or "").split()
    return (parts[0], " ".join(parts[1:])) if parts else ("", "")


# --- customers and vendors ------------------------------------------------------------------
def party_payload(partner, entity="Customer", person=None, remote_id=None, sync_token=None):
    """``partner``: {name, email, ref, vat, phone, mobile, website, street, street2, city, zip,
    state_code, country_code, currency, is_company}; ``person``: the person to bill {name,
    email}. -> Customer or Vendor JSON. ``DisplayName`` is unique across customers and vendors
    in QBO (6240): the caller matches before creating."""
    if entity not in ("Customer", "Vendor"):
        raise MappingError("%s is not a QuickBooks name list of partners" % entity)
    name = _text(partner.get("name"))
    if not name:
        raise MappingError("The partner has no name")
    if len(name) > DISPLAY_NAME_MAX:
        raise MappingError("The partner's name is longer than %d characters" % DISPLAY_NAME_MAX)
    payload = {"DisplayName": name}
    if partner.get("is_company"):
        payload["CompanyName"] = name[:NAME_MAX]
    if person is None and not partner.get("is_company"):
        person = partner
    first, last = split_name((person or {}).get("name"))
    if first:
        payload["GivenName"] = first[:NAME_MAX]
    if last:
        payload["FamilyName"] = last[:NAME_MAX]
    email = _text((person or {}).get("email")) or _text(partner.get("email"))
    if email:
        payload["PrimaryEmailAddr"] = {"Address": email[:100]}
    if partner.get("phone"):
        payload["PrimaryPhone"] = {"FreeFormNumber": _text(partner["phone"], 30)}
    if partner.get("mobile"):
        payload["Mobile"] = {"FreeFormNumber": _text(partner["mobile"], 30)}
    if partner.get("website"):
        payload["WebAddr"] = {"URI": _text(partner["website"], 1000)}
    if partner.get("ref"):
        payload["AcctNum"] = _text(partner["ref"], 100)
    if partner.get("vat") and entity == "Vendor":
        payload["TaxIdentifier"] = _text(partner["vat"], 20)
    address = {k: v for k, v in {
        "Line1": _text(partner.get("street"), 500), "Line2": _text(partner.get("street2"), 500),
        "City": _text(partner.get("city"), 255), "CountrySubDivisionCode": _text(partner.get("state_code"), 255),
        "PostalCode": _text(partner.get("zip"), 30), "Country": _text(partner.get("country_code"), 255)}.items() if v}
    if address:
        payload["BillAddr"] = address
    if partner.get("currency") and not remote_id:  # fixed at creation in QBO
        payload["CurrencyRef"] = ref(partner["currency"])
    return update_fields(payload, remote_id, sync_token)


# --- items -------------------------------------------------------------------------------------
def item_payload(product, remote_id=None, sync_token=None):
    """``product``: {code, name, description, purchase_description, list_price, standard_price,
    sale_ok, purchase_ok, income_account_id, expense_account_id, sales_tax_code_id,
    purchase_tax_code_id, taxable (US), goods (bool: NonInventory, else Service)}. QBO Item Ids
    and account Ids, not names. Inventory items are not pushed (QBO would own the stock)."""
    name = _text(product.get("name"))
    if not name:
        raise MappingError("The product has no name")
    if len(name) > NAME_MAX:
        raise MappingError("The product's name '%s…' is longer than QuickBooks' %d characters"
                           % (name[:40], NAME_MAX))
    if ":" in name:  # QBO's FullyQualifiedName joins parent and child names with ":"
        raise MappingError("The product's name '%s' contains ':' which QuickBooks reserves for sub-items" % name)
    payload = {"Name": name, "Type": "NonInventory" if product.get("goods") else "Service"}
    if product.get("code"):
        payload["Sku"] = _text(product["code"], 100)
    description = _text(product.get("description"), 4000)
    if description:
        payload["Description"] = description
    if product.get("sale_ok"):
        if not product.get("income_account_id"):
            raise MappingError("Product '%s' is sold but no QuickBooks income account is mapped for it "
                               "(QuickBooks → Accounts)" % name)
        payload["IncomeAccountRef"] = ref(product["income_account_id"])
        payload["UnitPrice"] = float(_dec(product.get("list_price"), 4))
        if product.get("sales_tax_code_id"):
            payload["SalesTaxCodeRef"] = ref(product["sales_tax_code_id"])
    if product.get("purchase_ok"):
        if not product.get("expense_account_id"):
            raise MappingError("Product '%s' is purchased but no QuickBooks expense account is mapped for it "
                               "(QuickBooks → Accounts)" % name)
        payload["ExpenseAccountRef"] = ref(product["expense_account_id"])
        payload["PurchaseCost"] = float(_dec(product.get("standard_price"), 4))
        if product.get("purchase_description"):
            payload["PurchaseDesc"] = _text(product["purchase_description"], 4000)
        if product.get("purchase_tax_code_id"):
            payload["PurchaseTaxCodeRef"] = ref(product["purchase_tax_code_id"])
    if not (product.get("sale_ok") or product.get("purchase_ok")):
        raise MappingError("Product '%s' is neither sold nor purchased: nothing to send" % name)
    if product.get("taxable") is not None:
        payload["Taxable"] = bool(product["taxable"])
    return update_fields(payload, remote_id, sync_token)


# --- documents -----------------------------------------------------------------------------------
def marker(database, model, res_id):
    """The private marker that finds a document again when the answer to its create was lost:
    ``[odoo:<database id>:<model>:<id>]`` in PrivateNote (never shown to the customer)."""
    return "[odoo:%s:%s:%s]" % (_text(database)[:36].replace(":", "-"), model, int(res_id))


def carries_marker(obj, mark):
    return bool(mark) and mark in (obj.get("PrivateNote") or "")


def lost_create_query(entity, payload):
    """The query that finds a create whose answer was lost, before sending it again: by
    DocNumber when one was sent, else by date and party (then ``carries_marker`` picks ours;
    PrivateNote itself cannot be queried)."""
    party = "CustomerRef" if entity in SALES else "VendorRef"
    if payload.get("DocNumber"):
        return "select * from %s where DocNumber = '%s'" % (entity, payload["DocNumber"].replace("'", "\\'"))
    return "select * from %s where TxnDate = '%s' and %s = '%s'" % (entity, payload["TxnDate"], party,
                                                                    payload[party]["value"])


def exchange_rate(rate):
    """Odoo's rate (units of the document's currency per 1 of the company's, as
    ``invoice_currency_rate``) -> QBO's ``ExchangeRate`` (home units per 1 foreign unit)."""
    rate = Decimal(str(rate or 0))
    if rate <= 0:
        return None
    return float((1 / rate).quantize(Decimal("0.0000000001"), rounding=ROUND_HALF_UP))


def line_payload(line, entity, us_ast=False, default_item_id=None):
    """``line``: {description, quantity, price_unit, subtotal (tax excluded), item_id,
    account_id, tax_code (a QBO TaxCode Id; "TAX"/"NON" for a US sales line), class_id,
    service_date}. -> one QBO Line (net amount)."""
    amount = _dec(line.get("subtotal"))
    description = _text(line.get("description"), 4000)
    out = {"Amount": float(amount)}
    if description:
        out["Description"] = description
    quantity, unit = _dec(line.get("quantity"), 4), _dec(line.get("price_unit"), 4)
    exact = bool(quantity) and (quantity * unit).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == amount
    item_id = line.get("item_id") or (default_item_id if entity in SALES else None)
    if entity in SALES:
        if not item_id:
            raise MappingError("Line '%s' has no product linked to QuickBooks and no catch-all item is set "
                               "(QuickBooks → Settings)" % (description[:60] or "-"))
        kind = "SalesItemLineDetail"
        detail = {"ItemRef": ref(item_id)}
        if line.get("service_date"):
            detail["ServiceDate"] = str(line["service_date"])
    elif item_id:
        kind = "ItemBasedExpenseLineDetail"
        detail = {"ItemRef": ref(item_id)}
    else:
        if not line.get("account_id"):
            raise MappingError("Line '%s' has no QuickBooks expense account (QuickBooks → Accounts)"
                               % (description[:60] or "-"))
        kind = "AccountBasedExpenseLineDetail"
        detail = {"AccountRef": ref(line["account_id"])}
    if kind != "AccountBasedExpenseLineDetail" and exact:
        # Qty and UnitPrice only when QBO's check round(Qty × UnitPrice, 2) = Amount holds
        # (else 6070); otherwise QBO derives them from the Amount
        detail.update(Qty=float(quantity), UnitPrice=float(unit))
    code = line.get("tax_code")
    if us_ast:
        if entity in SALES:
            detail["TaxCodeRef"] = ref("TAX" if code in (True, "TAX") else "NON")
    else:
        if not code:
            raise MappingError("Line '%s' has no VAT code: map its Odoo tax to a QuickBooks tax code "
                               "(QuickBooks → Tax mapping)" % (description[:60] or "-"))
        detail["TaxCodeRef"] = ref(code)
    if line.get("class_id"):
        detail["ClassRef"] = ref(line["class_id"])
    out["DetailType"] = kind
    out[kind] = detail
    return out


def document_payload(doc, remote_id=None, sync_token=None):
    """``doc``: {kind (out_invoice, out_refund, in_invoice, purchase_order), party_id (the QBO
    Customer / Vendor Id), number, reference, date, due_date, currency, base_currency, rate
    (Odoo's, see exchange_rate), us_ast (the company uses automated sales tax),
    custom_numbers (Preferences.SalesFormsPrefs.CustomTxnNumbers), class_id, department_id,
    marker, note, default_item_id (catch-all item), lines}. -> (entity, payload)."""
    entity = DOCUMENT_ENTITIES.get(doc.get("kind"))
    if entity is None:
        raise MappingError("Documents of kind %s are not sent to QuickBooks" % doc.get("kind"))
    if not doc.get("party_id"):
        raise MappingError("The partner is not in QuickBooks yet")
    lines = [line for line in doc.get("lines") or () if line.get("display_type", "product") == "product"]
    if not lines:
        raise MappingError("A document needs at least one line")
    us_ast = bool(doc.get("us_ast"))
    payload = {("CustomerRef" if entity in SALES else "VendorRef"): ref(doc["party_id"]),
               "Line": [line_payload(line, entity, us_ast, doc.get("default_item_id")) for line in lines]}
    if doc.get("date"):
        payload["TxnDate"] = str(doc["date"])
    if doc.get("due_date") and entity != "CreditMemo":
        payload["DueDate"] = str(doc["due_date"])
    if not us_ast:
        payload["GlobalTaxCalculation"] = "TaxExcluded"
    _number_and_note(payload, entity, doc)
    _tracking(payload, entity, doc)
    if doc.get("currency"):
        payload["CurrencyRef"] = ref(doc["currency"])
        if doc.get("base_currency") and doc["currency"] != doc["base_currency"]:
            rate = exchange_rate(doc.get("rate"))
            if rate is None:
                raise MappingError("No exchange rate for %s: set one in Odoo before sending" % doc["currency"])
            payload["ExchangeRate"] = rate
    return entity, update_fields(payload, remote_id, sync_token)


def _number_and_note(payload, entity, doc):
    """Sales forms: QBO numbers them itself when custom transaction numbers are off (Intuit:
    then send none). A bill's number is the supplier's reference; Odoo's name goes in the
    private note beside the marker."""
    number = _text(doc.get("reference") if entity == "Bill" else doc.get("number"))
    if number and (entity not in SALES or doc.get("custom_numbers")):
        if len(number) > DOC_NUMBER_MAX:
            raise MappingError("The number '%s' is longer than QuickBooks' %d characters" % (number, DOC_NUMBER_MAX))
        payload["DocNumber"] = number
    note = " ".join(p for p in (doc.get("marker"), _text(doc.get("number")) if entity == "Bill" else "",
                                _text(doc.get("note"))) if p)
    if note:
        payload["PrivateNote"] = note[:PRIVATE_NOTE_MAX]


def _tracking(payload, entity, doc):
    """Analytic plans → ClassRef (per transaction; a bill has none in the XSD: then per line)
    and DepartmentRef (QBO's location, per transaction)."""
    if doc.get("class_id"):
        if entity == "Bill":
            for line in payload["Line"]:
                line[line["DetailType"]].setdefault("ClassRef", ref(doc["class_id"]))
        else:
            payload["ClassRef"] = ref(doc["class_id"])
    if doc.get("department_id"):
        payload["DepartmentRef"] = ref(doc["department_id"])


def totals_differ(odoo_total, qbo_doc, odoo_tax=None):
    """QBO's total against Odoo's, to the cent. -> None when equal, else {"odoo", "qbo",
    "difference" (QBO − Odoo), "odoo_tax", "qbo_tax", "message"} naming the difference: under US
    automated sales tax QBO computes the tax and Odoo must be told (the peers' most reported
    problem)."""
    ours, theirs = _dec(odoo_total), _dec(qbo_doc.get("TotalAmt"))
    if ours == theirs:
        return None
    qbo_tax = _dec((qbo_doc.get("TxnTaxDetail") or {}).get("TotalTax"))
    difference = theirs - ours
    message = "QuickBooks totals %s %s at %s where Odoo totals %s (%s%s)" % (
        _label(qbo_doc), qbo_doc.get("DocNumber") or qbo_doc.get("Id") or "", theirs, ours,
        "+" if difference > 0 else "", difference)
    if odoo_tax is not None:
        message += ": tax %s in QuickBooks, %s in Odoo" % (qbo_tax, _dec(odoo_tax))
    return {"odoo": ours, "qbo": theirs, "difference": difference, "qbo_tax": qbo_tax,
            "odoo_tax": None if odoo_tax is None else _dec(odoo_tax), "message": message}


def _label(qbo_doc):
    if "VendorRef" in qbo_doc:
        return "purchase order" if "POStatus" in qbo_doc else "bill"
    return "credit memo" if "RemainingCredit" in qbo_doc else "invoice"
