{
    "name": "PSA Xero Connector: every company connected (test bed)",
    "version": "18.0.1.0.0",
    "summary": "Test bed for running Odoo's own accounting tests with the connector active",
    "description": """
Only for `./run test --part odoo-own`, never for production. Every company, existing or
created later (Odoo's accounting tests create their own), gets a connected Xero organisation
with every switch on, so Odoo's own flows run through the connector's overrides.
""",
    "category": "Hidden",
    "author": "PSA Ledger Connectors",
    "license": "LGPL-3",
    "depends": ["psa_xero_connector"],
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": False,
}
