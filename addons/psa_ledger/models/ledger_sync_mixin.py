"""The status in its ledger a synced record shows (not sent / queued / in the ledger since when /
error with the ledger's exact message / voided there), its Retry and Re-sync, and the link that
opens it in the ledger — computed from the record's outbox rows and links, two queries for a
whole list. The ledger's own labels and deep links come from its addon (hooks below)."""

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..access import MANAGER, USER, check_caller
from ..const import PENDING

STATES = [("none", "Not in the ledger"), ("queued", "Queued"), ("done", "In the ledger ✓"), ("error", "Error"),
          ("voided", "Voided in the ledger")]
# a document's status on its link once voided (approved) or deleted (draft) in the ledger: each
# ledger's adapter writes these words on the link
GONE = ("VOIDED", "DELETED")


class LedgerSyncMixin(models.AbstractModel):
    _name = "ledger.sync.mixin"
    _description = "Record synced to a ledger"

    # Fields whose change queues the record (documents queue on post / confirm instead).
    _ledger_sync_fields = frozenset()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if self._ledger_sync_fields:
            records._ledger_enqueue()
        return records

    # create / write / the document overrides (_post, button_confirm, button_cancel) queue under
    # sudo only after Odoo's own create / write / state change checked the caller on the record:
    # they do not ask for a ledger group, since any user who edits a customer or posts an invoice
    # is meant to sync it.

    def write(self, vals):
        result = super().write(vals)
        if self._ledger_sync_fields & set(vals):
            self._ledger_enqueue()
        return result

    def _ledger_enqueue(self, operation="upsert"):
        """Queue the records for the organisations that sync them (each model says which)."""
        raise NotImplementedError

    def _ledger_no_sync(self):
        """True while what is saved comes from the ledger (an import): it is not sent back."""
        return bool(self.env.context.get("ledger_no_sync"))

    def _ledger_inbound(self):
        """True while the change comes from the ledger (a document voided there is cancelled
        in Odoo): nothing is sent back."""
        return bool(self.env.context.get("ledger_inbound"))

    ledger_sync_state = fields.Selection(STATES, string="Ledger sync", compute="_compute_ledger_sync_state",
                                         search="_search_ledger_sync_state")
    ledger_sync_message = fields.Text(string="Ledger message", compute="_compute_ledger_sync_state")
    ledger_synced_at = fields.Datetime(string="In the ledger since", compute="_compute_ledger_sync_state",
                                       help="When Odoo's last change of this record reached the ledger")
    ledger_url = fields.Char(string="Open in the ledger", compute="_compute_ledger_sync_state",
                             help="The record in the ledger's web app")

    def _ledger_visible_domain(self, domain):
        """``domain`` (of outbox rows or links) narrowed to what the current user may learn
        about: nothing without the ledger user group (None), else the organisations of the
        companies they work in (``env.companies``). A shared partner syncs to every
        organisation; its status must not show another company's organisation or the ledger's
        messages about it. Superuser (crons, code) sees everything."""
        if self.env.su:
            return domain
        if not self.env.user.has_group(USER):
            return None
        return domain + [("company_id", "in", self.env.companies.ids)]

    def _ledger_visible_outbox(self, domain):
        """Outbox rows the current user may learn about (see _ledger_visible_domain)."""
        domain = self._ledger_visible_domain(domain)
        Outbox = self.env["ledger.outbox"].sudo()
        return Outbox.search(domain, order="id") if domain is not None else Outbox

    def _ledger_visible_links(self, domain):
        """Links the current user may learn about, by the same rule as outbox rows."""
        domain = self._ledger_visible_domain(domain)
        Link = self.env["ledger.link"].sudo()
        return Link.search(domain, order="id") if domain is not None else Link

    # --- hooks of each ledger's addon ------------------------------------------------------------------
    def _ledger_link_urls(self, links):
        """-> {link id: the record's page in its ledger's web app} for ``links`` (of records of
        this model); each ledger's addon answers for its own organisations' links."""
        return {}

    def _ledger_status_computed(self, linked):
        """Called by the status compute with ``linked`` = {record id: [links]} (visible ones):
        a ledger's addon sets its own fields computed with the status (its document statuses)."""
        return None

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_ledger_sync_state(self):
        rows = self._ledger_visible_outbox([("res_model", "=", self._name), ("res_id", "in", self.ids)])
        latest, linked = {}, {}
        for row in rows:
            latest.setdefault(row.res_id, []).append(row)
        for link in self._ledger_visible_links([("res_model", "=", self._name), ("res_id", "in", self.ids)]):
            linked.setdefault(link.res_id, []).append(link)
        firsts = self.env["ledger.link"].sudo().browse([links[0].id for links in linked.values()])
        urls = self._ledger_link_urls(firsts) if firsts else {}
        for record in self:
            mine = latest.get(record.id, [])
            links = linked.get(record.id, [])
            errors = [r for r in mine if r.state == "error"]
            pending = [r for r in mine if r.state in PENDING]
            done = [r for r in mine if r.state == "done"]
            link = links[0] if links else None
            record.ledger_synced_at = max(r.write_date for r in done) if done else (link.write_date if link else False)
            record.ledger_url = urls.get(link.id, False) if link else False
            voided = any(lk.remote_status in GONE for lk in links) or bool(
                links and "ledger_voided" in record._fields and record.ledger_voided)
            if errors:
                record.ledger_sync_state = "error"
                record.ledger_sync_message = "\n".join("%s: %s" % (r.tenant_id.name, r.last_error) for r in errors)
            elif pending:
                record.ledger_sync_state = "queued"
                record.ledger_sync_message = "\n".join(r.last_error for r in pending if r.last_error) or False
            elif voided:
                record.ledger_sync_state = "voided"
                record.ledger_sync_message = False
            else:
                # linked (sent, or matched by the import): in the ledger
                record.ledger_sync_state = "done" if done or links else "none"
                # not sent (cancelled or back in draft before it left): say why
                record.ledger_sync_message = False if done or links or not mine else mine[-1].last_error
        self._ledger_status_computed(linked)

    @api.model
    def _search_ledger_sync_state(self, operator, value):
        """The records whose badge shows ``value``, by the badge's own precedence (see
        _compute_ledger_sync_state): an error first, then queued, then voided, then in the
        ledger — sent, or linked by the import. Sub-queries: no list of ids however many are synced."""
        if operator not in ("=", "!=") or value not in ("queued", "error", "done", "voided"):
            raise NotImplementedError(self.env._("Search the ledger status with = or != and queued, error, done "
                                                 "or voided."))

        def ids(model, domain):
            domain = self._ledger_visible_domain([("res_model", "=", self._name)] + domain)
            if domain is None:
                return SQL("(SELECT 1 WHERE FALSE)")
            return self.env[model].sudo()._search(domain).subselect("res_id")

        error = [("id", "in", ids("ledger.outbox", [("state", "=", "error")]))]
        queued = [("id", "in", ids("ledger.outbox", [("state", "in", PENDING)]))]
        linked = [("id", "in", ids("ledger.link", []))]
        voided = [("id", "in", ids("ledger.link", [("remote_status", "in", GONE)]))]
        if "ledger_voided" in self._fields:
            voided = expression.OR([voided, expression.AND([[("ledger_voided", "=", True)], linked])])
        done = expression.OR([[("id", "in", ids("ledger.outbox", [("state", "=", "done")]))], linked])
        found = {"error": error, "queued": queued, "voided": voided, "done": done}[value]
        for before in ("error", "queued", "voided", "done")[:("error", "queued", "voided", "done").index(value)]:
            found = expression.AND([found, ["!"] + {"error": error, "queued": queued, "voided": voided}[before]])
        return found if operator == "=" else ["!"] + found

    # --- Re-sync ----------------------------------------------------------------------------------------
    def _ledger_targets(self):
        """-> [(tenant, entity)]: the organisations this record goes to (their switch is on)."""
        return []

    def _ledger_resync_skip(self):
        """Why Re-sync leaves this record alone (a few words for its summary), or None."""
        return None

    def _ledger_resync_records(self):
        return self

    def _ledger_resync_title(self):
        return self.env._("Re-sync to the ledger")

    def action_ledger_resync(self):
        """Queue the records again, for those whose Odoo side changed since it last reached the
        ledger, never reached it, or failed. An unchanged record sends nothing (its payload built
        now equals the one the ledger last accepted). Anyone who may edit the records may: saving
        them would queue them too. -> a notification with the summary."""
        check_caller(self, USER, "write")
        Outbox = self.env["ledger.outbox"].sudo()
        outcome = {"queued": 0, "unchanged": 0, "pending": 0}
        skipped = {}
        for record in self._ledger_resync_records().sudo():
            why = record._ledger_resync_skip()
            targets = [] if why else record._ledger_targets()
            if not why and not targets:
                why = self.env._("no organisation syncs it")
            if why:
                skipped[why] = skipped.get(why, 0) + 1
                continue
            results = {Outbox._resync(record, tenant, entity) for tenant, entity in targets}
            outcome[next(k for k in ("queued", "pending", "unchanged") if k in results)] += 1
        parts = []
        if outcome["queued"] or not (outcome["unchanged"] or outcome["pending"] or skipped):
            parts.append(self.env._("%s queued", outcome["queued"]))
        if outcome["pending"]:
            parts.append(self.env._("%s already queued", outcome["pending"]))
        if outcome["unchanged"]:
            parts.append(self.env._("%s unchanged", outcome["unchanged"]))
        parts += [self.env._("%(n)s skipped: %(why)s", n=n, why=why) for why, n in sorted(skipped.items())]
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": self._ledger_resync_title(), "message": ", ".join(parts),
            "type": "success" if outcome["queued"] else "info", "sticky": False}}

    def action_ledger_retry(self):
        """Retry the record's failed rows for the caller's own organisations only. The record is
        only read (a ledger manager need not be allowed to edit an invoice to resend it)."""
        check_caller(self, MANAGER, "read")
        rows = self._ledger_visible_outbox([("res_model", "=", self._name), ("res_id", "in", self.ids),
                                            ("state", "in", ("error", "retry"))])
        # in the caller's env: the outbox checks its rows again (company rules)
        rows.with_env(self.env).action_retry()
        return True
