"""Products map to the ledger's items per organisation; a service product used for labour
(remote support, onsite visit, project work) may also carry the sales account code its invoice
lines use there. A category's link is the default for its products. Products with an internal
reference sync as items when the organisation's switch is on."""

from odoo import fields, models


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "ledger.sync.mixin"]

    _ledger_sync_fields = frozenset({"name", "default_code", "list_price", "standard_price", "description_sale",
                                     "description_purchase", "sale_ok", "purchase_ok", "taxes_id",
                                     "supplier_taxes_id", "property_account_income_id",
                                     "property_account_expense_id"})

    ledger_link_ids = fields.One2many("ledger.link", "res_id", string="Items in the ledger",
                                      domain=[("res_model", "=", "product.template")],
                                      groups="psa_ledger.group_ledger_user")

    def _ledger_enqueue(self, operation="upsert"):
        """An item needs a code: products without an internal reference use the catch-all."""
        if self._ledger_no_sync():
            return
        Outbox = self.env["ledger.outbox"].sudo()
        for product in self.filtered("default_code"):
            for tenant, entity in product._ledger_targets():
                Outbox._enqueue(product, tenant, entity)

    def _ledger_targets(self):
        if not self.default_code:
            return []
        return [(tenant, "item") for tenant in self.env["ledger.tenant"]._sync_tenants(
            "sync_products", self.company_id or None)]

    def _ledger_resync_skip(self):
        return None if self.default_code else self.env._("no internal reference")
