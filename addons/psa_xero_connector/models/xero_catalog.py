"""What an organisation has in Xero, as last imported: tax rates, accounts and items.

These are the choices the mapping screens offer (tax type per Odoo tax, account code per Odoo
account, item per product or labour charge type, catch-all items per document type).
"""

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..access import MANAGER, check_caller


class XeroCatalogMixin(models.AbstractModel):
    _name = "xero.catalog.mixin"
    _description = "Record imported from a Xero organisation"

    tenant_id = fields.Many2one("xero.tenant", string="Organisation", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="tenant_id.company_id", store=True, index=True)
    name = fields.Char(required=True)
    active = fields.Boolean(default=True, help="Archived when Xero no longer lists it as active")

    def write(self, vals):
        # record rules check the row before the write, not the organisation it is moved to
        if vals.get("tenant_id") and not self.env.su:
            check_caller(self.env["xero.tenant"].browse(vals["tenant_id"]), MANAGER, "write")
        return super().write(vals)

    @api.model
    def _upsert(self, tenant, key_field, rows):
        """Create or update ``rows`` (dicts holding ``key_field``) of a tenant in two queries.
        -> (records by key, created count, updated count)."""
        existing = {getattr(r, key_field): r for r in self.with_context(active_test=False).search(
            [("tenant_id", "=", tenant.id)])}
        to_create, updated = [], 0
        for row in rows:
            record = existing.get(row[key_field])
            if record:
                changes = {k: v for k, v in row.items() if record[k] != v}
                if changes:
                    record.write(changes)
                    updated += 1
            else:
                to_create.append(dict(row, tenant_id=tenant.id))
        for record in self.create(to_create):
            existing[getattr(record, key_field)] = record
        return existing, len(to_create), updated


class XeroTaxRate(models.Model):
    _name = "xero.tax.rate"
    _inherit = "xero.catalog.mixin"
    _description = "Xero tax rate"
    _order = "tenant_id, name"

    tax_type = fields.Char(string="Tax type", required=True, index=True)
    rate = fields.Float(string="Effective rate (%)", digits=(16, 4))
    kind = fields.Selection([("sale", "Sales"), ("purchase", "Purchases")])
    component_count = fields.Integer(string="Components")

    _sql_constraints = [("tax_type_unique", "unique(tenant_id, tax_type)", "Tax types are unique per organisation.")]

    @api.depends("name", "tax_type", "rate")
    def _compute_display_name(self):
        for rate in self:
            rate.display_name = "%s (%s, %g%%)" % (rate.name, rate.tax_type, rate.rate)


class XeroAccount(models.Model):
    _name = "xero.account"
    _inherit = "xero.catalog.mixin"
    _description = "Xero account"
    _order = "tenant_id, code"
    _check_company_auto = True

    account_id = fields.Char(string="Xero AccountID", required=True, index=True)
    code = fields.Char(index=True)
    account_type = fields.Char(string="Type")
    tax_type = fields.Char()
    journal_id = fields.Many2one("account.journal", string="Odoo journal", check_company=True,
                                 domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
                                 help="Bank accounts: payments recorded in Xero against this account land in this "
                                      "journal (empty: the organisation's journal for Xero payments).")

    _sql_constraints = [("account_id_unique", "unique(tenant_id, account_id)", "Accounts are unique per organisation.")]

    @api.constrains("journal_id", "tenant_id")
    def _check_journal_company(self):
        for account in self.filtered("journal_id"):
            if account.journal_id.company_id != account.tenant_id.company_id:
                raise ValidationError(_("The journal %(journal)s is not a journal of %(company)s.",
                                        journal=account.journal_id.display_name,
                                        company=account.tenant_id.company_id.name or _("the organisation's company")))

    @api.depends("name", "code")
    def _compute_display_name(self):
        for account in self:
            account.display_name = "%s %s" % (account.code or "", account.name)


class XeroItem(models.Model):
    _name = "xero.item"
    _inherit = "xero.catalog.mixin"
    _description = "Xero item"
    _order = "tenant_id, code"

    item_id = fields.Char(string="Xero ItemID", required=True, index=True)
    code = fields.Char(required=True, index=True)
    sales_price = fields.Float()
    sales_account_code = fields.Char()
    sales_tax_type = fields.Char()
    purchase_price = fields.Float()
    purchase_account_code = fields.Char()
    purchase_tax_type = fields.Char()

    _sql_constraints = [("item_id_unique", "unique(tenant_id, item_id)", "Items are unique per organisation.")]

    @api.depends("name", "code")
    def _compute_display_name(self):
        for item in self:
            item.display_name = "[%s] %s" % (item.code, item.name)
