from odoo import models

from .. import labour


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _labour_split(self, title, entries, limit, more):
        """One invoice line per time entry, each its billable hours at the sales line's price."""
        self.ensure_one()
        first, rest = entries[0], entries[1:]
        template = {
            "move_id": self.move_id.id,
            "display_type": self.display_type,
            "product_id": self.product_id.id,
            "product_uom_id": self.product_uom_id.id,
            "price_unit": self.price_unit,
            "discount": self.discount,
            "tax_ids": [(6, 0, self.tax_ids.ids)],
            "analytic_distribution": self.analytic_distribution,
            "account_id": self.account_id.id,
            "sale_line_ids": [(6, 0, self.sale_line_ids.ids)],
            "sequence": self.sequence,
        }
        self.write({"quantity": first["hours"], "name": labour.describe(title, [first], limit, more)})
        if rest:
            self.create([dict(template, quantity=e["hours"], name=labour.describe(title, [e], limit, more))
                         for e in rest])
