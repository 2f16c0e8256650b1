"""Xero's part of Xero → Odoo: fetch Invoices, CreditNotes and Payments from Xero and state them
in the core's neutral form (``psa_ledger.settlement``) with ``xero/settlement.py``; the core
(``ledger.inbound``) applies that state to Odoo — payments, allocations, voids, notes.

``xero.inbound`` is the safety-net poll (If-Modified-Since, a page of 100 per call) and the
entry point of a manual check or a drift fix: it sits above the core and the event queue, and
hands the documents someone changed meanwhile to the event queue (``_apply_later``). The
webhook path goes one way: controller → ``ledger.event`` → its worker → ``ledger.inbound``.
"""

import logging
import time
from datetime import timedelta

from odoo import api, fields, models

from ..dispatch import is_xero
from ..xero import settlement
from ..xero.errors import XeroError

_logger = logging.getLogger(__name__)

COLLECTION = {"invoice": "Invoices", "credit_note": "CreditNotes"}
BUSY_RETRY = timedelta(minutes=1)  # a poll that found its organisation busy looks again
POLL_OVERLAP = timedelta(minutes=2)  # re-read a little of the last window: clocks differ, applying is idempotent
FIRST_POLL_WINDOW = timedelta(days=1)
PAGE_SIZE = 100  # Xero's page of invoices / credit notes
POLL_SECONDS = 25  # no new page or unit after this (a cron worker's turn ends within limit_time_real)


def document_state(doc):
    """A Xero Invoice or CreditNote -> the core's neutral document state."""
    state = settlement.document_state(doc)
    state["voided"] = state["status"] == "VOIDED"
    return state


class LedgerInbound(models.AbstractModel):
    _inherit = "ledger.inbound"

    def _ledger_fetch_documents(self, tenant, kind, ids):
        if not is_xero(tenant):
            return super()._ledger_fetch_documents(tenant, kind, ids)
        collection = COLLECTION[kind]
        docs = []
        for chunk in settlement.chunks(ids, settlement.IDS_PER_CALL):
            # Invoices take IDs=; CreditNotes only a where filter
            params = {"IDs": ",".join(chunk)} if kind == "invoice" else {
                "where": settlement.guid_filter("CreditNoteID", chunk)}
            data, _headers = tenant._call("GET", collection, params=params, operation="fetch %s" % collection,
                                          context={"entity": collection})
            docs += (data or {}).get(collection) or []
        return [document_state(doc) for doc in docs]

    def _ledger_payment_accounts(self, tenant, payment_ids):
        """{PaymentID: bank account} for new payments, only when this organisation maps Xero bank
        accounts to journals (otherwise every payment goes to the default journal: no call)."""
        if not is_xero(tenant):
            return super()._ledger_payment_accounts(tenant, payment_ids)
        mapped = self.env["ledger.account"].sudo().search_count([("tenant_id", "=", tenant.id),
                                                                 ("journal_id", "!=", False)])
        if not payment_ids or not mapped:
            return {}
        accounts = {}
        for chunk in settlement.chunks(sorted(payment_ids), settlement.PAYMENTS_PER_CALL):
            data, _headers = tenant._call("GET", "Payments", operation="fetch Payments", context={"entity": "Payments"},
                                          params={"where": settlement.guid_filter("PaymentID", chunk)})
            for payment in (data or {}).get("Payments") or []:
                account = payment.get("Account") or {}
                accounts[(payment.get("PaymentID") or "").lower()] = {
                    "id": account.get("AccountID"), "code": account.get("Code")} if account else {}
        return accounts

    def _ledger_cancel_context(self, tenant):
        context = super()._ledger_cancel_context(tenant)
        if is_xero(tenant):
            context["xero_inbound"] = True  # what account.move / purchase.order read today
        return context


