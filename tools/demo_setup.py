# Runs inside `odoo shell` on the demo database (``./run demo``, docker/odoo-demo.sh), after
# a line that defines PARAMS = {"odoo_url": ..., "xero": {...}}. Standard library + Odoo only.
#
# It makes the demo database look like the books of the two organisations the harness seeds
# (harness/seed.py): two UK companies in GBP on Odoo's UK chart and VAT (l10n_uk), each with
# a few MSP customers, suppliers and labour products. The income and expense accounts the
# demo posts to carry the codes they have in Xero's UK default chart (200 Sales, 310 Cost of
# Goods Sold, 429 General Expenses, …), as an MSP whose books live in Xero numbers them, so
# that Import from Xero links every tax and account the demo documents use by itself.
# The connection itself stays the user's click (Settings → Xero → Connect to Xero).

# l10n_uk code → (Xero code, Xero name, default VAT): the accounts of Odoo's UK chart that
# have an equivalent in Xero's UK default chart (harness/seed.py CHART), and whether a line
# posted to them without a product gets the company's 20 % sales or purchase VAT (Xero's
# default tax of the account: OUTPUT2 / INPUT2; exempt ones none).
XERO_CODES = {
    "400000": ("200", "Sales", "sale"),
    "400100": ("210", "Managed Services Income", "sale"),
    "400200": ("220", "Professional Services Income", "sale"),
    "400300": ("260", "Other Revenue", "sale"),
    "490000": ("270", "Interest Income", None),
    "500000": ("310", "Cost of Goods Sold", "purchase"),
    "600000": ("400", "Advertising", "purchase"),
    "760100": ("401", "Audit & Accountancy fees", "purchase"),
    "791000": ("404", "Bank Fees", None),
    "761000": ("412", "Consulting", "purchase"),
    "751300": ("429", "General Expenses", "purchase"),
    "840000": ("433", "Insurance", None),
    "790000": ("437", "Interest Paid", None),
    "762000": ("441", "Legal Expenses", "purchase"),
    "711000": ("445", "Light, Power, Heating", "purchase"),
    "750500": ("461", "Printing & Stationery", "purchase"),
    "751000": ("463", "IT Software and Consumables", "purchase"),
    "710000": ("469", "Rent", "purchase"),
    "712000": ("473", "Repairs & Maintenance", "purchase"),
    "750300": ("489", "Telephone & Internet", "purchase"),
    "850000": ("493", "Travel - National", "purchase"),
}

COMPANIES = [
    {
        "name": "Northwind IT Services", "street": "12 Bishopsgate", "city": "London", "zip": "EC2N 4AJ",
        "email": "accounts@northwind-it.example", "phone": "+44 20 7946 0100",
        "customers": [
            # in Xero too (harness/seed.py): the import links them by account number / e-mail
            ("Acme Dental Group", "ACME01", "accounts@acmedental.example", "Alice Moore"),
            ("Brightside Legal LLP", "BRIGHT01", "billing@brightside.example", "Ben Carter"),
            # only in Odoo: sent to Xero with their first invoice
            ("Greenfield Veterinary Practice", "GREEN01", "accounts@greenfieldvets.example", "Gemma Hart"),
        ],
        "suppliers": [
            ("Dell Technologies UK", "SUP-DELL", "orders@dell.example"),
            ("Pax8 UK", "SUP-PAX8", "billing@pax8.example"),
        ],
    },
    {
        "name": "Contoso Managed Services", "street": "1 Spinningfields", "city": "Manchester", "zip": "M3 3AP",
        "email": "accounts@contoso-ms.example", "phone": "+44 161 496 0200",
        "customers": [
            ("Harbour Logistics Ltd", False, "ap@harbourlogistics.example", "Hana Okafor"),
            ("Fabrikam Architects", "FAB01", "finance@fabrikam.example", "Farah Khan"),
        ],
        "suppliers": [
            ("Microsoft Ireland Operations", "SUP-MSFT", "billing@microsoft.example"),
            ("Ingram Micro UK", "SUP-INGRAM", "invoices@ingrammicro.example"),
        ],
    },
]

