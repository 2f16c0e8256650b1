"""QBO JSON → neutral rows for the import and the payment state for settlement (no server)."""

import datetime as dt
from decimal import Decimal

from odoo.addons.psa_qbo_connector.qbo import from_qbo

INVOICE = {"Id": "130", "SyncToken": "3", "DocNumber": "1042", "CustomerRef": {"value": "58"},
           "CurrencyRef": {"value": "EUR"}, "TotalAmt": 120.0, "Balance": 20.0, "TxnDate": "2026-12-01",
           "LinkedTxn": [{"TxnId": "200", "TxnType": "Payment"}]}
PAYMENT = {"Id": "200", "SyncToken": "0", "TxnDate": "2026-12-05", "TotalAmt": 100.0, "ExchangeRate": 0.8,
           "PaymentRefNum": "BACS 77", "DepositToAccountRef": {"value": "35", "name": "Checking"},
           "CustomerRef": {"value": "58"},
           "Line": [{"Amount": 100.0, "LinkedTxn": [{"TxnId": "130", "TxnType": "Invoice"}]}]}


def test_document_state_mirrors_the_xero_settlement_shape():
    state = from_qbo.document_state(INVOICE, [PAYMENT])
    assert set(state) >= {"id", "kind", "number", "type", "status", "currency", "total", "amount_due", "payments",
                          "allocations"}
    assert (state["id"], state["kind"], state["status"], state["total"], state["amount_due"]) == \
        ("130", "invoice", "AUTHORISED", Decimal("120.00"), Decimal("20.00"))
    payment = state["payments"]["200"]
    assert payment["amount"] == Decimal("100.00") and payment["date"] == dt.date(2026, 12, 5)
    assert payment["reference"] == "BACS 77" and payment["account"] == {"id": "35", "name": "Checking"}
    assert payment["rate"] == Decimal("1.25")  # EUR per 1 home unit, Xero's sense
    paid = from_qbo.document_state(dict(INVOICE, Balance=0), [PAYMENT])
    assert paid["status"] == "PAID"
    new, gone = from_qbo.payment_changes(state, {"199": "AUTHORISED"})
    assert [p["id"] for p in new] == ["200"] and gone == ["199"]
    assert from_qbo.payment_changes(state, {"200": "AUTHORISED"}) == ([], [])  # twice changes nothing


def test_voided_payment_and_void_invoice():
    voided = dict(PAYMENT, TotalAmt=0.0, PrivateNote="Voided",
                  Line=[{"Amount": 0.0, "LinkedTxn": [{"TxnId": "130", "TxnType": "Invoice"}]}])
    assert from_qbo.document_state(INVOICE, [voided])["payments"] == {}
    void = from_qbo.document_state(dict(INVOICE, TotalAmt=0.0, Balance=0.0, PrivateNote="Voided"))
    assert void["status"] == "VOIDED"


def test_credit_memo_applied_through_a_zero_payment_is_an_allocation():
    zero = {"Id": "300", "TotalAmt": 0.0, "TxnDate": "2026-12-06",
            "Line": [{"Amount": 20.0, "LinkedTxn": [{"TxnId": "130", "TxnType": "Invoice"}]},
                     {"Amount": 20.0, "LinkedTxn": [{"TxnId": "140", "TxnType": "CreditMemo"}]}]}
    state = from_qbo.document_state(INVOICE, [PAYMENT, zero])
    assert list(state["payments"]) == ["200"]
    assert state["allocations"] == [{"id": "300", "amount": Decimal("20.00"), "other_id": "140"}]
    credit = from_qbo.document_state({"Id": "140", "CustomerRef": {"value": "58"}, "TotalAmt": 20.0,
                                      "RemainingCredit": 0.0, "Balance": 0.0}, [zero])
    assert credit["kind"] == "credit_note" and credit["status"] == "PAID"
    assert credit["allocations"] == [{"id": "300", "amount": Decimal("20.00"), "other_id": "130"}]


def test_bill_payment_links():
    bill_payment = {"Id": "400", "TotalAmt": 50, "PayType": "Check", "TxnDate": "2026-12-07",
                    "CheckPayment": {"BankAccountRef": {"value": "35", "name": "Checking"}},
                    "Line": [{"Amount": 50, "LinkedTxn": [{"TxnId": "150", "TxnType": "Bill"}]}]}
    assert from_qbo.payment_links(bill_payment) == [("Bill", "150", Decimal("50.00"))]
    state = from_qbo.document_state({"Id": "150", "VendorRef": {"value": "60"}, "TotalAmt": 50, "Balance": 0},
                                    [bill_payment])
    assert state["kind"] == "bill" and state["payments"]["400"]["account"]["id"] == "35"
    assert state["payments"]["400"]["rate"] is None


def test_import_rows():
    rates = {"1": {"Id": "1", "Name": "California", "RateValue": 6, "AgencyRef": {"value": "1"}},
             "2": {"Id": "2", "Name": "Alameda County", "RateValue": 2.25}}
    code = {"Id": "3", "Name": "California", "Taxable": True, "TaxGroup": True,
            "SalesTaxRateList": {"TaxRateDetail": [{"TaxRateRef": {"value": "1"}}, {"TaxRateRef": {"value": "2"}}]},
            "PurchaseTaxRateList": {"TaxRateDetail": []}}
    row = from_qbo.tax_code_row(code, rates)
    assert row["sales_rate"] == Decimal("8.25") and row["purchase_rate"] is None and row["group"]
    account = from_qbo.account_row({"Id": "35", "Name": "Checking", "AccountType": "Bank", "AcctNum": "1000",
                                    "CurrencyRef": {"value": "USD"}})
    assert (account["odoo_type"], account["code"], account["currency"]) == ("asset_cash", "1000", "USD")
    party = from_qbo.party_row({"Id": "58", "SyncToken": "2", "DisplayName": "Acme", "GivenName": "Jane",
                                "FamilyName": "Doe", "PrimaryEmailAddr": {"Address": "j@a.ex"},
                                "BillAddr": {"Line1": "1 High St", "City": "Leeds", "Country": "GB"},
                                "CurrencyRef": {"value": "GBP"}}, "customer")
    assert (party["name"], party["person_name"], party["email"], party["country_code"]) == \
        ("Acme", "Jane Doe", "j@a.ex", "GB")
    item = from_qbo.item_row({"Id": "1", "Name": "Remote Support", "Sku": "RS", "Type": "Service", "UnitPrice": 85,
                              "IncomeAccountRef": {"value": "7"}, "SalesTaxCodeRef": {"value": "3"}})
    assert item["sale_ok"] and not item["purchase_ok"] and item["list_price"] == Decimal(85)
    assert from_qbo.tracking_row({"Id": "9", "Name": "East", "FullyQualifiedName": "Region:East",
                                  "ParentRef": {"value": "8"}}, "class")["parent_id"] == "8"
    changed, deleted = from_qbo.cdc_changes({"Invoice": [{"Id": "1"}, {"Id": "2", "status": "Deleted"}],
                                             "Payment": []})
    assert changed == {"Invoice": [{"Id": "1"}]} and deleted == {"Invoice": ["2"]}
