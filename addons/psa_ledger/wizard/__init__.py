from . import ledger_import_line
from . import ledger_import_wizard
