from . import (xero_sync_mixin, account_mapping, xero_document, account_move, product, purchase_order, res_company, res_config_settings, res_partner, xero_catalog,
               xero_connection, xero_importer, xero_link, xero_outbox, xero_request_log, xero_tenant)
