from . import (res_company, res_config_settings, xero_connection, xero_request_log, xero_tenant)
