"""Xero record → Odoo values, as pure functions over plain dicts (no Odoo import); the other
direction is to_xero.py.

The importer (models/xero_importer.py) reads Xero, looks up what these need in the database
(the company id, country ids by ISO code, the record a Xero record matched) and passes it in
as plain values; it decides what to create or link and writes. Values are taken as Xero gives
them (Xero already enforces its own limits: contact name ≤ 255, item code ≤ 30).
"""

from . import matching


# --- catalog rows (xero.tax.rate, xero.account, xero.item) ------------------------------------------
def tax_rate_row(rate):
    """A Xero TaxRate -> xero.tax.rate values (without the tenant)."""
    return {"tax_type": rate["TaxType"], "name": rate.get("Name") or rate["TaxType"],
            "rate": float(rate.get("EffectiveRate") or 0.0), "kind": matching.tax_kind(rate),
            "component_count": len(rate.get("TaxComponents") or []),
            "active": rate.get("Status", "ACTIVE") == "ACTIVE"}


def account_row(account):
    """A Xero Account -> xero.account values (without the tenant)."""
    return {"account_id": account["AccountID"], "code": account.get("Code") or False,
            "name": account.get("Name") or account["AccountID"], "account_type": account.get("Type"),
            "tax_type": account.get("TaxType") or False, "active": account.get("Status", "ACTIVE") == "ACTIVE"}


def item_row(item):
    """A Xero Item -> xero.item values (without the tenant); listed items are active."""
    sales, purchase = item.get("SalesDetails") or {}, item.get("PurchaseDetails") or {}
    return {"item_id": item["ItemID"], "code": item["Code"], "name": item.get("Name") or item["Code"],
            "sales_price": float(sales.get("UnitPrice") or 0.0),
            "sales_account_code": sales.get("AccountCode") or False,
            "sales_tax_type": sales.get("TaxType") or False,
            "purchase_price": float(purchase.get("UnitPrice") or 0.0),
            "purchase_account_code": purchase.get("AccountCode") or False,
            "purchase_tax_type": purchase.get("TaxType") or False, "active": True}


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


# --- links (xero.link) -----------------------------------------------------------------------------
def tax_link(tenant_id, tax_id, rate):
    """An Odoo tax matched to a Xero TaxRate -> xero.link values."""
    return {"tenant_id": tenant_id, "res_model": "account.tax", "res_id": tax_id,
            "xero_id": rate["TaxType"], "xero_code": rate["TaxType"], "xero_name": rate.get("Name")}


def account_link(tenant_id, account_id, account):
    """An Odoo account matched to a Xero Account -> xero.link values."""
    return {"tenant_id": tenant_id, "res_model": "account.account", "res_id": account_id,
            "xero_id": account["AccountID"], "xero_code": account.get("Code"), "xero_name": account.get("Name")}


def item_link(tenant_id, item, product_id):
    """An Odoo product (product.template) matched to or created from a Xero Item -> xero.link values."""
    return {"tenant_id": tenant_id, "res_model": "product.template", "res_id": product_id,
            "xero_id": item["ItemID"], "xero_code": item["Code"], "xero_name": item.get("Name")}


def contact_link(tenant_id, contact, partner_id):
    """An Odoo partner matched to or created from a Xero Contact -> xero.link values."""
    return {"tenant_id": tenant_id, "res_model": "res.partner", "res_id": partner_id,
            "xero_id": contact["ContactID"], "xero_code": contact.get("AccountNumber") or False,
            "xero_name": contact.get("Name")}


def tracking_rows(category):
    """A Xero TrackingCategory -> (xero.tracking.category values, [xero.tracking.option values])
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
