"""What an invoice, bill or credit note becomes in Xero: the values the pure mapping needs,
read through the tenant's links (contact, items, tax types, account codes, catch-alls)."""

from odoo import fields, models

from ..xero import to_xero

CATCHALL_FIELD = {"out_invoice": "catchall_invoice_item_id", "in_invoice": "catchall_purchase_item_id",
                  "out_refund": "catchall_credit_note_item_id", "in_refund": "catchall_credit_note_item_id"}


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "xero.document.mixin", "xero.sync.mixin"]

    def _xero_document_values(self, tenant, status="AUTHORISED"):
        self.ensure_one()
        Link = self.env["xero.link"].sudo()
        partner = self.commercial_partner_id
        contact = Link._link_of(tenant, partner)
        lines = [self._xero_line_values(tenant, line, Link) for line in self.invoice_line_ids
                 if line.display_type == "product"]
        return {
            "kind": self.move_type, "contact_id": contact.xero_id, "number": self.name,
            "reference": self.ref or self.payment_reference or False, "date": self.invoice_date,
            "due_date": self.invoice_date_due, "status": status, "lines": lines,
            **self._xero_currency_values(tenant, self.currency_id, self.invoice_currency_rate),
        }

    def _xero_line_values(self, tenant, line, Link):
        catchall = tenant[CATCHALL_FIELD[self.move_type]]
        item_code, account_code = self._xero_item_and_account(tenant, line.product_id, line.account_id, catchall)
        taxes = line.tax_ids
        return {
            "description": line.name or line.product_id.display_name, "quantity": line.quantity,
            "price_unit": line.price_unit, "discount": line.discount, "subtotal": line.price_subtotal,
            "total": line.price_total, "price_include": bool(taxes) and all(taxes.mapped("price_include")),
            "item_code": item_code, "account_code": account_code,
            "tax_type": self._xero_tax_type(tenant, taxes, line.name),
        }

    SWITCH = {"out_invoice": "sync_invoices", "in_invoice": "sync_bills", "out_refund": "sync_credit_notes",
              "in_refund": "sync_credit_notes"}

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted._xero_enqueue("upsert")
        return posted

    xero_voided = fields.Boolean(string="Voided in Xero", readonly=True, copy=False,
                                 help="Xero reports this document as voided (see the organisation's setting "
                                      "to cancel such documents in Odoo too).")

    def button_cancel(self):
        result = super().button_cancel()
        if not self.env.context.get("xero_inbound"):  # cancelled because Xero voided it: nothing to send
            self._xero_enqueue("void")  # only those that reached Xero (see _xero_enqueue)
        return result

    def _xero_enqueue(self, operation="upsert"):
        Tenant, Outbox = self.env["xero.tenant"], self.env["xero.outbox"].sudo()
        for move in self.filtered(lambda m: m.move_type in self.SWITCH):
            for tenant in Tenant._sync_tenants(self.SWITCH[move.move_type], move.company_id):
                if operation == "void" and not self._xero_may_be_in_xero(tenant, move, Outbox):
                    continue  # never reached Xero, and a row still queued is not sent once cancelled
                entity = "invoice" if move.move_type in ("out_invoice", "in_invoice") else "credit_note"
                Outbox._enqueue(move, tenant, entity, operation)

    def _xero_may_be_in_xero(self, tenant, move, Outbox):
        """Linked, or in a request that may have reached Xero (its answer not known yet)."""
        return bool(self.env["xero.link"].sudo()._link_of(tenant, move)) or bool(Outbox._in_doubt(tenant, move))

    def _xero_payload(self, tenant, status="AUTHORISED", document_id=None):
        """-> (collection, payload). Raises MappingError with what to fix."""
        return to_xero.document_payload(self._xero_document_values(tenant, status), document_id)
