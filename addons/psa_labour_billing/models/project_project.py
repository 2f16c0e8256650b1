from odoo import fields, models

from ..const import CHARGE_TYPE_DOMAIN


class ProjectProject(models.Model):
    _inherit = "project.project"

    charge_type_id = fields.Many2one(
        "product.product",
        string="Default Charge Type",
        domain=CHARGE_TYPE_DOMAIN,
        help="The charge type of the time logged on this project's tasks, unless the task names another.",
    )
