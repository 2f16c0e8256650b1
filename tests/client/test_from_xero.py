"""Xero → Odoo values, as pure functions (no server): what the import creates and links from
Xero's contacts, items, tax rates and accounts (dicts shaped as Xero's API returns them)."""

import pytest

from odoo.addons.psa_xero_connector.xero import from_xero

COMPANY_ID, GB_ID, NZ_ID = 7, 233, 170
COUNTRIES = {"GB": GB_ID, "NZ": NZ_ID}

ACME = {
    "ContactID": "c-acme", "ContactStatus": "ACTIVE", "Name": "  Acme Dental Group ",
    "EmailAddress": "accounts@acme.example", "AccountNumber": "ACME01", "TaxNumber": "GB 123 4567 89",
    "IsCustomer": True, "IsSupplier": False,
    "Phones": [{"PhoneType": "DDI"}, {"PhoneType": "FAX", "PhoneNumber": ""},
               {"PhoneType": "DEFAULT", "PhoneCountryCode": "44", "PhoneAreaCode": "113", "PhoneNumber": "496 0000"},
               {"PhoneType": "MOBILE", "PhoneNumber": "07700 900000"}],
    "Addresses": [{"AddressType": "POBOX", "Region": "West Yorkshire"},
                  {"AddressType": "STREET", "AddressLine1": "1 High St", "AddressLine2": "Floor 2",
                   "City": "Leeds", "PostalCode": "LS1 1AA", "Country": "gb"}],
}


# --- contacts ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("flags, entity, role", [
    ({"IsCustomer": True, "IsSupplier": False}, "customers", {"customer"}),
    ({"IsCustomer": False, "IsSupplier": True}, "suppliers", {"supplier"}),
    ({"IsSupplier": True}, "suppliers", {"supplier"}),
    ({"IsCustomer": True, "IsSupplier": True}, "customers", {"customer", "supplier"}),
    # Xero sets the flags from documents only: a contact without any is counted a customer
    ({"IsCustomer": False, "IsSupplier": False}, "customers", {"customer"}),
    ({}, "customers", {"customer"}),
])
def test_contact_role(flags, entity, role):
    assert from_xero.contact_role(dict({"Name": "X"}, **flags)) == (entity, role)


def test_customer_partner_values():
    values = from_xero.partner_values(ACME, {"customer"}, COMPANY_ID, COUNTRIES)
    assert values == {
        "name": "Acme Dental Group", "is_company": True, "email": "accounts@acme.example",
        "ref": "ACME01", "vat": "GB 123 4567 89", "company_id": COMPANY_ID,
        "customer_rank": 1, "supplier_rank": 0,
        # the first phone that has a number, its parts joined; the first address with a street or city
        "phone": "44 113 496 0000",
        "street": "1 High St", "street2": "Floor 2", "city": "Leeds", "zip": "LS1 1AA", "country_id": GB_ID,
    }


@pytest.mark.parametrize("role, ranks", [
    ({"supplier"}, (0, 1)), ({"customer", "supplier"}, (1, 1)), ({"customer"}, (1, 0))])
def test_partner_ranks_follow_the_role(role, ranks):
    values = from_xero.partner_values(ACME, role, COMPANY_ID, COUNTRIES)
    assert (values["customer_rank"], values["supplier_rank"]) == ranks


def test_contact_with_a_name_only():
    """No e-mail (a supplier often has none), no account number, tax number, phone or address:
    empty fields stay empty (False), nothing is invented."""
    values = from_xero.partner_values({"ContactID": "c-1", "Name": "Harbour Logistics", "EmailAddress": "",
                                       "Phones": [], "Addresses": []}, {"supplier"}, COMPANY_ID, COUNTRIES)
    assert values == {"name": "Harbour Logistics", "is_company": True, "email": False, "ref": False, "vat": False,
                      "company_id": COMPANY_ID, "customer_rank": 0, "supplier_rank": 1}
    assert from_xero.partner_values({"Name": "Bare"}, {"customer"}, COMPANY_ID, {})["email"] is False


def test_contact_phone_parts():
    phones = [{"PhoneType": "DEFAULT", "PhoneCountryCode": "", "PhoneAreaCode": None, "PhoneNumber": "0800 123"}]
    assert from_xero.partner_values({"Name": "A", "Phones": phones}, {"customer"}, 1, {})["phone"] == "0800 123"
    no_number = [{"PhoneType": "DEFAULT", "PhoneCountryCode": "44", "PhoneAreaCode": "113"}]
    assert "phone" not in from_xero.partner_values({"Name": "A", "Phones": no_number}, {"customer"}, 1, {})


