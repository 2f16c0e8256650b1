"""Token care: refresh before expiry, one refresh for many concurrent workers, rotation
grace, invalid_grant → needs reconnect, TokenExpired from Xero → refresh and resend once."""

import threading
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tests import TransactionCase, tagged

from .. import const
from ..xero.errors import XeroAuthError
from .common import CLIENT_ID, CLIENT_SECRET, ORG_A, XeroHarnessCase, start_connected_harness


def expire(connection, **also):
    """Make the stored token expired (flushed: the refresh reads the row in its own cursor)."""
    connection.sudo().write(dict(also, access_expires_at=fields.Datetime.now() - timedelta(seconds=1)))
    connection.flush_recordset()


@tagged("post_install", "-at_install")
class TestTokenCare(XeroHarnessCase):

    def setUp(self):
        super().setUp()
        self.tenants = self.connect()
        self.tenant = self.tenants.filtered(lambda t: t.remote_id == ORG_A)
        self.connection = self.tenant.connection_id.sudo()

    def test_refresh_before_expiry_then_reuse(self):
        before = self.token_calls("refresh_token")
        old_refresh = self.connection.refresh_token
        self.connection.access_expires_at = fields.Datetime.now() + timedelta(seconds=30)  # inside the margin
        self.connection.flush_recordset()
        self.tenant._call("GET", "Organisation")
        self.assertEqual(self.token_calls("refresh_token"), before + 1)
        self.assertNotEqual(self.connection.refresh_token, old_refresh, "the rotated refresh token is stored")
        self.assertEqual(self.connection.refresh_count, 1)
        self.tenant._call("GET", "Organisation")
        self.assertEqual(self.token_calls("refresh_token"), before + 1, "a fresh token is reused")
        recent = [r for r in self.harness.app.recent if r["path"].startswith("/api.xro")]
        self.assertEqual({r["status"] for r in recent}, {200}, "no request went out with an expired token")

    def test_rotation_grace_then_invalid_grant_needs_reconnect(self):
        old_refresh = self.connection.refresh_token
        expire(self.connection)
        self.tenant._call("GET", "Organisation")
        # Suppose the rotated pair was lost (e.g. a crash): the old one works within Xero's grace.
        expire(self.connection, refresh_token=old_refresh)
        self.tenant._call("GET", "Organisation")
        self.assertEqual(self.connection.state, "active")
        # After the 30-minute grace the old one is refused: needs reconnect, managers told.
        expire(self.connection, refresh_token=old_refresh)
        self.harness.app.clock.advance(31 * 60)
        self.assertRaisesCommitted(XeroAuthError, self.tenant._call, "GET", "Organisation")
        self.assertEqual(self.connection.state, "needs_reconnect")
        self.assertEqual(set(self.tenants.mapped("state")), {"needs_reconnect"})
        self.tenant.invalidate_recordset(["message_ids"])
        message = self.tenant.message_ids.filtered(lambda m: "must reconnect" in str(m.body))
        self.assertEqual(len(message), 1)
        self.assertIn(self.env.ref("base.user_admin").partner_id, message.partner_ids)
        # nothing more goes out for it
        before = self.token_calls("refresh_token")
        self.assertRaisesCommitted(XeroAuthError, self.tenant._call, "GET", "Organisation")
        self.assertEqual(self.token_calls("refresh_token"), before)

    def test_revoked_at_xero(self):
        self.admin_api.post("/connections/%s/revoke" % self.tenant.remote_connection_id)
        err = self.assertRaisesCommitted(XeroAuthError, self.tenant._call, "GET", "Organisation")
        self.assertEqual(err.status, 403)
        self.assertEqual(self.tenant.state, "needs_reconnect")
        # revoking the whole grant at Xero: the next refresh gets invalid_grant
        grant = self.harness.app.store.get("refresh", self.connection.refresh_token)["grant"]
        self.harness.app.identity._revoke_grant(grant, remove_connections=True)
        expire(self.connection)
        other = self.tenants - self.tenant
        self.assertRaisesCommitted(XeroAuthError, other._call, "GET", "Organisation")
        self.assertEqual(self.connection.state, "needs_reconnect")

    def test_token_expired_at_xero_is_refreshed_and_resent_once(self):
        self.admin_api.post("/tokens/expire")  # Xero's clock runs ahead of ours
        before = self.token_calls("refresh_token")
        data, _ = self.tenant._call("GET", "Organisation")
        self.assertEqual(data["Organisations"][0]["OrganisationID"], ORG_A)
        self.assertEqual(self.token_calls("refresh_token"), before + 1)
        logs = self.env["ledger.request.log"].search([("tenant_id", "=", self.tenant.id)], order="id")
        self.assertEqual(logs.mapped("status_code")[-2:], [401, 200])


