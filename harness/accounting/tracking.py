"""TrackingCategories and their options, and the ``Tracking`` of document lines.

Routes (xero_accounting.yaml): GET /TrackingCategories (``where``, ``order``,
``includeArchived``), PUT /TrackingCategories (one category, options may come with it),
GET / POST / DELETE /TrackingCategories/{id}, PUT /TrackingCategories/{id}/Options, POST /
DELETE /TrackingCategories/{id}/Options/{optionId}. The spec's request bodies are a bare
TrackingCategory / TrackingOption; the wrapped forms ({"TrackingCategories": [...]},
{"Options": [...]}) that xero-python and others also send are taken too.

Xero's rules (developer.xero.com, tracking categories): at most two ACTIVE categories per
organisation, option names unique in a category, names up to 100 characters; a category or
option in use is archived, not deleted; a line names at most two categories, one option each,
by ``{Name, Option}`` or ``{TrackingCategoryID, TrackingOptionID}``, and both must exist and be
active (the API never creates an option from a line). Categories carry no UpdatedDateUTC and
no If-Modified-Since in the spec.
"""

from ..xerojson import new_id
from . import query
from .base import GUID, Entity
from .validation import (
    TRACKING_CATEGORY_INVALID,
    TRACKING_CATEGORY_LIMIT,
    TRACKING_CATEGORY_NAME_REQUIRED,
    TRACKING_CATEGORY_NAME_TAKEN,
    TRACKING_CATEGORY_TWICE,
    TRACKING_IN_USE,
    TRACKING_NOT_A_LIST,
    TRACKING_OPTION_INVALID,
    TRACKING_OPTION_NAME_REQUIRED,
    TRACKING_OPTION_NAME_TAKEN,
    TRACKING_TOO_MANY,
    Errors,
    text,
)

MAX_ACTIVE = 2
STATUSES = ("ACTIVE", "ARCHIVED")


def _key(name):
    return name.strip().lower() if isinstance(name, str) else None


