from . import (account_mapping, account_move, product, res_company, res_config_settings, res_partner, xero_catalog,
               xero_connection, xero_importer, xero_link, xero_outbox, xero_request_log, xero_tenant)
