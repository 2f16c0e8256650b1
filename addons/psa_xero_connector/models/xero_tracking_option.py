"""An option of a Xero tracking category, as last imported: the choices of the Tracking
mapping screen (Odoo analytic accounts → options), and what document lines carry.

``_xero_tracking`` resolves the analytic accounts of a document for its organisation: an
account of a plan mapped to a category needs an option of that category — mapped, or of the
same name, or (per the organisation's setting) created in Xero; otherwise the document is
held with a message naming the account and the screen that fixes it."""

import hashlib

from odoo import api, fields, models, tools

from ..xero import from_xero
from ..xero.errors import XeroValidationError
from ..xero.to_xero import MappingError
from .xero_link import TRACKED_MODELS

PLAN_ACCOUNTS_AT_ONCE = 1000


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
    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _xero_tracking_catalog
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    @tools.ormcache("tenant_id")
    def _xero_tracking_catalog(self, tenant_id):
        """What tracking lines need of an organisation, as plain data: {"plans": {root plan id:
        TrackingCategoryID}, "accounts": {analytic account id: TrackingOptionID} (their links),
        "categories": {TrackingCategoryID: {"id", "name", "active", "options": [{"id",
        "tracking_option_id", "name", "active"}]}}}. Kept per process (Odoo's ormcache) until
        a category, an option or a link of a plan or an analytic account changes — they clear
        it (here, in xero.tracking.category and xero.link) — so tracking on every line costs
        no query per batch once read."""
        env = self.env(su=True)
        links = env["xero.link"].search_fetch([("tenant_id", "=", tenant_id), ("res_model", "in", TRACKED_MODELS)],
                                               ["res_model", "res_id", "xero_id"])
        categories = {c.tracking_category_id: {"id": c.id, "name": c.name, "active": c.active, "options": []}
                      for c in env["xero.tracking.category"].with_context(active_test=False).search_fetch(
                          [("tenant_id", "=", tenant_id)], ["name", "active", "tracking_category_id"])}
        by_id = {c["id"]: c for c in categories.values()}
        for option in self.with_env(env).with_context(active_test=False).search_fetch(
                [("tenant_id", "=", tenant_id)], ["name", "active", "tracking_option_id", "category_id"], order="id"):
            if option.category_id.id in by_id:
                by_id[option.category_id.id]["options"].append({
                    "id": option.id, "tracking_option_id": option.tracking_option_id, "name": option.name,
                    "active": option.active})
        return {"plans": {link.res_id: link.xero_id for link in links if link.res_model == "account.analytic.plan"},
                "accounts": {link.res_id: link.xero_id for link in links
                             if link.res_model == "account.analytic.account"},
                "categories": categories}

    @api.model
    def _xero_tracking(self, tenant, account_ids, document):
        """{analytic account id: LineItemTracking} for those of ``account_ids`` whose root plan
        is mapped to a tracking category of ``tenant`` (deleted accounts and accounts of other
        plans: none). Raises MappingError naming what to fix. Under the outbox's
        ``xero_link_cache`` (one per batch) the accounts of the mapped plans are read once per
        batch, in one query: tracking on every line must not cost queries per document."""
        cache = self.env.context.get("xero_link_cache")
        if cache is None:
            cache = {}
        catalog = self._xero_tracking_catalog(tenant.id)
        known = cache.setdefault((tenant.id, "tracking"), {})
        missing = [i for i in account_ids if i not in known]
        if missing and catalog["plans"]:
            Account = self.env["account.analytic.account"].sudo().with_context(active_test=False)
            fields_ = ["name", "root_plan_id"]
            key = (tenant.id, "tracking accounts")
            if key not in cache:
                # the mapped plans' accounts at once (Xero keeps at most 2 categories of 100
                # options each); a bigger plan is read account by account
                found = Account.search_fetch([("root_plan_id", "in", list(catalog["plans"]))], fields_,
                                             limit=PLAN_ACCOUNTS_AT_ONCE + 1)
                cache[key] = {a.id: a for a in found} if len(found) <= PLAN_ACCOUNTS_AT_ONCE else None
            plans_accounts = cache[key]
            if plans_accounts is not None:
                accounts = [plans_accounts[i] for i in missing if i in plans_accounts]
            else:
                accounts = Account.search_fetch([("id", "in", missing)], fields_)
            known.update({account.id: self._xero_tracking_of(tenant, catalog, account, document)
                          for account in accounts})
        known.update({i: None for i in missing if i not in known})  # other plans, or deleted
        return {i: known[i] for i in account_ids if known.get(i)}

    def _xero_tracking_of(self, tenant, catalog, account, document):
        """The LineItemTracking of one analytic account, or None when its plan is not mapped."""
        category_id = catalog["plans"].get(account.root_plan_id.id)
        if category_id is None:
            return None
        plan = account.root_plan_id
        category = catalog["categories"].get(category_id)
        if not category or not category["active"]:
            raise MappingError(self.env._(
                "%(doc)s: the analytic plan %(plan)s is mapped to a Xero tracking category that is archived or "
                "no longer in %(org)s: map the plan again in Xero → Tracking categories (import from Xero first).",
                doc=document.display_name, plan=plan.name, org=tenant.name))
        option = self._xero_option_of(tenant, catalog, category_id, account, document)
        return {"TrackingCategoryID": category_id, "TrackingOptionID": option["tracking_option_id"],
                "Name": category["name"], "Option": option["name"]}

    def _xero_option_of(self, tenant, catalog, category_id, account, document):
        """The option (catalog data) of ``account``: its link's, else the option of the same
        name (linked now, as the import does), else one created in Xero if the organisation
        says so. Raises MappingError naming the screen that fixes it."""
        category = catalog["categories"][category_id]
        linked = catalog["accounts"].get(account.id)
        option = next((o for o in category["options"] if linked and o["tracking_option_id"] == linked), None)
        if not option:
            option = next((o for o in category["options"] if from_xero.same_name(o["name"], account.name)), None)
            if not option and tenant.tracking_missing_options == "create":
                made = self._xero_create_option(tenant, self.env["xero.tracking.category"].sudo().browse(
                    category["id"]), account.name)
                option = {"id": made.id, "tracking_option_id": made.tracking_option_id, "name": made.name,
                          "active": made.active}
            if not option:
                raise MappingError(self.env._(
                    "%(doc)s: the analytic account %(account)s (plan %(plan)s) has no option in the Xero tracking "
                    "category %(category)s of %(org)s: map it in Xero → Tracking mapping, or let the organisation "
                    "create missing options (its form: Tracking options missing in Xero).",
                    doc=document.display_name, account=account.display_name, plan=account.root_plan_id.name,
                    category=category["name"], org=tenant.name))
            Link = self.env["xero.link"].sudo()
            values = self.env["xero.tracking.category"]._link_values(
                tenant, account, option["tracking_option_id"], category_id, option["name"])
            link = Link._link_of(tenant, account)
            if link:
                link.write(values)
            else:
                link = Link.create(values)
                cache = self.env.context.get("xero_link_cache")
                if cache is not None and (tenant.id, account._name) in cache:
                    cache[(tenant.id, account._name)][account.id] = link
        if not option["active"]:
            raise MappingError(self.env._(
                "%(doc)s: the analytic account %(account)s is mapped to the Xero tracking option %(option)s, which is "
                "archived in %(org)s: restore it in Xero or map the account to another option in Xero → Tracking "
                "mapping.", doc=document.display_name, account=account.display_name,
                option="%s: %s" % (category["name"], option["name"]), org=tenant.name))
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
