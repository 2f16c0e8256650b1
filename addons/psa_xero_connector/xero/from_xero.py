"""Xero record → Odoo values, as pure functions over plain dicts (no Odoo import); the other
direction is to_xero.py.

The importer (models/xero_importer.py) reads Xero, looks up what these need in the database
(the company id, country ids by ISO code, the record a Xero record matched) and passes it in
as plain values; it decides what to create or link and writes. Values are taken as Xero gives
them (Xero already enforces its own limits: contact name ≤ 255, item code ≤ 30).
"""

from . import matching

# --- catalog rows (ledger.tax.rate, ledger.account, ledger.item) ------------------------------------------
# TaxRate.CanApplyTo<Class> -> ledger.tax.rate field (which account classes the rate may be used with)
CAN_APPLY_FIELDS = {"CanApplyToRevenue": "can_apply_to_revenue", "CanApplyToExpenses": "can_apply_to_expenses",
                    "CanApplyToAssets": "can_apply_to_assets", "CanApplyToLiabilities": "can_apply_to_liabilities",
                    "CanApplyToEquity": "can_apply_to_equity"}


def tax_rate_row(rate):
    """A Xero TaxRate -> ledger.tax.rate values (without the tenant). A CanApplyTo flag Xero
    leaves out allows (Xero's documentation shows them as booleans or "true"/"false")."""
    row = {"tax_type": rate["TaxType"], "name": rate.get("Name") or rate["TaxType"],
           "rate": float(rate.get("EffectiveRate") or 0.0), "kind": matching.tax_kind(rate),
           "component_count": len(rate.get("TaxComponents") or []),
           "active": rate.get("Status", "ACTIVE") == "ACTIVE"}
    for flag, field in CAN_APPLY_FIELDS.items():
        row[field] = str(rate.get(flag, True)).lower() != "false"
    return row


def account_row(account):
    """A Xero Account -> ledger.account values (without the tenant)."""
    return {"account_id": account["AccountID"], "code": account.get("Code") or False,
            "name": account.get("Name") or account["AccountID"], "account_type": account.get("Type"),
            "account_class": account.get("Class") or False, "system_account": account.get("SystemAccount") or False,
            "tax_type": account.get("TaxType") or False, "active": account.get("Status", "ACTIVE") == "ACTIVE"}


def item_row(item):
    """A Xero Item -> ledger.item values (without the tenant); listed items are active."""
    sales, purchase = item.get("SalesDetails") or {}, item.get("PurchaseDetails") or {}
    return {"item_id": item["ItemID"], "code": item["Code"], "name": item.get("Name") or item["Code"],
            "sales_price": float(sales.get("UnitPrice") or 0.0),
            "sales_account_code": sales.get("AccountCode") or False,
            "sales_tax_type": sales.get("TaxType") or False,
            "purchase_price": float(purchase.get("UnitPrice") or 0.0),
            "purchase_account_code": purchase.get("AccountCode") or False,
            "purchase_tax_type": purchase.get("TaxType") or False, "active": True,
            # tracked inventory: Odoo books neither without stock accounting, so they are kept here
            "tracked": bool(item.get("IsTrackedAsInventory")),
            "inventory_asset_account_code": item.get("InventoryAssetAccountCode") or False,
            "cogs_account_code": purchase.get("COGSAccountCode") or False}


# --- records created in Odoo -----------------------------------------------------------------------
def product_values(item, company_id):
    """A Xero Item -> product.template values in ``company_id``. An item tracked as inventory is
    a goods product, any other a service; with no purchase details it is not purchased unless
    Xero says so."""
    sales, purchase = item.get("SalesDetails") or {}, item.get("PurchaseDetails") or {}
    return {
        "name": item.get("Name") or item["Code"],
        "default_code": item["Code"],
        "type": "consu" if item.get("IsTrackedAsInventory") else "service",
        "list_price": float(sales.get("UnitPrice") or 0.0),
        "standard_price": float(purchase.get("UnitPrice") or 0.0),
        "description_sale": item.get("Description") or False,
        "description_purchase": item.get("PurchaseDescription") or False,
        "sale_ok": item.get("IsSold", True),
        "purchase_ok": item.get("IsPurchased", bool(purchase)),
        "company_id": company_id,
    }


