"""The Xero simulator's store (memory + SQLite write-through) with QBO's indexed fields: the
names that must be unique and the document numbers."""

from ..store import Store


class QboStore(Store):
    INDEXED = {
        "Customer": ("DisplayName",),
        "Vendor": ("DisplayName",),
        "Item": ("Name",),
        "Account": ("Name",),
        "Class": ("Name",),
        "Department": ("Name",),
        "Invoice": ("DocNumber",),
        "CreditMemo": ("DocNumber",),
    }
