"""Xero's adapter of the outbox (the state machine is the core's ``ledger.outbox``).

What is Xero's here: its collections and ID fields, the elements built by the pure mapping
(``xero/to_xero.py``), voids (a draft is DELETED, an approved document VOIDED, a purchase order
always DELETED), the batch request (PUT creates, POST updates, ``summarizeErrors=false``) and
the reading of its answer (``StatusAttributeString``, ``ValidationErrors``), the look-up of a
record Xero already has (``xero/duplicates.py``), the allocation of a credit note, a History
note per document, pacing on ``X-MinLimit-Remaining``, and its 23 h idempotency window.
Each override is guarded by the organisation's ledger code, like Odoo's payment providers.
"""

import json
import logging
from datetime import timedelta

from odoo import fields, models

from odoo.addons.psa_ledger.errors import LedgerError, LedgerMappingError
from odoo.addons.psa_ledger.models.ledger_outbox import SLOT_LOCK  # noqa: F401 - the tests' name for it

from .. import const
from ..xero import duplicates
from ..xero.client import limits_remaining
from ..xero.to_xero import MappingError

_logger = logging.getLogger(__name__)

COLLECTION = {"contact": "Contacts", "item": "Items", "invoice": "Invoices", "credit_note": "CreditNotes",
              "purchase_order": "PurchaseOrders"}
ID_FIELD = {"contact": "ContactID", "item": "ItemID", "invoice": "InvoiceID", "credit_note": "CreditNoteID",
            "purchase_order": "PurchaseOrderID"}
# documents that get a History note in Xero (tenant.history_notes); contacts and items do not
NOTE_COLLECTIONS = {"invoice": "Invoices", "credit_note": "CreditNotes", "purchase_order": "PurchaseOrders"}
NOTE_MIN_BUDGET = 5  # calls left this minute under which notes wait for nobody: left out


