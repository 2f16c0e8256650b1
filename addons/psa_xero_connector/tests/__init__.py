from . import (test_access, test_connect_flow, test_fair_sending, test_import, test_payments, test_queue,
               test_request_log, test_security, test_sync, test_tokens, test_totals, test_ui_tour, test_webhook)
