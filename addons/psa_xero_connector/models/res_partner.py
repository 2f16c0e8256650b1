"""A customer or supplier becomes a Xero contact in each organisation that needs it; the contact
fields Xero keeps are watched so that an edit is sent as an update."""

from odoo import fields, models

from ..xero import to_xero


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "ledger.sync.mixin"]
    _xero_link_kind = "contact"

    _xero_sync_fields = frozenset({"name", "email", "ref", "vat", "street", "street2", "city", "zip", "state_id",
                                   "country_id", "phone", "mobile", "customer_rank", "supplier_rank", "is_company",
                                   "parent_id", "type"})

    ledger_link_ids = fields.One2many("ledger.link", "res_id", string="Xero contacts",
                                    domain=[("res_model", "=", "res.partner")],
                                    groups="psa_ledger.group_ledger_user")

    def _xero_enqueue(self, operation="upsert"):
        """Customers and suppliers go to the organisation of their company. A shared partner
        (no company, Odoo's default) goes on save only where it is already in Xero, or when
        exactly one organisation syncs that kind of contact; otherwise it goes to an
        organisation when a document of that organisation's company needs it — a new
        customer never lands in every client's books."""
        if self.env.context.get("xero_no_sync"):
            return
        Outbox = self.env["ledger.outbox"].sudo()
        for partner in self.commercial_partner_id:
            for tenant, entity in partner._xero_targets():
                Outbox._enqueue(partner, tenant, entity)

    def _xero_resync_records(self):
        return self.commercial_partner_id

    def _xero_targets(self):
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

    def _xero_contact_payload(self, contact_id=None):
        self.ensure_one()
        person = self.child_ids.filtered(lambda c: c.type == "invoice" and c.email)[:1]
        if not person and not self.is_company:
            person = self

        def values(p):
            return {"name": p.name, "email": p.email, "ref": p.ref, "vat": p.vat, "phone": p.phone,
                    "mobile": p.mobile, "street": p.street, "street2": p.street2, "city": p.city, "zip": p.zip,
                    "state": p.state_id.name, "country_code": p.country_id.code, "is_company": p.is_company}
        return to_xero.contact_payload(values(self), values(person) if person else None,
                                       customer=self.customer_rank > 0, contact_id=contact_id)
