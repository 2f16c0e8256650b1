"""xero/presend.py: what Xero would refuse in a document, found before sending (pure functions)."""

from datetime import date

import pytest

from odoo.addons.psa_xero_connector.xero import presend

ALL = {"REVENUE": True, "EXPENSE": True, "ASSET": True, "LIABILITY": True, "EQUITY": True}
CATALOG = {
    "accounts": {
        "200": {"active": True, "type": "SALES", "class": "REVENUE"},
        "300": {"active": True, "type": "DIRECTCOSTS", "class": "EXPENSE"},
        "429": {"active": True, "type": "OVERHEADS", "class": "EXPENSE"},
        "433": {"active": False, "type": "OVERHEADS", "class": "EXPENSE"},
        "090": {"active": True, "type": "BANK", "class": "ASSET"},
        "610": {"active": True, "type": "CURRENT", "class": "ASSET", "system_account": "DEBTORS"},
        "860": {"active": True, "type": "CURRLIAB", "class": "LIABILITY", "system_account": "ROUNDING"},
    },
    "tax_rates": {
        "OUTPUT2": {"active": True, "can_apply": dict(ALL, EXPENSE=False)},
        "INPUT2": {"active": True, "can_apply": dict(ALL, REVENUE=False)},
        "RROUTPUT": {"active": False, "can_apply": dict(ALL, EXPENSE=False)},
        "NONE": {"active": True, "can_apply": ALL},
    },
    "items": {
        "MISC": {"sales_account_code": "200", "purchase_account_code": "300"},
        "OLD": {"sales_account_code": "433", "purchase_account_code": "433"},
        "NOACC": {"sales_account_code": False, "purchase_account_code": False},
    },
}


def kinds(kind, *lines, status="AUTHORISED", catalog=CATALOG):
    doc = {"kind": kind, "status": status, "lines": [dict(label="l%d" % n, **line) for n, line in enumerate(lines)]}
    return [(p["line"], p.kind) for p in presend.check_lines(doc, catalog)]


def test_clean_documents_pass():
    assert kinds("out_invoice", {"account_code": "200", "tax_type": "OUTPUT2"}, {"item_code": "MISC"}) == []
    assert kinds("in_invoice", {"account_code": "429", "tax_type": "INPUT2"}, {"item_code": "MISC"},
                 {"account_code": "200", "tax_type": "OUTPUT2"}) == []  # a revenue account on a bill is allowed
    assert kinds("out_invoice", {"account_code": "860"}) == []  # rounding lines go to the rounding account


def test_no_account_and_no_item():
    assert kinds("in_invoice", {"tax_type": "INPUT2"}) == [(1, presend.NO_ACCOUNT)]
    assert kinds("out_refund", {"item_code": "NOACC"}) == [(1, presend.NO_ACCOUNT)]
    # Xero lets drafts and purchase orders go without an account
    assert kinds("in_invoice", {"tax_type": "INPUT2"}, status="DRAFT") == []
    assert kinds("purchase_order", {"tax_type": "INPUT2"}) == []


@pytest.mark.parametrize("kind, line, expected", [
    ("out_invoice", {"account_code": "999"}, presend.ACCOUNT_UNKNOWN),
    ("in_invoice", {"account_code": "433", "tax_type": "INPUT2"}, presend.ACCOUNT_ARCHIVED),
    ("out_invoice", {"item_code": "OLD"}, presend.ACCOUNT_ARCHIVED),
    ("out_invoice", {"account_code": "090"}, presend.ACCOUNT_NOT_FOR_DOCUMENT),
    ("in_refund", {"account_code": "610"}, presend.ACCOUNT_NOT_FOR_DOCUMENT),
    ("purchase_order", {"account_code": "090"}, presend.ACCOUNT_NOT_FOR_DOCUMENT),
    ("out_invoice", {"account_code": "200", "tax_type": "RROUTPUT"}, presend.TAX_ARCHIVED),
    ("in_invoice", {"account_code": "429", "tax_type": "OUTPUT2"}, presend.TAX_NOT_FOR_ACCOUNT),
    ("out_invoice", {"account_code": "200", "tax_type": "INPUT2"}, presend.TAX_NOT_FOR_ACCOUNT),
    ("in_invoice", {"item_code": "MISC", "tax_type": "OUTPUT2"}, presend.TAX_NOT_FOR_ACCOUNT),  # item's account 300
])
def test_each_refusal(kind, line, expected):
    assert kinds(kind, {"account_code": "200"} if kind.startswith("out") else {"account_code": "300"}, line) == [
        (2, expected)]


def test_problem_names_line_account_and_where_it_comes_from():
    doc = {"kind": "in_invoice", "status": "AUTHORISED", "lines": [
        {"label": "Backup", "item_code": "MISC", "tax_type": "OUTPUT2"},
        {"label": "Ads", "account_code": "433", "tax_type": "INPUT2"}]}
    first, second = presend.check_lines(doc, CATALOG)
    assert dict(first) == {"kind": presend.TAX_NOT_FOR_ACCOUNT, "line": 1, "label": "Backup", "item_code": "MISC",
                           "account_code": "300", "source": "item", "tax_type": "OUTPUT2", "account_class": "EXPENSE"}
    assert (second["line"], second["source"], second["account_code"]) == (2, "line", "433")


def test_an_organisation_never_imported_is_left_to_xero():
    empty = {"accounts": {}, "tax_rates": {}, "items": {}}
    assert kinds("out_invoice", {"account_code": "999", "tax_type": "WHATEVER"}, catalog=empty) == []
    assert kinds("out_invoice", {"tax_type": "OUTPUT2"}, catalog=empty) == [(1, presend.NO_ACCOUNT)]
    # a tax type not in the catalogue is not judged
    assert kinds("out_invoice", {"account_code": "200", "tax_type": "TAX009"}) == []


def test_lock_date_of_a_connection():
    period, year_end = date(2026, 10, 31), date(2026, 9, 30)
    assert presend.lock_date(period, year_end) == (period, "period")
    assert presend.lock_date(period, year_end, adviser=True) == (year_end, "end_of_year")
    assert presend.lock_date(None, None) == (None, None)
    assert presend.lock_date(year_end, year_end) == (year_end, "end_of_year")
    assert presend.lock_date(date(2026, 8, 31), year_end) == (year_end, "end_of_year")


def test_locked_documents():
    lock = date(2026, 10, 31)
    assert presend.locked("out_invoice", "AUTHORISED", date(2026, 10, 31), lock)
    assert presend.locked("in_refund", "AUTHORISED", date(2026, 1, 1), lock)
    assert not presend.locked("out_invoice", "AUTHORISED", date(2026, 11, 1), lock)
    assert not presend.locked("out_invoice", "DRAFT", date(2026, 10, 1), lock)
    assert not presend.locked("purchase_order", "AUTHORISED", date(2026, 10, 1), lock)
    assert not presend.locked("out_invoice", "AUTHORISED", date(2026, 10, 1), None)


def test_redate_to_the_first_open_day():
    lock = date(2026, 10, 31)
    values = {"kind": "out_invoice", "date": date(2026, 10, 15), "due_date": date(2026, 11, 14)}
    out, day = presend.redate(values, lock)
    assert day == date(2026, 11, 1) and out["date"] == day and out["due_date"] == date(2026, 11, 14)
    assert values["date"] == date(2026, 10, 15)  # the caller's values are left alone
    out, _day = presend.redate(dict(values, due_date=date(2026, 10, 20)), lock)
    assert out["due_date"] == date(2026, 11, 1)  # never due before its date
