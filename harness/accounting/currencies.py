"""Currencies: the organisation's base currency and the currencies it has added, and the
exchange rates documents and payments carry.

Xero (xero_accounting.yaml: ``/Currencies``, ``Currency``, ``Invoice.CurrencyRate``,
``Payment.CurrencyRate``; help.xero.com "Currency settings"):

- ``GET /Currencies`` lists the base currency and every currency added (``where``/``order``);
  ``PUT /Currencies`` takes one ``Currency`` object (``Code``) and adds it — Xero's word is
  "subscribe"; a currency cannot be removed once added. Adding one already there answers it.
- ``CurrencyRate`` is units of the document's currency per 1 unit of the base currency (a GBP
  organisation invoicing 1,150 EUR at 1.15 books 1,000 GBP), at most 6 decimals ("max length
  = [18].[6]"; Xero rounds exchange rates to 6 decimals). The base currency's rate is always 1.
- A foreign-currency document or payment without ``CurrencyRate`` takes "the XE.com day rate"
  for its date. The harness has no XE.com: ``daily_rate`` below is its stand-in, a documented
  function of the pair and the date, so that tests can predict it.
- A document in a currency the organisation has not added is refused (``CURRENCY_NOT_ENABLED``).
"""

import zlib
from decimal import ROUND_HALF_UP, Decimal

from ..xerojson import money, parse_date
from .base import Entity
from .currency_codes import CURRENCIES
from .validation import CURRENCY_NOT_ENABLED, CURRENCY_RATE_INVALID, number

ONE = Decimal("1")
RATE_PLACES = Decimal("0.000001")

# Units per 1 USD, roughly late-2026 mid-market figures: the level the daily rate moves around.
# Codes not here get a level derived from the code itself (see ``reference``).
REFERENCE = {
    "USD": "1", "EUR": "0.92", "GBP": "0.79", "AUD": "1.52", "NZD": "1.66", "CAD": "1.37", "CHF": "0.88",
    "JPY": "150", "CNY": "7.2", "HKD": "7.8", "SGD": "1.34", "INR": "83", "ZAR": "18.5", "SEK": "10.5",
    "NOK": "10.7", "DKK": "6.9", "PLN": "4.0", "CZK": "23", "HUF": "360", "MXN": "17.5", "BRL": "5.0",
    "AED": "3.6725", "SAR": "3.75", "ILS": "3.7", "TRY": "32", "KRW": "1350", "THB": "36", "MYR": "4.7",
    "PHP": "56", "IDR": "15700", "FJD": "2.25", "PGK": "3.75", "XPF": "110",
}


def reference(code):
    """Units of ``code`` per 1 USD before the daily movement."""
    if code in REFERENCE:
        return Decimal(REFERENCE[code])
    return ONE + Decimal(zlib.crc32(code.encode()) % 9000) / 100


def wobble(code, day):
    """The day's movement of ``code``: a triangle wave of ±2 % over 60 days, its phase set by
    the code, so that every currency moves differently and each day has one rate."""
    phase = (day.toordinal() + zlib.crc32(code.encode()) % 60) % 60
    return ONE + Decimal("0.02") * (abs(phase - 30) - 15) / 15


def daily_rate(base, code, day):
    """The harness's "XE.com day rate": units of ``code`` per 1 ``base`` on ``day``, 6 decimals.

    = reference(code) / reference(base) × wobble(code, day) / wobble(base, day)."""
    if code == base:
        return ONE
    rate = reference(code) / reference(base) * wobble(code, day) / wobble(base, day)
    return rate.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def to_base(amount, rate):
    """An amount in a foreign currency in the base currency (``rate``: foreign per 1 base)."""
    return money(Decimal(amount) / rate) if rate else money(amount)


