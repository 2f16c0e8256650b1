"""A company has at most one ledger organisation (its tenant); the link is read under sudo so that
every user of the company sees which organisation its documents go to."""

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    ledger_tenant_ids = fields.One2many("ledger.tenant", "company_id", string="Ledger organisations")
    ledger_tenant_id = fields.Many2one("ledger.tenant", string="Ledger organisation",
                                       compute="_compute_ledger_tenant_id")

    def _compute_ledger_tenant_id(self):
        for company in self:
            company.ledger_tenant_id = company.sudo().ledger_tenant_ids[:1]
