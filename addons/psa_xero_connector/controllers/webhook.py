"""Xero's webhook: one URL for the whole Odoo instance (events carry their tenantId).

Xero waits 5 seconds for a 200 with an empty body and no cookies, and sends its
intent-to-receive check (well and badly signed empty deliveries) before enabling the webhook:
the signature is checked on the raw body before anything is read, the events are stored,
and the answer goes back at once — the documents are fetched from Xero afterwards, by the
worker the stored events trigger. Nothing a caller sends can make this answer 500.
"""

import logging

from odoo import http
from odoo.http import request

from .. import const

_logger = logging.getLogger(__name__)


class XeroWebhookController(http.Controller):

    @http.route(const.WEBHOOK_ROUTE, type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
    def xero_webhook(self, **_kwargs):
        raw = request.httprequest.get_data()
        headers = dict(request.httprequest.headers)
        try:
            status = request.env["xero.event"].sudo()._receive(
                raw, request.httprequest.headers.get("x-xero-signature"), headers)
        except Exception:  # noqa: BLE001 - Xero gets a retryable answer, the log gets the trace
            _logger.exception("Xero webhook delivery could not be stored")
            request.env.cr.rollback()
            status = 503
        return request.make_response(b"", status=status)
