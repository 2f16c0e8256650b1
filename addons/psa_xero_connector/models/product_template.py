"""Xero's side of products: the item payload (to_xero.item_payload), the deep link's kind and
the labels Xero users know."""

from odoo import fields, models

from ..xero import to_xero


class ProductTemplate(models.Model):
    _inherit = "product.template"
    _xero_link_kind = "item"

    ledger_link_ids = fields.One2many(string="Xero items")

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
