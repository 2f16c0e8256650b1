"""The vendors' spec folders for the tests (found by tools/shared_docs.py): a test that needs a
missing one is skipped with the reason (``./run test`` prints it: pytest -rs), or fails when
``PSA_SHARED_REQUIRED`` is set, as CI sets it: there a missing spec is never a silent skip."""

import pytest

from tools import shared_docs


def folder(name):
    """``<shared>/<name>`` ("xero-openapi", "intuit-qbo-xsd"), or the calling test (or module) skipped."""
    try:
        return shared_docs.folder(name)
    except shared_docs.Missing as exc:
        if shared_docs.required():
            pytest.fail("%s (%s is set)" % (exc, shared_docs.REQUIRED_ENV), pytrace=False)
        pytest.skip(str(exc), allow_module_level=True)
