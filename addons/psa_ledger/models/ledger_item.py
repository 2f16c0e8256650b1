"""An item of an organisation's ledger, as last imported: the choices for products, labour charge
types and the catch-all items per document type."""

from odoo import api, fields, models


class LedgerItem(models.Model):
    _name = "ledger.item"
    _inherit = "ledger.catalog.mixin"
    _description = "Item in the ledger"
    _order = "tenant_id, code"

    item_id = fields.Char(string="Remote item ID", required=True, index=True)
    code = fields.Char(required=True, index=True)
    sales_price = fields.Float()
    sales_account_code = fields.Char()
    sales_tax_type = fields.Char()
    purchase_price = fields.Float()
    purchase_account_code = fields.Char()
    purchase_tax_type = fields.Char()
    # tracked inventory (IsTrackedAsInventory): Odoo without stock accounting has no place for these
    tracked = fields.Boolean(string="Tracked as inventory")
    inventory_asset_account_code = fields.Char(string="Inventory asset account")
    cogs_account_code = fields.Char(string="Cost of goods sold account")

    _sql_constraints = [("item_id_unique", "unique(tenant_id, item_id)", "Items are unique per organisation.")]

    @api.depends("name", "code")
    def _compute_display_name(self):
        for item in self:
            item.display_name = "[%s] %s" % (item.code, item.name)
