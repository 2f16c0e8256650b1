from . import psa_ledger_fake_record
from . import ledger_connection
from . import ledger_tenant
from . import ledger_outbox
from . import ledger_inbound
from . import ledger_event
from . import ledger_drift
