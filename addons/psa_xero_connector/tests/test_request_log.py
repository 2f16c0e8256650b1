"""The request log: success and failure with Xero's exact message, redaction, Retry with
the same Idempotency-Key (no duplicate at Xero), and the retention purge."""

import json
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from harness.accounting import validation as remote_messages

from ..xero.errors import XeroTransientError, XeroValidationError
from .common import ORG_A, SyncCase, XeroHarnessCase


@tagged("post_install", "-at_install")
class TestRequestLog(XeroHarnessCase):

    def setUp(self):
        super().setUp()
        self.tenant = self.connect().filtered(lambda t: t.remote_id == ORG_A)
        self.tenant.company_id = self.env.ref("base.main_company")
        self.Log = self.env["ledger.request.log"]

    def last_log(self):
        return self.Log.search([("tenant_id", "=", self.tenant.id)], order="id desc", limit=1)

    def test_success_entry(self):
        self.tenant._call("GET", "Contacts", params={"page": 1}, context={"entity": "Contacts"})
        log = self.last_log()
        self.assertEqual((log.state, log.status_code, log.method, log.direction), ("success", 200, "GET", "outbound"))
        self.assertEqual(log.company_id, self.env.ref("base.main_company"))
        self.assertTrue(log.url.endswith("/api.xro/2.0/Contacts?page=1"))
        self.assertIn("Acme Dental Group", log.response_body)
        self.assertIn("X-MinLimit-Remaining", log.response_headers)
        self.assertEqual(log.request_headers.count("***"), 1, "the bearer token is redacted")
        self.assertNotIn(self.tenant.connection_id.sudo().access_token, log.request_headers)

    def test_failure_entry_has_xeros_exact_message(self):
        body = {"Contacts": [{"Name": "Acme Dental Group"}]}
        err = self.assertRaisesCommitted(XeroValidationError, self.tenant._call, "PUT", "Contacts", body=body,
                                         context={"res_model": "res.partner", "res_id": 1})
        expected = remote_messages.CONTACT_NAME_TAKEN.format(name="Acme Dental Group")
        self.assertEqual(err.messages, [expected])
        log = self.last_log()
        self.assertEqual((log.state, log.status_code), ("failure", 400))
        self.assertEqual(log.remote_messages, expected)
        self.assertEqual(log.res_model, "res.partner")
        self.assertTrue(log.record_name)
        self.assertEqual(json.loads(log.request_body), body)
        # stored on one line (cheap to write at every call), indented on the form
        self.assertNotIn("\n", log.request_body)
        self.assertEqual(log.request_body_view, json.dumps(body, indent=2, ensure_ascii=False))
        self.assertEqual(json.loads(log.response_body_view), json.loads(log.response_body))
        self.assertGreater(log.response_body_view.count("\n"), 3)
        self.assertIn("\n  ", log.response_headers, "headers are few: stored indented")

    def test_a_body_that_is_not_json_is_shown_as_it_is(self):
        cut = '{"Invoices": [' + "[" * 5000 + "\n… (9 more characters)"  # cut, and nested past the stack
        log = self.Log.create({"operation": "request", "state": "failure", "request_body": cut,
                               "response_body": "Service Unavailable"})
        self.assertEqual((log.request_body_view, log.response_body_view), (cut, "Service Unavailable"))

    def test_token_calls_are_redacted(self):
        logs = self.Log.search([("operation", "in", ("token", "connections"))])
        self.assertTrue(logs)
        connection = self.tenant.connection_id.sudo()
        for log in logs:
            text = "%s %s %s %s" % (log.request_body, log.request_headers, log.response_body, log.response_headers)
            self.assertNotIn(connection.access_token, text)
            self.assertNotIn(connection.refresh_token, text)
            self.assertNotIn("odoo-test-secret", text)
        token_log = logs.filtered(lambda row: row.operation == "token")
        self.assertIn('"client_secret": "***"', token_log.request_body)
        self.assertIn('"code": "***"', token_log.request_body)
        self.assertIn('"access_token": "***"', token_log.response_body)

    def test_retry_resends_with_the_same_idempotency_key(self):
        contact = self.tenant._call("PUT", "Contacts", body={"Contacts": [{"Name": "Retry Ltd"}]})[0]
        bill = {"Invoices": [{"Type": "ACCPAY", "Contact": {"ContactID": contact["Contacts"][0]["ContactID"]},
                              "InvoiceNumber": "SUP-RETRY", "LineItems": [
                                  {"Description": "Switch", "Quantity": 1, "UnitAmount": 240, "AccountCode": "300"}]}]}
        # Xero applies the bill, but the answer is lost on the way back.
        self.admin_api.fault("lose_response", mode="reset", method="PUT", path="/Invoices")
        self.assertRaisesCommitted(XeroTransientError, self.tenant._call, "PUT", "Invoices", body=bill,
                                   idempotency_key="bill-SUP-RETRY-1")
        failed = self.last_log()
        self.assertEqual(failed.state, "failure")
        self.assertIn("No answer from Xero", failed.error_message)
        self.assertTrue(failed.can_retry)
        bills = [i for i in self.admin_api.records("invoice", ORG_A) if i["Type"] == "ACCPAY"]
        self.assertEqual(len(bills), 1, "Xero did apply the first request")
        failed.action_retry()
        retried = self.last_log()
        self.assertEqual((retried.state, retried.attempt, retried.retry_of_id), ("success", 2, failed))
        self.assertEqual(retried.idempotency_key, "bill-SUP-RETRY-1")
        bills = [i for i in self.admin_api.records("invoice", ORG_A) if i["Type"] == "ACCPAY"]
        self.assertEqual(len(bills), 1, "the retry created no duplicate")
        self.assertEqual(json.loads(retried.response_body)["Invoices"][0]["InvoiceID"], bills[0]["InvoiceID"])

    def test_identity_calls_cannot_be_retried(self):
        log = self.Log.search([("operation", "=", "token")], limit=1)
        self.assertFalse(log.can_retry)

    def test_purge_keeps_recent_entries(self):
        self.tenant._call("GET", "Organisation")
        old = self.last_log()
        self.env.cr.execute("UPDATE ledger_request_log SET create_date = %s WHERE id = %s",
                            [fields.Datetime.now() - timedelta(days=31), old.id])
        self.tenant._call("GET", "Organisation")
        recent = self.last_log()
        self.Log.invalidate_model()
        self.Log._cron_purge()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())


