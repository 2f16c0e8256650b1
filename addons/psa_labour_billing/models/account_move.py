from collections import defaultdict

from odoo import models

from .. import labour


class AccountMove(models.Model):
    _inherit = "account.move"

    def _link_timesheets_to_invoice(self, start_date=None, end_date=None):
        res = super()._link_timesheets_to_invoice(start_date, end_date)
        self._labour_describe_lines()
        return res

    def _labour_description_max(self):
        param = self.env["ir.config_parameter"].sudo().get_param("psa_labour_billing.description_max")
        return int(param) if param and param.isdigit() and int(param) > 100 else labour.DESCRIPTION_MAX

    def _labour_describe_lines(self):
        """Each invoice line of time lists its entries (date, ticket or task, technician, billable
        hours, summary); per entry, the line is split into one line per time entry."""
        limit = self._labour_description_max()
        more = self.env._("… and %d more entries")
        labels = {}
        for move in self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "draft"):
            grouping = self.env.context.get("labour_invoice_grouping") or move.company_id.labour_invoice_grouping
            by_sale_line = defaultdict(lambda: self.env["account.analytic.line"])
            for timesheet in move.sudo().timesheet_ids.sorted(lambda t: (t.date, t.id)):
                by_sale_line[timesheet.so_line.id] |= timesheet
            for line in move.invoice_line_ids.filtered(lambda aml: aml.sale_line_ids):
                timesheets = sum((by_sale_line.get(sol.id, self.env["account.analytic.line"])
                                  for sol in line.sale_line_ids), self.env["account.analytic.line"])
                if not timesheets:
                    continue
                # the product's name, in the customer's language (its code goes to the ledger apart)
                title = line.product_id.with_context(lang=move.partner_id.lang).name or line.name.split("\n")[0]
                entries = [t._labour_entry() for t in timesheets]
                if grouping == "entry":
                    line._labour_split(title, entries, limit, more)
                else:
                    labels[line] = labour.describe(title, entries, limit, more)
        # A label moves no amount, tax or due line: written without re-synchronising the invoice's
        # taxes and terms, which a write per line otherwise does (most of the time of invoicing a month)
        for line, label in labels.items():
            line.with_context(skip_invoice_sync=True, check_move_validity=False).name = label
