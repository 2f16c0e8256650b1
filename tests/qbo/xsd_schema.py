"""JSON Schemas for QuickBooks Online's JSON, converted from Intuit's own XSDs (../shared/intuit-qbo-xsd).

QBO has no OpenAPI file; its nearest official contract is the XSD set of Intuit's Java SDK, whose
JAXB classes Jackson serialises into the JSON the API answers. This module turns a global element of
those XSDs into a JSON Schema (Draft 2020-12) following that serialisation:

- element names are keys; an element with maxOccurs > 1 (or "unbounded") is a JSON array even with
  one item ("Line": [...], "CustomField": [...], "LinkedTxn": [...]);
- XML attributes are plain keys beside the elements ("domain", "sparse", "status" of IntuitEntity;
  "code"/"element" of Error; "type" of Fault; "time" of IntuitResponse; "bId"; "startPosition");
- simpleContent text is the key "value": ReferenceType is {"value": "1", "name": "Amy's"};
- complexContent/extension flattens the base's content first (Invoice = IntuitEntity + Transaction +
  SalesTransaction + its own), so "additionalProperties": false catches any misnamed key;
- an element ref to the abstract IntuitObject stands for each member of its substitution group, keyed
  by the member's name ({"Invoice": {...}}, QueryResponse {"Invoice": [...]});
- xs:choice with maxOccurs 1: the branches exclude each other (keyword CHOICE below, checked by
  `Validator`); one branch is required when the choice is and none of its branches may be empty;
- xs:any (IntuitAnyType, e.g. Payment Line "LineEx": {"any": [<JAXBElement dumps>]}) leaves that
  object open (additionalProperties true): Jackson prints JAXB's raw elements there;
- types: string-like -> string, boolean, decimal/double/float -> number, int-like -> integer (with
  the sign bounds of positiveInteger & co.), date -> "YYYY-MM-DD", dateTime -> ISO 8601 with an
  optional fraction and zone ("2015-07-28T13:42:31.402-07:00"), enumerations -> enum.

Sources for the JSON forms: Intuit's error payload ("Fault": {"Error": [{"Message", "Detail", "code",
"element"}], "type": "ValidationFault"}, "time") on developer.intuit.com "Handling common errors";
entity samples with "domain"/"sparse" attributes and {"value", "name"} references in Intuit's API
explorer responses (see the test file for each sample's address); ../shared/qbo-facts.md.

Leniency, each on evidence that QBO itself sends it:
- CustomField's value choice (StringValue | BooleanValue | DateValue | NumberValue) is required by
  the XSD, but QBO sends custom fields without a value ({"DefinitionId": "1", "Name": "Crew #",
  "Type": "StringType"} in real sandbox invoices): it is optional here.

Known gaps: XSD enumerations are enforced as written (a value a newer API adds before the SDK's XSD
does would fail loudly: then refresh the XSD copy, do not loosen the enum). Only QBO-shaped bodies are
covered: a 401 from Intuit's gateway (reported with lower-case "fault"/"error" keys, unconfirmed) and
the XML ThrottleExceeded 429 are not IntuitResponse JSON. Report is converted as its XSD says; its
JSON form was not compared with a real report. Restrictions of complexContent are taken as restating
their content (none occur). No xs:list/xs:union/facets other than enumeration appear in these XSDs;
one would raise NotImplementedError rather than be skipped silently. Requests convert too
(validate("IntuitBatchRequest", body)), but QBO's JSON request rules (sparse updates, minimal bodies)
are looser than any XSD cardinality and were not tested.

API: schema_for(element) -> dict; validate(element, instance); errors(element, instance) -> [(path,
message)]; validate_response(body) -> the body's key; SchemaMismatch (an AssertionError, .errors);
global_elements(); xsd_dir() (skips the calling test when the XSDs are not found: tests/shared_docs.py).
"""

import functools
import glob
import os
import xml.etree.ElementTree as ET

import jsonschema

from .. import shared_docs

XS = "{http://www.w3.org/2001/XMLSchema}"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
UNBOUNDED = 10**9