def base_total(record, base):
    """A document's total in the base currency, as its journal would carry it: each line's
    amount converted and rounded, and its tax converted and rounded per tax type (one tax
    line per rate, as a journal has). Not in Xero's schema (documents expose no base
    figures): the page shows it, and tests compare it with Odoo's company amounts. (guess: Xero
    does not document how it rounds a foreign document's journal)"""
    rate = record.get("CurrencyRate") or ONE
    if record.get("CurrencyCode", base) == base or rate == ONE:
        return money(record.get("Total") or 0)
    inclusive = record.get("LineAmountTypes") == "Inclusive"
    taxes, total = {}, Decimal(0)
    for line in record.get("LineItems") or ():
        tax = Decimal(line.get("TaxAmount") or 0)
        net = Decimal(line.get("LineAmount") or 0) - (tax if inclusive else 0)
        total += to_base(net, rate)
        taxes[line.get("TaxType")] = taxes.get(line.get("TaxType"), Decimal(0)) + tax
    return money(total + sum((to_base(tax, rate) for tax in taxes.values()), Decimal(0)))


class Currencies(Entity):
    kind = "currency"
    collection = "Currencies"
    id_field = "Code"
    modified_since = False

    def records(self, tenant):
        """The base currency first, then the ones added (an organisation always has its base)."""
        base = self.books.organisation(tenant)["BaseCurrency"]
        added = [r for r in self.store.all(self.kind, tenant) if r["Code"] != base]
        return [{"Code": base, "Description": CURRENCIES.get(base, base)}] + added

    def get(self, tenant, key):
        key = (key or "").upper()
        return next((r for r in self.records(tenant) if r["Code"] == key), None)

    def enabled(self, tenant, code):
        return self.get(tenant, code) is not None

    def existing(self, tenant, element, method, path_id, errors):
        return self.get(tenant, str(element.get("Code") or ""))  # adding one already there answers it

    def build(self, tenant, element, existing, errors, ctx):
        if existing is not None:
            return dict(existing)
        code = element.get("Code")
        if not isinstance(code, str) or code.upper() not in CURRENCIES:
            errors.add(CURRENCY_NOT_ENABLED.format(code=code))  # an unknown code too: n8n-io/n8n PR #19499
            return None
        code = code.upper()
        return {"Code": code, "Description": CURRENCIES[code]}

    def write(self, tenant, elements, method, path_id=None, unitdp=2):
        results = super().write(tenant, elements, method, path_id, unitdp)
        for ok, out in results:
            if ok:
                out.pop("StatusAttributeString", None)  # a Currency has only Code and Description
        return results

    def save(self, tenant, record, created):
        self.store.put(self.kind, record["Code"], record, tenant)

    def render(self, record, unitdp=2):
        return {"Code": record["Code"], "Description": record["Description"]}

    def echo(self, element, errors):
        out = super().echo(element, errors)
        out.pop("HasErrors", None)  # not a property of Currency
        return out


def document_currency(books, tenant, element, record, errors):
    """Set a document's ``CurrencyCode`` and ``CurrencyRate`` from ``element`` (or keep the
    record's), as Xero does: the base currency at rate 1; a foreign currency must be added to
    the organisation, and takes the rate sent or the day rate of the document's date."""
    base = books.organisation(tenant)["BaseCurrency"]
    code = element.get("CurrencyCode")
    if code in (None, ""):
        code = record.get("CurrencyCode") or base
    if not isinstance(code, str):
        errors.add(CURRENCY_NOT_ENABLED.format(code=code))
        return
    code = code.upper()
    if code != base and not books.currencies.enabled(tenant, code):
        errors.add(CURRENCY_NOT_ENABLED.format(code=code))
        return
    changed = code != record.get("CurrencyCode")
    record["CurrencyCode"] = code
    if code == base:
        record["CurrencyRate"] = ONE  # "invoices created using the base currency will always have a rate of 1"
        record.pop("_rate_given", None)
        return
    given = rate_of(element, errors)
    if given is not None:
        record["CurrencyRate"], record["_rate_given"] = given, True
    elif changed or not record.get("_rate_given"):
        # no rate sent: the day rate of the document's date (a new date or currency moves it)
        record["CurrencyRate"] = daily_rate(base, code, parse_date(record.get("_Date")) or books.today())
        record.pop("_rate_given", None)


def rate_of(element, errors):
    """``CurrencyRate`` of an element, rounded to Xero's 6 decimals, or None when not sent."""
    if element.get("CurrencyRate") in (None, ""):
        return None
    rate = number(element, "CurrencyRate", errors)
    if rate is None:
        return None
    if rate <= 0:
        errors.add(CURRENCY_RATE_INVALID)
        return None
    return rate.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
