"""Invoices, bills and credit notes queue for their company's organisations when posted, when
cancelled (voided there) and when deleted after they reached the ledger."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..access import check_ledger_owned
from .ledger_sync_mixin import GONE


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "ledger.document.mixin", "ledger.sync.mixin"]

    # set by the connector's code (under sudo) from what the ledger says, read-only to users over RPC too
    _ledger_owned_fields = frozenset({"ledger_voided", "ledger_tracking_note"})

    # the organisation's switch that syncs each move type
    SWITCH = {"out_invoice": "sync_invoices", "in_invoice": "sync_bills", "out_refund": "sync_credit_notes",
              "in_refund": "sync_credit_notes"}

    ledger_voided = fields.Boolean(string="Voided in the ledger", readonly=True, copy=False,
                                   help="The ledger reports this document as voided (see the organisation's "
                                        "setting to cancel such documents in Odoo too).")

    @api.model_create_multi
    def create(self, vals_list):
        check_ledger_owned(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_ledger_owned(self, [vals])
        return super().write(vals)

    def _ledger_entity(self):
        """The outbox entity of the move: an invoice / bill, or a credit note."""
        return "invoice" if self.move_type in ("out_invoice", "in_invoice") else "credit_note"

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted._ledger_enqueue("upsert")
        return posted

    def button_cancel(self):
        result = super().button_cancel()
        if not self._ledger_inbound():  # cancelled because the ledger voided it: nothing to send
            self._ledger_enqueue("void")  # only those that reached the ledger (see _ledger_enqueue)
        return result

    def unlink(self):
        """A document deleted in Odoo after it reached the ledger (posted and synced, reset to
        draft, then deleted: Odoo allows it for the last number of a sequence, or for
        accountants) is not left live there: it is deleted or voided there, as an accountant
        cancelling it would, through the outbox (a "delete" row that carries what it needs,
        since the record is gone; exactly once, in error on screen if the ledger refuses). A
        deletion the ledger would refuse is refused here, saying why (_ledger_deletion_refused)."""
        deletions = self._ledger_deletions()
        ids = self.ids
        result = super().unlink()
        Outbox = self.env["ledger.outbox"].sudo()
        Outbox._settle_deleted(self._name, ids)
        for (tenant, entity), labels in deletions.items():
            Outbox._enqueue_deletion(tenant, entity, self._name, labels)
        return result

    def _ledger_deletion_refused(self, tenant, link):
        """Why the ledger of ``tenant`` would refuse to remove this move (``link``: its link
        there, may be empty), or None. Each ledger's addon says."""
        return None

    def _ledger_deletions(self):
        """-> {(tenant, entity): {move id: name}} of the moves being deleted that are, or may
        be, live in an organisation's ledger (linked, or a creation in doubt). Raises UserError
        for one the ledger would refuse to remove."""
        Link, Outbox = self.env["ledger.link"].sudo(), self.env["ledger.outbox"].sudo()
        moves = self.filtered(lambda m: m.move_type in self.SWITCH)
        if not moves:
            return {}
        links = Link.search([("res_model", "=", self._name), ("res_id", "in", moves.ids)])
        in_doubt = Outbox.search([("res_model", "=", self._name), ("res_id", "in", moves.ids),
                                  ("operation", "=", "upsert"), ("batch_id", "!=", False),
                                  ("state", "in", ("sending", "retry", "error"))])
        found = {}
        for move in moves:
            mine = links.filtered(lambda link, move=move: link.res_id == move.id)
            doubt = in_doubt.filtered(lambda row, move=move: row.res_id == move.id)
            for tenant in mine.tenant_id | doubt.tenant_id:
                link = mine.filtered(lambda lk, tenant=tenant: lk.tenant_id == tenant)[:1]
                if link.remote_status in GONE:
                    continue  # already gone from the ledger's books
                refused = move._ledger_deletion_refused(tenant, link)
                if refused:
                    raise UserError(refused)
                found.setdefault((tenant, move._ledger_entity()), {})[move.id] = move.name or move.display_name
        return found

    def _ledger_enqueue(self, operation="upsert"):
        """Queue the moves for their company's organisations, grouped: posting 25 invoices at
        once costs one look-up and one insert, not 25 (the post must stay cheap)."""
        Tenant, Outbox = self.env["ledger.tenant"], self.env["ledger.outbox"].sudo()
        tenants, groups = {}, {}
        for move in self.filtered(lambda m: m.move_type in self.SWITCH):
            switch = self.SWITCH[move.move_type]
            if (switch, move.company_id) not in tenants:
                tenants[switch, move.company_id] = Tenant._sync_tenants(switch, move.company_id)
            for tenant in tenants[switch, move.company_id]:
                if operation == "void" and not self._ledger_may_be_in_ledger(tenant, move, Outbox):
                    continue  # never reached the ledger, and a row still queued is not sent once cancelled
                groups.setdefault((tenant, move._ledger_entity()), []).append(move.id)
        for (tenant, entity), ids in groups.items():
            Outbox._enqueue(self.browse(ids), tenant, entity, operation)

    def _ledger_targets(self):
        if self.move_type not in self.SWITCH:
            return []
        return [(tenant, self._ledger_entity()) for tenant in self.env["ledger.tenant"]._sync_tenants(
            self.SWITCH[self.move_type], self.company_id)]

    def _ledger_may_be_in_ledger(self, tenant, move, Outbox):
        """Linked, or in a request that may have reached the ledger (its answer not known yet)."""
        return bool(self.env["ledger.link"].sudo()._link_of(tenant, move)) or bool(Outbox._in_doubt(tenant, move))
