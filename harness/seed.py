"""Seed data: UK-style organisations with a standard chart of accounts and VAT rates, a few
MSP contacts and items for the import demo, and a demo OAuth app.

``--seed demo`` gives two organisations, "Northwind IT Services" and "Contoso Managed
Services", and the OAuth client ``demo-client`` / ``demo-secret`` allowed to redirect to
Odoo's callback on localhost:8069 (more URIs can be added with --redirect-uri).
"""

import uuid

from .accounting import lockdates

TAX_RATES = [
    ("20% (VAT on Income)", "OUTPUT2", 20, "OUTPUT"),
    ("20% (VAT on Expenses)", "INPUT2", 20, "INPUT"),
    ("5% (VAT on Income)", "RROUTPUT", 5, "OUTPUT"),
    ("5% (VAT on Expenses)", "RRINPUT", 5, "INPUT"),
    ("Zero Rated Income", "ZERORATEDOUTPUT", 0, "ZERORATEDOUTPUT"),
    ("Zero Rated Expenses", "ZERORATEDINPUT", 0, "ZERORATEDINPUT"),
    ("Exempt Income", "EXEMPTOUTPUT", 0, "EXEMPTOUTPUT"),
    ("Exempt Expenses", "EXEMPTINPUT", 0, "EXEMPTINPUT"),
    ("No VAT", "NONE", 0, "NONE"),
]

# Xero's UK default chart of accounts (a new UK organisation starts with it; codes up to 10
# characters, numbered by the organisation), plus the two income accounts an MSP adds.
CHART = [
    ("090", "Business Bank Account", "BANK", None),
    ("091", "Business Savings Account", "BANK", None),
    ("200", "Sales", "SALES", "OUTPUT2"),
    ("210", "Managed Services Income", "SALES", "OUTPUT2"),
    ("220", "Professional Services Income", "SALES", "OUTPUT2"),
    ("260", "Other Revenue", "OTHERINCOME", "OUTPUT2"),
    ("270", "Interest Income", "OTHERINCOME", "EXEMPTOUTPUT"),
    ("300", "Purchases", "DIRECTCOSTS", "INPUT2"),
    ("310", "Cost of Goods Sold", "DIRECTCOSTS", "INPUT2"),
    ("320", "Direct Wages", "DIRECTCOSTS", "NONE"),
    ("400", "Advertising", "OVERHEADS", "INPUT2"),
    ("401", "Audit & Accountancy fees", "OVERHEADS", "INPUT2"),
    ("404", "Bank Fees", "OVERHEADS", "EXEMPTINPUT"),
    ("412", "Consulting", "OVERHEADS", "INPUT2"),
    ("429", "General Expenses", "OVERHEADS", "INPUT2"),
    ("433", "Insurance", "OVERHEADS", "EXEMPTINPUT"),
    ("437", "Interest Paid", "OVERHEADS", "EXEMPTINPUT"),
    ("441", "Legal Expenses", "OVERHEADS", "INPUT2"),
    ("445", "Light, Power, Heating", "OVERHEADS", "INPUT2"),
    ("461", "Printing & Stationery", "OVERHEADS", "INPUT2"),
    ("463", "IT Software and Consumables", "OVERHEADS", "INPUT2"),
    ("469", "Rent", "OVERHEADS", "INPUT2"),
    ("473", "Repairs & Maintenance", "OVERHEADS", "INPUT2"),
    ("477", "Salaries", "OVERHEADS", "NONE"),
    ("485", "Subscriptions", "OVERHEADS", "INPUT2"),
    ("489", "Telephone & Internet", "OVERHEADS", "INPUT2"),
    ("493", "Travel - National", "OVERHEADS", "INPUT2"),
    ("494", "Travel - International", "OVERHEADS", "ZERORATEDINPUT"),
    ("610", "Accounts Receivable", "CURRENT", None),
    ("620", "Prepayments", "PREPAYMENT", None),
    ("630", "Inventory", "INVENTORY", None),
    ("720", "Computer Equipment", "FIXED", "INPUT2"),
    ("800", "Accounts Payable", "CURRLIAB", None),
    ("820", "VAT", "CURRLIAB", None),
    ("860", "Rounding", "CURRLIAB", None),
    ("960", "Retained Earnings", "EQUITY", None),
    ("970", "Owner A Funds Introduced", "EQUITY", None),
]

# Xero's system accounts in that chart (Account.SystemAccount): kept for Xero's own postings.
SYSTEM_ACCOUNTS = {"610": "DEBTORS", "800": "CREDITORS", "820": "GST", "860": "ROUNDING", "960": "RETAINEDEARNINGS"}

