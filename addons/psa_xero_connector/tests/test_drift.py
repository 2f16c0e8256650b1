"""The drift report end to end: Odoo sends documents and contacts to the harness, someone changes
Xero behind Odoo's back (admin API: a document removed, deleted, its total changed, a payment
recorded without a webhook, a contact edited, a document created in Xero), the report finds
each difference with few calls, its one-click fixes work, and a second run is clean."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ORG_A, SyncCase


class TestDrift(SyncCase):
    SWITCHES = ("sync_customers", "sync_invoices", "sync_credit_notes")

    def setUp(self):
        super().setUp()
        self.Line = self.env["xero.drift.line"]
        self.Drift = self.env["xero.drift"]

    def send(self, count, price=100):
        moves = self.env["account.move"]
        for i in range(count):
            moves |= self.invoice(price=price + i, name="Service %d" % i)
        self.process()
        self.assertEqual(set(moves.mapped("xero_sync_state")), {"done"})
        return moves

    def xero_id(self, record):
        return self.env["xero.link"].search([("res_model", "=", record._name), ("res_id", "=", record.id),
                                             ("tenant_id", "=", self.tenant.id)]).xero_id

    def lines(self, state="open"):
        return self.Line.search([("tenant_id", "=", self.tenant.id), ("state", "=", state)])

    def by_kind(self, lines):
        return sorted((line.kind, line.number) for line in lines)

    def drift_calls(self):
        return [r for r in self.harness.app.recent if r["method"] == "GET" and r["path"].startswith("/api.xro")]

    def test_every_kind_found_fixed_and_clean_on_the_second_run(self):
        removed, deleted, changed, paid, fine = moves = self.send(5)
        self.assertEqual(self.Drift._run(self.tenant)["differences"], 0, self.by_kind(self.lines()))
        # behind Odoo's back
        edit = self.admin_api.edit_document
        edit(ORG_A, "Invoices", self.xero_id(removed), remove=True)
        edit(ORG_A, "Invoices", self.xero_id(deleted), Status="DELETED")
        edit(ORG_A, "Invoices", self.xero_id(changed), UnitAmount=999)
        self.admin_api.pay(ORG_A, self.xero_id(paid), float(paid.amount_total))
        contact_id = self.xero_id(self.partner)
        self.harness.app.books.contacts.write(ORG_A.lower(), [{"ContactID": contact_id,
                                                               "EmailAddress": "new@tyrell.example"}], "POST")
        other = self.harness.app.books.invoices.write(ORG_A.lower(), [{
            "Type": "ACCREC", "Contact": {"ContactID": contact_id}, "Status": "AUTHORISED", "InvoiceNumber": "X-1",
            "DueDate": "2026-12-01", "LineItems": [{"Description": "Made in Xero", "Quantity": 1, "UnitAmount": 10,
                                                    "AccountCode": "200"}]}], "PUT")[0][1]
        self.harness.app.recent.clear()
        result = self.tenant.with_context(drift_full=True).action_run_drift()
        self.assertEqual(result["res_model"], "xero.drift.line")
        found = self.lines()
        self.assertEqual(self.by_kind(found), sorted([
            ("contact", "Tyrell Corp"), ("missing_odoo", "X-1"), ("missing_xero", removed.name),
            ("status", deleted.name), ("status", paid.name), ("total", changed.name)]))
        line = {(x.kind, x.number): x for x in found}
        self.assertEqual(line[("status", deleted.name)].xero_value, "DELETED")
        self.assertEqual(line[("status", paid.name)].xero_value, "PAID")
        self.assertEqual(line[("total", changed.name)].xero_value, "999.00")
        self.assertEqual(line[("contact", "Tyrell Corp")].xero_value, "email: new@tyrell.example")
        self.assertEqual(line[("missing_odoo", "X-1")].xero_id, other["InvoiceID"].lower())
        self.assertEqual(line[("missing_xero", removed.name)].record_name, removed.display_name)
        # few calls: one page of invoices, one of credit notes, one of contacts
        calls = self.drift_calls()
        self.assertEqual(len(calls), 3, [c["path"] for c in calls])
        self.assertEqual(self.tenant.xero_drift_calls, 3)
        # the dashboard's figures say the same
        self.tenant.invalidate_recordset()
        self.assertEqual(self.tenant.dash_drift_open, 6)
        self.assertIn("Total differs 1", self.tenant.dash_drift_summary)
        # the fixes: re-push the three Odoo has right, pull the payment, ignore the Xero-only one
        (line[("missing_xero", removed.name)] | line[("status", deleted.name)] | line[("total", changed.name)]
         | line[("contact", "Tyrell Corp")]).action_repush()
        self.assertEqual(set(self.lines("queued").mapped("kind")), {"missing_xero", "status", "total", "contact"})
        self.process()
        line[("status", paid.name)].action_pull()
        self.assertIn(paid.payment_state, ("paid", "in_payment"))
        self.assertEqual(line[("status", paid.name)].state, "fixed")
        line[("missing_odoo", "X-1")].action_ignore()
        result = self.Drift._run(self.tenant)
        self.assertFalse(result["full"])
        self.assertEqual(self.by_kind(self.lines()), [])
        self.assertEqual(self.lines("ignored").mapped("number"), ["X-1"])  # stays ignored while it differs
        self.assertEqual(len(self.lines("fixed")), 5)
        # in Xero as Odoo has them: the removed and deleted ones created again, the total and e-mail back
        invoices = {i.get("InvoiceNumber"): i for i in self.admin_api.records("invoice", ORG_A)
                    if i.get("Status") != "DELETED"}
        for move in moves:
            self.assertEqual(float(invoices[move.name]["Total"]), move.amount_total, move.name)
        contact = next(c for c in self.admin_api.records("contact", ORG_A) if c["ContactID"] == contact_id)
        self.assertEqual(contact["EmailAddress"], "et@tyrell.example")
        del fine

    def test_paging_and_the_rerun_reads_only_changes(self):
        moves = self.send(5)
        contacts = len([c for c in self.admin_api.records("contact", ORG_A) if c["ContactStatus"] != "ARCHIVED"])
        self.harness.app.recent.clear()
        result = self.Drift._run(self.tenant, page_size=2)
        # 5 invoices: 3 pages; no credit note: 1; the contacts: a page per 2 (Xero's pageCount says when to stop)
        contact_pages = max(1, -(-contacts // 2))
        self.assertEqual(result, {"calls": 3 + 1 + contact_pages, "documents": 5 + contacts, "differences": 0,
                                  "full": True})
        pages = [c for c in self.drift_calls() if "/Invoices" in c["path"]]
        self.assertEqual([("page=%d" % n) in c["path"] for n, c in enumerate(reversed(pages), 1)], [True] * 3)
        # a later run: only what changed since travels, and a deletion is seen
        self.tenant.xero_drift_checked_at = fields.Datetime.now() + timedelta(minutes=5)
        self.admin_api.post("/clock/advance", {"seconds": 600})
        self.admin_api.edit_document(ORG_A, "Invoices", self.xero_id(moves[2]), Status="VOIDED")
        self.harness.app.recent.clear()
        result = self.Drift._run(self.tenant, page_size=2)
        self.assertEqual(result["calls"], 3, "one short page per collection")
        logged = self.env["xero.request.log"].search([("tenant_id", "=", self.tenant.id),
                                                      ("operation", "=", "drift Invoices")], limit=1)
        self.assertIn("If-Modified-Since", logged.request_headers)
        self.assertIn("summaryOnly=true", logged.url)
        self.assertIn("Statuses=", logged.url)
        self.assertEqual(self.by_kind(self.lines()), [("status", moves[2].name)])
        self.assertEqual(self.lines().xero_value, "VOIDED")
        self.assertEqual(result["documents"], 5 + contacts, "the others come from the last snapshot")

    def test_lost_link_is_paired_and_linked(self):
        move = self.send(1)
        link = self.env["xero.link"].search([("res_model", "=", "account.move"), ("res_id", "=", move.id)])
        xero_id = link.xero_id
        link.unlink()
        self.Drift._run(self.tenant)
        missing = self.lines().filtered(lambda x: x.kind == "missing_xero")
        self.assertEqual(self.by_kind(self.lines()), [("missing_odoo", move.name), ("missing_xero", move.name)])
        self.assertEqual(missing.candidate, xero_id.lower())
        missing.action_link()
        self.assertEqual(self.xero_id(move).lower(), xero_id.lower())
        self.assertFalse(self.lines())
        self.tenant.xero_drift_full_at = False  # the nightly run: a full one, as none is known
        self.Drift._cron_run(commit=False)
        self.assertTrue(self.tenant.xero_drift_full_at)
        self.assertFalse(self.lines())

    def test_dashboard_figures_and_rights(self):
        self.send(2)
        bad = self.env["res.partner"].create({"name": "No Mail Ltd", "is_company": True,
                                              "company_id": self.company.id, "customer_rank": 1})
        self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": bad.id, "invoice_date": "2026-11-08",
            "invoice_line_ids": [Command.create({"name": "x", "quantity": 1, "price_unit": 5,
                                                 "tax_ids": [Command.clear()]})]}).action_post()
        self.process()
        self.invoice()  # queued, not sent yet
        self.tenant.invalidate_recordset()
        Outbox = self.Outbox.sudo()
        self.assertEqual(self.tenant.dash_errors, Outbox.search_count([("tenant_id", "=", self.tenant.id),
                                                                      ("state", "=", "error")]))
        self.assertGreaterEqual(self.tenant.dash_errors, 1)
        self.assertEqual(self.tenant.dash_queued, 1)
        self.assertEqual(self.tenant.dash_synced_today, Outbox.search_count([("tenant_id", "=", self.tenant.id),
                                                                            ("state", "=", "done")]))
        # Xero's remaining calls, as the harness counts them
        [used] = [u for key, u in self.harness.app.limits.snapshot()["used"].items() if ORG_A.lower() in key.lower()]
        self.assertTrue(self.tenant.dash_limits_known)
        self.assertEqual(self.tenant.dash_minute_remaining, 60 - used["minute"])
        self.assertEqual(self.tenant.dash_day_remaining, 5000 - used["day"])
        self.assertTrue(self.tenant.dash_last_success)
        # imported (items and accounts), but no tax mapped yet: that is the next step
        self.assertEqual((self.tenant.dash_setup_done, self.tenant.dash_setup_next),
                         (5, "Map the default taxes and accounts"))
        self.assertEqual(self.tenant.action_dash_errors()["domain"],
                         [("tenant_id", "=", self.tenant.id), ("state", "in", ["error"])])
        # a Xero user sees the figures; only a manager runs the report or fixes a line
        user = self.env["res.users"].create({
            "name": "Xero reader", "login": "xero_reader", "company_id": self.company.id,
            "company_ids": [Command.set(self.company.ids)],
            "groups_id": [Command.set([self.env.ref("base.group_user").id,
                                       self.env.ref("psa_xero_connector.group_xero_user").id])]})
        tenant = self.tenant.with_user(user)
        self.assertEqual(tenant.dash_queued, 1)
        with self.assertRaises(AccessError):
            tenant.action_run_drift()
        self.Drift._run(self.tenant)
        with self.assertRaises(AccessError):
            self.lines().with_user(user).action_ignore()
        self.assertTrue(self.lines().with_user(user).read(["kind"]))

    def test_a_line_never_sends_another_companys_record(self):
        """A manager cannot point a drift line of their organisation at another company's record
        (no write right on lines; the actions refuse a record of another company)."""
        [move] = self.send(1)
        edit = self.admin_api.edit_document
        edit(ORG_A, "Invoices", self.xero_id(move), remove=True)
        self.Drift._run(self.tenant)
        [line] = self.lines().filtered(lambda ln: ln.kind == "missing_xero")
        other = self.env["res.company"].create({"name": "Other Co"})
        secret = self.env["res.partner"].create({"name": "Secret Customer", "company_id": other.id,
                                                 "email": "ceo@secret.example"})
        manager = self.env["res.users"].create({
            "name": "Xero manager", "login": "xero_manager_drift", "company_id": self.company.id,
            "company_ids": [Command.set(self.company.ids)],
            "groups_id": [Command.set([self.env.ref("base.group_user").id,
                                       self.env.ref("account.group_account_user").id,
                                       self.env.ref("psa_xero_connector.group_xero_manager").id])]})
        with self.assertRaises(AccessError):
            line.with_user(manager).write({"res_model": "res.partner", "res_id": secret.id, "entity": "contact"})
        line.sudo().write({"res_model": "res.partner", "res_id": secret.id, "entity": "contact"})  # as if
        with self.assertRaisesRegex(UserError, "belongs to Other Co"):
            line.with_user(manager).action_repush()
        self.assertFalse(self.Outbox.sudo().search([("res_model", "=", "res.partner"), ("res_id", "=", secret.id)]))


@tagged("post_install", "-at_install")
class TestDriftTour(SyncCase):
    """In Chromium: the dashboard card's figures are the database's; the drift report finds an
    invoice deleted and a total changed in Xero, re-push fixes both, a second run is clean."""

    SWITCHES = ("sync_customers", "sync_invoices", "sync_credit_notes")

    def xero_id(self, record):
        return self.env["xero.link"].search([("res_model", "=", record._name), ("res_id", "=", record.id),
                                             ("tenant_id", "=", self.tenant.id)]).xero_id

    def test_dashboard_and_drift_report_in_the_browser(self):
        deleted, changed, _fine = self.invoice(), self.invoice(price=300), self.invoice(price=400)
        no_mail = self.env["res.partner"].create({"name": "No Mail Ltd", "is_company": True,
                                                  "company_id": self.company.id})
        waiting = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": no_mail.id, "invoice_date": "2026-11-08",
            "invoice_line_ids": [Command.create({"name": "x", "quantity": 1, "price_unit": 5,
                                                 "tax_ids": [Command.clear()]})]})
        waiting.action_post()
        self.process()
        queued = self.invoice(price=50)  # not sent yet
        # what the dashboard tour reads is what the database says
        rows = self.Outbox.search([("tenant_id", "=", self.tenant.id)])
        self.assertEqual(len(rows.filtered(lambda r: r.state == "done")), 4)  # 3 invoices and their customer
        # No Mail Ltd has no e-mail: it and its invoice
        self.assertEqual(len(rows.filtered(lambda r: r.state == "error")), 2)
        self.assertEqual(rows.filtered(lambda r: r.state in ("queued", "waiting", "sending", "retry")).mapped("res_id"),
                         queued.ids)
        self.start_tour("/odoo/xero-dashboard", "psa_xero_connector_dashboard_tour", login="admin")
        # behind Odoo's back
        self.admin_api.edit_document(ORG_A, "Invoices", self.xero_id(deleted), Status="DELETED")
        self.admin_api.edit_document(ORG_A, "Invoices", self.xero_id(changed), UnitAmount=999)
        # the customer without e-mail gets one: it and its invoice go (else they are rightly reported)
        no_mail.write({"child_ids": [Command.create({"name": "Ann Other", "type": "invoice",
                                                     "email": "ann@nomail.example"})]})
        self.process()
        self.start_tour("/odoo/xero-dashboard", "psa_xero_connector_drift_tour", login="admin")
        self.assertTrue(self.tenant.xero_drift_full_at, "the first run from the card compares everything")
        lines = self.env["xero.drift.line"].search([("tenant_id", "=", self.tenant.id)])
        self.assertEqual(sorted((x.kind, x.state, x.number) for x in lines),
                         sorted([("status", "queued", deleted.name), ("total", "queued", changed.name)]))
        self.process()  # the outbox sends what was re-pushed
        self.start_tour("/odoo/xero-dashboard", "psa_xero_connector_drift_clean_tour", login="admin")
        self.assertEqual(set(lines.mapped("state")), {"fixed"})
        invoices = {i["InvoiceNumber"]: i for i in self.admin_api.records("invoice", ORG_A)
                    if i.get("Status") == "AUTHORISED"}
        self.assertEqual(float(invoices[deleted.name]["Total"]), deleted.amount_total)
        self.assertEqual(float(invoices[changed.name]["Total"]), changed.amount_total)
