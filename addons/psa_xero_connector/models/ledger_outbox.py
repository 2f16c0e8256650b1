"""The outbox: how "real time" is done without ever calling Xero inside the user's transaction,
and how each document reaches Xero exactly once.

Saving a record writes a row here in the same transaction (record × tenant × operation) and
triggers the worker cron. The worker (see ``ledger.queue``) serves the organisations in turn:

1. **Build**: it claims due rows (``FOR UPDATE SKIP LOCKED``), reads each document as it is
   *now* (one cancelled or reset to draft meanwhile is not created in Xero), and builds the
   payloads with the pure mapping. A row whose contact (or, for a credit note, whose invoice)
   is not in Xero yet *waits* for that row, and is not claimed again until it is done.
2. **Fix**: up to 50 elements become a ``ledger.outbox.batch`` with its exact body and its
   Idempotency-Key, committed before anything is sent.
3. **Send**: the batch, as fixed, with ``summarizeErrors=false``; each element's result goes
   back to its row (a link to the Xero ID, or Xero's exact messages on the row, the request
   log and the record). A send whose outcome is unknown (timeout, lost answer, a worker
   killed) leaves the batch pending: it is resent identically, and Xero replays its answer.
   A resend refused as "already exists" finds the record in Xero and links it.

Nothing is dropped: a row is done, waiting, cancelled (with the reason), or in error with its
reason on screen and a Retry.

A document deleted in Odoo after it reached Xero gets a "delete" row (see
``account.move.unlink``): its record is gone, so the row keeps the record's name, and the link
(kept, keyed by the deleted record's id) gives the Xero ID and last known status.
"""

import json
import logging
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.psa_ledger.access import MANAGER, check_caller
from odoo.addons.psa_ledger.utils import referenced_record

from .. import const
from ..xero import duplicates
from ..xero.client import limits_remaining
from ..xero.errors import XeroAuthError, XeroError, XeroRateLimited, XeroTransientError
from ..xero.to_xero import MappingError

_logger = logging.getLogger(__name__)

BATCH_SIZE = 50
SLOT_LOCK = 0x58455230  # advisory-lock namespace of the per-tenant worker slots
COLLECTION = {"contact": "Contacts", "item": "Items", "invoice": "Invoices", "credit_note": "CreditNotes",
              "purchase_order": "PurchaseOrders"}
ID_FIELD = {"contact": "ContactID", "item": "ItemID", "invoice": "InvoiceID", "credit_note": "CreditNoteID",
            "purchase_order": "PurchaseOrderID"}
PENDING = ("queued", "waiting", "sending", "retry")  # not yet answered by Xero
# documents that get a History note in Xero (tenant.history_notes); contacts and items do not
NOTE_COLLECTIONS = {"invoice": "Invoices", "credit_note": "CreditNotes", "purchase_order": "PurchaseOrders"}
NOTE_MIN_BUDGET = 5  # calls left this minute under which notes wait for nobody: left out
DUE = ("queued", "retry")                           # claimable when next_try has come (rows outside a batch)
REUSABLE = ("queued", "retry", "waiting", "error", "cancelled")  # an edit brings such a row back


def _comparable(element, entity):
    """An element as sent (JSON, sorted), without the Xero ID only an update carries."""
    element = {k: v for k, v in element.items() if k != ID_FIELD[entity]}
    return json.dumps(element, sort_keys=True, default=str)


