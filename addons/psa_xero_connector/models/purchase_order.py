"""Xero's side of purchase orders: the PurchaseOrder payload (AUTHORISED), issue #23."""

from odoo import models

from ..xero import to_xero


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"
    _xero_link_kind = "purchase_order"

    def _xero_payload(self, tenant, status="AUTHORISED", document_id=None):
        self.ensure_one()
        contact = self.env["ledger.link"].sudo()._link_of(tenant, self.partner_id.commercial_partner_id)
        lines, order_lines = [], self.order_line.filtered(lambda ol: not ol.display_type)
        for line in order_lines:
            account = line.product_id.property_account_expense_id or \
                line.product_id.categ_id.property_account_expense_categ_id
            item_code, account_code = self._ledger_item_and_account(tenant, line.product_id, account,
                                                                  tenant.catchall_purchase_item_id)
            lines.append({
                "description": line.name, "quantity": line.product_qty, "price_unit": line.price_unit,
                "discount": line.discount, "subtotal": line.price_subtotal, "total": line.price_total,
                "price_include": bool(line.taxes_id) and all(line.taxes_id.mapped("price_include")),
                "item_code": item_code, "account_code": account_code,
                "tax_type": self._xero_tax_type(tenant, line.taxes_id, line.name),
                "odoo_account": account.display_name, "odoo_taxes": ", ".join(line.taxes_id.mapped("name")),
                "product": line.product_id.display_name})
        return to_xero.document_payload(self._xero_presend(tenant, self._xero_with_tracking(tenant, {
            "kind": "purchase_order", "contact_id": contact.remote_id, "number": self.name,
            "reference": self.partner_ref or False, "date": self.date_order.date() if self.date_order else False,
            "due_date": self.date_planned.date() if self.date_planned else False,
            "status": status, "lines": lines, "url": self._xero_record_url(),
            "total": self.amount_total, "rounding_account": self._xero_rounding_account(tenant),
            **self._xero_currency_values(tenant, self.currency_id, self.currency_rate)}, order_lines)), document_id)
