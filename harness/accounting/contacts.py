"""Contacts: GET (paged) / by ContactID or ContactNumber, PUT create, POST update-or-create.

Guess (documented in harness/README.md): POST without ContactID updates the active contact
with the same ContactNumber, else the one with the same Name; PUT never matches and refuses
a taken name. IsCustomer / IsSupplier cannot be set: they follow the documents.
"""

import re

from .base import Entity
from .validation import CONTACT_NAME_REQUIRED, CONTACT_NAME_TAKEN, text

STATUSES = ("ACTIVE", "ARCHIVED", "GDPRREQUEST")
ADDRESS_TYPES = ("POBOX", "STREET")  # the spec allows no other for contacts
PHONE_TYPES = ("DEFAULT", "DDI", "MOBILE", "FAX", "OFFICE")
PAYMENT_TERM_TYPES = ("DAYSAFTERBILLDATE", "DAYSAFTERBILLMONTH", "OFCURRENTMONTH", "OFFOLLOWINGMONTH")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LIMITS = {"FirstName": 255, "LastName": 255, "EmailAddress": 255, "AccountNumber": 50,
          "ContactNumber": 50, "TaxNumber": 50, "CompanyNumber": 50, "BankAccountDetails": 255,
          "AccountsReceivableTaxType": 50, "AccountsPayableTaxType": 50,
          "SalesDefaultAccountCode": 10, "PurchasesDefaultAccountCode": 10}


