"""Where "Open in Xero" goes: Xero's documented deep links, through the organisation's
ShortCode when known; the harness's own pages when the API URL is the harness's."""

from odoo.addons.psa_xero_connector.xero import deeplinks

XERO_API = "https://api.xero.com/api.xro/2.0"
ID = "1cf1a11c-a067-4a05-9c8b-06f281f7afed"


def test_xero_deep_links_per_type():
    url = deeplinks.record_url
    assert url(XERO_API, "t", None, "ACCREC", ID) == "https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=" + ID
    assert url(XERO_API, "t", None, "ACCPAY", ID) == "https://go.xero.com/AccountsPayable/Edit.aspx?InvoiceID=" + ID
    assert url(XERO_API, "t", None, "ACCPAYCREDIT", ID) == \
        "https://go.xero.com/AccountsPayable/ViewCreditNote.aspx?creditNoteID=" + ID
    assert url(XERO_API, "t", None, "ACCRECCREDIT", ID).startswith("https://go.xero.com/AccountsReceivable/ViewCredit")
    assert url(XERO_API, "t", None, "purchase_order", ID) == \
        "https://go.xero.com/Accounts/Payable/PurchaseOrders/View/%s/" % ID
    assert url(XERO_API, "t", None, "contact", ID) == "https://go.xero.com/Contacts/View/" + ID
    assert url(XERO_API, "t", None, "item", ID) == "https://go.xero.com/Accounts/Inventory/" + ID


def test_short_code_lands_in_the_right_organisation():
    assert deeplinks.record_url(XERO_API, "t", "!NLglS", "ACCREC", ID) == (
        "https://go.xero.com/organisationlogin/default.aspx?shortcode=!NLglS"
        "&redirecturl=/AccountsReceivable/View.aspx?InvoiceID=" + ID)


def test_harness_pages_and_nothing_without_an_id():
    harness = "http://127.0.0.1:8070/api.xro/2.0"
    assert deeplinks.record_url(harness, "org-a", "!abc", "ACCREC", ID) == \
        "http://127.0.0.1:8070/ui/org-a/invoices/" + ID
    assert deeplinks.record_url(harness, "org-a", None, "contact", ID) == \
        "http://127.0.0.1:8070/ui/org-a/contacts/" + ID
    assert deeplinks.record_url(harness, "org-a", None, "ACCPAYCREDIT", ID).endswith("/ui/org-a/creditnotes/" + ID)
    assert deeplinks.record_url(XERO_API, "t", None, "ACCREC", False) is False
    assert deeplinks.record_url(XERO_API, "t", None, "payment", ID) is False
    assert deeplinks.is_xero("https://API.xero.com/api.xro/2.0") and not deeplinks.is_xero("http://localhost:8070")
