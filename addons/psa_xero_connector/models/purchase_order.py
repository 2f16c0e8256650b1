"""Confirmed purchase orders go to Xero as PurchaseOrders (AUTHORISED); a change of a confirmed
order's lines or dates goes as an update, a cancelled one is deleted there (issue #23)."""

from odoo import api, models

from odoo.addons.psa_ledger.access import check_ledger_owned

from ..xero import to_xero

# What a purchase order sends to Xero (see _xero_payload): a change of one of these on a confirmed
# order is sent as an update. Its lines' fields: purchase_order_line.py.
PO_SYNC_FIELDS = frozenset({"partner_id", "partner_ref", "date_order", "date_planned", "currency_id", "order_line"})


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "ledger.document.mixin", "ledger.sync.mixin"]
    _xero_link_kind = "purchase_order"
    _xero_sync_fields = PO_SYNC_FIELDS
    # set by the connector's code (under sudo), read-only to users over RPC too
    _ledger_owned_fields = frozenset({"ledger_tracking_note"})

    @api.model_create_multi
    def create(self, vals_list):
        check_ledger_owned(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_ledger_owned(self, [vals])
        return super().write(vals)

    def button_approve(self, force=False):
        # button_confirm approves (or leaves the order to approve); a manager's approval comes here too
        result = super().button_approve(force=force)
        Outbox = self.env["ledger.outbox"].sudo()
        for order in self.filtered(lambda o: o.state in ("purchase", "done")):
            for tenant, entity in order._xero_targets():
                Outbox._enqueue(order, tenant, entity)
        return result

    def button_cancel(self):
        result = super().button_cancel()
        if not self.env.context.get("xero_inbound"):
            self.filtered(lambda o: o.state == "cancel")._xero_enqueue("void")
        return result

    def _xero_enqueue(self, operation="upsert"):
        """``upsert``: a confirmed order that is (or is on its way to be) in Xero is sent again as it
        is now. Not a locked one ("done"): Odoo locks an order once it is settled (received and
        billed, or locked on approval by the company's setting) and then allows only a few edits;
        Xero may have moved it on too (BILLED, which Xero refuses to edit): what Xero has stays.
        Nor one still in draft or waiting for approval (it goes when approved). ``void``: a
        cancelled order that reached (or may have reached) Xero is deleted there."""
        if self.env.context.get("xero_no_sync"):
            return
        Outbox, Link = self.env["ledger.outbox"].sudo(), self.env["ledger.link"].sudo()
        state = "cancel" if operation == "void" else "purchase"
        for order in self.filtered(lambda o: o.state == state):
            for tenant, entity in order._xero_targets():
                if Link._link_of(tenant, order) or Outbox._in_doubt(tenant, order) or (
                        operation == "upsert" and Outbox.search_count([
                            ("tenant_id", "=", tenant.id), ("res_model", "=", order._name), ("res_id", "=", order.id),
                            ("operation", "=", "upsert")], limit=1)):
                    Outbox._enqueue(order, tenant, entity, operation)

    def _xero_targets(self):
        return [(tenant, "purchase_order") for tenant in self.env["ledger.tenant"]._sync_tenants(
            "sync_purchase_orders", self.company_id)]

    def _xero_payload(self, tenant, status="AUTHORISED", document_id=None):
        self.ensure_one()
        contact = self.env["ledger.link"].sudo()._link_of(tenant, self.partner_id.commercial_partner_id)
        lines, order_lines = [], self.order_line.filtered(lambda ol: not ol.display_type)
        for line in order_lines:
            account = line.product_id.property_account_expense_id or \
                line.product_id.categ_id.property_account_expense_categ_id
            item_code, account_code = self._xero_item_and_account(tenant, line.product_id, account,
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
