"""One-time import from Xero: tax rates, accounts, tracking categories, items (products),
contacts (customers and suppliers) — matched to existing Odoo records before anything is created.

Idempotent: a Xero record already linked for the tenant is left alone, so a second run
creates nothing. Contacts stream page by page (1,000 per call) with batched ORM writes and
in-memory indexes built once, so memory stays bounded by one page plus the indexes and the
number of SQL queries does not grow with the number of contacts. A 429 waits Retry-After.
The values written come from the pure builders in xero/from_xero.py; this model looks up,
matches and writes.
"""

import logging
import time
from collections import Counter

from odoo import api, models
from odoo.exceptions import UserError, ValidationError

from ..xero import from_xero, matching
from ..xero.errors import XeroRateLimited

_logger = logging.getLogger(__name__)

PAGE_SIZE = 1000
MAX_RATE_LIMIT_WAITS = 5
ENTITIES = ("tax_rates", "accounts", "tracking", "products", "customers", "suppliers")
# what a matched partner takes from Xero where it is empty (see _fill_partner)
PARTNER_FILLED = (*from_xero.PARTNER_FILL_FIELDS, *from_xero.PARTNER_FILL_BLOCKS[0],
                  *(field for _side, field in from_xero.PAYMENT_TERM_FIELDS))


class ImportSummary:
    """Counts per entity and action, and the lines a person must read (skips, ambiguities)."""

    def __init__(self):
        self.counts = Counter()   # (entity, action) -> n
        self.lines = []           # dicts: entity, action, reason, remote_ref, name, count, res_model, res_id

    def count(self, entity, action, n=1):
        self.counts[(entity, action)] += n

    def line(self, entity, action, reason, xero_ref=None, name=None, record=None, count=1):
        self.count(entity, action, count)
        self.lines.append({"entity": entity, "action": action, "reason": reason, "remote_ref": xero_ref,
                           "name": name, "count": count, "res_model": record._name if record else False,
                           "res_id": record.id if record else False})

    def get(self, entity, action):
        return self.counts[(entity, action)]


