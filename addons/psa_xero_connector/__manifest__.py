{
    "name": "PSA Xero Connector",
    "version": "18.0.1.0.0",
    "summary": "Keep an MSP's billing in Odoo and push it to Xero in real time",
    "description": """
Connects one Odoo instance to several Xero organisations (one per company): OAuth2 with
PKCE, token care under a row lock, a request log of everything sent to and received from
Xero with Retry, and multi-company isolation. See README.md in the repository.
""",
    "category": "Accounting/Accounting",
    "author": "psa-xero-connector",
    "website": "https://github.com/psa-xero-connector",
    "license": "LGPL-3",
    "depends": ["account", "purchase", "mail"],
    "external_dependencies": {"python": ["xero_python"]},
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/xero_request_log_views.xml",
        "views/xero_tenant_views.xml",
        "views/xero_connection_views.xml",
        "views/xero_mapping_views.xml",
        "views/xero_outbox_views.xml",
        "views/xero_event_views.xml",
        "views/xero_sync_views.xml",
        "views/xero_import_wizard_views.xml",
        "views/res_config_settings_views.xml",
        "views/oauth_templates.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "psa_xero_connector/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
