from odoo import fields, models

from odoo.addons.psa_labour_billing.const import CHARGE_TYPE_DOMAIN


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    charge_type_id = fields.Many2one(
        "product.product",
        string="Default Charge Type",
        domain=CHARGE_TYPE_DOMAIN,
        help="The charge type of this team's new tickets.",
    )
