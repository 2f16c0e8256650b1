"""A synced purchase order's life after its confirmation reaches Xero (issue #23): cancelled in
Odoo → deleted in Xero (a purchase order has no VOIDED); its lines or dates changed → updated
there; locked in Odoo → what Xero has stays; the drift report finds a cancelled order left live."""

from odoo import Command, fields
from odoo.tests import tagged

from .common import ORG_A, SyncCase


@tagged("post_install", "-at_install")
class TestPurchaseOrderLifecycle(SyncCase):
    SWITCHES = ("sync_suppliers", "sync_purchase_orders")

    def setUp(self):
        super().setUp()
        self.supplier = self.env["res.partner"].create({"name": "Westcoast Ltd", "is_company": True,
                                                        "company_id": self.company.id})
        self.dock = self.env["product.product"].create({"name": "Dock", "type": "consu"})

    def confirmed_order(self, qty=4, price=150):
        order = self.env["purchase.order"].create({
            "partner_id": self.supplier.id, "partner_ref": "WC-QUOTE-9",
            "order_line": [Command.create({"name": "Docking stations", "product_qty": qty, "price_unit": price,
                                           "product_id": self.dock.id, "taxes_id": [Command.clear()]})]})
        order.button_confirm()
        self.process()
        self.assertEqual(self.row(order).state, "done", self.row(order).last_error)
        self.assertEqual(self.in_xero(order)["Status"], "AUTHORISED")
        return order

    def link(self, order):
        return self.env["ledger.link"].search([("res_model", "=", order._name), ("res_id", "=", order.id),
                                             ("tenant_id", "=", self.tenant.id)])

    def in_xero(self, order):
        found = [o for o in self.admin_api.records("purchaseorder", ORG_A)
                 if o["PurchaseOrderID"].lower() == self.link(order).remote_id.lower()]
        self.assertEqual(len(found), 1)
        return found[0]

    def test_cancelled_order_is_deleted_in_xero(self):
        order = self.confirmed_order()
        order.button_cancel()
        self.assertEqual(self.row(order).operation, "void")
        self.process()
        self.assertEqual(self.row(order).state, "done", self.row(order).last_error)
        self.assertEqual(self.in_xero(order)["Status"], "DELETED")
        self.assertEqual(self.link(order).remote_status, "DELETED")
        self.assertEqual(order.ledger_sync_state, "voided")
        # an order cancelled before it reached Xero sends nothing
        unsent = self.env["purchase.order"].create({
            "partner_id": self.supplier.id,
            "order_line": [Command.create({"name": "Cables", "product_qty": 1, "price_unit": 5,
                                           "product_id": self.dock.id, "taxes_id": [Command.clear()]})]})
        unsent.button_cancel()
        self.assertFalse(self.rows(unsent))
        # confirmed again after the deletion: Xero keeps a deleted order as it is, a new one goes
        order.button_draft()
        order.button_confirm()
        self.process()
        self.assertEqual(self.row(order).state, "done", self.row(order).last_error)
        self.assertEqual(self.in_xero(order)["Status"], "AUTHORISED")
        self.assertEqual(len([o for o in self.admin_api.records("purchaseorder", ORG_A)
                              if o["PurchaseOrderNumber"] == order.name]), 2)

    def test_edited_confirmed_order_is_updated_in_xero(self):
        order = self.confirmed_order()
        line = order.order_line
        line.product_qty = 6                                   # on the line itself
        order.write({"date_planned": "2026-12-15 10:00:00",    # through the order's form
                     "order_line": [Command.update(line.id, {"price_unit": 160})]})
        self.assertEqual(len(self.rows(order).filtered(lambda r: r.state == "queued")), 1, "edits coalesce")
        self.process()
        self.assertEqual(self.row(order).state, "done", self.row(order).last_error)
        xero = self.in_xero(order)
        self.assertEqual((xero["Total"], xero["Status"], xero["LineItems"][0]["Quantity"]), (960.0, "AUTHORISED", 6.0))
        self.assertEqual(xero["_DeliveryDate"][:10], "2026-12-15")  # the harness's stored record
        self.assertEqual(len(self.admin_api.records("purchaseorder", ORG_A)), 1, "an update, not a second order")
        # an edit that changes nothing Xero keeps sends nothing
        order.notes = "internal note"
        self.assertFalse(self.rows(order).filtered(lambda r: r.state == "queued"))

    def test_locked_order_stays_as_xero_has_it(self):
        order = self.confirmed_order()
        order.order_line.price_unit = 200  # while it is open, an edit goes
        self.process()
        self.assertEqual(self.in_xero(order)["Total"], 800.0)
        sent = len(self.rows(order))
        order.button_done()
        order.order_line.write({"price_unit": 999, "date_planned": fields.Datetime.now()})
        order.write({"date_planned": "2027-01-31 10:00:00"})
        self.assertEqual(len(self.rows(order)), sent, "no update queued for a locked order")
        self.process()
        self.assertEqual(self.in_xero(order)["Total"], 800.0)
        # unlocked, it is open again: its next edit goes
        order.button_unlock()
        order.order_line.price_unit = 210
        self.process()
        self.assertEqual(self.in_xero(order)["Total"], 840.0)

    def test_drift_report_lists_a_cancelled_order_left_live_in_xero(self):
        deleted, billed = self.confirmed_order(), self.confirmed_order(qty=2)
        # billed in Xero meanwhile: Xero refuses to delete it when Odoo cancels the order
        self.admin_api.edit_document(ORG_A, "PurchaseOrders", self.link(billed).remote_id, Status="BILLED")
        (deleted | billed).button_cancel()
        self.process()
        self.env["ledger.drift"]._run(self.tenant)
        lines = self.env["ledger.drift.line"].search([("tenant_id", "=", self.tenant.id), ("state", "=", "open")])
        self.assertEqual(sorted((ln.kind, ln.number, ln.odoo_value, ln.remote_value) for ln in lines),
                         [("status", billed.name, "deleted", "BILLED")])
        self.assertEqual(self.row(deleted).state, "done", self.row(deleted).last_error)
        self.assertEqual(self.row(billed).state, "error", "Xero's refusal stays on the order's row")
        self.assertIn(billed.name, self.row(billed).record_name)

    def test_repush_of_a_cancelled_order_left_live_sends_its_deletion(self):
        order = self.confirmed_order()
        order.button_cancel()
        self.row(order).unlink()  # its deletion never left (a row removed by hand): Xero still has it
        self.env["ledger.drift"]._run(self.tenant)
        line = self.env["ledger.drift.line"].search([("tenant_id", "=", self.tenant.id), ("state", "=", "open")])
        self.assertEqual([(ln.kind, ln.odoo_value, ln.remote_value) for ln in line],
                         [("status", "deleted", "AUTHORISED")])
        line.action_repush()
        line.action_repush()  # pressed twice: refused as no longer open, nothing more queued
        self.assertEqual(self.row(order).operation, "void")
        self.assertEqual(len(self.rows(order).filtered(lambda r: r.state == "queued")), 1)
        self.process()
        self.assertEqual(self.in_xero(order)["Status"], "DELETED")
