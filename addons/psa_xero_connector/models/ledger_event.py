"""Xero's part of the event intake (the core's ``ledger.event`` stores, deduplicates, claims and
retries): reading and checking Xero's signed webhook deliveries (``xero/webhook.py``), what
each kind of Xero event means, and which Xero documents an event asks to fetch.

Xero waits 5 seconds for the 200, retries what fails for 24 hours, and promises neither order
nor uniqueness: ``_receive`` only checks the signature, stores the events and triggers the
worker, which fetches the documents' current state from Xero through ``ledger.inbound``.
"""

import logging

from odoo import api, fields, models

from ..dispatch import is_xero
from ..xero import webhook

_logger = logging.getLogger(__name__)


class LedgerEvent(models.Model):
    _inherit = "ledger.event"
    # two workers: one organisation's events are applied by both at once, document by document
    _description = "Xero webhook event"

    remote_tenant_id = fields.Char(string="Xero tenant ID")
    category = fields.Selection(selection_add=[("INVOICE", "Invoice / bill"), ("CREDITNOTE", "Credit note"),
                                               ("CONTACT", "Contact"), ("SUBSCRIPTION", "Subscription")],
                                ondelete={"INVOICE": "cascade", "CREDITNOTE": "cascade", "CONTACT": "cascade",
                                          "SUBSCRIPTION": "cascade"})
    resource_id = fields.Char(string="Xero ID")
    event_date = fields.Char(help="As Xero sent it; with the tenant, category, type and ID it identifies the event")

    # --- receiving (the webhook controller, before the 200) --------------------------------------
    @api.model
    def _receive(self, raw, signature_header, request_headers=None, source=None, problem=None):
        """Check, store, log one delivery. -> HTTP status for Xero (200, 400, 401 or 413).
        Runs as superuser in the controller's request; nothing here calls Xero.

        ``problem`` is what the controller found while reading the body: "too_large" (refused
        unread) or "truncated". Refused deliveries, and replays that bring no new event, are
        counted in one log row per source, kind and minute (``_log_delivery(aggregate=…)``):
        a flood of them adds a bounded number of rows, the 2 kB of the first one kept."""
        log = self.env["ledger.request.log"].sudo()
        entry = {"raw": raw or b"", "headers": request_headers, "source": source}
        if problem == "too_large" or len(raw or b"") > webhook.MAX_BODY:
            log._log_delivery(dict(entry, raw=(raw or b"")[:2048]), 413, aggregate="too_large",
                              error=self.env._("The body is too large to be a Xero delivery (refused unread)."))
            return 413
        if problem:
            log._log_delivery(entry, 400, aggregate="truncated",
                              error=self.env._("The body ended before its announced length."))
            return 400
        key = self.env["ir.config_parameter"].sudo().get_param("psa_xero_connector.webhook_key") or ""
        if not webhook.signature_ok(key, raw, signature_header):
            kind, error = (
                ("no_key", self.env._("No webhook key is set in Settings → Xero: deliveries cannot be verified."))
                if not key
                else ("unsigned", self.env._("Unsigned delivery (no x-xero-signature header).")) if not signature_header
                else ("bad_signature", self.env._("Signature mismatch: not signed with this app's webhook key.")))
            log._log_delivery(entry, 401, error=error, aggregate=kind)
            return 401
        try:
            events, rejected = webhook.parse_delivery(raw)
        except webhook.DeliveryError as exc:
            log._log_delivery(entry, 400, error=str(exc), aggregate="malformed")
            return 400
        if not events and not rejected:
            log._log_delivery(entry, 200, outcome=self.env._("Intent to receive: signature verified."),
                              aggregate="intent")
            return 200
        tenants = self._tenants_by_remote_id({e["tenant_id"] for e in events})
        stored = self._store([self._xero_disposition(event, tenants) for event in events], tenants)
        outcome = self._outcome(events, stored, rejected)
        if not stored:
            # Xero's retry of a delivery it did not see acknowledged, or a replay: nothing new, yet
            # 200 (anything else and Xero retries for 24 h, then disables the webhook); counted
            log._log_delivery(entry, 200, error="\n".join(rejected) or None, outcome=outcome,
                              aggregate="no_new_event")
            return 200
        concerned = {tenants[e["tenant_id"]] for e in events if e["tenant_id"] in tenants}
        tenant_id, company_id = concerned.pop() if len(concerned) == 1 else (None, None)
        entry_log = log._log_delivery(entry, 200, error="\n".join(rejected) or None, outcome=outcome,
                                      tenant_id=tenant_id, company_id=company_id)
        self.env.cr.execute("UPDATE ledger_event SET delivery_log_ref = %s WHERE id = ANY(%s)",
                            [entry_log.id, [event_id for event_id, _state in stored]])
        if any(state == "pending" for _id, state in stored):
            self._trigger_worker()
        return 200

    def _xero_disposition(self, event, tenants):
        """A parsed Xero event with the state it is stored in: what Odoo does not follow is
        settled at once, with its reason."""
        _tenant_id, company_id = tenants.get(event["tenant_id"], (None, None))
        state = message = None
        if not company_id:
            state, message = "ignored", self.env._("No Odoo company syncs with this Xero organisation.")
        elif event["category"] == "CONTACT":
            state, message = "done", self.env._("Contact changed in Xero: logged only; Odoo stays the source of truth.")
        elif event["category"] == "SUBSCRIPTION":
            state, message = "ignored", self.env._("Subscription events concern the Xero app, not Odoo's data.")
        return dict(event, state=state, message=message) if state else event

    def _ledger_document_kinds(self, tenant):
        if not is_xero(tenant):
            return super()._ledger_document_kinds(tenant)
        return webhook.DOCUMENT_KIND
