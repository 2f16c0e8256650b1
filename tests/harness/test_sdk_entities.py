"""The official xero-python SDK round-trips every entity against the harness."""

import datetime as dt
from decimal import Decimal

import pytest
from xero_python.accounting import (
    Account,
    AccountType,
    Allocation,
    Allocations,
    Contact,
    Contacts,
    CreditNote,
    CreditNotes,
    Invoice,
    Invoices,
    Item,
    Items,
    LineItem,
    Payment,
    Purchase,
    PurchaseOrder,
    PurchaseOrders,
    TaxComponent,
    TaxRate,
    TaxRates,
)
from xero_python.exceptions import AccountingBadRequestException, NotFoundException, RateLimitException

from .conftest import ORG_A


def val(x):
    """Enum or plain string: the SDK models some status fields as enums, some as str."""
    return getattr(x, "value", x)


def new_contact(accounting, name="Globex Corp", **kw):
    return accounting.create_contacts(ORG_A, Contacts(contacts=[Contact(name=name, **kw)])).contacts[0]


def sales_invoice(contact, status="AUTHORISED", **kw):
    return Invoice(type="ACCREC", contact=Contact(contact_id=contact.contact_id), date=dt.date(2026, 11, 1),
                   due_date=dt.date(2026, 12, 1), status=status, line_items=[
                       LineItem(description="Remote support", quantity=2, unit_amount=85, account_code="200",
                                tax_type="OUTPUT2")], **kw)


def test_organisation_accounts_taxrates(sdk):
    accounting, _, _ = sdk
    org = accounting.get_organisations(ORG_A).organisations[0]
    assert val(org.base_currency) == "GBP"
    accounts = accounting.get_accounts(ORG_A).accounts
    assert {"090", "200", "400"} <= {a.code for a in accounts}
    sales = accounting.get_accounts(ORG_A, where='Code=="200"').accounts
    assert [a.name for a in sales] == ["Sales"]
    rates = {r.tax_type: r for r in accounting.get_tax_rates(ORG_A).tax_rates}
    assert rates["OUTPUT2"].effective_rate == 20 and rates["ZERORATEDOUTPUT"].effective_rate == 0
    created = accounting.create_tax_rates(ORG_A, TaxRates(tax_rates=[TaxRate(
        name="Reduced 12.5%", tax_components=[TaxComponent(name="VAT", rate=12.5)])])).tax_rates[0]
    assert created.tax_type.startswith("TAX") and created.effective_rate == Decimal("12.5")
    made = accounting.create_account(ORG_A, Account(code="499", name="Software",
                                                    type=AccountType.OVERHEADS)).accounts[0]
    assert made.account_id and made.type == AccountType.OVERHEADS
    archived = accounting.update_account(ORG_A, made.account_id,
                                         Accounts_of(Account(status="ARCHIVED")))
    assert archived.accounts[0].status == "ARCHIVED"


def Accounts_of(account):
    from xero_python.accounting import Accounts
    return Accounts(accounts=[account])


def test_contacts_create_read_update_page_modified_since(sdk, harness):
    accounting, _, _ = sdk
    c = new_contact(accounting, first_name="Gina", last_name="Lopez", email_address="gina@globex.example",
                    account_number="GLOBEX1")
    assert c.contact_id and val(c.contact_status) == "ACTIVE"
    got = accounting.get_contact(ORG_A, c.contact_id).contacts[0]
    assert got.email_address == "gina@globex.example"
    upd = accounting.update_contact(ORG_A, c.contact_id,
                                    Contacts(contacts=[Contact(email_address="ap@globex.example")]))
    assert upd.contacts[0].email_address == "ap@globex.example" and upd.contacts[0].name == "Globex Corp"
    # paging
    accounting.create_contacts(ORG_A, Contacts(contacts=[Contact(name="Paged %03d" % i) for i in range(120)]))
    page1 = accounting.get_contacts(ORG_A, page=1, page_size=100)
    page2 = accounting.get_contacts(ORG_A, page=2, page_size=100)
    total = len(page1.contacts) + len(page2.contacts)
    assert page1.pagination.page_count == 2 and page1.pagination.item_count == total and total >= 126
    # If-Modified-Since: only what changed after the mark
    harness.app.clock.advance(5)
    mark = dt.datetime.fromtimestamp(harness.app.clock.now(), dt.timezone.utc)
    harness.app.clock.advance(5)
    accounting.update_contact(ORG_A, c.contact_id, Contacts(contacts=[Contact(first_name="Georgina")]))
    changed = accounting.get_contacts(ORG_A, if_modified_since=mark).contacts
    assert [x.contact_id for x in changed] == [c.contact_id]
    by_where = accounting.get_contacts(ORG_A, where='EmailAddress=="ap@globex.example"').contacts
    assert [x.name for x in by_where] == ["Globex Corp"]
    by_ids = accounting.get_contacts(ORG_A, i_ds=[c.contact_id]).contacts
    assert len(by_ids) == 1


