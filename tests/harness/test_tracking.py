"""Tracking categories and options (issue #12), over plain HTTP with every body checked
against Xero's OpenAPI schemas, and through the official xero-python SDK."""

import datetime as dt

import pytest
from xero_python.accounting import (
    Contact,
    Invoice,
    Invoices,
    LineItem,
    LineItemTracking,
    TrackingCategory,
    TrackingOption,
)
from xero_python.exceptions import AccountingBadRequestException

from harness.accounting import validation as msg

from . import openapi
from .conftest import ORG_A, ORG_B


class Checked:
    def __init__(self, api):
        self.api = api

    def __call__(self, method, path, body=None, status=200, validate=True, **kw):
        resp = self.api.request(method, path, json=body, **kw)
        assert resp.status_code == status, resp.text
        data = resp.json() if resp.content else None
        if validate and status != 404:  # the spec lists no 404 bodies
            openapi.accounting().validate(method, path, resp.status_code, data)
        return data


@pytest.fixture
def call(api):
    return Checked(api)


def errors_of(element):
    return [e["Message"] for e in element["ValidationErrors"]]


def new_category(call, name, options=(), **kw):
    body = {"Name": name, **kw}
    if options:
        body["Options"] = [{"Name": o} for o in options]
    return call("PUT", "/TrackingCategories", body)["TrackingCategories"][0]


def invoice(call, lines, **kw):
    body = {"Invoices": [{"Type": "ACCREC", "Contact": {"Name": "Acme Dental Group"}, "Date": "2026-11-02",
                          "DueDate": "2026-11-30", "Status": "AUTHORISED", "LineItems": lines}]}
    return call("PUT", "/Invoices?summarizeErrors=false", body, **kw)["Invoices"][0]


def line(tracking, amount=100):
    return {"Description": "Managed services", "Quantity": 1, "UnitAmount": amount, "AccountCode": "200",
            "TaxType": "OUTPUT2", "Tracking": tracking}


def test_categories_and_options_lifecycle(call):
    region = new_category(call, "Region", ["North", "South"])
    assert region["Status"] == "ACTIVE" and [o["Name"] for o in region["Options"]] == ["North", "South"]
    cid = region["TrackingCategoryID"]
    added = call("PUT", "/TrackingCategories/%s/Options" % cid, {"Name": "East"})["Options"]
    assert added[0]["Name"] == "East" and added[0]["Status"] == "ACTIVE"
    # the wrapped form is taken too, several options at once
    more = call("PUT", "/TrackingCategories/%s/Options" % cid, {"Options": [{"Name": "West"}, {"Name": "Central"}]})
    assert [o["Name"] for o in more["Options"]] == ["West", "Central"]
    got = call("GET", "/TrackingCategories/" + cid)["TrackingCategories"][0]
    assert [o["Name"] for o in got["Options"]] == ["North", "South", "East", "West", "Central"]
    renamed = call("POST", "/TrackingCategories/" + cid, {"Name": "Area"})["TrackingCategories"][0]
    assert renamed["Name"] == "Area" and renamed["TrackingCategoryID"] == cid
    east = added[0]["TrackingOptionID"]
    call("POST", "/TrackingCategories/%s/Options/%s" % (cid, east), {"Name": "Eastern"})
    call("POST", "/TrackingCategories/%s/Options/%s" % (cid, east), {"Status": "ARCHIVED"})
    listed = call("GET", "/TrackingCategories")["TrackingCategories"]
    assert [o["Name"] for o in listed[0]["Options"]] == ["North", "South", "West", "Central"]
    archived = call("GET", "/TrackingCategories?includeArchived=true")["TrackingCategories"]
    assert {o["Name"]: o["Status"] for o in archived[0]["Options"]}["Eastern"] == "ARCHIVED"
    central = more["Options"][1]["TrackingOptionID"]
    gone = call("DELETE", "/TrackingCategories/%s/Options/%s" % (cid, central))["Options"][0]
    assert gone["Status"] == "DELETED"
    assert "Central" not in [o["Name"] for o in call("GET", "/TrackingCategories/" + cid)
                             ["TrackingCategories"][0]["Options"]]
    call("GET", '/TrackingCategories?where=Name=="Area"&order=Name')
    call("DELETE", "/TrackingCategories/%s/Options/%s" % (cid, central), status=404)
    call("PUT", "/TrackingCategories/00000000-0000-0000-0000-000000000000/Options", {"Name": "X"}, status=404)


