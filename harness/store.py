"""State of the simulator, kept in memory and written through to SQLite.

Every object (organisation, OAuth client, token, contact, invoice …) is a JSON document in
one table keyed by (kind, tenant, key); "" is the tenant of global objects. Reads come from
memory, so GETs stay fast; each write is saved before the request that made it answers, so
state survives a restart when a file is given (``:memory:`` otherwise).
"""

import sqlite3
import threading
from collections import OrderedDict
from contextlib import contextmanager

from .xerojson import dumps, loads


class Row:
    __slots__ = ("tenant", "key", "updated", "seq", "data")

    def __init__(self, tenant, key, updated, seq, data):
        self.tenant, self.key, self.updated, self.seq, self.data = tenant, key, updated, seq, data


class Store:
    # (kind, field) pairs looked up by value, case-insensitively, per tenant.
    INDEXED = {
        "contact": ("Name", "ContactNumber", "AccountNumber", "EmailAddress"),
        "item": ("Code",),
        "invoice": ("InvoiceNumber",),
        "creditnote": ("CreditNoteNumber",),
        "purchaseorder": ("PurchaseOrderNumber",),
        "account": ("Code",),
        "taxrate": ("TaxType",),
    }

    def __init__(self, path=":memory:"):
        self.path = path
        self.lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, tenant TEXT NOT NULL,"
            " key TEXT NOT NULL, updated REAL NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,"
            " PRIMARY KEY (kind, tenant, key))"
        )
        self._rows = {}  # kind -> tenant -> OrderedDict(key -> Row)
        self._index = {}  # (kind, field) -> {(tenant, value.lower()): set(keys)}
        self._seq = 0
        self._pending = []
        self._depth = 0
        self._load()

    # --- persistence ---------------------------------------------------------------------
    def _load(self):
        for kind, tenant, key, updated, seq, data in self._db.execute(
            "SELECT kind, tenant, key, updated, seq, data FROM records ORDER BY seq"
        ):
            self._put_memory(kind, Row(tenant, key, updated, seq, loads(data)))
            self._seq = max(self._seq, seq)

    @contextmanager
    def transaction(self):
        """Group writes: they reach SQLite together when the outermost block ends."""
        with self.lock:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._flush()

    def _flush(self):
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        self._db.execute("BEGIN")
        try:
            for op, kind, row in pending:
                if op == "put":
                    self._db.execute(
                        "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?)",
                        (kind, row.tenant, row.key, row.updated, row.seq, dumps(row.data)),
                    )
                else:
                    self._db.execute(
                        "DELETE FROM records WHERE kind=? AND tenant=? AND key=?", (kind, row.tenant, row.key)
                    )
            self._db.execute("COMMIT")
        except Exception:
            self._db.execute("ROLLBACK")
            raise

    # --- memory --------------------------------------------------------------------------
    def _index_update(self, kind, row, add):
        for field in self.INDEXED.get(kind, ()):
            value = row.data.get(field)
            if not isinstance(value, str) or not value:
                continue
            bucket = self._index.setdefault((kind, field), {})
            k = (row.tenant, value.strip().lower())
            if add:
                bucket.setdefault(k, set()).add(row.key)
            else:
                keys = bucket.get(k)
                if keys:
                    keys.discard(row.key)
                    if not keys:
                        del bucket[k]

    def _put_memory(self, kind, row):
        per_tenant = self._rows.setdefault(kind, {}).setdefault(row.tenant, OrderedDict())
        old = per_tenant.get(row.key)
        if old is not None:
            self._index_update(kind, old, add=False)
        per_tenant[row.key] = row
        self._index_update(kind, row, add=True)

    # --- API -----------------------------------------------------------------------------
    def put(self, kind, key, data, tenant="", updated=0.0):
        with self.transaction():
            old = self.get_row(kind, key, tenant)
            if old is None:
                self._seq += 1
                seq = self._seq
            else:
                seq = old.seq
            row = Row(tenant, key, updated, seq, data)
            self._put_memory(kind, row)
            self._pending.append(("put", kind, row))
            return data

    def delete(self, kind, key, tenant=""):
        with self.transaction():
            per_tenant = self._rows.get(kind, {}).get(tenant)
            row = per_tenant.pop(key, None) if per_tenant else None
            if row is not None:
                self._index_update(kind, row, add=False)
                self._pending.append(("delete", kind, row))
            return row

    def get_row(self, kind, key, tenant=""):
        return self._rows.get(kind, {}).get(tenant, {}).get(key)

    def get(self, kind, key, tenant=""):
        row = self.get_row(kind, key, tenant)
        return row.data if row else None

    def rows(self, kind, tenant=""):
        """Rows in creation order (a snapshot: safe to write while iterating)."""
        return list(self._rows.get(kind, {}).get(tenant, {}).values())

    def all(self, kind, tenant=""):
        return [r.data for r in self.rows(kind, tenant)]

    def tenants(self, kind):
        return list(self._rows.get(kind, {}).keys())

    def find(self, kind, field, value, tenant=""):
        """Keys whose indexed ``field`` equals ``value`` (case-insensitive)."""
        if not isinstance(value, str):
            return []
        keys = self._index.get((kind, field), {}).get((tenant, value.strip().lower()), ())
        return sorted(keys, key=lambda k: self.get_row(kind, k, tenant).seq)

    def count(self, kind, tenant=""):
        return len(self._rows.get(kind, {}).get(tenant, {}))

    def clear(self):
        with self.lock:
            self._rows.clear()
            self._index.clear()
            self._pending.clear()
            self._db.execute("DELETE FROM records")

    def dump(self):
        """Every object, for tests and the admin API."""
        out = {}
        with self.lock:
            for kind, tenants in self._rows.items():
                for tenant, rows in tenants.items():
                    out.setdefault(kind, {}).setdefault(tenant or "_", [r.data for r in rows.values()])
        return out

    def close(self):
        with self.lock:
            self._flush()
            self._db.close()
