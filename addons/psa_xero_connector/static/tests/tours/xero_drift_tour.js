/** @odoo-module **/
// The organisation dashboard and the drift report (issue #13). The test (tests/test_drift.py,
// TestDriftTour) sets up the organisation, changes Xero behind Odoo's back between the tours,
// and checks that the figures the tours read are the database's.
import { registry } from "@web/core/registry";

const card = ".o_kanban_record:contains('Northwind IT Services')";

registry.category("web_tour.tours").add("psa_xero_connector_dashboard_tour", {
    url: "/odoo/xero-dashboard",
    steps: () => [
        { content: "One card per organisation", trigger: card },
        { content: "Synced today", trigger: `${card} .o_xero_dash_synced:contains('4 synced today')` },
        { content: "Queued", trigger: `${card} .o_xero_dash_queued:contains('1 queued')` },
        { content: "In error", trigger: `${card} .o_xero_dash_errors:contains('2 in error')` },
        { content: "Xero's remaining calls", trigger: `${card} .o_xero_dash_limits:contains('this minute')` },
        { content: "No difference known yet", trigger: `${card} .o_xero_dash_drift:contains('0 difference(s)')` },
        { content: "Open the rows in error", trigger: `${card} .o_xero_dash_errors`, run: "click" },
        { content: "The outbox, filtered", trigger: ".o_list_view .o_data_row:contains('No Mail Ltd')" },
        { content: "Only those rows", trigger: ".o_list_view:not(:has(.o_data_row:nth-child(3)))" },
    ],
});

registry.category("web_tour.tours").add("psa_xero_connector_drift_tour", {
    url: "/odoo/xero-dashboard",
    steps: () => [
        { content: "Run the drift report from the card", trigger: `${card} button[name=action_run_drift]`, run: "click" },
        { content: "The deleted invoice is found", trigger: ".o_data_row:contains('Status differs'):contains('DELETED')" },
        { content: "The changed total is found", trigger: ".o_data_row:contains('Total differs'):contains('999.00')" },
        { content: "Re-push the deleted one",
          trigger: ".o_data_row:contains('Status differs') button[name=action_repush]", run: "click" },
        { content: "It is queued again", trigger: ".o_data_row:contains('Status differs'):contains('Re-pushed')" },
        { content: "Re-push the changed one",
          trigger: ".o_data_row:contains('Total differs') button[name=action_repush]", run: "click" },
        { content: "It is queued again", trigger: ".o_data_row:contains('Total differs'):contains('Re-pushed')" },
    ],
});

registry.category("web_tour.tours").add("psa_xero_connector_drift_clean_tour", {
    url: "/odoo/xero-dashboard",
    steps: () => [
        { content: "Run the drift report again", trigger: `${card} button[name=action_run_drift]`, run: "click" },
        { content: "Odoo and Xero agree", trigger: ".o_view_nocontent:contains('Odoo and Xero agree')" },
    ],
});
