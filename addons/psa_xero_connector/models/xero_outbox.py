"""The outbox: how "real time" is done without ever calling Xero inside the user's transaction.

Saving a record writes a row here in the same transaction (record × tenant × operation) and
triggers the worker cron; right after commit a cron worker claims due rows with ``FOR UPDATE
SKIP LOCKED`` (several workers never send the same row), builds payloads with the pure
mapping, and sends up to 50 per request with ``summarizeErrors=false``. Each element's result
goes back to its row: the Xero ID is stored as a link, or Xero's exact messages are kept on
the row, the request log and the record. Dependencies go first (contacts and items before
documents). Transient failures retry with exponential back-off and jitter, resending the
same rows with the same Idempotency-Key, so a request Xero applied but whose answer was lost
is never applied twice; a 429 waits Retry-After. Nothing is dropped: a row is done, waiting,
or in error with its reason on screen.
"""

import hashlib
import json
import logging
import random
from datetime import timedelta

from odoo import _, api, fields, models

from .. import const
from ..utils import referenced_record
from ..xero.errors import XeroAuthError, XeroError, XeroRateLimited, XeroTransientError
from ..xero.mapping import MappingError

_logger = logging.getLogger(__name__)

BATCH_SIZE = 50
SLOT_LOCK = 0x58455230  # advisory-lock namespace of the per-tenant worker slots
MAX_ATTEMPTS = 8
COLLECTION = {"contact": "Contacts", "item": "Items", "invoice": "Invoices", "credit_note": "CreditNotes",
              "purchase_order": "PurchaseOrders"}
ID_FIELD = {"contact": "ContactID", "item": "ItemID", "invoice": "InvoiceID", "credit_note": "CreditNoteID",
            "purchase_order": "PurchaseOrderID"}