def test_items_round_trip(sdk):
    accounting, _, _ = sdk
    item = accounting.create_items(ORG_A, Items(items=[Item(
        code="BACKUP-TB", name="Backup per TB",
        sales_details=Purchase(unit_price=12.5, account_code="210", tax_type="OUTPUT2"))])).items[0]
    assert item.item_id and item.sales_details.unit_price == Decimal("12.5")
    upd = accounting.update_item(ORG_A, item.item_id, Items(items=[Item(code="BACKUP-TB", name="Backup (per TB)")]))
    assert upd.items[0].name == "Backup (per TB)"
    assert any(i.code == "REMOTE-SUPPORT" for i in accounting.get_items(ORG_A).items)
    assert accounting.get_item(ORG_A, item.item_id).items[0].code == "BACKUP-TB"
    accounting.delete_item(ORG_A, item.item_id)
    with pytest.raises(NotFoundException):
        accounting.get_item(ORG_A, item.item_id)


def test_invoice_lifecycle_with_payment(sdk):
    accounting, _, _ = sdk
    c = new_contact(accounting)
    inv = accounting.create_invoices(ORG_A, Invoices(invoices=[sales_invoice(c)]), summarize_errors=False).invoices[0]
    assert val(inv.status) == "AUTHORISED" and inv.invoice_number.startswith("INV-")
    assert (inv.sub_total, inv.total_tax, inv.total, inv.amount_due) == (170, 34, 204, 204)
    by_number = accounting.get_invoice(ORG_A, inv.invoice_number).invoices[0]
    assert by_number.invoice_id == inv.invoice_id
    pay = accounting.create_payment(ORG_A, Payment(invoice=Invoice(invoice_id=inv.invoice_id),
                                                   account=Account(code="090"), amount=100,
                                                   date=dt.date(2026, 11, 20))).payments[0]
    after = accounting.get_invoice(ORG_A, inv.invoice_id).invoices[0]
    assert after.amount_paid == 100 and after.amount_due == 104 and val(after.status) == "AUTHORISED"
    assert [p.payment_id for p in after.payments] == [pay.payment_id]
    accounting.create_payment(ORG_A, Payment(invoice=Invoice(invoice_id=inv.invoice_id), account=Account(code="090"),
                                             amount=104, date=dt.date(2026, 11, 21)))
    paid = accounting.get_invoice(ORG_A, inv.invoice_id).invoices[0]
    assert val(paid.status) == "PAID" and paid.amount_due == 0 and paid.fully_paid_on_date
    # delete a payment: back to AUTHORISED
    accounting.delete_payment(ORG_A, pay.payment_id, PaymentDelete())
    back = accounting.get_invoice(ORG_A, inv.invoice_id).invoices[0]
    assert val(back.status) == "AUTHORISED" and back.amount_due == 100
    listed = accounting.get_payments(ORG_A).payments
    assert {val(p.status) for p in listed} == {"AUTHORISED", "DELETED"}
    filtered = accounting.get_invoices(ORG_A, statuses=["AUTHORISED"], i_ds=[inv.invoice_id]).invoices
    assert [i.invoice_id for i in filtered] == [inv.invoice_id]
    assert accounting.get_invoices(ORG_A, invoice_numbers=[inv.invoice_number], page=1).pagination.item_count == 1


def PaymentDelete():
    from xero_python.accounting import PaymentDelete as PD
    return PD(status="DELETED")


def test_void_and_delete_rules(sdk):
    accounting, _, _ = sdk
    c = new_contact(accounting)
    draft = accounting.create_invoices(ORG_A, Invoices(invoices=[sales_invoice(c, status="DRAFT")])).invoices[0]
    deleted = accounting.update_invoice(ORG_A, draft.invoice_id, Invoices(invoices=[Invoice(status="DELETED")]))
    assert val(deleted.invoices[0].status) == "DELETED"
    auth = accounting.create_invoices(ORG_A, Invoices(invoices=[sales_invoice(c)])).invoices[0]
    with pytest.raises(AccountingBadRequestException):
        accounting.update_invoice(ORG_A, auth.invoice_id, Invoices(invoices=[Invoice(status="DELETED")]))
    voided = accounting.update_invoice(ORG_A, auth.invoice_id, Invoices(invoices=[Invoice(status="VOIDED")]))
    assert val(voided.invoices[0].status) == "VOIDED"


