"""Say it before Xero does (issue #12): a line Xero would refuse is held before sending, with a
sentence naming the document, the line, the Odoo record and the screen that fixes it; the row
stays in the outbox (Error, Retry) and nothing is lost. Each case also sends the same document
straight to the harness, without the check, to prove Xero refuses it — in its own words."""

from odoo import Command
from odoo.tests import tagged

from harness.accounting import validation as xero_msg

from ..xero import to_xero
from .common import ORG_A, SyncCase


@tagged("post_install", "-at_install")
class TestPresend(SyncCase):
    SWITCHES = ("sync_suppliers", "sync_bills", "sync_customers", "sync_invoices")

    def setUp(self):
        super().setUp()
        self.env["xero.importer"]._import(self.tenant, ["tax_rates"])
        self.tenant.catchall_purchase_item_id = False  # a bill line without a product has no item then
        self.supplier = self.env["res.partner"].create({"name": "Pax8 UK", "is_company": True, "supplier_rank": 1,
                                                        "company_id": self.company.id})
        group = self.env["account.tax.group"].search([("company_id", "=", self.company.id)], limit=1)
        Tax = self.env["account.tax"]
        common = {"type_tax_use": "purchase", "company_id": self.company.id, "tax_group_id": group.id, "amount": 20}
        self.vat_in = Tax.create(dict(common, name="VAT 20% purchases (presend)"))
        self.vat_odd = Tax.create(dict(common, name="VAT 20% on income, on a bill (presend)"))
        self.vat_5 = Tax.create(dict(common, name="VAT 5% (presend)", amount=5))
        for tax, tax_type in ((self.vat_in, "INPUT2"), (self.vat_odd, "OUTPUT2"), (self.vat_5, "RRINPUT")):
            self.map(tax, tax_type)

    # --- helpers ---------------------------------------------------------------------------------------
    def map(self, record, code):
        """Link an Odoo tax or account to a Xero tax type or account code of organisation A."""
        Link = self.env["ledger.link"]
        Link.search([("tenant_id", "=", self.tenant.id), ("res_model", "=", record._name),
                     ("res_id", "=", record.id)]).unlink()
        if record._name == "account.tax":
            return Link.create({"tenant_id": self.tenant.id, "res_model": record._name, "res_id": record.id,
                                "remote_id": code, "remote_code": code})
        account = self.env["ledger.account"].search([("tenant_id", "=", self.tenant.id), ("code", "=", code)])
        return Link.create({"tenant_id": self.tenant.id, "res_model": record._name, "res_id": record.id,
                            "remote_id": account.account_id or "no-such-account", "remote_code": code})

    def bill(self, tax=None, label="Cloud backup storage, November"):
        move = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.supplier.id, "invoice_date": "2026-11-04",
            "invoice_date_due": "2026-12-04", "ref": "PAX-%s" % len(label),
            "invoice_line_ids": [Command.create({"name": label, "quantity": 1, "price_unit": 240,
                                                 "tax_ids": [Command.set((tax or self.vat_in).ids)]})]})
        move.action_post()
        return move

    def held(self, move, *parts):
        """Process the outbox: the document is held with our sentence naming ``parts``; Xero got nothing."""
        for _ in range(2):
            self.process()
        row = self.row(move)
        self.assertEqual(row.state, "error", row.last_error)
        for part in (move.display_name, "line 1", "“%s" % move.invoice_line_ids.name[:20]) + parts:
            self.assertIn(part, row.last_error)
        self.assertFalse([i for i in self.admin_api.records("invoice", ORG_A) if i.get("Reference") == move.name])
        self.assertIn("Not synced to Xero", move.message_ids[0].body)
        return row

    def xero_says(self, move):
        """The same document sent straight to the harness, as it would go without the check."""
        collection, payload = to_xero.document_payload(move._xero_document_values(self.tenant))
        data, _headers = self.tenant._call("PUT", collection, body={collection: [payload]},
                                           params={"summarizeErrors": "false"})
        element = data[collection][0]
        self.assertEqual(element["StatusAttributeString"], "ERROR")
        return [e["Message"] for e in element["ValidationErrors"]]

    def expense_account(self, move):
        return move.invoice_line_ids.account_id

    # --- the cases -----------------------------------------------------------------------------------
    def test_unmapped_expense_account_gets_our_sentence_not_xeros_bare_one(self):
        move = self.bill()
        account = self.expense_account(move)
        row = self.held(move, account.display_name, "not mapped to a Xero account", self.tenant.name,
                        "Xero → Account mapping")
        self.assertEqual(self.xero_says(move), [xero_msg.ACCOUNT_CODE_REQUIRED])  # what Xero alone would say
        # fixed on the mapping screen, Retry: it goes, nothing was lost
        self.map(account, "429")
        row.action_retry()
        self.process()
        self.assertEqual(self.row(move).state, "done", self.row(move).last_error)
        sent = [i for i in self.admin_api.records("invoice", ORG_A) if i.get("Reference") == move.name]
        self.assertEqual([line["AccountCode"] for line in sent[0]["LineItems"]], ["429"])

    def test_bank_account_is_not_for_a_document(self):
        move = self.bill()
        self.map(self.expense_account(move), "090")
        self.held(move, "090", self.expense_account(move).display_name, "bank or system account",
                  "Xero → Account mapping")
        self.assertEqual(self.xero_says(move), [xero_msg.ACCOUNT_CODE_NOT_FOR_DOCUMENT.format(code="090")])

    def test_archived_account(self):
        move = self.bill()
        self.map(self.expense_account(move), "433")
        account = self.env["ledger.account"].search([("tenant_id", "=", self.tenant.id), ("code", "=", "433")])
        self.tenant._call("POST", "Accounts/%s" % account.account_id, body={"Accounts": [{"Status": "ARCHIVED"}]})
        self.env["xero.importer"]._import(self.tenant, ["accounts"])  # the catalogue learns it
        self.held(move, "433", "archived", self.expense_account(move).display_name, "Xero → Account mapping")
        self.assertEqual(self.xero_says(move), [xero_msg.ACCOUNT_CODE_ARCHIVED.format(code="433")])

    def test_account_code_not_in_the_chart(self):
        move = self.bill()
        self.map(self.expense_account(move), "999")
        self.held(move, "999", "not in the chart of accounts", "Xero → Account mapping")
        self.assertEqual(self.xero_says(move), [xero_msg.ACCOUNT_CODE_INVALID.format(code="999")])

    def test_archived_tax_rate(self):
        move = self.bill(tax=self.vat_5)
        self.map(self.expense_account(move), "429")
        self.tenant._call("POST", "TaxRates", body={"TaxRates": [{"Name": "5% (VAT on Expenses)",
                                                                  "Status": "ARCHIVED"}]})
        self.env["xero.importer"]._import(self.tenant, ["tax_rates"])
        self.held(move, self.vat_5.name, "RRINPUT", "archived", "Xero → Tax mapping")
        self.assertEqual(self.xero_says(move), [xero_msg.TAX_TYPE_INVALID.format(code="RRINPUT")])

    def test_tax_rate_not_allowed_with_the_account(self):
        move = self.bill(tax=self.vat_odd)
        self.map(self.expense_account(move), "429")
        self.held(move, "OUTPUT2", self.vat_odd.name, "429", "EXPENSE", "Xero → Tax mapping",
                  "Xero → Account mapping")
        self.assertEqual(self.xero_says(move), [xero_msg.TAX_TYPE_NOT_FOR_ACCOUNT.format(tax="OUTPUT2", code="429")])

    def test_account_of_the_item_is_checked_and_named(self):
        """No account mapping: the catch-all item's purchase account (300, an expense) carries the
        line, so a sales tax on it is refused — and the message names the item, not an account."""
        misc = self.env["ledger.item"].search([("tenant_id", "=", self.tenant.id), ("code", "=", "MISC")])
        self.tenant.catchall_purchase_item_id = misc
        move = self.bill(tax=self.vat_odd)
        self.held(move, "OUTPUT2", "the Xero item MISC", "300", "catch-all items")
        self.assertEqual(self.xero_says(move), [xero_msg.TAX_TYPE_NOT_FOR_ACCOUNT.format(tax="OUTPUT2", code="300")])

    def test_only_the_line_at_fault_is_named(self):
        move = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.supplier.id, "invoice_date": "2026-11-04",
            "invoice_date_due": "2026-12-04", "ref": "PAX-TWO",
            "invoice_line_ids": [
                Command.create({"name": "First line", "quantity": 1, "price_unit": 10,
                                "tax_ids": [Command.set(self.vat_in.ids)]}),
                Command.create({"name": "Second line", "quantity": 1, "price_unit": 20,
                                "tax_ids": [Command.set(self.vat_odd.ids)]})]})
        move.action_post()
        self.map(move.invoice_line_ids[0].account_id, "429")
        for _ in range(2):
            self.process()
        error = self.row(move).last_error
        self.assertEqual(self.row(move).state, "error")
        self.assertNotIn("line 1", error)
        self.assertIn("line 2 “Second line", error)
