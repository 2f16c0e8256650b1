{
    "name": "PSA Labour Billing – Xero",
    "version": "18.0.1.0.0",
    "summary": "Labour invoice lines in Xero: the charge type's item and account, hours to the hundredth",
    "category": "Hidden",
    "author": "PSA Ledger Connectors",
    "website": "https://github.com/psa-ledger/psa-ledger-connectors",
    "license": "LGPL-3",
    # Glue only: labour billing names no ledger, the connector knows no timesheets. Installs itself
    # when both are present; it holds the test that a labour invoice reaches Xero to the cent.
    "depends": ["psa_labour_billing", "psa_xero_connector"],
    "auto_install": True,
}
