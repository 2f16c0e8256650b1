"""The query language through python-quickbooks (which POSTs the query as text) and by GET
?query=: WHERE with AND, IN, LIKE and comparisons, ORDERBY, STARTPOSITION / MAXRESULTS, COUNT(*),
active names only by default, and QBO's parse and validation faults."""

import pytest
from quickbooks.exceptions import ValidationException
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.item import Item

from .test_entities import ids, invoice, line, make


@pytest.fixture
def invoices(qb, qbo):
    items = ids(qbo, "Item")
    out = []
    for n, (customer, qty) in enumerate((("Acme Dental Group", 1), ("Harbour Logistics", 3),
                                         ("Acme Dental Group", 5), ("Harbour Logistics", 2))):
        out.append(invoice(qbo, qb, customer, lines=[line(items["Onsite Visit"], qty, 120)],
                           TxnDate="2026-11-%02d" % (n + 1)))
    return out


def test_where_orderby_paging_and_count(qb, invoices):
    acme = invoices[0].CustomerRef.value
    found = Invoice.where("CustomerRef = '%s' AND TotalAmt > '100'" % acme, order_by="TotalAmt DESC", qb=qb)
    assert [i.TotalAmt for i in found] == [600, 120]
    page = Invoice.where("", order_by="TxnDate", start_position=2, max_results=2, qb=qb)
    assert [i.TxnDate for i in page] == ["2026-11-02", "2026-11-03"]
    assert Invoice.count("TxnDate >= '2026-11-03'", qb=qb) == 2
    assert [i.DocNumber for i in Invoice.choose(["1001", "1004"], field="DocNumber", qb=qb)] == ["1001", "1004"]
    assert {c.DisplayName for c in Customer.where("DisplayName LIKE 'Harb%'", qb=qb)} == {"Harbour Logistics"}
    assert Item.all(qb=qb)  # python-quickbooks asks "SELECT *, Sku FROM Item"


def test_get_query_and_raw_answer_shape(api, invoices):
    body = api.get("query", params={"query": "select * from Invoice where DocNumber = '1002'",
                                    "minorversion": "75"}).json()
    response = body["QueryResponse"]
    assert response["startPosition"] == 1 and response["maxResults"] == 1
    assert response["Invoice"][0]["DocNumber"] == "1002" and "time" in body
    assert api.get("query", params={"query": "select * from Invoice where DocNumber = 'nope'"}).json()[
        "QueryResponse"] == {}


def test_inactive_names_only_when_asked(qb, qbo):
    cid = ids(qbo, "Customer", field="DisplayName")["Harbour Logistics"]
    make(qb, Customer, {"Id": cid, "SyncToken": "0", "sparse": True, "Active": False})
    assert "Harbour Logistics" not in {c.DisplayName for c in Customer.all(qb=qb)}
    both = Customer.where("Active IN (true, false)", qb=qb)
    assert "Harbour Logistics" in {c.DisplayName for c in both}


@pytest.mark.parametrize("text, code", [
    ("select * from Invoice where TotalAmt > '1' OR TotalAmt < '5'", 4000),
    ("select * frm Invoice", 4000),
    ("select * from Invoice maxresults 1001", 4001),
    ("select * from Widget", 4001),
    ("select * from Customer where Colour = 'red'", 4001),
])
def test_bad_queries_are_faults(qb, text, code):
    with pytest.raises(ValidationException) as err:
        Customer.query(text, qb=qb)
    assert err.value.error_code == code
