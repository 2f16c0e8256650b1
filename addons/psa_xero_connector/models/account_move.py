"""What an invoice, bill or credit note becomes in Xero: the values the pure mapping needs,
read through the tenant's links (contact, items, tax types, account codes, catch-alls)."""

from odoo import _, models

from ..xero import mapping
from ..xero.mapping import MappingError

CATCHALL_FIELD = {"out_invoice": "catchall_invoice_item_id", "in_invoice": "catchall_purchase_item_id",
                  "out_refund": "catchall_credit_note_item_id", "in_refund": "catchall_credit_note_item_id"}


class AccountMove(models.Model):
    _inherit = "account.move"

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
            "due_date": self.invoice_date_due, "currency": self.currency_id.name, "status": status,
            "lines": lines,
        }

    def _xero_line_values(self, tenant, line, Link):
        item_code, account_code = self._xero_item_and_account(tenant, line, Link)
        taxes = line.tax_ids
        tax_types = {Link._link_of(tenant, tax).xero_id for tax in taxes} - {False}
        if len(tax_types) > 1:
            raise MappingError(_("Line “%s”: Xero allows one tax type per line; its taxes map to %s. "
                                 "Map them to one (compound) Xero tax rate.", line.name, ", ".join(sorted(tax_types))))
        if taxes and not tax_types:
            raise MappingError(_("Line “%(line)s”: the tax %(tax)s is not mapped to a Xero tax type "
                                 "(Xero → Tax mapping).", line=line.name, tax=", ".join(taxes.mapped("name"))))
        return {
            "description": line.name or line.product_id.display_name, "quantity": line.quantity,
            "price_unit": line.price_unit, "discount": line.discount, "subtotal": line.price_subtotal,
            "total": line.price_total, "price_include": bool(taxes) and all(taxes.mapped("price_include")),
            "item_code": item_code, "account_code": account_code,
            "tax_type": next(iter(tax_types), False),
        }

    def _xero_item_and_account(self, tenant, line, Link):
        """The product's item link, else its category's, else the tenant's catch-all; the
        sales account code of a labour product's link wins over the line account's mapping."""
        template = line.product_id.product_tmpl_id
        link = template and Link._link_of(tenant, template)
        category = template.categ_id
        while not link and category:
            link = Link._link_of(tenant, category)
            category = category.parent_id
        item_code = link.xero_code if link else False
        if not item_code:
            catchall = tenant[CATCHALL_FIELD[self.move_type]]
            item_code = catchall.code or False
        account_link = Link._link_of(tenant, line.account_id) if line.account_id else False
        account_code = (link.account_code if link else False) or (account_link.xero_code if account_link else False)
        return item_code, account_code

    SWITCH = {"out_invoice": "sync_invoices", "in_invoice": "sync_bills", "out_refund": "sync_credit_notes",
              "in_refund": "sync_credit_notes"}

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted._xero_enqueue("upsert")
        return posted

    def button_cancel(self):
        result = super().button_cancel()
        self._xero_enqueue("void")  # only those that reached Xero (see _xero_enqueue)
        return result

    def _xero_enqueue(self, operation):
        Tenant, Outbox = self.env["xero.tenant"], self.env["xero.outbox"].sudo()
        for move in self.filtered(lambda m: m.move_type in self.SWITCH):
            for tenant in Tenant._sync_tenants(self.SWITCH[move.move_type], move.company_id):
                if operation == "void" and not self.env["xero.link"].sudo()._link_of(tenant, move):
                    continue  # never reached Xero: nothing to void there
                entity = "invoice" if move.move_type in ("out_invoice", "in_invoice") else "credit_note"
                Outbox._enqueue(move, tenant, entity, operation)

    def _xero_payload(self, tenant, status="AUTHORISED", document_id=None):
        """-> (collection, payload). Raises MappingError with what to fix."""
        return mapping.document_payload(self._xero_document_values(tenant, status), document_id)
