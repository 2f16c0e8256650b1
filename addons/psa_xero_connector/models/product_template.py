"""Products and categories map to Xero items per organisation; a service product used for
labour (remote support, onsite visit, project work) may also carry the sales account code
its invoice lines use in Xero. A category's link is the default for its products. Products
with an internal reference sync to Xero as items when the organisation's switch is on."""

from odoo import fields, models

from ..xero import to_xero


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "ledger.sync.mixin"]
    _xero_link_kind = "item"

    _xero_sync_fields = frozenset({"name", "default_code", "list_price", "standard_price", "description_sale",
                                   "description_purchase", "sale_ok", "purchase_ok", "taxes_id", "supplier_taxes_id",
                                   "property_account_income_id", "property_account_expense_id"})

    ledger_link_ids = fields.One2many("ledger.link", "res_id", string="Xero items",
                                    domain=[("res_model", "=", "product.template")],
                                    groups="psa_ledger.group_ledger_user")

    def _xero_enqueue(self, operation="upsert"):
        """An item needs a code: products without an internal reference use the catch-all."""
        if self.env.context.get("xero_no_sync"):
            return
        Outbox = self.env["ledger.outbox"].sudo()
        for product in self.filtered("default_code"):
            for tenant, entity in product._xero_targets():
                Outbox._enqueue(product, tenant, entity)

    def _xero_targets(self):
        if not self.default_code:
            return []
        return [(tenant, "item") for tenant in self.env["ledger.tenant"]._sync_tenants(
            "sync_products", self.company_id or None)]

    def _xero_resync_skip(self):
        return None if self.default_code else self.env._("no internal reference")

    def _xero_item_payload(self, tenant, item_id=None):
        self.ensure_one()
        company = tenant.company_id
        product = self.with_company(company)
        Link = self.env["ledger.link"].sudo()
        own = Link._link_of(tenant, self)
        documents = self.env["ledger.document.mixin"]

        def account_code(account):
            link = account and Link._link_of(tenant, account)
            return link.remote_code if link else False
        income = product.property_account_income_id or product.categ_id.property_account_income_categ_id
        expense = product.property_account_expense_id or product.categ_id.property_account_expense_categ_id
        return to_xero.item_payload({
            "code": self.default_code, "name": self.name, "description": self.description_sale,
            "purchase_description": self.description_purchase, "list_price": self.list_price,
            "standard_price": product.standard_price, "sale_ok": self.sale_ok, "purchase_ok": self.purchase_ok,
            "sales_account": (own.account_code if own else False) or account_code(income),
            "sales_tax_type": documents._xero_tax_type(
                tenant, self.taxes_id.filtered(lambda t: t.company_id == company)[:1], self.name),
            "purchase_account": account_code(expense),
            "purchase_tax_type": documents._xero_tax_type(
                tenant, self.supplier_taxes_id.filtered(lambda t: t.company_id == company)[:1], self.name),
        }, item_id)
