"""In Chromium: Settings → Xero → Connect → approve on the harness consent page → the
organisations are listed. Odoo tours check the two Odoo pages; the test drives the browser
through the consent page on the harness (another origin) with the DevTools protocol."""

import json
import time

from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from .common import XeroHarnessCase


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
        tenants = self.env["xero.tenant"].search([])
        self.assertEqual(set(tenants.mapped("name")), {"Northwind IT Services", "Contoso Managed Services"})
        self.start_tour("/odoo/xero-tenants", "psa_xero_connector_tenants_tour", login="admin")
