"""The drift report's run for one organisation: read what Odoo says should be in the ledger,
ask the ledger what it has (``_ledger_drift_read``), compare (``_ledger_drift_compare``), keep
the differences as ``ledger.drift.line`` rows.

A run after a full one reads only what changed since and lays the changes over the snapshot
the full run kept (``_ledger_drift_merge``); a full run comes back every ``FULL_EVERY`` (a
record removed from the ledger altogether is only seen by one).
"""

import logging
from datetime import timedelta

from odoo import api, fields, models

from ..const import PENDING
from ..errors import LedgerError

_logger = logging.getLogger(__name__)

FULL_EVERY = timedelta(days=7)
OVERLAP = timedelta(minutes=2)  # clocks differ; comparing twice changes nothing
MOVE_KIND = {"out_invoice": "invoice", "in_invoice": "bill", "out_refund": "credit_note",
             "in_refund": "credit_note"}
MOVE_SWITCH = {"out_invoice": "sync_invoices", "in_invoice": "sync_bills", "out_refund": "sync_credit_notes",
               "in_refund": "sync_credit_notes"}
# a purchase order's state -> what the ledger should show: a cancelled one is deleted there, so
# one still live drifts; one back in draft (absent) stays in the ledger as it was until
# confirmed again: not compared
ORDER_STATUS = {"purchase": "open", "done": "open", "cancel": "deleted"}


