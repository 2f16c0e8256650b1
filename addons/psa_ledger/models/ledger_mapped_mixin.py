"""Odoo taxes ↔ the ledger's tax types, Odoo accounts ↔ its accounts, analytic plans and accounts
↔ its tracking, for the company's organisation. Shown as editable columns on the mapping
screens; stored as ledger.link rows."""

from odoo import models
from odoo.exceptions import ValidationError

MAPPING_STATES = [("mapped", "Mapped"), ("unmapped", "Not mapped"), ("no_tenant", "No organisation")]


class LedgerMappedMixin(models.AbstractModel):
    _name = "ledger.mapped.mixin"
    _description = "Record mapped to a catalogue entry of its company's organisation"

    _ledger_catalog = None      # "ledger.tax.rate"
    _ledger_key = None          # field of the catalogue stored in link.remote_id
    _ledger_code_field = None   # field of the catalogue stored in link.remote_code

    def _ledger_tenant(self, record):
        company = record.company_id if "company_id" in record._fields else record.company_ids[:1]
        return (company & self.env.companies).ledger_tenant_id or self.env.company.ledger_tenant_id

    def _compute_ledger_entry(self):
        Link, Catalog = self.env["ledger.link"].sudo(), self.env[self._ledger_catalog].sudo()
        for record in self:
            tenant = self._ledger_tenant(record)
            link = tenant and Link.search([("tenant_id", "=", tenant.id), ("res_model", "=", self._name),
                                           ("res_id", "=", record.id)], limit=1)
            entry = link and Catalog.with_context(active_test=False).search(
                [("tenant_id", "=", tenant.id), (self._ledger_key, "=", link.remote_id)], limit=1)
            record.ledger_entry_id = entry or False
            record.ledger_mapping_state = "mapped" if entry else ("unmapped" if tenant else "no_tenant")

    def _inverse_ledger_entry(self):
        Link = self.env["ledger.link"]
        for record in self:
            tenant = self._ledger_tenant(record)
            if not tenant:
                continue
            link = Link.search([("tenant_id", "=", tenant.id), ("res_model", "=", self._name),
                                ("res_id", "=", record.id)], limit=1)
            entry = record.ledger_entry_id
            if not entry:
                link.unlink()
                continue
            # the links are written in the caller's env (ledger manager, own organisations: ACL
            # and rules); the entry must come from the same organisation's catalogue
            if entry.tenant_id != tenant:
                raise ValidationError(self.env._("%(entry)s is not in the catalogue of %(org)s.",
                                                 entry=entry.display_name, org=tenant.name))
            values = {"remote_id": entry[self._ledger_key], "remote_code": entry[self._ledger_code_field],
                      "remote_name": entry.name}
            if link:
                link.write(values)
            else:
                Link.create(dict(values, tenant_id=tenant.id, res_model=self._name, res_id=record.id))
