"""An option of a Xero tracking category, as last imported: the choices of the Tracking
mapping screen (Odoo analytic accounts → options), and what document lines carry.

``_xero_tracking`` resolves the analytic accounts of a document for its organisation: an
account of a plan mapped to a category needs an option of that category — mapped, or of the
same name, or (per the organisation's setting) created in Xero; otherwise the document is
held with a message naming the account and the screen that fixes it."""

import hashlib

from odoo import api, fields, models

from ..xero import from_xero
from ..xero.errors import XeroValidationError
from ..xero.to_xero import MappingError


class XeroTrackingOption(models.Model):
    _name = "xero.tracking.option"
    _inherit = "xero.catalog.mixin"
    _description = "Xero tracking option"
    _order = "tenant_id, category_id, name"

    tracking_option_id = fields.Char(string="TrackingOptionID", required=True, index=True)
    category_id = fields.Many2one("xero.tracking.category", string="Tracking category", required=True,
                                  ondelete="cascade", index=True)
    tracking_category_id = fields.Char(related="category_id.tracking_category_id", store=True)

    _sql_constraints = [("tracking_option_unique", "unique(tenant_id, tracking_option_id)",
                         "Tracking options are unique per organisation.")]

    @api.depends("name", "category_id.name")
    def _compute_display_name(self):
        for option in self:
            option.display_name = "%s: %s" % (option.category_id.name, option.name)

    def _element(self):
        self.ensure_one()
        return {"TrackingCategoryID": self.tracking_category_id, "TrackingOptionID": self.tracking_option_id,
                "Name": self.category_id.name, "Option": self.name}

    # --- document lines ----------------------------------------------------------------------------
    @api.model
    def _xero_tracking(self, tenant, accounts, document):
        """{analytic account id: LineItemTracking} for the ``accounts`` whose root plan is mapped
        to a tracking category of ``tenant``. Raises MappingError naming what to fix. Under the
        outbox's ``xero_link_cache`` (one per batch) each account is looked up once per batch:
        tracking on every line must not cost queries per document."""
        cache = self.env.context.get("xero_link_cache")
        if cache is None:
            return self._xero_tracking_of(tenant, accounts.exists(), document)
        known = cache.setdefault((tenant.id, "tracking"), {})
        new = accounts.filtered(lambda a: a.id not in known).exists()
        if new:
            found = self._xero_tracking_of(tenant, new, document)
            known.update({account.id: found.get(account.id) for account in new})
        return {account.id: known[account.id] for account in accounts if known.get(account.id)}

    def _xero_tracking_of(self, tenant, accounts, document):
        Link = self.env["xero.link"].sudo()
        plans = accounts.root_plan_id.filtered(lambda p: Link._link_of(tenant, p))
        if not plans:
            return {}
        cache = self.env.context.get("xero_link_cache")
        key = (tenant.id, "tracking categories")
        if cache is not None and key in cache:
            categories = cache[key]
        else:
            Category = self.env["xero.tracking.category"].sudo().with_context(active_test=False)
            categories = {c.tracking_category_id: c for c in Category.search([("tenant_id", "=", tenant.id)])}
            if cache is not None:
                cache[key] = categories
        out = {}
        for account in accounts.filtered(lambda a: a.root_plan_id in plans):
            plan = account.root_plan_id
            category = categories.get(Link._link_of(tenant, plan).xero_id)
            if not category or not category.active:
                raise MappingError(self.env._(
                    "%(doc)s: the analytic plan %(plan)s is mapped to a Xero tracking category that is archived or "
                    "no longer in %(org)s: map the plan again in Xero → Tracking categories (import from Xero first).",
                    doc=document.display_name, plan=plan.name, org=tenant.name))
            option = self._xero_option_of(tenant, category, account, document)
            out[account.id] = option._element()
        return out

    def _xero_option_of(self, tenant, category, account, document):
        Link = self.env["xero.link"].sudo()
        link = Link._link_of(tenant, account)
        options = category.with_context(active_test=False).option_ids
        option = options.filtered(lambda o: o.tracking_option_id == link.xero_id)[:1] if link else self.browse()
        if not option:
            # matched by name, as the import does
            option = options.filtered(lambda o: from_xero.same_name(o.name, account.name))[:1]
            if not option and tenant.tracking_missing_options == "create":
                option = self._xero_create_option(tenant, category, account.name)
            if not option:
                raise MappingError(self.env._(
                    "%(doc)s: the analytic account %(account)s (plan %(plan)s) has no option in the Xero tracking "
                    "category %(category)s of %(org)s: map it in Xero → Tracking mapping, or let the organisation "
                    "create missing options (its form: Tracking options missing in Xero).",
                    doc=document.display_name, account=account.display_name, plan=account.root_plan_id.name,
                    category=category.name, org=tenant.name))
            values = self.env["xero.tracking.category"]._link_values(
                tenant, account, option.tracking_option_id, category.tracking_category_id, option.name)
            if link:
                link.write(values)
            else:
                link = Link.create(values)
                cache = self.env.context.get("xero_link_cache")
                if cache is not None and (tenant.id, account._name) in cache:
                    cache[(tenant.id, account._name)][account.id] = link
        if not option.active:
            raise MappingError(self.env._(
                "%(doc)s: the analytic account %(account)s is mapped to the Xero tracking option %(option)s, which is "
                "archived in %(org)s: restore it in Xero or map the account to another option in Xero → Tracking "
                "mapping.", doc=document.display_name, account=account.display_name, option=option.display_name,
                org=tenant.name))
        return option

    @api.model
    def _xero_create_option(self, tenant, category, name):
        """PUT the option in Xero and catalogue it. A name Xero already has (an earlier attempt
        that reached Xero, or an option made meanwhile) is read back instead."""
        name = (name or "").strip()[:100]
        key = "tracking-option-%s" % hashlib.sha256(
            ("%s|%s|%s" % (tenant.xero_tenant_id, category.tracking_category_id, name.casefold())).encode()).hexdigest()
        path = "TrackingCategories/%s/Options" % category.tracking_category_id
        try:
            data, _headers = tenant._call("PUT", path, body={"Options": [{"Name": name}]}, idempotency_key=key,
                                          operation="create tracking option", context={"entity": "TrackingCategories"})
            found = [o for o in (data or {}).get("Options") or () if from_xero.same_name(o.get("Name"), name)]
        except XeroValidationError as exc:
            data, _headers = tenant._call("GET", "TrackingCategories/%s" % category.tracking_category_id,
                                          operation="read tracking category", context={"entity": "TrackingCategories"})
            found = [o for c in (data or {}).get("TrackingCategories") or () for o in c.get("Options") or ()
                     if from_xero.same_name(o.get("Name"), name)]
            if not found:
                raise MappingError(self.env._("Xero refused the tracking option %(name)s in %(category)s: %(error)s",
                                              name=name, category=category.name, error=exc)) from exc
        option = found[0]
        return self.sudo().create({"tenant_id": tenant.id, "category_id": category.id,
                                   "tracking_option_id": option["TrackingOptionID"], "name": option["Name"],
                                   "active": option.get("Status", "ACTIVE") == "ACTIVE"})
