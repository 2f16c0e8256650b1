from odoo import api, fields, models

RULE_FIELDS = ("labour_minimum", "labour_increment", "labour_rounding", "labour_scope")


class ProductTemplate(models.Model):
    _inherit = "product.template"

    labour_minimum = fields.Integer(
        string="Minimum Charge (min)",
        help="Time billed at least this many minutes (0: no minimum).",
    )
    labour_increment = fields.Integer(
        string="Increment (min)",
        help="Time billed in multiples of this many minutes (0: as logged, to the hundredth of an hour).",
    )
    labour_rounding = fields.Selection(
        [("up", "Round up"), ("nearest", "Round to the nearest")],
        string="Increment Rounding",
        default="up",
        required=True,
    )
    labour_scope = fields.Selection(
        [("entry", "Per time entry"), ("day", "Per ticket or task and day")],
        string="Rules Applied",
        default="entry",
        required=True,
        help="Per time entry: each entry gets its minimum and increment. Per ticket or task and day: "
        "the entries of one ticket or task on one day are rounded together.",
    )

    @api.constrains("labour_minimum", "labour_increment")
    def _check_labour_rules(self):
        for template in self:
            if template.labour_minimum < 0 or template.labour_increment < 0:
                from odoo.exceptions import ValidationError

                raise ValidationError(
                    self.env._("%(product)s: the minimum charge and the increment are minutes, 0 or more.",
                               product=template.display_name)
                )

    def write(self, vals):
        res = super().write(vals)
        if any(name in vals for name in RULE_FIELDS):
            # time not invoiced yet follows the new rules; invoiced time keeps what was billed
            lines = self.env["account.analytic.line"].sudo().search(
                [("charge_type_id.product_tmpl_id", "in", self.ids), ("project_id", "!=", False)]
            )
            lines._labour_refresh()
        return res