DEMO_CLIENT_ID = "demo-client"
DEMO_CLIENT_SECRET = "demo-secret"
DEMO_REDIRECT_URIS = ["http://localhost:8069/xero/oauth/callback", "http://127.0.0.1:8069/xero/oauth/callback",
                      "http://localhost:8069/xero/signin/callback", "http://127.0.0.1:8069/xero/signin/callback"]
# Xero users of the demo (login.xero.com accounts): who signs in with Xero.
DEMO_USERS = [("ada@northwind.example", "Ada", "Lovelace", "6f1d2c7e-4b5a-4e8f-9c3d-2a1b0c9d8e7f"),
              ("grace@contoso.example", "Grace", "Hopper", "0b9c8d7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e")]
DEMO_WEBHOOK_KEY = "demo-webhook-key"

DEMO_ORGS = [
    ("Northwind IT Services", "2b5d8f4e-1c3a-4e6b-9a7d-0f1e2d3c4b5a"),
    ("Contoso Managed Services", "7c1e9a2b-5d4f-4a3e-8b6c-1d2e3f4a5b6c"),
]

# Contacts as an MSP's Xero keeps them: payment terms (Contact.PaymentTerms, PaymentTermType in
# xero_accounting.yaml), default currency, default accounts and tax types.
_CUSTOMER_DEFAULTS = {"DefaultCurrency": "GBP", "SalesDefaultAccountCode": "210",
                      "AccountsReceivableTaxType": "OUTPUT2"}
_SUPPLIER_DEFAULTS = {"DefaultCurrency": "GBP", "PurchasesDefaultAccountCode": "310",
                      "AccountsPayableTaxType": "INPUT2",
                      "PaymentTerms": {"Bills": {"Day": 30, "Type": "DAYSAFTERBILLDATE"}}}
DEMO_CONTACTS = [
    dict(_CUSTOMER_DEFAULTS, Name="Acme Dental Group", FirstName="Alice", LastName="Moore",
         EmailAddress="accounts@acmedental.example", AccountNumber="ACME01", TaxNumber="GB123456782",
         PaymentTerms={"Sales": {"Day": 14, "Type": "DAYSAFTERBILLDATE"}}),
    dict(_CUSTOMER_DEFAULTS, Name="Brightside Legal LLP", FirstName="Ben", LastName="Carter",
         EmailAddress="billing@brightside.example", AccountNumber="BRIGHT01",
         PaymentTerms={"Sales": {"Day": 20, "Type": "OFFOLLOWINGMONTH"}}),
    dict(_CUSTOMER_DEFAULTS, Name="Harbour Logistics Ltd", FirstName="Hana", LastName="Okafor",
         EmailAddress="ap@harbourlogistics.example", SalesDefaultAccountCode="220",
         PaymentTerms={"Sales": {"Day": 30, "Type": "DAYSAFTERBILLMONTH"}}),
    dict(_SUPPLIER_DEFAULTS, Name="Dell Technologies UK", EmailAddress="orders@dell.example",
         AccountNumber="SUP-DELL"),
    dict(_SUPPLIER_DEFAULTS, Name="Microsoft Ireland Operations", EmailAddress="billing@microsoft.example",
         AccountNumber="SUP-MSFT", PurchasesDefaultAccountCode="463"),
]
DEMO_SUPPLIERS = ("Dell Technologies UK", "Microsoft Ireland Operations")

