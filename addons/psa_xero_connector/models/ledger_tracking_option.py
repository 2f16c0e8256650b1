"""An option of a Xero tracking category, as last imported: the choices of the Tracking
mapping screen (Odoo analytic accounts → options), and what document lines carry.

``_xero_tracking`` resolves the analytic accounts of a document for its organisation: an
account of a plan mapped to a category needs an option of that category — mapped, or of the
same name, or (per the organisation's setting) created in Xero; otherwise the document is
held with a message naming the account and the screen that fixes it."""

import hashlib

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.psa_ledger.models.ledger_link import TRACKED_MODELS

from ..xero import from_xero
from ..xero.errors import XeroValidationError
from ..xero.to_xero import MappingError

PLAN_ACCOUNTS_AT_ONCE = 1000
_CATALOGUES = {}  # (database, organisation id) -> (stamp, catalogue): see _xero_tracking_catalog


class LedgerTrackingOption(models.Model):
    _inherit = "ledger.tracking.option"
    _description = "Xero tracking option"

    tracking_option_id = fields.Char(string="TrackingOptionID")

    def _element(self):
        self.ensure_one()
        return {"TrackingCategoryID": self.tracking_category_id, "TrackingOptionID": self.tracking_option_id,
                "Name": self.category_id.name, "Option": self.name}

    # --- document lines ----------------------------------------------------------------------------
    @api.model
    def _xero_tracking_stamp(self, tenant_id):
        """A fingerprint of the row versions the tracking catalogue of an organisation is made
        of (its links of analytic plans and accounts, categories, options, the analytic accounts
        of its mapped plans) as this transaction sees them — each row version by its writing
        (sub)transaction and place (xmin, ctid): a row changed, added or deleted changes it; a
        catalogue read from rows rolled back, or not committed yet by another transaction, never
        matches it. One query."""
        for model in ("ledger.link", "ledger.tracking.category", "ledger.tracking.option", "account.analytic.account"):
            self.env[model].flush_model()
        self.env.cr.execute(SQL("""
            SELECT count(*), COALESCE(sum(hashtext(concat_ws(':', t.tableoid, t.id, t.xmin, t.ctid))), 0)
              FROM (SELECT tableoid, id, xmin, ctid FROM ledger_link
                     WHERE tenant_id = %(tenant)s AND res_model IN %(models)s
                    UNION ALL SELECT tableoid, id, xmin, ctid FROM ledger_tracking_category WHERE tenant_id = %(tenant)s
                    UNION ALL SELECT tableoid, id, xmin, ctid FROM ledger_tracking_option WHERE tenant_id = %(tenant)s
                    UNION ALL SELECT a.tableoid, a.id, a.xmin, a.ctid FROM account_analytic_account a
                           JOIN ledger_link l ON l.res_model = 'account.analytic.plan' AND l.res_id = a.root_plan_id
                               WHERE l.tenant_id = %(tenant)s) t""", tenant=tenant_id, models=TRACKED_MODELS))
        return tuple(self.env.cr.fetchone())

    @api.model
    def _xero_tracking_catalog(self, tenant):
        """What tracking lines need of an organisation, as plain data: {"plans": {root plan id:
        TrackingCategoryID}, "accounts": {analytic account id: TrackingOptionID} (their links),
        "categories": {TrackingCategoryID: {"id", "name", "active", "options": [{"id",
        "tracking_option_id", "name", "active"}]}}, "plan_accounts": {analytic account id:
        {"name", "root_plan_id"}} of the mapped plans, or None when they are too many to keep}.
        Kept by the process while its stamp (_xero_tracking_stamp) is unchanged, and by the
        batch (the outbox's ``ledger_link_cache``): tracking on every line costs one query a
        batch, not a read of the catalogue."""
        cache = self.env.context.get("ledger_link_cache")
        key = (tenant.id, "tracking catalogue")
        if cache is not None and key in cache:
            return cache[key]
        stamp = self._xero_tracking_stamp(tenant.id)
        kept = _CATALOGUES.get((self.env.cr.dbname, tenant.id))
        if kept and kept[0] == stamp:
            catalog = kept[1]
        else:
            catalog = self._xero_tracking_read(tenant.id)
            _CATALOGUES[(self.env.cr.dbname, tenant.id)] = (stamp, catalog)
        if cache is not None:
            cache[key] = catalog
        return catalog

    @api.model
    def _xero_tracking_read(self, tenant_id):
        env = self.env(su=True)
        links = env["ledger.link"].search_fetch([("tenant_id", "=", tenant_id), ("res_model", "in", TRACKED_MODELS)],
                                               ["res_model", "res_id", "remote_id"])
        categories = {c.tracking_category_id: {"id": c.id, "name": c.name, "active": c.active, "options": []}
                      for c in env["ledger.tracking.category"].with_context(active_test=False).search_fetch(
                          [("tenant_id", "=", tenant_id)], ["name", "active", "tracking_category_id"])}
        by_id = {c["id"]: c for c in categories.values()}
        for option in self.with_env(env).with_context(active_test=False).search_fetch(
                [("tenant_id", "=", tenant_id)], ["name", "active", "tracking_option_id", "category_id"], order="id"):
            if option.category_id.id in by_id:
                by_id[option.category_id.id]["options"].append({
                    "id": option.id, "tracking_option_id": option.tracking_option_id, "name": option.name,
                    "active": option.active})
        plans = {link.res_id: link.remote_id for link in links if link.res_model == "account.analytic.plan"}
        # the mapped plans' accounts (Xero keeps at most 2 categories of 100 options each); a
        # bigger plan is read account by account, per batch
        found = env["account.analytic.account"].with_context(active_test=False).search_fetch(
            [("root_plan_id", "in", list(plans))], ["name", "root_plan_id"], limit=PLAN_ACCOUNTS_AT_ONCE + 1) \
            if plans else []
        return {"plans": plans, "categories": categories,
                "accounts": {link.res_id: link.remote_id for link in links
                             if link.res_model == "account.analytic.account"},
                "plan_accounts": {a.id: {"name": a.name, "root_plan_id": a.root_plan_id.id} for a in found}
                if len(found) <= PLAN_ACCOUNTS_AT_ONCE else None}

    @api.model
    def _xero_tracking(self, tenant, account_ids, document):
        """{analytic account id: LineItemTracking} for those of ``account_ids`` whose root plan
        is mapped to a tracking category of ``tenant`` (deleted accounts and accounts of other
        plans: none). Raises MappingError naming what to fix. Under the outbox's
        ``ledger_link_cache`` (one per batch) each account is resolved once per batch."""
        cache = self.env.context.get("ledger_link_cache")
        if cache is None:
            cache = {}
        catalog = self._xero_tracking_catalog(tenant)
        known = cache.setdefault((tenant.id, "tracking"), {})
        missing = [i for i in account_ids if i not in known]
        if missing and catalog["plans"]:
            accounts = catalog["plan_accounts"]
            if accounts is None:
                accounts = {a.id: {"name": a.name, "root_plan_id": a.root_plan_id.id}
                            for a in self.env["account.analytic.account"].sudo().with_context(
                                active_test=False).search_fetch([("id", "in", missing)], ["name", "root_plan_id"])}
            for account_id in missing:
                if account_id in accounts:
                    known[account_id] = self._xero_tracking_of(tenant, catalog, dict(
                        accounts[account_id], id=account_id), document)
        known.update({i: None for i in missing if i not in known})  # other plans, or deleted
        return {i: known[i] for i in account_ids if known.get(i)}

    def _xero_tracking_of(self, tenant, catalog, account, document):
        """The LineItemTracking of one analytic account ({"id", "name", "root_plan_id"}), or
        None when its plan is not mapped."""
        category_id = catalog["plans"].get(account["root_plan_id"])
        if category_id is None:
            return None
        category = catalog["categories"].get(category_id)
        if not category or not category["active"]:
            raise MappingError(self.env._(
                "%(doc)s: the analytic plan %(plan)s is mapped to a Xero tracking category that is archived or "
                "no longer in %(org)s: map the plan again in Xero → Tracking categories (import from Xero first).",
                doc=document.display_name, org=tenant.name,
                plan=self.env["account.analytic.plan"].sudo().browse(account["root_plan_id"]).name))
        option = self._xero_option_of(tenant, catalog, category_id, account, document)
        return {"TrackingCategoryID": category_id, "TrackingOptionID": option["tracking_option_id"],
                "Name": category["name"], "Option": option["name"]}

    def _xero_option_of(self, tenant, catalog, category_id, account, document):
        """The option (catalogue data) of ``account``: its link's, else the option of the same
        name (an active one first; linked now, as the import does), else one created in Xero if
        the organisation says so. Raises MappingError naming the screen that fixes it."""
        category = catalog["categories"][category_id]
        linked = catalog["accounts"].get(account["id"])
        option = next((o for o in category["options"] if linked and o["tracking_option_id"] == linked), None)
        if not option:
            same = [o for o in category["options"] if from_xero.same_name(o["name"], account["name"])]
            option = next((o for o in same if o["active"]), same[0] if same else None)
            record = self.env["account.analytic.account"].sudo().browse(account["id"])
            if not option and tenant.tracking_missing_options == "create":
                made = self._xero_create_option(tenant, self.env["ledger.tracking.category"].sudo().browse(
                    category["id"]), account["name"])
                option = {"id": made.id, "tracking_option_id": made.tracking_option_id, "name": made.name,
                          "active": made.active}
            if not option:
                raise MappingError(self.env._(
                    "%(doc)s: the analytic account %(account)s (plan %(plan)s) has no option in the Xero tracking "
                    "category %(category)s of %(org)s: map it in Xero → Tracking mapping, or let the organisation "
                    "create missing options (its form: Tracking options missing in Xero).",
                    doc=document.display_name, account=record.display_name, plan=record.root_plan_id.name,
                    category=category["name"], org=tenant.name))
            Link = self.env["ledger.link"].sudo()
            values = self.env["ledger.tracking.category"]._link_values(
                tenant, record, option["tracking_option_id"], category_id, option["name"])
            link = Link._link_of(tenant, record)
            if link:
                link.write(values)
            else:
                link = Link.create(values)
                cache = self.env.context.get("ledger_link_cache")
                if cache is not None and (tenant.id, record._name) in cache:
                    cache[(tenant.id, record._name)][record.id] = link
            cache = self.env.context.get("ledger_link_cache")
            if cache is not None:  # the batch's next document reads the catalogue as it is now
                cache.pop((tenant.id, "tracking catalogue"), None)
        if not option["active"]:
            raise MappingError(self.env._(
                "%(doc)s: the analytic account %(account)s is mapped to the Xero tracking option %(option)s, which is "
                "archived in %(org)s: restore it in Xero or map the account to another option in Xero → Tracking "
                "mapping.", doc=document.display_name,
                account=self.env["account.analytic.account"].sudo().browse(account["id"]).display_name,
                option="%s: %s" % (category["name"], option["name"]), org=tenant.name))
        return option

    @api.model
    def _xero_create_option(self, tenant, category, name):
        """PUT the option in Xero and catalogue it. A name Xero already has (an earlier attempt
        that reached Xero, or an option made meanwhile) is read back instead."""
        name = (name or "").strip()[:100]
        key = "tracking-option-%s" % hashlib.sha256(
            ("%s|%s|%s" % (tenant.remote_id, category.tracking_category_id, name.casefold())).encode()).hexdigest()
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
