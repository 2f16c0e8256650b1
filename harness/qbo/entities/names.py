"""Name lists: Customer, Vendor, Item, Account, Class, Department.

- Customer and Vendor (and Employee) share one name space: ``DisplayName`` unique among them,
  active or not → 6240 (developer.intuit.com error-codes). Without DisplayName, QBO derives it
  from Title/GivenName/MiddleName/FamilyName/Suffix or CompanyName; none of them → 2020 (*guess*
  at which code).
- Item ``Name`` unique among items; Class, Department, Account names unique in their list.
- Items (qbo-facts "Items"): Service / NonInventory need ``IncomeAccountRef`` unless only
  purchased (``ExpenseAccountRef``); Inventory needs ``IncomeAccountRef``, ``ExpenseAccountRef``,
  ``AssetAccountRef``, ``QtyOnHand``, ``InvStartDate`` and ``TrackQtyOnHand: true``.
- Names are never deleted through the API: ``Active: false`` makes them inactive (then 610 when
  a transaction names them).
"""

from ..wire import money, num
from . import errors
from .base import Spec

NAME_LIMITS = {"DisplayName": 500, "Name": 100}
CLASSIFICATION = {
    "Bank": "Asset", "Accounts Receivable": "Asset", "Other Current Asset": "Asset", "Fixed Asset": "Asset",
    "Other Asset": "Asset", "Accounts Payable": "Liability", "Credit Card": "Liability",
    "Other Current Liability": "Liability", "Long Term Liability": "Liability", "Equity": "Equity",
    "Income": "Revenue", "Other Income": "Revenue", "Cost of Goods Sold": "Expense", "Expense": "Expense",
    "Other Expense": "Expense",
}
ITEM_TYPES = ("Service", "NonInventory", "Inventory", "Category")


def _unique(books, realm, kinds, field, value, obj_id):
    for kind in kinds:
        for key in books.find(realm, kind, field, value):
            if key != obj_id:
                raise errors.duplicate_name(key)


def _length(obj, field):
    value = obj.get(field)
    if isinstance(value, str) and len(value) > NAME_LIMITS.get(field, 4000):
        raise errors.too_long(field, NAME_LIMITS[field], len(value))


