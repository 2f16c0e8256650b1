"""The write pipeline every entity goes through, and the books' shared look-ups.

Objects are stored as QBO renders them (``Id``, ``SyncToken``, ``MetaData`` …) plus private
keys starting with ``_`` (``_updated``: UNIX time of the last change, for CDC), one store kind
per entity, the realm as tenant. A deleted object leaves a ``deleted`` marker for CDC.

- ``POST /{entity}`` without ``Id`` creates; with ``Id`` + ``SyncToken`` updates, sparse
  (``"sparse": true``: only the fields sent; a ``Line`` array replaces all lines) or full
  (fields omitted are cleared); ``?operation=delete|void`` (qbo-facts "API shape").
- SyncToken: a string, +1 on every change; a write with another value fails 5010.
- Batches (``batch.py``) run inside ``batch_scope``: objects created by earlier items of the
  same batch stay invisible to later items (Intuit: items "do not see" each other).
"""

import copy
import threading
from decimal import Decimal

from ..wire import QboFault, qbo_time
from . import errors

READ_ONLY = frozenset(("Id", "SyncToken", "MetaData", "domain", "sparse", "status"))


class Spec:
    """How one entity is written. ``prepare(books, realm, obj, current)`` validates and fills
    computed fields (raising QboFault); ``after`` applies side effects (payments → invoices)."""

    def __init__(self, name, prepare=None, after=None, delete=False, void=False, read_only=False,
                 computed=(), name_field=None, transaction=False):
        self.name, self.prepare, self.after = name, prepare, after
        self.can_delete, self.can_void, self.read_only = delete, void, read_only
        self.computed = frozenset(computed)
        self.name_field, self.transaction = name_field, transaction


