"""The architecture block of docs/architecture.md is the tree as it is (tools/architecture.py makes it)."""

from tools import architecture


def test_docs_architecture_block_matches_the_tree():
    with open(architecture.DOC, encoding="utf-8") as fh:
        block = architecture.doc_block(fh.read())
    assert block is not None, "docs/architecture.md lost its architecture markers"
    assert block == architecture.render(), "stale: python3 tools/architecture.py --write"


def test_every_addon_module_is_listed_with_its_docstring():
    block = architecture.render()
    for path in ("models/ledger_link.py", "models/account_tax.py", "xero/to_xero.py", "xero/from_xero.py",
                 "wizard/ledger_import_line.py"):
        assert "  %s " % path in block
    assert "Xero's side of the links (ledger.link, the core's external IDs)" in block
