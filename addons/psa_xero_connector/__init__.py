from . import controllers, ledger_core, models, wizard
