"""``--seed demo`` for the QBO simulator: two companies and a demo app.

- "Northwind IT Services Inc" (US, realm 9130355555555551, USD): automated sales tax — lines
  TAX / NON, one combined code "California" (state 6 % + Alameda County 2.25 %);
- "Contoso Managed Services Ltd" (UK, realm 9130355555555552, GBP): VAT codes as QBO UK names
  them ("20.0% S", "5.0% R", "0.0% Z", "Exempt", "No VAT"), each a sales and a purchase rate;
both with a small chart of accounts, MSP customers, a vendor, service items, a class and a
department; the app ``demo-qbo-client`` / ``demo-qbo-secret`` (verifier token
``demo-verifier-token``, redirect ``http://localhost:8069/qbo/oauth/callback``).
"""

DEMO_CLIENT_ID = "demo-qbo-client"
DEMO_CLIENT_SECRET = "demo-qbo-secret"
DEMO_REDIRECT_URIS = ["http://localhost:8069/qbo/oauth/callback", "http://127.0.0.1:8069/qbo/oauth/callback"]
DEMO_VERIFIER = "demo-verifier-token"
US_REALM, UK_REALM = "9130355555555551", "9130355555555552"

CHART = [  # (name, type, subtype)
    ("Checking", "Bank", "Checking"),
    ("Undeposited Funds", "Other Current Asset", "UndepositedFunds"),
    ("Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable"),
    ("Inventory Asset", "Other Current Asset", "Inventory"),
    ("Accounts Payable (A/P)", "Accounts Payable", "AccountsPayable"),
    ("Mastercard", "Credit Card", "CreditCard"),
    ("Services", "Income", "ServiceFeeIncome"),
    ("Sales of Product Income", "Income", "SalesOfProductIncome"),
    ("Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs"),
    ("Office Expenses", "Expense", "OfficeGeneralAdministrativeExpenses"),
    ("Software Subscriptions", "Expense", "OtherMiscellaneousServiceCost"),
]
CUSTOMERS = ["Acme Dental Group", "Harbour Logistics", "Bright Path Schools"]
VENDORS = ["Dell Technologies", "Microsoft"]
UK_VAT = [  # (code name, rate, description)
    ("20.0% S", 20, "Standard"), ("5.0% R", 5, "Reduced"), ("0.0% Z", 0, "Zero-rated"),
    ("Exempt", 0, "Exempt"), ("No VAT", 0, "Outside the scope of VAT"),
]


def _direct(app, realm, entity, obj):
    """Objects QBO makes itself (tax rates and codes, settings): stored without the API's rules."""
    books = app.books
    return books._save(realm, books.specs[entity], dict(obj), None, "Create")


