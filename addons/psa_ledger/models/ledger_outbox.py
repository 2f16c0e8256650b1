"""The outbox: how "real time" is done without ever calling the ledger inside the user's
transaction, and how each document reaches the ledger exactly once.

Saving a record writes a row here in the same transaction (record × tenant × operation) and
triggers the worker cron. The worker (see ``ledger.queue``) serves the organisations in turn:

1. **Build**: it claims due rows (``FOR UPDATE SKIP LOCKED``), reads each document as it is
   *now* (one cancelled or reset to draft meanwhile is not created in the ledger), and builds
   the payloads with the ledger's pure mapping (``_ledger_element``). A row whose contact (or,
   for a credit note, whose invoice) is not in the ledger yet *waits* for that row, and is not
   claimed again until it is done.
2. **Fix**: up to 50 elements become a ``ledger.outbox.batch`` with its exact body and its
   idempotency key, committed before anything is sent.
3. **Send**: the batch, as fixed (``_ledger_send_batch``, the ledger's adapter: it alone knows
   the HTTP paths and the shapes of the answers); each element's neutral result goes back to
   its row (a link to the remote ID, or the ledger's exact messages on the row, the request log
   and the record). A send whose outcome is unknown (timeout, lost answer, a worker killed)
   leaves the batch pending: it is resent identically, and the ledger replays its answer. A
   resend refused as "already exists" finds the record in the ledger and links it.

Nothing is dropped: a row is done, waiting, cancelled (with the reason), or in error with its
reason on screen and a Retry.

A document deleted in Odoo after it reached the ledger gets a "delete" row (see
``account.move.unlink``): its record is gone, so the row keeps the record's name, and the link
(kept, keyed by the deleted record's id) gives the remote ID and last known status.

What a ledger provides (hooks ``_ledger_*``, overridden guarded by ``tenant.code``): the element
of a record, of a void and of a deletion; how elements split into batches; the send and its
neutral per-row results; the look-up of a record the ledger already has; what follows a link
(notes, allocations) and a batch (pacing, History); its concurrency and idempotency window.
A neutral result is a dict: ``refused`` (bool), ``messages`` (the ledger's own sentences),
``values`` (the link's fields: remote_id, remote_name, remote_code, remote_status) and ``raw``
(the ledger's element, for the ledger's own hooks).
"""

import json
import logging

from odoo import api, fields, models

from ..access import MANAGER, check_caller
from ..const import DOCUMENT_ENTITIES, DUE, ENTITIES, PENDING, REUSABLE
from ..errors import (
    LedgerAuthError,
    LedgerError,
    LedgerMappingError,
    LedgerRateLimited,
    LedgerTransientError,
)
from ..utils import referenced_record

_logger = logging.getLogger(__name__)

BATCH_SIZE = 50
SLOT_LOCK = 0x58455230  # advisory-lock namespace of the per-tenant worker slots (value kept across versions)


