"""Xero's part of the drift report (the core's ``ledger.drift`` runs it): read what Xero has
with as few calls as Xero allows and compare it (``xero/drift.py``).

Xero is read by list pages of up to 1,000 (``pageSize``), invoices with ``summaryOnly=true``
(no line items) and every status named (``Statuses``: deleted and voided ones included). A
run after a full one sends ``If-Modified-Since`` and lays the changes over the snapshot the
full run kept (a deletion or a void changes the document, so it is seen).
"""

import functools

from odoo import api, models

from ..dispatch import is_xero
from ..xero import drift

PAGE_SIZE = drift.MAX_PAGE_SIZE
INVOICE_STATUSES = "DRAFT,SUBMITTED,AUTHORISED,PAID,VOIDED,DELETED"
# which Xero collection holds which kind, and the switch that makes Odoo care about it
COLLECTIONS = (("Invoices", ("sync_invoices", "sync_bills")), ("CreditNotes", ("sync_credit_notes",)),
               ("PurchaseOrders", ("sync_purchase_orders",)), ("Contacts", ("sync_customers", "sync_suppliers")))
COLLECTION_OF = {"invoice": "Invoices", "bill": "Invoices", "credit_note": "CreditNotes",
                 "purchase_order": "PurchaseOrders", "contact": "Contacts"}


class LedgerDrift(models.AbstractModel):
    _inherit = "ledger.drift"
    _description = "Xero drift report (what Odoo and Xero disagree on)"

    @api.model
    def _ledger_drift_read(self, tenant, expected, since=None, page_size=None):
        if not is_xero(tenant):
            return super()._ledger_drift_read(tenant, expected, since, page_size)
        return self._fetch(tenant, self._collections(tenant, expected), since, page_size or PAGE_SIZE)

    @api.model
    def _ledger_drift_merge(self, tenant, snapshot, changes):
        if not is_xero(tenant):
            return super()._ledger_drift_merge(tenant, snapshot, changes)
        return drift.merge(snapshot, changes)

    @api.model
    def _ledger_drift_compare(self, tenant, expected, snapshot, linked_ids, deleted):
        if not is_xero(tenant):
            return super()._ledger_drift_compare(tenant, expected, snapshot, linked_ids, deleted)
        return drift.compare(expected, snapshot, linked_ids, deleted)

    @api.model
    def _ledger_contact_values(self, tenant, partner):
        if not is_xero(tenant):
            return super()._ledger_contact_values(tenant, partner)
        payload = partner._xero_contact_payload()
        return {"name": payload.get("Name"), "email": payload.get("EmailAddress"), "vat": payload.get("TaxNumber")}

    @staticmethod
    def _collections(tenant, expected):
        """The Xero collections worth reading: those of the kinds Odoo expects or syncs."""
        kinds = {e["kind"] for e in expected}
        wanted = []
        for collection, switches in COLLECTIONS:
            if any(tenant[s] for s in switches) or any(COLLECTION_OF[k] == collection for k in kinds):
                wanted.append(collection)
        return wanted

    # --- Xero's side -----------------------------------------------------------------------------
    @api.model
    def _fetch(self, tenant, collections, since=None, page_size=PAGE_SIZE):
        """-> ({remote_id: entry} of what the pages brought, calls made)."""
        headers = {"If-Modified-Since": since.strftime("%Y-%m-%dT%H:%M:%S")} if since else None
        entries, calls = {}, 0
        for collection in collections:
            params = {"pageSize": page_size}
            if collection == "Invoices":
                params.update(summaryOnly="true", Statuses=INVOICE_STATUSES)
            elif collection == "Contacts":
                params["includeArchived"] = "true"

            get_page = functools.partial(self._get_page, tenant, collection, params, headers)
            found, made = drift.read_pages(get_page, collection, page_size)
            entries.update(found)
            calls += made
        return entries, calls

    @api.model
    def _get_page(self, tenant, collection, params, headers, page):
        data, _headers = tenant._call("GET", collection, params=dict(params, page=page), headers=headers,
                                      operation="drift %s" % collection, context={"entity": collection})
        return data
