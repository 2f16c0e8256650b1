/** @odoo-module **/
// Settings → Xero: the Connect button is there (the browser then leaves Odoo for Xero's
// consent page, which the test answers), and afterwards the organisations are listed.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("psa_xero_connector_settings_tour", {
    url: "/odoo/settings#psa_xero_connector",
    steps: () => [
        { content: "The Xero section is shown", trigger: ".app_settings_block[data-key='psa_xero_connector'], div[name='psa_xero_connector']" },
        { content: "Connect to Xero", trigger: "button.o_xero_connect", run: "click" },
    ],
});

registry.category("web_tour.tours").add("psa_xero_connector_tenants_tour", {
    url: "/odoo/xero-tenants",
    steps: () => [
        { content: "First organisation listed", trigger: ".o_data_row td:contains('Northwind IT Services')" },
        { content: "Second organisation listed", trigger: ".o_data_row td:contains('Contoso Managed Services')" },
    ],
});
