"""In Chromium: Settings → Xero → Connect → approve on the harness consent page → the
organisations are listed. Odoo tours check the two Odoo pages; the test drives the browser
through the consent page on the harness (another origin) with the DevTools protocol."""

import json
import time

from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from .common import ORG_A, ORG_B, XeroHarnessCase


@tagged("post_install", "-at_install")
class TestConnectTour(XeroHarnessCase):

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
        href = self.evaluate(browser, "location.href")
        self.fail("Timed out waiting for %s (page: %s)" % (what, href))

    def test_connect_from_settings_in_the_browser(self):
        self.start_tour("/odoo/settings#psa_xero_connector", "psa_xero_connector_settings_tour", login="admin")
        browser = ChromeBrowser(self, headless=True, success_signal="unused")
        try:
            self.authenticate("admin", "admin", browser=browser)
            self.cr.flush()
            self.cr.clear()
            browser.navigate_to(self.base_url() + "/odoo/settings#psa_xero_connector", wait_stop=True)
            self.wait_for(browser, "!!document.querySelector('button.o_xero_connect')", "the Connect button")
            self.evaluate(browser, "document.querySelector('button.o_xero_connect').click()")
            self.wait_for(browser, "location.href.startsWith(%s) && !!document.getElementById('allow')"
                          % json.dumps(self.harness.url), "the harness consent page")
            orgs = self.evaluate(browser, "Array.from(document.querySelectorAll('input[name=tenant]'))"
                                          ".map(i => i.parentElement.innerText.trim())")
            self.assertEqual(sorted(orgs), ["Contoso Managed Services", "Northwind IT Services"])
            self.evaluate(browser, "document.getElementById('allow').click()")
            self.wait_for(browser, "location.pathname.startsWith('/odoo/xero-tenants') && "
                                   "document.querySelectorAll('.o_data_row').length === 2", "the tenants list")
        finally:
            browser.stop()
            self._wait_remaining_requests()
        self.env.invalidate_all()
        tenants = self.env["ledger.tenant"].search([])
        self.assertEqual(set(tenants.mapped("name")), {"Northwind IT Services", "Contoso Managed Services"})
        self.start_tour("/odoo/xero-tenants", "psa_xero_connector_tenants_tour", login="admin")

    def test_settings_page_lists_organisations_and_disconnects_in_the_browser(self):
        """Xero's checkpoint 3 in Chromium: the list, the count, Disconnect from Xero."""
        tenants = self.connect()
        tenants.filtered(lambda t: t.remote_id == ORG_A).company_id = self.env.company
        other = self.env["res.company"].create({"name": "Contoso (Odoo)"})
        self.env.ref("base.user_admin").company_ids |= other
        tenants.filtered(lambda t: t.remote_id == ORG_B).company_id = other  # not the active company
        self.start_tour("/odoo/settings#psa_xero_connector", "psa_xero_connector_settings_list_tour", login="admin")
        self.assertEqual({c["tenantId"] for c in self.harness.app.store.all("connection")}, {ORG_A})
        self.assertEqual(tenants.filtered(lambda t: t.remote_id == ORG_B).state, "disconnected")
