"""Every entity round-trips through python-quickbooks, with QBO's rules: SyncToken (stale →
5010), sparse and full updates, duplicate names (6240), item account rules, void and delete,
inactive references (610), payments moving balances, CompanyInfo and Preferences."""

import pytest
from quickbooks.exceptions import ObjectNotFoundException, QuickbooksException, ValidationException
from quickbooks.objects.account import Account
from quickbooks.objects.bill import Bill
from quickbooks.objects.billpayment import BillPayment
from quickbooks.objects.company_info import CompanyInfo
from quickbooks.objects.creditmemo import CreditMemo
from quickbooks.objects.customer import Customer
from quickbooks.objects.department import Department
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.item import Item
from quickbooks.objects.payment import Payment
from quickbooks.objects.preferences import Preferences
from quickbooks.objects.purchaseorder import PurchaseOrder
from quickbooks.objects.taxcode import TaxCode
from quickbooks.objects.taxrate import TaxRate
from quickbooks.objects.trackingclass import Class

from .conftest import US, realm_ids


def make(qb, cls, data, **kw):
    return cls.from_json(data).save(qb=qb, **kw)


def ids(qbo, entity, realm=US, field="Name"):
    return realm_ids(qbo.app, realm, entity, field)


def line(item_id, qty, price, **detail):
    return {"DetailType": "SalesItemLineDetail", "Amount": round(qty * price, 2),
            "SalesItemLineDetail": dict(detail, ItemRef={"value": item_id}, Qty=qty, UnitPrice=price)}


def invoice(qbo, qb, customer="Acme Dental Group", lines=None, params=None, **extra):
    items, customers = ids(qbo, "Item"), ids(qbo, "Customer", field="DisplayName")
    lines = lines or [line(items["Remote Support (1hr)"], 2, 85), line(items["Hardware"], 1, 300)]
    return make(qb, Invoice, dict(extra, CustomerRef={"value": customers[customer]}, Line=lines), params=params)


def test_customer_create_read_sparse_and_full_update_with_synctoken(qb):
    c = make(qb, Customer, {"DisplayName": "Zen Dental", "CompanyName": "Zen Dental LLC",
                            "PrimaryEmailAddr": {"Address": "ap@zen.example"}})
    assert c.SyncToken == "0" and c.Active is True
    read = Customer.get(c.Id, qb=qb)
    assert read.DisplayName == "Zen Dental" and read.CompanyName == "Zen Dental LLC"
    sparse = make(qb, Customer, {"Id": c.Id, "SyncToken": "0", "sparse": True, "Notes": "VIP"})
    assert sparse.SyncToken == "1" and sparse.CompanyName == "Zen Dental LLC" and sparse.Notes == "VIP"
    full = make(qb, Customer, {"Id": c.Id, "SyncToken": "1", "DisplayName": "Zen Dental Group"})
    assert full.SyncToken == "2" and full.DisplayName == "Zen Dental Group"
    raw = qb.get_single_object("Customer", c.Id)["Customer"]
    assert "CompanyName" not in raw  # a full update clears what it does not send
    with pytest.raises(QuickbooksException) as err:
        make(qb, Customer, {"Id": c.Id, "SyncToken": "1", "sparse": True, "Notes": "late"})
    assert err.value.error_code == 5010 and "Stale Object Error" in err.value.message


def test_names_are_unique_across_customers_and_vendors(qb, qbo):
    vendor_id = ids(qbo, "Vendor", field="DisplayName")["Microsoft"]
    with pytest.raises(QuickbooksException) as err:
        make(qb, Customer, {"DisplayName": "microsoft"})
    assert err.value.error_code == 6240 and "Id=%s" % vendor_id in err.value.detail
    with pytest.raises(QuickbooksException) as err:
        make(qb, Item, {"Name": "Onsite Visit", "Type": "Service",
                        "IncomeAccountRef": {"value": ids(qbo, "Account")["Services"]}})
    assert err.value.error_code == 6240


