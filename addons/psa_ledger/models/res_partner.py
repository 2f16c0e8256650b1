"""A customer or supplier becomes a contact in each organisation's ledger that needs it; the
contact fields watched here are sent as an update when edited."""

from odoo import fields, models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "ledger.sync.mixin"]

    _ledger_sync_fields = frozenset({"name", "email", "ref", "vat", "street", "street2", "city", "zip", "state_id",
                                     "country_id", "phone", "mobile", "customer_rank", "supplier_rank",
                                     "is_company", "parent_id", "type"})

    ledger_link_ids = fields.One2many("ledger.link", "res_id", string="Contacts in the ledger",
                                      domain=[("res_model", "=", "res.partner")],
                                      groups="psa_ledger.group_ledger_user")

    def _ledger_enqueue(self, operation="upsert"):
        """Customers and suppliers go to the organisation of their company. A shared partner
        (no company, Odoo's default) goes on save only where it is already in the ledger, or
        when exactly one organisation syncs that kind of contact; otherwise it goes to an
        organisation when a document of that organisation's company needs it — a new
        customer never lands in every client's books."""
        if self._ledger_no_sync():
            return
        Outbox = self.env["ledger.outbox"].sudo()
        for partner in self.commercial_partner_id:
            for tenant, entity in partner._ledger_targets():
                Outbox._enqueue(partner, tenant, entity)

    def _ledger_resync_records(self):
        return self.commercial_partner_id

    def _ledger_targets(self):
        """-> [(tenant, "contact")]: the organisations this (commercial) partner goes to on save."""
        Tenant, Link = self.env["ledger.tenant"], self.env["ledger.link"].sudo()
        partner = self.commercial_partner_id
        tenants = Tenant.browse()
        for switch, rank in (("sync_customers", "customer_rank"), ("sync_suppliers", "supplier_rank")):
            if partner[rank] > 0:
                found = Tenant._sync_tenants(switch, partner.company_id or None)
                if not partner.company_id and len(found) > 1:
                    found = found.filtered(lambda t, partner=partner: Link._link_of(t, partner))
                tenants |= found
        return [(tenant, "contact") for tenant in tenants]
