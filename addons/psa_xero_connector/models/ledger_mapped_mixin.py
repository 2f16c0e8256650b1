"""Odoo taxes ↔ Xero tax types and Odoo accounts ↔ Xero accounts, for the company's
organisation. Shown as editable columns on the mapping screens; stored as ledger.link rows."""

from odoo import models
from odoo.exceptions import ValidationError

MAPPING_STATES = [("mapped", "Mapped"), ("unmapped", "Not mapped"), ("no_tenant", "No Xero organisation")]


class XeroMappedMixin(models.AbstractModel):
    _name = "ledger.mapped.mixin"
    _description = "Record mapped to a Xero catalogue entry of its company's organisation"

    _xero_catalog = None      # "ledger.tax.rate"
    _xero_key = None          # field of the catalogue stored in link.remote_id
    _xero_code_field = None   # field of the catalogue stored in link.remote_code

    def _xero_tenant(self, record):
        company = record.company_id if "company_id" in record._fields else record.company_ids[:1]
        return (company & self.env.companies).ledger_tenant_id or self.env.company.ledger_tenant_id

    def _compute_xero_entry(self):
        Link, Catalog = self.env["ledger.link"].sudo(), self.env[self._xero_catalog].sudo()
        for record in self:
            tenant = self._xero_tenant(record)
            link = tenant and Link.search([("tenant_id", "=", tenant.id), ("res_model", "=", self._name),
                                           ("res_id", "=", record.id)], limit=1)
            entry = link and Catalog.with_context(active_test=False).search(
                [("tenant_id", "=", tenant.id), (self._xero_key, "=", link.remote_id)], limit=1)
            record.ledger_entry_id = entry or False
            record.ledger_mapping_state = "mapped" if entry else ("unmapped" if tenant else "no_tenant")

    def _inverse_xero_entry(self):
        Link = self.env["ledger.link"]
        for record in self:
            tenant = self._xero_tenant(record)
            if not tenant:
                continue
            link = Link.search([("tenant_id", "=", tenant.id), ("res_model", "=", self._name),
                                ("res_id", "=", record.id)], limit=1)
            entry = record.ledger_entry_id
            if not entry:
                link.unlink()
                continue
            # the links are written in the caller's env (Xero manager, own organisations: ACL and
            # rules); the entry must come from the same organisation's catalogue
            if entry.tenant_id != tenant:
                raise ValidationError(self.env._("%(entry)s is not in the Xero catalogue of %(org)s.",
                                        entry=entry.display_name, org=tenant.name))
            values = {"remote_id": entry[self._xero_key], "remote_code": entry[self._xero_code_field],
                      "remote_name": entry.name}
            if link:
                link.write(values)
            else:
                Link.create(dict(values, tenant_id=tenant.id, res_model=self._name, res_id=record.id))
