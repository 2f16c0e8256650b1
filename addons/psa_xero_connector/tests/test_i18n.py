"""The committed translation template (i18n/psa_xero_connector.pot) holds every translatable
string of the addon, as Odoo's own exporter finds them on this database: Python ``_()`` and
``self.env._()``, field labels and help, selection values, views, menus, actions, constraint
messages. ``./run pot`` regenerates it."""

import ast
import io
import os

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

MODULE = "psa_xero_connector"
POT = os.path.join("i18n", MODULE + ".pot")
HINT = "run ./run pot and commit %s" % POT


def _python_literals(module_path):
    """Every literal passed to ``_()``, ``_lt()`` or ``<anything>.env._()`` in the addon's Python
    (tests aside), read with ``ast``: independent of the extractor Odoo uses."""
    found = {}
    for root, dirs, files in os.walk(module_path):
        dirs[:] = sorted(d for d in dirs if d not in ("tests", "__pycache__", "static"))
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8") as fh:
                tree = ast.parse(fh.read(), path)
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                func = node.func
                translating = (isinstance(func, ast.Name) and func.id in ("_", "_lt")) or (
                    isinstance(func, ast.Attribute) and func.attr == "_"
                    and isinstance(func.value, ast.Attribute) and func.value.attr == "env")
                first = node.args[0]
                if translating and isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.setdefault(first.value, "%s:%d" % (os.path.relpath(path, module_path), node.lineno))
    return found


@tagged("post_install", "-at_install")
class TestTranslationTemplate(TransactionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.module_path = get_module_path(MODULE)
        buffer = io.BytesIO()
        trans_export(None, [MODULE], buffer, "po", cls.env.cr)
        cls.exported = polib.pofile(buffer.getvalue().decode("utf-8"))
        cls.committed = polib.pofile(os.path.join(cls.module_path, POT))

    def test_template_holds_every_translatable_string(self):
        exported = {entry.msgid: entry.occurrences for entry in self.exported}
        committed = {entry.msgid for entry in self.committed}
        missing = sorted(set(exported) - committed)
        stale = sorted(committed - set(exported))
        report = []
        if missing:
            report.append("%d translatable string(s) missing from %s:" % (len(missing), POT))
            report += ["  %r  (%s)" % (msgid, ", ".join(":".join(filter(None, where)) for where in exported[msgid][:2]))
                       for msgid in missing]
        if stale:
            report.append("%d string(s) in %s that the addon no longer has:" % (len(stale), POT))
            report += ["  %r" % msgid for msgid in stale]
        if report:
            self.fail("\n".join(report + [HINT]))

    def test_exporter_finds_every_kind_of_string(self):
        """Odoo's exporter reads ``self.env._()`` as well as ``_()`` (Odoo 18), and the template
        covers Python, fields, help, selections and views — so the check above is not vacuous."""
        literals = _python_literals(self.module_path)
        self.assertTrue(literals, "no _() / self.env._() call found in the addon")
        exported = {entry.msgid for entry in self.exported}
        unseen = sorted((where, msgid) for msgid, where in literals.items() if msgid not in exported)
        if unseen:
            self.fail("strings marked for translation that Odoo's exporter does not see:\n%s"
                      % "\n".join("  %s  %r" % item for item in unseen))
        kinds = {occurrence.split(":")[0] if occurrence.startswith("code:") else occurrence.split(":", 2)[1]
                 for entry in self.committed for occurrence, _line in entry.occurrences}
        for kind in ("code", "ir.model.fields,field_description", "ir.model.fields,help",
                     "ir.model.fields.selection,name", "ir.ui.view,arch_db", "ir.ui.menu,name"):
            self.assertIn(kind, kinds, "%s has no string of kind %s (%s)" % (POT, kind, HINT))
