"""Xero's side of invoices, bills and credit notes: what one becomes in Xero (the values the pure
mapping needs, read through the tenant's links: contact, items, tax types, account codes,
catch-alls), its online invoice, and the deletions Xero refuses."""

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.psa_ledger.access import USER, check_caller

from ..dispatch import is_xero
from ..xero import to_xero
from ..xero.errors import XeroError

CATCHALL_FIELD = {"out_invoice": "catchall_invoice_item_id", "in_invoice": "catchall_purchase_item_id",
                  "out_refund": "catchall_credit_note_item_id", "in_refund": "catchall_credit_note_item_id"}


class AccountMove(models.Model):
    _inherit = "account.move"

    XERO_TYPE = {"out_invoice": "ACCREC", "in_invoice": "ACCPAY", "out_refund": "ACCRECCREDIT",
                 "in_refund": "ACCPAYCREDIT"}
    # set by the connector's code (under sudo) from what Xero says, read-only to users over RPC too
    _ledger_owned_fields = frozenset({"ledger_voided", "xero_online_invoice_url", "ledger_tracking_note"})

    ledger_voided = fields.Boolean(string="Voided in Xero",
                                   help="Xero reports this document as voided (see the organisation's setting "
                                        "to cancel such documents in Odoo too).")

    xero_online_invoice_url = fields.Char(string="Online invoice", readonly=True, copy=False,
                                          help="The customer's page of this invoice at Xero (Get online invoice)")

    def _xero_kind(self):
        return self.XERO_TYPE.get(self.move_type)

    def _xero_document_values(self, tenant, status="AUTHORISED"):
        self.ensure_one()
        Link = self.env["ledger.link"].sudo()
        partner = self.commercial_partner_id
        contact = Link._link_of(tenant, partner)
        lines = [self._xero_line_values(tenant, line, Link) for line in self.invoice_line_ids
                 if line.display_type == "product"]
        return {
            "kind": self.move_type, "contact_id": contact.remote_id, "number": self.name,
            "reference": self.ref or self.payment_reference or False, "date": self.invoice_date,
            "due_date": self.invoice_date_due, "status": status, "lines": lines, "url": self._xero_record_url(),
            "total": self.amount_total, "rounding_account": self._xero_rounding_account(tenant),
            **self._xero_currency_values(tenant, self.currency_id, self.invoice_currency_rate),
        }

    def _xero_line_values(self, tenant, line, Link):
        catchall = tenant[CATCHALL_FIELD[self.move_type]]
        item_code, account_code = self._ledger_item_and_account(tenant, line.product_id, line.account_id, catchall)
        taxes = line.tax_ids
        return {
            "description": line.name or line.product_id.display_name, "quantity": line.quantity,
            "price_unit": line.price_unit, "discount": line.discount, "subtotal": line.price_subtotal,
            "total": line.price_total, "price_include": bool(taxes) and all(taxes.mapped("price_include")),
            "item_code": item_code, "account_code": account_code,
            "tax_type": self._xero_tax_type(tenant, taxes, line.name),
            # for the pre-send messages (xero/presend.py): the Odoo records a line maps from
            "odoo_account": line.account_id.display_name, "odoo_taxes": ", ".join(taxes.mapped("name")),
            "product": line.product_id.display_name,
        }

    def action_xero_online_invoice(self):
        """Ask Xero for the customer's online invoice link; keep it on the invoice (to copy) and in
        its chatter. Xero offers one for approved sales invoices only: others are refused here as
        Xero would refuse them."""
        self.ensure_one()
        check_caller(self, USER, "write")  # it keeps the link on the invoice and posts it in the chatter
        if self.move_type != "out_invoice":
            raise UserError(self.env._("Xero has online invoices for customer invoices only, not for %s.",
                                       self.display_name))
        link = self._xero_visible_links([("res_model", "=", self._name), ("res_id", "=", self.id)])[:1]
        if not link:
            raise UserError(self.env._("%s is not in Xero yet: its online invoice exists once it is "
                                       "(see its Xero status).", self.display_name))
        if link.remote_status not in ("AUTHORISED", "PAID"):
            raise UserError(self.env._(
                "Xero offers an online invoice for approved invoices only; %(move)s is %(status)s in Xero "
                "(organisation setting: Status of documents in Xero).", move=self.display_name,
                status=link.remote_status or "?"))
        try:
            data, _headers = link.tenant_id._call(
                "GET", "Invoices/%s/OnlineInvoice" % link.remote_id, operation="online invoice",
                context={"entity": "Invoices", "res_model": self._name, "res_id": self.id})
        except XeroError as exc:
            raise UserError(self.env._("Xero did not give the online invoice of %(move)s: %(error)s",
                                       move=self.display_name, error=exc)) from exc
        url = ((data or {}).get("OnlineInvoices") or [{}])[0].get("OnlineInvoiceUrl")
        if not url:
            raise UserError(self.env._("Xero answered without an online invoice link for %s.", self.display_name))
        move = self.sudo()
        move.xero_online_invoice_url = url
        move.message_post(body=Markup('%s <a href="%s" target="_blank" rel="noopener">%s</a>') % (
            self.env._("Online invoice at Xero:"), url, url), message_type="comment",
            subtype_xmlid="mail.mt_note", author_id=self.env.user.partner_id.id)
        return True

    def action_xero_send_online_invoice(self):
        """Odoo's e-mail composer, to the customer, with the online invoice link (fetched first if
        needed); nothing leaves until the user presses Send."""
        self.ensure_one()
        if not self.xero_online_invoice_url:
            self.action_xero_online_invoice()
        url = self.xero_online_invoice_url
        body = Markup('<p>%s</p><p><a href="%s">%s</a></p>') % (
            self.env._("Your invoice %s can be viewed and paid online:", self.name), url, url)
        return {"type": "ir.actions.act_window", "res_model": "mail.compose.message", "view_mode": "form",
                "views": [(False, "form")], "target": "new", "context": {
                    "default_model": self._name, "default_res_ids": self.ids, "default_composition_mode": "comment",
                    "default_partner_ids": self.partner_id.ids, "default_body": body,
                    "default_subject": self.env._("Invoice %s", self.name)}}

    def _xero_payload(self, tenant, status="AUTHORISED", document_id=None):
        """-> (collection, payload). Raises MappingError with what to fix."""
        values = self._xero_document_values(tenant, status)
        products = self.invoice_line_ids.filtered(lambda ln: ln.display_type == "product")
        self._xero_with_tracking(tenant, values, products)
        values = self._xero_presend(tenant, values)
        return to_xero.document_payload(values, document_id)

    def _ledger_deletion_refused(self, tenant, link):
        """Xero voids no document with a payment or credit note allocated: such a deletion is
        refused while Odoo knows of the payment."""
        if not is_xero(tenant):
            return super()._ledger_deletion_refused(tenant, link)
        if link and (link.remote_status == "PAID" or self.env["ledger.link"].sudo().search_count([
                ("tenant_id", "=", tenant.id), ("res_model", "=", "account.payment"),
                ("remote_parent_id", "=ilike", link.remote_id), ("remote_status", "not in", ("DELETED",))], limit=1)):
            return self.env._(
                "%(move)s cannot be deleted: it has a payment in Xero (%(org)s), and Xero voids no "
                "document with a payment. Remove the payment in Xero first, or cancel %(move)s with a "
                "credit note instead of deleting it.", move=self.display_name, org=tenant.name)
        return None
