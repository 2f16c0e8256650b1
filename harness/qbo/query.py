"""QBO's query language (developer.intuit.com "Data queries"):

    SELECT * | COUNT(*) | Field[, Field…] FROM Entity
      [WHERE cond [AND cond…]] [ORDERBY Field [ASC|DESC][, …]] [STARTPOSITION n] [MAXRESULTS n]

cond: ``Field op value`` with op one of = < > <= >= !=, ``Field IN (v, …)``, ``Field LIKE 'x%'``
(% at either end). Values are 'quoted' (``\\'`` escapes a quote), numbers or true/false. Only
AND joins conditions (QBO has no OR). Field names may be dotted (``MetaData.LastUpdatedTime``);
a reference field compares its ``value``. Keywords are case-insensitive; MAXRESULTS defaults to
100 and cannot exceed 1,000; STARTPOSITION is 1-based. Name lists (Customer, Vendor, Item,
Account, Class, Department) answer active records only unless the WHERE names ``Active``.
Errors: 4000 "Error parsing query" (QueryParserError) and 4001 "Invalid query" (QueryValidationError).
"""

import re

from .wire import QboFault, parse_time

MAX_RESULTS = 1000
DEFAULT_RESULTS = 100
NAME_LISTS = ("Customer", "Vendor", "Item", "Account", "Class", "Department", "TaxCode", "TaxRate")

_TOKEN = re.compile(r"""\s*(?:(?P<str>'(?:[^'\\]|\\.)*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<op><=|>=|!=|<>|[=<>(),*])"""
                    r"""|(?P<word>[A-Za-z_][\w.]*))""")


def parse_error(detail):
    return QboFault(4000, "Error parsing query", "QueryParserError: %s" % detail)


def invalid_query(detail):
    return QboFault(4001, "Invalid query", "QueryValidationError: %s" % detail)


def tokenize(text):
    pos, out = 0, []
    text = text.strip().rstrip(";")
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise parse_error("Encountered \" \"%s\" at column %d" % (text[pos:pos + 10], pos + 1))
        pos = m.end()
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "str":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out.append((kind, value))
    return out


class Query:
    def __init__(self, text):
        self.tokens, self.i = tokenize(text), 0
        self.fields, self.count, self.conditions, self.order = None, False, [], []
        self.start, self.max = 1, DEFAULT_RESULTS
        self._parse()

    def _peek(self, upper=True):
        if self.i >= len(self.tokens):
            return None
        kind, value = self.tokens[self.i]
        return value.upper() if upper and kind == "word" else value

    def _next(self):
        if self.i >= len(self.tokens):
            raise parse_error("Encountered \"<EOF>\"")
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def _expect(self, word):
        kind, value = self._next()
        if (value.upper() if kind == "word" else value) != word:
            raise parse_error("Encountered \" \"%s\" \"%s\"\" Was expecting: \"%s\"" % (value, value, word))

    def _parse(self):
        self._expect("SELECT")
        if self._peek() == "COUNT":
            self._next()
            self._expect("(")
            self._expect("*")
            self._expect(")")
            self.count = True
        else:
            fields = []
            while True:
                kind, value = self._next()
                if value != "*" and kind != "word":
                    raise parse_error("Encountered \" \"%s\"" % value)
                fields.append(value)
                if self._peek() != ",":
                    break
                self._next()
            self.fields = None if "*" in fields else fields
        self._expect("FROM")
        kind, self.entity = self._next()
        if kind != "word":
            raise parse_error("Encountered \" \"%s\"" % self.entity)
        while self._peek() is not None:
            word = self._peek()
            if word == "WHERE" and not self.conditions:
                self._next()
                self._conditions()
            elif word in ("ORDERBY", "ORDER"):
                self._next()
                if word == "ORDER":
                    self._expect("BY")
                self._order()
            elif word == "STARTPOSITION":
                self._next()
                self.start = self._int()
            elif word == "MAXRESULTS":
                self._next()
                self.max = self._int()
            else:
                raise parse_error("Encountered \" \"%s\"" % self._peek(False))
        if self.max > MAX_RESULTS or self.max < 1 or self.start < 1:
            raise invalid_query("MAXRESULTS must be 1 to %d and STARTPOSITION at least 1" % MAX_RESULTS)

    def _int(self):
        kind, value = self._next()
        if kind != "num" or "." in value:
            raise parse_error("Encountered \" \"%s\"" % value)
        return int(value)

    def _value(self):
        kind, value = self._next()
        if kind == "str":
            return value
        if kind == "num":
            return float(value)
        if kind == "word" and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise parse_error("Encountered \" \"%s\"" % value)

    def _conditions(self):
        while True:
            kind, field = self._next()
            if kind != "word":
                raise parse_error("Encountered \" \"%s\"" % field)
            op = self._peek()
            self._next()
            if op == "IN":
                self._expect("(")
                values = [self._value()]
                while self._peek() == ",":
                    self._next()
                    values.append(self._value())
                self._expect(")")
                self.conditions.append((field, "IN", values))
            elif op in ("=", "<", ">", "<=", ">=", "!=", "<>", "LIKE"):
                self.conditions.append((field, "!=" if op == "<>" else op, self._value()))
            else:
                raise parse_error("Encountered \" \"%s\"" % op)
            if self._peek() == "AND":
                self._next()
                continue
            if self._peek() == "OR":
                raise parse_error("Encountered \" \"OR\" \"OR\"\" (QBO queries join conditions with AND only)")
            break

    def _order(self):
        while True:
            kind, field = self._next()
            if kind != "word":
                raise parse_error("Encountered \" \"%s\"" % field)
            desc = False
            if self._peek() in ("ASC", "DESC"):
                desc = self._next()[1].upper() == "DESC"
            self.order.append((field, desc))
            if self._peek() != ",":
                break
            self._next()


