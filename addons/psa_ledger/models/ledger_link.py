"""Per-organisation bindings between Odoo records and the ledger's records (the external IDs).

Partners, products and accounts can be shared by several companies, so a remote ID belongs to
a record *and* an organisation: one row per (organisation, record), and a ledger record is
bound to one Odoo record per organisation.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.models import PREFETCH_MAX
from odoo.tools import split_every

from ..access import MANAGER, check_caller, check_ledger_owned
from ..utils import referenced_record

# their links are part of the tracking catalogue a ledger keeps (ledger.tracking.option)
TRACKED_MODELS = ("account.analytic.plan", "account.analytic.account")

LINKED_MODELS = [
    ("res.partner", "Contact"),
    ("product.template", "Item"),
    ("product.category", "Item (category default)"),
    ("account.tax", "Tax type"),
    ("account.account", "Account"),
    ("account.move", "Invoice / bill / credit note"),
    ("purchase.order", "Purchase order"),
    ("account.payment", "Payment"),
    ("account.analytic.plan", "Tracking category"),
    ("account.analytic.account", "Tracking option"),
]


class LedgerLink(models.Model):
    _name = "ledger.link"
    _description = "Ledger link (Odoo record ↔ ledger record, per organisation)"
    _order = "tenant_id, res_model, id"
    _rec_name = "remote_name"
    # what the ledger last reported about the record (a document's status, the document a payment
    # pays): set by the sync and the inbound code under sudo, never typed in
    _ledger_owned_fields = frozenset({"remote_status", "remote_parent_id"})

    tenant_id = fields.Many2one("ledger.tenant", string="Organisation", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="tenant_id.company_id", store=True, index=True)
    res_model = fields.Selection(LINKED_MODELS, string="Odoo model", required=True, index=True)
    res_id = fields.Many2oneReference(string="Odoo record", model_field="res_model", required=True, index=True)
    remote_id = fields.Char(string="Remote ID", required=True, index=True,
                         help="The record's ID in the ledger (a tax rate: its tax type)")
    remote_code = fields.Char(string="Remote code", help="Item code, account code or contact account number")
    remote_name = fields.Char(string="Name in the ledger")
    remote_status = fields.Char(string="Status in the ledger", help="Documents: the status the ledger last reported")
    remote_parent_id = fields.Char(string="Paid document (remote ID)", index=True,
                                 help="Payments: the invoice, bill or credit note in the ledger the payment settles")
    account_code = fields.Char(string="Sales account code",
                               help="Items: the ledger's account code sales lines of this product use "
                                    "(labour charge types); empty = the item's own.")
    # contacts: the ledger's defaults that Odoo's partner has no field for, as last imported
    remote_currency = fields.Char(string="Default currency in the ledger")
    remote_sales_account_code = fields.Char(string="Sales account in the ledger")
    remote_purchase_account_code = fields.Char(string="Purchases account in the ledger")
    remote_sales_tax_type = fields.Char(string="Sales tax type in the ledger")
    remote_purchase_tax_type = fields.Char(string="Purchases tax type in the ledger")
    record_name = fields.Char(compute="_compute_record_name")
    # items: chosen from the imported catalogue instead of typing the ItemID
    ledger_item_id = fields.Many2one("ledger.item", string="Item in the ledger", compute="_compute_ledger_item_id",
                                   inverse="_inverse_ledger_item_id",
                                   domain="[('tenant_id', '=', tenant_id)]")

    _sql_constraints = [
        ("record_unique", "unique(tenant_id, res_model, res_id)",
         "An Odoo record is linked to one ledger record per organisation."),
    ]

    def init(self):
        # A contact in the ledger is one Odoo partner per organisation, a payment there one Odoo
        # payment (never registered twice, whatever the workers do). Several Odoo products may
        # share one item (labour variants), several taxes one tax type, several accounts one code.
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS ledger_link_contact_unique ON ledger_link (tenant_id, remote_id)
             WHERE res_model = 'res.partner';
            CREATE UNIQUE INDEX IF NOT EXISTS ledger_link_payment_unique ON ledger_link (tenant_id, remote_id)
             WHERE res_model = 'account.payment'""")

    def write(self, vals):
        check_ledger_owned(self, [vals])
        # record rules check the row before the write, not the organisation it is moved to
        if vals.get("tenant_id") and not self.env.su:
            check_caller(self.env["ledger.tenant"].browse(vals["tenant_id"]), MANAGER, "write")
        return super().write(vals)

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for link in self:
            record = referenced_record(self.env, link.res_model, link.res_id)
            link.record_name = record.display_name if record else False

    @api.constrains("tenant_id", "res_model", "res_id")
    def _check_record_company(self):
        # the records of one model read together (a batch's links are created at once)
        existing = {}
        for model in set(self.mapped("res_model")):
            ids = [link.res_id for link in self if link.res_model == model]
            existing.update({(model, rec.id): rec for rec in self.env[model].browse(ids).exists()})
        for link in self:
            record = existing.get((link.res_model, link.res_id)) or self.env[link.res_model]
            company = link.tenant_id.company_id
            record_company = "company_id" in record._fields and record.sudo().company_id
            if company and record_company and record_company != company:
                raise ValidationError(self.env._("%(record)s belongs to %(company)s, not to the company of %(org)s.",
                                        record=record.display_name, company=record_company.name,
                                        org=link.tenant_id.name))

    # --- lookups used by the import and the sync ----------------------------------------------------
    @api.model
    def _links(self, tenant, res_model):
        """{res_id: link} and {remote_id: link} of a tenant and model, in one query."""
        links = self.search([("tenant_id", "=", tenant.id), ("res_model", "=", res_model)])
        return {link.res_id: link for link in links}, {link.remote_id: link for link in links}

    @api.model
    def _link_of(self, tenant, record):
        """The link of ``record`` for ``tenant`` (empty if none). Under a ``ledger_link_cache``
        context (a dict, one per batch) the links of the records ``record`` was read with (its
        prefetch set: the batch's documents, their partners, products, accounts, taxes) are read
        together, once: not per record, and not all the organisation's links of the model (tens
        of thousands of invoices synced would be read again for each batch)."""
        cache = self.env.context.get("ledger_link_cache")
        if cache is None:
            return self.search([("tenant_id", "=", tenant.id), ("res_model", "=", record._name),
                                ("res_id", "=", record.id)], limit=1)
        key = (tenant.id, record._name)
        if not isinstance(record.id, int):  # a record not saved yet has no link
            return self.browse()
        if record.id not in cache.get(key + ("looked up",), ()):
            self._seed_link_cache(cache, tenant, record._name,
                                  {record.id} | {i for i in record._prefetch_ids if isinstance(i, int)})
        return cache[key].get(record.id) or self.browse()

    @api.model
    def _seed_link_cache(self, cache, tenant, res_model, ids):
        """Read into ``cache`` (a ``ledger_link_cache``) the links of these records not read yet,
        one query per 1,000: a batch's own documents and their contacts, when the organisation
        has thousands of that model."""
        key = (tenant.id, res_model)
        links = cache.setdefault(key, {})
        looked = cache.setdefault(key + ("looked up",), set())
        ids = set(ids) - looked
        columns = [name for name, field in self._fields.items() if field.store and field.prefetch is True]
        for chunk in split_every(PREFETCH_MAX, sorted(ids)):
            links.update({link.res_id: link for link in self.search_fetch([
                ("tenant_id", "=", tenant.id), ("res_model", "=", res_model), ("res_id", "in", list(chunk))],
                columns) if link.res_id not in links})  # one query: the search reads the columns
        looked |= ids

    # --- items chosen from the imported catalogue --------------------------------------------------
    @api.depends("tenant_id", "remote_id")
    def _compute_ledger_item_id(self):
        items = self.env["ledger.item"].with_context(active_test=False).search([
            ("tenant_id", "in", self.tenant_id.ids), ("item_id", "in", [x for x in self.mapped("remote_id") if x])])
        by_key = {(i.tenant_id.id, i.item_id): i for i in items}
        for link in self:
            link.ledger_item_id = by_key.get((link.tenant_id.id, link.remote_id), False)

    @api.model_create_multi
    def create(self, vals_list):
        check_ledger_owned(self, vals_list)
        for vals in vals_list:
            if vals.get("ledger_item_id") and not vals.get("remote_id"):
                item = self.env["ledger.item"].browse(vals["ledger_item_id"])
                vals.update(remote_id=item.item_id, remote_code=item.code, remote_name=item.name)
        return super().create(vals_list)

    def _inverse_ledger_item_id(self):
        for link in self:
            if link.ledger_item_id:
                link.write({"remote_id": link.ledger_item_id.item_id, "remote_code": link.ledger_item_id.code,
                            "remote_name": link.ledger_item_id.name})