class XeroImporter(models.AbstractModel):
    _name = "xero.importer"
    _description = "Import from Xero"

    # --- entry point ---------------------------------------------------------------------------
    @api.model
    def _import(self, tenant, what, summary=None):
        """Import ``what`` (a subset of ENTITIES) for ``tenant``. -> ImportSummary."""
        summary = summary or ImportSummary()
        tenant = tenant.sudo()
        if not tenant.company_id:
            raise UserError(self.env._("Give %s an Odoo company before importing.", tenant.name))
        # Work inside the tenant's company: its records (and shared ones) are the candidates.
        self = self.with_company(tenant.company_id)
        tenant = tenant.with_env(self.env)
        what = set(what)
        # the lock dates, base currency and currencies: what the documents sent later are checked against
        tenant._xero_read_currencies(organisation=tenant._xero_read_lock_dates())
        if "tax_rates" in what:
            self._import_tax_rates(tenant, summary)
        if "accounts" in what:
            self._import_accounts(tenant, summary)
        if "tracking" in what:
            data = self._get(tenant, "TrackingCategories", {"includeArchived": "true"}, entity="TrackingCategories")
            self.env["ledger.tracking.category"]._import_tracking(tenant, summary, data.get("TrackingCategories") or [])
        if "products" in what:
            self._import_items(tenant, summary)
        if what & {"customers", "suppliers"}:
            self._import_contacts(tenant, summary, "customers" in what, "suppliers" in what)
        return summary

    # --- reading Xero -----------------------------------------------------------------------------
    @api.model
    def _get(self, tenant, path, params=None, entity=None):
        for attempt in range(MAX_RATE_LIMIT_WAITS + 1):
            try:
                data, _headers = tenant._call("GET", path, params=params, operation="import %s" % path,
                                              context={"entity": entity or path})
                return data or {}
            except XeroRateLimited as exc:
                if attempt == MAX_RATE_LIMIT_WAITS or exc.retry_after > 120:
                    raise
                _logger.info("Xero import for %s: rate limited (%s), waiting %s s", tenant.name, exc.problem,
                             exc.retry_after)
                time.sleep(exc.retry_after)
        return {}

    @api.model
    def _pages(self, tenant, path, key, params=None):
        page = 1
        while True:
            data = self._get(tenant, path, dict(params or {}, page=page, pageSize=PAGE_SIZE), entity=key)
            rows = data.get(key) or []
            pagination = data.get("pagination") or {}
            yield rows
            self._progress(tenant, key, page, pagination.get("pageCount") or page,
                           min(page * PAGE_SIZE, pagination.get("itemCount") or 0), pagination.get("itemCount"))
            if len(rows) < PAGE_SIZE or page >= pagination.get("pageCount", page):
                return
            page += 1

    def _progress(self, tenant, key, page, pages, done, total):
        """Tell the user how far a long import is, while it runs: the notification is sent from
        an independent transaction, so it reaches the browser now, not when the import commits."""
        message = self.env._("%(org)s: %(what)s page %(page)d of %(pages)d (%(done)s of %(total)s)", org=tenant.name,
                    what=key, page=page, pages=pages, done=done, total=total or "?")
        _logger.info("Xero import progress: %s", message)
        if pages <= 1:
            return
        with self.env.registry.cursor() as cr:
            env = self.env(cr=cr)
            env.user.partner_id._bus_send("simple_notification", {
                "title": self.env._("Import from Xero"), "message": message, "type": "info", "sticky": False})

    # --- tax rates --------------------------------------------------------------------------------
    @api.model
    def _import_tax_rates(self, tenant, summary):
        rates = self._get(tenant, "TaxRates", entity="TaxRates").get("TaxRates") or []
        for rate in rates:
            components = rate.get("TaxComponents") or []
            if len(components) > 1:
                summary.line("tax_rates", "note", self.env._("%d components: never matched by rate, map it by hand "
                                                     "if an Odoo tax needs it", len(components)),
                             rate["TaxType"], rate.get("Name"))
        _catalog, created, updated = self.env["ledger.tax.rate"]._upsert(
            tenant, "tax_type", [from_xero.tax_rate_row(rate) for rate in rates])
        summary.count("tax_rates", "imported", created)
        summary.count("tax_rates", "updated", updated)
        Link = self.env["ledger.link"]
        by_res, _by_xero = Link._links(tenant, "account.tax")
        taxes = self.env["account.tax"].with_context(active_test=False).search([
            ("company_id", "=", tenant.company_id.id), ("type_tax_use", "in", ("sale", "purchase"))])
        known_types = {r["TaxType"] for r in rates}
        new_links = []
        for tax in taxes:
            link = by_res.get(tax.id)
            if link and link.remote_id in known_types:
                summary.count("taxes", "already")
                continue
            verdict, value = matching.match_tax(
                {"amount": tax.amount, "type_tax_use": tax.type_tax_use, "amount_type": tax.amount_type,
                 "name": tax.name, "description": tax.description, "invoice_label": tax.invoice_label}, rates)
            if verdict == "match":
                if link:
                    link.write({"remote_id": value, "remote_code": value})
                else:
                    new_links.append(from_xero.tax_link(tenant.id, tax.id,
                                                        next(r for r in rates if r["TaxType"] == value)))
                summary.count("taxes", "linked")
            elif verdict == "ambiguous":
                reason = self.env._("several Xero tax types fit (%s): choose one in Tax mapping", ", ".join(value))
                summary.line("taxes", "ambiguous", reason, None, tax.name, tax)
            else:
                summary.line("taxes", "unmapped", self.env._("%s: map it in Tax mapping before syncing", value),
                             None, tax.name, tax)
        Link.create(new_links)

    # --- accounts ---------------------------------------------------------------------------------
    @api.model
    def _import_accounts(self, tenant, summary):
        accounts = self._get(tenant, "Accounts", entity="Accounts").get("Accounts") or []
        _catalog, created, updated = self.env["ledger.account"]._upsert(
            tenant, "account_id", [from_xero.account_row(acc) for acc in accounts])
        summary.count("accounts", "imported", created)
        summary.count("accounts", "updated", updated)
        Link = self.env["ledger.link"]
        by_res, by_xero = Link._links(tenant, "account.account")
        odoo_by_code = {}
        for account in self.env["account.account"].search([("company_ids", "in", tenant.company_id.ids)]):
            odoo_by_code.setdefault(matching.normalise_code(account.code), []).append(account)
        new_links = []
        for acc in accounts:
            code = matching.normalise_code(acc.get("Code"))
            candidates = odoo_by_code.get(code, []) if code else []
            if not candidates:
                continue
            if acc.get("Status", "ACTIVE") != "ACTIVE":
                summary.line("accounts", "skipped", self.env._("archived in Xero: not linked"), acc.get("Code"),
                             acc.get("Name"), candidates[0])
                continue
            if acc["AccountID"] in by_xero or candidates[0].id in by_res:
                summary.count("accounts", "already")
                continue
            if len(candidates) > 1:
                summary.line("accounts", "ambiguous", self.env._("several Odoo accounts have code %s", acc.get("Code")),
                             acc.get("Code"), acc.get("Name"))
                continue
            new_links.append(from_xero.account_link(tenant.id, candidates[0].id, acc))
            summary.count("accounts", "linked")
        Link.create(new_links)

    # --- items → products -------------------------------------------------------------------------
    @api.model
    def _import_items(self, tenant, summary):
        items = self._get(tenant, "Items", entity="Items").get("Items") or []
        catalog, _created, _updated = self.env["ledger.item"]._upsert(
            tenant, "item_id", [from_xero.item_row(item) for item in items])
        listed = {item["ItemID"] for item in items}
        catalog_gone = [rec for key, rec in catalog.items() if key not in listed and rec.active]
        for record in catalog_gone:
            record.active = False  # deleted in Xero: no longer a valid catch-all
        Link = self.env["ledger.link"]
        by_res, by_xero = Link._links(tenant, "product.template")
        company = tenant.company_id
        index = matching.Index(["code"])
        for product in self.env["product.template"].search_read(
                [("default_code", "!=", False), ("company_id", "in", [False, company.id])], ["default_code"]):
            index.add(product["id"], {"code": matching.normalise_code(product["default_code"])})
        new_links, to_create, to_fill = [], [], []
        for item in items:
            if item["ItemID"] in by_xero:
                summary.count("products", "already")
                to_fill.append((item, by_xero[item["ItemID"]].res_id))
                continue
            if not item.get("SalesDetails") or item["SalesDetails"].get("UnitPrice") is None:
                summary.line("products", "note", self.env._("no sales price in Xero: the product's price is 0"),
                             item["Code"], item.get("Name"))
            verdict, found, _key = index.match({"code": matching.normalise_code(item["Code"])})
            if verdict == "ambiguous":
                summary.line("products", "ambiguous", self.env._("several Odoo products have the internal reference %s",
                                                        item["Code"]), item["Code"], item.get("Name"))
            elif verdict == "match" and found in by_res:
                summary.line("products", "skipped", self.env._("its product is already linked to another Xero item"),
                             item["Code"], item.get("Name"), self.env["product.template"].browse(found))
            elif verdict == "match":
                new_links.append(from_xero.item_link(tenant.id, item, found))
                by_res[found] = True
                summary.count("products", "linked")
                to_fill.append((item, found))
            else:
                to_create.append(item)
        taxes, accounts = self._mapped_defaults(tenant)
        values, problems = [], []
        for item in to_create:
            defaults, item_problems = from_xero.item_defaults(item, taxes, accounts)
            values.append(dict(from_xero.product_values(item, company.id), **defaults))
            problems.append(item_problems)
        # with_company: the accounts are company-dependent values of the tenant's company
        products = self.env["product.template"].with_company(company).with_context(xero_no_sync=True).create(values)
        for item, product, item_problems in zip(to_create, products, problems, strict=True):
            new_links.append(from_xero.item_link(tenant.id, item, product.id))
            for field, wanted, problem in item_problems:
                summary.line("products", "note", self._default_problem(field, wanted, problem), item["Code"],
                             item.get("Name"), product)
        summary.count("products", "created", len(products))
        Link.create(new_links)
        self._fill_products(tenant, to_fill, taxes, accounts, summary)

    def _fill_products(self, tenant, pairs, taxes, accounts, summary):
        """Existing products matched to (or linked with) Xero items take what Xero knows and Odoo
        leaves empty (descriptions; taxes and accounts through the mappings); a value both have and
        disagree on stays and is listed (see _fill_partner). Taxes are the company's only: a
        product shared by several companies keeps the others'."""
        company = tenant.company_id
        Product = self.env["product.template"].with_company(company).with_context(xero_no_sync=True)
        products = {p.id: p for p in Product.browse([pid for _item, pid in pairs]).exists()}
        for item, product_id in pairs:
            product = products.get(product_id)
            if not product:
                continue
            ours = {"description_sale": product.description_sale, "description_purchase": product.description_purchase,
                    "taxes_id": product.taxes_id.filtered(lambda t: t.company_id == company).ids,
                    "supplier_taxes_id": product.supplier_taxes_id.filtered(lambda t: t.company_id == company).ids,
                    "property_account_income_id": product.property_account_income_id.id,
                    "property_account_expense_id": product.property_account_expense_id.id}
            defaults, _problems = from_xero.item_defaults(item, taxes, accounts)
            theirs = dict(defaults, description_sale=item.get("Description") or False,
                          description_purchase=item.get("PurchaseDescription") or False)
            values, differing = from_xero.fill_blanks(ours, theirs, from_xero.PRODUCT_FILL_FIELDS, ())
            if differing:
                summary.line("products", "differs", self._differs_reason(product, differing), item["Code"],
                             item.get("Name"), product)
            if not values:
                continue
            for field in ("taxes_id", "supplier_taxes_id"):
                if field in values:  # added: a shared product keeps the other companies' taxes
                    values[field] = [(4, tax_id) for tax_id in values[field][0][2]]
            try:
                with self.env.cr.savepoint():
                    product.write(values)
            except (ValidationError, UserError) as exc:
                summary.line("products", "note", self.env._(
                    "Xero's %(fields)s not copied, Odoo refused them (%(error)s)", fields=", ".join(
                        self._field_label(product, f) for f in values), error=self._one_line(exc)),
                    item["Code"], item.get("Name"), product)
                continue
            summary.line("products", "filled", self.env._("empty in Odoo, taken from Xero: %s", ", ".join(
                self._field_label(product, field) for field in values)), item["Code"], item.get("Name"), product)

    def _mapped_defaults(self, tenant):
        """What the mappings give for Xero's defaults: {(type_tax_use, TaxType): [tax ids]} of the
        company's active taxes and {Xero account code: [account ids]}, from the tenant's links."""
        Link = self.env["ledger.link"]
        taxes, accounts = {}, {}
        tax_links = Link.search([("tenant_id", "=", tenant.id), ("res_model", "=", "account.tax")])
        linked_taxes = self.env["account.tax"].browse(tax_links.mapped("res_id")).exists()
        usable = {tax.id: tax.type_tax_use for tax in linked_taxes
                  if tax.company_id == tenant.company_id and tax.active}
        for link in tax_links.filtered(lambda ln: ln.res_id in usable):
            taxes.setdefault((usable[link.res_id], link.remote_id), []).append(link.res_id)
        account_links = Link.search([("tenant_id", "=", tenant.id), ("res_model", "=", "account.account")])
        active = set(self.env["account.account"].browse(account_links.mapped("res_id")).exists().filtered(
            lambda a: not a.deprecated).ids)
        for link in account_links.filtered(lambda ln: ln.res_id in active and ln.remote_code):
            accounts.setdefault(link.remote_code, []).append(link.res_id)
        return taxes, accounts

    def _default_problem(self, field, wanted, problem):
        """The report line for a Xero default the mappings could not carry to the product or partner."""
        what = {
            "taxes_id": self.env._("Xero's sales tax %s", wanted),
            "supplier_taxes_id": self.env._("Xero's purchase tax %s", wanted),
            "property_account_income_id": self.env._("Xero's sales account %s", wanted),
            "property_account_expense_id": self.env._("Xero's purchase account %s", wanted),
        }[field]
        tax = field in ("taxes_id", "supplier_taxes_id")
        if problem == "ambiguous":
            if tax:
                return self.env._("%s is mapped to several Odoo taxes: the product has the company's default tax; "
                                  "choose one on the product", what)
            return self.env._("%s is mapped to several Odoo accounts: the product uses its category's account; "
                              "choose one on the product", what)
        if tax:
            return self.env._("%s is mapped to no Odoo tax: the product has the company's default tax; map it in "
                              "Xero → Tax mapping and set the product's tax", what)
        return self.env._("%s is mapped to no Odoo account: the product uses its category's account; map it in "
                          "Xero → Account mapping and set the product's account", what)

    # --- contacts → partners ----------------------------------------------------------------------
    @api.model
    def _import_contacts(self, tenant, summary, customers, suppliers):
        company = tenant.company_id
        # xero_no_sync: what comes from Xero is not sent back to it
        Partner = self.env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True,
                                                       xero_no_sync=True)
        Link = self.env["ledger.link"]
        by_res, by_xero = Link._links(tenant, "res.partner")
        linked_partner = {link.res_id: link.remote_id for link in by_xero.values()}
        index = matching.Index(matching.CONTACT_KEYS)
        names, current = {}, {}
        for partner in Partner.search_read([("company_id", "in", [False, company.id]), ("parent_id", "=", False)],
                                           ["ref", "vat", "email", "name", *PARTNER_FILLED]):
            index.add(partner["id"], matching.partner_keys(partner))
            names[partner["id"]] = partner["name"]
            current[partner["id"]] = {f: v[0] if isinstance(v, (list, tuple)) else v
                                      for f, v in partner.items() if f in PARTNER_FILLED}
        countries = {c.code: c.id for c in self.env["res.country"].search([])}
        currencies = {c.name: c.id for c in self.env["res.currency"].search([])}
        terms = self._payment_terms_index(company)
        term_keys = {term_id: key for key, term_id in terms.items()}
        emails_seen = {}
        not_selected = Counter()
        for page in self._pages(tenant, "Contacts", "Contacts", {"includeArchived": "true"}):
            to_create, new_links, ranks, to_fill = [], [], {}, []
            for contact in page:
                entity, role = from_xero.contact_role(contact)
                if (entity == "customers" and not customers) or (entity == "suppliers" and not suppliers):
                    not_selected[entity] += 1
                    continue
                name = (contact.get("Name") or "").strip()
                ref = contact.get("ContactID")
                if ref in by_xero:
                    summary.count(entity, "already")
                    ranks.setdefault(by_xero[ref].res_id, set()).update(role)
                    to_fill.append((contact, role, by_xero[ref].res_id))
                    # Xero's defaults as they are now (a write only when one changed)
                    defaults = from_xero.contact_defaults(contact)
                    if any(by_xero[ref][field] != value for field, value in defaults.items()):
                        by_xero[ref].write(defaults)
                    continue
                if not name:
                    summary.line(entity, "skipped", self.env._("contact without a name"), ref, None)
                    continue
                if contact.get("ContactStatus", "ACTIVE") != "ACTIVE":
                    summary.line(entity, "skipped", self.env._("archived in Xero"), ref, name)
                    continue
                email = matching.normalise_email(contact.get("EmailAddress"))
                if email and email in emails_seen:
                    reason = self.env._("shares the e-mail %(email)s with the Xero contact %(other)s",
                                        email=email, other=emails_seen[email])
                    summary.line(entity, "note", reason, ref, name)
                emails_seen.setdefault(email, name)
                verdict, found, key = index.match(matching.contact_keys(contact))
                if verdict == "ambiguous":
                    summary.line(entity, "ambiguous", self.env._("%(n)d Odoo partners have the same %(key)s: %(names)s",
                                                        n=len(found), key=self._key_label(key),
                                                        names=", ".join(names.get(i, str(i)) for i in found[:5])),
                                 ref, name)
                elif verdict == "match" and found in linked_partner:
                    reason = self.env._("matches %(partner)s by %(key)s, already linked to another Xero contact",
                                        partner=names.get(found), key=self._key_label(key))
                    summary.line(entity, "skipped", reason, ref, name, Partner.browse(found))
                elif verdict == "match":
                    linked_partner[found] = ref
                    new_links.append(from_xero.contact_link(tenant.id, contact, found))
                    ranks.setdefault(found, set()).update(role)
                    summary.count(entity, "linked")
                    to_fill.append((contact, role, found))
                else:
                    to_create.append((contact, role))
            rows = [(contact, self._partner_values(contact, role, company, countries, currencies, terms, summary))
                    for contact, role in to_create]
            for contact, partner in self._create_partners(Partner, rows, summary):
                new_links.append(from_xero.contact_link(tenant.id, contact, partner.id))
                linked_partner[partner.id] = contact["ContactID"]
                summary.count(from_xero.contact_role(contact)[0], "created")
            contacts = {c["ContactID"]: c for c in page}
            Link.create([dict(link, **from_xero.contact_defaults(contacts[link["remote_id"]])) for link in new_links])
            self._raise_ranks(ranks)
            for contact, role, partner_id in to_fill:
                self._fill_partner(Partner.browse(partner_id), current.get(partner_id), contact, role, company,
                                   countries, terms, term_keys, summary)
        for entity, n in not_selected.items():
            summary.line(entity, "skipped", self.env._("not selected for this import"), count=n)

    def _partner_values(self, contact, role, company, countries, currencies, terms, summary):
        """A new partner's values: Xero's contact, its payment terms (an Odoo term with the same
        rule, created if none) and, for a supplier, its default currency as the supplier currency
        (purchase's field; Odoo has none for sales: Xero's stays on the link)."""
        values = from_xero.partner_values(contact, role, company.id, countries)
        entity = from_xero.contact_role(contact)[0]
        rules, problems = from_xero.contact_payment_terms(contact)
        for field, rule in rules.items():
            values[field] = self._payment_term(rule, company, terms, entity, summary)
        for _field, kind in problems:
            summary.line(entity, "note", self.env._("Xero's payment term %s has no Odoo equivalent (Odoo's terms "
                                                    "count forward from the invoice date or a month end): set the "
                                                    "partner's payment terms by hand", kind),
                         contact.get("ContactID"), values["name"])
        currency = contact.get("DefaultCurrency")
        if currency and currency != company.currency_id.name and "supplier" in role:
            if currency in currencies:
                values["property_purchase_currency_id"] = currencies[currency]
            else:
                summary.line(entity, "note", self.env._("Xero's default currency %s is not active in Odoo: the "
                                                        "supplier currency is left empty", currency),
                             contact.get("ContactID"), values["name"])
        return values

    def _fill_partner(self, partner, ours, contact, role, company, countries, terms, term_keys, summary):
        """An existing partner matched to (or linked with) a Xero contact takes what Xero knows and
        Odoo leaves empty (VAT, e-mail, phone, address, payment terms); a value both have and
        disagree on stays as Odoo has it and is listed for a person to choose. A VAT number
        Odoo's VAT check refuses is left out and said, as for a partner created from Xero.
        ``ours``: what Odoo has (None: not a partner of the company or shared, left alone)."""
        if ours is None:
            return
        entity, ref = from_xero.contact_role(contact)[0], contact.get("ContactID")
        theirs = from_xero.partner_values(contact, role, company.id, countries)
        values, differing = from_xero.fill_blanks(ours, theirs)
        rules, _problems = from_xero.contact_payment_terms(contact)
        for field, rule in rules.items():
            if not ours.get(field):
                values[field] = self._payment_term(rule, company, terms, entity, summary)
                term_keys.setdefault(values[field], from_xero.payment_term_key(rule))
            elif term_keys.get(ours[field]) != from_xero.payment_term_key(rule):
                differing.append((field, self.env["account.payment.term"].browse(ours[field]).display_name,
                                  self._term_name(rule)))
        if differing:
            summary.line(entity, "differs", self._differs_reason(partner, differing), ref, partner.name, partner)
        attempts = [values, {f: v for f, v in values.items() if f != "vat"}] if values.get("vat") else [values]
        for attempt in attempts:
            if not attempt:
                return
            try:
                with self.env.cr.savepoint():
                    partner.write(attempt)
            except (ValidationError, UserError) as exc:
                if "vat" in attempt:
                    summary.line(entity, "note", self.env._(
                        "Xero's VAT number %(vat)s not copied, Odoo refused it (%(error)s): correct it in Xero or on "
                        "the partner", vat=attempt["vat"], error=self._one_line(exc)), ref, partner.name, partner)
                    continue
                summary.line(entity, "note", self.env._("Xero's %(fields)s not copied, Odoo refused them (%(error)s)",
                                                        fields=", ".join(sorted(attempt)), error=self._one_line(exc)),
                             ref, partner.name, partner)
                return
            ours.update(attempt)
            summary.line(entity, "filled", self.env._("empty in Odoo, taken from Xero: %s", ", ".join(
                self._field_label(partner, field) for field in attempt)), ref, partner.name, partner)
            return

    def _differs_reason(self, record, differing):
        """The summary's sentence for the values of ``record`` Odoo kept though Xero's differ."""
        values = []
        for field, mine, theirs in differing:
            values.append(self.env._("%(field)s %(ours)s (Xero: %(theirs)s)", field=self._field_label(record, field),
                                     ours=self._shown(record, field, mine), theirs=self._shown(record, field, theirs)))
        return self.env._("kept as in Odoo, differs in Xero: %s. Choose: correct it in Odoo (it is sent to Xero), or "
                          "correct Xero", "; ".join(values))

    @staticmethod
    def _field_label(record, field):
        return record._fields[field]._description_string(record.env)

    @staticmethod
    def _shown(record, field, value):
        """A value of ``field`` as a person reads it (records by their names, not their ids)."""
        field_def = record._fields[field]
        if field_def.type in ("many2one", "many2many") and value and not isinstance(value, str):
            if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)):
                value = value[0][2]  # [(6, 0, ids)]
            return ", ".join(record.env[field_def.comodel_name].browse(value).mapped("display_name"))
        return value or "-"

    def _term_name(self, rule):
        days = rule["nb_days"]
        return {
            "days_after": self.env._("%s Days", days),
            "days_after_end_of_month": self.env._("%s days after end of month", days),
            "days_end_of_month_on_the": self.env._("Day %s of the following month", rule["days_next_month"]),
        }[rule["delay_type"]]

    def _payment_terms_index(self, company):
        """{payment_term_key: id} of the Odoo terms the company may use that pay 100 % on one date."""
        index = {}
        terms = self.env["account.payment.term"].search([("company_id", "in", [False, company.id]),
                                                         ("early_discount", "=", False)])
        lines = {}
        for line in self.env["account.payment.term.line"].search_read(
                [("payment_id", "in", terms.ids)], ["payment_id", "value", "value_amount", "delay_type", "nb_days",
                                                    "days_next_month"]):
            lines.setdefault(line["payment_id"][0], []).append(line)
        for term in terms:
            key = from_xero.odoo_term_key(lines.get(term.id, []))
            if key:
                index.setdefault(key, term.id)
        return index

    def _payment_term(self, rule, company, index, entity, summary):
        """The Odoo payment term for Xero's rule: an existing one, else a new one (said in the report)."""
        key = from_xero.payment_term_key(rule)
        if key not in index:
            name = self._term_name(rule)
            term = self.env["account.payment.term"].create(from_xero.payment_term_values(rule, name, company.id))
            index[key] = term.id
            summary.line(entity, "note", self.env._("payment term “%s” created for Xero's terms", name),
                         None, name, term)
        return index[key]

    def _create_partners(self, Partner, rows, summary):
        """Create the partners of ``rows`` [(contact, values)] -> [(contact, partner)]. All at once;
        if Odoo refuses one (its VAT check — base_vat, which l10n_uk installs — or any other
        constraint), one by one: a refused VAT number is left out and said, a contact still
        refused is skipped and said; the others are imported."""
        if not rows:
            return []
        try:
            with self.env.cr.savepoint():
                partners = Partner.create([values for _contact, values in rows])
            return list(zip([contact for contact, _values in rows], partners, strict=True))
        except (ValidationError, UserError):
            _logger.info("Xero import: a partner was refused, creating this page one by one")
        created = []
        for contact, values in rows:
            entity, ref, name = from_xero.contact_role(contact)[0], contact.get("ContactID"), values["name"]
            try:
                with self.env.cr.savepoint():
                    created.append((contact, Partner.create(values)))
                continue
            except (ValidationError, UserError) as exc:
                error = exc
            if values.get("vat"):
                try:
                    with self.env.cr.savepoint():
                        partner = Partner.create(dict(values, vat=False))
                    created.append((contact, partner))
                    summary.line(entity, "note", self.env._(
                        "imported without its VAT number %(vat)s, which Odoo refused (%(error)s): correct it in Xero "
                        "or on the partner", vat=values["vat"], error=self._one_line(error)), ref, name, partner)
                    continue
                except (ValidationError, UserError) as exc:
                    error = exc
            summary.line(entity, "skipped", self.env._("refused by Odoo: %s", self._one_line(error)), ref, name)
        return created

    @staticmethod
    def _one_line(error):
        """Odoo's message, on one line (a report line is one line)."""
        return " ".join(str(error.args[0] if error.args else error).split())

    def _raise_ranks(self, ranks):
        """Customer / supplier rank from Xero's flags, in one write per rank kind."""
        Partner = self.env["res.partner"].with_context(xero_no_sync=True)
        for field, role in (("customer_rank", "customer"), ("supplier_rank", "supplier")):
            ids = [pid for pid, roles in ranks.items() if role in roles]
            if ids:
                Partner.browse(ids).filtered(lambda p, f=field: not p[f]).write({field: 1})

    def _key_label(self, key):
        return {"account_number": self.env._("account number"), "vat": self.env._("tax number"),
                "email": self.env._("e-mail"), "name": self.env._("name")}.get(key, key)
