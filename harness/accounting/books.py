"""One object that holds every Accounting collection and what they share per organisation:
numbering, "today" in simulated time, and the webhook events a save produces."""

import datetime as dt

from ..xerojson import UTC
from .accounts import Accounts
from .contacts import Contacts
from .creditnotes import CreditNotes
from .currencies import Currencies
from .invoices import Invoices
from .items import Items
from .organisation import new_organisation
from .payments import Payments
from .purchaseorders import PurchaseOrders
from .taxrates import TaxRates
from .tracking import TrackingCategories

EVENT_CATEGORIES = {"contact": "CONTACT", "invoice": "INVOICE", "creditnote": "CREDITNOTE"}


class Books:
    def __init__(self, store, clock, on_event=None):
        self.store = store
        self.clock = clock
        self.on_event = on_event  # (tenant, category, event_type, resource_id, data) -> None
        self.accounts = Accounts(self)
        self.taxrates = TaxRates(self)
        self.contacts = Contacts(self)
        self.items = Items(self)
        self.invoices = Invoices(self)
        self.creditnotes = CreditNotes(self)
        self.purchaseorders = PurchaseOrders(self)
        self.payments = Payments(self)
        self.tracking = TrackingCategories(self)
        self.currencies = Currencies(self)
        self.by_path = {e.collection.lower(): e for e in (
            self.accounts, self.taxrates, self.contacts, self.items, self.invoices,
            self.creditnotes, self.purchaseorders, self.payments, self.tracking,
            self.currencies)}

    def organisation(self, tenant):
        return self.store.get("org", tenant)

    def today(self):
        return dt.datetime.fromtimestamp(self.clock.now(), UTC).date()

    def next_number(self, tenant, series, prefix, entity):
        """Next free "INV-0001"-style number of a series, per organisation."""
        key = "%s:%s" % (tenant, series)
        n = (self.store.get("sequence", key) or {"n": 0})["n"]
        while True:
            n += 1
            candidate = "%s%04d" % (prefix, n)
            if not self.store.find(entity.kind, entity.number_field, candidate, tenant):
                self.store.put("sequence", key, {"n": n})
                return candidate

    def emit_for(self, kind, tenant, record, created):
        category = EVENT_CATEGORIES.get(kind)
        if category and self.on_event:
            entity = {"contact": self.contacts, "invoice": self.invoices, "creditnote": self.creditnotes}[kind]
            data = {"Type": record.get("Type"), "Status": record.get("Status")} if kind == "creditnote" else None
            self.on_event(tenant, category, "CREATE" if created else "UPDATE", record[entity.id_field], data)

    def create_organisation(self, tenant_id, name, chart, tax_rates, **kwargs):
        """A new organisation with its chart of accounts and tax rates."""
        with self.store.transaction():
            org = self.store.put("org", tenant_id, new_organisation(tenant_id, name, self.clock.now(), **kwargs))
            ok = self.taxrates.write(tenant_id, tax_rates, "PUT")
            ok += self.accounts.write(tenant_id, chart, "PUT")
            bad = [out for good, out in ok if not good]
            if bad:
                raise ValueError("invalid default chart or tax rates: %r" % bad)
        return org
