"""Xero's side of the tracking categories (ledger.tracking.category): the labels Xero users
know and the import of GET TrackingCategories (matched to analytic plans and accounts by name)."""

from odoo import api, fields, models

from ..xero import from_xero


class LedgerTrackingCategory(models.Model):
    _inherit = "ledger.tracking.category"
    _description = "Xero tracking category"

    tracking_category_id = fields.Char(string="TrackingCategoryID")

    @api.model
    def _import_tracking(self, tenant, summary, categories):
        """Catalogue the organisation's ``categories`` (GET TrackingCategories?includeArchived=true)
        and link root analytic plans and their analytic accounts of the same name. Links made
        earlier (by hand on the mapping screens) are kept."""
        Option, Link = self.env["ledger.tracking.option"], self.env["ledger.link"]
        rows = [from_xero.tracking_rows(category) for category in categories]
        catalog, created, updated = self._upsert(tenant, "tracking_category_id", [row for row, _o in rows])
        option_rows = [dict(option, category_id=catalog[row["tracking_category_id"]].id)
                       for row, options in rows for option in options]
        options, created_o, updated_o = Option._upsert(tenant, "tracking_option_id", option_rows)
        listed = {o["tracking_option_id"] for o in option_rows}
        for key, option in options.items():
            if key not in listed and option.active:
                option.active = False  # deleted in Xero
        summary.count("tracking", "imported", created + created_o)
        summary.count("tracking", "updated", updated + updated_o)
        plans_linked = {res_id: link.remote_id
                        for res_id, link in Link._links(tenant, "account.analytic.plan")[0].items()}
        accounts_linked = Link._links(tenant, "account.analytic.account")[0]
        # names only, to match: the importer's caller manages the organisation, not necessarily analytics
        plans = self.env["account.analytic.plan"].sudo().search([("parent_id", "=", False)])
        new_links = []
        for row, _options in rows:
            category = catalog[row["tracking_category_id"]]
            if not category.active:
                continue
            plan = next((p for p in plans if plans_linked.get(p.id) == category.tracking_category_id), None)
            if plan is None:
                same = [p for p in plans if from_xero.same_name(p.name, category.name) and p.id not in plans_linked]
                if len(same) > 1:
                    summary.line("tracking", "ambiguous", self.env._(
                        "several Odoo analytic plans are named %s: choose one in Tracking categories", category.name),
                        category.tracking_category_id, category.name)
                    continue
                if not same:
                    summary.line("tracking", "unmapped", self.env._(
                        "no Odoo analytic plan of that name: map one in Tracking categories if Odoo tracks it"),
                        category.tracking_category_id, category.name)
                    continue
                plan = same[0]
                new_links.append(self._link_values(tenant, plan, category.tracking_category_id,
                                                   category.tracking_category_id, category.name))
                plans_linked[plan.id] = category.tracking_category_id
                summary.count("tracking", "linked")
            accounts = self.env["account.analytic.account"].sudo().search([
                ("root_plan_id", "=", plan.id), ("company_id", "in", [False, tenant.company_id.id])])
            for option in category.option_ids.filtered("active"):
                same = [a for a in accounts if from_xero.same_name(a.name, option.name)]
                if len(same) > 1:
                    summary.line("tracking", "ambiguous", self.env._(
                        "several analytic accounts of %(plan)s are named %(name)s: choose one in Tracking mapping",
                        plan=plan.name, name=option.name), option.tracking_option_id, option.name)
                elif same and same[0].id not in accounts_linked:
                    new_links.append(self._link_values(tenant, same[0], option.tracking_option_id,
                                                       category.tracking_category_id, option.name))
                    accounts_linked[same[0].id] = True
                    summary.count("tracking", "linked")
                elif same:
                    summary.count("tracking", "already")
        Link.create(new_links)
