"""CompanyInfo, Preferences (one each per company, Id "1"), TaxCode and TaxRate (read-only:
QBO creates tax codes through its TaxService or automated sales tax, not by POST /taxcode).

Preferences that change what the simulator does: ``AccountingInfoPrefs.BookCloseDate`` (writes
dated on or before it fail 6210), ``SalesFormsPrefs.CustomTxnNumbers`` (off: QBO numbers sales
forms), ``CurrencyPrefs.MultiCurrencyEnabled`` / ``HomeCurrency`` (cannot be switched off once on).
"""

from ..wire import parse_date
from . import errors
from .base import Spec


def prepare_preferences(books, realm, obj, current):
    for key, value in (current or {}).items():  # sections merge: {"AccountingInfoPrefs": {"BookCloseDate"}}
        if isinstance(value, dict) and isinstance(obj.get(key), dict) and obj[key] is not value:
            obj[key] = dict(value, **obj[key])
    close = (obj.get("AccountingInfoPrefs") or {}).get("BookCloseDate")
    if close:
        parse_date(close, "BookCloseDate")
    was_on = ((current or {}).get("CurrencyPrefs") or {}).get("MultiCurrencyEnabled")
    if was_on and (obj.get("CurrencyPrefs") or {}).get("MultiCurrencyEnabled") is False:
        raise errors.business("Multicurrency cannot be turned off once it is on", "MultiCurrencyEnabled")


def refuse(books, realm, obj, current):
    raise errors.unsupported("update")


def register(books):
    books.register(Spec("Preferences", prepare_preferences, read_only=True))
    books.register(Spec("CompanyInfo", None, read_only=True,
                        computed=("Country", "CompanyStartDate", "SupportedLanguages")))
    books.register(Spec("TaxCode", refuse, read_only=True))
    books.register(Spec("TaxRate", refuse, read_only=True))
