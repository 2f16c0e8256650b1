{
    "name": "PSA Labour Billing – Helpdesk Tickets",
    "version": "18.0.1.0.0",
    "summary": "Time on OCA helpdesk tickets billed by charge type; ticket number and title on the invoice line",
    "category": "Hidden",
    "author": "PSA Ledger Connectors",
    "website": "https://github.com/psa-ledger/psa-ledger-connectors",
    "license": "LGPL-3",
    # OCA's helpdesk_mgmt_timesheet (Community, from PyPI: odoo-addon-helpdesk_mgmt_timesheet);
    # installs itself when labour billing and OCA's ticket time are both present.
    "depends": ["psa_labour_billing", "helpdesk_mgmt_timesheet"],
    "data": [
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_team_views.xml",
    ],
    "assets": {
        # the README's demo walk, labour billing's steps (tests/repo/test_demo_command.py)
        "web.assets_tests": ["psa_labour_billing_helpdesk/static/tests/tours/*.js"],
    },
    "auto_install": True,
}