class LedgerDrift(models.AbstractModel):
    _name = "ledger.drift"
    _description = "Drift report (what Odoo and the ledger disagree on)"

    @api.model
    def _cron_run(self, commit=True):
        """Nightly: every connected organisation with a company."""
        for tenant in self.env["ledger.tenant"].sudo().search([("state", "=", "connected"),
                                                               ("company_id", "!=", False)]):
            try:
                with self.env.cr.savepoint():
                    self._run(tenant)
            except LedgerError as exc:
                _logger.warning("Drift report of %s failed: %s", tenant.name, exc)
                tenant.drift_error = str(exc)
            except Exception as exc:  # noqa: BLE001 - one organisation's failure must not stop the others'
                _logger.exception("Drift report of %s failed unexpectedly", tenant.name)
                self.env.invalidate_all()
                tenant.drift_error = "%s: %s" % (type(exc).__name__, exc)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _run(self, tenant, full=None, page_size=None):
        """Compare ``tenant`` (sudo) now. -> {"calls", "documents", "differences", "full"}.
        Raises LedgerError (nothing is changed then). ``page_size``: the ledger's, smaller in tests."""
        started = fields.Datetime.now()
        snapshot = tenant.drift_snapshot or {}
        if full is None:
            full = not snapshot or not tenant.drift_full_at or started - tenant.drift_full_at > FULL_EVERY
        since = None if full else (tenant.drift_checked_at or started) - OVERLAP
        expected, linked_ids, deleted = self._expected(tenant)
        changes, calls = self._ledger_drift_read(tenant, expected, since, page_size)
        snapshot = changes if full else self._ledger_drift_merge(tenant, snapshot, changes)
        differences = self._ledger_drift_compare(tenant, expected, snapshot, linked_ids, deleted)
        self.env["ledger.drift.line"]._store(tenant, differences)
        values = {"drift_snapshot": snapshot, "drift_checked_at": started, "drift_calls": calls,
                  "drift_documents": len(snapshot), "drift_error": False}
        if full:
            values["drift_full_at"] = started
        tenant.write(values)
        return {"calls": calls, "documents": len(snapshot), "differences": len(differences), "full": full}

    # --- the ledger's part (hooks, overridden by each ledger guarded by the tenant's code) --------
    @api.model
    def _ledger_drift_read(self, tenant, expected, since=None, page_size=None):
        """Read what the ledger has of the kinds ``expected`` names or the organisation syncs
        (changed since ``since``, everything when None). -> ({remote_id: entry}, calls made)."""
        raise NotImplementedError(self.env._("No ledger reads the drift report of %s.", tenant.display_name))

    @api.model
    def _ledger_drift_merge(self, tenant, snapshot, changes):
        """Lay the changes read since the last run over its snapshot. -> the new snapshot."""
        return dict(snapshot, **changes)

    @api.model
    def _ledger_drift_compare(self, tenant, expected, snapshot, linked_ids, deleted):
        """-> the differences (dicts ``ledger.drift.line._store`` takes)."""
        raise NotImplementedError(self.env._("No ledger compares the drift report of %s.", tenant.display_name))

    @api.model
    def _ledger_contact_values(self, tenant, partner):
        """{"name", "email", "vat"} of ``partner`` as Odoo sends it to the ledger."""
        return {"name": partner.name, "email": partner.email, "vat": partner.vat}

    # --- Odoo's side -----------------------------------------------------------------------------
    @api.model
    def _expected(self, tenant):
        """-> (expected records as the ledger's comparison wants them, every remote ID linked in
        this organisation to a record that exists, {remote_id: name} of the documents deleted in
        Odoo whose link dangles). A handful of queries whatever the number of documents."""
        Link = self.env["ledger.link"].sudo()
        links, names = {}, {}
        linked_ids = {}  # remote ID -> how many records are linked to it
        for row in Link.search_fetch([("tenant_id", "=", tenant.id)], ["res_model", "res_id", "remote_id",
                                                                      "remote_name"]):
            linked_ids[row.remote_id.lower()] = linked_ids.get(row.remote_id.lower(), 0) + 1
            if row.res_model in ("account.move", "purchase.order", "res.partner"):
                links[(row.res_model, row.res_id)] = row.remote_id
                names[(row.res_model, row.res_id)] = row.remote_name or ""
        queued, tried = set(), set()
        for res_model, res_id, state in self.env["ledger.outbox"].sudo()._read_group(
                [("tenant_id", "=", tenant.id), ("res_model", "in", ("account.move", "purchase.order", "res.partner"))],
                ["res_model", "res_id", "state"]):
            tried.add((res_model, res_id))
            if state in PENDING:
                queued.add((res_model, res_id))
        company = tenant.company_id
        since = tenant.create_date  # what was posted before the organisation was connected is not ours
        expected = []
        # documents: linked or queued ones, and every one posted since of a kind the organisation syncs
        kinds = [t for t, switch in MOVE_SWITCH.items() if tenant[switch]]
        move_ids = [res_id for (model, res_id) in links.keys() | tried if model == "account.move"]
        domain = [("id", "in", move_ids)]
        if kinds:
            domain = ["|"] + domain + ["&", "&", "&", ("company_id", "=", company.id), ("move_type", "in", kinds),
                                       ("state", "=", "posted"), ("create_date", ">=", since)]
        Move = self.env["account.move"].sudo()
        existing = set()  # the linked or tried documents that still exist (the search finds them all)
        for move in Move.search_fetch(domain, ["name", "move_type", "state", "payment_state", "amount_total"]):
            key = ("account.move", move.id)
            existing.add(key)
            if move.move_type not in MOVE_KIND or (key not in links and move.state != "posted"):
                continue  # never reached the ledger and not meant to (cancelled or back in draft before it left)
            if move.state == "posted":
                status = "paid" if move.payment_state in ("paid", "in_payment", "reversed") else "open"
            elif move.state == "cancel":
                status = "voided"
            else:
                status = None  # back in draft: it stays in the ledger as it was until posted again
            expected.append({"key": key, "kind": MOVE_KIND[move.move_type], "name": move.name,
                             "remote_id": links.get(key), "queued": key in queued, "total": move.amount_total,
                             "status": status})
        order_ids = [res_id for (model, res_id) in links.keys() | tried if model == "purchase.order"]
        domain = [("id", "in", order_ids)]
        if tenant.sync_purchase_orders:
            domain = ["|"] + domain + ["&", "&", ("company_id", "=", company.id), ("state", "in", ("purchase", "done")),
                                       ("create_date", ">=", since)]
        for order in self.env["purchase.order"].sudo().search_fetch(domain, ["name", "state", "amount_total"]):
            key = ("purchase.order", order.id)
            existing.add(key)
            if key not in links and order.state not in ("purchase", "done"):
                continue
            expected.append({"key": key, "kind": "purchase_order", "name": order.name, "remote_id": links.get(key),
                             "queued": key in queued, "total": order.amount_total,
                             "status": ORDER_STATUS.get(order.state)})
        # contacts: only those linked or queued (a customer is sent when a document needs it)
        partner_ids = [res_id for (model, res_id) in links.keys() | tried if model == "res.partner"]
        for partner in self.env["res.partner"].sudo().with_context(active_test=False).browse(partner_ids).exists():
            key = ("res.partner", partner.id)
            try:
                values = self._ledger_contact_values(tenant, partner)
            except Exception:  # noqa: BLE001 - a partner Odoo cannot send: compare what it has
                values = {"name": partner.name, "email": partner.email, "vat": partner.vat}
            expected.append({"key": key, "kind": "contact", "name": values.get("name"),
                             "email": values.get("email"), "vat": values.get("vat"),
                             "remote_id": links.get(key), "queued": key in queued})
        # A document deleted in Odoo whose link is left (its void or deletion in the ledger failed,
        # or predates the connector's handling of deletions): what the ledger still has of it is not
        # claimed by anyone. One whose void or deletion is queued is on its way: the outbox shows it.
        deleted = {links[key]: names[key] for key in links
                   if key[0] != "res.partner" and key not in existing and key not in queued}
        for remote_id in deleted:
            linked_ids[remote_id.lower()] -= 1
        return expected, {x for x, n in linked_ids.items() if n > 0}, deleted
