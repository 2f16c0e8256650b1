"""Sign in with Xero over HTTP against the harness: the login page's button → Xero's consent
(the harness) → /xero/signin/callback → a session; every forged or stale ID token refused."""

import importlib.util
import json
import os
import time
from urllib.parse import urlparse

from odoo import http
from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from harness.testing import approve_consent, query_of

from .. import const
from ..controllers.signin import ERRORS
from .common import XeroHarnessCase

NEW_EMAIL = "nora.newman@example.com"
ADA = "ada@northwind.example"  # a demo Xero user of the harness (seed.DEMO_USERS)


@tagged("post_install", "-at_install")
class TestSignInWithXero(XeroHarnessCase):

    def setUp(self):
        super().setUp()
        self.provider = self.env.ref("psa_xero_connector.provider_xero")
        self.provider.enabled = True
        self.allow_signup(False)
        self.admin_api.add_user(NEW_EMAIL, "Nora", "Newman")

    def allow_signup(self, allowed):
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c" if allowed else "b2b")

    # --- the flow, as a browser walks it -----------------------------------------------------------
    def start(self, redirect=None):
        """GET the start route (no session) -> the harness authorize URL it redirects to."""
        url = const.SIGNIN_START_ROUTE + ("?redirect=%s" % redirect if redirect else "")
        resp = self.url_open(url, allow_redirects=False)
        self.assertEqual(resp.status_code, 303, resp.text[:500])
        location = resp.headers["Location"]
        self.assertTrue(location.startswith(self.harness.url + "/identity/connect/authorize"), location)
        return location

    def finish(self, callback_url):
        path = urlparse(callback_url)
        self.assertEqual(path.path, const.SIGNIN_CALLBACK_ROUTE)
        return self.url_open("%s?%s" % (path.path, path.query), allow_redirects=False)

    def sign_in(self, user=NEW_EMAIL, redirect=None):
        """The whole flow as ``user`` (a harness Xero user's email) -> the callback's response."""
        return self.finish(approve_consent(self.start(redirect), user=user))

    def session_user(self):
        """The user of this browser's Odoo session (None: not logged in)."""
        sid = self.opener.cookies.get("session_id")
        return http.root.session_store.get(sid).uid if sid else None

    def assertRefused(self, resp, code):
        self.assertEqual(resp.status_code, 303, resp.text[:300])
        self.assertEqual(resp.headers["Location"], "/web/login?xero_error=%s" % code)
        page = self.url_open(resp.headers["Location"])
        self.assertIn(str(ERRORS[code]).split(":")[0].replace("'", "&#39;"), page.text)
        self.assertFalse(self.session_user())

    # --- tests ---------------------------------------------------------------------------------------
    def test_login_page_links_the_xero_code_flow_with_the_openid_scopes_only(self):
        page = self.url_open("/web/login")
        self.assertIn("Sign in with Xero", page.text)
        self.assertIn('href="%s?redirect=' % const.SIGNIN_START_ROUTE, page.text)
        query = query_of(self.start())
        self.assertEqual(query["scope"], "openid profile email")
        self.assertEqual(query["response_type"], "code")
        self.assertEqual(query["client_id"], "odoo-test-client")
        self.assertEqual(query["redirect_uri"], self.base_url() + const.SIGNIN_CALLBACK_ROUTE)
        self.assertTrue(query["nonce"] and query["state"] and query["code_challenge"])
        # a second start has its own state and nonce
        again = query_of(self.start())
        self.assertNotEqual((again["state"], again["nonce"]), (query["state"], query["nonce"]))

    def test_sign_up_creates_the_user_and_logs_them_in(self):
        self.allow_signup(True)
        resp = self.sign_in()
        self.assertEqual(resp.status_code, 303, resp.text[:300])
        user = self.env["res.users"].search([("login", "=", NEW_EMAIL)])
        self.assertEqual(len(user), 1)
        self.assertEqual(user.name, "Nora Newman")
        self.assertEqual(user.email, NEW_EMAIL)
        self.assertEqual(user.oauth_provider_id, self.provider)
        xero_user = next(u for u in self.harness.app.identity.users() if u["email"] == NEW_EMAIL)
        self.assertEqual(user.oauth_uid, xero_user["xero_userid"].replace("-", ""))
        # the session is theirs: a signed-up user is a portal user (auth_signup's template)
        self.assertEqual(self.session_user(), user.id)
        self.assertEqual(resp.headers["Location"], "/web/login_successful")
        self.assertEqual(self.url_open("/web/login_successful").status_code, 200)
        # /web knows them: a portal user is sent to their portal (a stranger to /web/login)
        self.assertEqual(urlparse(self.url_open("/web", allow_redirects=False).headers["Location"]).path, "/my")
        self.assertIn("Nora Newman", self.url_open("/my").text)
        # signing in again finds them by their Xero subject: no second user
        self.url_open("/web/session/logout")
        self.assertFalse(self.session_user())
        self.assertEqual(urlparse(self.url_open("/web", allow_redirects=False).headers["Location"]).path,
                         "/web/login")
        self.sign_in()
        self.assertEqual(self.session_user(), user.id)
        self.assertEqual(self.env["res.users"].search_count([("login", "=", NEW_EMAIL)]), 1)

    def test_existing_user_is_matched_by_email_then_by_xero_subject(self):
        ada = self.env["res.users"].create({
            "name": "Ada (Odoo)", "login": ADA, "email": ADA, "password": "ada-odoo-password",
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id])]})
        resp = self.sign_in(user=ADA, redirect="/odoo/action-base.action_res_users")
        self.assertEqual(resp.headers["Location"], "/odoo/action-base.action_res_users")
        self.assertEqual(self.session_user(), ada.id)
        self.assertEqual(self.url_open("/odoo").status_code, 200)  # the web client loads as Ada
        self.assertEqual(ada.oauth_provider_id, self.provider)
        self.assertTrue(ada.oauth_uid)
        self.assertEqual(self.env["res.users"].search_count([("login", "=", ADA)]), 1)
        # her Odoo login changes: the stored Xero subject still finds her
        ada.write({"login": "ada", "email": "ada@elsewhere.example"})
        self.url_open("/web/session/logout")
        self.sign_in(user=ADA)
        self.assertEqual(self.session_user(), ada.id)
        self.assertFalse(self.env["res.users"].search([("login", "=", ADA)]))

    def test_redirect_to_another_site_is_ignored(self):
        self.allow_signup(True)
        resp = self.sign_in(redirect="https://evil.example/phish")
        self.assertEqual(resp.headers["Location"], "/web/login_successful")
        self.url_open("/web/session/logout")
        resp = self.sign_in(redirect="//evil.example/phish")
        self.assertEqual(resp.headers["Location"], "/web/login_successful")

    def test_sign_up_not_allowed_is_refused_with_a_message(self):
        self.assertRefused(self.sign_in(), "signup")
        self.assertFalse(self.env["res.users"].search([("login", "=", NEW_EMAIL)]))

    def test_forged_or_stale_id_tokens_are_refused(self):
        self.allow_signup(True)
        cases = {"signature": "signature", "alg_hs256": "signature", "alg_none": "signature",
                 "audience": "audience", "issuer": "issuer", "nonce": "nonce", "no_nonce": "nonce",
                 "expired": "expired"}
        for fault, code in cases.items():
            with self.subTest(fault=fault):
                self.admin_api.id_token_fault(fault)
                self.assertRefused(self.sign_in(), code)
                self.assertFalse(self.env["res.users"].search([("login", "=", NEW_EMAIL)]))
        # the same flow with an untouched token signs up: the refusals were the token's alone
        self.sign_in()
        self.assertTrue(self.session_user())

    def test_forged_token_does_not_link_an_existing_user(self):
        ada = self.env["res.users"].create({"name": "Ada", "login": ADA, "email": ADA})
        self.admin_api.id_token_fault("signature")
        self.assertRefused(self.sign_in(user=ADA), "signature")
        self.assertFalse(ada.oauth_uid)

    def test_state_is_bound_to_the_session_and_used_once(self):
        back = approve_consent(self.start(), user=NEW_EMAIL)
        forged = back.replace("state=", "state=forged")
        self.assertRefused(self.finish(forged), "state")
        # the genuine answer is refused too now: the state was used by the forged one
        self.assertRefused(self.finish(back), "state")
        # another browser (a fresh session) cannot finish a sign-in started here
        back = approve_consent(self.start(), user=NEW_EMAIL)
        self.opener.cookies.clear()
        self.assertRefused(self.finish(back), "state")

    def test_cancelled_on_xero(self):
        back = approve_consent(self.start(), user=NEW_EMAIL, decision="deny")
        self.assertRefused(self.finish(back), "cancelled")

    def test_disabled_provider_is_not_offered_nor_started(self):
        self.provider.enabled = False
        self.assertNotIn("Sign in with Xero", self.url_open("/web/login").text)
        resp = self.url_open(const.SIGNIN_START_ROUTE, allow_redirects=False)
        self.assertEqual(resp.headers["Location"], "/web/login?xero_error=disabled")

    def test_connection_asks_only_the_accounting_scopes_it_uses(self):
        scope = query_of(self.start_connect())["scope"].split()
        self.assertEqual(set(scope), {"offline_access", "accounting.invoices", "accounting.payments.read",
                                      "accounting.contacts", "accounting.settings"})
        self.assertFalse({"openid", "profile", "email"} & set(scope))
        # and the connection made with them works (reads settings, connects both organisations)
        tenants = self.connect()
        self.assertEqual(len(tenants), 2)
        self.assertEqual(tenants.connection_id.scopes, " ".join(scope))

    def test_upgrade_replaces_the_old_default_scopes_only(self):
        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations", "18.0.1.2.0",
                            "post-migration.py")
        spec = importlib.util.spec_from_file_location("psa_xero_migration_1_2", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        icp = self.env["ir.config_parameter"].sudo()
        for old, new in const.OLD_DEFAULT_SCOPES.items():
            icp.set_param(const.PARAM_PREFIX + "scopes", old)
            self.env.flush_all()
            migration.migrate(self.env.cr, "18.0.1.1.0")
            self.env.registry.clear_cache()
            self.assertEqual(icp.get_param(const.PARAM_PREFIX + "scopes"), new)
        chosen = "openid offline_access accounting.transactions accounting.contacts accounting.settings"
        icp.set_param(const.PARAM_PREFIX + "scopes", chosen)
        self.env.flush_all()
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.env.registry.clear_cache()
        self.assertEqual(icp.get_param(const.PARAM_PREFIX + "scopes"), chosen)


@tagged("post_install", "-at_install")
class TestSignInWithXeroInChromium(XeroHarnessCase):
    """The login page's "Sign in with Xero" button, pressed in Chromium: Xero's consent (the
    harness, another origin) → back in Odoo's web client as the matched user."""

    def evaluate(self, browser, expression):
        result = browser._websocket_request("Runtime.evaluate", params={
            "expression": expression, "returnByValue": True, "awaitPromise": True})
        return result.get("result", {}).get("value")

    def wait_for(self, browser, expression, what, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if self.evaluate(browser, expression):
                    return
            except Exception:  # noqa: BLE001 - the page may be navigating: try again
                time.sleep(0.2)
                continue
            time.sleep(0.2)
        self.fail("Timed out waiting for %s (page: %s)" % (what, self.evaluate(browser, "location.href")))

    def test_sign_in_with_xero_button(self):
        self.env.ref("psa_xero_connector.provider_xero").enabled = True
        ada = self.env["res.users"].create({
            "name": "Ada (Odoo)", "login": ADA, "email": ADA,
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id])]})
        browser = ChromeBrowser(self, headless=True, success_signal="unused")
        try:
            self.cr.flush()
            self.cr.clear()
            browser.navigate_to(self.base_url() + "/web/login", wait_stop=True)
            button = "document.querySelector('a[href^=\"%s\"]')" % const.SIGNIN_START_ROUTE
            self.wait_for(browser, "!!%s && %s.offsetParent !== null" % (button, button),
                          "the Sign in with Xero button")
            self.assertEqual(self.evaluate(browser, "%s.innerText.trim()" % button), "Sign in with Xero")
            self.evaluate(browser, "%s.click()" % button)
            self.wait_for(browser, "location.href.startsWith(%s) && !!document.getElementById('allow')"
                          % json.dumps(self.harness.url), "Xero's consent page (the harness)")
            self.assertFalse(self.evaluate(browser, "document.querySelectorAll('input[name=tenant]').length"))
            self.evaluate(browser, "document.getElementById('allow').click()")  # Ada: the first Xero user
            # the web client boots with Ada's session (its session info is written into the page)
            self.wait_for(browser, "location.pathname.startsWith('/odoo') && !!window.odoo && "
                                   "!!odoo.__session_info__", "Odoo's web client", timeout=120)
            self.assertEqual(self.evaluate(browser, "odoo.__session_info__.uid"), ada.id)
            self.assertEqual(self.evaluate(browser, "odoo.__session_info__.username"), ADA)
        finally:
            browser.stop()
            self._wait_remaining_requests()
        self.env.invalidate_all()
        self.assertTrue(ada.oauth_uid)
