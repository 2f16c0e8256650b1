from . import ledger_inbound, ledger_event
