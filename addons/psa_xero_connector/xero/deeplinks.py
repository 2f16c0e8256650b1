"""Where a synced record opens: Xero's web app, or the harness's page when the organisation lives
in the harness. Pure functions (no Odoo, no HTTP).

Xero's deep links (developer.xero.com/documentation/api-guides/deep-link-xero): an invoice
``/AccountsReceivable/View.aspx?InvoiceID=…``, a bill ``/AccountsPayable/Edit.aspx?InvoiceID=…``,
a credit note ``/AccountsPayable/ViewCreditNote.aspx?creditNoteID=…`` (a sales one under
``AccountsReceivable``: same page, Xero's receivables side — not in the guide's examples), a
purchase order ``/Accounts/Payable/PurchaseOrders/View/{id}/``, a contact ``/Contacts/View/{id}``;
items are not in the guide: ``/Accounts/Inventory/{id}`` is the item's page in Xero's web app
(unverified). With the organisation's ShortCode (``GET /Organisation``) the link goes through
``/organisationlogin/default.aspx?shortcode=…&redirecturl=…`` so that a user of several
organisations lands in the right one.
"""

XERO_APP = "https://go.xero.com"
XERO_API_HOST = "api.xero.com"

PATHS = {
    "ACCREC": "/AccountsReceivable/View.aspx?InvoiceID=%s",
    "ACCPAY": "/AccountsPayable/Edit.aspx?InvoiceID=%s",
    "ACCRECCREDIT": "/AccountsReceivable/ViewCreditNote.aspx?creditNoteID=%s",
    "ACCPAYCREDIT": "/AccountsPayable/ViewCreditNote.aspx?creditNoteID=%s",
    "purchase_order": "/Accounts/Payable/PurchaseOrders/View/%s/",
    "contact": "/Contacts/View/%s",
    "item": "/Accounts/Inventory/%s",
}
# the harness's pages (harness/pages.py): /ui/{tenant}/{collection}/{id}
HARNESS_COLLECTIONS = {"ACCREC": "invoices", "ACCPAY": "invoices", "ACCRECCREDIT": "creditnotes",
                       "ACCPAYCREDIT": "creditnotes", "purchase_order": "purchaseorders", "contact": "contacts",
                       "item": "items"}


def is_xero(api_url):
    """Is ``api_url`` (Settings → Xero → API URL) Xero's own API?"""
    host = (api_url or "").split("://", 1)[-1].split("/", 1)[0].lower()
    return host == XERO_API_HOST


def record_url(api_url, tenant_id, short_code, kind, remote_id):
    """-> the URL that opens the Xero record ``remote_id`` of ``kind`` (a Xero document type
    ACCREC / ACCPAY / ACCRECCREDIT / ACCPAYCREDIT, or purchase_order / contact / item), or False."""
    if not remote_id or kind not in PATHS:
        return False
    if not is_xero(api_url):
        base = (api_url or "").split("/api.xro", 1)[0].rstrip("/")
        return "%s/ui/%s/%s/%s" % (base, tenant_id, HARNESS_COLLECTIONS[kind], remote_id)
    path = PATHS[kind] % remote_id
    if short_code:
        # Xero's guide writes the redirect path as is (its own "?" and "=" included)
        return "%s/organisationlogin/default.aspx?shortcode=%s&redirecturl=%s" % (XERO_APP, short_code, path)
    return XERO_APP + path
