"""A company has at most one Xero organisation (its tenant); the link is read under sudo so that
every user of the company sees which organisation its documents go to."""

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    xero_tenant_ids = fields.One2many("xero.tenant", "company_id", string="Xero organisations")
    xero_tenant_id = fields.Many2one("xero.tenant", string="Xero organisation", compute="_compute_xero_tenant_id")

    def _compute_xero_tenant_id(self):
        for company in self:
            company.xero_tenant_id = company.sudo().xero_tenant_ids[:1]
