"""Purchase orders: GET (paged) / by id or number, PUT create, POST update-or-create."""

from .documents import Document
from .validation import ORDER_NUMBER_TAKEN, text


class PurchaseOrders(Document):
    kind = "purchaseorder"
    collection = "PurchaseOrders"
    id_field = "PurchaseOrderID"
    number_field = "PurchaseOrderNumber"
    paged = True
    statuses = ("DRAFT", "SUBMITTED", "AUTHORISED", "BILLED", "DELETED")
    number_prefix = {"": "PO-"}
    number_taken_message = ORDER_NUMBER_TAKEN
    needs_account_code = False
    ledger = False  # a purchase order posts nothing: lock dates do not apply
    error_flag = None  # the PurchaseOrder schema has no HasErrors (Xero's example: StatusAttributeString only)
    date_fields = ("Date", "DeliveryDate", "ExpectedArrivalDate")
    list_filters = {"Status": "Status"}

    def locked(self, record):
        return False

    def check_transition(self, existing, element, errors):
        if element.get("Status") == "VOIDED":
            errors.add("Status must be one of %s." % ", ".join(self.statuses))  # (guess)
            return False
        if element.get("Status") == "DELETED" and existing.get("Status") == "AUTHORISED":
            # Unlike an invoice, an approved purchase order is deleted, not voided: the
            # PurchaseOrder schema's Status has no VOIDED (xero_accounting.yaml: DRAFT, SUBMITTED,
            # AUTHORISED, BILLED, DELETED), developer.xero.com/documentation/api/purchase-orders
            # "Allows you to delete purchase orders" by POSTing Status DELETED, and Xero's own
            # web app deletes approved ones (ApprovalMax's Xero guide: "delete such [approved]
            # Purchase Orders in Xero"). A BILLED one stays final (the rule below).
            return True
        return super().check_transition(existing, element, errors)

    def extra_fields(self, tenant, element, record, errors):
        for field in ("DeliveryAddress", "AttentionTo", "Telephone", "DeliveryInstructions"):
            value = text(element, field, errors, limit=500)
            if value is not None:
                record[field] = value
        record.setdefault("SentToContact", False)

    def match(self, tenant, element, method):
        if method == "POST" and element.get("PurchaseOrderNumber"):
            return self.get(tenant, element["PurchaseOrderNumber"])
        return None
