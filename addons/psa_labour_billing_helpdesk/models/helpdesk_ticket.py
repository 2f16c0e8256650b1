from odoo import api, fields, models

from odoo.addons.psa_labour_billing.const import CHARGE_TYPE_DOMAIN


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    charge_type_id = fields.Many2one(
        "product.product",
        compute="_compute_charge_type_id",
        store=True,
        readonly=False,
        domain=CHARGE_TYPE_DOMAIN,
        help="The charge type time logged on this ticket gets by default (each entry may change it).",
    )

    @api.depends("team_id", "project_id")
    def _compute_charge_type_id(self):
        for ticket in self:
            if not ticket.charge_type_id:
                ticket.charge_type_id = (ticket.team_id.charge_type_id or ticket.task_id.charge_type_id
                                         or ticket.project_id.charge_type_id)
