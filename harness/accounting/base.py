"""What every Accounting collection shares: lookups, the write pipeline, listing, rendering.

A record is kept as a dict shaped like Xero's JSON (Decimals for money) plus private keys
starting with "_" (``_updated`` simulated time, ISO dates …) that ``render`` turns into
Xero's wire form. The write pipeline is Xero's: each element is validated on its own, the
valid ones are saved even when others fail, and each element's outcome is reported.
"""

import re

from ..xerojson import date_fields, msdate, new_id, parse_date
from . import query
from .validation import Errors

GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class WriteContext:
    """State of one write request: extra records a valid element brings (e.g. a new contact
    named on an invoice) and events to emit once everything is saved."""

    def __init__(self, tenant, method, unitdp=2):
        self.tenant, self.method, self.unitdp = tenant, method, unitdp
        self.extra = []


class Entity:
    kind = None           # store kind
    collection = None     # "Invoices"
    id_field = None       # "InvoiceID"
    number_field = None   # "InvoiceNumber": GET /Invoices/{number} works too
    category = None       # webhook eventCategory
    paged = False
    modified_since = True
    list_filters = {}     # query arg -> field holding one of the comma-separated values
    error_flag = None     # the boolean an element in error carries, per Xero's schema of the entity

    def __init__(self, books):
        self.books = books
        self.store = books.store
        self.clock = books.clock

    # --- lookups ---------------------------------------------------------------------------
    def get(self, tenant, key):
        if not key:
            return None
        if GUID.match(key):
            record = self.store.get(self.kind, key.lower(), tenant)
            if record is not None:
                return record
        if self.number_field:
            keys = self.store.find(self.kind, self.number_field, key, tenant)
            live = [k for k in keys if self.store.get(self.kind, k, tenant).get("Status") != "DELETED"]
            if live or keys:
                return self.store.get(self.kind, (live or keys)[-1], tenant)
        return None

    def find_one(self, tenant, field, value):
        """The newest record whose indexed ``field`` equals ``value`` (case-insensitive), or None."""
        keys = self.store.find(self.kind, field, value, tenant) if value else []
        return self.store.get(self.kind, keys[-1], tenant) if keys else None

    def records(self, tenant):
        return self.store.all(self.kind, tenant)

    # --- listing -----------------------------------------------------------------------------
    def list(self, tenant, args, modified_since=None):
        """-> (rendered records, pagination or None). Raises query.QueryError."""
        unitdp = 4 if args.get("unitdp") == "4" else 2
        where = query.compile_where(args.get("where"))
        order = query.order_key(args.get("order"))
        page, size = query.page_args(args) if self.paged else (None, None)
        wanted = {}
        for arg, field in self.list_filters.items():
            raw = args.get(arg)
            if raw:
                wanted[field] = {v.strip().lower() for v in raw.split(",") if v.strip()}
        out = []
        for record in self.records(tenant):
            if modified_since is not None and self.modified_since and record["_updated"] <= modified_since:
                continue
            if any(str(self._field(record, f) or "").lower() not in values for f, values in wanted.items()):
                continue
            if not self.listed(record, args):
                continue
            if where or order:
                rendered = self.render(record, unitdp)
                if where and not where(rendered):
                    continue
                out.append(rendered)
            else:
                out.append(record)  # rendered below: only the page asked for
        out = query.apply_order(out, order)
        lazy = not (where or order)
        if page is not None:
            chunk, pagination = query.paginate(out, page, size)
            return ([self.render(r, unitdp) for r in chunk] if lazy else chunk), pagination
        return ([self.render(r, unitdp) for r in out] if lazy else out), None

    def listed(self, record, args):
        """Whether a list shows this record at all (before ``where``)."""
        return True

    @staticmethod
    def _field(record, dotted):
        value = record
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    # --- writing ------------------------------------------------------------------------------
    def write(self, tenant, elements, method, path_id=None, unitdp=2):
        """-> list of (ok, output) per element, in order. Saves every valid element."""
        results = []
        ctx = WriteContext(tenant, method, unitdp)
        with self.store.transaction():
            for element in elements:
                errors = Errors()
                record = existing = None
                if not isinstance(element, dict):
                    errors.add("A %s element must be a JSON object." % self.collection[:-1])
                else:
                    existing = self.existing(tenant, element, method, path_id, errors)
                    if not errors:
                        ctx.extra = []
                        record = self.build(tenant, element, existing, errors, ctx)
                if errors:
                    results.append((False, self.echo(element, errors)))
                    continue
                for kind, key, data, created in ctx.extra:
                    self.store.put(kind, key, data, tenant)
                    self.books.emit_for(kind, tenant, data, created)
                self.save(tenant, record, existing is None)
                out = self.render(record, unitdp)
                out["StatusAttributeString"] = "OK"
                results.append((True, out))
        return results

    def existing(self, tenant, element, method, path_id, errors):
        """The record an element updates, or None to create. Unknown IDs are errors."""
        key = path_id or element.get(self.id_field)
        if key:
            record = self.get(tenant, str(key))
            if record is None:
                errors.add("%s with %s %s could not be found." % (self.collection[:-1], self.id_field, key))
            return record
        return self.match(tenant, element, method)

    def match(self, tenant, element, method):
        """POST (update-or-create) may match an element by a natural key; PUT never does."""
        return None

    def build(self, tenant, element, existing, errors, ctx):
        raise NotImplementedError

    def save(self, tenant, record, created):
        record["_updated"] = self.clock.now()
        self.store.put(self.kind, record[self.id_field], record, tenant)
        self.books.emit_for(self.kind, tenant, record, created)

    def new_record(self, existing):
        if existing is not None:
            return {k: v for k, v in existing.items()}
        return {self.id_field: new_id()}

    def echo(self, element, errors):
        out = dict(element) if isinstance(element, dict) else {}
        out["StatusAttributeString"] = "ERROR"
        out["ValidationErrors"] = list(errors)
        if self.error_flag:
            out[self.error_flag] = True
        return out

    # --- rendering ----------------------------------------------------------------------------
    def render(self, record, unitdp=2):
        out = {k: v for k, v in record.items() if not k.startswith("_")}
        if "_updated" in record:
            out["UpdatedDateUTC"] = msdate(record["_updated"])
        return out


def set_date(record, element, field, errors, required=False, message=None):
    """Parse a date field of ``element`` into record["_" + field] (ISO) or report it."""
    if field not in element:
        if required and not record.get("_" + field):
            errors.add(message or "%s is required." % field)
        return
    try:
        day = parse_date(element.get(field))
    except (ValueError, TypeError):
        errors.add("%s is not a valid date." % field)  # (guess)
        return
    if day is None and required:
        errors.add(message or "%s is required." % field)
        return
    record["_" + field] = day.isoformat() if day else None


def render_date(out, record, field):
    iso = record.get("_" + field)
    if iso:
        out[field], out[field + "String"] = date_fields(parse_date(iso))
