"""``POST /batch``: ``{"BatchItemRequest": [{"bId", "operation", "<Entity>": {...}} | {"bId",
"Query": "select …"}]}`` -> ``{"BatchItemResponse": [{"bId", "<Entity>": {...}} | {"bId",
"Fault": {...}} | {"bId", "QueryResponse": {...}}], "time"}`` (IntuitRestServiceDef.xsd
``BatchItemRequest`` / ``BatchItemResponse``; developer.intuit.com batch).

Items run in order, each on its own (one failing item does not undo the others), and an item
does not see the objects created by earlier items of the same batch (Intuit's batch page): a
payment naming an invoice created in the same batch fails 2500. ``bId`` must be unique in the
batch. The size limit is configurable: 30 by default (Intuit's limits page; its batch page
says 10).
"""

from . import query
from .entities import errors
from .wire import QboFault

DEFAULT_MAX_ITEMS = 30


def run(books, realm, body, max_items, entities):
    items = body.get("BatchItemRequest") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise errors.required("BatchItemRequest")
    if len(items) > max_items:  # *guess* at the code and wording
        raise QboFault(1000, "Too many batch items",
                       "A batch request may hold at most %d items; this one has %d" % (max_items, len(items)))
    seen, out = set(), []
    with books.store.transaction(), books.batch_scope():
        for item in items:
            out.append(_one(books, realm, item, seen, entities))
    return {"BatchItemResponse": out}


def _one(books, realm, item, seen, entities):
    bid = str(item.get("bId") or "") if isinstance(item, dict) else ""
    try:
        if not bid:
            raise errors.required("bId")
        if bid in seen:
            raise errors.business("bId %s appears twice in this batch" % bid, "bId")
        seen.add(bid)
        if "Query" in item:
            return {"bId": bid, "QueryResponse": query.run(books, realm, item["Query"], entities)}
        entity = next((k for k in item if k in books.specs), None)
        if entity is None:
            raise errors.invalid("BatchItemRequest")
        operation = item.get("operation") or "create"
        options = [o.strip().lower() for o in str(item.get("optionsData") or "").split(",") if o.strip()]
        if operation == "update" and "void" in options:
            operation = "void"
        return {"bId": bid, entity: books.write(realm, entity, item[entity], operation, options)}
    except QboFault as fault:
        return {"bId": bid, "Fault": fault.fault()}