# What Xero's item says a product defaults to, through the organisation's mappings: the side of
# the item, the product field, the Odoo tax use (None: an account) and Xero's field.
ITEM_DEFAULTS = (
    ("SalesDetails", "taxes_id", "sale", "TaxType"),
    ("PurchaseDetails", "supplier_taxes_id", "purchase", "TaxType"),
    ("SalesDetails", "property_account_income_id", None, "AccountCode"),
    ("PurchaseDetails", "property_account_expense_id", None, "AccountCode"),
)


def item_defaults(item, taxes, accounts):
    """The taxes and accounts a product created from a Xero Item carries, through the mappings.

    ``taxes``: {(type_tax_use, TaxType): [Odoo tax ids mapped to it]} (the company's);
    ``accounts``: {Xero account code: [Odoo account ids mapped to it]}.
    -> (product.template values, problems), a problem being (field, Xero value, "unmapped" |
    "ambiguous"): the field is then left to Odoo's default (the company's default tax, the
    category's account) and the importer says so. A tracked item's purchases go to its
    inventory asset account in Xero (which ignores PurchaseDetails.AccountCode for tracked items,
    per the spec's Purchase schema); Odoo, without stock accounting, books a bill line to the
    product's expense account, so that is the asset account's mapping."""
    values, problems = {}, []
    for side, field, use, key in ITEM_DEFAULTS:
        wanted = (item.get(side) or {}).get(key)
        if field == "property_account_expense_id" and item.get("IsTrackedAsInventory"):
            wanted = item.get("InventoryAssetAccountCode") or wanted
        if not wanted:
            continue
        found = taxes.get((use, wanted), []) if use else accounts.get(wanted, [])
        if len(found) == 1:
            values[field] = [(6, 0, found)] if use else found[0]
        else:
            problems.append((field, wanted, "ambiguous" if found else "unmapped"))
    return values, problems


def contact_role(contact):
    """-> (summary entity, {"customer", "supplier"}). Xero sets IsCustomer / IsSupplier from
    documents only, so a contact with neither counts as a customer."""
    role = set()
    if contact.get("IsCustomer") or not contact.get("IsSupplier"):
        role.add("customer")
    if contact.get("IsSupplier"):
        role.add("supplier")
    return ("customers" if "customer" in role else "suppliers"), role


def partner_values(contact, role, company_id, country_ids):
    """A Xero Contact (with a name) -> res.partner values in ``company_id``: a company, ranked by
    ``role`` (see contact_role); its first phone with a number and first address with a street
    or city. ``country_ids``: {ISO code: res.country id}; an unknown country is left out."""
    values = {
        "name": contact["Name"].strip(),
        "is_company": True,
        "email": contact.get("EmailAddress") or False,
        "ref": contact.get("AccountNumber") or False,
        "vat": contact.get("TaxNumber") or False,
        "company_id": company_id,
        "customer_rank": 1 if "customer" in role else 0,
        "supplier_rank": 1 if "supplier" in role else 0,
    }
    phone = next((p for p in contact.get("Phones") or () if p.get("PhoneNumber")), None)
    if phone:
        values["phone"] = " ".join(filter(None, (phone.get("PhoneCountryCode"), phone.get("PhoneAreaCode"),
                                                 phone.get("PhoneNumber"))))
    address = next((a for a in contact.get("Addresses") or () if a.get("AddressLine1") or a.get("City")), None)
    if address:
        values.update({"street": address.get("AddressLine1") or False, "street2": address.get("AddressLine2") or False,
                       "city": address.get("City") or False, "zip": address.get("PostalCode") or False})
        country = (address.get("Country") or "").upper()
        if country in country_ids:
            values["country_id"] = country_ids[country]
    return values


