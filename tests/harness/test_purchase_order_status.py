"""What Xero lets a purchase order become (issue #23): an approved one is deleted (its schema has
no VOIDED), edited while approved, and a billed one is final."""

from harness.accounting import validation as msg

from .test_validation import contact_id, errors_of


def order(cid, **over):
    body = {"Contact": {"ContactID": cid}, "Date": "2026-11-01", "DeliveryDate": "2026-11-20",
            "Status": "AUTHORISED", "LineItems": [{"Description": "Docks", "Quantity": 2, "UnitAmount": 150,
                                                    "AccountCode": "300", "TaxType": "INPUT2"}]}
    body.update(over)
    return body


def put_order(api, **over):
    resp = api.put("/PurchaseOrders", {"PurchaseOrders": [order(contact_id(api, "PO Supplier"), **over)]})
    assert resp.status_code == 200, resp.text
    return resp.json()["PurchaseOrders"][0]


def test_an_approved_order_is_deleted_not_voided(api):
    po = put_order(api)
    voided = api.post("/PurchaseOrders/" + po["PurchaseOrderID"], {"PurchaseOrders": [{"Status": "VOIDED"}]})
    assert voided.status_code == 400
    deleted = api.post("/PurchaseOrders/" + po["PurchaseOrderID"], {"PurchaseOrders": [{"Status": "DELETED"}]})
    assert deleted.status_code == 200, deleted.text
    assert api.get("/PurchaseOrders/" + po["PurchaseOrderID"]).json()["PurchaseOrders"][0]["Status"] == "DELETED"
    # deleted is final
    again = api.post("/PurchaseOrders/" + po["PurchaseOrderID"],
                     {"PurchaseOrders": [{"Status": "AUTHORISED", "Reference": "back"}]})
    assert errors_of(again) == [msg.STATUS_CHANGE_INVALID]


def test_an_approved_order_takes_new_lines_and_dates(api):
    po = put_order(api)
    resp = api.post("/PurchaseOrders", {"PurchaseOrders": [{
        "PurchaseOrderID": po["PurchaseOrderID"], "DeliveryDate": "2026-12-01", "Status": "AUTHORISED",
        "LineItems": [{"Description": "Docks", "Quantity": 3, "UnitAmount": 150, "AccountCode": "300",
                       "TaxType": "INPUT2"}]}]})
    assert resp.status_code == 200, resp.text
    got = api.get("/PurchaseOrders/" + po["PurchaseOrderID"]).json()["PurchaseOrders"][0]
    assert (got["SubTotal"], got["DeliveryDate"].startswith("/Date(1796083200000")) == (450.0, True)


def test_a_billed_order_is_final(api):
    po = put_order(api)
    billed = api.post("/PurchaseOrders/" + po["PurchaseOrderID"], {"PurchaseOrders": [{"Status": "BILLED"}]})
    assert billed.status_code == 200, billed.text
    deleted = api.post("/PurchaseOrders/" + po["PurchaseOrderID"], {"PurchaseOrders": [{"Status": "DELETED"}]})
    assert errors_of(deleted) == [msg.STATUS_CHANGE_INVALID]