def test_contact_address_and_country():
    def address(**fields):
        return from_xero.partner_values({"Name": "A", "Addresses": [dict(AddressType="STREET", **fields)]},
                                        {"customer"}, 1, COUNTRIES)

    # a city alone is an address; a country code Odoo does not know is left out, the rest kept
    assert address(City="Zürich", Country="CH") == dict(
        address(), street=False, street2=False, city="Zürich", zip=False)
    assert address(AddressLine1="12 Queen St", Country="nz")["country_id"] == NZ_ID
    assert "country_id" not in address(AddressLine1="12 Queen St")
    # an address with neither a street nor a city is skipped, its country with it
    assert not {"street", "city", "country_id"} & set(address(Region="Auckland", PostalCode="1010", Country="NZ"))


def test_contact_name_non_ascii_and_length():
    values = from_xero.partner_values({"Name": "\tCafé Müller & Søn — 株式会社 ", "EmailAddress": "søn@café.example"},
                                      {"customer"}, 1, {})
    assert values["name"] == "Café Müller & Søn — 株式会社" and values["email"] == "søn@café.example"
    # Xero's limit is 255: such a name is kept whole, not cut
    assert from_xero.partner_values({"Name": "L" * 255}, {"customer"}, 1, {})["name"] == "L" * 255


def test_contact_without_a_name_is_not_built():
    """The importer skips (and reports) a contact without a name before asking for values."""
    with pytest.raises(KeyError):
        from_xero.partner_values({"ContactID": "c-x", "EmailAddress": "x@example.com"}, {"customer"}, 1, {})


def test_contact_link():
    assert from_xero.contact_link(3, ACME, 42) == {
        "tenant_id": 3, "res_model": "res.partner", "res_id": 42, "remote_id": "c-acme", "remote_code": "ACME01",
        "remote_name": "  Acme Dental Group "}
    link = from_xero.contact_link(3, {"ContactID": "c-2"}, 43)
    assert link["remote_code"] is False and link["remote_name"] is None


# --- items -------------------------------------------------------------------------------------------
LAPTOP = {"ItemID": "i-laptop", "Code": "LAPTOP-14", "Name": "Laptop 14\"", "Description": "Business laptop",
          "PurchaseDescription": "Laptop from distributor", "IsTrackedAsInventory": True,
          "IsSold": True, "IsPurchased": True,
          "SalesDetails": {"UnitPrice": 899.5, "AccountCode": "200", "TaxType": "OUTPUT2"},
          "PurchaseDetails": {"UnitPrice": 612.25, "AccountCode": "300", "TaxType": "INPUT2"}}
# labour sold by the hour: a service with sales details only
ONSITE = {"ItemID": "i-onsite", "Code": "LAB-ONSITE", "Name": "Onsite engineer, per hour", "IsSold": True,
          "IsPurchased": False, "IsTrackedAsInventory": False,
          "SalesDetails": {"UnitPrice": 95, "AccountCode": "210", "TaxType": "OUTPUT2"}}


def test_item_with_sales_and_purchase_details():
    assert from_xero.product_values(LAPTOP, COMPANY_ID) == {
        "name": "Laptop 14\"", "default_code": "LAPTOP-14", "type": "consu", "list_price": 899.5,
        "standard_price": 612.25, "description_sale": "Business laptop",
        "description_purchase": "Laptop from distributor", "sale_ok": True, "purchase_ok": True,
        "company_id": COMPANY_ID}
    assert from_xero.item_row(LAPTOP) == {
        "item_id": "i-laptop", "code": "LAPTOP-14", "name": "Laptop 14\"", "sales_price": 899.5,
        "sales_account_code": "200", "sales_tax_type": "OUTPUT2", "purchase_price": 612.25,
        "purchase_account_code": "300", "purchase_tax_type": "INPUT2", "active": True,
        "tracked": True, "inventory_asset_account_code": False, "cogs_account_code": False}


