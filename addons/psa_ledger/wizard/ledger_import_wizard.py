"""Import from the ledger (per organisation): pick what to import, run, read the summary. The
import itself is the ledger's (_ledger_import, implemented by each ledger's addon)."""

from markupsafe import Markup, escape

from odoo import api, fields, models

from ..access import MANAGER, check_caller
from ..errors import LedgerError


class LedgerImportWizard(models.TransientModel):
    _name = "ledger.import.wizard"
    _description = "Import from the ledger"

    tenant_id = fields.Many2one("ledger.tenant", string="Organisation", required=True,
                                default=lambda self: self.env.company.ledger_tenant_id,
                                domain="[('state', '=', 'connected'), ('company_id', '!=', False)]")
    import_tax_rates = fields.Boolean("Tax rates", default=True)
    import_accounts = fields.Boolean("Account codes", default=True)
    import_tracking = fields.Boolean("Tracking categories", default=True,
                                     help="Matched to Odoo analytic plans and analytic accounts by name.")
    import_products = fields.Boolean("Products (items)", default=True)
    import_customers = fields.Boolean("Customers", default=True)
    import_suppliers = fields.Boolean("Suppliers", default=True)
    state = fields.Selection([("draft", "Choose"), ("done", "Done")], default="draft")
    summary_html = fields.Html(readonly=True, sanitize=False)
    line_ids = fields.One2many("ledger.import.line", "wizard_id", string="To review")
    error = fields.Text(readonly=True)

    # The importer works on the organisation under sudo: the caller must manage it. Checked on
    # create (and write) so that no wizard points at another company's organisation, and again
    # before the import runs.
    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        check_caller(wizards.tenant_id, MANAGER, "write")
        return wizards

    def write(self, vals):
        result = super().write(vals)
        if "tenant_id" in vals:
            check_caller(self.tenant_id, MANAGER, "write")
        return result

    def _what(self):
        return [name for name in ("tax_rates", "accounts", "tracking", "products", "customers", "suppliers")
                if self["import_%s" % name]]

    # --- hooks of each ledger's addon (guarded by self.tenant_id.code) ----------------------------------
    def _ledger_import(self, what):
        """Import ``what`` (the names of _what) from the organisation's ledger -> a summary
        with ``lines`` (dicts of ledger.import.line values) and ``get(entity, action)`` (a count)."""
        raise NotImplementedError(self.env._("%s has no importer.", self.tenant_id.display_name))

    def _ledger_stopped(self, error):
        """The sentence shown when the ledger stopped the import with ``error``."""
        return self.env._("The ledger stopped the import: %s", error)

    def _ledger_title(self):
        return self.env._("Import from the ledger")

    def action_import(self):
        self.ensure_one()
        check_caller(self, MANAGER, "write")
        check_caller(self.tenant_id, MANAGER, "write")
        try:
            summary = self._ledger_import(self._what())
        except LedgerError as exc:
            # keep what was imported before the failure; the request log holds the details
            self.write({"state": "done", "error": self._ledger_stopped(exc)})
            return self._reopen()
        self.write({
            "state": "done",
            "summary_html": self._render_summary(summary),
            "line_ids": [(0, 0, line) for line in summary.lines],
        })
        return self._reopen()

    def _reopen(self):
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "views": [(False, "form")], "target": "new", "name": self._ledger_title()}

    @api.model
    def _render_summary(self, summary):
        Line = self.env["ledger.import.line"]
        actions = Line._fields["action"]._description_selection(self.env)
        entities = Line._fields["entity"]._description_selection(self.env)
        shown = [a for a, _label in actions if a != "note"]
        head = "".join("<th class='text-end'>%s</th>" % escape(label) for a, label in actions if a in shown)
        rows = ""
        for entity, label in entities:
            cells = [summary.get(entity, a) for a in shown]
            if any(cells):
                rows += "<tr><td>%s</td>%s</tr>" % (escape(label), "".join(
                    "<td class='text-end'>%s</td>" % (n or "") for n in cells))
        rows = rows or "<tr><td>%s</td></tr>" % escape(self.env._("Nothing to import."))
        return Markup("<table class='table table-sm o_ledger_import_summary'><thead><tr><th/>%s</tr></thead>"
                      "<tbody>%s</tbody></table>" % (head, rows))
