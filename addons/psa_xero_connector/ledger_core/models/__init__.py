# Mixins first (the models below inherit them); then the organisation and what hangs off it.
from . import ledger_tenant_dashboard
from . import ledger_connection
from . import ledger_request_log
from . import ledger_tenant
from . import res_company
from . import res_config_settings
from . import ledger_drift
from . import ledger_event
from . import ledger_inbound
