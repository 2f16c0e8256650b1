"""The connect flow against the harness over HTTP: authorize → consent → callback."""

import psycopg2

from odoo.tests import tagged
from odoo.tools import mute_logger

from harness.testing import approve_consent, query_of

from ..xero.errors import XeroAuthError
from .common import CLIENT_ID, ORG_A, ORG_B, XeroHarnessCase


@tagged("post_install", "-at_install")
class TestConnectFlow(XeroHarnessCase):

    def test_connect_two_organisations_and_assign_companies(self):
        tenants = self.connect()
        self.assertEqual(set(tenants.mapped("remote_id")), {ORG_A, ORG_B})
        self.assertEqual(set(tenants.mapped("state")), {"connected"})
        self.assertEqual(set(tenants.mapped("name")), {"Northwind IT Services", "Contoso Managed Services"})
        connection = tenants.connection_id
        self.assertEqual(len(connection), 1)
        self.assertTrue(connection.sudo().access_token and connection.sudo().refresh_token)
        self.assertTrue(connection.auth_event_id)
        self.assertEqual(connection.client_id, CLIENT_ID)
        # each tenant to its own company; a company has one tenant at most
        company_b = self.env["res.company"].create({"name": "Contoso (Odoo)"})
        tenant_a = tenants.filtered(lambda t: t.remote_id == ORG_A)
        tenant_b = tenants - tenant_a
        tenant_a.company_id = self.env.ref("base.main_company")
        tenant_b.company_id = company_b
        self.assertEqual(self.env.ref("base.main_company").ledger_tenant_id, tenant_a)
        self.assertEqual(company_b.ledger_tenant_id, tenant_b)
        with self.assertRaises(psycopg2.errors.UniqueViolation), self.cr.savepoint(), mute_logger("odoo.sql_db"):
            tenant_b.company_id = self.env.ref("base.main_company")
            tenant_b.flush_recordset()
        # every tenant answers through its own token + tenant id
        data, headers = tenant_b._call("GET", "Organisation")
        self.assertEqual(data["Organisations"][0]["Name"], "Contoso Managed Services")
        self.assertIn("X-MinLimit-Remaining", headers)

    def test_one_organisation_is_assigned_to_the_current_company(self):
        tenants = self.connect(tenants=[ORG_B])
        self.assertEqual(tenants.remote_id, ORG_B)
        self.assertEqual(tenants.company_id, self.env.ref("base.main_company"))

    def test_reconnect_updates_instead_of_duplicating(self):
        first = self.connect()
        second = self.connect()
        self.assertEqual(first, second)
        self.assertEqual(len(self.env["ledger.connection"].search([])), 2)
        self.assertEqual(len(second.connection_id), 1)

    def test_deny_saves_nothing(self):
        back = approve_consent(self.start_connect(), decision="deny")
        self.assertEqual(query_of(back)["error"], "access_denied")
        resp = self.finish_connect(back)
        self.assertEqual(resp.status_code, 200)
        self.assertIn("declined access", resp.text)
        self.assertFalse(self.env["ledger.tenant"].search([]))
        self.assertFalse(self.env["ledger.connection"].search([]))

    def test_bad_state_saves_nothing(self):
        back = approve_consent(self.start_connect())
        forged = back.replace("state=", "state=forged")
        resp = self.finish_connect(forged)
        self.assertIn("invalid or expired state", resp.text)
        self.assertFalse(self.env["ledger.tenant"].search([]))
        # the state is single-use: the genuine answer no longer works either
        self.assertIn("invalid or expired state", self.finish_connect(back).text)
        self.assertFalse(self.env["ledger.connection"].search([]))

    def test_callback_without_a_started_flow(self):
        self.authenticate("admin", "admin")
        resp = self.url_open("/xero/oauth/callback?code=abc&state=xyz")
        self.assertIn("invalid or expired state", resp.text)

    def test_wrong_secret_shows_xero_error_and_saves_nothing(self):
        location = self.start_connect()
        self.configure(self.env, self.harness.url, client_secret="wrong-secret")
        resp = self.finish_connect(approve_consent(location))
        self.assertIn("Xero refused the connection", resp.text)
        self.assertIn("invalid_client", resp.text)
        self.assertFalse(self.env["ledger.tenant"].search([]))
        self.assertFalse(self.env["ledger.connection"].search([]))
        log = self.env["ledger.request.log"].search([("operation", "=", "token")], limit=1)
        self.assertEqual(log.state, "failure")
        self.assertEqual(log.status_code, 401)
        self.assertNotIn("wrong-secret", log.request_body)
        self.assertNotIn(query_of(approve_consent(self.start_connect()))["code"], log.request_body or "")

    def test_plain_user_cannot_start(self):
        self.env["res.users"].create({"name": "Plain", "login": "plain", "password": "plain",
                                      "groups_id": [(6, 0, [self.env.ref("base.group_user").id])]})
        self.authenticate("plain", "plain")
        resp = self.url_open("/xero/oauth/start", allow_redirects=False)
        self.assertEqual(resp.status_code, 403)

    def test_disconnect_removes_the_connection_at_xero(self):
        tenants = self.connect()
        tenant_b = tenants.filtered(lambda t: t.remote_id == ORG_B)
        tenant_b.action_disconnect()
        self.assertEqual(tenant_b.state, "disconnected")
        remaining = {c["tenantId"] for c in self.harness.app.store.all("connection")}
        self.assertEqual(remaining, {ORG_A})
        with self.assertRaises(XeroAuthError):
            tenant_b._call("GET", "Organisation")
        tenant_a = tenants - tenant_b
        self.assertEqual(tenant_a._call("GET", "Organisation")[0]["Organisations"][0]["Name"],
                         "Northwind IT Services")
        tenant_a.connection_id.action_revoke()
        self.assertEqual(tenant_a.state, "disconnected")
        self.assertEqual(self.harness.app.store.all("connection"), [])
