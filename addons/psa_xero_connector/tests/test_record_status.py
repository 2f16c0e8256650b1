"""Issue #13, on every synced record: its Xero badge (queued, in Xero since when, error with
Retry, voided), the link that opens it in Xero or in the harness, the customer's online
invoice; Re-sync to Xero; batched success popups for whoever saved; History notes in Xero."""

import json

import requests

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .. import const
from .common import ORG_A, SyncCase


@tagged("post_install", "-at_install")
class TestRecordStatus(SyncCase):
    SWITCHES = ("sync_customers", "sync_invoices", "sync_bills", "sync_credit_notes", "sync_products")

    def state(self, record):
        record.invalidate_recordset(["ledger_sync_state", "ledger_sync_message", "ledger_synced_at", "ledger_url"])
        return record.ledger_sync_state

    def remote_id(self, record):
        return self.env["ledger.link"].search([("res_model", "=", record._name), ("res_id", "=", record.id)]).remote_id

    def test_list_filter_agrees_with_the_badge(self):
        """Searching on the Xero status finds what the badge shows: a record linked by the import (no outbox
        row) is in Xero; a voided one, or one whose later change failed, is not."""
        Move, Partner = self.env["account.move"], self.env["res.partner"]
        sent, voided, failed, queued = (self.invoice(price=p) for p in (11, 12, 13, 14))
        self.process()
        voided.button_cancel()
        self.process()
        self.tenant.catchall_invoice_item_id = False  # its lines lose their account: held with our sentence
        failed.button_draft()
        failed.action_post()
        self.process()
        queued.button_draft()
        queued.action_post()
        imported = Partner.create({"name": "Cyberdyne Systems", "is_company": True, "company_id": self.company.id})
        self.env["ledger.link"].create({"tenant_id": self.tenant.id, "res_model": "res.partner",
                                      "res_id": imported.id, "remote_id": "7b1e0000-0000-4000-8000-00000000c0de"})
        moves = sent | voided | failed | queued
        expected = {m: self.state(m) for m in moves}
        self.assertEqual(list(expected.values()), ["done", "voided", "error", "queued"])
        for value in ("done", "voided", "error", "queued"):
            self.assertEqual(Move.search([("id", "in", moves.ids), ("ledger_sync_state", "=", value)]),
                             moves.filtered(lambda m, v=value: expected[m] == v), value)
            self.assertEqual(Move.search([("id", "in", moves.ids), ("ledger_sync_state", "!=", value)]),
                             moves.filtered(lambda m, v=value: expected[m] != v), value)
        self.assertEqual(self.state(imported), "done")
        self.assertIn(imported, Partner.search([("ledger_sync_state", "=", "done")]))

    def test_badge_states_and_links(self):
        move = self.invoice(price=120)
        self.assertEqual(self.state(move), "queued")
        self.assertFalse(move.ledger_url, "no link before Xero knows it")
        self.process()
        self.assertEqual(self.state(move), "done")
        self.assertTrue(move.ledger_synced_at)
        url = "%s/ui/%s/invoices/%s" % (self.harness.url, ORG_A, self.remote_id(move))
        self.assertEqual(move.ledger_url, url)
        page = requests.get(url, timeout=10)
        self.assertEqual(page.status_code, 200)
        self.assertIn(move.name, page.text)
        partner = move.commercial_partner_id
        self.assertEqual(self.state(partner), "done")
        self.assertEqual(partner.ledger_url,
                         "%s/ui/%s/contacts/%s" % (self.harness.url, ORG_A, self.remote_id(partner)))
        self.assertIn("Tyrell Corp", requests.get(partner.ledger_url, timeout=10).text)
        # the list's two queries serve many records at once, and the list filter finds them
        self.assertIn(move, self.env["account.move"].search([("ledger_sync_state", "=", "done")]))

        move.button_cancel()
        self.process()
        self.assertEqual(self.state(move), "voided")
        self.assertIn(move, self.env["account.move"].search([("ledger_sync_state", "=", "voided")]))

        self.tenant.catchall_invoice_item_id = False
        bad = self.invoice(price=10)
        self.process()
        self.assertEqual(self.state(bad), "error")
        self.assertIn("Account code or ID must be specified", bad.ledger_sync_message)
        self.assertFalse(bad.ledger_url)

        product = self.env["product.template"].create({"name": "Backup (GB)", "default_code": "BACKUP-GB",
                                                       "list_price": 2, "taxes_id": [Command.clear()],
                                                       "supplier_taxes_id": [Command.clear()]})
        self.process()
        self.assertEqual(self.state(product), "done", product.ledger_sync_message)
        self.assertTrue(product.ledger_url.startswith("%s/ui/%s/items/" % (self.harness.url, ORG_A)))

    def test_xero_deep_link_with_the_organisation_short_code(self):
        move = self.invoice()
        self.process()
        self.tenant.action_test_connection()
        self.assertEqual(self.tenant.xero_short_code, "!" + ORG_A[:5], "Organisation.ShortCode kept")
        self.env["ir.config_parameter"].sudo().set_param(const.PARAM_PREFIX + "api_url", const.DEFAULT_API_URL)
        self.state(move)
        self.assertEqual(move.ledger_url, "https://go.xero.com/organisationlogin/default.aspx?shortcode=!%s"
                         "&redirecturl=/AccountsReceivable/View.aspx?InvoiceID=%s" % (ORG_A[:5], self.remote_id(move)))

    def test_nothing_shows_to_users_without_xero_rights(self):
        move = self.invoice()
        self.process()
        clerk = new_test_user(self.env, "clerk", groups="account.group_account_invoice",
                              company_ids=[Command.set(self.company.ids)])
        as_clerk = move.with_user(clerk)
        self.assertEqual((as_clerk.ledger_sync_state, as_clerk.ledger_url), ("none", False))
        with self.assertRaises(AccessError):
            as_clerk.action_xero_resync()

    def test_online_invoice_link(self):
        move = self.invoice(price=300)
        self.process()
        move.action_xero_online_invoice()
        url = move.xero_online_invoice_url
        self.assertTrue(url.startswith(self.harness.url + "/ui/online/"), url)
        page = requests.get(url, timeout=10)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Tyrell Corp", page.text)
        self.assertIn(url, move.message_ids[0].body)
        composer = move.action_xero_send_online_invoice()
        self.assertEqual((composer["res_model"], composer["context"]["default_partner_ids"]),
                         ("mail.compose.message", self.partner.ids))
        self.assertIn(url, composer["context"]["default_body"])
        sent = self.env["mail.compose.message"].with_context(**composer["context"]).create({})
        self.assertIn(url, sent.body)
        # refused as Xero refuses: a bill, and an invoice still in draft in Xero
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.partner.id, "invoice_date": "2026-11-08",
            "invoice_line_ids": [Command.create({"name": "Parts", "quantity": 1, "price_unit": 5,
                                                 "tax_ids": [Command.clear()]})]})
        bill.action_post()
        self.process()
        with self.assertRaisesRegex(UserError, "customer invoices only"):
            bill.action_xero_online_invoice()
        self.tenant.document_status = "DRAFT"
        draft = self.invoice(price=7)
        self.process()
        with self.assertRaisesRegex(UserError, "approved invoices only"):
            draft.action_xero_online_invoice()
        # Xero's own refusal comes through when Odoo's idea of the status is stale
        link = self.env["ledger.link"].search([("res_model", "=", "account.move"), ("res_id", "=", draft.id)])
        link.remote_status = "AUTHORISED"
        with self.assertRaisesRegex(UserError, "only available for approved sales invoices"):
            draft.action_xero_online_invoice()
        # it keeps the link on the invoice and posts it: who may only read the invoice may not
        reader = new_test_user(self.env, "reader", groups="account.group_account_readonly,"
                               "psa_ledger.group_ledger_user", company_id=self.company.id,
                               company_ids=[Command.set(self.company.ids)])
        with self.assertRaises(AccessError):
            move.with_user(reader).action_xero_online_invoice()

    def sent_invoices(self):
        return [r for r in self.harness.app.recent if r["path"].startswith("/api.xro/2.0/Invoices")
                and r["method"] in ("PUT", "POST")]

    def test_resync_three_records_changed_unchanged_unposted(self):
        changed, unchanged = self.invoice(price=100, name="Changed"), self.invoice(price=200, name="Same")
        self.process()
        changed.ref = "PO-7781"  # not a field that queues on its own
        self.assertFalse(self.rows(changed).filtered(lambda r: r.state == "queued"))
        unposted = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.partner.id,
            "invoice_line_ids": [Command.create({"name": "Draft", "quantity": 1, "price_unit": 1})]})
        self.harness.app.recent.clear()
        result = (changed | unchanged | unposted).action_xero_resync()
        self.assertEqual(result["params"]["message"], "1 queued, 1 unchanged, 1 skipped: not posted")
        self.assertEqual(self.state(changed), "queued")
        self.assertEqual(self.state(unchanged), "done")
        self.assertFalse(self.rows(unposted))
        again = (changed | unchanged).action_xero_resync()
        self.assertEqual(again["params"]["message"], "1 already queued, 1 unchanged")
        self.process()
        sent = self.sent_invoices()
        self.assertEqual(len(sent), 1, "only the changed invoice went to Xero")
        xero = self.admin_api.records("invoice", ORG_A)
        self.assertEqual(next(i for i in xero if i["InvoiceNumber"] == changed.name)["Reference"], "PO-7781")
        # once sent, it is unchanged too: nothing more goes
        self.harness.app.recent.clear()
        self.assertEqual((changed | unchanged).action_xero_resync()["params"]["message"], "2 unchanged")
        self.process()
        self.assertEqual(self.sent_invoices(), [])

    def test_resync_retries_errors_and_partners(self):
        self.tenant.catchall_invoice_item_id = False
        move = self.invoice(price=10)
        self.process()
        self.assertEqual(self.state(move), "error")
        misc = self.env["ledger.item"].search([("tenant_id", "=", self.tenant.id), ("code", "=", "MISC")])
        self.tenant.catchall_invoice_item_id = misc
        self.assertEqual(move.action_xero_resync()["params"]["message"], "1 queued")
        self.process()
        self.assertEqual(self.state(move), "done")
        person = self.partner.child_ids[:1]
        message = (self.partner | person).action_xero_resync()["params"]["message"]
        self.assertEqual(message, "1 unchanged", "a person re-syncs its company, once")
        supplier_only = self.env["res.partner"].create({"name": "Nobody Ltd", "company_id": self.company.id})
        self.assertEqual(supplier_only.action_xero_resync()["params"]["message"],
                         "1 skipped: no organisation syncs it")

    # --- success popups ---------------------------------------------------------------------------------
    def popups(self):
        self.env.cr.precommit.run()  # bus messages are written when the transaction commits
        found = []
        for bus in self.env["bus.bus"].sudo().search([], order="id"):
            message = json.loads(bus.message)
            if message["type"] == "simple_notification" and message["payload"].get("title") == "Xero":
                found.append((json.loads(bus.channel), message["payload"]))
        return found

    def test_success_popup_batched_for_the_user_who_saved(self):
        ann = new_test_user(self.env, "ann", groups="account.group_account_invoice,psa_ledger.group_ledger_user",
                            company_ids=[Command.set(self.company.ids)], company_id=self.company.id)
        bob = new_test_user(self.env, "bob", groups="account.group_account_invoice",
                            company_ids=[Command.set(self.company.ids)], company_id=self.company.id)
        self.env["bus.bus"].sudo().search([]).unlink()
        self.tenant.notify_success = False
        self.invoice()
        self.process()
        self.assertEqual(self.popups(), [], "off unless the organisation asks for them")
        self.tenant.notify_success = True
        for user, count in ((ann, 3), (bob, 1)):
            for _i in range(count):
                move = self.env["account.move"].with_user(user).create({
                    "move_type": "out_invoice", "partner_id": self.partner.id, "invoice_date": "2026-11-08",
                    "invoice_date_due": "2026-12-08", "invoice_line_ids": [Command.create({
                        "name": "Work", "quantity": 1, "price_unit": 10, "tax_ids": [Command.clear()]})]})
                move.action_post()
        self.process()
        popups = self.popups()
        by_partner = {channel[2]: payload["message"] for channel, payload in popups if channel[1] == "res.partner"}
        self.assertEqual(len(popups), 2, popups)
        self.assertEqual(by_partner, {ann.partner_id.id: "3 invoices synced to Xero (%s)" % self.tenant.name,
                                      bob.partner_id.id: "1 invoice synced to Xero (%s)" % self.tenant.name})
        self.assertNotIn(self.env.user.partner_id.id, by_partner)

    # --- History in Xero --------------------------------------------------------------------------------
    def notes(self, move):
        data, _headers = self.tenant._call("GET", "Invoices/%s/History" % self.remote_id(move))
        return [n["Details"] for n in data["HistoryRecords"]]

    def test_history_notes_per_organisation_setting(self):
        off = self.invoice(price=11)
        self.process()
        self.assertEqual(self.notes(off), [], "off by default: no extra call")
        self.tenant.history_notes = "create"
        move = self.invoice(price=12)
        self.process()
        self.assertEqual(self.notes(move), ["Sent from Odoo by %s: %s" % (self.env.user.name, move.name)])
        move.ref = "R-1"
        move.action_xero_resync()
        self.process()
        self.assertEqual(len(self.notes(move)), 1, "an update adds no note in 'when created' mode")
        self.tenant.history_notes = "always"
        move.ref = "R-2"
        move.action_xero_resync()
        self.process()
        self.assertEqual(len(self.notes(move)), 2)
        page = requests.get(move.ledger_url, timeout=10)
        self.assertIn("Sent from Odoo by %s: %s" % (self.env.user.name, move.name), page.text)


@tagged("post_install", "-at_install")
class TestRecordTour(SyncCase):
    """In Chromium: a synced invoice's badge and Xero link; Re-sync on three invoices from the list."""

    SWITCHES = ("sync_customers", "sync_invoices")

    def test_badge_link_and_resync_in_the_browser(self):
        changed, unchanged = self.invoice(price=100, name="Changed"), self.invoice(price=200, name="Same")
        self.process()
        changed.ref = "PO-1234"
        unposted = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.partner.id,
            "invoice_line_ids": [Command.create({"name": "Draft", "quantity": 1, "price_unit": 1})]})
        self.start_tour("/odoo/action-account.action_move_out_invoice_type/%d" % unchanged.id,
                        "psa_xero_connector_record_tour", login="admin")
        self.start_tour("/odoo/action-account.action_move_out_invoice_type", "psa_xero_connector_resync_tour",
                        login="admin")
        self.env.invalidate_all()
        self.assertEqual(self.row(changed).state, "queued")
        self.assertEqual(self.row(unchanged).state, "done")
        self.assertFalse(self.rows(unposted))
