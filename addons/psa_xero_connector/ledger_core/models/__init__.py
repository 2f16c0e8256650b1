from . import ledger_drift, ledger_event, ledger_inbound
