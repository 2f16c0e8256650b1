"""The Xero status a synced record shows (not synced / queued / synced / error with Xero's
exact message) and its Retry, computed from the outbox rows of the record."""

from odoo import _, api, fields, models

STATES = [("none", "Not synced"), ("queued", "Queued"), ("done", "Synced"), ("error", "Error")]


class XeroSyncMixin(models.AbstractModel):
    _name = "xero.sync.mixin"
    _description = "Record synced to Xero"

    # Fields whose change queues the record for Xero (documents queue on post / confirm instead).
    _xero_sync_fields = frozenset()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if self._xero_sync_fields:
            records._xero_enqueue()
        return records

    def write(self, vals):
        result = super().write(vals)
        if self._xero_sync_fields & set(vals):
            self._xero_enqueue()
        return result

    def _xero_enqueue(self, operation="upsert"):
        """Queue the records for the organisations that sync them (each model says which)."""
        raise NotImplementedError

    xero_sync_state = fields.Selection(STATES, string="Xero", compute="_compute_xero_sync_state",
                                       search="_search_xero_sync_state")
    xero_sync_message = fields.Text(string="Xero message", compute="_compute_xero_sync_state")

    def _compute_xero_sync_state(self):
        rows = self.env["xero.outbox"].sudo().search([("res_model", "=", self._name), ("res_id", "in", self.ids)],
                                                     order="id")
        latest = {}
        for row in rows:
            latest.setdefault(row.res_id, []).append(row)
        for record in self:
            mine = latest.get(record.id, [])
            errors = [r for r in mine if r.state == "error"]
            pending = [r for r in mine if r.state in ("queued", "waiting", "sending", "retry")]
            if errors:
                record.xero_sync_state = "error"
                record.xero_sync_message = "\n".join("%s: %s" % (r.tenant_id.name, r.last_error) for r in errors)
            elif pending:
                record.xero_sync_state = "queued"
                record.xero_sync_message = "\n".join(r.last_error for r in pending if r.last_error) or False
            else:
                done = [r for r in mine if r.state == "done"]
                record.xero_sync_state = "done" if done else "none"
                # not sent (cancelled or back in draft before it left): say why
                record.xero_sync_message = False if done or not mine else mine[-1].last_error

    @api.model
    def _search_xero_sync_state(self, operator, value):
        states = {"queued": ("queued", "waiting", "sending", "retry"), "error": ("error",),
                  "done": ("done",)}.get(value)
        if operator not in ("=", "!=") or not states:
            raise NotImplementedError(_("Search Xero status with = or != and queued, error or done."))
        ids = self.env["xero.outbox"].sudo().search([("res_model", "=", self._name), ("state", "in", states)]).mapped(
            "res_id")
        return [("id", "in" if operator == "=" else "not in", ids)]

    def action_xero_retry(self):
        rows = self.env["xero.outbox"].sudo().search([("res_model", "=", self._name), ("res_id", "in", self.ids),
                                                      ("state", "in", ("error", "retry"))])
        rows.action_retry()
        return True