def _person(books, realm, obj, current):
    if not obj.get("DisplayName"):
        parts = [obj.get(k) for k in ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix") if obj.get(k)]
        obj["DisplayName"] = " ".join(parts) or obj.get("CompanyName") or ""
    if not obj["DisplayName"]:
        raise errors.required("DisplayName")
    _length(obj, "DisplayName")
    obj.setdefault("Active", True)
    obj.setdefault("PrintOnCheckName", obj["DisplayName"])
    _unique(books, realm, ("Customer", "Vendor"), "DisplayName", obj["DisplayName"], obj.get("Id"))
    if obj.get("CurrencyRef"):
        obj["CurrencyRef"] = {"value": obj["CurrencyRef"].get("value"), "name": obj["CurrencyRef"].get("value")}
    else:
        obj["CurrencyRef"] = {"value": books.home_currency(realm)}
    obj.setdefault("Balance", 0.0)


def prepare_customer(books, realm, obj, current):
    _person(books, realm, obj, current)
    obj["FullyQualifiedName"] = obj["DisplayName"]
    obj.setdefault("Taxable", True)
    obj.setdefault("Job", False)
    obj.setdefault("BillWithParent", False)
    obj["BalanceWithJobs"] = obj["Balance"]
    if obj.get("DefaultTaxCodeRef"):
        books.ref(realm, "TaxCode", obj["DefaultTaxCodeRef"], "DefaultTaxCodeRef")


def prepare_vendor(books, realm, obj, current):
    _person(books, realm, obj, current)
    obj.setdefault("Vendor1099", False)


def _account(books, realm, obj, field, required=False):
    if obj.get(field):
        acc = books.ref(realm, "Account", obj[field], field)
        obj[field] = books.ref_of(acc)
        return acc
    if required:
        raise errors.required(field)
    return None


def prepare_item(books, realm, obj, current):
    if not obj.get("Name"):
        raise errors.required("Name")
    _length(obj, "Name")
    kind = obj.get("Type") or "Service"
    if kind not in ITEM_TYPES:
        raise errors.invalid("Type")
    obj["Type"] = kind
    _unique(books, realm, ("Item",), "Name", obj["Name"], obj.get("Id"))
    obj.setdefault("Active", True)
    obj["FullyQualifiedName"] = obj["Name"]
    purchased_only = obj.get("ExpenseAccountRef") and not obj.get("IncomeAccountRef")
    if kind == "Inventory":
        for field in ("IncomeAccountRef", "ExpenseAccountRef", "AssetAccountRef"):
            _account(books, realm, obj, field, required=True)
        if obj.get("QtyOnHand") in (None, ""):
            raise errors.required("QtyOnHand")
        if not obj.get("InvStartDate"):
            raise errors.required("InvStartDate")
        if obj.get("TrackQtyOnHand") is not True:
            raise errors.business("Inventory items must track quantity on hand (TrackQtyOnHand)", "TrackQtyOnHand")
    elif kind in ("Service", "NonInventory"):
        _account(books, realm, obj, "IncomeAccountRef", required=not purchased_only)
        _account(books, realm, obj, "ExpenseAccountRef")
        obj["TrackQtyOnHand"] = False
    for field in ("UnitPrice", "PurchaseCost", "QtyOnHand"):
        if obj.get(field) not in (None, ""):
            obj[field] = float(num(obj[field], field))
    obj.setdefault("UnitPrice", 0.0)
    obj.setdefault("Taxable", kind != "Category")
    for field in ("SalesTaxCodeRef", "PurchaseTaxCodeRef"):
        if obj.get(field):
            obj[field] = books.ref_of(books.ref(realm, "TaxCode", obj[field], field))


def prepare_account(books, realm, obj, current):
    if not obj.get("Name"):
        raise errors.required("Name")
    _length(obj, "Name")
    if obj.get("AccountType") not in CLASSIFICATION:
        raise errors.required("AccountType") if not obj.get("AccountType") else errors.invalid("AccountType")
    _unique(books, realm, ("Account",), "Name", obj["Name"], obj.get("Id"))
    obj["Classification"] = CLASSIFICATION[obj["AccountType"]]
    obj.setdefault("Active", True)
    obj.setdefault("SubAccount", False)
    obj["FullyQualifiedName"] = obj["Name"]
    obj.setdefault("CurrentBalance", 0.0)
    obj.setdefault("CurrentBalanceWithSubAccounts", obj["CurrentBalance"])
    obj["CurrencyRef"] = {"value": (obj.get("CurrencyRef") or {}).get("value") or books.home_currency(realm)}


def _simple(kind, sub_flag):
    def prepare(books, realm, obj, current):
        if not obj.get("Name"):
            raise errors.required("Name")
        _length(obj, "Name")
        _unique(books, realm, (kind,), "Name", obj["Name"], obj.get("Id"))
        obj.setdefault("Active", True)
        obj.setdefault(sub_flag, False)
        obj["FullyQualifiedName"] = obj["Name"]
    return prepare


def adjust_balance(books, realm, kind, ref, delta):
    """A customer's or vendor's open balance moves with its documents (no new SyncToken: QBO
    updates Balance without touching the name's own version — *guess*)."""
    if not ref or not delta:
        return
    obj = books.store.get(kind, ref["value"], realm)
    if obj is None:
        return
    obj = dict(obj, Balance=money(float(obj.get("Balance") or 0) + float(delta)))
    if kind == "Customer":
        obj["BalanceWithJobs"] = obj["Balance"]
    books.store.put(kind, obj["Id"], obj, realm, updated=obj.get("_updated", 0))


def register(books):
    computed = ("Balance", "BalanceWithJobs", "FullyQualifiedName")
    books.register(Spec("Customer", prepare_customer, computed=computed, name_field="DisplayName"))
    books.register(Spec("Vendor", prepare_vendor, computed=computed, name_field="DisplayName"))
    books.register(Spec("Item", prepare_item, computed=("FullyQualifiedName",), name_field="Name"))
    books.register(Spec("Account", prepare_account, computed=("FullyQualifiedName", "Classification"),
                        name_field="Name"))
    books.register(Spec("Class", _simple("Class", "SubClass"), computed=("FullyQualifiedName",), name_field="Name"))
    books.register(Spec("Department", _simple("Department", "SubDepartment"), computed=("FullyQualifiedName",),
                        name_field="Name"))
