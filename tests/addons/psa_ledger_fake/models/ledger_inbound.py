"""The fake ledger states its documents in the core's neutral form (``psa_ledger.settlement``)."""

from decimal import Decimal

from odoo import fields, models


class LedgerInbound(models.AbstractModel):
    _inherit = "ledger.inbound"

    def _ledger_fetch_documents(self, tenant, kind, ids):
        if tenant.code != "fake":
            return super()._ledger_fetch_documents(tenant, kind, ids)
        books = self.env["psa.ledger.fake.record"].sudo().search([("tenant_key", "=", tenant.remote_id),
                                                                  ("remote_id", "in", list(ids))])
        states = []
        for book in books:
            paid = sum(Decimal(str(a)) for a in (book.payments or {}).values())
            states.append({
                "id": book.remote_id.lower(), "number": book.name, "status": book.status,
                "voided": book.status == "VOIDED", "amount_due": Decimal(str(book.total)) - paid,
                "payments": {pid: {"id": pid, "amount": Decimal(str(amount)), "date": fields.Date.today(),
                                   "reference": "fake %s" % pid, "account": {}, "rate": None}
                             for pid, amount in (book.payments or {}).items()},
                "allocations": []})
        return states
