"""The drift report end to end: Odoo sends documents and contacts to the harness, someone changes
Xero behind Odoo's back (admin API: a document removed, deleted, its total changed, a payment
recorded without a webhook, a contact edited, a document created in Xero), the report finds
each difference with few calls, its one-click fixes work, and a second run is clean."""

import json
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ORG_A, SyncCase


class TestDrift(SyncCase):
    SWITCHES = ("sync_customers", "sync_invoices", "sync_credit_notes")

    def setUp(self):
        super().setUp()
        self.Line = self.env["ledger.drift.line"]
        self.Drift = self.env["ledger.drift"]

    def send(self, count, price=100):
        moves = self.env["account.move"]
        for i in range(count):
            moves |= self.invoice(price=price + i, name="Service %d" % i)
        self.process()
        self.assertEqual(set(moves.mapped("ledger_sync_state")), {"done"})
        return moves

    def remote_id(self, record):
        return self.env["ledger.link"].search([("res_model", "=", record._name), ("res_id", "=", record.id),
                                             ("tenant_id", "=", self.tenant.id)]).remote_id

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
        edit(ORG_A, "Invoices", self.remote_id(removed), remove=True)
        edit(ORG_A, "Invoices", self.remote_id(deleted), Status="DELETED")
        edit(ORG_A, "Invoices", self.remote_id(changed), UnitAmount=999)
        self.admin_api.pay(ORG_A, self.remote_id(paid), float(paid.amount_total))
        contact_id = self.remote_id(self.partner)
        self.harness.app.books.contacts.write(ORG_A.lower(), [{"ContactID": contact_id,
                                                               "EmailAddress": "new@tyrell.example"}], "POST")
        other = self.harness.app.books.invoices.write(ORG_A.lower(), [{
            "Type": "ACCREC", "Contact": {"ContactID": contact_id}, "Status": "AUTHORISED", "InvoiceNumber": "X-1",
            "DueDate": "2026-12-01", "LineItems": [{"Description": "Made in Xero", "Quantity": 1, "UnitAmount": 10,
                                                    "AccountCode": "200"}]}], "PUT")[0][1]
        self.harness.app.recent.clear()
        result = self.tenant.with_context(drift_full=True).action_run_drift()
        self.assertEqual(result["res_model"], "ledger.drift.line")
        found = self.lines()
        self.assertEqual(self.by_kind(found), sorted([
            ("contact", "Tyrell Corp"), ("missing_odoo", "X-1"), ("missing_ledger", removed.name),
            ("status", deleted.name), ("status", paid.name), ("total", changed.name)]))
        line = {(x.kind, x.number): x for x in found}
        self.assertEqual(line[("status", deleted.name)].remote_value, "DELETED")
        self.assertEqual(line[("status", paid.name)].remote_value, "PAID")
        self.assertEqual(line[("total", changed.name)].remote_value, "999.00")
        self.assertEqual(line[("contact", "Tyrell Corp")].remote_value, "email: new@tyrell.example")
        self.assertEqual(line[("missing_odoo", "X-1")].remote_id, other["InvoiceID"].lower())
        self.assertEqual(line[("missing_ledger", removed.name)].record_name, removed.display_name)
        # few calls: one page of invoices, one of credit notes, one of contacts
        calls = self.drift_calls()
        self.assertEqual(len(calls), 3, [c["path"] for c in calls])
        self.assertEqual(self.tenant.drift_calls, 3)
        # the dashboard's figures say the same
        self.tenant.invalidate_recordset()
        self.assertEqual(self.tenant.dash_drift_open, 6)
        self.assertIn("Total differs 1", self.tenant.dash_drift_summary)
        # the fixes: re-push the three Odoo has right, pull the payment, ignore the Xero-only one
        (line[("missing_ledger", removed.name)] | line[("status", deleted.name)] | line[("total", changed.name)]
         | line[("contact", "Tyrell Corp")]).action_repush()
        self.assertEqual(set(self.lines("queued").mapped("kind")), {"missing_ledger", "status", "total", "contact"})
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
        self.tenant.drift_checked_at = fields.Datetime.now() + timedelta(minutes=5)
        self.admin_api.post("/clock/advance", {"seconds": 600})
        self.admin_api.edit_document(ORG_A, "Invoices", self.remote_id(moves[2]), Status="VOIDED")
        self.harness.app.recent.clear()
        result = self.Drift._run(self.tenant, page_size=2)
        self.assertEqual(result["calls"], 3, "one short page per collection")
        logged = self.env["ledger.request.log"].search([("tenant_id", "=", self.tenant.id),
                                                      ("operation", "=", "drift Invoices")], limit=1)
        self.assertIn("If-Modified-Since", logged.request_headers)
        self.assertIn("summaryOnly=true", logged.url)
        self.assertIn("Statuses=", logged.url)
        self.assertEqual(self.by_kind(self.lines()), [("status", moves[2].name)])
        self.assertEqual(self.lines().remote_value, "VOIDED")
        self.assertEqual(result["documents"], 5 + contacts, "the others come from the last snapshot")

    def test_lost_link_is_paired_and_linked(self):
        move = self.send(1)
        link = self.env["ledger.link"].search([("res_model", "=", "account.move"), ("res_id", "=", move.id)])
        remote_id = link.remote_id
        link.unlink()
        self.Drift._run(self.tenant)
        missing = self.lines().filtered(lambda x: x.kind == "missing_ledger")
        self.assertEqual(self.by_kind(self.lines()), [("missing_ledger", move.name), ("missing_odoo", move.name)])
        self.assertEqual(missing.candidate, remote_id.lower())
        missing.action_link()
        self.assertEqual(self.remote_id(move).lower(), remote_id.lower())
        self.assertFalse(self.lines())
        self.tenant.drift_full_at = False  # the nightly run: a full one, as none is known
        self.Drift._cron_run(commit=False)
        self.assertTrue(self.tenant.drift_full_at)
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
                                       self.env.ref("psa_ledger.group_ledger_user").id])]})
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
        edit(ORG_A, "Invoices", self.remote_id(move), remove=True)
        self.Drift._run(self.tenant)
        [line] = self.lines().filtered(lambda ln: ln.kind == "missing_ledger")
        other = self.env["res.company"].create({"name": "Other Co"})
        secret = self.env["res.partner"].create({"name": "Secret Customer", "company_id": other.id,
                                                 "email": "ceo@secret.example"})
        manager = self.env["res.users"].create({
            "name": "Xero manager", "login": "xero_manager_drift", "company_id": self.company.id,
            "company_ids": [Command.set(self.company.ids)],
            "groups_id": [Command.set([self.env.ref("base.group_user").id,
                                       self.env.ref("account.group_account_user").id,
                                       self.env.ref("psa_ledger.group_ledger_manager").id])]})
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

    def remote_id(self, record):
        return self.env["ledger.link"].search([("res_model", "=", record._name), ("res_id", "=", record.id),
                                             ("tenant_id", "=", self.tenant.id)]).remote_id

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
        self.admin_api.edit_document(ORG_A, "Invoices", self.remote_id(deleted), Status="DELETED")
        self.admin_api.edit_document(ORG_A, "Invoices", self.remote_id(changed), UnitAmount=999)
        # the customer without e-mail gets one: it and its invoice go (else they are rightly reported)
        no_mail.write({"child_ids": [Command.create({"name": "Ann Other", "type": "invoice",
                                                     "email": "ann@nomail.example"})]})
        self.process()
        self.start_tour("/odoo/xero-dashboard", "psa_xero_connector_drift_tour", login="admin")
        self.assertTrue(self.tenant.drift_full_at, "the first run from the card compares everything")
        lines = self.env["ledger.drift.line"].search([("tenant_id", "=", self.tenant.id)])
        self.assertEqual(sorted((x.kind, x.state, x.number) for x in lines),
                         sorted([("status", "queued", deleted.name), ("total", "queued", changed.name)]))
        self.process()  # the outbox sends what was re-pushed
        self.start_tour("/odoo/xero-dashboard", "psa_xero_connector_drift_clean_tour", login="admin")
        self.assertEqual(set(lines.mapped("state")), {"fixed"})
        invoices = {i["InvoiceNumber"]: i for i in self.admin_api.records("invoice", ORG_A)
                    if i.get("Status") == "AUTHORISED"}
        self.assertEqual(float(invoices[deleted.name]["Total"]), deleted.amount_total)
        self.assertEqual(float(invoices[changed.name]["Total"]), changed.amount_total)


