from . import ledger_core  # the ledger-neutral models (staging for psa_ledger), before models
from . import controllers, models, wizard
