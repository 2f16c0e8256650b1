"""Import from Xero: the core's import screen (ledger.import.wizard) runs Xero's importer
(xero.importer) for a Xero organisation, with the words Xero users know."""

from odoo import models

from ..dispatch import is_xero


class LedgerImportWizard(models.TransientModel):
    _inherit = "ledger.import.wizard"
    _description = "Import from Xero"

    def _ledger_import(self, what):
        if not is_xero(self.tenant_id):
            return super()._ledger_import(what)
        return self.env["xero.importer"]._import(self.tenant_id, what)

    def _ledger_stopped(self, error):
        if not is_xero(self.tenant_id):
            return super()._ledger_stopped(error)
        return self.env._("Xero stopped the import: %s", error)

    def _ledger_title(self):
        if not is_xero(self.tenant_id):
            return super()._ledger_title()
        return self.env._("Import from Xero")
