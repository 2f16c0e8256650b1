"""A tracking category of an organisation's ledger, as last imported, with its options: the
choices of the Tracking mapping screens (Odoo analytic plans → categories). The import
matches them to root analytic plans and analytic accounts by name."""

from odoo import api, fields, models


class LedgerTrackingCategory(models.Model):
    _name = "ledger.tracking.category"
    _inherit = "ledger.catalog.mixin"
    _description = "Tracking category in the ledger"
    _order = "tenant_id, name"

    tracking_category_id = fields.Char(string="Remote category ID", required=True, index=True)
    option_ids = fields.One2many("ledger.tracking.option", "category_id", string="Options")

    _sql_constraints = [("tracking_category_unique", "unique(tenant_id, tracking_category_id)",
                         "Tracking categories are unique per organisation.")]

    @api.model
    def _link_values(self, tenant, record, remote_id, category_id, name):
        return {"tenant_id": tenant.id, "res_model": record._name, "res_id": record.id, "remote_id": remote_id,
                "remote_code": category_id, "remote_name": name}
