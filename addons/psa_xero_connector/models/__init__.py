# The ledger-neutral models (staged for the core addon) first: the Xero ones extend them, and a
# controller may import this package before the addon imports ledger_core.
from .. import ledger_core  # noqa: F401

# Mixins first (the models below inherit them); then one module per model, alphabetically.
from . import ledger_queue
from . import ledger_sync_mixin
from . import xero_document
from . import ledger_tenant_dashboard
from . import account_account
from . import account_analytic_account
from . import account_analytic_plan
from . import account_move
from . import account_tax
from . import product_category
from . import product_template
from . import purchase_order
from . import res_company
from . import res_config_settings
from . import res_partner
from . import res_users
from . import ledger_account
from . import ledger_connection
from . import ledger_drift_line
from . import xero_importer
from . import ledger_item
from . import ledger_link
from . import ledger_outbox
from . import ledger_request_log
from . import ledger_tax_rate
from . import ledger_tenant
from . import ledger_tracking_category
from . import ledger_tracking_option
from . import xero_inbound
from . import ledger_event
from . import ledger_drift
