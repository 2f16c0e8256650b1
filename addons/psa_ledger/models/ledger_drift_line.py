"""One difference the drift report found between Odoo and the ledger, with its one-click fixes:
re-push (queue the Odoo record again), pull the payment state from the ledger, link to the
ledger's record it probably is, or ignore.

A line describes Odoo and the ledger as they were when the report ran. Each fix checks again, at
the moment it runs, what it would act on — the line still open, the record's link (the remote ID
the report compared), its outbox rows, and for a re-creation the ledger itself — and does nothing
but say what it found when any of it changed: safe pressed twice, never acting on a stale line.

A line is found again by its key (organisation, kind, Odoo record, remote ID) on each run: still
there → it stays (an ignored line stays ignored); gone → it is marked fixed.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..access import MANAGER, check_caller
from ..const import PENDING
from ..errors import LedgerError
from ..utils import referenced_record

KIND_LABELS = [("missing_ledger", "Missing in the ledger"), ("missing_odoo", "Missing in Odoo"),
               ("total", "Total differs"), ("status", "Status differs"), ("contact", "Contact details differ")]
ENTITIES = [("invoice", "Invoice"), ("bill", "Bill"), ("credit_note", "Credit note"),
            ("purchase_order", "Purchase order"), ("contact", "Contact")]
OUTBOX_ENTITY = {"invoice": "invoice", "bill": "invoice", "credit_note": "credit_note",
                 "purchase_order": "purchase_order", "contact": "contact"}
INBOUND_KIND = {"invoice": "invoice", "bill": "invoice", "credit_note": "credit_note"}
RES_MODEL = {"invoice": "account.move", "bill": "account.move", "credit_note": "account.move",
             "purchase_order": "purchase.order", "contact": "res.partner"}


class LedgerDriftLine(models.Model):
    _name = "ledger.drift.line"
    _description = "Drift (a difference between Odoo and the ledger)"
    _order = "state, kind, id desc"
    _rec_name = "number"
    _check_company_auto = True

    tenant_id = fields.Many2one("ledger.tenant", string="Organisation", required=True, ondelete="cascade",
                                index=True, readonly=True)
    company_id = fields.Many2one(related="tenant_id.company_id", store=True, index=True)
    kind = fields.Selection(KIND_LABELS, required=True, readonly=True, index=True)
    entity = fields.Selection(ENTITIES, string="Document", readonly=True)
    state = fields.Selection([("open", "To check"), ("queued", "Re-pushed"), ("ignored", "Ignored"),
                              ("fixed", "Fixed")], default="open", required=True, index=True, readonly=True)
    res_model = fields.Char(string="Odoo model", readonly=True)
    res_id = fields.Many2oneReference(string="Odoo record", model_field="res_model", readonly=True)
    record_name = fields.Char(string="Record", compute="_compute_record_name")
    remote_id = fields.Char(string="ID in the ledger", readonly=True, index=True)
    number = fields.Char(string="Number / name", readonly=True)
    odoo_value = fields.Char(string="In Odoo", readonly=True)
    remote_value = fields.Char(string="In the ledger", readonly=True)
    candidate = fields.Char(string="Probably the same as", readonly=True,
                            help="The record on the other side with the same number and kind (a lost link)")
    first_seen = fields.Datetime(readonly=True, default=fields.Datetime.now)
    last_seen = fields.Datetime(readonly=True, default=fields.Datetime.now)
    note = fields.Char(readonly=True, help="What the last action did")

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for line in self:
            record = referenced_record(self.env, line.res_model, line.res_id)
            # a line may name a record of a model the reader has no right on (a purchase order)
            line.record_name = record.sudo().display_name if record else False

    # --- a run's result ----------------------------------------------------------------------------
    @api.model
    def _store(self, tenant, differences):
        """Lay a run's differences over the lines: found again → refreshed (ignored stays
        ignored), new → open, no longer found → fixed."""
        now = fields.Datetime.now()
        lines = self.sudo().search([("tenant_id", "=", tenant.id), ("state", "!=", "fixed")])
        by_key = {(line.kind, line.res_model or False, line.res_id or False, line.remote_id or False): line
                  for line in lines}
        seen, create = set(), []
        for diff in differences:
            res_model, res_id = diff["key"] or (False, False)
            key = (diff["kind"], res_model, res_id, diff["remote_id"] or False)
            values = {"number": diff["number"] or diff["name"], "odoo_value": diff["odoo_value"],
                      "remote_value": diff["remote_value"], "entity": diff["entity"], "last_seen": now,
                      "candidate": "%s,%s" % diff["candidate"] if isinstance(diff["candidate"], tuple)
                      else diff["candidate"] or False}
            line = by_key.get(key)
            if line:
                seen.add(line.id)
                if line.state == "queued":
                    values["state"] = "open"  # re-pushed, and still different: look again
                if any(line[f] != v for f, v in values.items() if f != "last_seen"):
                    line.write(values)
                continue
            create.append(dict(values, tenant_id=tenant.id, kind=diff["kind"], res_model=res_model,
                               res_id=res_id, remote_id=diff["remote_id"] or False, first_seen=now))
        (lines.filtered(lambda line: line.id not in seen)).write({"state": "fixed", "last_seen": now})
        self.sudo().create(create)

    # --- one-click fixes ---------------------------------------------------------------------------
    def _record(self, res_model=None, res_id=None):
        """The Odoo record this line names (or ``res_model``/``res_id``), under sudo — only if it
        belongs to the line's organisation's company: a line must never send or link another
        company's record to this organisation's ledger."""
        record = referenced_record(self.env, res_model or self.res_model, res_id or self.res_id)
        if not record:
            raise UserError(self.env._("The Odoo record of %(line)s no longer exists.", line=self.number))
        record = record.sudo()
        company = record.company_id if "company_id" in record._fields else record.browse()
        if company and company != self.tenant_id.company_id:
            raise UserError(self.env._("%(record)s belongs to %(company)s, not to the company of %(org)s.",
                                       record=record.display_name, company=company.name, org=self.tenant_id.name))
        return record

    def _lock_open(self):
        """Lock these lines for this transaction (a second click waits for the first, then sees
        what it did: Odoo retries it on the serialization failure) -> {line: why it is refused}
        for the lines no longer open."""
        self.env.cr.execute("SELECT id FROM ledger_drift_line WHERE id IN %s FOR UPDATE", [tuple(self.ids)])
        self.invalidate_recordset(["state", "note"])
        labels = dict(self._fields["state"]._description_selection(self.env))
        return {line: self.env._("%(line)s is no longer open (%(state)s since the report ran): nothing done.",
                                 line=line.number, state=labels[line.state])
                for line in self if line.state != "open"}

    def _done(self, title, said):
        """The notification a fix returns: what it did or found, line by line; the list reloads."""
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": title, "message": "\n".join(said), "type": "info", "sticky": len(said) > 1,
            "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}

    def action_repush(self):
        """Queue the Odoo record again through the outbox. A document the ledger deleted, or no
        longer has, loses its link first: it is created again (a deleted document cannot be edited)
        — only after the ledger, asked now, confirms it does not have it. Whatever changed since the
        report ran (the record queued, sent, linked elsewhere; the line fixed, ignored or already
        re-pushed) is said, and nothing is done for that line."""
        check_caller(self, MANAGER, "read")
        lines = self.sudo()
        refused = lines._lock_open()
        said = []
        for line in lines:
            if line in refused:
                said.append(refused[line])
                continue
            if not line.res_model or line.kind == "missing_odoo":
                raise UserError(self.env._("%s has no Odoo record to send: link it or ignore it.", line.number))
            note = line._repush_one()
            line.note = note
            said.append("%s: %s" % (line.number, note))
        return self._done(self.env._("Re-push"), said)

    def _repush_one(self):
        """-> what was done (the line is "queued" then) or found (the line is left as it is)."""
        Outbox, Link = self.env["ledger.outbox"].sudo(), self.env["ledger.link"].sudo()
        tenant = self.tenant_id
        ledger = tenant._ledger_label()
        record = self._record()
        rows = Outbox.search([("tenant_id", "=", tenant.id), ("res_model", "=", record._name),
                              ("res_id", "=", record.id)], order="id desc")
        pending = rows.filtered(lambda r: r.state in PENDING)[:1]
        if pending:
            self.state = "queued"
            return self.env._("already queued for %(ledger)s since the report ran (outbox row #%(row)s): nothing "
                              "more queued.", ledger=ledger, row=pending.id)
        link = Link._link_of(tenant, record)
        seen, now = (self.remote_id or "").lower(), (link.remote_id or "").lower()
        if seen != now:
            return self.env._("linked to %(remote)s in %(ledger)s since the report ran: nothing done; run the "
                              "report again to compare.", remote=link.remote_name or link.remote_id,
                              ledger=ledger) if link else self.env._(
                "no longer linked to a record in %s since the report ran: nothing done; run the report again.",
                ledger)
        sent = rows.filtered(lambda r: r.state == "done" and r.write_date > self.last_seen)[:1]
        if sent:
            return self.env._("sent to %(ledger)s since the report ran (outbox row #%(row)s): nothing queued; run "
                              "the report again to compare.", ledger=ledger, row=sent.id)
        if not link and self.candidate:
            # the ledger has a record of the same number and kind nobody is linked to: most likely
            # this one, sent before its answer was lost. Creating another would duplicate it (a
            # bill's number need not be unique in a ledger).
            return self.env._("%(ledger)s has a record with the same number (%(remote)s): link it instead of "
                              "creating another; nothing queued.", ledger=ledger, remote=self.candidate)
        if link and (self.kind == "missing_ledger" or self.remote_value == "DELETED"):
            try:
                status = self._ledger_status_now(link)
            except LedgerError as exc:
                raise UserError(self.env._("%(ledger)s did not answer, nothing was changed: %(error)s",
                                           ledger=ledger, error=exc)) from exc
            if status not in (None, "DELETED"):
                link.remote_status = status
                return self.env._("%(ledger)s has it (%(status)s): nothing created; run the report again to "
                                  "compare.", ledger=ledger, status=status)
            link.unlink()  # deleted or gone in the ledger: it is created again
        if record._name in ("account.move", "purchase.order") and record.state == "cancel":
            # cancelled in Odoo, still live in the ledger: what goes again is the void (a purchase
            # order is deleted), not the document
            if not link:
                return self.env._("cancelled in Odoo and not linked to a record in %(ledger)s: nothing to void; "
                                  "link it first if %(ledger)s has it.", ledger=ledger)
            self.env["ledger.outbox"].sudo()._enqueue(record, tenant, OUTBOX_ENTITY[self.entity], "void")
            self.state = "queued"
            return self.env._("cancelled in Odoo: its void queued for %s again.", ledger)
        self.env["ledger.outbox"].sudo()._enqueue(record, tenant, OUTBOX_ENTITY[self.entity])
        self.state = "queued"
        return self.env._("queued for %s again.", ledger)

    def _ledger_status_now(self, link):
        """Hook: the status the ledger gives the linked record now, None when it has no such
        record (each ledger overrides it, guarded by the organisation's code). Raises LedgerError."""
        raise NotImplementedError(self.env._("No ledger reads records for %s.", self.tenant_id.display_name))

    def action_pull(self):
        """Bring Odoo's document in line with the ledger's state (payments, voids): the same code
        as the webhook events and the poll."""
        check_caller(self, MANAGER, "read")
        Inbound = self.env["ledger.inbound"].sudo()
        refused = self.sudo()._lock_open()
        if refused:
            raise UserError("\n".join(refused.values()))
        for line in self.sudo():
            if line.entity not in INBOUND_KIND or not line.remote_id:
                raise UserError(self.env._("%s: only invoices, bills and credit notes in the ledger have a "
                                           "payment state to pull.", line.number))
            try:
                results = Inbound._sync_documents(line.tenant_id, INBOUND_KIND[line.entity], [line.remote_id.lower()])
            except LedgerError as exc:
                raise UserError(self.env._("%(ledger)s did not answer: %(error)s",
                                           ledger=line.tenant_id._ledger_label(), error=exc)) from exc
            state, message, _record = results.get(line.remote_id.lower(), ("error", "", None))
            if state == "retry":  # changed in Odoo meanwhile: the event queue applies it again
                self.env["ledger.event"].sudo()._store_again(line.tenant_id, INBOUND_KIND[line.entity],
                                                             [line.remote_id.lower()])
            line.write({"state": "fixed" if state == "done" else "open", "note": message or state})
        return True

    def action_link(self):
        """Link the Odoo record and the ledger's record the report paired by number and kind —
        only if neither is linked since (an existing link is never overwritten: the line says
        what it is linked to)."""
        check_caller(self, MANAGER, "read")
        Link = self.env["ledger.link"].sudo()
        lines = self.sudo()
        refused = lines._lock_open()
        said = []
        for line in lines:
            if line in refused:
                said.append(refused[line])
                continue
            if not line.candidate:
                raise UserError(self.env._("%s: no record with the same number on the other side to link to.",
                                           line.number))
            if line.kind == "missing_odoo":
                res_model, res_id = line.candidate.split(",")
                remote_id = line.remote_id
            else:
                res_model, res_id, remote_id = line.res_model, line.res_id, line.candidate
            record = line._record(res_model, int(res_id))
            existing = Link._link_of(line.tenant_id, record)
            taken = Link.search([("tenant_id", "=", line.tenant_id.id), ("res_model", "=", res_model),
                                 ("remote_id", "=ilike", remote_id), ("res_id", "!=", record.id)], limit=1)
            ledger = line.tenant_id._ledger_label()
            if existing and existing.remote_id.lower() != remote_id.lower():
                note = self.env._("%(record)s is already linked to %(remote)s in %(ledger)s (since the report ran): "
                                  "not linked over it; run the report again to compare.", record=record.display_name,
                                  remote=existing.remote_name or existing.remote_id, ledger=ledger)
            elif taken:
                note = self.env._("That record in %(ledger)s is already linked to %(other)s: not linked to "
                                  "%(record)s.", ledger=ledger, other=taken.record_name or "#%s" % taken.res_id,
                                  record=record.display_name)
            else:
                if not existing:
                    Link.create({"tenant_id": line.tenant_id.id, "res_model": res_model, "res_id": record.id,
                                 "remote_id": remote_id, "remote_name": line.number})
                note = self.env._("Linked to the record in %s", ledger)
                # both sides of the pair are settled
                line.search([("tenant_id", "=", line.tenant_id.id), ("state", "=", "open"), ("id", "!=", line.id),
                             "|", ("remote_id", "=", remote_id), "&", ("res_model", "=", res_model),
                             ("res_id", "=", record.id)]).write({"state": "fixed", "note": note})
                line.state = "fixed"
            line.note = note
            said.append("%s: %s" % (line.number, note))
        return self._done(self.env._("Link"), said)

    def action_ignore(self):
        check_caller(self, MANAGER, "read")
        # a line fixed meanwhile stays fixed
        self.sudo().filtered(lambda line: line.state in ("open", "queued")).write(
            {"state": "ignored", "note": self.env._("Ignored by %s", self.env.user.name)})
        return True

    def action_open_record(self):
        self.ensure_one()
        check_caller(self, MANAGER, "read")
        record = referenced_record(self.env, self.res_model, self.res_id)
        if not record:
            raise UserError(self.env._("The Odoo record of %s no longer exists.", self.number))
        return {"type": "ir.actions.act_window", "res_model": record._name, "res_id": record.id,
                "view_mode": "form", "views": [(False, "form")]}
