"""Change data capture: ``GET /cdc?entities=Invoice,Payment&changedSince=<ISO time>``
(developer.intuit.com change-data-capture; qbo-facts "CDC"):

- objects of the listed entities changed at or after ``changedSince``, at most 30 days back;
- at most 1,000 objects in one answer, oldest changes first (the rest: ask again from the last
  LastUpdatedTime — *guess* at which ones QBO leaves out);
- a deleted object comes back as ``{"Id", "status": "Deleted", "MetaData": {LastUpdatedTime}}``.

Answer: ``{"CDCResponse": [{"QueryResponse": [{"Invoice": [...], "startPosition", "maxResults",
"totalCount"}, ...]}], "time"}`` — one QueryResponse per entity asked for, in the order asked.
"""

from .entities import errors
from .wire import QboFault, parse_time

MAX_OBJECTS = 1000
MAX_AGE = 30 * 24 * 3600


def run(books, realm, entities_param, changed_since, known):
    if not entities_param:
        raise errors.required("entities")
    if not changed_since:
        raise errors.required("changedSince")
    since = parse_time(changed_since)
    if since is None:
        raise errors.invalid("changedSince")
    if since < books.clock.now() - MAX_AGE:  # *guess* at the code: Intuit documents the 30-day limit only
        raise QboFault(6000, "A business validation error has occurred while processing your request",
                       "Business Validation Error: changedSince cannot be more than 30 days ago", "changedSince")
    names = []
    for raw in entities_param.split(","):
        name = next((e for e in known if e.lower() == raw.strip().lower()), None)
        if name is None:
            raise errors.invalid("entities")
        names.append(name)
    changes = []  # (updated, entity, rendered)
    for name in names:
        for obj in books.all(realm, name):
            if obj.get("_updated", 0) >= since:
                changes.append((obj["_updated"], name, books.render(obj)))
        for row in books.store.all("deleted", realm):
            if row["entity"] == name and row["_updated"] >= since:
                changes.append((row["_updated"], name, {"Id": row["Id"], "status": "Deleted", "domain": "QBO",
                                                        "MetaData": {"LastUpdatedTime": row["LastUpdatedTime"]}}))
    changes.sort(key=lambda c: c[0])
    changes = changes[:MAX_OBJECTS]
    responses = []
    for name in names:
        objs = [obj for _, entity, obj in changes if entity == name]
        response = {}
        if objs:
            response = {name: objs, "startPosition": 1, "maxResults": len(objs), "totalCount": len(objs)}
        responses.append(response)
    return {"QueryResponse": responses}