def test_labour_items():
    assert from_xero.product_values(ONSITE, COMPANY_ID) == {
        "name": "Onsite engineer, per hour", "default_code": "LAB-ONSITE", "type": "service", "list_price": 95.0,
        "standard_price": 0.0, "description_sale": False, "description_purchase": False, "sale_ok": True,
        "purchase_ok": False, "company_id": COMPANY_ID}
    assert from_xero.item_row(ONSITE) == {
        "item_id": "i-onsite", "code": "LAB-ONSITE", "name": "Onsite engineer, per hour", "sales_price": 95.0,
        "sales_account_code": "210", "sales_tax_type": "OUTPUT2", "purchase_price": 0.0,
        "purchase_account_code": False, "purchase_tax_type": False, "active": True,
        "tracked": False, "inventory_asset_account_code": False, "cogs_account_code": False}
    # subcontracted labour, bought only
    bought = from_xero.product_values({"ItemID": "i-sub", "Code": "LAB-SUB", "IsSold": False,
                                       "PurchaseDetails": {"UnitPrice": 60, "AccountCode": "310"}}, COMPANY_ID)
    assert (bought["type"], bought["sale_ok"], bought["purchase_ok"], bought["standard_price"],
            bought["list_price"]) == ("service", False, True, 60.0, 0.0)


def test_item_purchase_flag_without_is_purchased():
    """Without IsPurchased, an item is purchased when it has purchase details."""
    assert from_xero.product_values({"Code": "A", "PurchaseDetails": {"UnitPrice": 1}}, 1)["purchase_ok"] is True
    assert from_xero.product_values({"Code": "A", "PurchaseDetails": {}}, 1)["purchase_ok"] is False
    assert from_xero.product_values({"Code": "A"}, 1)["purchase_ok"] is False
    assert from_xero.product_values({"Code": "A", "IsSold": True}, 1)["sale_ok"] is True
    assert from_xero.product_values({"Code": "A"}, 1)["sale_ok"] is True  # Xero's default


def test_item_missing_fields():
    item = {"ItemID": "i-min", "Code": "MIN", "SalesDetails": {"UnitPrice": None}, "PurchaseDetails": None}
    values = from_xero.product_values(item, COMPANY_ID)
    # no name: the code stands for it; no price: 0
    assert (values["name"], values["list_price"], values["standard_price"]) == ("MIN", 0.0, 0.0)
    assert values["description_sale"] is False and values["description_purchase"] is False
    row = from_xero.item_row(item)
    assert (row["name"], row["sales_price"], row["sales_account_code"], row["sales_tax_type"]) == (
        "MIN", 0.0, False, False)
    with pytest.raises(KeyError):
        from_xero.product_values({"ItemID": "i-x", "Name": "no code"}, COMPANY_ID)


def test_item_code_name_limits_and_non_ascii():
    """Xero's limits (code 30, name 50) hold already: the values are kept whole."""
    item = {"ItemID": "i-long", "Code": "C" * 30, "Name": "Réparation à domicile – l'heure, jour férié, 50 ch",
            "Description": "Dépannage " * 400}
    assert len(item["Name"]) == 50
    values = from_xero.product_values(item, COMPANY_ID)
    assert values["default_code"] == "C" * 30 and values["name"] == item["Name"]
    assert values["description_sale"] == item["Description"]
    assert from_xero.item_row(item)["code"] == "C" * 30


def test_item_link():
    assert from_xero.item_link(3, ONSITE, 11) == {
        "tenant_id": 3, "res_model": "product.template", "res_id": 11, "remote_id": "i-onsite",
        "remote_code": "LAB-ONSITE", "remote_name": "Onsite engineer, per hour"}


