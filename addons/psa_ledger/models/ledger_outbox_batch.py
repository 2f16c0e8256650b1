"""A batch of the outbox, fixed before it is sent.

The rows, the exact request body and its idempotency key are committed *before* the request
leaves, so whatever happens next — a timeout, a lost answer, the worker SIGKILLed while the
ledger holds the request — the next worker resends the identical request with the identical
key, and the ledger answers with its original result instead of applying it twice. A batch is
only ever dissolved (its rows built again from the documents' state) when the ledger certainly
applied nothing: a rate limit on its first send.

The body is kept as ``{collection: [elements]}``; what goes over the wire is the ledger
adapter's (``ledger.outbox._ledger_send_batch``).
"""

import hashlib
import json

import psycopg2.errors

from odoo import api, fields, models


class LedgerOutboxBatch(models.Model):
    _name = "ledger.outbox.batch"
    _description = "Ledger outbox batch (one request, fixed before it is sent)"
    _order = "id"

    tenant_id = fields.Many2one("ledger.tenant", string="Organisation", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="tenant_id.company_id", store=True, index=True)
    entity = fields.Char(required=True)
    collection = fields.Char(required=True, help="The ledger's collection (resource) the batch is sent to")
    # the HTTP method the ledger's adapter chose (the values are kept across versions)
    method = fields.Selection([("PUT", "PUT (create)"), ("POST", "POST (update)")], required=True)
    idempotency_key = fields.Char(required=True, index=True, readonly=True)
    body = fields.Text(required=True, readonly=True, help="The request body, exactly as sent (and resent)")
    state = fields.Selection([("pending", "To send"), ("done", "Answered"), ("failed", "Given up")],
                             default="pending", required=True, index=True)
    sends = fields.Integer(string="Times sent", readonly=True,
                           help="How many times the request left Odoo (more than one: resent with the same key)")
    last_error = fields.Text(readonly=True)
    row_ids = fields.One2many("ledger.outbox", "batch_id", string="Rows")

    @api.model
    def _fix(self, tenant, entity, collection, method, rows, elements):
        """Create the batch of ``rows`` (in order) with their ``elements``. The key is a hash
        of the rows and of what is sent: the same rows built again from the same state (a
        worker whose whole transaction was lost) give the same key, while a later edit — a new
        row, even one that brings a record back to an earlier state — gets a key of its own."""
        body = json.dumps({collection: elements}, sort_keys=True, default=str)
        fixed = "%s|%s|%s|%s" % (tenant.remote_id, method, [r.id for r in rows], body)
        digest = hashlib.sha256(fixed.encode()).hexdigest()
        batch = self.create({"tenant_id": tenant.id, "entity": entity, "collection": collection, "method": method,
                             "idempotency_key": "odoo-%s" % digest[:60], "body": body})
        for seq, row in enumerate(rows):
            # the rows of a batch live and give up together
            row.write({"batch_id": batch.id, "batch_seq": seq, "state": "sending", "attempts": 0})
        return batch

    def _claim_due(self, tenant):
        """The oldest pending batch of this organisation whose rows are due, locked for this
        worker (others skip it). A batch whose sender died is due again at once."""
        self.flush_model()
        self.env["ledger.outbox"].flush_model(["batch_id", "next_try", "state"])
        self.env.cr.execute("""
            SELECT b.id FROM ledger_outbox_batch b
             WHERE b.tenant_id = %s AND b.state = 'pending'
               AND EXISTS (SELECT 1 FROM ledger_outbox r WHERE r.batch_id = b.id AND r.state IN ('sending', 'retry')
                                                          AND r.next_try <= %s)
             ORDER BY b.id LIMIT 1 FOR UPDATE SKIP LOCKED""", [tenant.id, fields.Datetime.now()])
        row = self.env.cr.fetchone()
        return self.browse(row[0] if row else [])

    def _lock(self):
        """Lock this batch again after a commit; -> empty if another worker has it now (or
        changed it since this transaction's snapshot: it is theirs)."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute("SELECT id FROM ledger_outbox_batch WHERE id = %s AND state = 'pending' "
                                    "FOR UPDATE SKIP LOCKED", [self.id])
                found = self.env.cr.fetchone()
        except psycopg2.errors.SerializationFailure:
            return self.browse()
        return self if found else self.browse()

    def _rows(self):
        """The rows still waiting for this batch's answer, in the order of its elements."""
        return self.row_ids.filtered(lambda r: r.state in ("sending", "retry")).sorted("batch_seq")

    def _elements(self):
        return json.loads(self.body)[self.collection]
