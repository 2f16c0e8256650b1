import uuid
from datetime import timedelta

from odoo import api, fields, models

EVERY_SWITCH = {
    "sync_customers": True, "sync_suppliers": True, "sync_products": True, "sync_invoices": True,
    "sync_bills": True, "sync_credit_notes": True, "sync_purchase_orders": True, "notify_success": True,
    "notify_payments": True, "cancel_voided_invoices": True, "document_status": "AUTHORISED",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._psa_xero_connect()
        return companies

    def _psa_xero_connect(self):
        """One connected organisation per company, every switch on, on one authorisation."""
        Connection = self.env["ledger.connection"].sudo()
        connection = Connection.search([("client_id", "=", "odoo-own-tests")], limit=1) or Connection.create({
            "name": "Odoo's own tests", "client_id": "odoo-own-tests", "access_token": "not-a-token",
            "refresh_token": "not-a-token", "access_expires_at": fields.Datetime.now() + timedelta(days=3650)})
        self.env["ledger.tenant"].sudo().create([dict(
            EVERY_SWITCH, name="Xero for %s" % company.name, remote_id=str(uuid.uuid4()),
            connection_id=connection.id, company_id=company.id, state="connected",
        ) for company in self.filtered(lambda c: not c.sudo().ledger_tenant_ids)])