# --- tax rates and accounts --------------------------------------------------------------------------
def test_tax_rate_row():
    rate = {"TaxType": "OUTPUT2", "Name": "20% (VAT on Income)", "EffectiveRate": 20.0, "ReportTaxType": "OUTPUT",
            "Status": "ACTIVE", "TaxComponents": [{"Name": "VAT", "Rate": 20.0}]}
    allowed = {"can_apply_to_revenue": True, "can_apply_to_expenses": True, "can_apply_to_assets": True,
               "can_apply_to_liabilities": True, "can_apply_to_equity": True}
    assert from_xero.tax_rate_row(rate) == dict(allowed, tax_type="OUTPUT2", name="20% (VAT on Income)", rate=20.0,
                                                kind="sale", component_count=1, active=True)
    flagged = dict(rate, CanApplyToExpenses=False, CanApplyToLiabilities="false", CanApplyToAssets="true")
    assert from_xero.tax_rate_row(flagged) == dict(allowed, can_apply_to_expenses=False, can_apply_to_liabilities=False,
                                                   tax_type="OUTPUT2", name="20% (VAT on Income)", rate=20.0,
                                                   kind="sale", component_count=1, active=True)
    compound = {"TaxType": "TAX002", "EffectiveRate": 14.975, "ReportTaxType": "INPUT", "Status": "DELETED",
                "TaxComponents": [{"Name": "GST", "Rate": 5.0}, {"Name": "QST", "Rate": 9.975}]}
    assert from_xero.tax_rate_row(compound) == dict(allowed, tax_type="TAX002", name="TAX002", rate=14.975,
                                                    kind="purchase", component_count=2, active=False)
    assert from_xero.tax_rate_row({"TaxType": "NONE"}) == dict(allowed, tax_type="NONE", name="NONE", rate=0.0,
                                                              kind=None, component_count=0, active=True)


def test_tax_link():
    rate = {"TaxType": "INPUT2", "Name": "20% (VAT on Expenses)"}
    assert from_xero.tax_link(3, 5, rate) == {"tenant_id": 3, "res_model": "account.tax", "res_id": 5,
                                              "remote_id": "INPUT2", "remote_code": "INPUT2",
                                              "remote_name": "20% (VAT on Expenses)"}


def test_account_row_and_link():
    account = {"AccountID": "a-200", "Code": "200", "Name": "Sales", "Type": "REVENUE", "TaxType": "OUTPUT2",
               "Status": "ACTIVE", "Class": "REVENUE"}
    assert from_xero.account_row(account) == {"account_id": "a-200", "code": "200", "name": "Sales",
                                              "account_type": "REVENUE", "account_class": "REVENUE",
                                              "system_account": False, "tax_type": "OUTPUT2", "active": True}
    # a bank account has no code in Xero; an archived one is kept, inactive
    assert from_xero.account_row({"AccountID": "a-bank", "Type": "BANK", "Status": "ARCHIVED"}) == {
        "account_id": "a-bank", "code": False, "name": "a-bank", "account_type": "BANK", "account_class": False,
        "system_account": False, "tax_type": False, "active": False}
    assert from_xero.account_row(dict(account, SystemAccount="DEBTORS"))["system_account"] == "DEBTORS"
    assert from_xero.account_link(3, 9, account) == {"tenant_id": 3, "res_model": "account.account", "res_id": 9,
                                                     "remote_id": "a-200", "remote_code": "200", "remote_name": "Sales"}


# --- Xero's defaults carried by the import -----------------------------------------------------------
# the company's taxes mapped to each Xero tax type, the Odoo accounts mapped to each Xero code
TAXES = {("sale", "OUTPUT2"): [31], ("purchase", "INPUT2"): [41], ("sale", "RROUTPUT"): [32, 33]}
ACCOUNTS = {"200": [200], "210": [210], "300": [300], "630": [630], "220": [220, 221]}


def test_item_defaults_through_the_mappings():
    values, problems = from_xero.item_defaults(
        {"Code": "M365", "SalesDetails": {"AccountCode": "210", "TaxType": "OUTPUT2"},
         "PurchaseDetails": {"AccountCode": "300", "TaxType": "INPUT2"}}, TAXES, ACCOUNTS)
    assert values == {"taxes_id": [(6, 0, [31])], "supplier_taxes_id": [(6, 0, [41])],
                      "property_account_income_id": 210, "property_account_expense_id": 300}
    assert problems == []


def test_item_defaults_unmapped_and_ambiguous_are_left_and_said():
    values, problems = from_xero.item_defaults(
        {"Code": "X", "SalesDetails": {"AccountCode": "220", "TaxType": "RROUTPUT"},
         "PurchaseDetails": {"AccountCode": "429", "TaxType": "INPUT2"}}, TAXES, ACCOUNTS)
    # a sales tax type is looked up among sales taxes only: INPUT2 is mapped to a purchase tax
    assert values == {"supplier_taxes_id": [(6, 0, [41])]}
    assert problems == [("taxes_id", "RROUTPUT", "ambiguous"), ("property_account_income_id", "220", "ambiguous"),
                        ("property_account_expense_id", "429", "unmapped")]
    wrong_side, problems = from_xero.item_defaults({"Code": "Y", "SalesDetails": {"TaxType": "INPUT2"}}, TAXES, {})
    assert wrong_side == {} and problems == [("taxes_id", "INPUT2", "unmapped")]
    # an item without tax types or accounts leaves Odoo's defaults, silently
    assert from_xero.item_defaults({"Code": "Z", "SalesDetails": {"UnitPrice": 5}}, TAXES, ACCOUNTS) == ({}, [])