DEMO_ITEMS = [
    {"Code": "REMOTE-SUPPORT", "Name": "Remote Support (1hr)", "Description": "Remote support, per hour",
     "SalesDetails": {"UnitPrice": 85, "AccountCode": "220", "TaxType": "OUTPUT2"}},
    {"Code": "ONSITE-VISIT", "Name": "Onsite Visit", "Description": "Onsite engineer visit, per hour",
     "SalesDetails": {"UnitPrice": 120, "AccountCode": "220", "TaxType": "OUTPUT2"}},
    {"Code": "PROJECT-WORK", "Name": "Project Work (1hr)", "Description": "Project engineering, per hour",
     "SalesDetails": {"UnitPrice": 110, "AccountCode": "220", "TaxType": "OUTPUT2"}},
    {"Code": "MANAGED-SEAT", "Name": "Managed Seat (monthly)", "Description": "Managed IT per user per month",
     "SalesDetails": {"UnitPrice": 45, "AccountCode": "210", "TaxType": "OUTPUT2"}},
    {"Code": "M365-BP", "Name": "Microsoft 365 Business Premium", "Description": "Licence, per user per month",
     "SalesDetails": {"UnitPrice": 18.1, "AccountCode": "200", "TaxType": "OUTPUT2"},
     "PurchaseDetails": {"UnitPrice": 15.5, "AccountCode": "310", "TaxType": "INPUT2"}},
    # hardware kept in stock: tracked as inventory (asset account 630, cost of sales 310)
    {"Code": "LAPTOP-14", "Name": "Business Laptop 14in", "Description": "14in business laptop",
     "PurchaseDescription": "14in business laptop, from distributor", "InventoryAssetAccountCode": "630",
     "SalesDetails": {"UnitPrice": 899, "AccountCode": "200", "TaxType": "OUTPUT2"},
     "PurchaseDetails": {"UnitPrice": 640, "COGSAccountCode": "310", "TaxType": "INPUT2"}},
    {"Code": "MISC", "Name": "Miscellaneous", "Description": "Catch-all for unmatched lines",
     "SalesDetails": {"AccountCode": "200", "TaxType": "OUTPUT2"},
     "PurchaseDetails": {"AccountCode": "300", "TaxType": "INPUT2"}},
]


def default_tax_rates():
    return [{"Name": name, "TaxType": tax_type, "ReportTaxType": report,
             "TaxComponents": [{"Name": "VAT", "Rate": rate, "IsCompound": False, "IsNonRecoverable": False}]}
            for name, tax_type, rate, report in TAX_RATES]


def default_chart():
    out = []
    for code, name, type_, tax in CHART:
        account = {"Code": code, "Name": name, "Type": type_}
        if tax:
            account["TaxType"] = tax
        if type_ == "BANK":
            account["BankAccountNumber"] = "20-00-00 %s" % code.zfill(8)
        out.append(account)
    return out


def organisation(app, name, tenant_id=None, country="GB", currency="GBP", lock_dates=None):
    """A new organisation with the default chart and tax rates; ``lock_dates``: {PeriodLockDate,
    EndOfYearLockDate, adviser} (see accounting/lockdates.py)."""
    tenant_id = (tenant_id or str(uuid.uuid4())).lower()
    books = app.books
    with app.store.transaction():
        org = books.create_organisation(tenant_id, name, default_chart(), default_tax_rates(),
                                        country=country, currency=currency)
        for account in books.accounts.records(tenant_id):
            if account.get("Code") in SYSTEM_ACCOUNTS:  # read-only in Xero's API: set here
                app.store.put("account", account["AccountID"],
                              dict(account, SystemAccount=SYSTEM_ACCOUNTS[account["Code"]]), tenant_id)
        if lock_dates:
            org = app.store.put("org", tenant_id, lockdates.set_lock_dates(org, lock_dates))
    return org


def set_lock_dates(app, tenant_id, values):
    """Set or clear an organisation's lock dates (admin API, page, ``serve --lock-date``)."""
    org = app.books.organisation(tenant_id)
    if org is None:
        raise KeyError("no organisation %s" % tenant_id)
    return app.store.put("org", tenant_id, lockdates.set_lock_dates(org, values))


def demo(app):
    books = app.books
    with app.store.transaction():
        for name, tenant_id in DEMO_ORGS:
            if app.store.get("org", tenant_id):
                continue
            organisation(app, name, tenant_id)
            results = books.items.write(tenant_id, DEMO_ITEMS, "PUT")
            results += books.contacts.write(tenant_id, DEMO_CONTACTS, "PUT")
            bad = [out for ok, out in results if not ok]
            if bad:
                raise ValueError("invalid demo seed: %r" % bad)
            for contact in books.contacts.records(tenant_id):
                role = "IsSupplier" if contact["Name"] in DEMO_SUPPLIERS else "IsCustomer"
                app.store.put("contact", contact["ContactID"], dict(contact, **{role: True}), tenant_id)
        for email, given, family, user_id in DEMO_USERS:
            if not app.identity.user(user_id):
                app.identity.add_user(email, given, family, user_id)
        if not app.identity.client(DEMO_CLIENT_ID):
            app.identity.register_client(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REDIRECT_URIS,
                                         name="PSA Xero Connector (demo)", webhook_key=DEMO_WEBHOOK_KEY)
    return {"organisations": [t for _, t in DEMO_ORGS], "client_id": DEMO_CLIENT_ID}


SEEDS = {"demo": demo}


def load(app, name):
    if name not in SEEDS:
        raise ValueError("unknown seed %r (known: %s)" % (name, ", ".join(SEEDS)))
    return SEEDS[name](app)