# Xero's PaymentTermType (xero_accounting.yaml, schema Bill: Day + Type) as one Odoo payment term
# line paying 100 %: N days after the invoice date; N days after the end of its month; day N of the
# following month. OFCURRENTMONTH (day N of the invoice's own month) has no Odoo equivalent: Odoo's
# delays count forward from the invoice date or from a month end, never back into the same month.
def payment_term_rule(term):
    """Xero's term of one side ({Day, Type} or None) -> (rule, problem): rule =
    {delay_type, nb_days, days_next_month} of an Odoo account.payment.term.line, or None with
    problem None (Xero has no term) or the Xero type Odoo cannot express."""
    if not term or not term.get("Type"):
        return None, None
    kind, day = term["Type"], int(term.get("Day") or 0)
    if kind == "DAYSAFTERBILLDATE":
        return {"delay_type": "days_after", "nb_days": day, "days_next_month": False}, None
    if kind == "DAYSAFTERBILLMONTH":
        return {"delay_type": "days_after_end_of_month", "nb_days": day, "days_next_month": False}, None
    if kind == "OFFOLLOWINGMONTH" and 1 <= day <= 31:
        return {"delay_type": "days_end_of_month_on_the", "nb_days": 0, "days_next_month": str(day)}, None
    return None, kind


def payment_term_key(rule):
    """What makes two single-line 100 % payment terms the same rule (hashable)."""
    on_the = rule["delay_type"] == "days_end_of_month_on_the"
    return rule["delay_type"], int(rule["nb_days"] or 0), str(int(rule["days_next_month"])) if on_the else None


def odoo_term_key(lines):
    """An Odoo payment term's lines (dicts: value, value_amount, delay_type, nb_days,
    days_next_month) -> its payment_term_key, or None unless it is one line paying 100 %."""
    if len(lines) != 1 or lines[0]["value"] != "percent" or round(lines[0]["value_amount"], 4) != 100:
        return None
    line = lines[0]
    if line["delay_type"] == "days_end_of_month_on_the" and not str(line["days_next_month"] or "").isdigit():
        return None
    return payment_term_key(line)


def payment_term_values(rule, name, company_id):
    """A new account.payment.term for ``rule``."""
    line = {"value": "percent", "value_amount": 100.0, "delay_type": rule["delay_type"], "nb_days": rule["nb_days"]}
    if rule["delay_type"] == "days_end_of_month_on_the":
        line["days_next_month"] = rule["days_next_month"]
    return {"name": name, "company_id": company_id, "line_ids": [(0, 0, line)]}


# Sales side → the customer's payment term, bills side → the supplier's (Contact.PaymentTerms).
PAYMENT_TERM_FIELDS = (("Sales", "property_payment_term_id"), ("Bills", "property_supplier_payment_term_id"))


def contact_payment_terms(contact):
    """-> ({partner field: rule}, [(field, unsupported Xero type)])."""
    rules, problems = {}, []
    terms = contact.get("PaymentTerms") or {}
    for side, field in PAYMENT_TERM_FIELDS:
        rule, problem = payment_term_rule(terms.get(side))
        if rule:
            rules[field] = rule
        elif problem:
            problems.append((field, problem))
    return rules, problems


def contact_defaults(contact):
    """Xero's defaults of a contact that Odoo's partner has no field for, kept on its link and
    used for a line without a product: default currency (sales side), sales / purchases account
    code and tax type."""
    return {"remote_currency": contact.get("DefaultCurrency") or False,
            "remote_sales_account_code": contact.get("SalesDefaultAccountCode") or False,
            "remote_purchase_account_code": contact.get("PurchasesDefaultAccountCode") or False,
            "remote_sales_tax_type": contact.get("AccountsReceivableTaxType") or False,
            "remote_purchase_tax_type": contact.get("AccountsPayableTaxType") or False}


# --- links (ledger.link) -----------------------------------------------------------------------------
def tax_link(tenant_id, tax_id, rate):
    """An Odoo tax matched to a Xero TaxRate -> ledger.link values."""
    return {"tenant_id": tenant_id, "res_model": "account.tax", "res_id": tax_id,
            "remote_id": rate["TaxType"], "remote_code": rate["TaxType"], "remote_name": rate.get("Name")}


def account_link(tenant_id, account_id, account):
    """An Odoo account matched to a Xero Account -> ledger.link values."""
    return {"tenant_id": tenant_id, "res_model": "account.account", "res_id": account_id,
            "remote_id": account["AccountID"], "remote_code": account.get("Code"), "remote_name": account.get("Name")}


