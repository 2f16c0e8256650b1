"""Items: GET list / by ItemID or Code, PUT create, POST update-or-create (by Code), DELETE."""

from . import refs
from .base import Entity
from .validation import ITEM_CODE_REQUIRED, ITEM_CODE_TAKEN, number, text


class Items(Entity):
    kind = "item"
    collection = "Items"
    id_field = "ItemID"
    number_field = "Code"

    def by_code(self, tenant, code):
        return self.find_one(tenant, "Code", code)

    def match(self, tenant, element, method):
        return self.by_code(tenant, element.get("Code")) if method == "POST" else None

    def build(self, tenant, element, existing, errors, ctx):
        record = self.new_record(existing)
        code = text(element, "Code", errors, limit=30, required=existing is None,
                    required_message=ITEM_CODE_REQUIRED)
        if code is not None:
            other = self.by_code(tenant, code)
            if other and other["ItemID"] != record["ItemID"]:
                errors.add(ITEM_CODE_TAKEN.format(code=code))
            record["Code"] = code
        name = text(element, "Name", errors, limit=50)
        if name is not None:
            record["Name"] = name
        record.setdefault("Name", record.get("Code"))
        for field in ("Description", "PurchaseDescription"):
            value = text(element, field, errors, limit=4000)
            if value is not None:
                record[field] = value
        for side, flag in (("SalesDetails", "IsSold"), ("PurchaseDetails", "IsPurchased")):
            details = element.get(side)
            if details is not None:
                record[side] = self._details(tenant, details, side, errors)
            record.setdefault(side, {})
            if flag in element:
                record[flag] = bool(element[flag])
            record.setdefault(flag, bool(record[side]) or existing is None)
        inventory = element.get("InventoryAssetAccountCode")
        if inventory:
            # the spec's Item schema: "The account must be of type INVENTORY"
            account = refs.account(self.books, tenant, inventory, errors)
            if account and account.get("Type") != "INVENTORY":
                errors.add("InventoryAssetAccountCode must be an account of type INVENTORY.")  # (guess)
            record["InventoryAssetAccountCode"] = str(inventory)
        # "An item will be tracked as inventory if the InventoryAssetAccountCode and
        # COGSAccountCode are set" (Item.IsTrackedAsInventory in xero_accounting.yaml)
        record["IsTrackedAsInventory"] = bool(record.get("InventoryAssetAccountCode")
                                              and record["PurchaseDetails"].get("COGSAccountCode"))
        if record["IsTrackedAsInventory"]:
            record.setdefault("QuantityOnHand", 0.0)
            record.setdefault("TotalCostPool", 0.0)
        return record

    def _details(self, tenant, details, side, errors):
        if not isinstance(details, dict):
            errors.add("%s must be an object." % side)  # (guess)
            return {}
        out = {}
        price = number(details, "UnitPrice", errors)
        if price is not None:
            out["UnitPrice"] = price
        if details.get("AccountCode"):
            refs.account(self.books, tenant, details["AccountCode"], errors)
            out["AccountCode"] = str(details["AccountCode"])
        if details.get("COGSAccountCode"):
            refs.account(self.books, tenant, details["COGSAccountCode"], errors)
            out["COGSAccountCode"] = str(details["COGSAccountCode"])
        if details.get("TaxType"):
            refs.tax_rate(self.books, tenant, details["TaxType"], errors)
            out["TaxType"] = str(details["TaxType"])
        return out

    def delete(self, tenant, item_id):
        record = self.get(tenant, item_id)
        if record is None:
            return False
        self.store.delete(self.kind, record["ItemID"], tenant)
        return True