def test_tracked_item_books_purchases_to_its_inventory_account():
    stocked = {"ItemID": "i-stock", "Code": "LAPTOP-14", "IsTrackedAsInventory": True,
               "InventoryAssetAccountCode": "630",
               "SalesDetails": {"AccountCode": "200", "TaxType": "OUTPUT2"},
               "PurchaseDetails": {"COGSAccountCode": "310", "TaxType": "INPUT2"}}
    values, problems = from_xero.item_defaults(stocked, TAXES, ACCOUNTS)
    assert values["property_account_expense_id"] == 630 and values["property_account_income_id"] == 200
    assert problems == []
    row = from_xero.item_row(stocked)
    assert (row["tracked"], row["inventory_asset_account_code"], row["cogs_account_code"]) == (True, "630", "310")
    assert from_xero.product_values(stocked, COMPANY_ID)["type"] == "consu"


@pytest.mark.parametrize("term, rule", [
    ({"Day": 30, "Type": "DAYSAFTERBILLDATE"}, {"delay_type": "days_after", "nb_days": 30, "days_next_month": False}),
    ({"Day": 0, "Type": "DAYSAFTERBILLDATE"}, {"delay_type": "days_after", "nb_days": 0, "days_next_month": False}),
    ({"Day": 7, "Type": "DAYSAFTERBILLMONTH"},
     {"delay_type": "days_after_end_of_month", "nb_days": 7, "days_next_month": False}),
    ({"Day": 20, "Type": "OFFOLLOWINGMONTH"},
     {"delay_type": "days_end_of_month_on_the", "nb_days": 0, "days_next_month": "20"}),
])
def test_payment_term_rules(term, rule):
    assert from_xero.payment_term_rule(term) == (rule, None)


def test_payment_terms_odoo_cannot_express():
    assert from_xero.payment_term_rule({"Day": 15, "Type": "OFCURRENTMONTH"}) == (None, "OFCURRENTMONTH")
    assert from_xero.payment_term_rule({"Day": 0, "Type": "OFFOLLOWINGMONTH"}) == (None, "OFFOLLOWINGMONTH")
    assert from_xero.payment_term_rule(None) == (None, None)
    assert from_xero.payment_term_rule({}) == (None, None)


def test_contact_payment_terms_per_side():
    rules, problems = from_xero.contact_payment_terms({"PaymentTerms": {
        "Sales": {"Day": 20, "Type": "OFFOLLOWINGMONTH"}, "Bills": {"Day": 1, "Type": "OFCURRENTMONTH"}}})
    assert rules == {"property_payment_term_id": {"delay_type": "days_end_of_month_on_the", "nb_days": 0,
                                                  "days_next_month": "20"}}
    assert problems == [("property_supplier_payment_term_id", "OFCURRENTMONTH")]
    assert from_xero.contact_payment_terms({"Name": "No terms"}) == ({}, [])


def test_payment_term_keys_find_the_same_rule_in_odoo():
    rule, _problem = from_xero.payment_term_rule({"Day": 20, "Type": "OFFOLLOWINGMONTH"})
    line = {"value": "percent", "value_amount": 100.0, "delay_type": "days_end_of_month_on_the", "nb_days": 0,
            "days_next_month": "20"}
    assert from_xero.odoo_term_key([line]) == from_xero.payment_term_key(rule)
    assert from_xero.odoo_term_key([dict(line, days_next_month="10")]) != from_xero.payment_term_key(rule)
    # Odoo keeps a days_next_month (default 10) on every line: it counts only for "on the" terms
    thirty, _problem = from_xero.payment_term_rule({"Day": 30, "Type": "DAYSAFTERBILLDATE"})
    odoo_30 = {"value": "percent", "value_amount": 100.0, "delay_type": "days_after", "nb_days": 30,
               "days_next_month": "10"}
    assert from_xero.odoo_term_key([odoo_30]) == from_xero.payment_term_key(thirty)
    # instalments or a fixed amount are not one rule
    assert from_xero.odoo_term_key([dict(odoo_30, value_amount=30.0), dict(odoo_30, value_amount=70.0)]) is None
    assert from_xero.odoo_term_key([dict(odoo_30, value="fixed")]) is None
    assert from_xero.odoo_term_key([]) is None
    assert from_xero.payment_term_values(rule, "Day 20 of the following month", COMPANY_ID) == {
        "name": "Day 20 of the following month", "company_id": COMPANY_ID, "line_ids": [(0, 0, {
            "value": "percent", "value_amount": 100.0, "delay_type": "days_end_of_month_on_the", "nb_days": 0,
            "days_next_month": "20"})]}


