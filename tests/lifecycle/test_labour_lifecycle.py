"""Labour billing on a fresh database through Odoo's command line: alone it names no ledger and
brings no helpdesk (its glue modules stay uninstalled); OCA's ticket time installed next to it
brings the helpdesk glue by itself (auto_install); time logged before the module keeps its hours."""

from .test_addon_lifecycle import make_db, odoo  # noqa: F401 - pytest fixtures

GLUES = ("psa_labour_billing_helpdesk", "psa_labour_billing_xero")


def states(db, names):
    rows = db.sql("SELECT name || '=' || state FROM ir_module_module WHERE name IN (%s) ORDER BY name"
                  % ", ".join("'%s'" % n for n in names))
    return dict(row.split("=") for row in rows.splitlines())


def test_glue_absent_without_helpdesk_then_auto_installed(make_db):  # noqa: F811
    db = make_db(demo=False)
    db.odoo_run("-i", "hr_timesheet", "--stop-after-init", "--no-http", "--without-demo=all")
    # time logged before labour billing: its billable hours are the hours logged (post_init_hook)
    db.shell("project = env['project.project'].create({'name': 'Before', 'allow_timesheets': True})\n"
             "employee = env['hr.employee'].create({'name': 'Early Bird'})\n"
             "env['account.analytic.line'].create({'name': 'old', 'unit_amount': 0.1, 'project_id': project.id,"
             " 'employee_id': employee.id})\n"
             "env.cr.commit()\n")
    db.odoo_run("-i", "psa_labour_billing", "--stop-after-init", "--no-http", "--without-demo=all")
    assert states(db, ("psa_labour_billing",) + GLUES + ("helpdesk_mgmt", "psa_xero_connector")) == {
        "psa_labour_billing": "installed", "psa_labour_billing_helpdesk": "uninstalled",
        "psa_labour_billing_xero": "uninstalled", "helpdesk_mgmt": "uninstalled",
        "psa_xero_connector": "uninstalled"}
    assert db.sql("SELECT billable_hours FROM account_analytic_line WHERE name = 'old'") == "0.1"
    db.odoo_run("-i", "helpdesk_mgmt_timesheet", "--stop-after-init", "--no-http", "--without-demo=all")
    assert states(db, ("psa_labour_billing_helpdesk", "helpdesk_mgmt")) == {
        "psa_labour_billing_helpdesk": "installed", "helpdesk_mgmt": "installed"}
