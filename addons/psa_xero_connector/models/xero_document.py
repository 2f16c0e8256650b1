"""What invoices, bills, credit notes and purchase orders share on their way to Xero: which
item, account code and tax type a line carries for a tenant."""

from odoo import models

from ..xero.errors import XeroError
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

    def _xero_currency_values(self, tenant, currency, rate):
        """The currency part of the document's values for ``to_xero.document_payload``, after
        the checks Xero would otherwise fail on or get wrong: the company's currency must be
        the organisation's base currency; a foreign currency needs an Odoo rate (Odoo falls back
        to 1.0 without one) and must be in the organisation — or is added to it, as its
        *Currencies missing in Xero* setting says. Raises MappingError naming the fix."""
        self.ensure_one()
        company_currency = self.company_id.currency_id
        base = tenant.base_currency
        if base and company_currency.name != base:
            raise MappingError(self.env._(
                "%(doc)s: %(company)s keeps its books in %(ours)s but %(org)s's base currency in Xero is "
                "%(base)s; their amounts would not agree. Connect the company to an organisation in %(ours)s.",
                doc=self.display_name, company=self.company_id.name, ours=company_currency.name, org=tenant.name,
                base=base))
        if currency == company_currency:
            return {"currency": currency.name}
        cache = self.env.context.get("xero_link_cache")  # one look per currency and outbox build
        key = ("rate known", currency.id, self.company_id.root_id.id)
        if cache is None or key not in cache:
            known = bool(self.env["res.currency.rate"].sudo().search_count([
                ("currency_id", "=", currency.id), ("company_id", "in", [False, self.company_id.root_id.id])],
                limit=1))  # Odoo's _get_rates: any rate of the currency, else 1.0
            if cache is not None:
                cache[key] = known
        if not (cache[key] if cache is not None else known):
            raise MappingError(self.env._(
                "%(doc)s is in %(currency)s but Odoo has no %(currency)s rate, so it would be sent at 1.0. "
                "Add the rate (Invoicing → Configuration → Currencies), then Retry.",
                doc=self.display_name, currency=currency.name))
        tenant = tenant.with_env(self.env)  # the outbox build's cache (see _xero_has_currency)
        try:
            if not tenant._xero_has_currency(currency.name):
                if tenant.missing_currency_policy != "enable":
                    raise MappingError(self.env._(
                        "%(doc)s is in %(currency)s, which %(org)s has not added in Xero. Add %(currency)s in "
                        "Xero (Settings → Currencies → Add currency) and press Retry, or set “Currencies missing "
                        "in Xero” to “Add it in Xero” on the organisation (Xero → Tenants).",
                        doc=self.display_name, currency=currency.name, org=tenant.name))
                tenant._xero_add_currency(currency.name)
        except XeroError as exc:
            raise MappingError(self.env._("%(doc)s: could not check %(currency)s in Xero: %(error)s",
                                          doc=self.display_name, currency=currency.name, error=exc)) from exc
        return {"currency": currency.name, "base_currency": company_currency.name, "rate": rate}
