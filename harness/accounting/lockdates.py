"""Lock dates: ``Organisation.PeriodLockDate`` and ``EndOfYearLockDate``.

Xero refuses a ledger transaction dated on or before a lock date — an approved (AUTHORISED)
invoice, bill or credit note, voiding one, a payment, a credit-note allocation — while drafts
and documents submitted for approval are still accepted, and purchase orders are not ledger
documents at all (Xero Central, "Set up and work with lock dates"). The period lock date
binds every user except advisers, the end of year lock date binds advisers too: the harness
keeps whether the connection acts as an adviser on the organisation (``_adviser``, set by the
admin API; Xero takes it from the role of the user who connected the app).
"""

import datetime as dt

from ..xerojson import msdate_from_date, parse_date
from .validation import END_OF_YEAR_LOCKED, PERIOD_LOCKED

FIELDS = ("PeriodLockDate", "EndOfYearLockDate")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def xero_day(day):
    """31-Jul-2013, as Xero writes the date in its lock messages (never the locale's month)."""
    return "%02d-%s-%d" % (day.day, MONTHS[day.month - 1], day.year)


def set_lock_dates(org, values):
    """-> the organisation with the lock dates of ``values`` ({field: date or None to clear},
    and "adviser": bool); fields not in ``values`` are left as they are. Raises ValueError."""
    org = dict(org)
    for field in FIELDS:
        if field in values:
            day = parse_date(values[field])
            if day is None:
                org.pop(field, None)  # "Shown if set" (Organisation schema)
            else:
                org[field] = msdate_from_date(day)
    if "adviser" in values:
        org["_adviser"] = bool(values["adviser"])
    return org


def lock_errors(org, day, errors):
    """Report Xero's messages when ``day`` (a date or an ISO string) is on or before a lock
    date that binds this connection. -> True if it is locked."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    if day is None or not org:
        return False
    before = len(errors)
    period = parse_date(org.get("PeriodLockDate"))
    if period and day <= period and not org.get("_adviser"):
        errors.add(PERIOD_LOCKED.format(date=xero_day(period)))
    end_of_year = parse_date(org.get("EndOfYearLockDate"))
    if end_of_year and day <= end_of_year:
        errors.add(END_OF_YEAR_LOCKED.format(date=xero_day(end_of_year)))
    return len(errors) > before


def render(org):
    """The organisation as GET /Organisation shows it (without the harness's own keys)."""
    return {k: v for k, v in org.items() if not k.startswith("_")}
