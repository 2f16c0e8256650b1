"""What the organisation dashboard shows on each card, and the drift report's state per
organisation: mixed into ``ledger.tenant``.

The figures are computed for all the cards at once, with a fixed number of queries (read
groups and one SQL statement over the request log) whatever the number of organisations.
The ledger's remaining calls come from the headers of the last answer, as the request log
keeps them (each ledger reads its own headers: ``_ledger_limits_remaining``): written on the
tenant at each call, they would make every worker update one row (and fail to serialize
against each other).
"""

import json

from odoo import api, fields, models

from ..access import MANAGER, USER, check_caller
from ..errors import LedgerError

SETUP_STEPS = ("connected", "company", "imported", "mapped", "catchalls", "switches")


class LedgerTenantDashboard(models.AbstractModel):
    _name = "ledger.tenant.dashboard"
    _description = "Organisation dashboard figures"
    # the addon whose XML holds the screens the cards open (the ledger's until the core has them)
    _ledger_views_module = "psa_ledger"

    # the drift report's state (written under sudo by ledger.drift)
    drift_snapshot = fields.Json(string="The ledger's documents at the last comparison", prefetch=False, copy=False,
                                      groups="base.group_system")
    drift_checked_at = fields.Datetime(string="Drift report run at", readonly=True, copy=False)
    drift_full_at = fields.Datetime(string="Last full comparison", readonly=True, copy=False)
    drift_calls = fields.Integer(string="Ledger calls of the last drift report", readonly=True, copy=False)
    drift_documents = fields.Integer(string="Ledger records compared", readonly=True, copy=False)
    drift_error = fields.Text(string="Drift report error", readonly=True, copy=False)

    dash_last_success = fields.Datetime(string="Last successful call", compute="_compute_dashboard")
    dash_day_remaining = fields.Integer(string="Calls left today", compute="_compute_dashboard")
    dash_minute_remaining = fields.Integer(string="Calls left this minute", compute="_compute_dashboard")
    dash_limits_known = fields.Boolean(compute="_compute_dashboard")
    dash_queued = fields.Integer(string="Queued", compute="_compute_dashboard")
    dash_errors = fields.Integer(string="In error", compute="_compute_dashboard")
    dash_synced_today = fields.Integer(string="Synced today", compute="_compute_dashboard")
    dash_webhook_last = fields.Datetime(string="Last webhook delivery", compute="_compute_dashboard")
    dash_webhook_intent = fields.Char(string="Intent to receive", compute="_compute_dashboard")
    dash_drift_open = fields.Integer(string="Differences with the ledger", compute="_compute_dashboard")
    dash_drift_summary = fields.Char(string="Differences", compute="_compute_dashboard")
    dash_setup_done = fields.Integer(string="Setup steps done", compute="_compute_dashboard")
    dash_setup_next = fields.Char(string="Next setup step", compute="_compute_dashboard")

    def _ledger_limits_remaining(self, headers):
        """-> {"day": n, "minute": n, ...} the calls the ledger says are left, read from the
        headers of its last answer ({} when it does not say)."""
        return {}

    def _setup_labels(self):
        return {"connected": self.env._("Connect the organisation"),
                "company": self.env._("Give it its Odoo company"),
                "imported": self.env._("Import from %s", self._ledger_label()),
                "mapped": self.env._("Map the default taxes and accounts"),
                "catchalls": self.env._("Choose the catch-all items"),
                "switches": self.env._("Switch on what syncs")}

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_dashboard(self):
        ids = [t.id for t in self if isinstance(t.id, int)]
        env = self.env
        outbox = {}
        for tenant, state, count in env["ledger.outbox"].sudo()._read_group(
                [("tenant_id", "in", ids), ("state", "in", ("queued", "waiting", "sending", "retry", "error"))],
                ["tenant_id", "state"], ["__count"]):
            key = "errors" if state == "error" else "queued"
            outbox[(tenant.id, key)] = outbox.get((tenant.id, key), 0) + count
        today = fields.Datetime.to_datetime(fields.Date.context_today(self))
        synced = dict((t.id, n) for t, n in env["ledger.outbox"].sudo()._read_group(
            [("tenant_id", "in", ids), ("state", "=", "done"), ("write_date", ">=", today)],
            ["tenant_id"], ["__count"]))
        drift, drift_kinds = {}, {}
        labels = dict(self.env["ledger.drift.line"]._fields["kind"]._description_selection(env))
        for tenant, kind, count in env["ledger.drift.line"].sudo()._read_group(
                [("tenant_id", "in", ids), ("state", "=", "open")], ["tenant_id", "kind"], ["__count"]):
            drift[tenant.id] = drift.get(tenant.id, 0) + count
            drift_kinds.setdefault(tenant.id, []).append("%s %d" % (labels.get(kind, kind), count))
        imported = set()
        for catalog in ("ledger.tax.rate", "ledger.account", "ledger.item"):
            imported |= {t.id for t, _n in env[catalog].sudo().with_context(active_test=False)._read_group(
                [("tenant_id", "in", ids)], ["tenant_id"], ["__count"])}
        mapped = {}
        for tenant, res_model, _count in env["ledger.link"].sudo()._read_group(
                [("tenant_id", "in", ids), ("res_model", "in", ("account.tax", "account.account"))],
                ["tenant_id", "res_model"], ["__count"]):
            mapped.setdefault(tenant.id, set()).add(res_model)
        log = {}
        if ids:
            env["ledger.request.log"].flush_model()
            env.cr.execute("""
                SELECT t.id,
                       (SELECT create_date FROM ledger_request_log l WHERE l.tenant_id = t.id
                           AND l.direction = 'outbound' AND l.state = 'success' ORDER BY l.id DESC LIMIT 1),
                       (SELECT response_headers FROM ledger_request_log l WHERE l.tenant_id = t.id
                           AND l.direction = 'outbound' AND l.status_code > 0 ORDER BY l.id DESC LIMIT 1),
                       (SELECT create_date FROM ledger_request_log l WHERE l.tenant_id = t.id
                           AND l.direction = 'inbound' AND l.status_code = 200 ORDER BY l.id DESC LIMIT 1)
                  FROM unnest(%s::int[]) AS t(id)""", [ids])
            log = {row[0]: row[1:] for row in env.cr.fetchall()}
            # the webhook's intent-to-receive check is one per app: the last one Odoo answered
            env.cr.execute("""
                SELECT status_code, COALESCE(last_seen, create_date) FROM ledger_request_log
                 WHERE direction = 'inbound' AND (aggregate_key LIKE %s OR aggregate_key LIKE %s
                                                  OR aggregate_key LIKE %s)
                 ORDER BY COALESCE(last_seen, create_date) DESC, id DESC LIMIT 1""",
                           ["%|intent|%", "%|unsigned|%", "%|bad_signature|%"])
            intent = env.cr.fetchone()
        else:
            intent = None
        setup_labels = self._setup_labels()
        for tenant in self:
            last_ok, headers, webhook_at = log.get(tenant.id, (None, None, None))
            try:
                limits = tenant._ledger_limits_remaining(json.loads(headers)) if headers else {}
            except ValueError:
                limits = {}
            company = tenant.company_id
            done = {
                "connected": tenant.state == "connected",
                "company": bool(company),
                "imported": tenant.id in imported,
                "mapped": mapped.get(tenant.id, set()) >= {"account.tax", "account.account"},
                "catchalls": bool(tenant.catchall_invoice_item_id and tenant.catchall_purchase_item_id
                                  and tenant.catchall_credit_note_item_id),
                "switches": any(tenant[f] for f in ("sync_customers", "sync_suppliers", "sync_products",
                                                    "sync_invoices", "sync_bills", "sync_credit_notes",
                                                    "sync_purchase_orders")),
            }
            tenant.update({
                "dash_last_success": last_ok, "dash_webhook_last": webhook_at,
                "dash_day_remaining": limits.get("day", 0), "dash_minute_remaining": limits.get("minute", 0),
                "dash_limits_known": bool(limits),
                "dash_queued": outbox.get((tenant.id, "queued"), 0),
                "dash_errors": outbox.get((tenant.id, "errors"), 0),
                "dash_synced_today": synced.get(tenant.id, 0),
                "dash_webhook_intent": (self.env._("verified") if intent[0] == 200 else
                                        self.env._("refused (%s)", intent[0])) if intent else False,
                "dash_drift_open": drift.get(tenant.id, 0),
                "dash_drift_summary": ", ".join(drift_kinds.get(tenant.id, [])) or False,
                "dash_setup_done": sum(done.values()),
                "dash_setup_next": next((setup_labels[s] for s in SETUP_STEPS if not done[s]), False),
            })

    # --- actions of the card ------------------------------------------------------------------------
    def _outbox_action(self, states, name):
        self.ensure_one()
        check_caller(self, USER, "read")
        action = self.env["ir.actions.act_window"]._for_xml_id(self._ledger_views_module + ".action_ledger_outbox")
        action.update(domain=[("tenant_id", "=", self.id), ("state", "in", states)], context={},
                      name="%s: %s" % (self.name, name))
        return action

    def action_dash_queued(self):
        return self._outbox_action(["queued", "waiting", "sending", "retry"], self.env._("queued"))

    def action_dash_errors(self):
        return self._outbox_action(["error"], self.env._("in error"))

    def action_view_drift(self):
        self.ensure_one()
        check_caller(self, USER, "read")
        action = self.env["ir.actions.act_window"]._for_xml_id(self._ledger_views_module + ".action_ledger_drift_line")
        action.update(domain=[("tenant_id", "=", self.id)], name=self.env._("Drift report: %s", self.name))
        return action

    def action_run_drift(self):
        """Compare this organisation with its ledger now, then show the differences."""
        self.ensure_one()
        check_caller(self, MANAGER, "write")
        try:
            result = self.env["ledger.drift"]._run(self.sudo(), full=self.env.context.get("drift_full"))
        except LedgerError as exc:
            self.sudo().drift_error = str(exc)
            return self._toast(self.env._("Drift report failed"), str(exc), "danger")
        action = self.action_view_drift()
        action["context"] = {"search_default_open": 1, "drift_result": result}
        return action
