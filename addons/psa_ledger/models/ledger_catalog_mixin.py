"""What an organisation has in its ledger, as last imported: tax rates, accounts and items.

These are the choices the mapping screens offer (tax type per Odoo tax, account code per Odoo
account, item per product or labour charge type, catch-all items per document type).
"""

from odoo import api, fields, models

from ..access import MANAGER, check_caller


class LedgerCatalogMixin(models.AbstractModel):
    _name = "ledger.catalog.mixin"
    _description = "Record imported from an organisation's ledger"

    tenant_id = fields.Many2one("ledger.tenant", string="Organisation", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="tenant_id.company_id", store=True, index=True)
    name = fields.Char(required=True)
    active = fields.Boolean(default=True, help="Archived when the ledger no longer lists it as active")

    def write(self, vals):
        # record rules check the row before the write, not the organisation it is moved to
        if vals.get("tenant_id") and not self.env.su:
            check_caller(self.env["ledger.tenant"].browse(vals["tenant_id"]), MANAGER, "write")
        return super().write(vals)

    @api.model
    def _upsert(self, tenant, key_field, rows):
        """Create or update ``rows`` (dicts holding ``key_field``) of a tenant in two queries.
        -> (records by key, created count, updated count)."""
        existing = {getattr(r, key_field): r for r in self.with_context(active_test=False).search(
            [("tenant_id", "=", tenant.id)])}
        to_create, updated = [], 0
        for row in rows:
            record = existing.get(row[key_field])
            if record:
                changes = {k: v for k, v in row.items()
                           if (record[k].id if isinstance(record[k], models.BaseModel) else record[k]) != v}
                if changes:
                    record.write(changes)
                    updated += 1
            else:
                to_create.append(dict(row, tenant_id=tenant.id))
        for record in self.create(to_create):
            existing[getattr(record, key_field)] = record
        return existing, len(to_create), updated
