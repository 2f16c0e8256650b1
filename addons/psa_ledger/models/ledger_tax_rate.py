"""A tax rate of an organisation's ledger, as last imported: the choices of the Tax mapping screen."""

from odoo import api, fields, models


class LedgerTaxRate(models.Model):
    _name = "ledger.tax.rate"
    _inherit = "ledger.catalog.mixin"
    _description = "Tax rate in the ledger"
    _order = "tenant_id, name"

    tax_type = fields.Char(string="Tax type", required=True, index=True)
    rate = fields.Float(string="Effective rate (%)", digits=(16, 4))
    kind = fields.Selection([("sale", "Sales"), ("purchase", "Purchases")])
    component_count = fields.Integer(string="Components")
    # which account classes the ledger allows this rate with
    can_apply_to_revenue = fields.Boolean(string="Revenue accounts", default=True)
    can_apply_to_expenses = fields.Boolean(string="Expense accounts", default=True)
    can_apply_to_assets = fields.Boolean(string="Asset accounts", default=True)
    can_apply_to_liabilities = fields.Boolean(string="Liability accounts", default=True)
    can_apply_to_equity = fields.Boolean(string="Equity accounts", default=True)

    _sql_constraints = [("tax_type_unique", "unique(tenant_id, tax_type)", "Tax types are unique per organisation.")]

    @api.depends("name", "tax_type", "rate")
    def _compute_display_name(self):
        for rate in self:
            rate.display_name = "%s (%s, %g%%)" % (rate.name, rate.tax_type, rate.rate)
