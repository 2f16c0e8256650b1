"""Validate harness responses against Xero's own OpenAPI files (../shared/xero-openapi, see
tests/shared_docs.py: a test needing them is skipped when they are not found).

A response is checked against the schema the spec gives for the matching operation and
status (path templates matched case-insensitively), after turning OpenAPI 3.0's
``nullable`` into a JSON-Schema type union. Unknown operations or statuses fail loudly.
"""

import copy
import functools
import os
import re

import jsonschema
import yaml

from .. import shared_docs


def spec_dir():
    """../shared/xero-openapi (or $PSA_SHARED_DIR/xero-openapi); the calling test is skipped without it."""
    return shared_docs.folder("xero-openapi")


def _nullable(node):
    if isinstance(node, dict):
        node = {k: _nullable(v) for k, v in node.items()}
        if node.pop("nullable", False) and "type" in node:
            node["type"] = [node["type"], "null"]
        return node
    if isinstance(node, list):
        return [_nullable(v) for v in node]
    return node


@functools.cache
def load(name):
    with open(os.path.join(spec_dir(), name)) as fh:
        spec = yaml.safe_load(fh)
    return _nullable(spec)


class Spec:
    def __init__(self, name, prefix):
        self.spec = load(name)
        self.prefix = prefix
        self.routes = []
        for template, ops in self.spec["paths"].items():
            literal = re.escape(template).replace(r"\{", "{").replace(r"\}", "}")
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", literal) + "$"
            self.routes.append((template.count("{"), re.compile(pattern, re.I), template, ops))
        self.routes.sort(key=lambda r: r[0])  # literal segments win over parameters

    def schema(self, method, path, status):
        path = path.split("?")[0]
        if path.lower().startswith(self.prefix.lower()):
            path = path[len(self.prefix):]
        for _, regex, template, ops in self.routes:
            if regex.match(path) and method.lower() in ops:
                responses = ops[method.lower()]["responses"]
                resp = responses.get(str(status))
                if resp is None:
                    raise AssertionError("spec has no %s response for %s %s" % (status, method, template))
                if "$ref" in resp:
                    resp = self.spec["components"]["responses"][resp["$ref"].split("/")[-1]]
                content = resp.get("content")
                return None if content is None else content["application/json"]["schema"]
        raise AssertionError("no operation %s %s in the spec" % (method, path))

    def validate(self, method, path, status, body):
        schema = self.schema(method, path, status)
        if schema is None:
            assert body in (None, "", b""), "spec says no body for %s %s %s" % (method, path, status)
            return
        root = copy.copy(schema)
        root["components"] = self.spec["components"]
        jsonschema.Draft4Validator(root).validate(body)


ACCOUNTING = None
IDENTITY = None


def accounting():
    global ACCOUNTING
    ACCOUNTING = ACCOUNTING or Spec("xero_accounting.yaml", "/api.xro/2.0")
    return ACCOUNTING


def identity():
    global IDENTITY
    IDENTITY = IDENTITY or Spec("xero-identity.yaml", "")
    return IDENTITY
