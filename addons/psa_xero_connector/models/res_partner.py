"""Xero's side of partners: the contact payload (to_xero.contact_payload), the deep link's kind
and the labels Xero users know."""

from odoo import fields, models

from ..xero import to_xero


class ResPartner(models.Model):
    _inherit = "res.partner"
    _xero_link_kind = "contact"

    ledger_link_ids = fields.One2many(string="Xero contacts")

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
