"""Xero's side of the links (ledger.link, the core's external IDs): the labels Xero users know."""

from odoo import fields, models


class LedgerLink(models.Model):
    _inherit = "ledger.link"
    _description = "Xero link (Odoo record ↔ Xero record, per organisation)"

    remote_id = fields.Char(string="Xero ID", help="ContactID / ItemID / AccountID, or the TaxType of a tax rate")
    remote_code = fields.Char(string="Xero code", help="Item code, account code or contact account number")
    remote_name = fields.Char(string="Name in Xero")
    remote_status = fields.Char(string="Status in Xero", help="Documents: the status Xero last reported")
    remote_parent_id = fields.Char(string="Paid document (Xero ID)",
                                   help="Payments: the Xero invoice, bill or credit note the payment settles")
    account_code = fields.Char(help="Items: the Xero account code sales lines of this product use "
                                    "(labour charge types); empty = the item's own.")
    remote_currency = fields.Char(string="Default currency in Xero")
    remote_sales_account_code = fields.Char(string="Sales account in Xero")
    remote_purchase_account_code = fields.Char(string="Purchases account in Xero")
    remote_sales_tax_type = fields.Char(string="Sales tax type in Xero")
    remote_purchase_tax_type = fields.Char(string="Purchases tax type in Xero")
    ledger_item_id = fields.Many2one(string="Xero item")

    _sql_constraints = [
        ("record_unique", "unique(tenant_id, res_model, res_id)",
         "An Odoo record is linked to one Xero record per organisation."),
    ]

    def init(self):
        # the unique index of releases before 18.0.1.1.0 (one Odoo record per Xero ID, any model)
        self.env.cr.execute("DROP INDEX IF EXISTS ledger_link_xero_unique")
        return super().init()