# QBO sends these types' required choice empty (module docstring): the choice is optional here.
OPTIONAL_CHOICE_TYPES = frozenset({"CustomField"})

# A keyword of our own for "an xs:choice (maxOccurs 1) has at most one branch": its value lists the
# object's choices, each as the list of its branches' keys. Plain JSON Schema can say it only with a
# clause per pair of branches (IntuitResponse's choice has ~70, the IntuitObject group): far bigger
# schemas and slower validators for the same rule.
CHOICE = "x-xsdChoice"

# Keys of an IntuitResponse that are not its body (its attributes and Warnings).
ENVELOPE_KEYS = frozenset({"time", "requestId", "status", "Warnings"})

DATE = r"^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$"
DATETIME = r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"
TIME = r"^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"

_STRINGS = {
    "string", "normalizedString", "token", "anyURI", "base64Binary", "hexBinary", "QName", "ID", "IDREF",
    "NMTOKEN", "language", "Name", "NCName", "duration", "gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay",
}
_INTEGERS = {
    "int": {}, "integer": {}, "long": {}, "short": {}, "byte": {},
    "positiveInteger": {"minimum": 1}, "nonNegativeInteger": {"minimum": 0},
    "negativeInteger": {"maximum": -1}, "nonPositiveInteger": {"maximum": 0},
    "unsignedInt": {"minimum": 0}, "unsignedLong": {"minimum": 0}, "unsignedShort": {"minimum": 0},
    "unsignedByte": {"minimum": 0},
}


def xsd_dir():
    """../shared/intuit-qbo-xsd (or $PSA_SHARED_DIR/intuit-qbo-xsd); the calling test is skipped without it."""
    return shared_docs.folder("intuit-qbo-xsd")


def _local(qname):
    return qname.split(":", 1)[-1]


def _is_xs(qname):
    return qname.startswith("xs:") or qname.startswith("xsd:")


def _occurs(node):
    lo = int(node.get("minOccurs", "1"))
    hi = node.get("maxOccurs", "1")
    return lo, UNBOUNDED if hi == "unbounded" else int(hi)


def _children(node):
    return [c for c in node if c.tag not in (XS + "annotation", XS + "appinfo") and isinstance(c.tag, str)]


class Registry:
    """Every top-level definition of every XSD in the folder, by local name (all share one namespace)."""

    KINDS = {"complexType": "complex", "simpleType": "simple", "element": "elements", "group": "groups",
             "attributeGroup": "attribute_groups", "attribute": "attributes"}

    def __init__(self, folder):
        self.folder = folder
        self.complex, self.simple, self.elements = {}, {}, {}
        self.groups, self.attribute_groups, self.attributes = {}, {}, {}
        self.members = {}  # substitution group head -> member element names, in document order
        for path in sorted(glob.glob(os.path.join(folder, "*.xsd"))):
            for node in _children(ET.parse(path).getroot()):
                kind = self.KINDS.get(node.tag[len(XS):])
                if kind is None:
                    continue  # xs:include / xs:import: every file is read anyway
                table = getattr(self, kind)
                name = node.get("name")
                if name in table:
                    raise ValueError("%s %s defined twice (%s)" % (kind, name, path))
                table[name] = node
                if kind == "elements" and node.get("substitutionGroup"):
                    self.members.setdefault(_local(node.get("substitutionGroup")), []).append(name)

    def substitutes(self, name):
        """The element names an element ref to `name` may appear as (itself unless abstract, and its group)."""
        names = [] if self.elements[name].get("abstract") == "true" else [name]
        for member in self.members.get(name, []):
            names += self.substitutes(member)
        return names


class _Object:
    """An object schema under construction: XSD content flattened into properties."""

    def __init__(self):
        self.props = {}
        self.required = []
        self.choices = []
        self.all_of = []
        self.open = False

    def add(self, name, schema, required):
        old = self.props.get(name)
        if old is not None and old != schema:
            schema = {"anyOf": [old, schema]}
        self.props[name] = schema
        if required and name not in self.required:
            self.required.append(name)

    def schema(self):
        out = {"type": "object", "properties": self.props, "additionalProperties": self.open}
        if self.required:
            out["required"] = self.required
        if self.choices:
            out[CHOICE] = self.choices
        if self.all_of:
            out["allOf"] = self.all_of
        return out


