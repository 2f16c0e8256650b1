"""Confirmed purchase orders go to the ledger; a change of a confirmed order's lines or dates
goes as an update, a cancelled one is deleted there."""

from odoo import api, models

from ..access import check_ledger_owned

# What a purchase order sends (see the ledger's payload): a change of one of these on a confirmed
# order is sent as an update. Its lines' fields: purchase_order_line.py.
PO_SYNC_FIELDS = frozenset({"partner_id", "partner_ref", "date_order", "date_planned", "currency_id", "order_line"})


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "ledger.document.mixin", "ledger.sync.mixin"]
    _ledger_sync_fields = PO_SYNC_FIELDS
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
            for tenant, entity in order._ledger_targets():
                Outbox._enqueue(order, tenant, entity)
        return result

    def button_cancel(self):
        result = super().button_cancel()
        if not self._ledger_inbound():
            self.filtered(lambda o: o.state == "cancel")._ledger_enqueue("void")
        return result

    def _ledger_enqueue(self, operation="upsert"):
        """``upsert``: a confirmed order that is (or is on its way to be) in the ledger is sent
        again as it is now. Not a locked one ("done"): Odoo locks an order once it is settled
        (received and billed, or locked on approval by the company's setting) and then allows
        only a few edits; the ledger may have moved it on too (billed, no longer editable): what
        the ledger has stays. Nor one still in draft or waiting for approval (it goes when
        approved). ``void``: a cancelled order that reached (or may have reached) the ledger is
        deleted there."""
        if self._ledger_no_sync():
            return
        Outbox, Link = self.env["ledger.outbox"].sudo(), self.env["ledger.link"].sudo()
        state = "cancel" if operation == "void" else "purchase"
        for order in self.filtered(lambda o: o.state == state):
            for tenant, entity in order._ledger_targets():
                if Link._link_of(tenant, order) or Outbox._in_doubt(tenant, order) or (
                        operation == "upsert" and Outbox.search_count([
                            ("tenant_id", "=", tenant.id), ("res_model", "=", order._name), ("res_id", "=", order.id),
                            ("operation", "=", "upsert")], limit=1)):
                    Outbox._enqueue(order, tenant, entity, operation)

    def _ledger_targets(self):
        return [(tenant, "purchase_order") for tenant in self.env["ledger.tenant"]._sync_tenants(
            "sync_purchase_orders", self.company_id)]
