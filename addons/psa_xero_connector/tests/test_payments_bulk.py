"""Payments back from Xero in bulk: a month-end burst of payments (full and partial, invoices,
bills and credit notes) reaches Odoo by webhook, one fetch brings the documents, and every new
payment is registered in one batch — each linked to its PaymentID once, with Odoo's accounting
invariants intact. One document Odoo cannot follow is refused with its reason; the others are
applied."""

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.psa_ledger.models import ledger_inbound

from .common import ORG_A
from .test_payments import PaymentCase

INBOUND_LOGGER = ledger_inbound.__name__  # the core applies the documents


@tagged("post_install", "-at_install")
class TestPaymentsInBulk(PaymentCase):

    def refund(self, price):
        refund = self.env["account.move"].create({
            "move_type": "out_refund", "partner_id": self.partner.id, "invoice_date": "2026-11-09",
            "invoice_line_ids": [Command.create({"name": "Goodwill", "quantity": 1, "price_unit": price,
                                                 "tax_ids": [Command.clear()]})]})
        refund.action_post()
        return refund

    def burst(self, payments):
        """Payments recorded in Xero one after the other, as a bank reconciliation does, then
        their webhooks delivered. ``payments``: [(move, amount)]. -> [PaymentID]. Odoo's cursor
        is not used meanwhile: the deliveries share it."""
        keyed = [("CreditNoteID" if move.move_type == "out_refund" else "InvoiceID", self.remote_id(move), amount)
                 for move, amount in payments]
        payment_ids = [self.admin_api.post("/payments", {"tenant": ORG_A, key: remote_id, "Amount": amount})[
            "PaymentID"] for key, remote_id, amount in keyed]
        self.deliver()
        return payment_ids

    def sent(self, *moves):
        """Every document in Xero, and the events of their creation handled."""
        self.process()
        self.process()
        self.handle()
        self.assertTrue(all(self.remote_id(move) for move in moves))

    def linked(self, payment_id):
        return self.env["ledger.link"].search([("res_model", "=", "account.payment"), ("remote_id", "=", payment_id)])

    def event_of(self, move):
        return self.Event.search([("resource_id", "=", self.remote_id(move))], order="id desc", limit=1)

    def assertBooks(self, moves):
        """Odoo's accounting invariants: each payment's journal entry posted and balanced, its
        counterpart reconciled with the document it pays, the document's residual the sum of its
        open receivable / payable lines and its payment state what that residual says, and the
        company's posted journal items balanced."""
        for move in moves:
            term = move.line_ids.filtered(lambda line: line.display_type == "payment_term")
            paid = 0.0
            for payment in self.payments_of(move).filtered(lambda p: p.state != "canceled"):
                entry = payment.move_id
                self.assertEqual(entry.state, "posted")
                self.assertAlmostEqual(sum(entry.line_ids.mapped("debit")), sum(entry.line_ids.mapped("credit")))
                counterpart = entry.line_ids.filtered(lambda line, term=term: line.account_id == term.account_id)
                partials = counterpart.matched_debit_ids | counterpart.matched_credit_ids
                self.assertEqual((partials.debit_move_id | partials.credit_move_id) - counterpart, term[:1],
                                 "%s reconciled with %s" % (payment.name, move.name))
                self.assertAlmostEqual(sum(partials.mapped("amount")), payment.amount)
                self.assertIn(payment, move.matched_payment_ids)
                self.assertEqual(payment.partner_id, move.commercial_partner_id)
                paid += payment.amount
            self.assertAlmostEqual(move.amount_residual, abs(sum(term.mapped("amount_residual"))))
            self.assertAlmostEqual(move.amount_residual, move.amount_total - paid)
            expected = "paid" if move.currency_id.is_zero(move.amount_residual) else "partial" if paid else "not_paid"
            self.assertEqual(move.payment_state, expected, move.name)
        self.env.flush_all()
        self.env.cr.execute("""SELECT sum(debit) - sum(credit) FROM account_move_line
                                WHERE parent_state = 'posted' AND company_id = %s""", [self.company.id])
        self.assertAlmostEqual(self.env.cr.fetchone()[0] or 0.0, 0.0)

    def test_a_burst_of_payments_in_one_batch(self):
        full = [self.invoice(100 + n) for n in range(5)]
        partial = [self.invoice(300, name="Project work") for _n in range(2)]
        twice = self.invoice(250, name="Onsite visit")
        bill = self.bill(240)
        refund = self.refund(80)
        self.sent(*full, *partial, twice, bill, refund)
        invoices_before, credit_notes_before = self.fetch_calls("Invoices"), self.fetch_calls("CreditNotes")
        # month-end in Xero: everything paid within a second, one webhook burst
        burst = [(move, move.amount_total) for move in full + [bill, refund]] + [(move, 120) for move in partial] \
            + [(twice, 100), (twice, 150)]
        paid = {}
        for (move, _amount), payment_id in zip(burst, self.burst(burst), strict=True):
            paid.setdefault(move, []).append(payment_id)
        with self.assertNoLogs(INBOUND_LOGGER, "INFO"):  # the batch held: no document went alone
            self.handle()
        self.assertEqual(self.fetch_calls("Invoices") - invoices_before, 1, "one GET Invoices?IDs= for all")
        self.assertEqual(self.fetch_calls("CreditNotes") - credit_notes_before, 1)
        for move, payment_ids in paid.items():
            payments = self.payments_of(move)
            self.assertEqual(len(payments), len(payment_ids), move.name)
            for payment_id in payment_ids:
                link = self.linked(payment_id)
                self.assertEqual(len(link), 1, "one Odoo payment per PaymentID")
                self.assertIn(self.Payment.browse(link.res_id), payments)
            self.assertEqual((self.event_of(move).state, self.event_of(move).res_id), ("done", move.id))
            self.assertIn("payment of", self.event_of(move).message)
        self.assertEqual([m.payment_state for m in full + [twice, bill, refund]], ["paid"] * 8)
        self.assertEqual([(m.payment_state, m.amount_residual) for m in partial], [("partial", 180.0)] * 2)
        self.assertEqual(sorted(self.payments_of(twice).mapped("amount")), [100.0, 150.0])
        self.assertEqual((self.payments_of(bill).payment_type, self.payments_of(bill).partner_type),
                         ("outbound", "supplier"))
        self.assertEqual((self.payments_of(refund).payment_type, self.payments_of(refund).partner_type),
                         ("outbound", "customer"))
        self.assertEqual(self.payments_of(full[0]).memo, full[0].name)
        self.assertTrue(self.said(full[0], "%s paid in Xero" % full[0].name))
        self.assertTrue(self.said(partial[0], "partly paid in Xero"))
        self.assertTrue(self.said(twice, "%s paid in Xero" % twice.name), "one note for its two payments")
        payment = self.payments_of(full[0])
        self.assertTrue(self.said(payment, "Recorded from Xero (payment %s)" % paid[full[0]][0]))
        self.assertBooks(list(paid))
        # Xero sends the same events again (a replay, a retry): nothing is added
        self.admin_api.post("/webhooks/emit", {"tenant": ORG_A, "ids": [self.remote_id(m) for m in full + partial]})
        self.deliver()
        self.handle()
        self.assertEqual([len(self.payments_of(m)) for m in full + partial], [1] * 7)
        self.assertIn("already in line with Xero", self.event_of(full[1]).message)
        self.assertBooks(list(paid))

    def test_a_claim_is_sized_by_the_time_the_last_one_took(self):
        """Odoo kills a cron worker whose turn outlasts limit_time_real and rolls its unit back:
        a claim holds what fits in UNIT_SECONDS at the run's last pace — a run starts (a worker
        killed starts again) with a small claim, and a slow machine gets smaller ones."""
        moves = [self.invoice(100 + n) for n in range(30)]
        self.sent(*moves)
        self.burst([(move, move.amount_total) for move in moves])
        pending = self.Event.search_count([("state", "=", "pending")])
        self.assertGreaterEqual(pending, 30)
        Inbound = self.env["ledger.inbound"]
        run = {"resting": set()}  # a new worker run: no pace yet
        with self.odoo_side():
            self.assertEqual(self.Event._queue_work(self.tenant, False, run), ledger_inbound.CLAIM_START)
            self.assertGreater(run["pace"], 0.0, "the unit's pace is kept for the run's next claim")
            run["pace"] = ledger_inbound.UNIT_SECONDS / 7  # 7 events fit in a unit at this pace
            self.assertEqual(self.Event._queue_work(self.tenant, False, run), 7)
            self.assertEqual(Inbound._claim_size(0.0001), ledger_inbound.CLAIM_SIZE, "fast: as many as a claim holds")
            self.assertEqual(Inbound._claim_size(1000.0), ledger_inbound.CLAIM_MIN, "very slow: still some progress")
        self.assertEqual(self.Event.search_count([("state", "=", "pending")]),
                         pending - ledger_inbound.CLAIM_START - 7)
        self.handle()
        self.assertEqual([m.payment_state for m in moves], ["paid"] * 30)

    def test_one_bad_document_is_refused_while_the_others_are_applied(self):
        moves = [self.invoice(250) for _n in range(4)]
        self.sent(*moves)
        bad = moves[2]
        # someone registered part of it in Odoo too: Xero's full payment is more than Odoo expects
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=bad.ids).create(
            {"amount": 200})._create_payments()
        self.burst([(move, 250) for move in moves])
        self.handle()
        self.assertEqual([m.payment_state for m in moves], ["paid", "paid", "partial", "paid"])
        event = self.event_of(bad)
        self.assertEqual(event.state, "error")
        self.assertIn("%s: not brought in line with Xero" % bad.name, event.message)
        self.assertIn("more than the", event.message)
        self.assertFalse(self.payments_of(bad))
        self.assertEqual(bad.amount_residual, 50.0, "nothing changed")
        self.assertEqual([self.event_of(m).state for m in moves if m != bad], ["done"] * 3)
        self.assertBooks([m for m in moves if m != bad])

    def test_a_failing_batch_goes_document_by_document(self):
        moves = [self.invoice(90 + n) for n in range(4)]
        self.sent(*moves)
        other = self.invoice(40)
        stray = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=other.ids).create({})._create_payments()
        payment_ids = self.burst([(move, move.amount_total) for move in moves])
        # the PaymentID of the third document is already linked to another Odoo payment (of a
        # document Xero does not name): only the unique index finds out, inside the batch
        self.env["ledger.link"].create({"tenant_id": self.tenant.id, "res_model": "account.payment", "res_id": stray.id,
                                      "remote_id": payment_ids[2], "remote_parent_id": "not-this-document"})
        with mute_logger("odoo.sql_db", INBOUND_LOGGER):
            self.handle()
        culprit = moves[2]
        self.assertEqual([m.payment_state for m in moves], ["paid", "paid", "not_paid", "paid"])
        event = self.event_of(culprit)
        self.assertEqual(event.state, "error")
        self.assertIn("%s: not brought in line with Xero (unexpected" % culprit.name, event.message)
        self.assertFalse(self.payments_of(culprit))
        for move, payment_id in zip(moves, payment_ids, strict=True):
            if move != culprit:
                self.assertEqual(self.Payment.browse(self.linked(payment_id).res_id), self.payments_of(move))
        self.assertBooks([m for m in moves if m != culprit])

    def test_the_same_payment_as_odoo_register_payment_makes(self):
        """A payment from Xero is what Odoo's own Register payment would have made for the same
        document, amount, date and journal."""
        ours, theirs = self.invoice(250), self.invoice(250)
        bill_ours, bill_theirs = self.bill(240, ref="IM-1"), self.bill(240, ref="IM-2")
        self.sent(ours, bill_ours)
        journal = self.tenant.payment_journal_id or self.env["account.journal"].search([
            ("company_id", "=", self.company.id), ("type", "=", "bank")], limit=1)
        for move, amount in ((ours, 100), (bill_ours, 240)):
            self.admin_api.pay(ORG_A, self.remote_id(move), amount, Date="2026-11-20", Reference="BACS")
            self.deliver()
        self.handle()
        for move, other, amount in ((ours, theirs, 100), (bill_ours, bill_theirs, 240)):
            odoo = self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=other.ids).create({
                    "amount": amount, "payment_date": "2026-11-20", "journal_id": journal.id, "communication": "BACS",
                    "payment_difference_handling": "open"})._create_payments()
            xero = self.payments_of(move)
            self.assertEqual((xero.partner_id, odoo.partner_id), (move.commercial_partner_id,
                                                                  other.commercial_partner_id))
            fields = ["amount", "payment_type", "partner_type", "memo", "journal_id", "date", "currency_id",
                      "payment_method_line_id", "destination_account_id", "outstanding_account_id",
                      "partner_bank_id", "state", "is_reconciled", "is_matched", "company_id"]
            self.assertEqual(xero.read(fields)[0] | {"id": 0}, odoo.read(fields)[0] | {"id": 0})

            def items(payment):
                return sorted((line.account_id.id, line.debit, line.credit, line.partner_id == payment.partner_id,
                               line.reconciled) for line in payment.move_id.line_ids)
            self.assertEqual(items(xero), items(odoo))
            self.assertEqual((move.payment_state, move.amount_residual), (other.payment_state, other.amount_residual))
            self.assertEqual(move.matched_payment_ids, xero)
            # the journal entry as Odoo posts it: its partner follows it, its messages (what Odoo's
            # audit trail reads) are the same kinds
            self.env.cr.flush()
            self.assertEqual((xero.move_id.message_partner_ids, odoo.move_id.message_partner_ids),
                             (xero.partner_id, odoo.partner_id))
            self.assertEqual(sorted(xero.move_id.message_ids.mapped(lambda m: (m.message_type, m.subtype_id.id))),
                             sorted(odoo.move_id.message_ids.mapped(lambda m: (m.message_type, m.subtype_id.id))))
        self.assertBooks([ours, bill_ours])

    def test_a_payment_costs_the_same_queries_in_a_larger_batch(self):
        """What each more payment of a batch adds is Odoo's own work on it (its entry, numbering,
        reconciliation): its partner's subscription to its entry and the documents' notes go per
        batch. Queries counted (not time) on two batches of one customer's invoices, 3 then 9."""
        small, large = [self.invoice(100 + n) for n in range(3)], [self.invoice(200 + n) for n in range(9)]
        self.sent(*small, *large)
        counts = []
        for moves in (small, large):
            self.burst([(move, move.amount_total) for move in moves])
            with self.odoo_side():
                events = self.Event.search([("state", "=", "pending")])
                before = self.env.cr.sql_log_count
                events._process(self.tenant)
                self.env.cr.flush()
                counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual([m.payment_state for m in moves], ["paid"] * len(moves))
        # 11.3 measured; 16.3 with each entry's partner subscribed by Odoo's posting, one entry at
        # a time; 25 with the documents' Payment status tracking messages too
        self.assertLessEqual((counts[1] - counts[0]) / 6, 13, "queries of 3 and of 9 payments: %s" % counts)

    def test_the_document_says_once_that_xero_paid_it(self):
        """One message on the document about its payments from Xero, the note that names them:
        Odoo's own Payment status tracking message is not made besides it (it notified each
        document's followers one by one)."""
        full, partial, bill = self.invoice(250), self.invoice(300), self.bill(240)
        self.sent(full, partial, bill)
        before = {move: move.message_ids for move in (full, partial, bill)}
        self.burst([(full, 250), (partial, 100), (bill, 240)])
        with self.assertNoLogs(INBOUND_LOGGER, "INFO"):  # in one batch
            self.handle()
        self.env.cr.flush()  # tracking messages are made when the transaction is flushed
        for move, text in ((full, "%s paid in Xero" % full.name), (partial, "partly paid in Xero"),
                           (bill, "%s paid in Xero" % bill.name)):
            new = move.message_ids - before[move]
            self.assertEqual(len(new), 1, "%s: %s" % (move.name, new.mapped("body")))
            self.assertIn(text, new.body)
        self.assertEqual([m.payment_state for m in (full, partial, bill)], ["paid", "partial", "paid"])
        self.assertBooks([full, partial, bill])
