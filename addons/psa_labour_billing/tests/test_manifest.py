"""No Enterprise module, ever: every module these depend on, directly or not, is Community."""

import ast
import os

import odoo.modules.module as module_lib

# Odoo Enterprise's modules an MSP might reach for (../shared/labour-billing.md)
ENTERPRISE = {"helpdesk", "helpdesk_timesheet", "timesheet_grid", "timer", "sale_timesheet_enterprise",
              "sale_subscription", "industry_fsm", "planning", "web_enterprise", "account_accountant"}
OURS = ("psa_labour_billing", "psa_labour_billing_helpdesk")
HERE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _manifest(name):
    path = module_lib.get_module_path(name, display_warning=False)
    if not path:
        return None
    with open(os.path.join(path, "__manifest__.py")) as fh:
        return ast.literal_eval(fh.read())


def test_no_enterprise_dependency():
    seen = {}
    todo = [name for name in OURS if os.path.isdir(os.path.join(HERE, name))]
    assert "psa_labour_billing" in todo
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        manifest = _manifest(name)
        assert manifest is not None, "%s: not found on the addons path" % name
        seen[name] = manifest
        assert name not in ENTERPRISE, "%s is an Enterprise module" % name
        # Enterprise modules carry the OEEL licence; Community ones LGPL/AGPL
        assert not manifest.get("license", "LGPL-3").startswith("OEEL"), name
        todo.extend(manifest.get("depends", []))
    assert "sale_timesheet" in seen
