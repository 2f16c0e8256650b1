"""Xero's wire conventions: MS-style dates, money, JSON encoding and error bodies."""

import datetime as dt
import json
import re
import uuid
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_MSDATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
UTC = dt.timezone.utc


def new_id():
    return str(uuid.uuid4())


def msdate(ts):
    """UNIX seconds -> "/Date(1419937200000+0000)/"."""
    return "/Date(%d+0000)/" % int(round(ts * 1000))


def msdate_from_date(day):
    return msdate(dt.datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def parse_date(value):
    """Accept what Xero accepts for a date: ISO date/datetime or /Date(ms)/. Returns a date."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        m = _MSDATE.match(value.strip())
        if m:
            return dt.datetime.fromtimestamp(int(m.group(1)) / 1000, UTC).date()
        text = value.strip()
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            pass
    raise ValueError("invalid date %r" % (value,))


def date_fields(day):
    """The two forms Xero returns for a date field."""
    if day is None:
        return None, None
    return msdate_from_date(day), day.isoformat() + "T00:00:00"


def parse_http_date(value):
    """If-Modified-Since: RFC 1123 or ISO 8601 (Xero accepts both). Returns UNIX seconds."""
    from email.utils import parsedate_to_datetime

    value = (value or "").strip()
    if not value:
        return None
    try:
        d = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        try:
            d = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=UTC)
    return d.timestamp()


def iso_utc(ts):
    """DateTime without 'Z', as Xero's identity API returns them."""
    return dt.datetime.fromtimestamp(ts, UTC).replace(tzinfo=None).isoformat(timespec="microseconds")[:-3]


def money(value, places=2):
    """Round half up like Xero does (to 2 dp unless unitdp=4 asks for 4)."""
    q = Decimal(1).scaleb(-places)
    return Decimal(value).quantize(q, rounding=ROUND_HALF_UP)


def to_decimal(value, field):
    """A JSON number (or numeric string) -> Decimal; raises ValueError naming the field."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("%s must be a number" % field)
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError("%s must be a number" % field) from None
    if not d.is_finite():
        raise ValueError("%s must be a number" % field)
    return d


class _Encoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


def dumps(obj):
    return json.dumps(obj, cls=_Encoder, ensure_ascii=False, separators=(",", ":"))


def loads(raw):
    return json.loads(raw, parse_float=Decimal)


# --- error bodies -----------------------------------------------------------------------

def api_exception(number, type_, message, elements=None):
    body = {"ErrorNumber": number, "Type": type_, "Message": message}
    if elements is not None:
        body["Elements"] = elements
    return body


def validation_exception(elements):
    return api_exception(10, "ValidationException", "A validation exception occurred", elements)


def post_data_invalid(detail):
    return api_exception(14, "PostDataInvalidException", detail)


def not_found_body():
    # Xero answers an unknown resource with 404 and a plain message.
    return api_exception(404, "NotFoundException", "The resource you're looking for cannot be found")


def problem(status, title, detail):
    """The RFC 7807-style body Xero uses for 401/403 from its API gateway."""
    return {"Type": None, "Title": title, "Status": status, "Detail": detail, "Instance": new_id(), "Extensions": {}}