def company(app, name, realm, country="US", currency="USD", tz_hours=-8, tax_mode="us_ast",
            multicurrency=False, custom_txn_numbers=False, book_close_date=None):
    """A company with its chart, tax codes, CompanyInfo and Preferences. -> realmId."""
    books = app.books
    with app.store.transaction():
        app.store.put("company", realm, {"realmId": realm, "CompanyName": name, "Country": country,
                                         "currency": currency, "tz_hours": tz_hours, "tax_mode": tax_mode})
        _direct(app, realm, "CompanyInfo", {"Id": "1", "CompanyName": name, "LegalName": name, "Country": country,
                                            "CompanyStartDate": "2024-01-01", "FiscalYearStartMonth": "January",
                                            "SupportedLanguages": "en"})
        accounting_prefs = {"TrackDepartments": True, "ClassTrackingPerTxn": True, "ClassTrackingPerTxnLine": False}
        if book_close_date:
            accounting_prefs["BookCloseDate"] = book_close_date
        _direct(app, realm, "Preferences", {"Id": "1", "AccountingInfoPrefs": accounting_prefs,
            "SalesFormsPrefs": {"CustomTxnNumbers": custom_txn_numbers},
            "CurrencyPrefs": {"MultiCurrencyEnabled": multicurrency, "HomeCurrency": {"value": currency}},
            "TaxPrefs": {"UsingSalesTax": True, "PartnerTaxEnabled": tax_mode == "us_ast"}})
        accounts = {}
        for acc_name, acc_type, subtype in CHART:
            accounts[acc_name] = books.write(realm, "Account", {"Name": acc_name, "AccountType": acc_type,
                                                                "AccountSubType": subtype})
        if tax_mode == "us_ast":
            state = _direct(app, realm, "TaxRate", {"Name": "California", "RateValue": 6, "Active": True,
                                                    "AgencyRef": {"value": "1"}, "SpecialTaxType": "NONE",
                                                    "DisplayType": "ReadOnly"})
            county = _direct(app, realm, "TaxRate", {"Name": "Alameda County", "RateValue": 2.25, "Active": True,
                                                     "AgencyRef": {"value": "1"}, "SpecialTaxType": "NONE",
                                                     "DisplayType": "ReadOnly"})
            code = _direct(app, realm, "TaxCode", {
                "Name": "California", "Description": "California combined sales tax", "Active": True,
                "Hidden": False, "Taxable": True, "TaxGroup": True,
                "SalesTaxRateList": {"TaxRateDetail": [
                    {"TaxRateRef": {"value": r["Id"], "name": r["Name"]}, "TaxTypeApplicable": "TaxOnAmount",
                     "TaxOrder": 0} for r in (state, county)]},
                "PurchaseTaxRateList": {"TaxRateDetail": []}})
            app.store.put("company", realm, dict(app.store.get("company", realm), ast_taxcode=code["Id"]))
        else:
            for code_name, rate, description in UK_VAT:
                sale = _direct(app, realm, "TaxRate", {"Name": "%s (sales)" % code_name, "RateValue": rate,
                                                       "Active": True, "Description": description,
                                                       "SpecialTaxType": "NONE", "DisplayType": "ReadOnly"})
                purchase = _direct(app, realm, "TaxRate", {"Name": "%s (purchases)" % code_name, "RateValue": rate,
                                                           "Active": True, "Description": description,
                                                           "SpecialTaxType": "NONE", "DisplayType": "ReadOnly"})
                _direct(app, realm, "TaxCode", {
                    "Name": code_name, "Description": description, "Active": True, "Hidden": False,
                    "Taxable": code_name not in ("Exempt", "No VAT"), "TaxGroup": False,
                    "SalesTaxRateList": {"TaxRateDetail": [{"TaxRateRef": {"value": sale["Id"], "name": sale["Name"]},
                                                            "TaxTypeApplicable": "TaxOnAmount", "TaxOrder": 0}]},
                    "PurchaseTaxRateList": {"TaxRateDetail": [{"TaxRateRef": {"value": purchase["Id"],
                                                                              "name": purchase["Name"]},
                                                               "TaxTypeApplicable": "TaxOnAmount", "TaxOrder": 0}]}})
    return realm


def tax_code(app, realm, name):
    return next(c for c in app.store.all("TaxCode", realm) if c["Name"] == name)


def account(app, realm, name):
    return next(a for a in app.store.all("Account", realm) if a["Name"] == name)


def demo(app):
    books = app.books
    with app.store.transaction():
        company(app, "Northwind IT Services Inc", US_REALM)
        company(app, "Contoso Managed Services Ltd", UK_REALM, country="GB", currency="GBP", tz_hours=0,
                tax_mode="vat")
        for realm in (US_REALM, UK_REALM):
            services = account(app, realm, "Services")["Id"]
            expenses = account(app, realm, "Office Expenses")["Id"]
            standard = {}
            if realm == UK_REALM:
                vat = {"value": tax_code(app, realm, "20.0% S")["Id"]}
                standard = {"SalesTaxCodeRef": vat, "PurchaseTaxCodeRef": vat}
            for item_name, price, taxable in (("Remote Support (1hr)", 85, False), ("Onsite Visit", 120, False),
                                              ("Managed Seat", 45, False), ("Hardware", 300, True)):
                books.write(realm, "Item", dict(standard, Name=item_name, Type="Service" if not taxable
                                                else "NonInventory", UnitPrice=price, Taxable=taxable,
                                                IncomeAccountRef={"value": services},
                                                ExpenseAccountRef={"value": expenses}))
            for name in CUSTOMERS:
                books.write(realm, "Customer", {"DisplayName": name, "CompanyName": name,
                                                "PrimaryEmailAddr": {"Address": "accounts@%s.example"
                                                                     % name.split()[0].lower()}})
            for name in VENDORS:
                books.write(realm, "Vendor", {"DisplayName": name, "CompanyName": name})
            books.write(realm, "Class", {"Name": "Managed Services"})
            books.write(realm, "Department", {"Name": "Head Office"})
        app.identity.register_client(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REDIRECT_URIS, name="Demo QBO app",
                                     verifier_token=DEMO_VERIFIER)
    return {"companies": [US_REALM, UK_REALM]}


SEEDS = {"demo": demo}


def load(app, name):
    if name not in SEEDS:
        raise ValueError("unknown seed %r" % name)
    return SEEDS[name](app)