def test_contact_defaults_kept_for_the_link():
    contact = {"Name": "Pax8 UK", "DefaultCurrency": "EUR", "SalesDefaultAccountCode": "210",
               "PurchasesDefaultAccountCode": "310", "AccountsReceivableTaxType": "OUTPUT2",
               "AccountsPayableTaxType": "INPUT2"}
    assert from_xero.contact_defaults(contact) == {
        "remote_currency": "EUR", "remote_sales_account_code": "210", "remote_purchase_account_code": "310",
        "remote_sales_tax_type": "OUTPUT2", "remote_purchase_tax_type": "INPUT2"}
    assert set(from_xero.contact_defaults({"Name": "bare"}).values()) == {False}


# --- an existing record matched to a Xero one: its blanks filled (issue #23) -------------------------
def test_fill_blanks_takes_what_odoo_leaves_empty():
    ours = {"vat": False, "email": "", "phone": None, "street": False, "city": False, "zip": False,
            "country_id": False}
    theirs = {"vat": "GB123456782", "email": "a@acme.example", "phone": "0113 496 0000", "street": "1 Park Row",
              "city": "Leeds", "zip": "LS1 5AB", "country_id": 7, "name": "Acme"}
    values, differing = from_xero.fill_blanks(ours, theirs)
    assert values == {k: v for k, v in theirs.items() if k != "name"}, "the name is never a blank to fill"
    assert differing == []


def test_fill_blanks_lists_what_differs_and_never_overwrites_it():
    ours = {"vat": "GB 987 654 321", "email": "Billing@Acme.example", "phone": "+44 113 4960000", "street": False,
            "city": "York", "zip": False, "country_id": 7}
    theirs = {"vat": "GB123456782", "email": "billing@acme.example", "phone": "44 (0)113 496-0000",
              "street": "1 Park Row", "city": "Leeds", "zip": "LS1 5AB", "country_id": 7}
    values, differing = from_xero.fill_blanks(ours, theirs)
    # the e-mail is the same one (case), the address disagrees on the city: none of it is filled
    assert values == {}
    assert ("vat", "GB 987 654 321", "GB123456782") in differing
    assert ("city", "York", "Leeds") in differing
    assert ("phone", "+44 113 4960000", "44 (0)113 496-0000") in differing  # other digits: a person decides
    assert not [d for d in differing if d[0] in ("email", "country_id", "street", "zip")]


def test_fill_blanks_completes_an_address_that_agrees():
    values, differing = from_xero.fill_blanks(
        {"city": " leeds ", "country_id": False, "street": False}, {"street": "1 Park Row", "city": "Leeds",
                                                                   "country_id": 7})
    assert (values, differing) == ({"street": "1 Park Row", "country_id": 7}, [])
    # Xero without a value says nothing
    assert from_xero.fill_blanks({"vat": "GB1"}, {"vat": False, "email": None}) == ({}, [])


def test_fill_blanks_of_a_product():
    values, differing = from_xero.fill_blanks(
        {"description_sale": False, "taxes_id": [], "description_purchase": "Ours", "supplier_taxes_id": [3]},
        {"description_sale": "Remote support, per hour", "taxes_id": [(6, 0, [5])], "description_purchase": "Theirs",
         "supplier_taxes_id": [(6, 0, [3])]}, fields=from_xero.PRODUCT_FILL_FIELDS, blocks=())
    assert values == {"description_sale": "Remote support, per hour", "taxes_id": [(6, 0, [5])]}
    assert differing == [("description_purchase", "Ours", "Theirs")]