class LedgerOutbox(models.Model):
    _inherit = "ledger.outbox"

    # the labels Xero users know
    depends_on_id = fields.Many2one(help="The row (a contact, the invoice a credit note reverses, the document to "
                                         "void) that must reach Xero first")
    remote_messages = fields.Text(string="Xero's messages")
    user_id = fields.Many2one(help="Whose save queued the row: they get the success popup and are named in "
                                   "the History note in Xero")

    # --- building ----------------------------------------------------------------------------------------
    def _ledger_element(self, tenant, record, link, resync=False):
        if tenant.code != "xero":
            return super()._ledger_element(tenant, record, link, resync=resync)
        try:
            if self.entity == "contact":
                return record._xero_contact_payload(link.remote_id or None)
            if self.entity == "item":
                return record._xero_item_payload(tenant, link.remote_id or None)
            status = tenant._xero_document_status(self.entity, record)
            document_id = link.remote_id or None
            if not resync and self.entity == "purchase_order" and link.remote_status == "DELETED":
                # cancelled, deleted in Xero, then confirmed again: Xero keeps a deleted order as it is
                # (final), so the order goes as a new one and its link follows
                document_id = None
            return record._xero_payload(tenant, status=status, document_id=document_id)[1]
        except MappingError as exc:
            raise LedgerMappingError(str(exc)) from exc

    def _ledger_not_sendable(self, record):
        if self.tenant_id.code != "xero":
            return super()._ledger_not_sendable(record)
        return record._xero_not_sendable()

    def _ledger_void_element(self, tenant, link):
        if tenant.code != "xero":
            return super()._ledger_void_element(tenant, link)
        if self.operation == "delete":
            # deleted in Xero while Xero has it as a draft, voided once approved (Xero's rules)
            if link.remote_status in ("VOIDED", "DELETED"):
                return self._settle("cancelled", self.env._("Already %s in Xero: nothing to send.",
                                                            link.remote_status))
            status = "DELETED" if link.remote_status in ("DRAFT", "SUBMITTED") else "VOIDED"
        else:
            # a document still in draft at Xero is deleted there; an approved one is voided — but a
            # purchase order, which has no VOIDED (xero_accounting.yaml, PurchaseOrder.Status), is deleted
            status = "DELETED" if link.remote_status in ("DRAFT", "SUBMITTED") \
                or self.entity == "purchase_order" else "VOIDED"
        return {ID_FIELD[self.entity]: link.remote_id, "Status": status}

    def _ledger_is_update(self, element):
        if self.tenant_id.code != "xero":
            return super()._ledger_is_update(element)
        return bool(element.get(ID_FIELD[self.entity]))

    def _ledger_batch_plan(self, tenant, entity, is_update):
        if tenant.code != "xero":
            return super()._ledger_batch_plan(tenant, entity, is_update)
        return COLLECTION[entity], "POST" if is_update else "PUT"

    def _ledger_comparable(self, element):
        if self.tenant_id.code != "xero":
            return super()._ledger_comparable(element)
        # without the Xero ID only an update carries
        return super()._ledger_comparable({k: v for k, v in element.items() if k != ID_FIELD[self.entity]})

    def _ledger_batch_stale(self, batch):
        if batch.tenant_id.code != "xero":
            return super()._ledger_batch_stale(batch)
        return batch.method == "PUT" and batch.create_date < fields.Datetime.now() - timedelta(
            hours=const.IDEMPOTENCY_WINDOW_HOURS)

    def _ledger_max_concurrent(self, tenant):
        if tenant.code != "xero":
            return super()._ledger_max_concurrent(tenant)
        return const.MAX_CONCURRENT_PER_TENANT  # Xero's limit of concurrent calls per organisation

    # --- sending and reading the answer ------------------------------------------------------------------
    def _ledger_send_batch(self, tenant, batch):
        if tenant.code != "xero":
            return super()._ledger_send_batch(tenant, batch)
        rows = self
        context = {"entity": batch.collection, "res_model": rows[0].res_model if len(rows) == 1 else False,
                   "res_id": rows[0].res_id if len(rows) == 1 else False, "attempt": batch.sends}
        data, headers = tenant._call(batch.method, batch.collection, body=json.loads(batch.body),
                                     params={"summarizeErrors": "false", "unitdp": "4"},
                                     idempotency_key=batch.idempotency_key,
                                     operation="sync %s" % batch.collection, context=context)
        first = rows[:1]
        return [first._ledger_result(raw) for raw in (data or {}).get(batch.collection) or []], headers

    def _ledger_result(self, raw):
        if self.tenant_id.code != "xero":
            return super()._ledger_result(raw)
        messages = [e.get("Message") for e in raw.get("ValidationErrors") or [] if e.get("Message")]
        return {"refused": raw.get("StatusAttributeString") == "ERROR" or bool(messages), "messages": messages,
                "values": self._link_values(raw, self.entity), "raw": raw}

    @staticmethod
    def _link_values(result, entity):
        """The link's fields from Xero's element ``result``."""
        return {"remote_id": result.get(ID_FIELD[entity]),
                "remote_name": result.get("Name") or result.get("InvoiceNumber") or result.get("CreditNoteNumber")
                or result.get("PurchaseOrderNumber") or result.get("Code"),
                "remote_code": result.get("Code") or result.get("AccountNumber") or False,
                "remote_status": result.get("Status") or False}

    def _ledger_find_existing(self, tenant, element, messages=None):
        if tenant.code != "xero":
            return super()._ledger_find_existing(tenant, element, messages)
        if messages is not None and not duplicates.says_taken(messages):
            return None
        found = self._find_in_xero(tenant, element)
        return self._ledger_result(found) if found else None

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

    def _ledger_needs_follow_up(self):
        if self.tenant_id.code != "xero":
            return super()._ledger_needs_follow_up()
        return self.entity == "credit_note" and self.operation == "upsert"  # allocated to its invoice

    def _ledger_after_link(self, tenant, record, element, result):
        if tenant.code != "xero":
            return super()._ledger_after_link(tenant, record, element, result)
        if self.operation != "upsert":
            return None
        if self.entity in ("invoice", "credit_note"):
            record._xero_note_sent(tenant, element)  # e.g. re-dated after a lock date
        if self.entity == "credit_note":
            self._allocate_credit_note(tenant, record, result["raw"])
        return None

    def _ledger_total_mismatch(self, result, record):
        if self.tenant_id.code != "xero":
            return super()._ledger_total_mismatch(result, record)
        # checkpoint 14: the rounding line sent with it should have made them equal
        if result["raw"].get("Total") is None:
            return None
        return record._xero_total_mismatch(result["raw"])

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
        except LedgerError as exc:
            refund.message_post(body=self.env._("Sent to Xero, but not allocated to %(invoice)s there: %(error)s",
                                                invoice=invoice.name, error=exc), message_type="notification")

    # --- after a batch: History notes in Xero, pacing ------------------------------------------------------
    def _ledger_after_batch(self, tenant, batch, answer, run):
        if tenant.code != "xero":
            return super()._ledger_after_batch(tenant, batch, answer, run)
        headers = answer
        # after Xero applied the batch: whatever happens to a note must not undo the rows' done
        # state and links (the batch would be sent again)
        try:
            with self.env.cr.savepoint():
                self._add_history_notes(tenant, batch, headers)
        except Exception:  # noqa: BLE001 - logged; the sync itself is done
            _logger.exception("Xero: _add_history_notes after a batch of %s failed", tenant.name)
        pause = self._pause_until(headers)
        if pause:
            # Xero's minute budget is spent: leave the rest for the next minute
            run["resting"].add(tenant.id)
            tenant._rest(pause)
        return None

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
            except LedgerError as exc:
                _logger.info("Xero: History note on %s not added: %s", record.display_name, exc)
                return
            remaining = limits_remaining(answer).get("minute")

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