def test_item_account_rules(qb, qbo):
    accounts = ids(qbo, "Account")
    with pytest.raises(ValidationException) as err:
        make(qb, Item, {"Name": "Backup", "Type": "Service"})
    assert err.value.error_code == 2020 and "IncomeAccountRef" in err.value.detail
    bought = make(qb, Item, {"Name": "Licences", "Type": "NonInventory",
                             "ExpenseAccountRef": {"value": accounts["Office Expenses"]}})
    assert bought.ExpenseAccountRef.value == accounts["Office Expenses"]
    inventory = {"Name": "Router", "Type": "Inventory", "TrackQtyOnHand": True, "InvStartDate": "2026-01-01",
                 "IncomeAccountRef": {"value": accounts["Sales of Product Income"]},
                 "ExpenseAccountRef": {"value": accounts["Cost of Goods Sold"]},
                 "AssetAccountRef": {"value": accounts["Inventory Asset"]}}
    with pytest.raises(ValidationException) as err:
        make(qb, Item, inventory)
    assert "QtyOnHand" in err.value.detail
    item = make(qb, Item, dict(inventory, QtyOnHand=5, UnitPrice=250))
    assert item.Type == "Inventory" and item.QtyOnHand == 5


def test_us_invoice_automated_sales_tax_tax_and_non_lines(qb, qbo):
    inv = invoice(qbo, qb)
    lines = [ln for ln in inv.Line if ln.DetailType == "SalesItemLineDetail"]
    assert [ln.SalesItemLineDetail.TaxCodeRef.value for ln in lines] == ["NON", "TAX"]
    assert [ln.Amount for ln in lines] == [170, 300]
    # California 6 % + Alameda County 2.25 % on the taxable 300 only
    assert inv.TxnTaxDetail.TotalTax == 24.75
    assert sorted(t.Amount for t in inv.TxnTaxDetail.TaxLine) == [6.75, 18.0]
    assert inv.TotalAmt == 494.75 and inv.Balance == 494.75
    assert inv.Line[-1].DetailType == "SubTotalLineDetail" and inv.Line[-1].Amount == 470
    assert inv.DocNumber == "1001"  # CustomTxnNumbers off: QBO numbers sales forms
    assert invoice(qbo, qb).DocNumber == "1002"


def test_uk_vat_exclusive_and_inclusive_totals(qb_uk, qbo):
    from .conftest import UK
    items, codes = ids(qbo, "Item", UK), ids(qbo, "TaxCode", UK)
    customer = ids(qbo, "Customer", UK, "DisplayName")["Acme Dental Group"]
    lines = [line(items["Remote Support (1hr)"], 3, 85, TaxCodeRef={"value": codes["20.0% S"]}),
             line(items["Onsite Visit"], 1, 101.5, TaxCodeRef={"value": codes["5.0% R"]})]
    inv = make(qb_uk, Invoice, {"CustomerRef": {"value": customer}, "Line": lines})
    assert inv.GlobalTaxCalculation == "TaxExcluded"
    # 255 × 20 % = 51.00; 101.50 × 5 % = 5.075 → 5.08 (half up)
    assert inv.TxnTaxDetail.TotalTax == 56.08 and inv.TotalAmt == 412.58
    incl = make(qb_uk, Invoice, {"CustomerRef": {"value": customer}, "GlobalTaxCalculation": "TaxInclusive",
                                 "Line": [line(items["Remote Support (1hr)"], 1, 120,
                                               TaxCodeRef={"value": codes["20.0% S"]})]})
    assert incl.TotalAmt == 120 and incl.TxnTaxDetail.TotalTax == 20 and incl.Line[0].Amount == 100
    with pytest.raises(QuickbooksException) as err:  # a UK line needs a VAT code (its item has one: not this)
        make(qb_uk, Invoice, {"CustomerRef": {"value": customer}, "Line": [
            {"DetailType": "SalesItemLineDetail", "Amount": 10,
             "SalesItemLineDetail": {"ItemRef": {"value": make(qb_uk, Item, {
                 "Name": "No code", "Type": "Service",
                 "IncomeAccountRef": {"value": ids(qbo, "Account", UK)["Services"]}}).Id}}}]})
    assert err.value.error_code == 6000 and "VAT rate" in err.value.detail


