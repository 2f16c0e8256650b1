from . import ledger_core
from . import controllers, models, wizard
