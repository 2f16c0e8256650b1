"""The test bed works: a company made the way Odoo's accounting tests make theirs syncs to a
connected organisation with every switch on, and Odoo's own flows queue for it."""

from odoo import Command
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestEveryCompanyConnected(AccountTestInvoicingCommon):

    def test_documents_of_a_test_company_queue_for_its_organisation(self):
        tenant = self.env.company.sudo().ledger_tenant_ids
        self.assertEqual(tenant.state, "connected")
        self.assertTrue(all(tenant[switch] for switch in ("sync_customers", "sync_suppliers", "sync_products",
                                                          "sync_invoices", "sync_bills", "sync_credit_notes",
                                                          "sync_purchase_orders")))
        invoice = self.init_invoice("out_invoice", products=self.product_a, post=True)
        bill = self.init_invoice("in_invoice", products=self.product_a, post=True)
        refund = self.init_invoice("out_refund", products=self.product_a, post=True)
        order = self.env["purchase.order"].create({
            "partner_id": self.partner_a.id,
            "order_line": [Command.create({"product_id": self.product_a.id, "product_qty": 1, "price_unit": 10})]})
        order.button_confirm()
        rows = self.env["ledger.outbox"].sudo().search([("tenant_id", "=", tenant.id)])
        for record, entity in ((invoice, "invoice"), (bill, "invoice"), (refund, "credit_note"),
                               (order, "purchase_order")):
            row = rows.filtered(lambda r, record=record: r.res_model == record._name and r.res_id == record.id)
            self.assertEqual(row.entity, entity, record.display_name)