class XeroInbound(models.AbstractModel):
    _name = "xero.inbound"
    _inherit = "ledger.inbound"
    _description = "Xero → Odoo document state"

    def _apply_later(self, tenant, kind, remote_ids):
        """Documents someone changed while the poll (or a manual pull) applied them: handed to
        the event queue (the poll and the drift report sit above it; ``ledger.inbound`` never
        calls it)."""
        self.env["ledger.event"].sudo()._store_again(tenant, kind, remote_ids)

    # --- the safety net ---------------------------------------------------------------------------
    @api.model
    def _cron_poll(self, commit=True, max_seconds=POLL_SECONDS):
        """Ask each organisation for the invoices and credit notes modified since the last
        check (If-Modified-Since, a page of 100 per call) and apply them: what a lost or
        disabled webhook missed is caught up here. A month-end of payments the webhooks missed
        is applied in time-sized units, each committed (see ``_poll``); a poll that ran out of
        time wakes its job again, as the queues do."""
        deadline = time.monotonic() + max_seconds
        unfinished = busy = False
        tenants = self.env["ledger.tenant"].sudo().search([("state", "=", "connected"), ("company_id", "!=", False)])
        for tenant in tenants:
            if time.monotonic() >= deadline:
                unfinished = True
                break
            if not self._try_tenant_lock(tenant):
                busy = True  # a check, or event workers, serve it right now: looked at again soon
                continue
            try:
                unfinished |= not self._poll(tenant, deadline=deadline, commit=commit)
            except XeroError as exc:
                _logger.warning("Xero poll of %s failed: %s", tenant.name, exc)
                tenant.last_error = str(exc)
            except Exception:  # noqa: BLE001 - one organisation's failure must not stop the others'
                _logger.exception("Xero poll of %s failed unexpectedly", tenant.name)
                self.env.invalidate_all()
            if commit:
                # ends the transaction: the organisation's lock goes with it, and one organisation's
                # poll is kept whatever happens to the next
                self.env.cr.commit()  # pylint: disable=invalid-commit
        if commit and (unfinished or busy):
            # out of time: at once; an organisation busy (a month-end of events can hold it for
            # minutes): in a minute, not at once — the job would spin on its lock
            self.env.ref("psa_xero_connector.ir_cron_xero_poll").sudo()._trigger(
                None if unfinished else fields.Datetime.now() + BUSY_RETRY)

    def _poll(self, tenant, deadline=None, commit=False, applied=None, pace=None):
        """Apply what changed in Xero since the last check. The documents of each page go in
        units sized like the event worker's claims (what fits in its unit time at this poll's
        pace; ``pace``, seconds per document, to begin with), each in a savepoint and, under
        the cron, committed: a cron worker that outlasts limit_time_real is killed and its
        transaction lost, and a poll after a missed month-end may have hundreds of payments to
        register. Out of time: -> False, the
        window is kept and the next poll reads it again (what was applied is then in line and
        costs little). Done: -> True. ``applied`` (a list) receives the Xero ids of the
        documents it changed."""
        run = {"pace": pace}
        started = fields.Datetime.now()
        tenant._xero_read_lock_dates()  # a lock date moved in Xero is known before the next send
        since = tenant.poll_since or started - FIRST_POLL_WINDOW
        header = {"If-Modified-Since": since.strftime("%Y-%m-%dT%H:%M:%S")}
        for kind, collection in COLLECTION.items():
            page = 1
            while True:
                if deadline is not None and time.monotonic() >= deadline:
                    return False
                data, _headers = tenant._call("GET", collection, params={"page": page}, headers=header,
                                              operation="poll %s" % collection, context={"entity": collection})
                docs = (data or {}).get(collection) or []
                unit = self._claim_size(run["pace"])
                for start in range(0, len(docs), unit):
                    if start and deadline is not None and time.monotonic() >= deadline:
                        return False
                    if not self._poll_unit(tenant, kind, docs[start:start + unit], commit, applied, run):
                        return False
                if len(docs) < PAGE_SIZE:
                    break
                page += 1
        tenant.poll_since = started - POLL_OVERLAP
        return True

    def _poll_unit(self, tenant, kind, docs, commit, applied=None, run=None):
        """Apply ``docs`` in a savepoint; under the cron, commit and take the organisation's
        lock again (the commit released it); the unit's pace goes to ``run["pace"]``. Documents
        changed meanwhile by someone else go to the event queue (``_apply_later``); those
        applied are added to ``applied``.
        -> False when another worker took the lock meanwhile."""
        began = time.monotonic()
        try:
            with self.env.cr.savepoint():
                results = self._apply_documents(tenant, [document_state(doc) for doc in docs])
                self._apply_later(tenant, kind, [x for x, (state, _m, _r) in results.items() if state == "retry"])
                if applied is not None:
                    applied += [remote_id for remote_id, (state, message, move) in results.items()
                                if state == "done" and message != self._in_line(tenant, move)]
        except Exception:  # noqa: BLE001 - a failure of one unit must not stop the others' poll
            _logger.exception("Xero poll of %s failed unexpectedly", tenant.name)
            self.env.invalidate_all()
        if run is not None:
            run["pace"] = self._pace(len(docs), time.monotonic() - began, run.get("pace"))
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
            return self._try_tenant_lock(tenant)
        return True
