"""The read side of the Accounting API: ``where``, ``order``, paging, If-Modified-Since.

``where`` supports the forms connectors actually send: clauses joined by AND / && / OR / ||,
each ``Field[.Sub] == | != | > | < | >= | <= value`` where value is a "string", guid("…"),
true/false, a number or DateTime(y,m,d); plus ``Field.Contains("x")``, ``.StartsWith("x")``,
``.EndsWith("x")`` and ``Field == null``. Anything else is refused with a 400 that says so,
never silently ignored.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from ..xerojson import parse_date

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100


class QueryError(ValueError):
    pass


_CLAUSE = re.compile(
    r"""^\s*(?P<field>[A-Za-z][\w.]*)\s*
        (?:(?P<op>==|!=|>=|<=|>|<)\s*(?P<value>.+?)
          |\.(?P<fn>Contains|StartsWith|EndsWith)\(\s*"(?P<arg>(?:[^"\\]|\\.)*)"\s*\)
        )\s*$""",
    re.X,
)
_SPLIT = re.compile(r"\s+(AND|OR)\s+|\s*(&&|\|\|)\s*", re.I)


def _literal(text):
    text = text.strip()
    m = re.match(r'^"((?:[^"\\]|\\.)*)"$', text)
    if m:
        return m.group(1).replace('\\"', '"')
    m = re.match(r'^[Gg]uid\(\s*"([0-9a-fA-F-]{36})"\s*\)$', text)
    if m:
        return m.group(1).lower()
    m = re.match(r"^DateTime\(\s*(\d{4})\s*,\s*(\d{1,2})\s*,\s*(\d{1,2})\s*\)$", text)
    if m:
        return dt.date(*(int(g) for g in m.groups()))
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    if low == "null":
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise QueryError("Unsupported value in where clause: %s" % text) from None


def _resolve(record, field):
    value = record
    for part in field.split("."):
        if not isinstance(value, dict):
            return None
        # Xero's field names are case-insensitive in where clauses.
        key = next((k for k in value if k.lower() == part.lower()), None)
        value = value.get(key) if key else None
    return value


def _comparable(value, other):
    if isinstance(other, dt.date) and isinstance(value, str):
        try:
            return parse_date(value)
        except ValueError:
            return None
    if isinstance(other, Decimal) and isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    if isinstance(value, str) and isinstance(other, str):
        return value.lower()
    return value


def compile_where(text):
    """-> predicate(record_as_rendered) -> bool."""
    if not text or not text.strip():
        return None
    parts = _SPLIT.split(text.strip())
    clauses, joins = [], []
    for part in parts:
        if part is None:
            continue
        if part.upper() in ("AND", "OR", "&&", "||"):
            joins.append("and" if part.upper() in ("AND", "&&") else "or")
            continue
        clauses.append(_clause(part))
    if len(clauses) != len(joins) + 1:
        raise QueryError("Malformed where clause")

    def predicate(record):
        result = clauses[0](record)
        for join, clause in zip(joins, clauses[1:], strict=True):
            result = (result and clause(record)) if join == "and" else (result or clause(record))
        return result

    return predicate


def _clause(text):
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    m = _CLAUSE.match(text)
    if not m:
        raise QueryError("Unsupported where clause: %s" % text)
    field = m.group("field")
    if m.group("fn"):
        fn, arg = m.group("fn"), m.group("arg").lower()

        def check(record):
            value = _resolve(record, field)
            if not isinstance(value, str):
                return False
            value = value.lower()
            return {"Contains": arg in value, "StartsWith": value.startswith(arg),
                    "EndsWith": value.endswith(arg)}[fn]
        return check
    op, literal = m.group("op"), _literal(m.group("value"))
    if isinstance(literal, str):
        literal = literal.lower()

    def compare(record):
        value = _comparable(_resolve(record, field), literal)
        if op == "==":
            return value == literal
        if op == "!=":
            return value != literal
        if value is None or literal is None:
            return False
        try:
            return {">": value > literal, "<": value < literal,
                    ">=": value >= literal, "<=": value <= literal}[op]
        except TypeError:
            return False
    return compare


def order_key(text):
    """``order=Name DESC`` -> (field, reverse) or None."""
    if not text or not text.strip():
        return None
    m = re.match(r"^\s*([A-Za-z][\w.]*)\s*(ASC|DESC)?\s*$", text, re.I)
    if not m:
        raise QueryError("Unsupported order clause: %s" % text)
    return m.group(1), (m.group(2) or "ASC").upper() == "DESC"


def apply_order(records, order):
    if not order:
        return records
    field, reverse = order

    def key(record):
        value = _resolve(record, field)
        if isinstance(value, str):
            return (0, value.lower())
        if value is None:
            return (1, "")
        return (0, value)
    try:
        return sorted(records, key=key, reverse=reverse)
    except TypeError:
        raise QueryError("Cannot order by %s" % field) from None


def page_args(args):
    """-> (page or None, page_size). Xero pages only when ``page`` is given."""
    raw_page, raw_size = args.get("page"), args.get("pageSize")
    page = None
    if raw_page not in (None, ""):
        try:
            page = int(raw_page)
        except ValueError:
            raise QueryError("page must be a whole number") from None
        page = max(page, 1)
    size = DEFAULT_PAGE_SIZE
    if raw_size not in (None, ""):
        try:
            size = int(raw_size)
        except ValueError:
            raise QueryError("pageSize must be a whole number") from None
        size = min(max(size, 1), MAX_PAGE_SIZE)
    return page, size


def paginate(records, page, size):
    count = len(records)
    page_count = (count + size - 1) // size
    chunk = records[(page - 1) * size: page * size]
    return chunk, {"page": page, "pageSize": size, "pageCount": page_count, "itemCount": count}
