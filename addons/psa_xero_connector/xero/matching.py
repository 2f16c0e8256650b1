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
    if "OUTPUT" in text or "SALES" in text or "DRCHARGESUPPLY" in text:
        return "sale"
    if ("INPUT" in text or "PURCHASE" in text or "EXPENSE" in text or "REVERSECHARGE" in text
            or "DRCHARGE" in text or "ECACQUISITION" in text):
        return "purchase"
    return None


# What a tax is beyond its rate. A reverse-charge, postponed-import, EC or capital-goods tax is
# matched only to a Xero rate of the same family (Xero: its TaxType / ReportTaxType, else its
# name; Odoo: its name, label and description, as l10n_uk names them: "20% RC", "20% RC EX",
# "20% PVA", "20% EU (NIR)"), never to the standard rate of the same percentage.
STANDARD = "standard"
_ODOO_FAMILIES = (
    ("postponed", re.compile(r"\bpva\b|postponed")),
    ("reverse_charge", re.compile(r"\brc\b|\bdrc\b|reverse[\s-]*charge")),
    ("ec", re.compile(r"\bec\b|\beu\b|\bnir\b|acquisition")),
    ("import", re.compile(r"\bimports?\b")),
    ("capital", re.compile(r"capital|\bcapex\b")),
)
_DOMESTIC = re.compile(r"domestic|\bdrc\b|\bcis\b")
_INTERNATIONAL = re.compile(r"international|\bex\b|\bservices? from abroad\b")


def _plain(*texts):
    text = " ".join(str(t) for t in texts if t)
    return re.sub(r"<[^>]+>", " ", text).casefold()  # the description is HTML in Odoo 18


def odoo_tax_families(odoo_tax):
    """The Xero families an Odoo tax {name, description, invoice_label} may match: {"standard"},
    or a special family; a reverse charge that says neither domestic nor international fits both
    kinds Xero has ("reverse_charge", "domestic_reverse_charge")."""
    text = _plain(odoo_tax.get("name"), odoo_tax.get("invoice_label"), odoo_tax.get("description"))
    for family, pattern in _ODOO_FAMILIES:
        if pattern.search(text):
            if family == "reverse_charge":
                if _DOMESTIC.search(text):
                    return {"domestic_reverse_charge"}
                if not _INTERNATIONAL.search(text):
                    return {"reverse_charge", "domestic_reverse_charge"}
            return {family}
    return {STANDARD}


def xero_tax_family(xero_rate):
    """The family of a Xero tax rate dict, from TaxType / ReportTaxType (Xero's own types:
    REVERSECHARGES, DRCHARGE20, ECACQUISITIONS, CAPEXINPUT2, GSTONIMPORTS …), else its name
    (custom rates are TAX001…)."""
    types = "%s %s" % (xero_rate.get("TaxType") or "", xero_rate.get("ReportTaxType") or "")
    types = types.upper()
    name = _plain(xero_rate.get("Name"))
    if "DRCHARGE" in types or "domestic reverse" in name:
        return "domestic_reverse_charge"
    if "REVERSECHARGE" in types or re.search(r"reverse[\s-]*charge", name):
        return "reverse_charge"
    if "postponed" in name or re.search(r"\bpva\b", name):
        return "postponed"
    if re.search(r"(^|\s)EC", types) or re.search(r"\bec\b|acquisition", name):
        return "ec"
    if "IMPORT" in types or re.search(r"\bimports?\b", name):
        return "import"
    if re.search(r"(^|\s)CAP", types) or "capital" in name:
        return "capital"
    return STANDARD


FAMILY_LABELS = {STANDARD: "standard", "reverse_charge": "reverse-charge",
                 "domestic_reverse_charge": "domestic reverse-charge", "postponed": "postponed import VAT",
                 "ec": "EC", "import": "import", "capital": "capital goods"}


def match_tax(odoo_tax, xero_rates):
    """An Odoo tax {amount, type_tax_use, amount_type, name, description, invoice_label}
    against Xero rate dicts: same rate, use (sales / purchases) and family (odoo_tax_families).
    -> ("match", TaxType) | ("ambiguous", [TaxTypes]) | ("none", reason)."""
    if odoo_tax.get("amount_type") not in ("percent", "division"):
        return "none", "only percentage taxes can be matched by rate"
    rate = round(float(odoo_tax.get("amount") or 0.0), 4)
    families = odoo_tax_families(odoo_tax)
    usable = [r for r in xero_rates if r.get("Status", "ACTIVE") == "ACTIVE"
              and len(r.get("TaxComponents") or [{}]) <= 1
              and tax_kind(r) == odoo_tax.get("type_tax_use")
              and round(float(r.get("EffectiveRate") or 0.0), 4) == rate
              and xero_tax_family(r) in families]
    if len(usable) == 1:
        return "match", usable[0]["TaxType"]
    if len(usable) > 1:
        return "ambiguous", sorted(r["TaxType"] for r in usable)
    kind = " or ".join(sorted(FAMILY_LABELS[f] for f in families))
    return "none", "no active single-component Xero %s %s tax rate at %s%%" % (
        kind, "sales" if odoo_tax.get("type_tax_use") == "sale" else "purchase", rate)
