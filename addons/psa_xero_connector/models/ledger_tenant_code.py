"""The ledger an organisation is in (``code``, dispatch like Odoo's payment providers).

Temporary: declared here so that the outbox's Xero adapter can guard on ``tenant.code`` until
the tenant's own split (issue #24) declares the field in the core (an empty Selection) with
Xero's ``selection_add``; then this file goes. Existing organisations are all Xero's: the
default fills the new column of every existing row on upgrade.
"""

from odoo import fields, models


class LedgerTenant(models.Model):
    _inherit = "ledger.tenant"

    code = fields.Selection([("xero", "Xero")], string="Ledger", default="xero", index=True)