def test_at_most_two_active_categories(call):
    new_category(call, "Region", ["North"])
    dept = new_category(call, "Department", ["Sales"])
    third = call("PUT", "/TrackingCategories", {"Name": "Project"}, status=400)
    assert errors_of(third["Elements"][0]) == [msg.TRACKING_CATEGORY_LIMIT]
    # archiving one makes room; bringing it back while two are active is refused
    call("POST", "/TrackingCategories/" + dept["TrackingCategoryID"], {"Status": "ARCHIVED"})
    new_category(call, "Project")
    back = call("POST", "/TrackingCategories/" + dept["TrackingCategoryID"], {"Status": "ACTIVE"}, status=400)
    assert errors_of(back["Elements"][0]) == [msg.TRACKING_CATEGORY_LIMIT]
    names = [c["Name"] for c in call("GET", "/TrackingCategories")["TrackingCategories"]]
    assert names == ["Region", "Project"]
    assert len(call("GET", "/TrackingCategories?includeArchived=true")["TrackingCategories"]) == 3
    # the limit is per organisation
    assert call("GET", "/TrackingCategories", tenant=ORG_B)["TrackingCategories"] == []


def test_names_unique(call):
    region = new_category(call, "Region", ["North"])
    cid = region["TrackingCategoryID"]
    dup = call("PUT", "/TrackingCategories/%s/Options?summarizeErrors=false" % cid,
               {"Options": [{"Name": " north "}, {"Name": "South"}, {"Name": "South"}]})["Options"]
    assert [o["StatusAttributeString"] for o in dup] == ["ERROR", "OK", "ERROR"]
    assert errors_of(dup[0]) == [msg.TRACKING_OPTION_NAME_TAKEN] and dup[0]["HasValidationErrors"] is True
    summarized = call("PUT", "/TrackingCategories/%s/Options" % cid, {"Name": "SOUTH"}, status=400)
    assert errors_of(summarized["Elements"][0]) == [msg.TRACKING_OPTION_NAME_TAKEN]
    same = call("PUT", "/TrackingCategories", {"Name": "Region", "Options": [{"Name": "A"}, {"Name": "a"}]},
                status=400)["Elements"][0]
    assert errors_of(same) == [msg.TRACKING_CATEGORY_NAME_TAKEN.format(name="Region"),
                               msg.TRACKING_OPTION_NAME_TAKEN]
    nameless = call("PUT", "/TrackingCategories", {"Name": ""}, status=400)["Elements"][0]
    assert errors_of(nameless) == [msg.TRACKING_CATEGORY_NAME_REQUIRED]
    long = call("PUT", "/TrackingCategories/%s/Options" % cid, {"Name": "x" * 101}, status=400)
    assert errors_of(long["Elements"][0]) == [msg.too_long("Name", 100)]
    south = next(o for o in dup if o["StatusAttributeString"] == "OK")
    rename = call("POST", "/TrackingCategories/%s/Options/%s" % (cid, south["TrackingOptionID"]),
                  {"Name": "North"}, status=400)
    assert errors_of(rename["Elements"][0]) == [msg.TRACKING_OPTION_NAME_TAKEN]


