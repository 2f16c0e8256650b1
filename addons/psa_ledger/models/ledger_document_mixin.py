"""What invoices, bills, credit notes and purchase orders share on their way to a ledger: the
states in which they belong there, and which item and account code a line carries for an
organisation (through its links). The payload and the checks before sending are the ledger's."""

from odoo import fields, models

# The states in which a document belongs in the ledger; in any other it is not sent (its row says why).
SENDABLE_STATES = {"account.move": ("posted",), "purchase.order": ("purchase", "done")}


class LedgerDocumentMixin(models.AbstractModel):
    _name = "ledger.document.mixin"
    _description = "Document sent to a ledger"

    ledger_tracking_note = fields.Text(
        string="Tracking note", readonly=True, copy=False,
        help="The lines last sent as several lines because their analytic distribution spreads them over several "
             "options of one tracking category.")

    def _ledger_sendable(self):
        """Whether the document belongs in the ledger in its state now."""
        self.ensure_one()
        return self.state in SENDABLE_STATES[self._name]

    def _ledger_resync_skip(self):
        """Why Re-sync leaves this document alone (short, for its summary), or None."""
        if self._ledger_sendable():
            return None
        return self.env._("not posted") if self._name == "account.move" else self.env._("not confirmed")

    def _ledger_document_date(self):
        """The document's own date, as sent."""
        self.ensure_one()
        if self._name == "account.move":
            return self.invoice_date
        return self.date_order.date() if self.date_order else False

    def _ledger_item_and_account(self, tenant, product, account, catchall):
        """The product's item link, else its category's (nearest first), else the tenant's
        catch-all item; the sales account code of a labour product's link wins over the line
        account's mapping. -> (item code or False, account code or False)."""
        Link = self.env["ledger.link"].sudo()
        template = product.product_tmpl_id
        link = template and Link._link_of(tenant, template)
        category = template.categ_id
        while not link and category:
            link = Link._link_of(tenant, category)
            category = category.parent_id
        item_code = (link.remote_code if link else False) or catchall.code or False
        account_link = Link._link_of(tenant, account) if account else False
        account_code = (link.account_code if link else False) or (account_link.remote_code if account_link else False)
        return item_code, account_code
