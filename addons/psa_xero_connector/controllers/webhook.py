"""Xero's webhook: one URL for the whole Odoo instance (events carry their tenantId).

Xero waits 5 seconds for a 200 with an empty body and no cookies, and sends its
intent-to-receive check (well and badly signed empty deliveries) before enabling the webhook:
the signature is checked on the raw body before anything is read, the events are stored,
and the answer goes back at once — the documents are fetched from Xero afterwards, by the
worker the stored events trigger. Nothing a caller sends can make this answer 500.

Abuse stays cheap: a body announced (or streamed) over ``webhook.MAX_BODY`` is refused 413
without being read, an unsigned one is refused after reading its first 2 kB only, and refused
deliveries are counted in one request-log row per source, kind and minute (see
``ledger.request.log._log_delivery``), not stored one by one.
"""

import logging

from werkzeug.exceptions import HTTPException

from odoo import http
from odoo.http import request

from .. import const
from ..xero import webhook

_logger = logging.getLogger(__name__)


def _read_at_most(stream, size):
    """Up to ``size`` bytes of the body, never more (a chunked body has no length to check)."""
    chunks, read = [], 0
    while read < size:
        chunk = stream.read(min(65536, size - read))
        if not chunk:
            break
        chunks.append(chunk)
        read += len(chunk)
    return b"".join(chunks)


def _stream(httprequest):
    """werkzeug's guarded input stream (bounded by Content-Length, or by the route's
    max_content_length for a chunked body); Odoo's request wrapper does not expose it."""
    return getattr(httprequest, "_HTTPRequest__wrapped", httprequest).stream


class XeroWebhookController(http.Controller):

    # max_content_length: werkzeug answers 413 to a body announced over it before Odoo parses
    # anything (form bodies are parsed before the route runs), and bounds a chunked one
    @http.route(const.WEBHOOK_ROUTE, type="http", auth="public", methods=["POST"], csrf=False, save_session=False,
                max_content_length=webhook.MAX_BODY)
    def xero_webhook(self, **_kwargs):
        httprequest = request.httprequest
        signature = httprequest.headers.get("x-xero-signature")
        problem, raw = None, b""
        if (httprequest.content_length or 0) > webhook.MAX_BODY:
            problem = "too_large"  # (werkzeug already refuses it) on its announced length, not a byte read
        else:
            # an unsigned delivery is refused whatever its body: its first 2 kB are enough for the log
            size = webhook.MAX_BODY + 1 if signature else const.MAX_LOGGED_REFUSED
            try:
                raw = _read_at_most(_stream(httprequest), size)
            except HTTPException as exc:  # over the limit while streaming (413), or the client went away
                problem = "too_large" if exc.code == 413 else "truncated"
            except Exception:  # noqa: BLE001 - a broken body is the caller's problem: never a 500
                problem = "truncated"
            if signature and len(raw) > webhook.MAX_BODY:
                problem, raw = "too_large", raw[:const.MAX_LOGGED_REFUSED]
        try:
            status = request.env["ledger.event"].sudo()._receive(
                raw, signature, dict(httprequest.headers), source=httprequest.remote_addr, problem=problem)
        except Exception:  # noqa: BLE001 - Xero gets a retryable answer, the log gets the trace
            _logger.exception("Xero webhook delivery could not be stored")
            request.env.cr.rollback()
            status = 503
        return request.make_response(b"", status=status)