@tagged("post_install", "-at_install")
class TestRetryFromTheLog(SyncCase):
    """Retry on a log row of a record's sync sends the record as it is now, through the outbox;
    the logged body (which may be cut, or, before, redacted) is never what reaches Xero."""

    SWITCHES = ("sync_customers", "sync_products", "sync_invoices")

    def sync_log(self, record):
        return self.env["ledger.request.log"].search([("res_model", "=", record._name), ("res_id", "=", record.id),
                                                    ("operation", "like", "sync %")], order="id desc", limit=1)

    def test_lost_item_answer_retried_from_the_log_keeps_its_code(self):
        products = self.env["product.template"].create([{
            "name": name, "default_code": code, "list_price": 900, "type": "service",
            "taxes_id": [Command.clear()], "supplier_taxes_id": [Command.clear()]}
            for name, code in (("Firewall appliance", "FW-100"), ("Firewall licence", "FW-LIC"))])
        # Xero creates the items (one request), the answer is lost; a day later Xero no longer
        # remembers the key
        self.admin_api.fault("lose_response", mode="reset", method="PUT", path="/Items")
        self.process()
        log = self.env["ledger.request.log"].search([("operation", "=", "sync Items")], order="id desc", limit=1)
        self.assertEqual((log.state, log.res_id), ("failure", 0), "one request for both: no single record")
        self.assertEqual([i["Code"] for i in json.loads(log.request_body)["Items"]], ["FW-100", "FW-LIC"],
                         "the codes are data: logged")
        self.assertEqual(log.request_body_state, "whole")
        self.admin_api.post("/clock/advance", {"seconds": 25 * 3600})
        log.action_retry()
        log.action_retry()  # pressed twice
        self.due_now()
        self.process()
        items = self.admin_api.records("item", ORG_A)
        codes = [i["Code"] for i in items]
        self.assertEqual((codes.count("FW-100"), codes.count("FW-LIC")), (1, 1))
        self.assertNotIn("***", codes)
        for product in products:
            self.assertEqual(self.row(product).state, "done", self.row(product).last_error)
            link = self.env["ledger.link"].search([("res_model", "=", "product.template"),
                                                 ("res_id", "=", product.id)])
            self.assertEqual(link.remote_id, next(i["ItemID"] for i in items if i["Code"] == product.default_code))

    def test_customer_fixed_then_retried_from_the_log_goes_with_the_fix(self):
        customer = self.env["res.partner"].create({
            "name": "Wallace Corp", "is_company": True, "company_id": self.company.id, "customer_rank": 1,
            "child_ids": [Command.create({"name": "Niander Wallace", "type": "invoice",
                                          "email": "niander@wallace"})]})
        self.process()
        log = self.sync_log(customer)
        self.assertIn("Email address must be valid.", log.response_body)
        self.assertEqual((self.row(customer).state, self.row(customer).remote_messages),
                         ("error", "Email address must be valid."))
        # the fix, then Retry from the log (twice)
        customer.child_ids.email = "niander@wallace.example"
        self.harness.app.recent.clear()
        log.action_retry()
        log.action_retry()
        self.process()
        sent = [r for r in self.harness.app.recent if r["path"].startswith("/api.xro/2.0/Contacts")
                and r["method"] in ("PUT", "POST")]
        self.assertEqual(len(sent), 1, "one request, the fixed one")
        contacts = [c for c in self.admin_api.records("contact", ORG_A) if c["Name"] == "Wallace Corp"]
        self.assertEqual([c["EmailAddress"] for c in contacts], ["niander@wallace.example"])
        self.assertEqual(self.row(customer).state, "done")
        retried = self.sync_log(customer)
        self.assertEqual(retried.state, "success")
        self.assertIn("niander@wallace.example", retried.request_body)

    def test_a_stored_body_is_resent_only_whole(self):
        """A request no record stands behind is sent as logged, but never cut or redacted."""
        self.tenant._call("PUT", "Items", body={"Items": [{"Code": "HAND-1", "Name": "By hand"}]},
                          idempotency_key="hand-1")
        log = self.env["ledger.request.log"].search([("operation", "=", "PUT Items")], order="id desc", limit=1)
        self.assertEqual(log.request_body_state, "whole")
        log.action_retry()  # replayed by Xero (same key): still one item
        self.assertEqual([i["Code"] for i in self.admin_api.records("item", ORG_A)].count("HAND-1"), 1)
        log.sudo().request_body_state = "cut"
        with self.assertRaisesRegex(UserError, "stored cut"):
            log.action_retry()
        token_log = self.env["ledger.request.log"].search([("operation", "=", "token")], limit=1)
        self.assertEqual(token_log.request_body_state, "redacted")