class Converter:
    """Builds JSON Schemas with one $defs entry per named XSD type (recursion goes through $ref)."""

    def __init__(self, registry):
        self.reg = registry
        self.defs = {}

    # -- types ---------------------------------------------------------------------------------------------
    def type_ref(self, qname):
        local = _local(qname)
        if _is_xs(qname):
            return self.builtin(local)
        for kind, table, build in (("ct", self.reg.complex, self.complex_type),
                                   ("st", self.reg.simple, self.simple_type)):
            if local in table:
                key = "%s.%s" % (kind, local)
                if key not in self.defs:
                    self.defs[key] = {}  # placeholder while a recursive type refers to itself
                    self.defs[key] = build(table[local])
                return {"$ref": "#/$defs/" + key}
        raise KeyError("type %s is not defined in the XSDs" % qname)

    @staticmethod
    def builtin(local):
        if local in _STRINGS:
            return {"type": "string"}
        if local in _INTEGERS:
            return dict({"type": "integer"}, **_INTEGERS[local])
        if local in ("decimal", "double", "float"):
            return {"type": "number"}
        if local == "boolean":
            return {"type": "boolean"}
        patterns = {"date": DATE, "dateTime": DATETIME, "time": TIME}
        if local in patterns:
            return {"type": "string", "pattern": patterns[local]}
        if local in ("anyType", "anySimpleType"):
            return {}
        raise NotImplementedError("XSD built-in type xs:%s" % local)

    def element_type(self, el):
        if el.get("type"):
            return self.type_ref(el.get("type"))
        for child in _children(el):
            if child.tag == XS + "complexType":
                return self.complex_type(child)
            if child.tag == XS + "simpleType":
                return self.simple_type(child)
        return {}  # no type: xs:anyType

    def simple_type(self, st):
        (node,) = _children(st)
        if node.tag != XS + "restriction":
            raise NotImplementedError("simpleType with %s" % node.tag)
        if node.get("base"):
            base = self.type_ref(node.get("base"))
        else:
            base = self.simple_type(next(c for c in _children(node) if c.tag == XS + "simpleType"))
        facets = [c for c in _children(node) if c.tag != XS + "simpleType"]
        unknown = {c.tag for c in facets} - {XS + "enumeration"}
        if unknown:
            raise NotImplementedError("facets %s" % sorted(unknown))
        if not facets:
            return base
        values = [c.get("value") for c in facets]
        numeric = base.get("type") in ("number", "integer")
        schema = dict(base) if "$ref" not in base else {"allOf": [base]}
        schema["enum"] = [float(v) if numeric else v for v in values]
        return schema

    # -- complex content -----------------------------------------------------------------------------------
    def complex_type(self, ct):
        obj = _Object()
        self.fill(ct, obj, ct.get("name"))
        return obj.schema()

    def fill(self, node, obj, type_name):
        """Adds the content and attributes of a complexType (or of its extension) to obj."""
        for child in _children(node):
            tag = child.tag[len(XS):]
            if tag in ("sequence", "choice", "all", "group"):
                self.particle(child, obj, False, False, type_name)
            elif tag in ("attribute", "attributeGroup", "anyAttribute"):
                self.attribute(child, obj)
            elif tag == "complexContent":
                self.derived(_children(child)[0], obj, type_name)
            elif tag == "simpleContent":
                self.simple_content(_children(child)[0], obj)
            else:
                raise NotImplementedError("complexType child xs:%s" % tag)

    def derived(self, ext, obj, type_name):
        base = ext.get("base")
        if ext.tag == XS + "extension" and not _is_xs(base):
            self.fill(self.reg.complex[_local(base)], obj, _local(base))  # the base's content comes first
        elif ext.tag != XS + "restriction" and _local(base) != "anyType":
            raise NotImplementedError("complexContent %s of %s" % (ext.tag, base))
        self.fill(ext, obj, type_name)  # a restriction restates all the content it keeps

    def simple_content(self, ext, obj):
        base = ext.get("base")
        if not _is_xs(base) and _local(base) in self.reg.complex:
            self.fill(self.reg.complex[_local(base)], obj, _local(base))
        else:
            # The text of the element: Jackson prints JAXB's @XmlValue as "value" ({"value": "1", "name": ...}).
            obj.add("value", self.type_ref(base), True)
        for child in _children(ext):
            self.attribute(child, obj)

    def attribute(self, node, obj):
        if node.tag == XS + "anyAttribute":
            obj.open = True
        elif node.tag == XS + "attributeGroup":
            for child in _children(self.reg.attribute_groups[_local(node.get("ref"))]):
                self.attribute(child, obj)
        elif node.get("ref"):
            target = self.reg.attributes[_local(node.get("ref"))]
            obj.add(target.get("name"), self.element_type(target), node.get("use") == "required")
        else:
            obj.add(node.get("name"), self.element_type(node), node.get("use") == "required")

    def particle(self, node, obj, optional, many, type_name):
        """Adds an element/sequence/choice/group/any particle: optional and many come from its ancestors."""
        lo, hi = _occurs(node)
        optional, many = optional or lo == 0, many or hi > 1
        tag = node.tag[len(XS):]
        if tag == "element" and node.get("ref"):
            names = self.reg.substitutes(_local(node.get("ref")))
            target = {n: self.reg.elements[n] for n in names}
            self.choice([[(n, el)] for n, el in target.items()], obj, optional, many, hi, type_name)
        elif tag == "element":
            self.element(node.get("name"), node, obj, optional, many, lo)
        elif tag in ("sequence", "all"):
            for child in _children(node):
                self.particle(child, obj, optional, many, type_name)
        elif tag == "group":
            for child in _children(self.reg.groups[_local(node.get("ref"))]):
                self.particle(child, obj, optional, many, type_name)
        elif tag == "choice":
            self.choice([[(None, child)] for child in _children(node)], obj, optional, many, hi, type_name)
        elif tag == "any":
            obj.open = True  # lax wildcard: Jackson prints JAXB's raw elements as a list named "any"
        else:
            raise NotImplementedError("particle xs:%s" % tag)

    def element(self, name, el, obj, optional, many, lo):
        schema = self.element_type(el)
        if el.get("nillable") == "true":
            schema = {"anyOf": [schema, {"type": "null"}]}
        if many:
            schema = {"type": "array", "items": schema}
            if not optional and lo > 1:
                schema["minItems"] = lo
        obj.add(name, schema, not optional)

    def choice(self, branches, obj, optional, many, hi, type_name):
        """Each branch's keys are optional; with maxOccurs 1 a present branch excludes the others; when the
        choice is required and no branch may be empty, one branch's required keys must be present."""
        keys, musts = [], []
        for branch in branches:
            scratch = _Object()
            for name, node in branch:
                if name is None:
                    self.particle(node, scratch, False, many, type_name)
                else:  # a substitution group member standing for an element ref: that ref's occurrences
                    self.element(name, node, scratch, False, many, 1)
            for key, schema in scratch.props.items():
                obj.add(key, schema, False)
            obj.choices += scratch.choices
            taken = {"anyOf": [{"required": [key]} for key in scratch.props]}
            binding = [rule for rule in scratch.all_of if rule != taken]  # "one of its keys" is what taken means
            if binding:  # a branch's own required choices bind only when that branch is taken
                obj.all_of.append({"if": taken, "then": {"allOf": binding}})
            keys.append(list(scratch.props))
            musts.append(scratch.required)
        if hi == 1 and len(keys) > 1:
            obj.choices.append(keys)
        if not optional and all(musts) and type_name not in OPTIONAL_CHOICE_TYPES:
            obj.all_of.append({"anyOf": [{"required": must} for must in musts]})


