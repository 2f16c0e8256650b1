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

// Xero's certification checkpoint 3: Settings → Xero lists every organisation with its status
// and buttons, and Disconnect from Xero removes one (the test checks it is gone at Xero too).
registry.category("web_tour.tours").add("psa_xero_connector_settings_list_tour", {
    url: "/odoo/settings#psa_xero_connector",
    steps: () => [
        { content: "Both organisations counted", trigger: ".o_xero_tenant_count:contains('2')" },
        { content: "First organisation listed, connected",
          trigger: ".o_xero_tenant_list .o_data_row:contains('Northwind IT Services') .badge:contains('Connected')" },
        { content: "Second organisation listed, connected",
          trigger: ".o_xero_tenant_list .o_data_row:contains('Contoso Managed Services') .badge:contains('Connected')" },
        { content: "Connect to Xero, worded as Xero's guidelines word it",
          trigger: "#xero_connect button.o_xero_connect:contains('Connect to Xero')" },
        { content: "Disconnect Contoso from Xero",
          trigger: ".o_xero_tenant_list .o_data_row:contains('Contoso Managed Services') button.o_xero_disconnect:contains('Disconnect from Xero')",
          run: "click" },
        { content: "Confirm", trigger: ".modal-footer .btn-primary", run: "click" },
        { content: "Contoso disconnected, with its Reconnect button",
          trigger: ".o_xero_tenant_list .o_data_row:contains('Contoso Managed Services'):has(.badge:contains('Disconnected')) button.o_xero_reconnect" },
        { content: "Northwind still connected",
          trigger: ".o_xero_tenant_list .o_data_row:contains('Northwind IT Services') .badge:contains('Connected')" },
        { content: "One organisation counted", trigger: ".o_xero_tenant_count:contains('1')" },
    ],
});
