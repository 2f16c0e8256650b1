"""The import's matching rules, as plain functions (no server)."""

import pytest

from odoo.addons.psa_xero_connector.xero import matching


def test_normalise_name():
    assert matching.normalise_name("  ACME  Dental, Ltd. ") == "acme dental"
    assert matching.normalise_name("Harbour Logistics Limited") == matching.normalise_name("Harbour Logistics Ltd")
    assert matching.normalise_name("Café Müller & Søn") == "cafe muller and sn"
    assert matching.normalise_name("") == "" and matching.normalise_name(None) == ""
    assert matching.normalise_name("株式会社") == "株式会社"  # nothing ASCII to fold to: kept


def test_normalise_keys():
    assert matching.normalise_vat("GB 123 456 789") == "GB123456789"
    assert matching.normalise_email(" Billing@Example.COM ") == "billing@example.com"


def test_index_order_and_ambiguity():
    index = matching.Index(matching.CONTACT_KEYS)
    index.add(1, matching.partner_keys({"ref": "ACME01", "name": "Acme", "email": "a@x.example"}))
    index.add(2, matching.partner_keys({"name": "Acme Ltd", "email": "a@x.example"}))
    index.add(3, matching.partner_keys({"name": "Other", "vat": "GB1"}))
    # the account number wins before the ambiguous e-mail is looked at
    assert index.match(matching.contact_keys({"AccountNumber": "acme01", "EmailAddress": "A@x.example"})) == (
        "match", 1, "account_number")
    assert index.match(matching.contact_keys({"EmailAddress": "a@x.example"})) == ("ambiguous", [1, 2], "email")
    assert index.match(matching.contact_keys({"TaxNumber": "gb 1", "Name": "Acme"})) == ("match", 3, "vat")
    assert index.match(matching.contact_keys({"Name": "Nobody"})) == ("none", None, None)
    assert index.match(matching.contact_keys({"Name": "ACME LIMITED"})) == ("ambiguous", [1, 2], "name")


def test_match_tax():
    rates = [
        {"TaxType": "OUTPUT2", "EffectiveRate": 20, "ReportTaxType": "OUTPUT", "TaxComponents": [{}]},
        {"TaxType": "INPUT2", "EffectiveRate": 20, "ReportTaxType": "INPUT", "TaxComponents": [{}]},
        {"TaxType": "ZERORATEDOUTPUT", "EffectiveRate": 0, "TaxComponents": [{}]},
        {"TaxType": "EXEMPTOUTPUT", "EffectiveRate": 0, "TaxComponents": [{}]},
        {"TaxType": "TAX001", "EffectiveRate": 7, "ReportTaxType": "OUTPUT", "TaxComponents": [{}, {}]},
        {"TaxType": "OLD", "EffectiveRate": 17.5, "ReportTaxType": "OUTPUT", "Status": "DELETED"},
    ]
    sale = {"amount_type": "percent", "type_tax_use": "sale"}
    assert matching.match_tax(dict(sale, amount=20), rates) == ("match", "OUTPUT2")
    assert matching.match_tax(dict(sale, amount=20, type_tax_use="purchase"), rates) == ("match", "INPUT2")
    assert matching.match_tax(dict(sale, amount=0), rates) == ("ambiguous", ["EXEMPTOUTPUT", "ZERORATEDOUTPUT"])
    assert matching.match_tax(dict(sale, amount=7), rates)[0] == "none"       # several components
    assert matching.match_tax(dict(sale, amount=17.5), rates)[0] == "none"    # not active
    assert matching.match_tax({"amount_type": "fixed", "amount": 1, "type_tax_use": "sale"}, rates)[0] == "none"


def test_match_tax_by_family_reverse_charge_and_postponed_vat():
    """l10n_uk's purchase taxes at 20 %: only the standard one is Xero's INPUT2; reverse-charge,
    postponed-import and EC taxes find a Xero rate of their own kind or stay unmapped."""
    rates = [
        {"TaxType": "INPUT2", "Name": "20% (VAT on Expenses)", "EffectiveRate": 20, "ReportTaxType": "INPUT",
         "TaxComponents": [{}]},
        {"TaxType": "OUTPUT2", "Name": "20% (VAT on Income)", "EffectiveRate": 20, "ReportTaxType": "OUTPUT",
         "TaxComponents": [{}]},
        {"TaxType": "TAX001", "Name": "Reverse Charge Expenses (20%)", "EffectiveRate": 20,
         "ReportTaxType": "REVERSECHARGES", "TaxComponents": [{}]},
    ]
    purchase = {"amount_type": "percent", "type_tax_use": "purchase", "amount": 20}
    assert matching.match_tax(dict(purchase, name="20% G"), rates) == ("match", "INPUT2")
    assert matching.match_tax(dict(purchase, name="20% RC EX", description="<p>Reverse Charge (International)</p>"),
                              rates) == ("match", "TAX001")
    # domestic reverse charge is Xero's DRCHARGE20, which this organisation lacks: not INPUT2, not TAX001
    verdict, reason = matching.match_tax(dict(purchase, name="20% RC", description="Reverse Charge (Domestic)"),
                                         rates)
    assert verdict == "none" and "domestic reverse-charge" in reason
    verdict, reason = matching.match_tax(dict(purchase, name="20% (VAT on Expenses) PVA"), rates)
    assert verdict == "none" and "postponed import VAT" in reason
    assert matching.match_tax(dict(purchase, name="20% EU (NIR)"), rates)[0] == "none"
    # a reverse charge that says neither domestic nor international fits both Xero kinds: ask the user
    both = rates + [{"TaxType": "DRCHARGE20", "Name": "Domestic Reverse Charge @ 20% (VAT on Expenses)",
                     "EffectiveRate": 20, "ReportTaxType": "DRCHARGE", "TaxComponents": [{}]}]
    assert matching.match_tax(dict(purchase, name="Reverse charge 20%"), both) == (
        "ambiguous", ["DRCHARGE20", "TAX001"])
    assert matching.match_tax(dict(purchase, name="20% RC", description="Reverse Charge (Domestic)"), both) == (
        "match", "DRCHARGE20")


@pytest.mark.parametrize("rate, family, kind", [
    ({"TaxType": "REVERSECHARGES"}, "reverse_charge", "purchase"),
    ({"TaxType": "DRCHARGE20"}, "domestic_reverse_charge", "purchase"),
    ({"TaxType": "DRCHARGESUPPLY20"}, "domestic_reverse_charge", "sale"),
    ({"TaxType": "ECACQUISITIONS"}, "ec", "purchase"),
    ({"TaxType": "ECZROUTPUT"}, "ec", "sale"),
    ({"TaxType": "CAPEXINPUT2"}, "capital", "purchase"),
    ({"TaxType": "TAX004", "Name": "Postponed import VAT 20%", "ReportTaxType": "INPUT"}, "postponed", "purchase"),
    ({"TaxType": "INPUT2", "ReportTaxType": "INPUT"}, "standard", "purchase"),
    ({"TaxType": "ZERORATEDOUTPUT"}, "standard", "sale"),
])
def test_xero_tax_families(rate, family, kind):
    assert matching.xero_tax_family(rate) == family
    assert matching.tax_kind(rate) == kind