@functools.cache
def _converter(folder):
    return Converter(Registry(folder))


def registry():
    return _converter(xsd_dir()).reg


def global_elements():
    """Names of every global element of the XSDs."""
    return sorted(registry().elements)


def _reachable(defs, root):
    seen, todo = {}, [root]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref and ref.startswith("#/$defs/"):
                key = ref[len("#/$defs/"):]
                if key not in seen:
                    seen[key] = defs[key]
                    todo.append(defs[key])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return seen


@functools.cache
def _schema_for(folder, element_name):
    conv = _converter(folder)
    el = conv.reg.elements.get(element_name)
    if el is None:
        raise KeyError("no global element %r in Intuit's XSDs" % element_name)
    root = conv.element_type(el)
    schema = {"$schema": DRAFT, "title": element_name}
    schema.update(root)
    schema["$defs"] = dict(sorted(_reachable(conv.defs, root).items()))
    return schema


def schema_for(element_name):
    """The JSON Schema (Draft 2020-12) of a global element of the XSDs (cached: do not mutate it)."""
    return _schema_for(xsd_dir(), element_name)


def _choice_keyword(validator, choices, instance, schema):
    if not validator.is_type(instance, "object"):
        return
    for branches in choices:
        present = {key for keys in branches for key in keys if key in instance}
        if present and not any(present <= set(keys) for keys in branches):
            yield jsonschema.ValidationError(
                "only one branch of the XSD's choice may be present, found %s" % ", ".join(sorted(present)))


Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {CHOICE: _choice_keyword})


