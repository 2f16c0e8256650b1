{
    "name": "PSA Ledger Sync",
    "version": "18.0.1.0.0",
    "summary": "Ledger-neutral core: outbox, queue, links, request log, events, drift report; ledgers plug in",
    "category": "Accounting/Accounting",
    "author": "PSA Ledger Connectors",
    "website": "https://github.com/psa-ledger/psa-ledger-connectors",
    "license": "LGPL-3",
    "depends": ["account", "purchase", "mail"],
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
    ],
    # A database made before the core existed keeps every row: see hooks.py.
    "pre_init_hook": "pre_init_hook",
}
