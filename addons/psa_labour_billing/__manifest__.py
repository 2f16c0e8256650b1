{
    "name": "PSA Labour Billing",
    "version": "18.0.1.0.0",
    "summary": "Bill technicians' time by charge type: minimum charge, increments, "
    "one invoice line per charge type listing the work",
    "category": "Sales/Sales",
    "author": "PSA Ledger Connectors",
    "website": "https://github.com/psa-ledger/psa-ledger-connectors",
    "license": "LGPL-3",
    # Community only: sale_timesheet moves time to invoices; nothing Enterprise (timesheet_grid,
    # helpdesk, sale_subscription) — tests/test_manifest.py checks it.
    "depends": ["sale_timesheet"],
    "data": [
        "security/ir.model.access.csv",
        "security/security.xml",
        "views/product_template_views.xml",
        "views/project_project_views.xml",
        "views/project_task_views.xml",
        "views/account_analytic_line_views.xml",
        "views/res_config_settings_views.xml",
        "report/labour_unbilled_report_views.xml",
        "wizard/labour_invoice_wizard_views.xml",
        "views/menus.xml",
    ],
    "post_init_hook": "post_init_hook",
}
