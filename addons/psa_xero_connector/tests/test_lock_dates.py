"""Lock dates (issue #12): Xero's PeriodLockDate / EndOfYearLockDate read on connect, import and
each poll; an invoice dated in a locked period held with a clear message, or sent dated on the
first open day (and its chatter says so), as the organisation chooses."""

from datetime import date

from odoo import Command
from odoo.tests import tagged

from harness.accounting import validation as xero_msg

from .common import ORG_A, SyncCase


@tagged("post_install", "-at_install")
class TestLockDates(SyncCase):
    SWITCHES = ("sync_customers", "sync_invoices")

    def lock(self, **values):
        return self.admin_api.post("/organisations/%s/lock-dates" % ORG_A, values)

    def xero_invoices(self):
        return [i for i in self.admin_api.records("invoice", ORG_A) if i["Type"] == "ACCREC"]

    def test_lock_dates_are_read_on_connect_import_poll_and_test(self):
        self.assertFalse(self.tenant.xero_period_lock_date)
        self.lock(PeriodLockDate="2026-10-31", EndOfYearLockDate="2026-03-31")
        tenant = self.connect().filtered(lambda t: t.remote_id == ORG_A)  # connect again
        self.assertEqual(tenant, self.tenant)
        self.assertEqual((tenant.xero_period_lock_date, tenant.xero_end_of_year_lock_date),
                         (date(2026, 10, 31), date(2026, 3, 31)))
        self.lock(PeriodLockDate="2026-11-30")
        self.env["xero.importer"]._import(self.tenant, ["accounts"])
        self.assertEqual(self.tenant.xero_period_lock_date, date(2026, 11, 30))
        self.lock(PeriodLockDate=None)
        self.env["xero.inbound"]._poll(self.tenant)
        self.assertFalse(self.tenant.xero_period_lock_date)
        self.assertEqual(self.tenant.xero_end_of_year_lock_date, date(2026, 3, 31))
        self.lock(EndOfYearLockDate="2026-06-30")
        self.tenant.action_test_connection()
        self.assertEqual(self.tenant.xero_end_of_year_lock_date, date(2026, 6, 30))
        self.assertEqual(self.tenant._xero_lock_date(), (date(2026, 6, 30), "end_of_year"))

    def test_held_as_an_error_then_sent_on_the_first_open_day(self):
        self.lock(PeriodLockDate="2026-11-30")
        self.tenant._xero_read_lock_dates()
        self.assertEqual(self.tenant.lock_date_policy, "error")  # the default
        move = self.invoice()  # dated 8 November 2026
        self.process()
        self.process()
        row = self.row(move)
        self.assertEqual(row.state, "error")
        for part in (move.name, "11/08/2026", "period lock date", self.tenant.name, "11/30/2026",
                     "Send it dated on the first open day", "Xero → Tenants"):
            self.assertIn(part, row.last_error)
        self.assertEqual(self.xero_invoices(), [], "nothing was sent: Xero would have refused it")
        self.assertIn(move.name, move.message_ids[0].body)  # the chatter says why, too
        # the organisation chooses to send such documents on the first open day: the held
        # document is checked again at once, nobody presses Retry
        self.tenant.lock_date_policy = "first_open_day"
        self.assertEqual(self.row(move).state, "queued")
        self.process()
        self.assertEqual(self.row(move).state, "done", self.row(move).last_error)
        sent = self.xero_invoices()
        self.assertEqual([(i["InvoiceNumber"], i["_Date"], i["_DueDate"]) for i in sent],
                         [(move.name, "2026-12-01", "2026-12-08")])
        self.assertEqual(move.invoice_date, date(2026, 11, 8), "Odoo keeps its own date")
        note = move.message_ids.filtered(lambda m: "first open day after Xero's lock date" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("2026-12-01", note.body)

    def test_a_held_document_goes_once_xero_moves_its_lock_date(self):
        self.lock(PeriodLockDate="2026-11-30")
        self.tenant._xero_read_lock_dates()
        move = self.invoice()  # dated 8 November 2026
        self.process()
        self.process()
        self.assertEqual(self.row(move).state, "error")
        self.lock(PeriodLockDate="2026-10-31")  # the accountant reopens November in Xero
        self.env["xero.inbound"]._poll(self.tenant)  # the next poll reads it
        self.assertEqual(self.row(move).state, "queued", "checked again without a Retry")
        self.process()
        self.assertEqual(self.row(move).state, "done", self.row(move).last_error)
        self.assertEqual([i["InvoiceNumber"] for i in self.xero_invoices()], [move.name])

    def test_adviser_connection_and_end_of_year_lock(self):
        self.lock(PeriodLockDate="2026-11-30", EndOfYearLockDate="2026-11-05", adviser=True)
        self.tenant._xero_read_lock_dates()
        self.tenant.xero_adviser = True  # the period lock does not bind an adviser's connection
        move = self.invoice()
        self.process()
        self.process()
        self.assertEqual(self.row(move).state, "done", self.row(move).last_error)
        self.lock(EndOfYearLockDate="2026-11-10")
        self.tenant._xero_read_lock_dates()
        later = self.invoice(name="Later")
        self.process()
        self.assertEqual(self.row(later).state, "error")
        self.assertIn("end of year lock date", self.row(later).last_error)

    def test_a_lock_not_known_yet_is_refused_by_xero_with_its_own_words(self):
        """What the pre-check holds back is what Xero refuses: before Odoo has read a new lock
        date (the next poll reads it), the harness refuses the invoice as Xero does."""
        move = self.invoice()
        self.lock(PeriodLockDate="2026-11-30")  # set in Xero after Odoo's last read
        self.process()
        self.process()
        row = self.row(move)
        self.assertEqual(row.state, "error")
        self.assertEqual(row.remote_messages, xero_msg.PERIOD_LOCKED.format(date="30-Nov-2026"))

    def test_drafts_and_purchase_orders_are_not_held(self):
        self.lock(PeriodLockDate="2026-11-30")
        self.tenant._xero_read_lock_dates()
        self.tenant.write({"document_status": "DRAFT", "sync_purchase_orders": True, "sync_suppliers": True})
        move = self.invoice()
        supplier = self.env["res.partner"].create({"name": "Lock Supplies Ltd", "is_company": True,
                                                   "company_id": self.company.id})
        product = self.env["product.product"].create({"name": "Cable", "type": "consu"})
        order = self.env["purchase.order"].create({
            "partner_id": supplier.id, "date_order": "2026-11-02 10:00:00",
            "order_line": [Command.create({"name": "Cable", "product_id": product.id, "product_qty": 1,
                                           "price_unit": 9, "taxes_id": [Command.clear()]})]})
        order.button_confirm()
        for _ in range(3):
            self.process()
        self.assertEqual(self.row(move).state, "done", self.row(move).last_error)
        self.assertEqual(self.row(order).state, "done", self.row(order).last_error)