class Books:
    def __init__(self, store, clock, on_event=None):
        self.store, self.clock = store, clock
        self.on_event = on_event or (lambda *a: None)
        self.specs = {}
        self._local = threading.local()
        from . import names, settings, transactions  # noqa: F401 - they register their specs
        for module in (names, settings, transactions):
            module.register(self)

    def register(self, spec):
        self.specs[spec.name] = spec

    # --- companies ---------------------------------------------------------------------------
    def company(self, realm):
        return self.store.get("company", realm)

    def tz(self, realm):
        return (self.company(realm) or {}).get("tz_hours", 0)

    def preferences(self, realm):
        return self.store.get("Preferences", "1", realm) or {}

    def book_close_date(self, realm):
        return ((self.preferences(realm).get("AccountingInfoPrefs") or {}).get("BookCloseDate")) or None

    def home_currency(self, realm):
        return (self.company(realm) or {}).get("currency", "USD")

    def custom_txn_numbers(self, realm):
        return bool((self.preferences(realm).get("SalesFormsPrefs") or {}).get("CustomTxnNumbers"))

    def next_id(self, realm):
        row = self.store.get("counter", "id", realm) or {"n": 0}
        self.store.put("counter", "id", {"n": row["n"] + 1}, realm)
        return str(row["n"] + 1)

    def next_doc_number(self, realm):
        row = self.store.get("counter", "doc", realm) or {"n": 1000}
        self.store.put("counter", "doc", {"n": row["n"] + 1}, realm)
        return str(row["n"] + 1)

    # --- batch visibility ----------------------------------------------------------------------
    def hidden(self):
        return getattr(self._local, "hidden", None)

    def batch_scope(self):
        books = self

        class _Scope:
            def __enter__(self):
                books._local.hidden = set()
                return self

            def __exit__(self, *exc):
                books._local.hidden = None
        return _Scope()

    # --- reads ---------------------------------------------------------------------------------
    def get(self, realm, entity, obj_id):
        obj = self.store.get(entity, str(obj_id), realm)
        hidden = self.hidden()
        if obj is None or (hidden and (entity, str(obj_id)) in hidden):
            return None
        return obj

    def all(self, realm, entity):
        hidden = self.hidden()
        objs = self.store.all(entity, realm)
        if hidden:
            objs = [o for o in objs if (entity, o["Id"]) not in hidden]
        return objs

    def find(self, realm, entity, field, value):
        """Keys holding ``value`` — batch items DO see each other here: uniqueness is the
        database's, not a read (*guess*: Intuit documents only that items do not see each other)."""
        return self.store.find(entity, field, value, realm)

    def render(self, obj):
        out = {k: v for k, v in obj.items() if not k.startswith("_")}
        out["domain"], out["sparse"] = "QBO", False
        return out

    def ref(self, realm, kind, ref, element, active=True):
        """A ReferenceType ``{"value", "name"?}`` -> the object; unknown → 2500, inactive → 610."""
        if not isinstance(ref, dict) or not ref.get("value"):
            raise errors.invalid(element)
        obj = self.get(realm, kind, ref["value"])
        if obj is None:
            raise errors.invalid_ref(kind, ref["value"], element)
        if active and obj.get("Active") is False:
            raise errors.not_found(element)
        return obj

    @staticmethod
    def ref_of(obj, name_field="Name"):
        return {"value": obj["Id"], "name": obj.get(name_field) or obj.get("DisplayName") or obj.get("Name", "")}

    # --- writes --------------------------------------------------------------------------------
    def write(self, realm, entity, body, operation="create", include=(), user="root"):
        """-> the rendered object; raises QboFault. One transaction: all or nothing."""
        spec = self.specs.get(entity)
        if spec is None:
            raise errors.unsupported(operation)
        if not isinstance(body, dict):
            raise QboFault(2010, "Request has invalid or unsupported property", "The body must be an object")
        if operation not in ("create", "update", "delete", "void"):
            raise errors.unsupported(operation)
        if operation == "create" and body.get("Id"):
            operation = "update"  # QBO: a body with Id + SyncToken is an update
        if spec.read_only and operation != "update":
            raise errors.unsupported(operation)
        with self.store.transaction():
            current = None
            if operation != "create":
                current = self._current(realm, spec, body)
            if operation == "delete":
                return self._delete(realm, spec, current)
            if operation == "void":
                if not spec.can_void:
                    raise errors.unsupported("void")
                obj = copy.deepcopy(current)  # prepare edits nested lines: never the stored ones
                obj["_void"] = True
                action = "Void"
            else:
                clean = _clean(body, spec)
                if current is not None and body.get("sparse") in (True, "true"):
                    obj = dict(copy.deepcopy(current), **clean)
                elif current is not None:  # full update: what is not sent is cleared
                    obj = {k: copy.deepcopy(v) for k, v in current.items()
                           if k in READ_ONLY or k in spec.computed or k.startswith("_")}
                    obj.update(clean)
                else:
                    obj = clean
                action = "Create" if current is None else "Update"
            obj["_include"] = list(include)
            if spec.prepare:
                spec.prepare(self, realm, obj, current)
            obj.pop("_include", None)
            return self._save(realm, spec, obj, current, action, user)

    def _current(self, realm, spec, body):
        obj_id = body.get("Id")
        if obj_id in (None, ""):
            raise errors.required("Id")
        current = self.get(realm, spec.name, obj_id)
        if current is None:
            raise errors.not_found("Id")
        token = body.get("SyncToken")
        if token in (None, ""):
            raise errors.required("SyncToken")
        if str(token) != current["SyncToken"]:
            raise errors.stale()
        return current

    def _save(self, realm, spec, obj, current, action, user="root"):
        now = self.clock.now()
        stamp = qbo_time(now, self.tz(realm))
        if current is None:
            obj["Id"] = obj.get("Id") or self.next_id(realm)
            obj["SyncToken"] = "0"
            obj["MetaData"] = {"CreateTime": stamp, "LastUpdatedTime": stamp}
        else:
            obj["Id"] = current["Id"]
            obj["SyncToken"] = str(int(current["SyncToken"]) + 1)
            obj["MetaData"] = dict(current.get("MetaData") or {}, LastUpdatedTime=stamp)
        if user != "root":
            obj["MetaData"]["LastModifiedByRef"] = {"value": user}
        obj["_updated"] = now
        self.store.put(spec.name, obj["Id"], obj, realm, updated=now)
        hidden = self.hidden()
        if hidden is not None and current is None:
            hidden.add((spec.name, obj["Id"]))
        if spec.after:
            spec.after(self, realm, obj, current)
        self.on_event(realm, spec.name, action, obj["Id"], now)
        return self.render(obj)

    def touch(self, realm, entity, obj):
        """A side effect changed ``obj`` (a payment moved an invoice's Balance): new SyncToken."""
        return self._save(realm, self.specs[entity], dict(obj), obj, "Update")

    def _delete(self, realm, spec, current):
        if not spec.can_delete:
            raise errors.unsupported("delete")
        if spec.prepare:
            marker = dict(copy.deepcopy(current), _delete=True, _include=[])
            spec.prepare(self, realm, marker, current)
        now = self.clock.now()
        self.store.delete(spec.name, current["Id"], realm)
        self.store.put("deleted", "%s:%s" % (spec.name, current["Id"]),
                       {"entity": spec.name, "Id": current["Id"], "_updated": now,
                        "LastUpdatedTime": qbo_time(now, self.tz(realm))}, realm, updated=now)
        if spec.after:
            spec.after(self, realm, None, current)
        self.on_event(realm, spec.name, "Delete", current["Id"], now)
        return {"Id": current["Id"], "status": "Deleted", "domain": "QBO"}


def _clean(body, spec):
    """The fields a client may set: without read-only or computed ones, nor empty strings
    (python-quickbooks sends "" for every unset date and name part)."""
    out = {}
    for key, value in body.items():
        if key in READ_ONLY or key in spec.computed or key.startswith("_") or value is None or value == "":
            continue
        out[key] = _strip_empty(value)
    return out


def _strip_empty(value):
    if isinstance(value, dict):
        return {k: _strip_empty(v) for k, v in value.items() if v is not None and v != ""}
    if isinstance(value, list):
        return [_strip_empty(v) for v in value]
    if isinstance(value, float):
        return Decimal(str(value))
    return value
