"""The webhook path goes one way (issue #24): controller → event store → worker → inbound. The
core that applies a document's state (``ledger.inbound``) never calls the event queue back, and
neither it nor the queue keeps process-wide mutable state (the pace a claim is sized by belongs
to one worker run)."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "addons" / "psa_ledger" / "models"


def _models_called(path):
    """The ``self.env["…"]`` model names a file reaches."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) \
                and isinstance(node.value, ast.Attribute) and node.value.attr == "env":
            names.add(node.slice.value)
    return names


def _module_level_containers(path):
    """Names bound at module level to a dict, list or set (mutable state shared by a process)."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict | ast.List | ast.Set):
            found += [target.id for target in node.targets if isinstance(target, ast.Name)]
    return found


def test_the_inbound_core_never_calls_the_event_queue_back():
    called = _models_called(CORE / "ledger_inbound.py")
    assert "ledger.link" in called, "the walker finds the models the file reaches"
    assert "ledger.event" not in called
    assert "ledger.inbound" in _models_called(CORE / "ledger_event.py"), "the worker calls the inbound core"


def test_no_process_wide_mutable_state_on_the_path():
    for name in ("ledger_event.py", "ledger_inbound.py"):
        assert _module_level_containers(CORE / name) == [], name
