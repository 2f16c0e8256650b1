# Mixins first (the models below inherit them); then one module per model, alphabetically.
from . import ledger_tenant_dashboard
from . import ledger_connection
from . import ledger_request_log
from . import ledger_tenant
from . import res_company
from . import res_config_settings