@tagged("post_install", "-at_install")
class TestConcurrentRefresh(TransactionCase):
    """Several workers, each with its own database connection and transaction, hit an expired
    token at once: exactly one refresh reaches Xero and every worker proceeds."""

    WORKERS = 6

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.token = start_connected_harness(cls)

    def _committed(self, fn):
        with self.registry.cursor() as cr:
            return fn(api.Environment(cr, SUPERUSER_ID, {}))

    def test_one_refresh_for_concurrent_workers(self):
        if Registry._lock._is_owned():
            # Odoo's own runner (odoo-bin --test-tags) runs every test holding the registry lock,
            # which a worker thread's first environment needs: the workers would wait for the
            # run to end. `./run test` (pytest-odoo) runs this test.
            self.skipTest("needs worker threads, which Odoo's own test runner blocks on the registry lock")
        harness_url = self.harness.url
        params = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                  "token_url": harness_url + "/identity/connect/token",
                  "connections_url": harness_url + "/connections", "api_url": harness_url + "/api.xro/2.0"}

        def setup(env):
            for key, value in params.items():
                env["ir.config_parameter"].set_param(const.PARAM_PREFIX + key, value)
            conn = env["ledger.connection"].create({
                "name": "concurrency", "access_token": self.token["access_token"],
                "refresh_token": self.token["refresh_token"],
                "access_expires_at": fields.Datetime.now() - timedelta(seconds=5)})
            tenant = env["ledger.tenant"].create({"name": "Northwind", "remote_id": ORG_A,
                                                 "connection_id": conn.id})
            return conn.id, tenant.id
        conn_id, tenant_id = self._committed(setup)

        def cleanup(env):
            env["ledger.request.log"].search([("tenant_id", "=", tenant_id)]).unlink()
            env["ledger.request.log"].search([("operation", "=", "refresh")]).unlink()
            env["ledger.tenant"].browse(tenant_id).unlink()
            env["ledger.connection"].browse(conn_id).unlink()
            for key in params:
                env["ir.config_parameter"].search([("key", "=", const.PARAM_PREFIX + key)]).unlink()
        self.addCleanup(self._committed, cleanup)

        barrier = threading.Barrier(self.WORKERS)
        results, errors = [], []

        def worker():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    barrier.wait(timeout=10)
                    token = env["ledger.connection"].browse(conn_id)._get_access_token()
                    data, _ = env["ledger.tenant"].browse(tenant_id)._call("GET", "Organisation")
                    results.append((token, data["Organisations"][0]["OrganisationID"]))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(repr(exc))

        before = self.harness.app.identity.grant_counts["refresh_token"]
        threads = [threading.Thread(target=worker) for _ in range(self.WORKERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        self.assertEqual(errors, [])
        self.assertEqual(len(results), self.WORKERS)
        self.assertEqual(self.harness.app.identity.grant_counts["refresh_token"] - before, 1,
                         "exactly one refresh call reached Xero")
        self.assertEqual(len({token for token, _ in results}), 1, "every worker uses the new token")
        self.assertEqual({org for _, org in results}, {ORG_A})
        stored = self._committed(lambda env: env["ledger.connection"].browse(conn_id).refresh_count)
        self.assertEqual(stored, 1)