class XeroOutbox(models.Model):
    _name = "xero.outbox"
    _description = "Xero outbox (records waiting to be sent)"
    _order = "id"

    tenant_id = fields.Many2one("xero.tenant", string="Organisation", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="tenant_id.company_id", store=True, index=True)
    res_model = fields.Char(required=True, index=True)
    res_id = fields.Many2oneReference(model_field="res_model", required=True, index=True)
    entity = fields.Selection([("contact", "Contact"), ("item", "Item"), ("invoice", "Invoice / bill"),
                               ("credit_note", "Credit note"), ("purchase_order", "Purchase order")], required=True)
    operation = fields.Selection([("upsert", "Create or update"), ("void", "Void")], default="upsert", required=True)
    state = fields.Selection([("queued", "Queued"), ("retry", "Waiting to retry"), ("done", "Synced"),
                              ("error", "Error")], default="queued", required=True, index=True)
    attempts = fields.Integer(default=0)
    next_try = fields.Datetime(default=fields.Datetime.now, index=True)
    batch_key = fields.Char(help="Set when a batch failed in transit: it is resent as it was, with this "
                                 "Idempotency-Key", index=True)
    xero_messages = fields.Text(string="Xero's messages")
    last_error = fields.Text()
    record_name = fields.Char(compute="_compute_record_name")

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for row in self:
            record = referenced_record(self.env, row.res_model, row.res_id)
            row.record_name = record.display_name if record else False

    # --- enqueue (in the user's transaction) -------------------------------------------------------
    @api.model
    def _enqueue(self, records, tenant, entity, operation="upsert"):
        """One pending row per record × tenant × operation: repeated edits coalesce."""
        if not records:
            return
        pending = self.search([("tenant_id", "=", tenant.id), ("res_model", "=", records._name),
                               ("res_id", "in", records.ids), ("operation", "=", operation),
                               ("state", "in", ("queued", "error")), ("batch_key", "=", False)])
        by_id = {row.res_id: row for row in pending}
        now = fields.Datetime.now()
        for row in pending:
            row.write({"state": "queued", "next_try": now, "attempts": 0})  # an edit retries an error too
        self.create([{"tenant_id": tenant.id, "res_model": records._name, "res_id": rid, "entity": entity,
                      "operation": operation} for rid in records.ids if rid not in by_id])
        self._trigger_worker()

    def _trigger_worker(self):
        """Wake the worker once this transaction commits (one trigger per transaction)."""
        if not self.env.cr.precommit.data.get("psa_xero_outbox_trigger"):
            self.env.cr.precommit.data["psa_xero_outbox_trigger"] = True
            self.env.ref("psa_xero_connector.ir_cron_xero_outbox")._trigger()

    # --- the worker ----------------------------------------------------------------------------------
    @api.model
    def _cron_process(self, limit_batches=20, commit=True):
        """Send what is due, tenant by tenant; commits after each batch so that each batch's
        outcome is kept even if a later one fails (``commit=False`` inside a caller's test
        transaction)."""
        tenants = self.search([("state", "in", ("queued", "retry")), ("next_try", "<=", fields.Datetime.now())]
                              ).tenant_id
        sent = 0
        for tenant in tenants:
            slot = self._take_slot(tenant)
            if slot is None:
                continue  # as many workers as Xero allows concurrent calls already serve it
            try:
                while sent < limit_batches:
                    rows = self._claim(tenant)
                    if not rows:
                        break
                    pause = rows._send(tenant)
                    sent += 1
                    if commit:
                        self.env.cr.commit()
                    if pause:
                        # Xero's minute budget is nearly spent: leave the rest for the next minute
                        self.env.ref("psa_xero_connector.ir_cron_xero_outbox")._trigger(at=pause)
                        break
            finally:
                self.env.cr.execute("SELECT pg_advisory_unlock(%s, %s)", [SLOT_LOCK, tenant.id * 8 + slot])
        remaining = self.search_count([("state", "in", ("queued", "retry")), ("next_try", "<=", fields.Datetime.now())])
        if remaining:
            self.env.ref("psa_xero_connector.ir_cron_xero_outbox")._trigger()
        return sent

    def _take_slot(self, tenant):
        """One of five per-tenant session locks. A worker makes one call at a time, so at most
        five workers — and five concurrent calls — serve an organisation (Xero's limit)."""
        for slot in range(const.MAX_CONCURRENT_PER_TENANT):
            self.env.cr.execute("SELECT pg_try_advisory_lock(%s, %s)", [SLOT_LOCK, tenant.id * 8 + slot])
            if self.env.cr.fetchone()[0]:
                return slot
        return None

    @api.model
    def _claim(self, tenant):
        """Lock the next batch of one entity for this worker (others skip locked rows). A batch
        that failed in transit is claimed as it was, to be resent with the same key."""
        now = fields.Datetime.now()
        self.flush_model()  # the raw query must see the rows' latest state and next_try
        self.env.cr.execute("""
            SELECT id, entity, batch_key FROM xero_outbox
             WHERE tenant_id = %s AND state IN ('queued', 'retry') AND next_try <= %s
             ORDER BY batch_key IS NULL, CASE entity WHEN 'contact' THEN 0 WHEN 'item' THEN 1
                      WHEN 'invoice' THEN 2 ELSE 3 END, id
             LIMIT %s FOR UPDATE SKIP LOCKED""", [tenant.id, now, BATCH_SIZE * 4])
        found = self.env.cr.fetchall()
        if not found:
            return self.browse()
        _id, entity, batch_key = found[0]
        ids = [r[0] for r in found if r[1] == entity and r[2] == batch_key][:BATCH_SIZE]
        return self.browse(ids)

    def _send(self, tenant):
        """New records are created with PUT (a taken name is refused, never merged into another
        Xero record by name), linked ones updated with POST; one request per kind."""
        creates, updates = [], []
        for row, payload in self._build_payloads(tenant):
            (updates if payload.get(ID_FIELD[row.entity]) else creates).append((row, payload))
        pause = None
        for method, batch in (("PUT", creates), ("POST", updates)):
            if batch:
                pause = self.browse([r.id for r, _p in batch])._send_batch(tenant, method, [p for _r, p in batch]) \
                    or pause
        return pause

    def _build_payloads(self, tenant):
        """-> [(row, payload)] of the rows that can go now; the others are marked (error) or
        wait for a dependency. Links are read once per model and the records together."""
        rows = self.with_context(xero_link_cache={})
        records = {}
        for model in set(rows.mapped("res_model")):
            ids = [r.res_id for r in rows if r.res_model == model]
            records.update({(model, rec.id): rec for rec in rows.env[model].browse(ids).exists()})
        built = []
        for row in rows:
            try:
                payload = row._payload(tenant, records.get((row.res_model, row.res_id)))
            except MappingError as exc:
                row._fail(str(exc), [str(exc)])
                continue
            if payload is not None:  # None: waiting for a dependency (the contact), sent later in this run
                built.append((row, payload))
        return built

    def _send_batch(self, tenant, method, elements):
        rows = self
        entity = rows[0].entity
        collection = COLLECTION[entity]
        key = rows[0].batch_key or self._batch_key(tenant, collection, elements)
        context = {"entity": collection, "res_model": rows[0].res_model if len(rows) == 1 else False,
                   "res_id": rows[0].res_id if len(rows) == 1 else False, "attempt": rows[0].attempts + 1}
        try:
            data, headers = tenant._call(method, collection, body={collection: elements},
                                         params={"summarizeErrors": "false", "unitdp": "4"},
                                         idempotency_key=key, operation="sync %s" % collection, context=context)
        except XeroRateLimited as exc:
            rows.write({"state": "retry", "batch_key": key,
                        "next_try": fields.Datetime.now() + timedelta(seconds=exc.retry_after),
                        "last_error": str(exc)})
            return
        except XeroTransientError as exc:
            for row in rows:
                attempts = row.attempts + 1
                if attempts >= MAX_ATTEMPTS:
                    row._fail(_("Gave up after %(n)d attempts: %(error)s", n=attempts, error=exc), [])
                    continue
                delay = min(3600, 2 ** attempts) * (0.5 + random.random())  # back-off with jitter
                row.write({"state": "retry", "attempts": attempts, "batch_key": key, "last_error": str(exc),
                           "next_try": fields.Datetime.now() + timedelta(seconds=delay)})
            return
        except XeroAuthError as exc:
            rows.write({"state": "retry", "batch_key": key, "last_error": str(exc),
                        "next_try": fields.Datetime.now() + timedelta(minutes=5)})
            return
        except XeroError as exc:
            for row in rows:
                row._fail(str(exc), getattr(exc, "messages", []))
            return
        results = (data or {}).get(collection) or []
        for row, result in zip(rows, results, strict=False):
            row._apply_result(tenant, result)
        return self._pause_until(headers)

    @staticmethod
    def _pause_until(headers):
        """Pace on Xero's own count: with one call left this minute, wait for the next one."""
        lower = {k.lower(): v for k, v in (headers or {}).items()}
        try:
            remaining = int(lower.get("x-minlimit-remaining", 60))
        except ValueError:
            return None
        return fields.Datetime.now() + timedelta(seconds=60) if remaining <= 1 else None

    def _apply_result(self, tenant, result):
        self.ensure_one()
        errors = [e.get("Message") for e in result.get("ValidationErrors") or [] if e.get("Message")]
        if result.get("StatusAttributeString") == "ERROR" or errors:
            self._fail("; ".join(errors) or _("Xero refused the record."), errors)
            return
        xero_id = result.get(ID_FIELD[self.entity])
        Link = self.env["xero.link"].sudo()
        record = self.env[self.res_model].browse(self.res_id)
        link = Link._link_of(tenant, record)
        values = {"xero_id": xero_id, "xero_name": result.get("Name") or result.get("InvoiceNumber")
                  or result.get("CreditNoteNumber") or result.get("PurchaseOrderNumber") or result.get("Code"),
                  "xero_code": result.get("Code") or result.get("AccountNumber") or False,
                  "xero_status": result.get("Status") or False}
        if link:
            link.write(values)
        else:
            Link.create(dict(values, tenant_id=tenant.id, res_model=self.res_model, res_id=self.res_id))
        self.write({"state": "done", "batch_key": False, "last_error": False, "xero_messages": False})
        if self.entity == "credit_note" and self.operation == "upsert":
            self._allocate_credit_note(tenant, record, result)
        if tenant.notify_success:
            record.write_uid.partner_id._bus_send("simple_notification", {
                "title": _("Xero"), "type": "success",
                "message": _("%(record)s synced to Xero (%(org)s)", record=record.display_name, org=tenant.name)})

    def _allocate_credit_note(self, tenant, refund, result):
        """A credit note reversing an invoice that is in Xero is allocated to it there."""
        invoice = refund.reversed_entry_id
        invoice_link = invoice and self.env["xero.link"].sudo()._link_of(tenant, invoice)
        if not invoice_link or result.get("Status") != "AUTHORISED" or result.get("Allocations"):
            return
        try:
            data, _headers = tenant._call("GET", "Invoices/%s" % invoice_link.xero_id, operation="allocation check")
            due = data["Invoices"][0]["AmountDue"]
            amount = min(float(result.get("RemainingCredit") or result.get("Total") or 0), float(due or 0))
            if amount <= 0:
                return
            tenant._call("PUT", "CreditNotes/%s/Allocations" % result["CreditNoteID"], operation="allocate credit note",
                         body={"Allocations": [{"Invoice": {"InvoiceID": invoice_link.xero_id}, "Amount": amount,
                                                "Date": str(refund.invoice_date or fields.Date.today())}]},
                         context={"res_model": refund._name, "res_id": refund.id, "entity": "CreditNotes"})
        except XeroError as exc:
            refund.message_post(body=_("Sent to Xero, but not allocated to %(invoice)s there: %(error)s",
                                       invoice=invoice.name, error=exc), message_type="notification")

    def _fail(self, error, messages):
        self.ensure_one()
        self.write({"state": "error", "batch_key": False, "last_error": error,
                    "xero_messages": "\n".join(m for m in messages if m) or False})
        record = self.env[self.res_model].browse(self.res_id).exists()
        message = _("Not synced to Xero (%(org)s): %(error)s", org=self.tenant_id.name, error=error)
        if record and hasattr(record, "message_post"):
            record.message_post(body=message, message_type="notification")
        if record:  # failures always reach the person who saved
            record.write_uid.partner_id._bus_send("simple_notification", {
                "title": _("Xero"), "type": "danger", "sticky": True, "message": message})

    @staticmethod
    def _batch_key(tenant, collection, elements):
        digest = hashlib.sha256(json.dumps([tenant.xero_tenant_id, collection, elements], sort_keys=True,
                                           default=str).encode()).hexdigest()
        return "odoo-%s" % digest[:60]

    # --- payloads ------------------------------------------------------------------------------------
    def _payload(self, tenant, record=None):
        """The Xero element for this row, or None while a dependency is not in Xero yet."""
        record = record if record is not None else self.env[self.res_model].browse(self.res_id).exists()
        if not record:
            raise MappingError(_("The record no longer exists."))
        link = self.env["xero.link"].sudo()._link_of(tenant, record)
        if self.entity == "contact":
            return record._xero_contact_payload(link.xero_id or None)
        if self.entity == "item":
            return record._xero_item_payload(tenant, link.xero_id or None)
        partner = record.partner_id.commercial_partner_id
        contact = self.env["xero.link"].sudo()._link_of(tenant, partner)
        if not contact:
            pending = self.search([("tenant_id", "=", tenant.id), ("res_model", "=", "res.partner"),
                                   ("res_id", "=", partner.id), ("state", "!=", "done")], limit=1)
            if pending.state == "error":
                raise MappingError(_("Its contact %(partner)s could not be sent to Xero: %(error)s",
                                     partner=partner.display_name, error=pending.last_error))
            if not pending:
                self._enqueue(partner, tenant, "contact")  # contacts are claimed before documents
            return None
        if self.entity == "credit_note" and self.operation == "upsert" and record.reversed_entry_id \
                and not self.env["xero.link"].sudo()._link_of(tenant, record.reversed_entry_id) \
                and self.search_count([("tenant_id", "=", tenant.id), ("res_model", "=", "account.move"),
                                       ("res_id", "=", record.reversed_entry_id.id),
                                       ("state", "in", ("queued", "retry"))]):
            return None  # the invoice it reverses goes first, so that the credit can be allocated to it
        if self.operation == "void":
            if not link:
                raise MappingError(_("Never sent to Xero: nothing to void."))
            # a document still in draft at Xero is deleted there; an approved one is voided
            status = "DELETED" if link.xero_status in ("DRAFT", "SUBMITTED") else "VOIDED"
            return {ID_FIELD[self.entity]: link.xero_id, "Status": status}
        status = tenant.document_status if self.entity != "purchase_order" else "AUTHORISED"
        _collection, payload = record._xero_payload(tenant, status=status, document_id=link.xero_id or None)
        return payload

    def action_retry(self):
        self.write({"state": "queued", "attempts": 0, "next_try": fields.Datetime.now(), "batch_key": False})
        self._trigger_worker()
        return True