# (internal reference = Xero item code, name, sales price, cost, Xero sales account code, purchased)
PRODUCTS = [
    ("REMOTE-SUPPORT", "Remote Support (1hr)", 85.0, 0.0, "220", False),
    ("ONSITE-VISIT", "Onsite Visit", 120.0, 0.0, "220", False),
    ("PROJECT-WORK", "Project Work (1hr)", 110.0, 0.0, "220", False),
    ("MANAGED-SEAT", "Managed Seat (monthly)", 45.0, 0.0, "210", False),
    ("M365-BP", "Microsoft 365 Business Premium", 18.10, 15.50, "200", True),
]


def setup_company(env, company, spec, gbp, uk):
    company.write({"name": spec["name"], "country_id": uk.id, "currency_id": gbp.id, "street": spec["street"],
                   "city": spec["city"], "zip": spec["zip"], "email": spec["email"], "phone": spec["phone"]})
    env["account.chart.template"].try_loading("uk", company, install_demo=False)
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    company = company.with_env(env)
    Account = env["account.account"].with_company(company)
    vat = {"sale": company.account_sale_tax_id, "purchase": company.account_purchase_tax_id, None: None}
    for account in Account.search([("company_ids", "in", company.id)]):
        if account.code in XERO_CODES:
            code, name, kind = XERO_CODES[account.code]
            account.write({"code": code, "name": name, "tax_ids": [(6, 0, vat[kind].ids if vat[kind] else [])]})
    by_code = {a.code: a for a in Account.search([("company_ids", "in", company.id),
                                                  ("code", "in", [c for c, _n, _k in XERO_CODES.values()])])}
    Partner = env["res.partner"].with_context(tracking_disable=True)
    for name, ref, email, person in spec["customers"]:
        Partner.create({"name": name, "is_company": True, "ref": ref, "email": email, "company_id": company.id,
                        "country_id": uk.id, "customer_rank": 1,
                        "child_ids": [(0, 0, {"name": person, "type": "invoice", "email": email,
                                              "company_id": company.id})]})
    for name, ref, email in spec["suppliers"]:
        Partner.create({"name": name, "is_company": True, "ref": ref, "email": email, "company_id": company.id,
                        "country_id": uk.id, "supplier_rank": 1})
    Product = env["product.template"].with_company(company)
    for code, name, price, cost, income, purchased in PRODUCTS:
        Product.create({"name": name, "default_code": code, "type": "service", "list_price": price,
                        "standard_price": cost, "purchase_ok": purchased, "company_id": company.id,
                        "property_account_income_id": by_code[income].id})


# Labour billing (psa_labour_billing with OCA's helpdesk_mgmt_timesheet, when the demo installed
# them): Xero's two labour items as charge types — (minimum minutes, increment minutes, rules
# applied per entry or per ticket and day) — and Northwind's service desk with last month's time.
CHARGE_TYPES = {"REMOTE-SUPPORT": (30, 15, "entry"), "ONSITE-VISIT": (60, 30, "day")}
TECHNICIANS = ("Sam Patel", "Lucy Wright")
# (ticket title, charge type, [(technician, days before the 1st of this month, hours, summary)])
TICKETS = [
    ("Email not syncing on reception PC", "REMOTE-SUPPORT", [
        (0, 20, 0.4, "Rebuilt the Outlook profile"), (1, 18, 1.1, "Moved the mailbox to the new server")]),
    ("Replace failed switch in surgery 2", "ONSITE-VISIT", [
        (1, 12, 0.75, "Replaced the switch"), (0, 12, 0.5, "Re-patched the surgery")]),
]