@functools.cache
def _validator(folder, element_name):
    return Validator(_schema_for(folder, element_name))


class SchemaMismatch(AssertionError):
    """A JSON document that does not match the XSDs; .errors lists (JSON path, message) pairs."""

    def __init__(self, element_name, errors):
        self.element_name = element_name
        self.errors = errors
        lines = ["%s: %s" % (path, message) for path, message in errors]
        super().__init__("%s does not match Intuit's XSD (%d errors):\n  %s" % (
            element_name, len(errors), "\n  ".join(lines)))


def _short(text, limit=240):
    return text if len(text) <= limit else text[:limit] + "…"


def _flatten(error):
    """The deepest errors of a failed anyOf/oneOf (their paths say where), else the error itself; a
    required choice that is missing is one error naming its branches."""
    if error.context and all(sub.validator == "required" for sub in error.context):
        missing = [name for sub in error.context for name in sub.validator_value if name not in error.instance]
        return [(error.json_path, "one of %s is required (an XSD choice)" % ", ".join(missing))]
    if error.context:
        out = []
        for sub in error.context:
            out += _flatten(sub)
        return out
    return [(error.json_path, _short(error.message))]


def errors(element_name, instance):
    """Every mismatch of instance with the element's schema, as sorted (JSON path, message) pairs."""
    found = []
    for error in _validator(xsd_dir(), element_name).iter_errors(instance):
        if error.validator in ("anyOf", "oneOf"):
            found += _flatten(error)
        else:
            found.append((error.json_path, _short(error.message)))
    return sorted(set(found))


def validate(element_name, instance):
    """Raises SchemaMismatch (an AssertionError naming each JSON path) when instance does not match."""
    found = errors(element_name, instance)
    if found:
        raise SchemaMismatch(element_name, found)


def validate_response(body):
    """Validates a QBO JSON answer as an IntuitResponse: the envelope ("time", "requestId", "status",
    "Warnings") and exactly one body (an entity, Fault, QueryResponse, BatchItemResponse, CDCResponse…),
    every entity inside checked against its own type. Returns the body's key."""
    if not isinstance(body, dict):
        raise SchemaMismatch("IntuitResponse", [("$", "a JSON object is expected, got %r" % type(body).__name__)])
    found = errors("IntuitResponse", body)
    keys = sorted(set(body) - ENVELOPE_KEYS)
    # The XSD's choice admits an empty Fault branch, hence no body; QBO always answers with one.
    if not keys:
        found.append(("$", "no body: an entity, Fault, QueryResponse, BatchItemResponse or CDCResponse is expected"))
    if found:
        raise SchemaMismatch("IntuitResponse", sorted(found))
    return keys[0]
