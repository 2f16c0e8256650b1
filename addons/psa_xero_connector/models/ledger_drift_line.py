"""Xero's part of a drift line: the labels Xero users know, and asking Xero for a record's status."""

from odoo import fields, models

from ..dispatch import is_xero
from ..xero.errors import XeroNotFound

# the Xero collection a line's record lives in
COLLECTION = {"invoice": "Invoices", "bill": "Invoices", "credit_note": "CreditNotes",
              "purchase_order": "PurchaseOrders", "contact": "Contacts"}


class LedgerDriftLine(models.Model):
    _inherit = "ledger.drift.line"
    _description = "Xero drift (a difference between Odoo and Xero)"

    kind = fields.Selection(selection_add=[("missing_ledger", "Missing in Xero")])
    remote_id = fields.Char(string="Xero ID")
    remote_value = fields.Char(string="In Xero")

    def _ledger_status_now(self, link):
        if not is_xero(self.tenant_id):
            return super()._ledger_status_now(link)
        return self._xero_status_now(link)

    def _xero_status_now(self, link):
        """The Status (ContactStatus) Xero gives the linked record now, None when Xero has no such record."""
        collection = COLLECTION[self.entity]
        try:
            data, _headers = self.tenant_id._call("GET", "%s/%s" % (collection, link.remote_id),
                                                  operation="drift check %s" % collection,
                                                  context={"entity": collection, "res_model": link.res_model,
                                                           "res_id": link.res_id})
        except XeroNotFound:
            return None
        found = ((data or {}).get(collection) or [None])[0]
        if not found:
            return None
        return found.get("Status") or found.get("ContactStatus") or "ACTIVE"
