from . import ledger_queue
from . import ledger_outbox
from . import ledger_outbox_batch
