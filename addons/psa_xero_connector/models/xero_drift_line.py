"""One difference the drift report found between Odoo and Xero, with its one-click fixes:
re-push (queue the Odoo record again), pull the payment state from Xero, link to the Xero
record it probably is, or ignore.

A line is found again by its key (organisation, kind, Odoo record, Xero ID) on each run: still
there → it stays (an ignored line stays ignored); gone → it is marked fixed.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..access import MANAGER, check_caller
from ..utils import referenced_record
from ..xero.errors import XeroError

KIND_LABELS = [("missing_xero", "Missing in Xero"), ("missing_odoo", "Missing in Odoo"),
               ("total", "Total differs"), ("status", "Status differs"), ("contact", "Contact details differ")]
ENTITIES = [("invoice", "Invoice"), ("bill", "Bill"), ("credit_note", "Credit note"),
            ("purchase_order", "Purchase order"), ("contact", "Contact")]
OUTBOX_ENTITY = {"invoice": "invoice", "bill": "invoice", "credit_note": "credit_note",
                 "purchase_order": "purchase_order", "contact": "contact"}
INBOUND_KIND = {"invoice": "invoice", "bill": "invoice", "credit_note": "credit_note"}
RES_MODEL = {"invoice": "account.move", "bill": "account.move", "credit_note": "account.move",
             "purchase_order": "purchase.order", "contact": "res.partner"}


class XeroDriftLine(models.Model):
    _name = "xero.drift.line"
    _description = "Xero drift (a difference between Odoo and Xero)"
    _order = "state, kind, id desc"
    _rec_name = "number"
    _check_company_auto = True

    tenant_id = fields.Many2one("xero.tenant", string="Organisation", required=True, ondelete="cascade",
                                index=True, readonly=True)
    company_id = fields.Many2one(related="tenant_id.company_id", store=True, index=True)
    kind = fields.Selection(KIND_LABELS, required=True, readonly=True, index=True)
    entity = fields.Selection(ENTITIES, string="Document", readonly=True)
    state = fields.Selection([("open", "To check"), ("queued", "Re-pushed"), ("ignored", "Ignored"),
                              ("fixed", "Fixed")], default="open", required=True, index=True, readonly=True)
    res_model = fields.Char(string="Odoo model", readonly=True)
    res_id = fields.Many2oneReference(string="Odoo record", model_field="res_model", readonly=True)
    record_name = fields.Char(string="Record", compute="_compute_record_name")
    xero_id = fields.Char(string="Xero ID", readonly=True, index=True)
    number = fields.Char(string="Number / name", readonly=True)
    odoo_value = fields.Char(string="In Odoo", readonly=True)
    xero_value = fields.Char(string="In Xero", readonly=True)
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
        by_key = {(line.kind, line.res_model or False, line.res_id or False, line.xero_id or False): line
                  for line in lines}
        seen, create = set(), []
        for diff in differences:
            res_model, res_id = diff["key"] or (False, False)
            key = (diff["kind"], res_model, res_id, diff["xero_id"] or False)
            values = {"number": diff["number"] or diff["name"], "odoo_value": diff["odoo_value"],
                      "xero_value": diff["xero_value"], "entity": diff["entity"], "last_seen": now,
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
                               res_id=res_id, xero_id=diff["xero_id"] or False, first_seen=now))
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

    def action_repush(self):
        """Queue the Odoo record again through the outbox. A document Xero deleted, or no longer
        has, loses its link first: it is created again (a deleted document cannot be edited)."""
        check_caller(self, MANAGER, "read")
        Outbox, Link = self.env["xero.outbox"].sudo(), self.env["xero.link"].sudo()
        for line in self.sudo():
            if not line.res_model or line.kind == "missing_odoo":
                raise UserError(self.env._("%s has no Odoo record to send: link it or ignore it.", line.number))
            record = line._record()
            link = Link._link_of(line.tenant_id, record)
            if link and (line.kind == "missing_xero" or line.xero_value == "DELETED"):
                link.unlink()
            Outbox._enqueue(record, line.tenant_id, OUTBOX_ENTITY[line.entity])
            line.write({"state": "queued", "note": self.env._("Queued for Xero again")})
        return True

    def action_pull(self):
        """Bring Odoo's document in line with Xero's state (payments, voids): the same code as
        the webhook events and the poll."""
        check_caller(self, MANAGER, "read")
        Inbound = self.env["xero.inbound"].sudo()
        for line in self.sudo():
            if line.entity not in INBOUND_KIND or not line.xero_id:
                raise UserError(self.env._("%s: only invoices, bills and credit notes in Xero have a payment "
                                           "state to pull.", line.number))
            try:
                results = Inbound._sync_documents(line.tenant_id, INBOUND_KIND[line.entity], [line.xero_id.lower()])
            except XeroError as exc:
                raise UserError(self.env._("Xero did not answer: %s", exc)) from exc
            state, message, _record = results.get(line.xero_id.lower(), ("error", "", None))
            if state == "retry":  # changed in Odoo meanwhile: the event queue applies it again
                Inbound._apply_later(line.tenant_id, INBOUND_KIND[line.entity], [line.xero_id.lower()])
            line.write({"state": "fixed" if state == "done" else "open", "note": message or state})
        return True

    def action_link(self):
        """Link the Odoo record and the Xero record the report paired by number and kind."""
        check_caller(self, MANAGER, "read")
        Link = self.env["xero.link"].sudo()
        for line in self.sudo():
            if not line.candidate:
                raise UserError(self.env._("%s: no record with the same number on the other side to link to.",
                                           line.number))
            if line.kind == "missing_odoo":
                res_model, res_id = line.candidate.split(",")
                xero_id = line.xero_id
            else:
                res_model, res_id, xero_id = line.res_model, line.res_id, line.candidate
            record = line._record(res_model, int(res_id))
            existing = Link._link_of(line.tenant_id, record)
            if existing:
                existing.write({"xero_id": xero_id})
            else:
                Link.create({"tenant_id": line.tenant_id.id, "res_model": res_model, "res_id": record.id,
                             "xero_id": xero_id, "xero_name": line.number})
            # both sides of the pair are settled
            (line | line.search([("tenant_id", "=", line.tenant_id.id), ("state", "!=", "fixed"), "|",
                                 ("xero_id", "=", xero_id), "&", ("res_model", "=", res_model),
                                 ("res_id", "=", record.id)])).write(
                {"state": "fixed", "note": self.env._("Linked to the Xero record")})
        return True

    def action_ignore(self):
        check_caller(self, MANAGER, "read")
        self.sudo().write({"state": "ignored", "note": self.env._("Ignored by %s", self.env.user.name)})
        return True

    def action_open_record(self):
        self.ensure_one()
        check_caller(self, MANAGER, "read")
        record = referenced_record(self.env, self.res_model, self.res_id)
        if not record:
            raise UserError(self.env._("The Odoo record of %s no longer exists.", self.number))
        return {"type": "ir.actions.act_window", "res_model": record._name, "res_id": record.id,
                "view_mode": "form", "views": [(False, "form")]}