@tagged("post_install", "-at_install")
class TestDriftFixesAreSafe(SyncCase):
    """Each fix checks again, when it runs, what the report saw: pressed twice, or on a line
    that went stale (an outbox retry linked the record since), it creates nothing."""

    SWITCHES = ("sync_customers", "sync_suppliers", "sync_invoices", "sync_bills")

    def setUp(self):
        super().setUp()
        self.Line = self.env["ledger.drift.line"]
        self.Drift = self.env["ledger.drift"]
        self.supplier = self.env["res.partner"].create({"name": "Ingram Micro UK", "is_company": True,
                                                        "supplier_rank": 1, "company_id": self.company.id})

    def bill(self, ref="IM-7001"):
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.supplier.id, "invoice_date": "2026-11-04", "ref": ref,
            "invoice_date_due": "2026-12-04",
            "invoice_line_ids": [Command.create({"name": "Switch", "quantity": 1, "price_unit": 240,
                                                 "tax_ids": [Command.clear()]})]})
        bill.action_post()
        return bill

    def live_bills(self):
        return [i for i in self.admin_api.records("invoice", ORG_A)
                if i["Type"] == "ACCPAY" and i["Status"] not in ("DELETED", "VOIDED")]

    def link(self, record):
        return self.env["ledger.link"].search([("res_model", "=", record._name), ("res_id", "=", record.id),
                                             ("tenant_id", "=", self.tenant.id)])

    def open_line(self, kind):
        return self.Line.search([("tenant_id", "=", self.tenant.id), ("kind", "=", kind), ("state", "=", "open")])

    def test_repush_twice_and_after_a_retry_leaves_one_bill(self):
        bill = self.bill()
        self.process()
        self.assertEqual(len(self.live_bills()), 1)
        # removed from Xero behind Odoo's back: the report says so
        self.admin_api.edit_document(ORG_A, "Invoices", self.link(bill).remote_id, remove=True)
        self.Drift._run(self.tenant)
        line = self.open_line("missing_ledger")
        self.assertEqual(line.res_id, bill.id)
        line.action_repush()
        self.assertEqual(line.state, "queued")
        second = line.action_repush()  # pressed twice before the outbox ran
        self.assertIn("no longer open", second["params"]["message"])
        self.process()
        line.action_repush()  # and again once it was sent
        self.process()
        [live] = self.live_bills()
        self.assertEqual(self.link(bill).remote_id, live["InvoiceID"], "the link is the live bill's")

    def test_a_stale_missing_line_after_an_outbox_retry_creates_nothing(self):
        bill = self.bill("IM-7002")
        # Xero creates the bill, every answer is lost: the row gives up, in doubt
        self.admin_api.fault("lose_response", mode="reset", method="PUT", path="/Invoices", count=50)
        for _ in range(10):
            self.due_now()
            self.process()
        row = self.row(bill)
        self.assertEqual(row.state, "error", row.last_error)
        self.harness.app.faults.clear()
        self.Drift._run(self.tenant)
        line = self.open_line("missing_ledger")
        self.assertEqual((line.res_id, line.remote_value), (bill.id, "never sent"))
        # the outbox's Retry resends the request as it was, with its key: Xero replays, the bill is linked
        row.action_retry()
        self.due_now()
        self.process()
        [live] = self.live_bills()
        self.assertEqual(self.link(bill).remote_id, live["InvoiceID"])
        # the line went stale: Re-push (twice) finds the link and creates nothing
        for _ in range(2):
            message = line.action_repush()["params"]["message"]
            self.assertIn("since the report ran", message)
        self.process()
        self.assertEqual([b["InvoiceID"] for b in self.live_bills()], [live["InvoiceID"]])
        self.assertEqual(self.link(bill).remote_id, live["InvoiceID"], "link intact")
        self.assertEqual(line.state, "open")

    def test_repush_of_a_line_paired_with_a_xero_bill_creates_nothing(self):
        bill = self.bill("IM-7004")
        self.process()
        link = self.link(bill)
        first = link.remote_id
        link.unlink()  # the link is lost
        self.Drift._run(self.tenant)
        line = self.open_line("missing_ledger")
        self.assertEqual(line.candidate, first.lower())
        # Re-push would create a second bill of the same number: refused, it says to link instead
        self.assertIn("link it instead", line.action_repush()["params"]["message"])
        self.process()
        self.assertEqual([b["InvoiceID"] for b in self.live_bills()], [first])
        line.action_link()
        self.assertEqual(self.link(bill).remote_id.lower(), first.lower())

    def test_link_never_overwrites_a_link_made_since_the_report_ran(self):
        bill = self.bill("IM-7003")
        self.process()
        link = self.link(bill)
        first = link.remote_id
        link.unlink()  # the link is lost
        self.Drift._run(self.tenant)
        line = self.open_line("missing_ledger")
        self.assertEqual(line.candidate, first.lower())
        # since the report ran, the bill was linked to another Xero bill
        other = self.harness.app.books.invoices.write(ORG_A.lower(), [{
            "Type": "ACCPAY", "Contact": {"ContactID": self.link(self.supplier).remote_id}, "Status": "AUTHORISED",
            "InvoiceNumber": "IM-7003-B", "DueDate": "2026-12-01", "LineItems": [
                {"Description": "Made in Xero", "Quantity": 1, "UnitAmount": 240, "AccountCode": "300"}]}],
            "PUT")[0][1]
        self.env["ledger.link"].create({"tenant_id": self.tenant.id, "res_model": "account.move", "res_id": bill.id,
                                      "remote_id": other["InvoiceID"], "remote_name": "IM-7003-B"})
        message = line.action_link()["params"]["message"]
        self.assertIn("already linked to IM-7003-B", message)
        self.assertEqual(self.link(bill).remote_id, other["InvoiceID"], "not overwritten")
        self.assertEqual(line.state, "open")
        # a line no longer open is refused
        line.action_ignore()
        self.assertIn("no longer open", line.action_link()["params"]["message"])
        self.assertEqual(self.link(bill).remote_id, other["InvoiceID"])


