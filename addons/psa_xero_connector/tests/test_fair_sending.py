"""Several organisations sending at once (issue #14): served in turn — a small organisation
queued after a big one is done long before it, also when each run does a single unit — and
Xero's app-wide minute (10,000 calls over every organisation) honoured by all of them: an
``appminute`` 429 or ``X-AppMinLimit-Remaining: 0`` makes every organisation rest, without
spending an attempt, until the minute is over."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from harness import seed

from .. import const
from .common import ORG_A, ORG_B, XeroHarnessCase

ORG_C = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"


@tagged("post_install", "-at_install")
class TestFairSending(XeroHarnessCase):

    def setUp(self):
        super().setUp()
        seed.organisation(self.harness.app, "Fabrikam Support", tenant_id=ORG_C)
        tenants = self.connect()
        self.tenants = {t.remote_id: t for t in tenants}
        self.assertEqual(set(self.tenants), {ORG_A, ORG_B, ORG_C})
        self.companies = {ORG_A: self.env.company}
        for remote_id in (ORG_B, ORG_C):
            self.companies[remote_id] = self.env["res.company"].create({"name": "Odoo co of %s" % remote_id[:8]})
        for remote_id, tenant in self.tenants.items():
            tenant.write({"company_id": self.companies[remote_id].id, "sync_customers": True})
        self.Outbox = self.env["ledger.outbox"]

    def customers(self, remote_id, count, prefix):
        """``count`` customers of the organisation's company, queued in one transaction."""
        return self.env["res.partner"].create([{
            "name": "%s %03d" % (prefix, n), "is_company": True, "customer_rank": 1,
            "company_id": self.companies[remote_id].id,
            "child_ids": [Command.create({"name": "Pat Payer", "type": "invoice",
                                          "email": "ap%03d@%s.example" % (n, prefix.lower())})]}
            for n in range(count)])

    def sends(self):
        """Organisations of the contact batches the harness received, oldest first."""
        return [r["tenant"] for r in reversed(self.harness.app.recent)
                if r["method"] == "PUT" and r["path"].startswith("/api.xro/2.0/Contacts")]

    def assertInTurn(self, sends):
        """An organisation only sends twice in a row once no other has anything left."""
        for n in range(len(sends) - 1):
            if sends[n] == sends[n + 1]:
                self.assertEqual(set(sends[n:]), {sends[n]}, "sent twice in a row while others waited: %s" % sends)

    def rows(self, partners):
        return self.Outbox.search([("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)])

    def test_organisations_are_served_in_turn(self):
        big = self.customers(ORG_A, 200, "Big")        # 4 batches of 50
        medium = self.customers(ORG_B, 100, "Medium")  # 2
        small = self.customers(ORG_C, 10, "Small")     # 1, queued last
        self.Outbox._cron_process(commit=False)
        self.assertEqual(set(self.rows(big | medium | small).mapped("state")), {"done"})
        sends = self.sends()
        self.assertEqual(sorted(sends), sorted([ORG_A] * 4 + [ORG_B] * 2 + [ORG_C]), sends)
        self.assertInTurn(sends)
        self.assertLess(sends.index(ORG_C), 3, "the small organisation goes in the first round: %s" % sends)
        self.assertEqual(sends[-2:], [ORG_A, ORG_A], "only the big one is left at the end")

    def test_a_database_not_upgraded_gets_its_turn_pointer_when_first_served(self):
        """The pointer is made on install and upgrade; a database that was neither (the code
        updated without -u) makes it when a queue first needs it, instead of failing every run."""
        for Queue in (self.Outbox, self.env["ledger.event"].sudo()):
            self.env.cr.execute("DROP SEQUENCE IF EXISTS %s_turn_seq" % Queue._table)
        small = self.customers(ORG_C, 10, "Small")
        self.Outbox._cron_process(commit=False)
        self.assertEqual(set(self.rows(small).mapped("state")), {"done"})
        self.assertEqual(self.sends(), [ORG_C])
        self.env.cr.execute("SELECT to_regclass('ledger_outbox_turn_seq') IS NOT NULL")
        self.assertTrue(self.env.cr.fetchone()[0])

    def test_the_turn_carries_over_from_one_run_to_the_next(self):
        """Runs cut short (one unit each, as by the cron's time or unit budget) go on with the
        next organisation, not from the first one again: no organisation waits behind another's
        backlog however the runs are cut."""
        big = self.customers(ORG_A, 150, "Big")
        small = self.customers(ORG_C, 10, "Small")
        runs = 0
        while self.Outbox._cron_process(commit=False, limit_batches=1):
            runs += 1
            self.assertLess(runs, 10)
        self.assertEqual(set(self.rows(big | small).mapped("state")), {"done"})
        sends = self.sends()
        self.assertEqual(len(sends), 4, sends)
        self.assertInTurn(sends)
        self.assertLess(sends.index(ORG_C), 2, sends)

    def test_a_run_with_work_left_wakes_its_job_again_instead_of_asking_odoo_to_rerun_it(self):
        """Odoo re-runs a job that reports work left up to 10 times in one turn of the cron
        worker, which its watchdog kills after limit_time_real: the run reports nothing left
        and triggers its own job instead (a new turn) — only when it made progress."""
        self.customers(ORG_A, 100, "Big")  # 2 batches
        cron = self.env.ref("psa_ledger.ir_cron_ledger_outbox_2")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        cron, progress = cron._add_progress()
        outbox = self.Outbox.with_context(cron_id=cron.id, ir_cron_progress_id=progress.id)
        self.assertEqual(outbox._queue_run(commit=False, max_units=1), 1)
        outbox._queue_hand_over(1)
        self.assertEqual((progress.done, progress.remaining), (1, 0), "Odoo must not re-run it in this turn")
        self.assertEqual(len(Trigger.search([("cron_id", "=", cron.id)])), 1, "the job is woken again")
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        outbox._queue_hand_over(0)  # no progress: the rest is another worker's, or waits
        self.assertFalse(Trigger.search([("cron_id", "=", cron.id)]))
        self.assertEqual(outbox._queue_run(commit=False), 1)
        outbox._queue_hand_over(1)  # nothing left
        self.assertFalse(Trigger.search([("cron_id", "=", cron.id)]))

    def test_appminute_429_rests_every_organisation_without_spending_an_attempt(self):
        partners = self.customers(ORG_A, 1, "Alpha") | self.customers(ORG_B, 1, "Beta") \
            | self.customers(ORG_C, 1, "Gamma")
        self.admin_api.fault("rate_limit", problem="appminute", retry_after=30, count=1, path="/Contacts")
        self.Outbox._cron_process(commit=False)
        rows = self.rows(partners)
        self.assertEqual(len(self.sends()), 1, "after the 429 no organisation is sent anything")
        self.assertEqual(set(rows.mapped("state")), {"queued", "retry"})
        self.assertEqual(set(rows.mapped("attempts")), {0}, "the limit is not the rows' fault")
        rest = self.env["ledger.tenant"]._app_rest_until()
        self.assertTrue(rest and rest > fields.Datetime.now() + timedelta(seconds=20), rest)
        self.assertFalse(any(self.env["ledger.tenant"].browse(t.id).rest_until
                             for t in self.tenants.values()), "the app rests, not one organisation")
        cron = self.env.ref("psa_ledger.ir_cron_ledger_outbox")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id), ("call_at", "=", rest)]),
                        "the worker is woken when the app's minute is over")
        # resting: nothing is served, for any organisation
        self.assertEqual(self.Outbox._cron_process(commit=False), 0)
        self.assertEqual(len(self.sends()), 1)
        # the minute is over
        self.end_app_rest()
        rows.write({"next_try": fields.Datetime.now() - timedelta(seconds=1)})
        self.Outbox._cron_process(commit=False)
        self.assertEqual(set(rows.mapped("state")), {"done"}, rows.mapped("last_error"))
        self.assertEqual(len(self.sends()), 4)

    def test_app_minute_remaining_zero_rests_before_a_429(self):
        partners = self.customers(ORG_A, 1, "Alpha") | self.customers(ORG_B, 1, "Beta")
        self.admin_api.limits(app_minute=1, reset=True)
        self.Outbox._cron_process(commit=False)
        # the one call of the app's minute went (X-AppMinLimit-Remaining: 0): every worker stops there
        self.assertEqual(len(self.sends()), 1)
        self.assertFalse(self.env["ledger.request.log"].search([("status_code", "=", 429)]), "no 429 earned")
        rest = self.env["ledger.tenant"]._app_rest_until()
        self.assertTrue(rest and rest > fields.Datetime.now() + timedelta(seconds=50), rest)
        waiting = self.rows(partners).filtered(lambda r: r.state != "done")
        self.assertEqual(len(waiting), 1)
        self.assertEqual((waiting.state, waiting.attempts), ("queued", 0))
        self.assertEqual(self.Outbox._cron_process(commit=False), 0)
        # the next minute
        self.end_app_rest()
        self.admin_api.limits(app_minute=10000, reset=True)
        self.Outbox._cron_process(commit=False)
        self.assertEqual(waiting.state, "done", waiting.last_error)

    def end_app_rest(self):
        self.env["ir.config_parameter"].sudo().search([("key", "=", const.APP_REST_PARAM)]).write({
            "value": fields.Datetime.to_string(fields.Datetime.now() - timedelta(seconds=1))})