class XeroOutbox(models.Model):
    _name = "ledger.outbox"
    _inherit = ["ledger.queue"]
    _description = "Xero outbox (records waiting to be sent)"
    _order = "id"
    # two crons: Odoo never runs one cron job twice at once, and a backlog of several
    # organisations is worth two cron threads (or hosts)
    _queue_crons = ("psa_xero_connector.ir_cron_ledger_outbox", "psa_xero_connector.ir_cron_ledger_outbox_2")
    _queue_due_states = ("queued", "sending", "retry")
    _queue_max_attempts = 8
    _queue_backoff_base = 1

    tenant_id = fields.Many2one("ledger.tenant", string="Organisation", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="tenant_id.company_id", store=True, index=True)
    res_model = fields.Char(required=True, index=True)
    res_id = fields.Many2oneReference(model_field="res_model", required=True, index=True)
    entity = fields.Selection([("contact", "Contact"), ("item", "Item"), ("invoice", "Invoice / bill"),
                               ("credit_note", "Credit note"), ("purchase_order", "Purchase order")], required=True)
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
                                         "void) that must reach Xero first")
    remote_messages = fields.Text(string="Xero's messages", readonly=True)
    last_error = fields.Text(string="Reason", readonly=True)
    record_name = fields.Char(compute="_compute_record_name")
    user_id = fields.Many2one("res.users", string="Queued by", readonly=True, default=lambda self: self.env.uid,
                              help="Whose save queued the row: they get the success popup and are named in "
                                   "the History note in Xero")

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for row in self:
            record = referenced_record(self.env, row.res_model, row.res_id)
            row.record_name = record.display_name if record else row.record_label

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
        Xero: one "delete" row each, carrying the name (the record is gone; its link gives the
        Xero ID). Called after the deletion, in its transaction: nothing is lost if it fails."""
        rows = self.create([{"tenant_id": tenant.id, "res_model": res_model, "res_id": res_id, "entity": entity,
                             "operation": "delete", "record_label": label} for res_id, label in labels.items()])
        rows._queue_trigger()
        return rows

    @api.model
    def _settle_deleted(self, res_model, ids):
        """Rows of deleted records that have not left (no batch): not sent, saying why. A row in
        a batch is left alone: its request may have reached Xero, and its answer links the
        record for the "delete" row waiting for it."""
        rows = self.search([("res_model", "=", res_model), ("res_id", "in", list(ids)), ("batch_id", "=", False),
                            ("operation", "!=", "delete"), ("state", "in", ("queued", "waiting", "retry", "error"))])
        for row in rows:
            row._settle("cancelled", self.env._("Deleted in Odoo before it left for Xero."))

    @api.model
    def _resync(self, record, tenant, entity):
        """Re-sync of one record for one organisation -> "pending" (a row already waits),
        "unchanged" (what would be sent now is what Xero last accepted: nothing is queued) or
        "queued"."""
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
                now = last._payload_now(tenant, record, link)
            except MappingError:
                now = None  # queued: the row shows what to fix
            if now is not None and _comparable(now, entity) == _comparable(sent, entity):
                return "unchanged"
        self._enqueue(record, tenant, entity)
        return "queued"

    def _payload_now(self, tenant, record, link):
        """The element this row's record would be sent as now (its Xero ID given)."""
        if self.entity == "contact":
            return record._xero_contact_payload(link.remote_id)
        if self.entity == "item":
            return record._xero_item_payload(tenant, link.remote_id)
        status = tenant._xero_document_status(self.entity, record)
        return record._xero_payload(tenant, status=status, document_id=link.remote_id)[1]

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
            return 0  # as many workers as Xero allows concurrent calls already serve it
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
        stale = batch.method == "PUT" and batch.create_date < fields.Datetime.now() - timedelta(
            hours=const.IDEMPOTENCY_WINDOW_HOURS)
        with self._queue_guard(rows, "sending %s to %s" % (batch.collection, tenant.name)):
            if stale:
                rows._look_up_stale_batch(tenant, batch)
            else:
                rows._send_batch(tenant, batch, formed_now, run)
        return settled + 1

    def _take_slot(self, tenant):
        """One of five per-organisation locks, held until this unit's transaction ends. A
        worker makes one call at a time, so at most five workers — five concurrent calls —
        serve an organisation (Xero's limit)."""
        for slot in range(const.MAX_CONCURRENT_PER_TENANT):
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
             WHERE tenant_id = %s AND state IN ('queued', 'retry') AND batch_id IS NULL AND next_try <= %s
             ORDER BY CASE entity WHEN 'contact' THEN 0 WHEN 'item' THEN 1 WHEN 'invoice' THEN 2 ELSE 3 END, id
             LIMIT %s FOR UPDATE SKIP LOCKED""", [tenant.id, fields.Datetime.now(), BATCH_SIZE * 4])
        found = self.env.cr.fetchall()
        if not found:
            return self.browse()
        entity = found[0][1]
        return self.browse([r[0] for r in found if r[1] == entity][:BATCH_SIZE])

    # --- 1. build, 2. fix -------------------------------------------------------------------------------
    def _build_batches(self, tenant):
        """Settle the rows that cannot go (error, waiting, not sent) and fix the others into
        a PUT batch (new in Xero) and a POST batch (linked). -> the batches."""
        creates, updates = [], []
        for row, payload in self._build_payloads(tenant):
            (updates if payload.get(ID_FIELD[row.entity]) else creates).append((row, payload))
        Batch = self.env["ledger.outbox.batch"]
        batches = Batch
        entity = self[:1].entity
        for method, pairs in (("PUT", creates), ("POST", updates)):
            if pairs:
                batches |= Batch._fix(tenant, entity, COLLECTION[entity], method,
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
            except MappingError as exc:
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
        """The Xero element for this row as its record is *now*, or None when the row was
        settled otherwise (waiting for a dependency, or not to be sent). ``in_doubt``: see
        ``_in_doubt_rows`` (read here when not given)."""
        if self.operation == "delete":
            return self._delete_payload(tenant)
        record = record if record is not None else self.env[self.res_model].browse(self.res_id).exists()
        if not record:
            raise MappingError(self.env._("The record no longer exists."))
        link = self.env["ledger.link"].sudo()._link_of(tenant, record)
        if not link and self.operation == "upsert":
            if in_doubt is None:
                in_doubt = self._in_doubt_rows(tenant)
            earlier = next((r for r in in_doubt.get((self.res_model, self.res_id), ()) if r.id < self.id), None)
            if earlier:  # that creation may be in Xero already: this one becomes its update
                return self._wait_for(earlier, self.env._("its earlier send to Xero"))
        if self.entity == "contact":
            return record._xero_contact_payload(link.remote_id or None)
        if self.entity == "item":
            return record._xero_item_payload(tenant, link.remote_id or None)
        if self.operation == "void":
            return self._void_payload(tenant, record, link)
        why_not = record._xero_not_sendable()
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
            if invoice_row:  # allocated to the invoice it reverses once both are in Xero
                return self._wait_for(invoice_row, self.env._("the invoice it reverses, %s",
                                                              record.reversed_entry_id.name))
        status = tenant._xero_document_status(self.entity, record)
        document_id = link.remote_id or None
        if self.entity == "purchase_order" and link.remote_status == "DELETED":
            # cancelled, deleted in Xero, then confirmed again: Xero keeps a deleted order as it is
            # (final), so the order goes as a new one and its link follows
            document_id = None
        _collection, payload = record._xero_payload(tenant, status=status, document_id=document_id)
        return payload

    def _void_payload(self, tenant, record, link):
        if record.state != "cancel":
            return self._settle("cancelled", self.env._("Confirmed again in Odoo before the void left: not voided."))
        if not link:
            upsert = self._in_doubt(tenant, record)
            if upsert:  # its creation may be reaching Xero right now: void it once we know
                return self._wait_for(upsert, self.env._("its creation in Xero"))
            return self._settle("cancelled", self.env._("Never reached Xero: nothing to void there."))
        # a document still in draft at Xero is deleted there; an approved one is voided — but a
        # purchase order, which has no VOIDED (xero_accounting.yaml, PurchaseOrder.Status), is deleted
        status = "DELETED" if link.remote_status in ("DRAFT", "SUBMITTED") or self.entity == "purchase_order" \
            else "VOIDED"
        return {ID_FIELD[self.entity]: link.remote_id, "Status": status}

    def _delete_payload(self, tenant):
        """A document deleted in Odoo: deleted in Xero while Xero has it as a draft, voided once
        approved (Xero's rules). Its link (kept, by the deleted record's id) names it."""
        gone = self.env[self.res_model].browse(self.res_id)  # not read: only its id is used
        link = self.env["ledger.link"].sudo()._link_of(tenant, gone)
        if not link:
            upsert = self._in_doubt(tenant, gone)
            if upsert:  # its creation may be reaching Xero right now: void it once we know
                return self._wait_for(upsert, self.env._("its creation in Xero"))
            return self._settle("cancelled", self.env._("Never reached Xero: nothing to void there."))
        if link.remote_status in ("VOIDED", "DELETED"):
            return self._settle("cancelled", self.env._("Already %s in Xero: nothing to send.", link.remote_status))
        status = "DELETED" if link.remote_status in ("DRAFT", "SUBMITTED") else "VOIDED"
        return {ID_FIELD[self.entity]: link.remote_id, "Status": status}

    @api.model
    def _in_doubt(self, tenant, record):
        """The latest row of ``record`` whose creation request left (or may have left) for
        Xero without a known answer: its batch is in flight, waits to be resent, or gave up.
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
        if row.state == "error":
            self._fail(self.env._("Waits for %(what)s, which Xero did not accept: %(error)s",
                                  what=what, error=row.last_error), [], depends_on=row)
            return None
        self.write({"state": "waiting", "depends_on_id": row.id,
                    "last_error": self.env._("Waits for %s to reach Xero.", what)})
        return None

    # --- 3. send ---------------------------------------------------------------------------------------
    def _send_batch(self, tenant, batch, formed_now, run):
        """Send ``batch`` (self: its rows, in order) exactly as fixed."""
        rows = self
        batch.sends += 1
        context = {"entity": batch.collection, "res_model": rows[0].res_model if len(rows) == 1 else False,
                   "res_id": rows[0].res_id if len(rows) == 1 else False, "attempt": batch.sends}
        try:
            data, headers = tenant._call(batch.method, batch.collection, body=json.loads(batch.body),
                                         params={"summarizeErrors": "false", "unitdp": "4"},
                                         idempotency_key=batch.idempotency_key,
                                         operation="sync %s" % batch.collection, context=context)
        except XeroRateLimited as exc:
            run["resting"].add(tenant.id)
            rows._queue_rate_limited(tenant, exc)
            if formed_now and batch.sends == 1:
                # Xero applied nothing and never saw this batch before: build it again later,
                # from the documents as they will be then.
                rows.write({"batch_id": False})
                batch.unlink()
            return
        except XeroTransientError as exc:
            rows._queue_postpone(str(exc))  # same batch, same key next time
            return
        except XeroAuthError as exc:
            # not the rows' fault; an organisation that needs reconnecting is not served until it is
            rows._queue_postpone(str(exc), retry_after=300, count=False)
            return
        except XeroError as exc:  # the request as a whole was refused: Xero applied none of it
            batch.write({"state": "done", "last_error": str(exc)})
            for row in rows:
                row._fail(str(exc), getattr(exc, "messages", []))
            return
        batch.write({"state": "done", "last_error": False})
        results = (data or {}).get(batch.collection) or []
        elements = batch._elements()
        applied = rows._apply_accepted(tenant, results, elements)
        for row in rows - applied:
            try:
                with self.env.cr.savepoint():
                    if row.batch_seq < len(results):
                        row._apply_result(tenant, results[row.batch_seq], elements[row.batch_seq],
                                          resend=batch.sends > 1)
                    else:
                        row._fail(self.env._("Xero's answer did not include this record."), [])
            except Exception as exc:  # noqa: BLE001 - e.g. a 429 on a look-up: this row only
                _logger.warning("Xero: applying the answer for %s failed: %s", row.record_name, exc, exc_info=True)
                self.env.invalidate_all()
                # Xero has the answer: the batch is resent with its key and Xero replays it for this row
                batch.state = "pending"
                row._queue_postpone_safely("%s: %s" % (type(exc).__name__, exc))
        # voids and deletions: no popup, no note (nor for a record deleted on its way)
        sent = rows.filtered(lambda r: r.state == "done" and r.operation == "upsert"
                             and referenced_record(self.env, r.res_model, r.res_id))
        # after Xero applied the batch: whatever happens to a popup or a note must not undo the
        # rows' done state and links (the batch would be sent again)
        for extra, args in ((sent._notify_sent, (tenant,)), (sent._add_history_notes, (tenant, batch, headers))):
            try:
                with self.env.cr.savepoint():
                    extra(*args)
            except Exception:  # noqa: BLE001 - logged; the sync itself is done
                _logger.exception("Xero: %s after a batch of %s failed", extra.__name__, tenant.name)
        pause = self._pause_until(headers)
        if pause:
            # Xero's minute budget is spent: leave the rest for the next minute
            run["resting"].add(tenant.id)
            tenant._rest(pause)

    def _look_up_stale_batch(self, tenant, batch):
        """A creation batch older than Xero's idempotency window may have reached Xero, and
        Xero no longer remembers its key: resending it could create its bills again. Each
        record is looked up instead — found: linked; not found: built again as a new batch."""
        elements = batch._elements()
        for row in self:
            element = elements[row.batch_seq]
            found = row._find_in_xero(tenant, element)
            if found:
                row._apply_result(tenant, found, element, note=self.env._(
                    "Found in Xero after its idempotency window (an earlier attempt reached Xero): linked to it."))
            else:
                row.write({"state": "retry", "batch_id": False, "next_try": fields.Datetime.now()})
        batch.write({"state": "done", "last_error": self.env._(
            "Older than Xero's idempotency window: its records were looked up in Xero instead of resending it.")})

    @staticmethod
    def _pause_until(headers):
        """Pace on Xero's own count: with no call left this minute, rest until the next one
        (a worker that still races into a 429 makes the organisation rest too)."""
        lower = {k.lower(): v for k, v in (headers or {}).items()}
        try:
            remaining = int(lower.get("x-minlimit-remaining", 60))
        except ValueError:
            return None
        return fields.Datetime.now() + timedelta(seconds=60) if remaining <= 0 else None

    def _apply_accepted(self, tenant, results, elements):
        """Apply, all together, the results Xero accepted as they are (the common case): links
        read in one query, created in one ``create``, rows and links written without a flush in
        between (one multi-row UPDATE each), dependents released once. What needs more (an
        element refused or missing, a credit note to allocate, a record cancelled meanwhile)
        is left to ``_apply_result``, row by row; if anything breaks, all of them are.
        -> the rows applied."""
        plain = self.browse()
        ids_by_model = {}  # Odoo's totals of the batch's documents, read in one query per model
        for row in self:
            ids_by_model.setdefault(row.res_model, []).append(row.res_id)
        docs = {model: self.env[model].browse(ids).exists() for model, ids in ids_by_model.items()}
        for row in self:
            result = results[row.batch_seq] if row.batch_seq < len(results) else None
            if result is None or result.get("StatusAttributeString") == "ERROR" or result.get("ValidationErrors") \
                    or not result.get(ID_FIELD[row.entity]) \
                    or (row.entity == "credit_note" and row.operation == "upsert") \
                    or row._xero_total_mismatch(result, docs[row.res_model].filtered(
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
                    if row.operation == "upsert" and row.entity in NOTE_COLLECTIONS \
                            and (not record or record.state == "cancel"):
                        continue  # cancelled or deleted on its way: see _apply_result
                    values = self._link_values(results[row.batch_seq], row.entity)
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
                    if row.entity == "invoice" and row.operation == "upsert":
                        records[(row.res_model, row.res_id)]._xero_note_sent(tenant, elements[row.batch_seq])
                applied._release_dependents()
        except Exception:  # noqa: BLE001 - row by row instead, where the row at fault fails alone
            _logger.warning("Xero: applying %s's answer as a whole failed; row by row", tenant.name, exc_info=True)
            self.env.invalidate_all()
            return self.browse()
        return applied

    @staticmethod
    def _link_values(result, entity):
        """The link's fields from Xero's element ``result``."""
        return {"remote_id": result.get(ID_FIELD[entity]),
                "remote_name": result.get("Name") or result.get("InvoiceNumber") or result.get("CreditNoteNumber")
                or result.get("PurchaseOrderNumber") or result.get("Code"),
                "remote_code": result.get("Code") or result.get("AccountNumber") or False,
                "remote_status": result.get("Status") or False}

    def _apply_result(self, tenant, result, element, resend=False, note=False):
        """Link the row's record to the Xero record of ``result`` (or fail it with Xero's
        messages); ``note``: a sentence the row keeps about how it was linked."""
        self.ensure_one()
        errors = [e.get("Message") for e in result.get("ValidationErrors") or [] if e.get("Message")]
        if result.get("StatusAttributeString") == "ERROR" or errors:
            found = resend and duplicates.says_taken(errors) and self._find_in_xero(tenant, element)
            if not found:
                self._fail("; ".join(errors) or self.env._("Xero refused the record."), errors)
                return
            # An earlier send of this batch reached Xero: the record is ours.
            result = found
            note = self.env._("Xero already had it (an earlier attempt reached Xero): linked to it.")
        Link = self.env["ledger.link"].sudo()
        # a document deleted in Odoo on its way is linked all the same: its "delete" row, waiting
        # for this one, voids it in Xero with that link
        record = self.env[self.res_model].browse(self.res_id).exists()
        link = Link._link_of(tenant, self.env[self.res_model].browse(self.res_id))
        values = self._link_values(result, self.entity)
        if link:
            link.write(values)
        else:
            Link.create(dict(values, tenant_id=tenant.id, res_model=self.res_model, res_id=self.res_id))
        self.write({"state": "done", "last_error": note, "remote_messages": False})
        self._release_dependents()
        if not record:
            return
        if self.operation == "upsert" and self.entity in ("invoice", "credit_note", "purchase_order") \
                and record.state == "cancel" and not self.search_count([
                    ("tenant_id", "=", tenant.id), ("res_model", "=", self.res_model), ("res_id", "=", self.res_id),
                    ("operation", "=", "void"), ("state", "in", PENDING)]):
            # cancelled in Odoo while it was on its way: void it there too
            self._enqueue(record, tenant, self.entity, "void")
        if self.entity in ("invoice", "credit_note") and self.operation == "upsert":
            record._xero_note_sent(tenant, element)  # e.g. re-dated after a lock date
        if self.entity == "credit_note" and self.operation == "upsert":
            self._allocate_credit_note(tenant, record, result)
        mismatch = self._xero_total_mismatch(result)
        if mismatch:
            # in Xero and linked (a Retry updates it), but never a silent cent: the document says so
            self._fail(mismatch, [])

    def _xero_total_mismatch(self, result, record=None):
        """For a document's upsert: the sentence naming Xero's and Odoo's totals when they differ
        (checkpoint 14: the rounding line sent with it should have made them equal), else None."""
        if self.operation != "upsert" or self.entity not in ("invoice", "credit_note", "purchase_order") \
                or result.get("Total") is None:
            return None
        if record is None:
            record = self.env[self.res_model].browse(self.res_id).exists()
        mismatch = record._xero_total_mismatch(result) if record else None
        if mismatch and self.search_count([("tenant_id", "=", self.tenant_id.id), ("res_model", "=", self.res_model),
                                           ("res_id", "=", self.res_id), ("operation", "=", "upsert"),
                                           ("state", "in", PENDING), ("id", ">", self.id)], limit=1):
            # edited since this body was built (e.g. while its creation was in doubt): the row that
            # carries the edit is checked when Xero answers it
            return None
        return mismatch

    # --- after a batch: the popup for whoever saved, the History notes in Xero -------------------------
    def _notify_sent(self, tenant):
        """One popup per user for the rows of one request: "12 invoices synced to Xero"."""
        if not tenant.notify_success:
            return
        by_user = {}
        audience = tenant._xero_audience(self.user_id)  # never another company's users
        for row in self:
            user = row.user_id
            if user in audience and not user._is_superuser():
                by_user.setdefault(user, []).append(row)
        for user, rows in by_user.items():
            counts = {}
            for row in rows:
                kind = row._kind_key()
                counts[kind] = counts.get(kind, 0) + 1
            what = ", ".join(self._count_label(kind, n) for kind, n in sorted(counts.items()))
            user.partner_id._bus_send("simple_notification", {
                "title": self.env._("Xero"), "type": "success",
                "message": self.env._("%(what)s synced to Xero (%(org)s)", what=what, org=tenant.name)})

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

    def _add_history_notes(self, tenant, batch, headers):
        """A note in each document's History in Xero, if the organisation asks for it: "Sent from Odoo
        by Ann: INV/2026/00042". Xero has no batch for notes: one call per document, so they are
        added only while Xero's minute budget allows (the documents themselves come first); a note
        not added is not retried. Each note's key is fixed by its row, so a resend adds it once."""
        mode = tenant.history_notes
        if mode == "none" or (mode == "create" and batch.method != "PUT"):
            return
        Link = self.env["ledger.link"].sudo()
        remaining = limits_remaining(headers).get("minute")
        for row in self.filtered(lambda r: r.entity in NOTE_COLLECTIONS):
            if remaining is not None and remaining <= NOTE_MIN_BUDGET:
                _logger.info("Xero: %s's minute budget is low, History notes left out", tenant.name)
                return
            record = self.env[row.res_model].browse(row.res_id)
            link = Link._link_of(tenant, record)
            if not link:
                continue
            details = self.env._("Sent from Odoo by %(user)s: %(record)s",
                                 user=row.user_id.name or "Odoo", record=record.display_name)
            try:
                _data, answer = tenant._call(
                    "PUT", "%s/%s/History" % (NOTE_COLLECTIONS[row.entity], link.remote_id),
                    body={"HistoryRecords": [{"Details": details}]}, operation="history note",
                    idempotency_key="odoo-note-%s-%s" % (row.id, batch.id),
                    context={"entity": NOTE_COLLECTIONS[row.entity], "res_model": row.res_model,
                             "res_id": row.res_id})
            except XeroError as exc:
                _logger.info("Xero: History note on %s not added: %s", record.display_name, exc)
                return
            remaining = limits_remaining(answer).get("minute")

    def _find_in_xero(self, tenant, element):
        """The record ``element`` created in Xero, looked up by its unique value (None when
        it has none, or Xero has no such record of the same type and contact)."""
        query = duplicates.lookup(self.entity, element)
        if not query:
            return None
        collection, params = query
        data, _headers = tenant._call("GET", collection, params=params, operation="look up %s" % collection,
                                      context={"entity": collection, "res_model": self.res_model,
                                               "res_id": self.res_id})
        return duplicates.match(self.entity, element, (data or {}).get(collection))

    def _allocate_credit_note(self, tenant, refund, result):
        """A credit note reversing an invoice that is in Xero is allocated to it there."""
        invoice = refund.reversed_entry_id
        invoice_link = invoice and self.env["ledger.link"].sudo()._link_of(tenant, invoice)
        if not invoice_link or result.get("Status") != "AUTHORISED" or result.get("Allocations"):
            return
        try:
            data, _headers = tenant._call("GET", "Invoices/%s" % invoice_link.remote_id, operation="allocation check")
            due = data["Invoices"][0]["AmountDue"]
            amount = min(float(result.get("RemainingCredit") or result.get("Total") or 0), float(due or 0))
            if amount <= 0:
                return
            tenant._call("PUT", "CreditNotes/%s/Allocations" % result["CreditNoteID"], operation="allocate credit note",
                         body={"Allocations": [{"Invoice": {"InvoiceID": invoice_link.remote_id}, "Amount": amount,
                                                "Date": str(refund.invoice_date or fields.Date.today())}]},
                         context={"res_model": refund._name, "res_id": refund.id, "entity": "CreditNotes"})
        except XeroError as exc:
            refund.message_post(body=self.env._("Sent to Xero, but not allocated to %(invoice)s there: %(error)s",
                                                invoice=invoice.name, error=exc), message_type="notification")

    # --- outcomes --------------------------------------------------------------------------------------
    def _release_dependents(self):
        """Rows that waited for these: due now if these reached Xero; otherwise they say why."""
        waiting = self.search([("depends_on_id", "in", self.ids), ("state", "in", ("waiting", "error"))])
        for row in waiting:
            dependency = row.depends_on_id
            if dependency.state == "done":
                row.write({"state": "queued", "next_try": fields.Datetime.now(), "attempts": 0,
                           "last_error": False, "remote_messages": False})
            elif dependency.state == "cancelled" and row.operation in ("void", "delete"):
                row._settle("cancelled", self.env._("Never reached Xero: nothing to void there."))
            elif row.state == "waiting":
                row._fail(self.env._("Waits for %(record)s, which did not reach Xero: %(error)s",
                                     record=dependency.record_name, error=dependency.last_error), [],
                          depends_on=dependency)
        if waiting:
            waiting._queue_trigger()

    def _queue_retry_values(self, reason):
        return {"state": "retry", "last_error": reason}

    def _queue_give_up(self, reason):
        # Its batch may have reached Xero: the row keeps it, and Retry resends it as it was.
        self._fail(reason, [], keep_batch=True)

    def _fail(self, error, messages, depends_on=None, keep_batch=False):
        """Xero refused the row (or it cannot be sent): error, with the reason where people look."""
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
        message = self.env._("Not synced to Xero (%(org)s): %(error)s", org=tenant.name, error=error)
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
                message = self.env._("%(record)s, deleted in Odoo, is still in Xero (%(org)s): %(error)s",
                                     record=self.record_label, org=tenant.name, error=error)
            for user in tenant._xero_audience(record.write_uid if record else self.user_id):
                user.partner_id._bus_send("simple_notification", {
                    "title": self.env._("Xero"), "type": "danger", "sticky": True, "message": message})

    # --- actions ---------------------------------------------------------------------------------------
    def action_retry(self):
        """Send these rows again now (managers, own companies' rows only)."""
        rows = check_caller(self, MANAGER, "read").sudo().filtered(lambda r: r.state in ("error", "retry"))
        now = fields.Datetime.now()
        in_batch = rows.filtered("batch_id")  # their batch may have reached Xero: resent as fixed, with its key
        revived = in_batch.batch_id.filtered(lambda b: b.state == "failed")
        # a batch is resent whole: its other rows that gave up with it come back too
        in_batch |= revived.row_ids.filtered(lambda r: r.state == "error")
        in_batch.write({"state": "retry", "attempts": 0, "next_try": now})
        revived.write({"state": "pending"})
        (rows - in_batch).write({"state": "queued", "attempts": 0, "next_try": now, "last_error": False})
        rows._queue_trigger()
        return True
