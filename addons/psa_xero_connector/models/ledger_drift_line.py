"""One difference the drift report found between Odoo and Xero, with its one-click fixes:
re-push (queue the Odoo record again), pull the payment state from Xero, link to the Xero
record it probably is, or ignore.

A line describes Odoo and Xero as they were when the report ran. Each fix checks again, at the
moment it runs, what it would act on — the line still open, the record's link (the Xero ID the
report compared), its outbox rows, and for a re-creation Xero itself — and does nothing but say
what it found when any of it changed: safe pressed twice, never acting on a stale line.

A line is found again by its key (organisation, kind, Odoo record, Xero ID) on each run: still
there → it stays (an ignored line stays ignored); gone → it is marked fixed.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psa_ledger.access import MANAGER, check_caller
from odoo.addons.psa_ledger.utils import referenced_record

from ..xero.errors import XeroError, XeroNotFound

KIND_LABELS = [("missing_xero", "Missing in Xero"), ("missing_odoo", "Missing in Odoo"),
               ("total", "Total differs"), ("status", "Status differs"), ("contact", "Contact details differ")]
ENTITIES = [("invoice", "Invoice"), ("bill", "Bill"), ("credit_note", "Credit note"),
            ("purchase_order", "Purchase order"), ("contact", "Contact")]
OUTBOX_ENTITY = {"invoice": "invoice", "bill": "invoice", "credit_note": "credit_note",
                 "purchase_order": "purchase_order", "contact": "contact"}
INBOUND_KIND = {"invoice": "invoice", "bill": "invoice", "credit_note": "credit_note"}
RES_MODEL = {"invoice": "account.move", "bill": "account.move", "credit_note": "account.move",
             "purchase_order": "purchase.order", "contact": "res.partner"}
# the Xero collection a line's record lives in
COLLECTION = {"invoice": "Invoices", "bill": "Invoices", "credit_note": "CreditNotes",
              "purchase_order": "PurchaseOrders", "contact": "Contacts"}
PENDING = ("queued", "waiting", "sending", "retry")


class XeroDriftLine(models.Model):
    _name = "ledger.drift.line"
    _description = "Xero drift (a difference between Odoo and Xero)"
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
    remote_id = fields.Char(string="Xero ID", readonly=True, index=True)
    number = fields.Char(string="Number / name", readonly=True)
    odoo_value = fields.Char(string="In Odoo", readonly=True)
    remote_value = fields.Char(string="In Xero", readonly=True)
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
        company's record to this organisation's Xero."""
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
        """Queue the Odoo record again through the outbox. A document Xero deleted, or no longer
        has, loses its link first: it is created again (a deleted document cannot be edited) —
        only after Xero, asked now, confirms it does not have it. Whatever changed since the
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
        record = self._record()
        rows = Outbox.search([("tenant_id", "=", tenant.id), ("res_model", "=", record._name),
                              ("res_id", "=", record.id)], order="id desc")
        pending = rows.filtered(lambda r: r.state in PENDING)[:1]
        if pending:
            self.state = "queued"
            return self.env._("already queued for Xero since the report ran (outbox row #%s): nothing more queued.",
                              pending.id)
        link = Link._link_of(tenant, record)
        seen, now = (self.remote_id or "").lower(), (link.remote_id or "").lower()
        if seen != now:
            return self.env._("linked to %(xero)s in Xero since the report ran: nothing done; run the report "
                              "again to compare.", xero=link.remote_name or link.remote_id) if link else self.env._(
                "no longer linked to a Xero record since the report ran: nothing done; run the report again.")
        sent = rows.filtered(lambda r: r.state == "done" and r.write_date > self.last_seen)[:1]
        if sent:
            return self.env._("sent to Xero since the report ran (outbox row #%s): nothing queued; run the report "
                              "again to compare.", sent.id)
        if not link and self.candidate:
            # Xero has a record of the same number and kind nobody is linked to: most likely this
            # one, sent before its answer was lost. Creating another would duplicate it (a bill's
            # number is not unique in Xero).
            return self.env._("Xero has a record with the same number (%(xero)s): link it instead of creating "
                              "another; nothing queued.", xero=self.candidate)
        if link and (self.kind == "missing_xero" or self.remote_value == "DELETED"):
            status = self._xero_status_now(link)
            if status not in (None, "DELETED"):
                link.remote_status = status
                return self.env._("Xero has it (%(status)s): nothing created; run the report again to compare.",
                                  status=status)
            link.unlink()  # deleted or gone at Xero: it is created again
        if record._name in ("account.move", "purchase.order") and record.state == "cancel":
            # cancelled in Odoo, still live in Xero: what goes again is the void (a purchase order
            # is deleted), not the document
            if not link:
                return self.env._("cancelled in Odoo and not linked to a Xero record: nothing to void; link it "
                                  "first if Xero has it.")
            self.env["ledger.outbox"].sudo()._enqueue(record, tenant, OUTBOX_ENTITY[self.entity], "void")
            self.state = "queued"
            return self.env._("cancelled in Odoo: its void queued for Xero again.")
        self.env["ledger.outbox"].sudo()._enqueue(record, tenant, OUTBOX_ENTITY[self.entity])
        self.state = "queued"
        return self.env._("queued for Xero again.")

    def _xero_status_now(self, link):
        """The Status (ContactStatus) Xero gives the linked record now, None when Xero has no such record."""
        collection = COLLECTION[self.entity]
        try:
            data, _headers = self.tenant_id._call("GET", "%s/%s" % (collection, link.remote_id),
                                                  operation="drift check %s" % collection,
                                                  context={"entity": collection, "res_model": link.res_model,
                                                           "res_id": link.res_id})
        except XeroNotFound:
            return None
        except XeroError as exc:
            raise UserError(self.env._("Xero did not answer, nothing was changed: %s", exc)) from exc
        found = ((data or {}).get(collection) or [None])[0]
        if not found:
            return None
        return found.get("Status") or found.get("ContactStatus") or "ACTIVE"

    def action_pull(self):
        """Bring Odoo's document in line with Xero's state (payments, voids): the same code as
        the webhook events and the poll."""
        check_caller(self, MANAGER, "read")
        Inbound = self.env["xero.inbound"].sudo()
        refused = self.sudo()._lock_open()
        if refused:
            raise UserError("\n".join(refused.values()))
        for line in self.sudo():
            if line.entity not in INBOUND_KIND or not line.remote_id:
                raise UserError(self.env._("%s: only invoices, bills and credit notes in Xero have a payment "
                                           "state to pull.", line.number))
            try:
                results = Inbound._sync_documents(line.tenant_id, INBOUND_KIND[line.entity], [line.remote_id.lower()])
            except XeroError as exc:
                raise UserError(self.env._("Xero did not answer: %s", exc)) from exc
            state, message, _record = results.get(line.remote_id.lower(), ("error", "", None))
            if state == "retry":  # changed in Odoo meanwhile: the event queue applies it again
                Inbound._apply_later(line.tenant_id, INBOUND_KIND[line.entity], [line.remote_id.lower()])
            line.write({"state": "fixed" if state == "done" else "open", "note": message or state})
        return True

    def action_link(self):
        """Link the Odoo record and the Xero record the report paired by number and kind —
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
            if existing and existing.remote_id.lower() != remote_id.lower():
                note = self.env._("%(record)s is already linked to %(xero)s in Xero (since the report ran): not "
                                  "linked over it; run the report again to compare.", record=record.display_name,
                                  xero=existing.remote_name or existing.remote_id)
            elif taken:
                note = self.env._("That Xero record is already linked to %(other)s: not linked to %(record)s.",
                                  other=taken.record_name or "#%s" % taken.res_id, record=record.display_name)
            else:
                if not existing:
                    Link.create({"tenant_id": line.tenant_id.id, "res_model": res_model, "res_id": record.id,
                                 "remote_id": remote_id, "remote_name": line.number})
                note = self.env._("Linked to the Xero record")
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
