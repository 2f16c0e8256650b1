"""What invoices, bills, credit notes and purchase orders share on their way to Xero: which
item, account code and tax type a line carries for a tenant."""

from odoo import models

from ..xero.to_xero import MappingError

# The states in which a document belongs in Xero; in any other it is not sent (its row says why).
SENDABLE_STATES = {"account.move": ("posted",), "purchase.order": ("purchase", "done")}


class XeroDocumentMixin(models.AbstractModel):
    _name = "xero.document.mixin"
    _description = "Document sent to Xero"

    def _xero_not_sendable(self):
        """Why this document must not be created or updated in Xero as it is *now* (None
        when it may): what is sent is the document's state when it is sent."""
        self.ensure_one()
        if self.state in SENDABLE_STATES[self._name]:
            return None
        if self.state == "cancel":
            return self.env._("Cancelled in Odoo before it reached Xero: not sent.")
        return self.env._("Back in draft in Odoo before it reached Xero: it is sent when confirmed again.")

    def _xero_resync_skip(self):
        """Why Re-sync leaves this document alone (short, for its summary), or None."""
        if self.state in SENDABLE_STATES[self._name]:
            return None
        return self.env._("not posted") if self._name == "account.move" else self.env._("not confirmed")

    def _xero_item_and_account(self, tenant, product, account, catchall):
        """The product's item link, else its category's (nearest first), else the tenant's
        catch-all item; the sales account code of a labour product's link wins over the line
        account's mapping. -> (item code or False, account code or False)."""
        Link = self.env["xero.link"].sudo()
        template = product.product_tmpl_id
        link = template and Link._link_of(tenant, template)
        category = template.categ_id
        while not link and category:
            link = Link._link_of(tenant, category)
            category = category.parent_id
        item_code = (link.xero_code if link else False) or catchall.code or False
        account_link = Link._link_of(tenant, account) if account else False
        account_code = (link.account_code if link else False) or (account_link.xero_code if account_link else False)
        return item_code, account_code

    def _xero_tax_type(self, tenant, taxes, label):
        """The one Xero tax type a line's taxes map to (False when untaxed)."""
        Link = self.env["xero.link"].sudo()
        tax_types = {Link._link_of(tenant, tax).xero_id for tax in taxes} - {False}
        if len(tax_types) > 1:
            raise MappingError(self.env._(
                "Line “%(line)s”: Xero allows one tax type per line; its taxes map to %(types)s. "
                "Map them to one (compound) Xero tax rate.", line=label, types=", ".join(sorted(tax_types))))
        if taxes and not tax_types:
            raise MappingError(self.env._("Line “%(line)s”: the tax %(tax)s is not mapped to a Xero tax type "
                                 "(Xero → Tax mapping).", line=label, tax=", ".join(taxes.mapped("name"))))
        return next(iter(tax_types), False)