def item_link(tenant_id, item, product_id):
    """An Odoo product (product.template) matched to or created from a Xero Item -> ledger.link values."""
    return {"tenant_id": tenant_id, "res_model": "product.template", "res_id": product_id,
            "remote_id": item["ItemID"], "remote_code": item["Code"], "remote_name": item.get("Name")}


def contact_link(tenant_id, contact, partner_id):
    """An Odoo partner matched to or created from a Xero Contact -> ledger.link values."""
    return {"tenant_id": tenant_id, "res_model": "res.partner", "res_id": partner_id,
            "remote_id": contact["ContactID"], "remote_code": contact.get("AccountNumber") or False,
            "remote_name": contact.get("Name")}


def tracking_rows(category):
    """A Xero TrackingCategory -> (ledger.tracking.category values, [ledger.tracking.option values])
    without the tenant (and without the option's category, which the caller knows). Archived
    ones are inactive: they stay in the catalogue but are refused on new lines by Xero."""
    row = {"tracking_category_id": category["TrackingCategoryID"],
           "name": (category.get("Name") or category["TrackingCategoryID"]).strip(),
           "active": category.get("Status", "ACTIVE") == "ACTIVE"}
    options = [{"tracking_option_id": option["TrackingOptionID"],
                "name": (option.get("Name") or option["TrackingOptionID"]).strip(),
                "active": option.get("Status", "ACTIVE") == "ACTIVE"}
               for option in category.get("Options") or () if option.get("Status") != "DELETED"]
    return row, options


def same_name(a, b):
    """Tracking names are matched as Xero compares them: trimmed, case-insensitive."""
    return bool(a and b) and a.strip().casefold() == b.strip().casefold()


# --- an existing Odoo record matched to a Xero one: fill its blanks (issue #23) ------------------------
# A matched partner's fields Xero knows. The address is one block: Xero's fills Odoo's only where
# what Odoo has of it agrees (a street from one side and a city from the other make no address).
PARTNER_FILL_FIELDS = ("vat", "email", "phone")
PARTNER_FILL_BLOCKS = (("street", "street2", "city", "zip", "country_id"),)
PRODUCT_FILL_FIELDS = ("description_sale", "description_purchase", "taxes_id", "supplier_taxes_id",
                       "property_account_income_id", "property_account_expense_id")


def comparable(field, value):
    """A field's value as two sides are compared: a VAT number without spaces, an e-mail or a text
    case- and space-insensitive, a phone by its digits, a record by its id, a set of taxes as a set."""
    if value in (None, False, "", [], ()):
        return None
    if field == "vat":
        return matching.normalise_vat(value) or None
    if field == "email":
        return matching.normalise_email(value) or None
    if field == "phone":
        return "".join(ch for ch in str(value) if ch.isdigit()) or None
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (list, tuple)):  # [(6, 0, ids)]
            value = value[0][2]
        return frozenset(value) or None
    if isinstance(value, str):
        return " ".join(value.split()).casefold() or None
    return value


def fill_blanks(ours, theirs, fields=PARTNER_FILL_FIELDS, blocks=PARTNER_FILL_BLOCKS):
    """What an existing Odoo record (``ours``: {field: value}) takes from the Xero record it was
    matched to (``theirs``: the values Odoo would create from it): every empty field Xero has a
    value for; a value both sides have and disagree on is left as Odoo has it and returned for a
    person to choose. -> (values to write, [(field, Odoo's value, Xero's value)])."""
    values, differing = {}, []
    for field in fields:
        theirs_value = theirs.get(field)
        if comparable(field, theirs_value) is None:
            continue
        mine = comparable(field, ours.get(field))
        if mine is None:
            values[field] = theirs_value
        elif mine != comparable(field, theirs_value):
            differing.append((field, ours.get(field), theirs_value))
    for block in blocks:
        given = [f for f in block if comparable(f, theirs.get(f)) is not None]
        if not given:
            continue
        clash = [(f, ours.get(f), theirs.get(f)) for f in given if comparable(f, ours.get(f)) is not None
                 and comparable(f, ours.get(f)) != comparable(f, theirs.get(f))]
        if clash:
            differing.extend(clash)
        else:
            values.update({f: theirs[f] for f in given if comparable(f, ours.get(f)) is None})
    return values, differing
