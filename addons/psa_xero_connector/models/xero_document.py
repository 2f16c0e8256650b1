"""What invoices, bills, credit notes and purchase orders share on their way to Xero: which
item, account code and tax type a line carries for a tenant."""

from markupsafe import Markup, escape

from odoo import fields, models

from ..xero import to_xero
from ..xero.to_xero import MappingError

# The states in which a document belongs in Xero; in any other it is not sent (its row says why).
SENDABLE_STATES = {"account.move": ("posted",), "purchase.order": ("purchase", "done")}


class XeroDocumentMixin(models.AbstractModel):
    _name = "xero.document.mixin"
    _description = "Document sent to Xero"

    xero_tracking_note = fields.Text(
        string="Xero tracking note", readonly=True, copy=False,
        help="The lines last sent to Xero as several lines because their analytic distribution spreads them "
             "over several options of one tracking category.")

    def _xero_not_sendable(self):
        """Why this document must not be created or updated in Xero as it is *now* (None
        when it may): what is sent is the document's state when it is sent."""
        self.ensure_one()
        if self.state in SENDABLE_STATES[self._name]:
            return None
        if self.state == "cancel":
            return self.env._("Cancelled in Odoo before it reached Xero: not sent.")
        return self.env._("Back in draft in Odoo before it reached Xero: it is sent when confirmed again.")

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

    # --- tracking (issue #12) ----------------------------------------------------------------------
    def _xero_with_tracking(self, tenant, values, lines):
        """Add to ``values`` (see to_xero.document_payload) each line's analytic distribution and
        the Xero tracking of the analytic accounts they name; say on the document which lines go
        to Xero split (once per change). ``lines``: the records of ``values["lines"]``, in order."""
        accounts = set()
        for line_values, line in zip(values["lines"], lines, strict=True):
            distribution = line.analytic_distribution or {}
            line_values["analytic_distribution"] = distribution
            accounts.update(int(a) for key in distribution for a in str(key).split(",") if a.strip().isdigit())
        accounts = self.env["account.analytic.account"].sudo().browse(sorted(accounts)).exists()
        values["tracking"] = self.env["xero.tracking.option"]._xero_tracking(tenant, accounts, self) if accounts else {}
        splits = to_xero.tracking_splits(values)
        note = "\n".join("%s: %s" % (label, "; ".join("%s %% %s" % share for share in shares))
                          for label, shares in splits) or False
        if note != (self.xero_tracking_note or False):
            self.sudo().xero_tracking_note = note
            if note:
                items = Markup("").join(Markup("<li>%s</li>") % escape(line) for line in note.split("\n"))
                self.sudo().message_post(body=Markup("%s<ul>%s</ul>") % (self.env._(
                    "Sent to %(org)s as several lines: Xero allows one option per tracking category on a line, so "
                    "each line spread over several analytic accounts of one plan goes as one Xero line per share, "
                    "the amounts adding up to Odoo's to the cent.", org=tenant.name), items),
                    message_type="notification")
        return values