class Contacts(Entity):
    kind = "contact"
    collection = "Contacts"
    id_field = "ContactID"
    category = "CONTACT"
    paged = True
    list_filters = {"IDs": "ContactID"}
    error_flag = "HasValidationErrors"  # the Contact schema; Xero's 400 example carries it true

    def get(self, tenant, key):
        return super().get(tenant, key) or self.by_number(tenant, key)

    def listed(self, record, args):
        # Xero's spec: "includeArchived=true - Contacts with a status of ARCHIVED will be
        # included in the response" (left out otherwise)
        return record.get("ContactStatus") != "ARCHIVED" or str(args.get("includeArchived", "")).lower() == "true"

    def by_number(self, tenant, number):
        return self.find_one(tenant, "ContactNumber", number)

    def by_name(self, tenant, name, active_only=True):
        keys = self.store.find(self.kind, "Name", name, tenant) if name else []
        found = [self.store.get(self.kind, k, tenant) for k in keys]
        active = [c for c in found if c.get("ContactStatus") == "ACTIVE"]
        if active or active_only:
            return active[-1] if active else None
        return found[-1] if found else None

    def match(self, tenant, element, method):
        if method != "POST":
            return None
        return self.by_number(tenant, element.get("ContactNumber")) or self.by_name(tenant, element.get("Name"))

    def build(self, tenant, element, existing, errors, ctx):
        record = self.new_record(existing)
        name = text(element, "Name", errors, limit=255, required=existing is None,
                    required_message=CONTACT_NAME_REQUIRED)
        if name is not None:
            if not name.strip() and (name or existing is not None):  # text() reported a new one's ""
                errors.add(CONTACT_NAME_REQUIRED)
            name = name.strip()
            record["Name"] = name
        for field, limit in LIMITS.items():
            value = text(element, field, errors, limit=limit)
            if value is not None:
                record[field] = value
        email = element.get("EmailAddress")
        if isinstance(email, str) and email and not EMAIL.match(email):
            errors.add("Email address must be valid.")  # (guess)
        if "ContactStatus" in element:
            if element["ContactStatus"] not in STATUSES:
                errors.add("ContactStatus must be one of %s." % ", ".join(STATUSES))  # (guess)
            else:
                record["ContactStatus"] = element["ContactStatus"]
        record.setdefault("ContactStatus", "ACTIVE")
        if "DefaultCurrency" in element:
            record["DefaultCurrency"] = element["DefaultCurrency"]
        if "PaymentTerms" in element:
            record["PaymentTerms"] = self._payment_terms(element["PaymentTerms"], errors)
        self._sub_list(element, record, errors, "Addresses", "AddressType", ADDRESS_TYPES,
                       ("AddressLine1", "AddressLine2", "AddressLine3", "AddressLine4", "City", "Region",
                        "PostalCode", "Country", "AttentionTo"), 500)
        self._sub_list(element, record, errors, "Phones", "PhoneType", PHONE_TYPES,
                       ("PhoneNumber", "PhoneAreaCode", "PhoneCountryCode"), 50)
        if isinstance(element.get("ContactPersons"), list):
            record["ContactPersons"] = [
                {k: p.get(k) for k in ("FirstName", "LastName", "EmailAddress", "IncludeInEmails") if k in p}
                for p in element["ContactPersons"] if isinstance(p, dict)]
        if record["ContactStatus"] == "ACTIVE" and record.get("Name"):
            other = self.by_name(tenant, record["Name"])
            if other and other["ContactID"] != record["ContactID"]:
                errors.add(CONTACT_NAME_TAKEN.format(name=record["Name"]))
        record.setdefault("IsCustomer", False)
        record.setdefault("IsSupplier", False)
        record.setdefault("HasAttachments", False)
        record.setdefault("HasValidationErrors", False)
        record.setdefault("Addresses", [])
        record.setdefault("Phones", [])
        record.setdefault("ContactGroups", [])
        record.setdefault("ContactPersons", [])
        return record

    @staticmethod
    def _payment_terms(terms, errors):
        """Contact.PaymentTerms: {Bills, Sales}, each {Day (0-31), Type (PaymentTermType)}
        (schemas PaymentTerm, Bill and PaymentTermType in xero_accounting.yaml)."""
        if not isinstance(terms, dict):
            errors.add("PaymentTerms must be an object.")  # (guess)
            return {}
        out = {}
        for side in ("Bills", "Sales"):
            term = terms.get(side)
            if term is None:
                continue
            if not isinstance(term, dict) or term.get("Type") not in PAYMENT_TERM_TYPES:
                errors.add("Payment term type must be one of %s." % ", ".join(PAYMENT_TERM_TYPES))  # (guess)
                continue
            day = term.get("Day", 0)
            if not isinstance(day, int) or isinstance(day, bool) or not 0 <= day <= 31:
                errors.add("Payment term day must be between 0 and 31.")  # (guess)
                continue
            out[side] = {"Day": day, "Type": term["Type"]}
        return out

    @staticmethod
    def _sub_list(element, record, errors, field, type_field, types, subfields, limit):
        """Addresses / Phones: a list of objects typed by ``type_field``, with text subfields."""
        values = element.get(field)
        if values is None:
            return
        if not isinstance(values, list):
            errors.add("%s must be a list." % field)  # (guess)
            return
        out = []
        for value in values:
            if not isinstance(value, dict) or value.get(type_field) not in types:
                errors.add("%s must be one of %s." % (type_field, ", ".join(types)))  # (guess)
                continue
            clean = {type_field: value[type_field]}
            for sub in subfields:
                text_value = text(value, sub, errors, limit=limit)
                if text_value is not None:
                    clean[sub] = text_value
            out.append(clean)
        record[field] = out

    def mark_role(self, tenant, contact_id, doc_type, ctx=None):
        """A sales document makes its contact a customer, a purchase one a supplier."""
        record = self.store.get(self.kind, contact_id, tenant)
        if record is None:
            return
        flag = "IsCustomer" if doc_type in ("ACCREC", "ACCRECCREDIT") else "IsSupplier"
        if not record.get(flag):
            record = dict(record, **{flag: True})
            record["_updated"] = self.clock.now()
            self.store.put(self.kind, contact_id, record, tenant)

    def summary(self, record):
        """The contact as embedded in a document."""
        out = {"ContactID": record["ContactID"], "Name": record.get("Name")}
        for field in ("ContactNumber", "EmailAddress", "FirstName", "LastName", "ContactStatus"):
            if record.get(field):
                out[field] = record[field]
        out["HasValidationErrors"] = False
        return out
