"""The fake ledger's books: what the fake adapter "sent" lands here, as a real ledger would keep it
(a remote id per record, the idempotency key of the request that created it, a status)."""

from odoo import fields, models


class PsaLedgerFakeRecord(models.Model):
    _name = "psa.ledger.fake.record"
    _description = "A record in the fake ledger"

    tenant_key = fields.Char(required=True, index=True, help="The fake organisation's id")
    collection = fields.Char(required=True)
    remote_id = fields.Char(required=True, index=True)
    name = fields.Char()
    email = fields.Char()
    total = fields.Float()
    status = fields.Char(default="OPEN")
    idempotency_key = fields.Char(index=True)
    position = fields.Integer(help="The element's place in the request that created it")
    payments = fields.Json(default=dict, help="{payment id: amount}")
