"""Xero's side of the request log (the core's ``ledger.request.log`` keeps the rows, the
retention and Retry): which rows are Accounting API calls, how one is sent again, the webhook
route and the bound on refused sources."""

import json
from urllib.parse import parse_qsl

from odoo import api, fields, models

from .. import const
from ..xero import webhook


class LedgerRequestLog(models.Model):
    _inherit = "ledger.request.log"
    _description = "Xero request log"

    direction = fields.Selection([("outbound", "Odoo → Xero"), ("inbound", "Xero → Odoo")])
    entity = fields.Char(help="The Xero collection or event category concerned")
    remote_messages = fields.Text(string="Xero's messages", help="ValidationErrors[].Message, one per line")

    def _xero_api_url(self):
        return self.env["ledger.tenant"]._xero_settings()["api_url"].rstrip("/")

    def _ledger_is_api_call(self):
        if self.tenant_id.code != "xero":
            return super()._ledger_is_api_call()
        return self.url.startswith(self._xero_api_url())

    def _ledger_retry_request(self, context):
        if self.tenant_id.code != "xero":
            return super()._ledger_retry_request(context)
        path = self.url[len(self._xero_api_url()):].lstrip("/")
        path, _sep, query = path.partition("?")
        params = dict(parse_qsl(query)) or None
        body = json.loads(self.request_body) if self.request_body and self.method != "GET" else None
        return self.tenant_id._call(self.method, path, body=body, params=params,
                                    idempotency_key=self.idempotency_key, operation=self.operation, context=context)

    def _ledger_record_target(self, record, tenant):
        if tenant.code != "xero":
            return super()._ledger_record_target(record, tenant)
        why = record._xero_resync_skip() if hasattr(record, "_xero_resync_skip") else None
        if why:
            return why, None
        return None, next((entity for target, entity in record._xero_targets() if target == tenant), None)

    @api.model
    def _ledger_refused_source(self, minute, kind, source):
        return webhook.refused_source(minute, kind, source, const.MAX_REFUSED_SOURCES_PER_MINUTE)

    @api.model
    def _log_delivery(self, entry, status, *args, **kwargs):
        # Xero's deliveries come to its webhook route
        return super()._log_delivery(dict(entry, url=entry.get("url") or const.WEBHOOK_ROUTE), status, *args, **kwargs)


def _entity_of(url):
    """"https://…/api.xro/2.0/Invoices/abc?x" -> "Invoices"; identity URLs -> "identity"."""
    if not url:
        return False
    if "/api.xro/2.0/" in url:
        return url.split("/api.xro/2.0/", 1)[1].split("/")[0].split("?")[0]
    return "identity"
