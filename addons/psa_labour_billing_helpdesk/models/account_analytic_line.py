from odoo import api, models

from odoo.addons.psa_labour_billing.models.account_analytic_line import TRIGGERS


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    @api.depends("ticket_id")
    def _compute_charge_type_id(self):
        return super()._compute_charge_type_id()

    @api.depends("ticket_id.partner_id")
    def _compute_so_line(self):
        return super()._compute_so_line()

    def _labour_default_charge_type(self):
        return self.ticket_id.charge_type_id or super()._labour_default_charge_type()

    def _labour_customer(self):
        return self.ticket_id.partner_id.commercial_partner_id or super()._labour_customer()

    def _labour_group_key(self):
        return ("ticket", self.ticket_id.id) if self.ticket_id else super()._labour_group_key()

    def _labour_group_domain(self, key):
        if key[0] == "ticket":
            return [("ticket_id", "=", key[1])]
        return super()._labour_group_domain(key) + [("ticket_id", "=", False)]

    def _labour_triggers(self):
        return TRIGGERS + ("ticket_id",)

    def _labour_ref(self):
        """The ticket's number and title on the invoice line."""
        if self.ticket_id:
            return "%s %s" % (self.ticket_id.number, self.ticket_id.name)
        return super()._labour_ref()
