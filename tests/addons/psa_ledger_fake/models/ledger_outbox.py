"""The fake ledger's adapter for the outbox: contacts and customer invoices, sent in batches to
the fake books in this database. A name containing REFUSE is refused with the fake's sentence; a
request sent again with the same idempotency key gets the first answer (as real ledgers replay)."""

import json
import uuid

from odoo import models

from odoo.addons.psa_ledger.errors import LedgerTransientError

COLLECTION = {"contact": "contacts", "invoice": "invoices"}


class LedgerOutbox(models.Model):
    _inherit = "ledger.outbox"

    def _ledger_element(self, tenant, record, link, resync=False):
        if tenant.code != "fake":
            return super()._ledger_element(tenant, record, link, resync=resync)
        if self.entity == "contact":
            return {"id": link.remote_id or None, "name": record.name, "email": record.email or ""}
        return {"id": link.remote_id or None, "name": record.name, "total": record.amount_total}

    def _ledger_void_element(self, tenant, link):
        if tenant.code != "fake":
            return super()._ledger_void_element(tenant, link)
        return {"id": link.remote_id, "status": "VOIDED"}

    def _ledger_is_update(self, element):
        if self.tenant_id.code != "fake":
            return super()._ledger_is_update(element)
        return bool(element.get("id"))

    def _ledger_batch_plan(self, tenant, entity, is_update):
        if tenant.code != "fake":
            return super()._ledger_batch_plan(tenant, entity, is_update)
        return COLLECTION[entity], "POST"

    def _ledger_send_batch(self, tenant, batch):
        if tenant.code != "fake":
            return super()._ledger_send_batch(tenant, batch)
        Books = self.env["psa.ledger.fake.record"].sudo()
        replayed = Books.search([("idempotency_key", "=", batch.idempotency_key)], order="position")
        if replayed:
            return [self._fake_result(r) for r in replayed], None
        results = []
        for position, element in enumerate(batch._elements()):
            if "REFUSE" in (element.get("name") or ""):
                results.append({"refused": True, "messages": ["The fake ledger refuses %s" % element["name"]],
                                "values": {}, "raw": element})
                continue
            found = Books.search([("remote_id", "=", element.get("id"))]) if element.get("id") else Books
            values = {k: v for k, v in element.items() if k in ("name", "email", "total", "status")}
            if found:
                found.write(values)
            else:
                found = Books.create(dict(values, tenant_key=tenant.remote_id, collection=batch.collection,
                                          remote_id=uuid.uuid4().hex, idempotency_key=batch.idempotency_key,
                                          position=position))
            results.append(self._fake_result(found))
        if self.env.context.get("fake_lose_answer"):
            # the books changed, the answer never came: the core must resend the batch as fixed
            raise LedgerTransientError("The fake ledger's answer was lost")
        return results, None

    def _ledger_result(self, raw):
        if self.tenant_id.code != "fake":
            return super()._ledger_result(raw)
        return {"refused": False, "messages": [], "values": {"remote_id": raw["id"]}, "raw": raw}

    def _fake_result(self, book):
        return {"refused": False, "messages": [], "raw": json.loads(json.dumps({"id": book.remote_id})),
                "values": {"remote_id": book.remote_id, "remote_name": book.name, "remote_status": book.status}}
