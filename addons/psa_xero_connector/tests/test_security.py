"""Multi-company isolation and groups: a company-A user sees nothing of tenant B or its log;
tokens and settings are for system administrators only."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ORG_A, ORG_B, XeroHarnessCase


@tagged("post_install", "-at_install")
class TestSecurity(XeroHarnessCase):

    def setUp(self):
        super().setUp()
        tenants = self.connect()
        self.company_a = self.env.ref("base.main_company")
        self.company_b = self.env["res.company"].create({"name": "Company B"})
        self.tenant_a = tenants.filtered(lambda t: t.remote_id == ORG_A)
        self.tenant_b = tenants.filtered(lambda t: t.remote_id == ORG_B)
        self.tenant_a.company_id = self.company_a
        self.tenant_b.company_id = self.company_b
        self.tenant_a._call("GET", "Organisation")
        self.tenant_b._call("GET", "Organisation")
        user_group = self.env.ref("psa_ledger.group_ledger_user")
        manager_group = self.env.ref("psa_ledger.group_ledger_manager")
        base_user = self.env.ref("base.group_user")
        self.user_a = self.make_user("xero_user_a", self.company_a, [base_user, user_group])
        self.manager_a = self.make_user("xero_manager_a", self.company_a, [base_user, manager_group])
        self.plain_a = self.make_user("plain_a", self.company_a, [base_user])

    def make_user(self, login, company, groups):
        return self.env["res.users"].create({
            "name": login, "login": login, "password": login, "company_id": company.id,
            "company_ids": [(6, 0, [company.id])], "groups_id": [(6, 0, [g.id for g in groups])]})

    def test_company_a_user_cannot_see_tenant_b_or_its_log(self):
        for user in (self.user_a, self.manager_a):
            Tenant = self.env["ledger.tenant"].with_user(user)
            self.assertEqual(Tenant.search([]), self.tenant_a)
            with self.assertRaises(AccessError):
                Tenant.browse(self.tenant_b.id).read(["name"])
            Log = self.env["ledger.request.log"].with_user(user)
            logs = Log.search([("tenant_id", "!=", False)])
            self.assertTrue(logs)
            self.assertEqual(logs.tenant_id, self.tenant_a)
            self.assertTrue(logs[0].read(["response_body_view"])[0]["response_body_view"], "its own, indented")
            b_log = self.env["ledger.request.log"].search([("tenant_id", "=", self.tenant_b.id)], limit=1)
            for field in ("response_body", "response_body_view", "request_body_view"):
                with self.assertRaises(AccessError):
                    Log.browse(b_log.id).read([field])

    def test_plain_user_sees_no_xero_data(self):
        with self.assertRaises(AccessError):
            self.env["ledger.tenant"].with_user(self.plain_a).search([])
        with self.assertRaises(AccessError):
            self.env["ledger.request.log"].with_user(self.plain_a).search([])

    def test_xero_user_is_read_only(self):
        with self.assertRaises(AccessError):
            self.tenant_a.with_user(self.user_a).write({"notify_success": True})
        self.tenant_a.with_user(self.manager_a).write({"notify_success": True})

    def test_tokens_and_secrets_for_system_admins_only(self):
        connection = self.tenant_a.connection_id
        data = connection.with_user(self.manager_a).read(["name", "state"])
        self.assertEqual(data[0]["state"], "active")
        with self.assertRaises(AccessError):
            connection.with_user(self.manager_a).read(["refresh_token"])
        with self.assertRaises(AccessError):
            self.env["ir.config_parameter"].with_user(self.manager_a).get_param("psa_xero_connector.client_secret")

    def test_unassigned_tenants_visible_to_their_connecting_manager_only(self):
        """Not to every manager: one of another company could assign it to theirs (issue #23)."""
        Tenant = self.env["ledger.tenant"]
        self.tenant_b.company_id = False
        self.assertEqual(self.tenant_b.connection_id.user_id, self.env.ref("base.user_admin"))
        self.assertNotIn(self.tenant_b, Tenant.with_user(self.manager_a).search([]), "admin's, not theirs")
        self.assertIn(self.tenant_b, Tenant.with_user(self.env.ref("base.user_admin")).search([]))
        self.tenant_b.connection_id.user_id = self.manager_a  # as if manager_a had connected it
        self.assertIn(self.tenant_b, Tenant.with_user(self.manager_a).search([]))
        self.assertNotIn(self.tenant_b, Tenant.with_user(self.user_a).search([]))
