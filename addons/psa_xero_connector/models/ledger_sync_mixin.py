"""Xero's side of the record status (ledger.sync.mixin, the core's): the Xero labels, the
document's own status in Xero (certification checkpoint 19), the deep link that opens the
record in Xero's web app, and the names the views and other files call."""

from odoo import fields, models

from ..dispatch import is_xero
from ..xero import deeplinks

STATES = [("none", "Not in Xero"), ("queued", "Queued"), ("done", "In Xero ✓"), ("error", "Error"),
          ("voided", "Voided in Xero")]
XERO_STATUSES = [("DRAFT", "Draft"), ("SUBMITTED", "Awaiting approval"), ("AUTHORISED", "Authorised"),
                 ("PAID", "Paid"), ("BILLED", "Billed"), ("VOIDED", "Voided"), ("DELETED", "Deleted")]


class LedgerSyncMixin(models.AbstractModel):
    _inherit = "ledger.sync.mixin"

    ledger_sync_state = fields.Selection(STATES, string="Xero")
    ledger_sync_message = fields.Text(string="Xero message")
    ledger_synced_at = fields.Datetime(string="In Xero since",
                                       help="When Odoo's last change of this record reached Xero")
    ledger_url = fields.Char(string="Open in Xero",
                             help="The record in Xero's web app (the harness's page when the organisation is "
                                  "the harness's)")

    # Xero's certification checkpoint 19: the document's own status in Xero, beside the sync badge
    xero_status = fields.Selection(XERO_STATUSES, string="Status in Xero", compute="_compute_ledger_sync_state",
                                   help="The status Xero last reported for this document")

    # the Xero type of the record for its deep link (see xero/deeplinks.py); documents say per record
    _xero_link_kind = None

    def _xero_kind(self):
        return self._xero_link_kind

    def _ledger_link_urls(self, links):
        urls = super()._ledger_link_urls(links)
        mine = links.filtered(lambda link: is_xero(link.tenant_id))
        if not mine:
            return urls
        api_url = self.env["ledger.tenant"]._xero_settings()["api_url"]
        records = {record.id: record for record in self.browse(mine.mapped("res_id"))}
        for link in mine:
            urls[link.id] = deeplinks.record_url(api_url, link.tenant_id.remote_id, link.tenant_id.xero_short_code,
                                                 records[link.res_id]._xero_kind(), link.remote_id)
        return urls

    def _ledger_status_computed(self, linked):
        result = super()._ledger_status_computed(linked)
        for record in self:
            links = linked.get(record.id)
            status = links[0].remote_status if links else False
            record.xero_status = status if status in dict(XERO_STATUSES) else False
        return result

    def _ledger_no_sync(self):
        return super()._ledger_no_sync() or bool(self.env.context.get("xero_no_sync"))

    def _ledger_inbound(self):
        return super()._ledger_inbound() or bool(self.env.context.get("xero_inbound"))

    def _ledger_resync_title(self):
        return self.env._("Re-sync to Xero")

    # the names the views, the request log and the outbox call
    def _xero_targets(self):
        return self._ledger_targets()

    def _xero_resync_skip(self):
        return self._ledger_resync_skip()

    def _xero_visible_links(self, domain):
        return self._ledger_visible_links(domain)

    def action_xero_resync(self):
        return self.action_ledger_resync()

    def action_xero_retry(self):
        return self.action_ledger_retry()