def test_amount_must_equal_qty_times_price(qb, qbo):
    bad = line(ids(qbo, "Item")["Onsite Visit"], 2, 120)  # 240
    bad["Amount"] = 200
    with pytest.raises(QuickbooksException) as err:
        invoice(qbo, qb, lines=[bad])
    assert err.value.error_code == 6070


def test_doc_numbers_unique_across_invoices_and_credit_memos(qb, qbo):
    customers, items = ids(qbo, "Customer", field="DisplayName"), ids(qbo, "Item")
    memo = make(qb, CreditMemo, {"CustomerRef": {"value": customers["Harbour Logistics"]}, "DocNumber": "INV-77",
                                 "Line": [line(items["Onsite Visit"], 1, 120)]})
    assert memo.Balance == 120 and memo.RemainingCredit == 120
    with pytest.raises(QuickbooksException) as err:
        invoice(qbo, qb, DocNumber="INV-77")
    assert err.value.error_code == 6140
    assert "DocNumber=INV-77 is assigned to TxnType=Credit Memo with TxnId=%s" % memo.Id in err.value.detail
    allowed = invoice(qbo, qb, DocNumber="INV-77", params={"include": "allowduplicatedocnum"})
    assert allowed.DocNumber == "INV-77"


def test_void_and_delete(qb, qbo):
    inv = invoice(qbo, qb)
    inv.void(qb=qb)
    voided = Invoice.get(inv.Id, qb=qb)
    assert voided.TotalAmt == 0 and voided.Balance == 0 and voided.PrivateNote == "Voided"
    other = invoice(qbo, qb)
    other.delete(qb=qb)
    with pytest.raises(ObjectNotFoundException) as err:
        Invoice.get(other.Id, qb=qb)
    assert err.value.error_code == 610
    with pytest.raises(QuickbooksException):  # names are made inactive, never deleted
        qb.delete_object("Customer", '{"Id": "%s", "SyncToken": "0"}' % ids(qbo, "Customer", field="DisplayName")[
            "Acme Dental Group"])


def test_inactive_customer_cannot_be_used(qb, qbo):
    cid = ids(qbo, "Customer", field="DisplayName")["Bright Path Schools"]
    make(qb, Customer, {"Id": cid, "SyncToken": "0", "sparse": True, "Active": False})
    with pytest.raises(ObjectNotFoundException) as err:
        invoice(qbo, qb, customer="Bright Path Schools")
    assert err.value.error_code == 610
    assert "Bright Path Schools" not in [c.DisplayName for c in Customer.all(qb=qb)]


def test_payment_applies_to_invoice_and_void_restores(qb, qbo):
    inv = invoice(qbo, qb)
    pay = make(qb, Payment, {"CustomerRef": {"value": inv.CustomerRef.value}, "TotalAmt": 100,
                             "Line": [{"Amount": 100, "LinkedTxn": [{"TxnId": inv.Id, "TxnType": "Invoice"}]}]})
    assert pay.UnappliedAmt == 0
    after = Invoice.get(inv.Id, qb=qb)
    assert after.Balance == 394.75 and after.SyncToken == "1"
    assert [(lt.TxnId, lt.TxnType) for lt in after.LinkedTxn] == [(pay.Id, "Payment")]
    customer = Customer.get(inv.CustomerRef.value, qb=qb)
    assert customer.Balance == 394.75
    with pytest.raises(QuickbooksException) as err:  # more than the balance due
        make(qb, Payment, {"CustomerRef": {"value": inv.CustomerRef.value}, "TotalAmt": 500,
                           "Line": [{"Amount": 500, "LinkedTxn": [{"TxnId": inv.Id, "TxnType": "Invoice"}]}]})
    assert err.value.error_code == 6000
    pay.void(qb=qb)
    assert Invoice.get(inv.Id, qb=qb).Balance == 494.75