class LedgerOutbox(models.Model):
    _name = "ledger.outbox"
    _inherit = ["ledger.queue"]
    _description = "Ledger outbox (records waiting to be sent)"
    _order = "id"
    # two crons: Odoo never runs one cron job twice at once, and a backlog of several
    # organisations is worth two cron threads (or hosts)
    _queue_crons = ("psa_ledger.ir_cron_ledger_outbox", "psa_ledger.ir_cron_ledger_outbox_2")
    _queue_due_states = ("queued", "sending", "retry")
    _queue_max_attempts = 8
    _queue_backoff_base = 1

    tenant_id = fields.Many2one("ledger.tenant", string="Organisation", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="tenant_id.company_id", store=True, index=True)
    res_model = fields.Char(required=True, index=True)
    res_id = fields.Many2oneReference(model_field="res_model", required=True, index=True)
    entity = fields.Selection(ENTITIES, required=True)
    operation = fields.Selection([("upsert", "Create or update"), ("void", "Void"),
                                  ("delete", "Void or delete (deleted in Odoo)")], default="upsert", required=True)
    record_label = fields.Char(string="Record (as queued)", readonly=True,
                               help="The record's name when it was queued: shown once the record is deleted")
    state = fields.Selection([("queued", "Queued"), ("waiting", "Waiting for another record"),
                              ("sending", "Sending"), ("retry", "Waiting to retry"), ("done", "Synced"),
                              ("error", "Error"), ("cancelled", "Not sent")],
                             default="queued", required=True, index=True)
    batch_id = fields.Many2one("ledger.outbox.batch", ondelete="set null", index=True, readonly=True,
                               help="The request this row is (or was last) sent in, fixed before it left")
    batch_seq = fields.Integer(readonly=True, help="Position of the row's element in its batch")
    batch_key = fields.Char(related="batch_id.idempotency_key", string="Idempotency-Key")
    depends_on_id = fields.Many2one("ledger.outbox", string="Waits for", ondelete="set null", index=True, readonly=True,
                                    help="The row (a contact, the invoice a credit note reverses, the document to "
                                         "void) that must reach the ledger first")
    remote_messages = fields.Text(string="Ledger's messages", readonly=True)
    last_error = fields.Text(string="Reason", readonly=True)
    record_name = fields.Char(compute="_compute_record_name")
    user_id = fields.Many2one("res.users", string="Queued by", readonly=True, default=lambda self: self.env.uid,
                              help="Whose save queued the row: they get the success popup and are named in "
                                   "the note the ledger keeps, if any")

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for row in self:
            record = referenced_record(self.env, row.res_model, row.res_id)
            row.record_name = record.display_name if record else row.record_label

    # --- the ledger's adapter (each ledger's addon overrides these, guarded by tenant.code) -------------
    def _ledger_name(self, tenant=None):
        """The ledger's name as users know it (the label of its code), for messages."""
        tenant = tenant or self.tenant_id[:1]
        field = tenant._fields.get("code")
        labels = dict(field._description_selection(self.env)) if field else {}
        return labels.get(tenant.code) if field and tenant.code in labels else self.env._("the ledger")

    def _ledger_element(self, tenant, record, link, resync=False):
        """The element this row's record (a contact, an item or a document to create or
        update) is sent as now; ``link``: its link (empty if not in the ledger yet); ``resync``:
        for comparing with what was last sent. May raise LedgerMappingError (what to fix)."""
        raise NotImplementedError("No ledger adapter builds %s for %s" % (self.entity, tenant.display_name))

    def _ledger_not_sendable(self, record):
        """Why a document must not be created or updated in the ledger as it is now (False if it may)."""
        return False

    def _ledger_void_element(self, tenant, link):
        """The element voiding (or deleting) the linked document; may settle the row instead
        (then -> None), e.g. when the ledger has it voided already."""
        raise NotImplementedError("No ledger adapter voids %s for %s" % (self.entity, tenant.display_name))

    def _ledger_is_update(self, element):
        """Does ``element`` update a record the ledger has (it carries its remote ID)?"""
        raise NotImplementedError

    def _ledger_batch_plan(self, tenant, entity, is_update):
        """-> (collection, method) of a batch of ``entity`` elements (creations or updates)."""
        raise NotImplementedError

    def _ledger_comparable(self, element):
        """``element`` as a text comparable with another send's (without what only an update carries)."""
        return json.dumps(element, sort_keys=True, default=str)

    def _ledger_send_batch(self, tenant, batch):
        """Send ``batch`` (self: its rows) exactly as fixed, with its idempotency key. -> (results,
        answer): one neutral result per element of the batch, in order (see the module's doc),
        and what the ledger's hooks need of the answer (``_ledger_after_batch``). Raises the
        core's error kinds (psa_ledger.errors)."""
        raise NotImplementedError("No ledger adapter sends to %s" % tenant.display_name)

    def _ledger_result(self, raw):
        """The neutral result of the ledger's element ``raw`` (see the module's doc)."""
        raise NotImplementedError

    def _ledger_find_existing(self, tenant, element, messages=None):
        """The ledger's record that ``element`` created, looked up by its unique value, as a
        neutral result (None when not found). ``messages``: the ledger's refusal of a resend —
        looked up only if they say the value is taken."""
        return None

    def _ledger_after_link(self, tenant, record, element, result):
        """A row was linked from ``result``: what the ledger does next for ``record`` (notes, allocations)."""

    def _ledger_needs_follow_up(self):
        """Is applying this row's result more than writing its link (see ``_ledger_after_link``)?"""
        return False

    def _ledger_total_mismatch(self, result, record):
        """The sentence naming the ledger's and Odoo's totals of ``record`` when they differ, else None."""
        return None

    def _ledger_after_batch(self, tenant, batch, answer, run):
        """After a batch was answered: the ledger's extras (notes, pacing on its counters)."""

    def _ledger_batch_stale(self, batch):
        """Is ``batch`` older than the ledger remembers idempotency keys (resending it blindly
        could create its records again)?"""
        return False

    def _ledger_max_concurrent(self, tenant):
        """How many calls the ledger allows at once for one organisation."""
        return 1

    # --- enqueue (in the user's transaction) -------------------------------------------------------
    @api.model
    def _enqueue(self, records, tenant, entity, operation="upsert"):
        """One pending row per record × tenant × operation: repeated edits coalesce. A row
        already fixed in a batch is left alone (its request may be in flight): the edit gets
        a row of its own, sent after it."""
        if not records:
            return self.browse()
        pending = self.search([("tenant_id", "=", tenant.id), ("res_model", "=", records._name),
                               ("res_id", "in", records.ids), ("operation", "=", operation),
                               ("state", "in", REUSABLE), ("batch_id", "=", False)])
        by_id = {row.res_id: row for row in pending}
        pending.write({"state": "queued", "next_try": fields.Datetime.now(), "attempts": 0, "last_error": False,
                       "remote_messages": False, "user_id": self.env.uid})  # an edit retries an error too
        rows = pending | self.create([{"tenant_id": tenant.id, "res_model": records._name, "res_id": rid,
                                       "entity": entity, "operation": operation}
                                      for rid in records.ids if rid not in by_id])
        rows._queue_trigger()
        return rows

    @api.model
    def _enqueue_deletion(self, tenant, entity, res_model, labels):
        """Documents deleted in Odoo (``labels``: {id: name}) that are, or may be, in ``tenant``'s
        ledger: one "delete" row each, carrying the name (the record is gone; its link gives the
        remote ID). Called after the deletion, in its transaction: nothing is lost if it fails."""
        rows = self.create([{"tenant_id": tenant.id, "res_model": res_model, "res_id": res_id, "entity": entity,
                             "operation": "delete", "record_label": label} for res_id, label in labels.items()])
        rows._queue_trigger()
        return rows

    @api.model
    def _settle_deleted(self, res_model, ids):
        """Rows of deleted records that have not left (no batch): not sent, saying why. A row in
        a batch is left alone: its request may have reached the ledger, and its answer links the
        record for the "delete" row waiting for it."""
        rows = self.search([("res_model", "=", res_model), ("res_id", "in", list(ids)), ("batch_id", "=", False),
                            ("operation", "!=", "delete"), ("state", "in", ("queued", "waiting", "retry", "error"))])
        for row in rows:
            row._settle("cancelled", self.env._("Deleted in Odoo before it left for %(ledger)s.",
                                                ledger=row._ledger_name()))

    @api.model
    def _resync(self, record, tenant, entity):
        """Re-sync of one record for one organisation -> "pending" (a row already waits),
        "unchanged" (what would be sent now is what the ledger last accepted: nothing is queued)
        or "queued"."""
        if self.search_count([("tenant_id", "=", tenant.id), ("res_model", "=", record._name),
                              ("res_id", "=", record.id), ("operation", "=", "upsert"),
                              ("state", "in", PENDING)], limit=1):
            return "pending"
        link = self.env["ledger.link"].sudo()._link_of(tenant, record)
        last = link and self.search([("tenant_id", "=", tenant.id), ("res_model", "=", record._name),
                                     ("res_id", "=", record.id), ("operation", "=", "upsert"),
                                     ("state", "=", "done"), ("batch_id", "!=", False)], order="id desc", limit=1)
        if last and not self.search_count([("tenant_id", "=", tenant.id), ("res_model", "=", record._name),
                                            ("res_id", "=", record.id), ("state", "=", "error"),
                                            ("id", ">", last.id)], limit=1):
            sent = last.batch_id._elements()[last.batch_seq]
            try:
                now = last._ledger_element(tenant, record, link, resync=True)
            except LedgerMappingError:
                now = None  # queued: the row shows what to fix
            if now is not None and last._ledger_comparable(now) == last._ledger_comparable(sent):
                return "unchanged"
        self._enqueue(record, tenant, entity)
        return "queued"

    @api.model
    def _wake_tenants(self, tenants):
        """Organisations connected again: what waited for them is due now."""
        rows = self.search([("tenant_id", "in", tenants.ids), ("state", "in", ("queued", "sending", "retry"))])
        rows.write({"next_try": fields.Datetime.now()})
        rows._queue_trigger()

    # --- the worker ----------------------------------------------------------------------------------
    @api.model
    def _cron_process(self, limit_batches=20, commit=True):
        """Send what is due, organisations in turn. -> units of work done (batches sent and
        rows settled without a request)."""
        return self._queue_run(commit=commit, max_units=limit_batches)

    def _queue_work(self, tenant, commit, run):
        if tenant.id in run["resting"] or self._take_slot(tenant) is None:
            return 0  # as many workers as the ledger allows concurrent calls already serve it
        batch = self.env["ledger.outbox.batch"]._claim_due(tenant)
        settled = 0
        formed_now = not batch
        if formed_now:
            rows = self._claim(tenant)
            if not rows:
                return 0
            batches = self.env["ledger.outbox.batch"]
            with self._queue_guard(rows, "building a batch for %s" % tenant.name):
                batches = rows._build_batches(tenant)
            # units: rows settled without a request, and requests sent (the cron's batch budget)
            settled = len(rows - batches.row_ids)
            if not batches:
                return settled
            batch = batches[:1]
            if commit:
                # the batch is fixed (body and key) before it is sent: a crash resends it as it is
                self.env.cr.commit()  # pylint: disable=invalid-commit
                if self._take_slot(tenant) is None:
                    return settled or 1  # fixed, for another worker to send
                batch = batch._lock()
                if not batch:
                    return settled or 1
        rows = batch._rows()
        stale = rows[:1]._ledger_batch_stale(batch)
        with self._queue_guard(rows, "sending %s to %s" % (batch.collection, tenant.name)):
            if stale:
                rows._look_up_stale_batch(tenant, batch)
            else:
                rows._send_batch(tenant, batch, formed_now, run)
        return settled + 1

    def _take_slot(self, tenant):
        """One of the ledger's per-organisation locks, held until this unit's transaction ends.
        A worker makes one call at a time, so at most that many workers — that many concurrent
        calls — serve an organisation (the ledger's limit)."""
        for slot in range(min(8, self._ledger_max_concurrent(tenant))):
            self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [SLOT_LOCK, tenant.id * 8 + slot])
            if self.env.cr.fetchone()[0]:
                return slot
        return None

    @api.model
    def _claim(self, tenant):
        """Lock the next rows of one entity for this worker (others skip locked rows):
        contacts and items before the documents that need them."""
        self.flush_model()
        self.env.cr.execute("""
            SELECT id, entity FROM ledger_outbox
             WHERE tenant_id = %s AND state IN %s AND batch_id IS NULL AND next_try <= %s
             ORDER BY CASE entity WHEN 'contact' THEN 0 WHEN 'item' THEN 1 WHEN 'invoice' THEN 2 ELSE 3 END, id
             LIMIT %s FOR UPDATE SKIP LOCKED""", [tenant.id, DUE, fields.Datetime.now(), BATCH_SIZE * 4])
        found = self.env.cr.fetchall()
        if not found:
            return self.browse()
        entity = found[0][1]
        return self.browse([r[0] for r in found if r[1] == entity][:BATCH_SIZE])

    # --- 1. build, 2. fix -------------------------------------------------------------------------------
    def _build_batches(self, tenant):
        """Settle the rows that cannot go (error, waiting, not sent) and fix the others into
        a batch of creations and a batch of updates. -> the batches."""
        creates, updates = [], []
        for row, payload in self._build_payloads(tenant):
            (updates if row._ledger_is_update(payload) else creates).append((row, payload))
        Batch = self.env["ledger.outbox.batch"]
        batches = Batch
        entity = self[:1].entity
        for is_update, pairs in ((False, creates), (True, updates)):
            if pairs:
                collection, method = self[:1]._ledger_batch_plan(tenant, entity, is_update)
                batches |= Batch._fix(tenant, entity, collection, method,
                                      [r for r, _p in pairs], [p for _r, p in pairs])
        return batches

    def _build_payloads(self, tenant):
        """-> [(row, payload)] of the rows that can go now. Links, the records and the earlier
        sends still in doubt are read once for all the rows. The rows are built together in one
        savepoint; only if something unexpected breaks are they built again one savepoint each,
        so that the row at fault fails alone."""
        cache = {}
        rows = self._drop_superseded().with_context(ledger_link_cache=cache)
        records = {}
        Link = self.env["ledger.link"].sudo()
        # a row of an uninstalled model fails alone
        for model in set(rows.mapped("res_model")) & set(self.env.registry):
            ids = [r.res_id for r in rows if r.res_model == model]
            found = rows.env[model].browse(ids).exists()
            records.update({(model, rec.id): rec for rec in found})
            # the links of this batch's records (and their contacts), not all of the organisation's
            Link._seed_link_cache(cache, tenant, model, found.ids)
            if "partner_id" in found._fields and model != "res.partner":
                Link._seed_link_cache(cache, tenant, "res.partner", found.partner_id.commercial_partner_id.ids)
        in_doubt = rows._in_doubt_rows(tenant)

        def build(row):
            try:
                return row._payload(tenant, records.get((row.res_model, row.res_id)), in_doubt)
            except LedgerMappingError as exc:
                row._fail(str(exc), [str(exc)])
                return None
        try:
            with self.env.cr.savepoint():
                built = [(row, build(row)) for row in rows]
        except Exception:  # noqa: BLE001 - find the row at fault, below
            self.env.invalidate_all()
            built = []
            for row in rows:
                payload = None
                # what the batch's cache holds may come from a savepoint rolled back: read again
                cache.clear()
                with self._queue_guard(row, "building %s #%s" % (row.res_model, row.res_id)):
                    payload = build(row)
                built.append((row, payload))
        return [(row, payload) for row, payload in built if payload is not None]

    def _in_doubt_rows(self, tenant):
        """{(model, id): [rows whose creation request is in doubt, newest first]} for these rows' records."""
        found = {}
        for row in self.search([("tenant_id", "=", tenant.id), ("res_model", "in", list(set(self.mapped("res_model")))),
                                ("res_id", "in", self.mapped("res_id")),
                                ("operation", "=", "upsert"), ("batch_id", "!=", False),
                                ("state", "in", ("sending", "retry", "error"))], order="id desc"):
            found.setdefault((row.res_model, row.res_id), []).append(row)
        return found

    def _drop_superseded(self):
        """Two rows of one record and operation in one claim (a worker queued a contact while a
        user's save did too): the newest goes, the others are settled. -> the rows to build."""
        newest = {}
        for row in self.sorted("id"):
            newest[(row.res_model, row.res_id, row.operation)] = row
        keep = self.browse([r.id for r in newest.values()])
        for row in self - keep:
            replacement = newest[(row.res_model, row.res_id, row.operation)]
            self.search([("depends_on_id", "=", row.id)]).write({"depends_on_id": replacement.id})
            row._settle("cancelled", self.env._("Replaced by a newer row of the same record (#%s).", replacement.id))
        return keep

    def _queue_sweep(self):
        """Rows left waiting for a row that has meanwhile been answered (two workers: one
        answered it while the other was parking the row, neither saw the other's change)."""
        self.flush_model(["state", "depends_on_id"])
        self.env.cr.execute("""SELECT DISTINCT d.id FROM ledger_outbox w JOIN ledger_outbox d ON d.id = w.depends_on_id
                                WHERE w.state = 'waiting' AND d.state IN ('done', 'error', 'cancelled')""")
        answered = self.browse([r[0] for r in self.env.cr.fetchall()])
        if answered:
            answered._release_dependents()

    def _payload(self, tenant, record=None, in_doubt=None):
        """The ledger's element for this row as its record is *now*, or None when the row was
        settled otherwise (waiting for a dependency, or not to be sent). ``in_doubt``: see
        ``_in_doubt_rows`` (read here when not given)."""
        if self.operation == "delete":
            return self._delete_payload(tenant)
        record = record if record is not None else self.env[self.res_model].browse(self.res_id).exists()
        if not record:
            raise LedgerMappingError(self.env._("The record no longer exists."))
        link = self.env["ledger.link"].sudo()._link_of(tenant, record)
        if not link and self.operation == "upsert":
            if in_doubt is None:
                in_doubt = self._in_doubt_rows(tenant)
            earlier = next((r for r in in_doubt.get((self.res_model, self.res_id), ()) if r.id < self.id), None)
            if earlier:  # that creation may be in the ledger already: this one becomes its update
                return self._wait_for(earlier, self.env._("its earlier send to %(ledger)s",
                                                          ledger=self._ledger_name(tenant)))
        if self.entity not in DOCUMENT_ENTITIES:
            return self._ledger_element(tenant, record, link)
        if self.operation == "void":
            return self._void_payload(tenant, record, link)
        why_not = self._ledger_not_sendable(record)
        if why_not:
            return self._settle("cancelled", why_not)
        partner = record.partner_id.commercial_partner_id
        if not self.env["ledger.link"].sudo()._link_of(tenant, partner):
            contact_row = self.search([("tenant_id", "=", tenant.id), ("res_model", "=", "res.partner"),
                                       ("res_id", "=", partner.id), ("operation", "=", "upsert"),
                                       ("state", "!=", "done")], order="id desc", limit=1)
            if not contact_row or contact_row.state == "cancelled":
                contact_row = self._enqueue(partner, tenant, "contact")  # contacts are claimed before documents
            return self._wait_for(contact_row, self.env._("its contact %s", partner.display_name))
        if self.entity == "credit_note" and record.reversed_entry_id \
                and not self.env["ledger.link"].sudo()._link_of(tenant, record.reversed_entry_id):
            invoice_row = self.search([("tenant_id", "=", tenant.id), ("res_model", "=", "account.move"),
                                       ("res_id", "=", record.reversed_entry_id.id), ("operation", "=", "upsert"),
                                       ("state", "in", PENDING)], limit=1)
            if invoice_row:  # allocated to the invoice it reverses once both are in the ledger
                return self._wait_for(invoice_row, self.env._("the invoice it reverses, %s",
                                                              record.reversed_entry_id.name))
        return self._ledger_element(tenant, record, link)

    def _void_payload(self, tenant, record, link):
        if record.state != "cancel":
            return self._settle("cancelled", self.env._("Confirmed again in Odoo before the void left: not voided."))
        return self._void_linked(tenant, record, link)

    def _delete_payload(self, tenant):
        """A document deleted in Odoo: voided (or deleted) in the ledger, by the ledger's rules.
        Its link (kept, by the deleted record's id) names it."""
        gone = self.env[self.res_model].browse(self.res_id)  # not read: only its id is used
        return self._void_linked(tenant, gone, self.env["ledger.link"].sudo()._link_of(tenant, gone))

    def _void_linked(self, tenant, record, link):
        """The element voiding ``record`` through its link. Not linked: its creation may be reaching
        the ledger right now (void it once we know), or it never did (nothing to void)."""
        if not link:
            upsert = self._in_doubt(tenant, record)
            if upsert:
                return self._wait_for(upsert, self.env._("its creation in %(ledger)s",
                                                         ledger=self._ledger_name(tenant)))
            return self._settle("cancelled", self.env._("Never reached %(ledger)s: nothing to void there.",
                                                        ledger=self._ledger_name(tenant)))
        return self._ledger_void_element(tenant, link)

    @api.model
    def _in_doubt(self, tenant, record):
        """The latest row of ``record`` whose creation request left (or may have left) for the
        ledger without a known answer: its batch is in flight, waits to be resent, or gave up.
        -> ledger.outbox (empty if none)"""
        return self.search([("tenant_id", "=", tenant.id), ("res_model", "=", record._name), ("res_id", "=", record.id),
                            ("operation", "=", "upsert"), ("batch_id", "!=", False),
                            ("state", "in", ("sending", "retry", "error"))], order="id desc", limit=1)

    def _settle(self, state, reason):
        self.write({"state": state, "last_error": reason, "batch_id": False})
        if state == "cancelled":
            self._release_dependents()
        return None

    def _wait_for(self, row, what):
        """Park this row until ``row`` is answered: it is not claimed meanwhile."""
        ledger = self._ledger_name()
        if row.state == "error":
            self._fail(self.env._("Waits for %(what)s, which %(ledger)s did not accept: %(error)s",
                                  what=what, ledger=ledger, error=row.last_error), [], depends_on=row)
            return None
        self.write({"state": "waiting", "depends_on_id": row.id,
                    "last_error": self.env._("Waits for %(what)s to reach %(ledger)s.", what=what, ledger=ledger)})
        return None

    # --- 3. send ---------------------------------------------------------------------------------------
    def _send_batch(self, tenant, batch, formed_now, run):
        """Send ``batch`` (self: its rows, in order) exactly as fixed."""
        rows = self
        batch.sends += 1
        try:
            results, answer = rows._ledger_send_batch(tenant, batch)
        except LedgerRateLimited as exc:
            run["resting"].add(tenant.id)
            rows._queue_rate_limited(tenant, exc)
            if formed_now and batch.sends == 1:
                # the ledger applied nothing and never saw this batch before: build it again
                # later, from the documents as they will be then.
                rows.write({"batch_id": False})
                batch.unlink()
            return
        except LedgerTransientError as exc:
            rows._queue_postpone(str(exc))  # same batch, same key next time
            return
        except LedgerAuthError as exc:
            # not the rows' fault; an organisation that needs reconnecting is not served until it is
            rows._queue_postpone(str(exc), retry_after=300, count=False)
            return
        except LedgerError as exc:  # the request as a whole was refused: the ledger applied none of it
            batch.write({"state": "done", "last_error": str(exc)})
            for row in rows:
                row._fail(str(exc), getattr(exc, "messages", []))
            return
        batch.write({"state": "done", "last_error": False})
        elements = batch._elements()
        applied = rows._apply_accepted(tenant, results, elements)
        for row in rows - applied:
            try:
                with self.env.cr.savepoint():
                    if row.batch_seq < len(results):
                        row._apply_result(tenant, results[row.batch_seq], elements[row.batch_seq],
                                          resend=batch.sends > 1)
                    else:
                        row._fail(self.env._("%(ledger)s's answer did not include this record.",
                                             ledger=row._ledger_name(tenant)), [])
            except Exception as exc:  # noqa: BLE001 - e.g. a rate limit on a look-up: this row only
                _logger.warning("Ledger: applying the answer for %s failed: %s", row.record_name, exc, exc_info=True)
                self.env.invalidate_all()
                # the ledger has the answer: the batch is resent with its key and replayed for this row
                batch.state = "pending"
                row._queue_postpone_safely("%s: %s" % (type(exc).__name__, exc))
        # voids and deletions: no popup, no note (nor for a record deleted on its way)
        sent = rows.filtered(lambda r: r.state == "done" and r.operation == "upsert"
                             and referenced_record(self.env, r.res_model, r.res_id))
        # after the ledger applied the batch: whatever happens to a popup or a note must not undo
        # the rows' done state and links (the batch would be sent again)
        try:
            with self.env.cr.savepoint():
                sent._notify_sent(tenant)
        except Exception:  # noqa: BLE001 - logged; the sync itself is done
            _logger.exception("Ledger: the popup after a batch of %s failed", tenant.name)
        sent._ledger_after_batch(tenant, batch, answer, run)

    def _look_up_stale_batch(self, tenant, batch):
        """A creation batch older than the ledger's idempotency window may have reached it, and
        the ledger no longer remembers its key: resending it could create its records again.
        Each record is looked up instead — found: linked; not found: built again as a new batch."""
        elements = batch._elements()
        ledger = self._ledger_name(tenant)
        for row in self:
            element = elements[row.batch_seq]
            found = row._ledger_find_existing(tenant, element)
            if found:
                row._apply_result(tenant, found, element, note=self.env._(
                    "Found in %(ledger)s after its idempotency window (an earlier attempt reached %(ledger)s): "
                    "linked to it.", ledger=ledger))
            else:
                row.write({"state": "retry", "batch_id": False, "next_try": fields.Datetime.now()})
        batch.write({"state": "done", "last_error": self.env._(
            "Older than %(ledger)s's idempotency window: its records were looked up in %(ledger)s instead of "
            "resending it.", ledger=ledger)})

    def _apply_accepted(self, tenant, results, elements):
        """Apply, all together, the results the ledger accepted as they are (the common case):
        links read in one query, created in one ``create``, rows and links written without a
        flush in between (one multi-row UPDATE each), dependents released once. What needs more
        (an element refused or missing, a follow-up such as an allocation, a record cancelled
        meanwhile) is left to ``_apply_result``, row by row; if anything breaks, all of them are.
        -> the rows applied."""
        plain = self.browse()
        ids_by_model = {}  # Odoo's totals of the batch's documents, read in one query per model
        for row in self:
            ids_by_model.setdefault(row.res_model, []).append(row.res_id)
        docs = {model: self.env[model].browse(ids).exists() for model, ids in ids_by_model.items()}
        for row in self:
            result = results[row.batch_seq] if row.batch_seq < len(results) else None
            if result is None or result["refused"] or not result["values"].get("remote_id") \
                    or row._ledger_needs_follow_up() \
                    or row._total_mismatch(result, docs[row.res_model].filtered(
                        lambda rec, res_id=row.res_id: rec.id == res_id)):
                continue
            plain |= row
        if not plain:
            return plain
        Link = self.env["ledger.link"].sudo()
        try:
            with self.env.cr.savepoint():
                records, links = {}, {}
                for model in set(plain.mapped("res_model")):
                    ids = [r.res_id for r in plain if r.res_model == model]
                    records.update({(model, rec.id): rec for rec in self.env[model].browse(ids).exists()})
                    links.update({(model, link.res_id): link for link in Link.search([
                        ("tenant_id", "=", tenant.id), ("res_model", "=", model), ("res_id", "in", ids)])})
                applied, creates = self.browse(), []
                for row in plain:
                    record = records.get((row.res_model, row.res_id))
                    if row.operation == "upsert" and row.entity in DOCUMENT_ENTITIES \
                            and (not record or record.state == "cancel"):
                        continue  # cancelled or deleted on its way: see _apply_result
                    values = results[row.batch_seq]["values"]
                    link = links.get((row.res_model, row.res_id))
                    if link:
                        link.write(values)
                    else:
                        creates.append(dict(values, tenant_id=tenant.id, res_model=row.res_model, res_id=row.res_id))
                    applied |= row
                if creates:
                    Link.create(creates)
                applied.write({"state": "done", "last_error": False, "remote_messages": False})
                for row in applied:
                    row._ledger_after_link(tenant, records[(row.res_model, row.res_id)], elements[row.batch_seq],
                                           results[row.batch_seq])
                applied._release_dependents()
        except Exception:  # noqa: BLE001 - row by row instead, where the row at fault fails alone
            _logger.warning("Ledger: applying %s's answer as a whole failed; row by row", tenant.name, exc_info=True)
            self.env.invalidate_all()
            return self.browse()
        return applied

    def _apply_result(self, tenant, result, element, resend=False, note=False):
        """Link the row's record to the ledger's record of the neutral ``result`` (or fail it
        with the ledger's messages); ``note``: a sentence the row keeps about how it was linked."""
        self.ensure_one()
        ledger = self._ledger_name(tenant)
        if result["refused"]:
            messages = result["messages"]
            found = resend and self._ledger_find_existing(tenant, element, messages)
            if not found:
                self._fail("; ".join(messages) or self.env._("%(ledger)s refused the record.", ledger=ledger),
                           messages)
                return
            # An earlier send of this batch reached the ledger: the record is ours.
            result = found
            note = self.env._("%(ledger)s already had it (an earlier attempt reached %(ledger)s): linked to it.",
                              ledger=ledger)
        Link = self.env["ledger.link"].sudo()
        # a document deleted in Odoo on its way is linked all the same: its "delete" row, waiting
        # for this one, voids it in the ledger with that link
        record = self.env[self.res_model].browse(self.res_id).exists()
        link = Link._link_of(tenant, self.env[self.res_model].browse(self.res_id))
        values = result["values"]
        if link:
            link.write(values)
        else:
            Link.create(dict(values, tenant_id=tenant.id, res_model=self.res_model, res_id=self.res_id))
        self.write({"state": "done", "last_error": note, "remote_messages": False})
        self._release_dependents()
        if not record:
            return
        if self.operation == "upsert" and self.entity in DOCUMENT_ENTITIES \
                and record.state == "cancel" and not self.search_count([
                    ("tenant_id", "=", tenant.id), ("res_model", "=", self.res_model), ("res_id", "=", self.res_id),
                    ("operation", "=", "void"), ("state", "in", PENDING)]):
            # cancelled in Odoo while it was on its way: void it there too
            self._enqueue(record, tenant, self.entity, "void")
        self._ledger_after_link(tenant, record, element, result)
        mismatch = self._total_mismatch(result)
        if mismatch:
            # in the ledger and linked (a Retry updates it), but never a silent cent: the document says so
            self._fail(mismatch, [])

    def _total_mismatch(self, result, record=None):
        """For a document's upsert: the sentence naming the ledger's and Odoo's totals when they
        differ (the rounding line sent with it should have made them equal), else None."""
        if self.operation != "upsert" or self.entity not in DOCUMENT_ENTITIES:
            return None
        if record is None:
            record = self.env[self.res_model].browse(self.res_id).exists()
        mismatch = self._ledger_total_mismatch(result, record) if record else None
        if mismatch and self.search_count([("tenant_id", "=", self.tenant_id.id), ("res_model", "=", self.res_model),
                                           ("res_id", "=", self.res_id), ("operation", "=", "upsert"),
                                           ("state", "in", PENDING), ("id", ">", self.id)], limit=1):
            # edited since this body was built (e.g. while its creation was in doubt): the row that
            # carries the edit is checked when the ledger answers it
            return None
        return mismatch

    # --- after a batch: the popup for whoever saved --------------------------------------------------
    def _notify_sent(self, tenant):
        """One popup per user for the rows of one request: "12 invoices synced to <ledger>"."""
        if not tenant.notify_success:
            return
        by_user = {}
        audience = tenant._ledger_audience(self.user_id)  # never another company's users
        for row in self:
            user = row.user_id
            if user in audience and not user._is_superuser():
                by_user.setdefault(user, []).append(row)
        ledger = self._ledger_name(tenant)
        for user, rows in by_user.items():
            counts = {}
            for row in rows:
                kind = row._kind_key()
                counts[kind] = counts.get(kind, 0) + 1
            what = ", ".join(self._count_label(kind, n) for kind, n in sorted(counts.items()))
            user.partner_id._bus_send("simple_notification", {
                "title": ledger, "type": "success",
                "message": self.env._("%(what)s synced to %(ledger)s (%(org)s)", what=what, ledger=ledger,
                                      org=tenant.name)})

    def _kind_key(self):
        if self.entity == "invoice" and self.res_model == "account.move":
            move = self.env["account.move"].browse(self.res_id)
            return "bill" if move.move_type == "in_invoice" else "invoice"
        return self.entity

    def _count_label(self, kind, n):
        env = self.env
        labels = {"contact": (env._("1 contact"), env._("%s contacts")), "item": (env._("1 item"), env._("%s items")),
                  "invoice": (env._("1 invoice"), env._("%s invoices")), "bill": (env._("1 bill"), env._("%s bills")),
                  "credit_note": (env._("1 credit note"), env._("%s credit notes")),
                  "purchase_order": (env._("1 purchase order"), env._("%s purchase orders"))}
        one, many = labels[kind]
        return one if n == 1 else many % n

    # --- outcomes --------------------------------------------------------------------------------------
    def _release_dependents(self):
        """Rows that waited for these: due now if these reached the ledger; otherwise they say why."""
        waiting = self.search([("depends_on_id", "in", self.ids), ("state", "in", ("waiting", "error"))])
        for row in waiting:
            dependency = row.depends_on_id
            if dependency.state == "done":
                row.write({"state": "queued", "next_try": fields.Datetime.now(), "attempts": 0,
                           "last_error": False, "remote_messages": False})
            elif dependency.state == "cancelled" and row.operation in ("void", "delete"):
                row._settle("cancelled", self.env._("Never reached %(ledger)s: nothing to void there.",
                                                    ledger=row._ledger_name()))
            elif row.state == "waiting":
                row._fail(self.env._("Waits for %(record)s, which did not reach %(ledger)s: %(error)s",
                                     record=dependency.record_name, ledger=row._ledger_name(),
                                     error=dependency.last_error), [],
                          depends_on=dependency)
        if waiting:
            waiting._queue_trigger()

    def _queue_retry_values(self, reason):
        return {"state": "retry", "last_error": reason}

    def _queue_give_up(self, reason):
        # Its batch may have reached the ledger: the row keeps it, and Retry resends it as it was.
        self._fail(reason, [], keep_batch=True)

    def _fail(self, error, messages, depends_on=None, keep_batch=False):
        """The ledger refused the row (or it cannot be sent): error, with the reason where people look."""
        self.ensure_one()
        batch = self.batch_id
        self.write({"state": "error", "batch_id": batch.id if keep_batch else False, "last_error": error,
                    "depends_on_id": depends_on.id if depends_on else self.depends_on_id.id,
                    "remote_messages": "\n".join(m for m in messages if m) or False})
        if keep_batch and batch.state == "pending":
            batch.write({"state": "failed", "last_error": error})
        self._release_dependents()
        record = referenced_record(self.env, self.res_model, self.res_id)
        tenant = self.tenant_id
        ledger = self._ledger_name(tenant)
        message = self.env._("Not synced to %(ledger)s (%(org)s): %(error)s", ledger=ledger, org=tenant.name,
                             error=error)
        # The chatter of a record shared between companies (a partner or product without a
        # company) is read by every company: the message stays on this row and in the request
        # log, where only the organisation's company sees it.
        if record and hasattr(record, "message_post") and tenant.company_id and (
                "company_id" in record._fields and record.sudo().company_id == tenant.company_id):
            record.message_post(body=message, message_type="notification")
        # failures reach the person who saved (who deleted, for a record gone: its row says it), when
        # they work with this organisation (not a portal user who edited their address, nor another
        # company's user of a shared record)
        if record or self.operation == "delete":
            if not record:
                message = self.env._("%(record)s, deleted in Odoo, is still in %(ledger)s (%(org)s): %(error)s",
                                     record=self.record_label, ledger=ledger, org=tenant.name, error=error)
            for user in tenant._ledger_audience(record.write_uid if record else self.user_id):
                user.partner_id._bus_send("simple_notification", {
                    "title": ledger, "type": "danger", "sticky": True, "message": message})

    # --- actions ---------------------------------------------------------------------------------------
    def action_retry(self):
        """Send these rows again now (managers, own companies' rows only)."""
        rows = check_caller(self, MANAGER, "read").sudo().filtered(lambda r: r.state in ("error", "retry"))
        now = fields.Datetime.now()
        in_batch = rows.filtered("batch_id")  # their batch may have reached the ledger: resent as fixed, with its key
        revived = in_batch.batch_id.filtered(lambda b: b.state == "failed")
        # a batch is resent whole: its other rows that gave up with it come back too
        in_batch |= revived.row_ids.filtered(lambda r: r.state == "error")
        in_batch.write({"state": "retry", "attempts": 0, "next_try": now})
        revived.write({"state": "pending"})
        (rows - in_batch).write({"state": "queued", "attempts": 0, "next_try": now, "last_error": False})
        rows._queue_trigger()
        return True