class TrackingCategories(Entity):
    kind = "trackingcategory"
    collection = "TrackingCategories"
    id_field = "TrackingCategoryID"
    modified_since = False

    # --- lookups ---------------------------------------------------------------------------
    def get(self, tenant, key):
        if not key or not GUID.match(str(key)):
            return None
        return self.store.get(self.kind, str(key).lower(), tenant)

    def live(self, tenant):
        return [r for r in self.records(tenant) if r.get("Status") != "DELETED"]

    def by_name(self, tenant, name):
        return next((r for r in self.live(tenant) if _key(r["Name"]) == _key(name)), None)

    @staticmethod
    def option(category, option_id=None, name=None):
        for opt in category.get("Options", ()):
            if opt.get("Status") == "DELETED":
                continue
            if option_id and opt["TrackingOptionID"] == str(option_id).lower():
                return opt
            if not option_id and name is not None and _key(opt["Name"]) == _key(name):
                return opt
        return None

    # --- reading ----------------------------------------------------------------------------
    def list(self, tenant, args, modified_since=None):
        # Archived categories and options only with includeArchived=true; deleted ones never.
        archived = str(args.get("includeArchived", "")).lower() == "true"
        where = query.compile_where(args.get("where"))
        order = query.order_key(args.get("order"))
        out = []
        for record in self.live(tenant):
            if record["Status"] == "ARCHIVED" and not archived:
                continue
            rendered = self.render(record, include_archived=archived)
            if where and not where(rendered):
                continue
            out.append(rendered)
        return query.apply_order(out, order), None

    def render(self, record, unitdp=2, include_archived=True):
        options = [self.render_option(o) for o in record.get("Options", ())
                   if o["Status"] == "ACTIVE" or (include_archived and o["Status"] == "ARCHIVED")]
        return {"TrackingCategoryID": record["TrackingCategoryID"], "Name": record["Name"],
                "Status": record["Status"], "Options": options}

    @staticmethod
    def render_option(option):
        return {"TrackingOptionID": option["TrackingOptionID"], "Name": option["Name"],
                "Status": option["Status"]}

    # --- writing categories ---------------------------------------------------------------------
    def existing(self, tenant, element, method, path_id, errors):
        if method == "PUT":
            return None  # PUT only creates, as for every collection
        return super().existing(tenant, element, method, path_id, errors)

    def build(self, tenant, element, existing, errors, ctx):
        record = self.new_record(existing)
        record.setdefault("Options", [])
        name = text(element, "Name", errors, limit=100, required=existing is None,
                    required_message=TRACKING_CATEGORY_NAME_REQUIRED)
        if isinstance(name, str):
            name = name.strip()
            other = self.by_name(tenant, name)
            if other and other["TrackingCategoryID"] != record["TrackingCategoryID"]:
                errors.add(TRACKING_CATEGORY_NAME_TAKEN.format(name=name))
            record["Name"] = name
        status = element.get("Status", record.get("Status") or "ACTIVE")
        if status not in STATUSES:
            errors.add("Status must be ACTIVE or ARCHIVED.")  # (guess; DELETED goes through DELETE)
            return record
        if status == "ACTIVE" and (existing is None or existing.get("Status") != "ACTIVE"):
            active = [r for r in self.live(tenant) if r["Status"] == "ACTIVE"
                      and r["TrackingCategoryID"] != record["TrackingCategoryID"]]
            if len(active) >= MAX_ACTIVE:
                errors.add(TRACKING_CATEGORY_LIMIT)
        record["Status"] = status
        if existing is None and isinstance(element.get("Options"), list):
            for opt in element["Options"]:
                self._new_option(record, opt, errors)
        return record

    def save(self, tenant, record, created):
        record["_updated"] = self.clock.now()
        self.store.put(self.kind, record["TrackingCategoryID"], record, tenant)

    def echo(self, element, errors):
        out = dict(element) if isinstance(element, dict) else {}
        out.update(StatusAttributeString="ERROR", ValidationErrors=list(errors), HasValidationErrors=True)
        return out

    # --- options ----------------------------------------------------------------------------------
    def _new_option(self, category, element, errors):
        if not isinstance(element, dict):
            errors.add("A tracking option must be an object.")  # (guess)
            return None
        name = text(element, "Name", errors, limit=100, required=True, required_message=TRACKING_OPTION_NAME_REQUIRED)
        if not isinstance(name, str):
            return None
        name = name.strip()
        if self.option(category, name=name):
            errors.add(TRACKING_OPTION_NAME_TAKEN)
            return None
        option = {"TrackingOptionID": new_id(), "Name": name, "Status": "ACTIVE"}
        category["Options"] = category.get("Options", []) + [option]
        return option

    def add_options(self, tenant, category_id, elements):
        """PUT /TrackingCategories/{id}/Options -> list of (ok, output)."""
        results = []
        with self.store.transaction():
            for element in elements:
                category = dict(self.get(tenant, category_id))
                errors = Errors()
                option = self._new_option(category, element, errors)
                results.append(self._option_result(tenant, category, option, element, errors))
        return results

    def update_option(self, tenant, category_id, option_id, elements):
        """POST /TrackingCategories/{id}/Options/{optionId}: rename or archive / reactivate."""
        results = []
        with self.store.transaction():
            for element in elements:
                category = dict(self.get(tenant, category_id))
                category["Options"] = [dict(o) for o in category.get("Options", ())]
                option = self.option(category, option_id=option_id)
                errors = Errors()
                if not isinstance(element, dict):
                    errors.add("A tracking option must be an object.")  # (guess)
                else:
                    name = text(element, "Name", errors, limit=100)
                    if isinstance(name, str) and name.strip():
                        other = self.option(category, name=name)
                        if other and other is not option:
                            errors.add(TRACKING_OPTION_NAME_TAKEN)
                        option["Name"] = name.strip()
                    if "Status" in element:
                        if element["Status"] not in STATUSES:
                            errors.add("Status must be ACTIVE or ARCHIVED.")  # (guess)
                        else:
                            option["Status"] = element["Status"]
                results.append(self._option_result(tenant, category, option, element, errors))
        return results

    def _option_result(self, tenant, category, option, element, errors):
        """One element's answer of the option routes: refused with its errors, or saved with the category."""
        if errors:
            return False, self.echo(element, errors)
        self.save(tenant, category, False)
        return True, dict(self.render_option(option), TrackingCategoryID=category["TrackingCategoryID"],
                          StatusAttributeString="OK")

    def in_use(self, tenant, category_id, option_id=None):
        """Whether any document line names the category (or the option)."""
        for entity in (self.books.invoices, self.books.creditnotes, self.books.purchaseorders):
            for doc in entity.records(tenant):
                for line in doc.get("LineItems", ()):
                    for t in line.get("Tracking", ()):
                        if t.get("TrackingCategoryID") == category_id and (
                                option_id is None or t.get("TrackingOptionID") == option_id):
                            return True
        return False

    def delete(self, tenant, category_id, option_id=None):
        """-> (ok, rendered) for DELETE; a category or option in use is refused (archive it)."""
        with self.store.transaction():
            category = dict(self.get(tenant, category_id))
            category["Options"] = [dict(o) for o in category.get("Options", ())]
            if self.in_use(tenant, category["TrackingCategoryID"], option_id):
                return False, TRACKING_IN_USE
            if option_id is None:
                category["Status"] = "DELETED"
                self.save(tenant, category, False)
                return True, dict(self.render(category), Options=[])
            option = self.option(category, option_id=option_id)
            option["Status"] = "DELETED"
            self.save(tenant, category, False)
            return True, self.render_option(option)

    # --- document lines ------------------------------------------------------------------------------
    def line_tracking(self, tenant, tracking, errors):
        """A line's ``Tracking`` -> the stored list (TrackingCategoryID, Name, Option,
        TrackingOptionID), or report Xero's message. None when the line has no Tracking."""
        if tracking is None:
            return None
        if not isinstance(tracking, list):
            errors.add(TRACKING_NOT_A_LIST)
            return None
        if len(tracking) > MAX_ACTIVE:
            errors.add(TRACKING_TOO_MANY)
            return None
        out, seen = [], set()
        for ref in tracking:
            if not isinstance(ref, dict):
                errors.add(TRACKING_NOT_A_LIST)
                continue
            category = (self.get(tenant, ref.get("TrackingCategoryID")) if ref.get("TrackingCategoryID")
                        else self.by_name(tenant, ref.get("Name")) if ref.get("Name") else None)
            if category is None or category["Status"] != "ACTIVE":
                errors.add(TRACKING_CATEGORY_INVALID)
                continue
            option = self.option(category, option_id=ref.get("TrackingOptionID"), name=ref.get("Option"))
            if option is None or option["Status"] != "ACTIVE":
                errors.add(TRACKING_OPTION_INVALID.format(
                    option=ref.get("Option") or ref.get("TrackingOptionID") or "", name=category["Name"]))
                continue
            if category["TrackingCategoryID"] in seen:
                errors.add(TRACKING_CATEGORY_TWICE.format(name=category["Name"]))
                continue
            seen.add(category["TrackingCategoryID"])
            out.append({"TrackingCategoryID": category["TrackingCategoryID"], "Name": category["Name"],
                        "Option": option["Name"], "TrackingOptionID": option["TrackingOptionID"]})
        return out
