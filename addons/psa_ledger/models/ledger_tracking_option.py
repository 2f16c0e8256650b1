"""An option of a tracking category of an organisation's ledger, as last imported: the choices
of the Tracking mapping screen (Odoo analytic accounts → options), and what document lines carry."""

from odoo import api, fields, models


class LedgerTrackingOption(models.Model):
    _name = "ledger.tracking.option"
    _inherit = "ledger.catalog.mixin"
    _description = "Tracking option in the ledger"
    _order = "tenant_id, category_id, name"

    tracking_option_id = fields.Char(string="Remote option ID", required=True, index=True)
    category_id = fields.Many2one("ledger.tracking.category", string="Tracking category", required=True,
                                  ondelete="cascade", index=True)
    tracking_category_id = fields.Char(related="category_id.tracking_category_id", store=True)

    _sql_constraints = [("tracking_option_unique", "unique(tenant_id, tracking_option_id)",
                         "Tracking options are unique per organisation.")]

    @api.depends("name", "category_id.name")
    def _compute_display_name(self):
        for option in self:
            option.display_name = "%s: %s" % (option.category_id.name, option.name)