def _get(obj, path):
    for part in path.split("."):
        if not isinstance(obj, dict):
            return None
        # field names are case-insensitive in QBO queries
        key = part if part in obj else next((k for k in obj if k.lower() == part.lower()), None)
        obj = obj.get(key) if key else None
    if isinstance(obj, dict) and "value" in obj:
        obj = obj["value"]
    return obj


def _comparable(a, b):
    """Both sides as numbers, times or strings (QBO compares dates and Ids by value)."""
    if isinstance(b, bool) or isinstance(a, bool):
        return a, b
    try:
        return float(a), float(b)
    except (TypeError, ValueError):
        pass
    ta, tb = parse_time(a) if isinstance(a, str) else None, parse_time(b) if isinstance(b, str) else None
    if ta is not None and tb is not None and len(str(b)) >= 10:
        return ta, tb
    return str(a).lower(), str(b).lower()


def _match(obj, field, op, value):
    actual = _get(obj, field)
    if op == "IN":
        return any(_match(obj, field, "=", v) for v in value)
    if actual is None:
        return False
    if op == "LIKE":
        pattern = "^" + ".*".join(re.escape(p) for p in str(value).lower().split("%")) + "$"
        return re.match(pattern, str(actual).lower()) is not None
    a, b = _comparable(actual, value)
    try:
        return {"=": a == b, "!=": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
    except TypeError:
        return False


def run(books, realm, text, entities):
    """-> the QueryResponse dict. ``entities``: the queryable entity names."""
    query = Query(text)
    entity = next((e for e in entities if e.lower() == query.entity.lower()), None)
    if entity is None:
        raise invalid_query("Entity '%s' is not supported" % query.entity)
    objs = books.all(realm, entity)
    for field, _, _ in query.conditions + [(f, None, None) for f, _ in query.order]:
        root = field.split(".")[0].lower()
        if objs and root != "id" and not any(_get(o, root) is not None for o in objs[:200]) \
                and root not in ("active", "metadata", "docnumber", "txndate"):
            raise invalid_query("property '%s' is not queryable" % field)
    if entity in NAME_LISTS and not any(f.lower() == "active" for f, _, _ in query.conditions):
        objs = [o for o in objs if o.get("Active", True)]
    for field, op, value in query.conditions:
        objs = [o for o in objs if _match(o, field, op, value)]
    if query.count:
        return {"totalCount": len(objs)}
    for field, desc in reversed(query.order):
        objs.sort(key=lambda o, f=field: _sort_key(_get(o, f)), reverse=desc)
    page = objs[query.start - 1:query.start - 1 + query.max]
    out = {}
    if page:
        rendered = [books.render(o) for o in page]
        if query.fields:
            keep = {f.lower() for f in query.fields} | {"id", "synctoken", "domain", "sparse"}
            rendered = [dict({k: v for k, v in r.items() if k.lower() in keep}, sparse=True) for r in rendered]
        out[entity] = rendered
        out["startPosition"] = query.start
        out["maxResults"] = len(page)
    return out


def _sort_key(value):
    if value is None:
        return (0, 0, "")
    try:
        return (1, float(value), "")
    except (TypeError, ValueError):
        return (2, 0, str(value).lower())
