"""TaxRates: GET list / by TaxType, PUT create (custom types TAX001…), POST update.

The effective rate is the sum of the components (compound components apply on top of the
others), which is how Xero reports EffectiveRate.
"""

from decimal import Decimal

from .base import Entity
from .validation import text

ZERO = Decimal("0")
FLAGS = ("CanApplyToAssets", "CanApplyToEquity", "CanApplyToExpenses", "CanApplyToLiabilities", "CanApplyToRevenue")


def applies_to(report_tax_type):
    """The account classes a rate may be used with, from its ReportTaxType, as Xero's default
    rates have them (developer.xero.com, Tax Rates, "Tax Rate Constraints": a rate on income
    cannot go on an expense account, one on expenses not on a revenue account, VAT on imports
    only on a liability account, capital VAT only on an asset account)."""
    report = (report_tax_type or "").upper()
    flags = dict.fromkeys(FLAGS, True)
    if "IMPORTS" in report:
        return dict.fromkeys(FLAGS, False) | {"CanApplyToLiabilities": True}
    if report.startswith("CAPEX"):
        return dict.fromkeys(FLAGS, False) | {"CanApplyToAssets": True}
    if "OUTPUT" in report:
        flags["CanApplyToExpenses"] = False
    elif "INPUT" in report or report in ("ECACQUISITIONS", "REVERSECHARGES"):
        flags["CanApplyToRevenue"] = False
    return flags


class TaxRates(Entity):
    kind = "taxrate"
    collection = "TaxRates"
    id_field = "TaxType"
    modified_since = False

    def get(self, tenant, key):
        return self.find_one(tenant, "TaxType", key)

    def rate(self, tenant, tax_type):
        """-> (record, effective rate in %) or (None, None) for an unknown / inactive type."""
        record = self.get(tenant, tax_type)
        if not record or record.get("Status") != "ACTIVE":
            return None, None
        return record, Decimal(str(record.get("EffectiveRate", 0)))

    def existing(self, tenant, element, method, path_id, errors):
        key = path_id or element.get("TaxType")
        record = self.get(tenant, key) if key else None
        if key and record is None and method == "POST" and path_id:
            errors.add("TaxRate %s could not be found." % key)  # (guess)
        if record is None and method == "POST" and element.get("Name"):
            record = next((r for r in self.records(tenant) if r["Name"] == element["Name"]), None)
        return record

    def build(self, tenant, element, existing, errors, ctx):
        record = dict(existing) if existing else {}
        name = text(element, "Name", errors, limit=50, required=existing is None,
                    required_message="The tax rate name must be specified.")  # (guess)
        if name is not None:
            record["Name"] = name
        if existing is None:
            record["TaxType"] = element.get("TaxType") or "TAX%03d" % (self.store.count(self.kind, tenant) + 1)
        components = element.get("TaxComponents")
        if components is not None or existing is None:
            if not isinstance(components, list) or not components:
                errors.add("At least one tax component must be specified.")  # (guess)
                return record
            clean, simple, compound = [], ZERO, []
            for comp in components:
                if not isinstance(comp, dict):
                    errors.add("A tax component must be an object.")  # (guess)
                    continue
                try:
                    rate = Decimal(str(comp.get("Rate", 0)))
                except Exception:
                    errors.add("Tax component Rate must be a number.")  # (guess)
                    continue
                clean.append({"Name": str(comp.get("Name") or "Tax"), "Rate": rate,
                              "IsCompound": bool(comp.get("IsCompound")),
                              "IsNonRecoverable": bool(comp.get("IsNonRecoverable"))})
                (compound.append(rate) if comp.get("IsCompound") else None)
                simple += ZERO if comp.get("IsCompound") else rate
            effective = simple
            for rate in compound:
                effective += (100 + simple) * rate / 100
            record["TaxComponents"] = clean
            record["EffectiveRate"] = effective.quantize(Decimal("0.0001")).normalize()
            record["DisplayTaxRate"] = record["EffectiveRate"]
        if "Status" in element:
            record["Status"] = element["Status"] if element["Status"] in ("ACTIVE", "DELETED", "ARCHIVED") else "ACTIVE"
        record.setdefault("Status", "ACTIVE")
        if "ReportTaxType" in element:
            record["ReportTaxType"] = element["ReportTaxType"]
        for flag, value in applies_to(record.get("ReportTaxType")).items():
            record.setdefault(flag, value)
        return record

    def save(self, tenant, record, created):
        record["_updated"] = self.clock.now()
        self.store.put(self.kind, record["TaxType"], record, tenant)

    def render(self, record, unitdp=2):
        out = super().render(record, unitdp)
        out.pop("UpdatedDateUTC", None)  # TaxRates carry no UpdatedDateUTC in Xero's schema
        return out