def test_bill_purchase_order_and_bill_payment(qb, qbo):
    vendor = ids(qbo, "Vendor", field="DisplayName")["Dell Technologies"]
    accounts = ids(qbo, "Account")
    expense = {"DetailType": "AccountBasedExpenseLineDetail", "Amount": 250.5,
               "AccountBasedExpenseLineDetail": {"AccountRef": {"value": accounts["Office Expenses"]}}}
    bill = make(qb, Bill, {"VendorRef": {"value": vendor}, "TxnDate": "2026-11-02", "Line": [expense]})
    assert bill.TotalAmt == 250.5 and bill.Balance == 250.5 and bill.DueDate == "2026-11-02"
    po = make(qb, PurchaseOrder, {"VendorRef": {"value": vendor}, "Line": [expense]})
    assert po.TotalAmt == 250.5 and po.POStatus == "Open"
    paid = make(qb, BillPayment, {"VendorRef": {"value": vendor}, "PayType": "Check", "TotalAmt": 250.5,
                                  "CheckPayment": {"BankAccountRef": {"value": accounts["Checking"]}},
                                  "Line": [{"Amount": 250.5, "LinkedTxn": [{"TxnId": bill.Id, "TxnType": "Bill"}]}]})
    assert paid.TotalAmt == 250.5
    assert Bill.get(bill.Id, qb=qb).Balance == 0


def test_lists_and_settings(qb, qbo):
    klass = make(qb, Class, {"Name": "Projects"})
    dept = make(qb, Department, {"Name": "Remote"})
    assert Class.get(klass.Id, qb=qb).Name == "Projects" and Department.get(dept.Id, qb=qb).Name == "Remote"
    acc = make(qb, Account, {"Name": "Hosting", "AccountType": "Expense"})
    assert acc.Classification == "Expense"
    assert {c.Name for c in TaxCode.all(qb=qb)} == {"California"}
    assert {r.Name for r in TaxRate.all(qb=qb)} == {"California", "Alameda County"}
    assert CompanyInfo.get(US, qb=qb).CompanyName == "Northwind IT Services Inc"
    prefs = Preferences.get(qb=qb)
    assert prefs.CurrencyPrefs.HomeCurrency.value == "USD"


def test_closed_books_refuse_writes_dated_on_or_before_book_close_date(qb, qbo, admin):
    old = invoice(qbo, qb, TxnDate="2026-10-15")
    admin.post("/preferences", {"realmId": US, "AccountingInfoPrefs": {"BookCloseDate": "2026-10-31"}})
    with pytest.raises(QuickbooksException) as err:
        invoice(qbo, qb, TxnDate="2026-10-31")
    assert err.value.error_code == 6210
    with pytest.raises(QuickbooksException) as err:
        old.void(qb=qb)
    assert err.value.error_code == 6210
    assert invoice(qbo, qb, TxnDate="2026-11-01").TotalAmt == 494.75


def test_foreign_currency_home_total(qbo, admin):
    from .conftest import auth_client, quickbooks
    admin.post("/companies", {"name": "Maple Ltd", "realmId": "9130355555555553", "country": "US",
                              "multicurrency": True})
    qb = quickbooks(qbo.url, auth_client(qbo.url, "9130355555555553"))
    income = ids(qbo, "Account", "9130355555555553")["Services"]
    item = make(qb, Item, {"Name": "Work", "Type": "Service", "IncomeAccountRef": {"value": income}})
    cust = make(qb, Customer, {"DisplayName": "Euro GmbH", "CurrencyRef": {"value": "EUR"}})
    inv = make(qb, Invoice, {"CustomerRef": {"value": cust.Id}, "CurrencyRef": {"value": "EUR"},
                             "ExchangeRate": 1.0825, "Line": [line(item.Id, 3, 33.33)]})
    assert inv.TotalAmt == 99.99 and inv.HomeTotalAmt == 108.24  # 99.99 × 1.0825 = 108.239…
    with pytest.raises(QuickbooksException):  # the customer's currency and the document's must agree
        make(qb, Invoice, {"CustomerRef": {"value": cust.Id}, "CurrencyRef": {"value": "USD"},
                           "Line": [line(item.Id, 1, 10)]})
