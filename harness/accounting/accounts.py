"""Accounts (chart of accounts): GET list / by id, PUT create, POST /{id} update, DELETE."""

from .base import Entity
from .validation import ACCOUNT_CODE_TAKEN, ACCOUNT_CODE_TOO_LONG, text

TYPES = {
    "BANK": "ASSET", "CURRENT": "ASSET", "CURRLIAB": "LIABILITY", "DEPRECIATN": "EXPENSE",
    "DIRECTCOSTS": "EXPENSE", "EQUITY": "EQUITY", "EXPENSE": "EXPENSE", "FIXED": "ASSET",
    "INVENTORY": "ASSET", "LIABILITY": "LIABILITY", "NONCURRENT": "ASSET", "OTHERINCOME": "REVENUE",
    "OVERHEADS": "EXPENSE", "PREPAYMENT": "ASSET", "REVENUE": "REVENUE", "SALES": "REVENUE",
    "TERMLIAB": "LIABILITY", "PAYG": "LIABILITY",
}
STATUSES = ("ACTIVE", "ARCHIVED")


class Accounts(Entity):
    kind = "account"
    collection = "Accounts"
    id_field = "AccountID"

    def by_code(self, tenant, code):
        """The account with this code (active or archived), or None."""
        return self.find_one(tenant, "Code", code)

    def usable_for_payments(self, account):
        return account.get("Status") == "ACTIVE" and (
            account.get("Type") == "BANK" or account.get("EnablePaymentsToAccount"))

    def build(self, tenant, element, existing, errors, ctx):
        record = self.new_record(existing)
        code = text(element, "Code", errors, limit=10, required=existing is None, long_message=ACCOUNT_CODE_TOO_LONG,
                    required_message="Account code must be specified.")  # (guess)
        name = text(element, "Name", errors, limit=150, required=existing is None,
                    required_message="Account name must be specified.")  # (guess)
        if code is not None:
            other = self.by_code(tenant, code)
            if other and other["AccountID"] != record["AccountID"]:
                errors.add(ACCOUNT_CODE_TAKEN)
            record["Code"] = code
        if name is not None:
            record["Name"] = name
        if "Type" in element or existing is None:
            type_ = element.get("Type")
            if type_ not in TYPES:
                errors.add("Account Type must be one of %s." % ", ".join(TYPES))  # (guess)
            else:
                record["Type"], record["Class"] = type_, TYPES[type_]
        if "Status" in element:
            if element["Status"] not in STATUSES:
                errors.add("Account Status must be ACTIVE or ARCHIVED.")  # (guess)
            else:
                record["Status"] = element["Status"]
        record.setdefault("Status", "ACTIVE")
        for field in ("Description", "TaxType", "BankAccountNumber", "CurrencyCode", "ReportingCode"):
            value = text(element, field, errors, limit=4000)
            if value is not None:
                record[field] = value
        if record.get("Type") == "BANK":
            record.setdefault("BankAccountType", element.get("BankAccountType") or "BANK")
        for flag in ("EnablePaymentsToAccount", "ShowInExpenseClaims", "AddToWatchlist"):
            if flag in element:
                record[flag] = bool(element[flag])
            record.setdefault(flag, False)
        record.setdefault("HasAttachments", False)
        return record
