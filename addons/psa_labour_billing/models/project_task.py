from odoo import api, fields, models

from ..const import CHARGE_TYPE_DOMAIN


class ProjectTask(models.Model):
    _inherit = "project.task"

    charge_type_id = fields.Many2one(
        "product.product",
        compute="_compute_charge_type_id",
        store=True,
        readonly=False,
        domain=CHARGE_TYPE_DOMAIN,
        help="The charge type time logged on this task gets by default (each entry may change it).",
    )

    @api.depends("project_id")
    def _compute_charge_type_id(self):
        for task in self:
            if not task.charge_type_id:
                task.charge_type_id = task.project_id.charge_type_id