def test_bills_credit_notes_and_allocations(sdk):
    accounting, _, _ = sdk
    supplier = new_contact(accounting, name="Ingram Micro")
    bill = Invoice(type="ACCPAY", contact=Contact(contact_id=supplier.contact_id), invoice_number="SUP-77",
                   date=dt.date(2026, 11, 2), due_date=dt.date(2026, 11, 30), status="AUTHORISED",
                   line_items=[LineItem(description="Laptops", quantity=2, unit_amount=600, account_code="300",
                                        tax_type="INPUT2")])
    bill = accounting.create_invoices(ORG_A, Invoices(invoices=[bill])).invoices[0]
    assert bill.total == 1440
    # ACCPAY numbers need not be unique (the supplier's reference)
    assert accounting.create_invoices(ORG_A, Invoices(invoices=[Invoice(
        type="ACCPAY", contact=Contact(contact_id=supplier.contact_id), invoice_number="SUP-77",
        line_items=[LineItem(description="x", quantity=1, unit_amount=1)])])).invoices[0].invoice_id
    customer = new_contact(accounting)
    inv = accounting.create_invoices(ORG_A, Invoices(invoices=[sales_invoice(customer)])).invoices[0]
    cn = accounting.create_credit_notes(ORG_A, CreditNotes(credit_notes=[CreditNote(
        type="ACCRECCREDIT", contact=Contact(contact_id=customer.contact_id), date=dt.date(2026, 11, 3),
        status="AUTHORISED", line_items=[LineItem(description="Refund", quantity=1, unit_amount=50,
                                                  account_code="200", tax_type="OUTPUT2")])])).credit_notes[0]
    assert cn.total == 60 and cn.remaining_credit == 60 and cn.credit_note_number.startswith("CN-")
    alloc = accounting.create_credit_note_allocation(ORG_A, cn.credit_note_id, Allocations(allocations=[Allocation(
        invoice=Invoice(invoice_id=inv.invoice_id), amount=60, date=dt.date(2026, 11, 4))])).allocations[0]
    assert alloc.amount == 60
    inv2 = accounting.get_invoice(ORG_A, inv.invoice_id).invoices[0]
    assert inv2.amount_credited == 60 and inv2.amount_due == 144
    cn2 = accounting.get_credit_note(ORG_A, cn.credit_note_id).credit_notes[0]
    assert val(cn2.status) == "PAID" and cn2.remaining_credit == 0
    # An invoice with a credit note allocated cannot be edited
    with pytest.raises(AccountingBadRequestException) as err:
        accounting.update_invoice(ORG_A, inv.invoice_id, Invoices(invoices=[Invoice(reference="changed")]))
    assert "cannot be edited" in err.value.reason
    accounting.delete_credit_note_allocations(ORG_A, cn.credit_note_id, alloc.allocation_id)
    assert accounting.get_invoice(ORG_A, inv.invoice_id).invoices[0].amount_due == 204


def test_purchase_orders(sdk):
    accounting, _, _ = sdk
    supplier = new_contact(accounting, name="Dell Direct")
    po = accounting.create_purchase_orders(ORG_A, PurchaseOrders(purchase_orders=[PurchaseOrder(
        contact=Contact(contact_id=supplier.contact_id), date=dt.date(2026, 11, 5), status="AUTHORISED",
        line_items=[LineItem(description="Monitors", quantity=3, unit_amount=150, tax_type="INPUT2")])])
    ).purchase_orders[0]
    assert po.purchase_order_number.startswith("PO-") and po.total == 540
    got = accounting.get_purchase_order_by_number(ORG_A, po.purchase_order_number).purchase_orders[0]
    assert got.purchase_order_id == po.purchase_order_id
    upd = accounting.update_purchase_order(ORG_A, po.purchase_order_id, PurchaseOrders(purchase_orders=[
        PurchaseOrder(reference="Q-123")]))
    assert upd.purchase_orders[0].reference == "Q-123"
    with pytest.raises(AccountingBadRequestException) as err:
        accounting.create_purchase_orders(ORG_A, PurchaseOrders(purchase_orders=[PurchaseOrder(
            contact=Contact(contact_id=supplier.contact_id), purchase_order_number=po.purchase_order_number,
            line_items=[LineItem(description="x", quantity=1, unit_amount=1)])]))
    assert "Order number must be unique" in err.value.reason
    assert accounting.get_purchase_orders(ORG_A, page=1).pagination.item_count == 1


def test_validation_failure_raises_sdk_exception_with_messages(sdk):
    accounting, _, _ = sdk
    new_contact(accounting, name="Taken Name")
    with pytest.raises(AccountingBadRequestException) as err:
        accounting.create_contacts(ORG_A, Contacts(contacts=[Contact(name="Taken Name")]))
    data = err.value.error_data
    assert data["Type"] == "ValidationException" and data["ErrorNumber"] == 10
    msg = data["Elements"][0]["ValidationErrors"][0]["Message"]
    assert msg == ("The contact name Taken Name is already assigned to another contact. "
                   "The contact name must be unique across all active contacts.")


def test_rate_limit_raises_sdk_exception(sdk, admin):
    # urllib3 under the SDK silently retries a 429 on GET/PUT after Retry-After; a POST is
    # not retried, so it surfaces as the SDK's RateLimitException.
    accounting, _, _ = sdk
    c = new_contact(accounting, name="Limit Test")
    admin.limits(minute=3)
    for _ in range(2):
        accounting.get_organisations(ORG_A)
    with pytest.raises(RateLimitException) as err:
        accounting.update_contact(ORG_A, c.contact_id, Contacts(contacts=[Contact(first_name="x")]))
    assert err.value.rate_limit == "minute"
    assert int(err.value.headers["Retry-After"]) >= 1