def test_tracking_on_lines_by_name_or_id_and_refusals(call):
    region = new_category(call, "Region", ["North", "South"])
    dept = new_category(call, "Department", ["Support", "Projects"])
    north, south = region["Options"]
    support = dept["Options"][0]
    inv = invoice(call, [
        line([{"Name": "region", "Option": "north"}, {"Name": "Department", "Option": "Support"}]),
        line([{"TrackingCategoryID": region["TrackingCategoryID"], "TrackingOptionID": south["TrackingOptionID"]}]),
        line([])])
    assert inv["StatusAttributeString"] == "OK", inv
    got = call("GET", "/Invoices/" + inv["InvoiceID"])["Invoices"][0]["LineItems"]
    assert got[0]["Tracking"] == [
        {"TrackingCategoryID": region["TrackingCategoryID"], "Name": "Region", "Option": "North",
         "TrackingOptionID": north["TrackingOptionID"]},
        {"TrackingCategoryID": dept["TrackingCategoryID"], "Name": "Department", "Option": "Support",
         "TrackingOptionID": support["TrackingOptionID"]}]
    assert got[1]["Tracking"] == [{"TrackingCategoryID": region["TrackingCategoryID"], "Name": "Region",
                                   "Option": "South", "TrackingOptionID": south["TrackingOptionID"]}]
    assert got[2]["Tracking"] == []
    cases = [
        ([{"Name": "Region", "Option": "West"}], msg.TRACKING_OPTION_INVALID.format(option="West", name="Region")),
        ([{"Name": "Colour", "Option": "Red"}], msg.TRACKING_CATEGORY_INVALID),
        ([{"Name": "Region", "Option": "North"}, {"Name": "Region", "Option": "South"}],
         msg.TRACKING_CATEGORY_TWICE.format(name="Region")),
        ([{"Name": "Region", "Option": "North"}, {"Name": "Department", "Option": "Support"},
          {"Name": "Region", "Option": "South"}], msg.TRACKING_TOO_MANY),
        ({"Name": "Region", "Option": "North"}, msg.TRACKING_NOT_A_LIST),
    ]
    for tracking, expected in cases:
        # the echo of a non-list Tracking cannot match the schema: it echoes what was sent
        refused = invoice(call, [line(tracking)], validate=isinstance(tracking, list))
        assert refused["StatusAttributeString"] == "ERROR" and errors_of(refused) == [expected], tracking
    # archived option, then archived category: refused on new lines
    call("POST", "/TrackingCategories/%s/Options/%s" % (region["TrackingCategoryID"], north["TrackingOptionID"]),
         {"Status": "ARCHIVED"})
    refused = invoice(call, [line([{"Name": "Region", "Option": "North"}])])
    assert errors_of(refused) == [msg.TRACKING_OPTION_INVALID.format(option="North", name="Region")]
    call("POST", "/TrackingCategories/" + dept["TrackingCategoryID"], {"Status": "ARCHIVED"})
    refused = invoice(call, [line([{"TrackingCategoryID": dept["TrackingCategoryID"],
                                    "TrackingOptionID": support["TrackingOptionID"]}])])
    assert errors_of(refused) == [msg.TRACKING_CATEGORY_INVALID]
    # in use: cannot be deleted (archive instead); an unused option can
    used = call("DELETE", "/TrackingCategories/" + region["TrackingCategoryID"], status=400)
    assert used["Message"] == msg.TRACKING_IN_USE
    call("DELETE", "/TrackingCategories/%s/Options/%s" % (dept["TrackingCategoryID"],
                                                          dept["Options"][1]["TrackingOptionID"]))


def test_tracking_on_bills_credit_notes_and_purchase_orders(call):
    region = new_category(call, "Region", ["North"])
    tracking = [{"Name": "Region", "Option": "North"}]
    expected = [{"TrackingCategoryID": region["TrackingCategoryID"], "Name": "Region", "Option": "North",
                 "TrackingOptionID": region["Options"][0]["TrackingOptionID"]}]
    bill = call("PUT", "/Invoices", {"Invoices": [{
        "Type": "ACCPAY", "Contact": {"Name": "Pax8 UK"}, "Date": "2026-11-02", "DueDate": "2026-11-30",
        "Status": "AUTHORISED", "LineItems": [dict(line(tracking), AccountCode="429", TaxType="INPUT2")]}]})
    assert bill["Invoices"][0]["LineItems"][0]["Tracking"] == expected
    cn = call("PUT", "/CreditNotes", {"CreditNotes": [{
        "Type": "ACCRECCREDIT", "Contact": {"Name": "Acme Dental Group"}, "Date": "2026-11-02",
        "Status": "AUTHORISED", "LineItems": [line(tracking)]}]})["CreditNotes"][0]
    assert call("GET", "/CreditNotes/" + cn["CreditNoteID"])["CreditNotes"][0]["LineItems"][0]["Tracking"] == expected
    po = call("PUT", "/PurchaseOrders", {"PurchaseOrders": [{
        "Contact": {"Name": "Pax8 UK"}, "Date": "2026-11-02",
        "LineItems": [dict(line(tracking), AccountCode="429", TaxType="INPUT2")]}]})["PurchaseOrders"][0]
    assert po["LineItems"][0]["Tracking"] == expected
    bad = call("PUT", "/PurchaseOrders", {"PurchaseOrders": [{
        "Contact": {"Name": "Pax8 UK"}, "LineItems": [line([{"Name": "Region", "Option": "Nowhere"}])]}]},
               status=400)
    assert errors_of(bad["Elements"][0]) == [msg.TRACKING_OPTION_INVALID.format(option="Nowhere", name="Region")]


