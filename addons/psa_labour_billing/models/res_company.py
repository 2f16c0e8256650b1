from odoo import fields, models

GROUPING = [
    ("charge_type", "One line per charge type"),
    ("entry", "One line per time entry"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    labour_invoice_grouping = fields.Selection(
        GROUPING,
        string="Labour Invoice Lines",
        default="charge_type",
        required=True,
        help="One invoice line per charge type listing each time entry in its description, "
        "or one invoice line per time entry.",
    )
