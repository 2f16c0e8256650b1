/** @odoo-module **/
// Two halves of the connect flow that live inside Odoo; the test drives the browser
// across to the harness consent page (another origin, where no tour can run) in between.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("psa_xero_connector_settings_tour", {
    url: "/odoo/settings#psa_xero_connector",
    steps: () => [
        { content: "Settings → Xero shows the connect button", trigger: "#xero_connect button.o_xero_connect" },
        { content: "The redirect URI to register at Xero is shown", trigger: "#xero_app:contains('/xero/oauth/callback')" },
    ],
});

registry.category("web_tour.tours").add("psa_xero_connector_tenants_tour", {
    url: "/odoo/xero-tenants",
    steps: () => [
        { content: "First organisation listed", trigger: ".o_data_row:contains('Northwind IT Services')" },
        { content: "Second organisation listed", trigger: ".o_data_row:contains('Contoso Managed Services')" },
        { content: "Both connected", trigger: ".o_data_row:contains('Contoso Managed Services') .badge:contains('Connected')" },
    ],
});