def fix_pricelists(env, companies):
    """Odoo made the main company's default price list when `product` was installed, in the
    company's currency then (USD): sales orders, and invoices made from them, would be in USD
    (held for a missing rate). Each company's price lists are in its currency (GBP)."""
    if "product.pricelist" not in env:
        return
    Pricelist = env["product.pricelist"].sudo().with_context(active_test=False)
    for company in companies:
        Pricelist.search([("company_id", "in", [company.id, False]),
                          ("currency_id", "!=", company.currency_id.id)]).write({"currency_id": company.currency_id.id})


def setup_labour(env, company, customer_name):
    if "helpdesk.ticket" not in env or "labour_minimum" not in env["product.template"]._fields:
        return
    import datetime

    env = env(context=dict(env.context, allowed_company_ids=[company.id], tracking_disable=True))
    hour = env.ref("uom.product_uom_hour")
    charge = {}
    for code, (minimum, increment, scope) in CHARGE_TYPES.items():
        product = env["product.template"].search([("default_code", "=", code), ("company_id", "=", company.id)])
        product.write({"service_type": "timesheet", "invoice_policy": "delivery", "uom_id": hour.id,
                       "uom_po_id": hour.id, "labour_minimum": minimum, "labour_increment": increment,
                       "labour_scope": scope})
        charge[code] = product.product_variant_id
    customer = env["res.partner"].search([("name", "=", customer_name), ("company_id", "=", company.id)])
    project = env["project.project"].create({
        "name": "%s support" % customer_name, "partner_id": customer.id, "company_id": company.id,
        "allow_billable": True, "allow_timesheets": True, "charge_type_id": charge["REMOTE-SUPPORT"].id})
    team = env["helpdesk.ticket.team"].create({
        "name": "Service Desk", "company_id": company.id, "allow_timesheet": True,
        "default_project_id": project.id, "charge_type_id": charge["REMOTE-SUPPORT"].id})
    technicians = [env["hr.employee"].create({"name": name, "company_id": company.id}) for name in TECHNICIANS]
    first = datetime.date.today().replace(day=1)
    for title, code, entries in TICKETS:
        ticket = env["helpdesk.ticket"].create({
            "name": title, "description": "<p>%s</p>" % title, "team_id": team.id, "partner_id": customer.id,
            "project_id": project.id, "company_id": company.id, "charge_type_id": charge[code].id})
        for who, days, hours, summary in entries:
            env["account.analytic.line"].create({
                "name": summary, "unit_amount": hours, "date": first - datetime.timedelta(days=days),
                "employee_id": technicians[who].id, "project_id": project.id, "ticket_id": ticket.id})


def setup(env, params):
    icp = env["ir.config_parameter"].sudo()
    icp.set_param("web.base.url", params["odoo_url"])
    icp.set_param("web.base.url.freeze", "True")
    for key, value in params["xero"].items():
        icp.set_param("psa_xero_connector." + key, value)
    if params["xero"].get("openid_configuration_url"):  # the harness's identity: Sign in with Xero works
        env.ref("psa_xero_connector.provider_xero").enabled = True
        # auth_oauth enables "Log in with Odoo.com" on install: no use on an offline demo
        odoo_com = env.ref("auth_oauth.provider_openerp", raise_if_not_found=False)
        if odoo_com:
            odoo_com.enabled = False
    gbp = env.ref("base.GBP")
    gbp.active = True
    uk = env.ref("base.uk")
    companies = env.ref("base.main_company")
    for spec in COMPANIES[1:]:
        companies |= env["res.company"].create({"name": spec["name"], "currency_id": gbp.id, "country_id": uk.id})
    for company, spec in zip(companies, COMPANIES, strict=True):
        setup_company(env, company, spec, gbp, uk)
    fix_pricelists(env, companies)
    setup_labour(env, companies[0], COMPANIES[0]["customers"][0][0])
    admin = env.ref("base.user_admin")
    admin.write({"company_ids": [(6, 0, companies.ids)], "company_id": companies[0].id, "tz": "Europe/London"})


setup(env, PARAMS)  # noqa: F821 - defined by the caller, `env` by odoo shell
env.cr.commit()  # noqa: F821
print("configured")
