/** @odoo-module **/
// Issue #13 on a synced record: the invoice shows its Xero badge and the link that opens it in
// Xero (the harness's page here); the invoices list has a Xero column and Re-sync to Xero.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("psa_xero_connector_record_tour", {
    steps: () => [
        { content: "The badge says the invoice is in Xero", trigger: ".o_xero_status .o_xero_badge:contains('In Xero ✓')" },
        { content: "… since when", trigger: ".o_xero_status div[name='ledger_synced_at']:not(:empty)" },
        {
            content: "The link opens the invoice in Xero (the harness's page)",
            trigger: ".o_xero_status .o_xero_link a[href*='/ui/'][href*='/invoices/']:contains('Open in Xero')",
        },
    ],
});

registry.category("web_tour.tours").add("psa_xero_connector_resync_tour", {
    steps: () => [
        { content: "The list has a Xero column", trigger: ".o_data_row .o_field_badge:contains('In Xero ✓')" },
        { content: "Three invoices listed", trigger: ".o_list_table:has(.o_data_row:eq(2))" },
        { content: "Select the first", trigger: ".o_data_row:eq(0) .o_list_record_selector input", run: "click" },
        { content: "Select the second", trigger: ".o_data_row:eq(1) .o_list_record_selector input", run: "click" },
        { content: "Select the third", trigger: ".o_data_row:eq(2) .o_list_record_selector input", run: "click" },
        { content: "Open the actions", trigger: ".o_cp_action_menus .dropdown-toggle:has(.fa-cog)", run: "click" },
        { content: "Re-sync to Xero", trigger: ".o-dropdown--menu .o-dropdown-item:contains('Re-sync to Xero')", run: "click" },
        {
            content: "The summary says what happened to each",
            trigger: ".o_notification:contains('1 queued, 1 unchanged, 1 skipped: not posted')",
        },
    ],
});
