"""Matching Xero records to existing Odoo records before creating anything (pure functions).

The rule everywhere: try the keys in order; the first key that finds exactly one candidate
wins; a key that finds several stops the search and reports the record as ambiguous (never
guessed); a key that finds none passes to the next.
"""

import re
import unicodedata

CONTACT_KEYS = ("account_number", "vat", "email", "name")
_SUFFIXES = re.compile(r"\b(ltd|limited|llp|llc|plc|inc|incorporated|gmbh|sarl|sas|bv|pty|co|corp|company)\b\.?")


def normalise_name(name):
    """"  ACME  Dental, Ltd. " -> "acme dental"; accents folded, punctuation and legal suffixes dropped."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode() or str(name)
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    text = _SUFFIXES.sub(" ", text)
    return " ".join(text.split())


def normalise_vat(vat):
    return re.sub(r"[^0-9A-Za-z]", "", vat or "").upper()


def normalise_email(email):
    return (email or "").strip().casefold()


def normalise_code(code):
    return (code or "").strip().casefold()


def contact_keys(contact):
    """The matching keys of a Xero contact dict."""
    return {
        "account_number": normalise_code(contact.get("AccountNumber")),
        "vat": normalise_vat(contact.get("TaxNumber")),
        "email": normalise_email(contact.get("EmailAddress")),
        "name": normalise_name(contact.get("Name")),
    }


def partner_keys(partner):
    """The matching keys of an Odoo partner given as a dict (ref, vat, email, name)."""
    return {
        "account_number": normalise_code(partner.get("ref")),
        "vat": normalise_vat(partner.get("vat")),
        "email": normalise_email(partner.get("email")),
        "name": normalise_name(partner.get("name")),
    }


class Index:
    """Odoo records indexed by each key: key -> value -> set of ids."""

    def __init__(self, keys):
        self.keys = keys
        self.maps = {k: {} for k in keys}

    def add(self, record_id, values):
        for key in self.keys:
            value = values.get(key)
            if value:
                self.maps[key].setdefault(value, set()).add(record_id)

    def match(self, values, exclude=()):
        """-> ("match", id, key) | ("ambiguous", ids, key) | ("none", None, None)."""
        for key in self.keys:
            value = values.get(key)
            if not value:
                continue
            ids = self.maps[key].get(value, set()) - set(exclude)
            if len(ids) == 1:
                return "match", next(iter(ids)), key
            if len(ids) > 1:
                return "ambiguous", sorted(ids), key
        return "none", None, None


def tax_kind(xero_rate):
    """"sale" / "purchase" / None for a Xero tax rate dict, from its type and report type."""
    text = "%s %s" % (xero_rate.get("TaxType", ""), xero_rate.get("ReportTaxType", ""))
    text = text.upper()
    if "OUTPUT" in text or "SALES" in text:
        return "sale"
    if "INPUT" in text or "PURCHASE" in text or "EXPENSE" in text:
        return "purchase"
    return None


def match_tax(odoo_tax, xero_rates):
    """An Odoo tax {amount, type_tax_use, amount_type} against Xero rate dicts.
    -> ("match", TaxType) | ("ambiguous", [TaxTypes]) | ("none", reason)."""
    if odoo_tax.get("amount_type") not in ("percent", "division"):
        return "none", "only percentage taxes can be matched by rate"
    rate = round(float(odoo_tax.get("amount") or 0.0), 4)
    usable = [r for r in xero_rates if r.get("Status", "ACTIVE") == "ACTIVE"
              and len(r.get("TaxComponents") or [{}]) <= 1
              and tax_kind(r) == odoo_tax.get("type_tax_use")
              and round(float(r.get("EffectiveRate") or 0.0), 4) == rate]
    if len(usable) == 1:
        return "match", usable[0]["TaxType"]
    if len(usable) > 1:
        return "ambiguous", sorted(r["TaxType"] for r in usable)
    return "none", "no active single-component Xero %s tax rate at %s%%" % (
        "sales" if odoo_tax.get("type_tax_use") == "sale" else "purchase", rate)
