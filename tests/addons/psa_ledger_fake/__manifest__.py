{
    "name": "PSA Ledger Sync: a fake ledger (tests only)",
    "version": "18.0.1.0.0",
    "summary": "A minimal ledger kept in this database, plugged into the core the way a real one is",
    "category": "Hidden/Tests",
    "author": "PSA Ledger Connectors",
    "website": "https://github.com/psa-ledger/psa-ledger-connectors",
    "license": "LGPL-3",
    "depends": ["psa_ledger"],
    "data": ["security/ir.model.access.csv"],
    "installable": True,
}
