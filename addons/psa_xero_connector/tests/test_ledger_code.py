"""The ledger code every organisation and authorisation carries (the core dispatches its hooks
on it, as Odoo's payment providers do on theirs): Xero's connect flow sets it, an organisation
keeps it when its authorisation is gone, and the core's hooks reach Xero's code through it."""

from odoo.tests import tagged

from .common import ORG_A, XeroHarnessCase


@tagged("post_install", "-at_install")
class TestLedgerCode(XeroHarnessCase):

    def test_connect_flow_marks_both_as_xero(self):
        tenants = self.connect()
        self.assertTrue(tenants)
        self.assertEqual(set(tenants.mapped("code")), {"xero"})
        self.assertEqual(tenants.connection_id.code, "xero")
        self.assertEqual(tenants[0]._ledger_label(), "Xero", "the core's sentences name the ledger")

    def test_organisation_keeps_its_ledger_without_authorisation(self):
        tenant = self.connect().filtered(lambda t: t.remote_id == ORG_A).sudo()
        connection = tenant.connection_id
        connection.tenant_ids.write({"connection_id": False})
        connection.unlink()
        tenant.invalidate_recordset(["code"])
        self.assertEqual(tenant.code, "xero")

    def test_core_hooks_reach_xero(self):
        tenant = self.connect().filtered(lambda t: t.remote_id == ORG_A)
        tenant._call("GET", "Organisation", operation="organisation")
        log = self.env["ledger.request.log"].search([("tenant_id", "=", tenant.id)], limit=1)
        self.assertTrue(log.can_retry, "an Accounting API call is Xero's to send again")
        self.assertEqual(log.entity, "Organisation", "Xero's URL names the entity")
        identity = log.copy({"url": self.harness.url + "/connections", "state": log.state})
        self.assertFalse(identity.can_retry, "an identity call is not")
        self.assertEqual(tenant.connection_id.sudo()._ledger_list_organisations(
            tenant.connection_id.sudo()._get_access_token()).get(ORG_A), tenant.name)