def test_scope_and_page(api, harness, call):
    region = new_category(call, "Region", ["North"])
    inv = invoice(call, [line([{"Name": "Region", "Option": "North"}])])
    page = api.http.get(harness.url + "/ui/%s/invoices/%s" % (ORG_A, inv["InvoiceID"])).text
    assert "Region: North" in page
    org_page = api.http.get(harness.url + "/ui/%s" % ORG_A).text
    assert "Tracking categories" in org_page and "North" in org_page
    assert region["TrackingCategoryID"]


def test_sdk_round_trip(sdk):
    accounting, _, _ = sdk
    created = accounting.create_tracking_category(ORG_A, TrackingCategory(name="Service line"))
    category = created.tracking_categories[0]
    assert category.name == "Service line" and category.tracking_category_id
    opts = accounting.create_tracking_options(ORG_A, category.tracking_category_id, TrackingOption(name="Managed"))
    managed = opts.options[0]
    assert managed.name == "Managed" and managed.tracking_option_id
    accounting.create_tracking_options(ORG_A, category.tracking_category_id, TrackingOption(name="Projects"))
    accounting.update_tracking_category(ORG_A, category.tracking_category_id, TrackingCategory(name="Service lines"))
    accounting.update_tracking_options(ORG_A, category.tracking_category_id, managed.tracking_option_id,
                                       TrackingOption(name="Managed services"))
    read = accounting.get_tracking_category(ORG_A, category.tracking_category_id).tracking_categories[0]
    assert read.name == "Service lines"
    assert [o.name for o in read.options] == ["Managed services", "Projects"]
    assert [c.name for c in accounting.get_tracking_categories(ORG_A).tracking_categories] == ["Service lines"]
    inv = Invoice(type="ACCREC", contact=Contact(name="Acme Dental Group"), date=dt.date(2026, 11, 1),
                  due_date=dt.date(2026, 12, 1), status="AUTHORISED", line_items=[LineItem(
                      description="Backup", quantity=1, unit_amount=50, account_code="200", tax_type="OUTPUT2",
                      tracking=[LineItemTracking(tracking_category_id=category.tracking_category_id,
                                                 tracking_option_id=managed.tracking_option_id)])])
    made = accounting.create_invoices(ORG_A, Invoices(invoices=[inv]), summarize_errors=False).invoices[0]
    back = accounting.get_invoice(ORG_A, made.invoice_id).invoices[0]
    tracking = back.line_items[0].tracking[0]
    assert (tracking.name, tracking.option, str(tracking.tracking_option_id)) == (
        "Service lines", "Managed services", str(managed.tracking_option_id))
    with pytest.raises(AccountingBadRequestException) as exc:
        accounting.create_tracking_options(ORG_A, category.tracking_category_id, TrackingOption(name="projects"))
    assert msg.TRACKING_OPTION_NAME_TAKEN in str(exc.value.error_data)
    accounting.create_tracking_category(ORG_A, TrackingCategory(name="Region"))
    with pytest.raises(AccountingBadRequestException) as exc:
        accounting.create_tracking_category(ORG_A, TrackingCategory(name="Project"))
    assert msg.TRACKING_CATEGORY_LIMIT in str(exc.value.error_data)
    deleted = accounting.delete_tracking_options(ORG_A, category.tracking_category_id,
                                                 read.options[1].tracking_option_id).options[0]
    assert getattr(deleted.status, "value", deleted.status) == "DELETED"
