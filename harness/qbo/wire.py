"""QuickBooks Online's wire conventions: times, money, Fault bodies (JSON and the XML 429).

Fault shape: ``{"Fault": {"Error": [{"Message", "Detail", "code", "element"}], "type"}, "time"}``
(developer.intuit.com error-codes; IntuitRestServiceDef.xsd ``Fault`` / ``Error``: ``code`` is a
string attribute, ``element`` optional).
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from xml.sax.saxutils import escape

from ..xerojson import dumps, loads  # the same JSON encoding (Decimal -> number)

__all__ = ["dumps", "loads", "QboFault", "fault_body", "throttle_xml", "qbo_time", "money", "num",
           "parse_date", "parse_time"]

CENT = Decimal("0.01")


class QboFault(Exception):
    """An error QBO answers as a Fault. ``status``: the HTTP status (400 for validation)."""

    def __init__(self, code, message, detail="", element="", type_="ValidationFault", status=400):
        super().__init__("%s %s: %s" % (code, message, detail))
        self.code, self.message, self.detail, self.element = str(code), message, detail, element
        self.type, self.status = type_, status

    def error(self):
        out = {"Message": self.message, "Detail": self.detail, "code": self.code}
        if self.element:
            out["element"] = self.element
        return out

    def fault(self):
        return {"Error": [self.error()], "type": self.type}


def fault_body(fault, now, tz_hours=0):
    return {"Fault": fault.fault(), "time": qbo_time(now, tz_hours, millis=True)}


def throttle_xml(now, tz_hours=0):
    """The 429 body QBO sends even to JSON clients (ruckus/quickbooks-ruby PR #348 fixture;
    routablehq/python-quickbooks#43; beanworks/quickbooks-online-v3-sdk#6)."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<IntuitResponse time="%s" xmlns="http://schema.intuit.com/finance/v3">\n'
            '    <Fault type="SERVICE">\n'
            '        <Error code="3001">\n'
            '            <Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>\n'
            '            <Detail>%s</Detail>\n'
            '        </Error>\n'
            '    </Fault>\n'
            '</IntuitResponse>\n') % (escape(qbo_time(now, tz_hours, millis=True)),
                                      "The request limit was reached.  Try again later")


def qbo_time(ts, tz_hours=0, millis=False):
    """UNIX seconds -> "2026-12-07T11:54:07-08:00" in the company's offset (QBO answers local time)."""
    tz = dt.timezone(dt.timedelta(hours=tz_hours))
    return dt.datetime.fromtimestamp(ts, tz).isoformat(timespec="milliseconds" if millis else "seconds")


def parse_time(value):
    """An ISO date or date-time (with offset, or Z) -> UNIX seconds; None if not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        d = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            d = dt.datetime.combine(dt.date.fromisoformat(text[:10]), dt.time())
        except ValueError:
            return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=dt.timezone.utc)
    return d.timestamp()


def parse_date(value, field):
    """"YYYY-MM-DD" -> date; "" or None -> None; anything else a 2010-style fault."""
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise QboFault(2010, "Request has invalid or unsupported property",
                       "Property Name:%s specified is unsupported or invalid" % field, field) from None


def num(value, field):
    """A JSON number (or numeric string) -> Decimal; "" / None -> None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise QboFault(2010, "Request has invalid or unsupported property",
                       "Property Name:%s specified is unsupported or invalid" % field, field)
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise QboFault(2010, "Request has invalid or unsupported property",
                       "Property Name:%s specified is unsupported or invalid" % field, field) from None
    if not d.is_finite():
        raise QboFault(2010, "Request has invalid or unsupported property",
                       "Property Name:%s specified is unsupported or invalid" % field, field)
    return d


def money(value):
    """Round half up to cents, as a JSON number."""
    return float(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))
