"""The pure rules (no database)."""

from odoo.addons.psa_labour_billing import labour


def test_minimum_charge():
    assert labour.billable_hours(0.1, minimum=30) == 0.5  # 6 minutes, 30-minute minimum


def test_increment_up_and_nearest():
    assert labour.billable_hours(1.1, increment=15) == 1.25  # 66 minutes up to 75
    assert labour.billable_hours(1.1, increment=15, rounding="nearest") == 1.0
    assert labour.billable_hours(1.0, increment=15) == 1.0  # an exact multiple stays
    assert labour.billable_hours(1.125, increment=15, rounding="nearest") == 1.25  # half up


def test_no_rules_hundredths_and_nothing_logged():
    assert labour.billable_hours(1.234) == 1.23
    assert labour.billable_hours(0, minimum=30) == 0.0


def test_share_adds_up():
    shares = labour.share(1.25, [0.5, 0.6])
    assert round(sum(shares), 2) == 1.25
    assert all(s >= 0 for s in shares)


def test_initials():
    assert labour.initials("Jane van Doe") == "JVD"
    assert labour.initials("") == ""


def test_describe_cut_counts_left_out():
    entries = [{"date": "2026-11-%02d" % i, "ref": "HT%05d" % i, "initials": "JD", "hours": 0.5,
                "summary": "x" * 30} for i in range(1, 30)]
    full = labour.describe("Remote Support", entries, limit=10000)
    assert full.count("\n") == 29 and "more entries" not in full
    cut = labour.describe("Remote Support", entries, limit=300)
    assert len(cut) <= 300
    kept = cut.count("HT0")
    assert cut.endswith("… and %d more entries" % (29 - kept))
    assert kept > 0