@tagged("post_install", "-at_install")
class TestDeletedDocuments(SyncCase):
    """An invoice deleted in Odoo after it reached Xero (reset to draft, deleted) does not stay
    live in Xero: voided (approved) or deleted (draft) there through the outbox; refused in Odoo
    while it has a payment in Xero; and the drift report finds one left live in Xero."""

    SWITCHES = ("sync_customers", "sync_invoices", "sync_credit_notes")

    def xero_invoice(self, remote_id):
        return next(i for i in self.admin_api.records("invoice", ORG_A) if i["InvoiceID"] == remote_id)

    def link(self, record):
        return self.env["ledger.link"].search([("res_model", "=", record._name), ("res_id", "=", record.id),
                                             ("tenant_id", "=", self.tenant.id)])

    def delete(self, move):
        move.button_draft()
        move.unlink()

    def rpc(self, method, records):
        """As the accountant's browser calls it: JSON-RPC, logged in as admin. -> the answer's JSON."""
        self.authenticate("admin", "admin")
        return self.url_open("/web/dataset/call_kw/%s/%s" % (records._name, method), data=json.dumps({
            "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "model": records._name, "method": method, "args": [records.ids], "kwargs": {}}}),
            headers={"Content-Type": "application/json"}).json()

    def test_deleted_invoice_is_voided_or_deleted_in_xero_once(self):
        approved = self.invoice(price=120)
        self.process()
        self.tenant.document_status = "DRAFT"
        draft = self.invoice(price=130)
        self.process()
        ids = {m.name: self.link(m).remote_id for m in (approved, draft)}
        self.assertEqual([self.xero_invoice(x)["Status"] for x in ids.values()], ["AUTHORISED", "DRAFT"])
        names = [draft.name, approved.name]
        self.delete(draft)  # the last number first: Odoo lets it go
        for method in ("button_draft", "unlink"):  # as a user does it, over JSON-RPC
            self.assertNotIn("error", self.rpc(method, approved))
        self.assertFalse(approved.exists())
        rows = self.Outbox.search([("operation", "=", "delete")])
        self.assertEqual(sorted(rows.mapped("record_name")), sorted(names))
        self.process()
        self.assertEqual(set(rows.mapped("state")), {"done"}, rows.mapped("last_error"))
        self.assertEqual(self.xero_invoice(ids[names[1]])["Status"], "VOIDED")
        self.assertEqual(self.xero_invoice(ids[names[0]])["Status"], "DELETED")
        self.process()  # nothing more goes
        self.assertEqual(set(rows.mapped("state")), {"done"})
        self.assertEqual(len(self.Outbox.search([("operation", "=", "delete")])), 2)
        self.env["ledger.drift"]._run(self.tenant)
        self.assertFalse(self.env["ledger.drift.line"].search([("tenant_id", "=", self.tenant.id)]))

    def test_paid_in_xero_known_to_odoo_refuses_the_deletion(self):
        move = self.invoice(price=200)
        self.process()
        remote_id = self.link(move).remote_id
        self.admin_api.pay(ORG_A, remote_id, 50.0)
        self.env["xero.inbound"]._sync_documents(self.tenant, "invoice", [remote_id.lower()])
        move.button_draft()
        with self.assertRaisesRegex(UserError, "has a payment in Xero"):
            move.unlink()
        answer = self.rpc("unlink", move)  # the sentence reaches the user's screen
        self.assertIn("cannot be deleted: it has a payment in Xero", answer["error"]["data"]["message"])
        self.assertTrue(move.exists())
        self.assertEqual(self.xero_invoice(remote_id)["Status"], "AUTHORISED")

    def test_one_left_live_in_xero_is_reported_missing_in_odoo(self):
        move = self.invoice(price=300)
        self.process()
        remote_id = self.link(move).remote_id
        name = move.name
        self.admin_api.pay(ORG_A, remote_id, 10.0)  # behind Odoo's back: Xero will not void it
        self.delete(move)
        self.process()
        [row] = self.Outbox.search([("operation", "=", "delete")])
        self.assertEqual(row.state, "error")
        self.assertIn("payment", row.last_error)
        self.assertEqual(row.record_name, name)
        self.env["ledger.drift"]._run(self.tenant)
        [line] = self.env["ledger.drift.line"].search([("tenant_id", "=", self.tenant.id)])
        self.assertEqual((line.kind, line.remote_id, line.odoo_value),
                         ("missing_odoo", remote_id.lower(), "deleted in Odoo (%s)" % name))
