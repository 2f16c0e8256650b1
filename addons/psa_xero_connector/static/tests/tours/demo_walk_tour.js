/** @odoo-module **/
// The README's demo walk ("The demo", steps 1–10), click by click, against `./run demo`'s
// database and harness (tests/repo/test_demo_command.py runs it in Chromium). A step whose
// content starts with "README: " is one the README names, in bold, in the same order
// (tests/repo/test_demo_command.py checks it): if the README changes, these change with it.
// The harness's own pages (consent, Record payment) are another origin, where no tour runs:
// the test clicks those, and its WALK lists them between these tours. Steps 11–13 (labour
// billing) are psa_labour_billing_helpdesk's labour_demo_walk_tour.js.
import { registry } from "@web/core/registry";
import { formatDate } from "@web/core/l10n/dates";

const { DateTime } = luxon;
const tours = registry.category("web_tour.tours");

function menu(app, section, item) {
    return [
        { content: "home menu", trigger: ".o_navbar_apps_menu button:enabled", run: "click" },
        { content: `README: ${app}`, trigger: `.o_app:contains('${app}')`, run: "click" },
        { content: `README: ${section}`, trigger: `.o_main_navbar .o_menu_sections button:contains('${section}')`,
          run: "click" },
        { content: `README: ${item}`, trigger: `.o-dropdown--menu .dropdown-item:contains('${item}')`, run: "click" },
        { content: `${item} opened`, trigger: `.o_control_panel .o_breadcrumb:contains('${item}')` },
    ];
}

function many2one(label, field, value, typed, scope = "") {
    return [
        { content: `README: ${label} "${value}"`, trigger: `${scope} div[name=${field}] input`, run: `edit ${typed}` },
        { content: `pick ${value}`, trigger: `.o-autocomplete--dropdown-item:contains('${value}')`, run: "click" },
    ];
}

function line(field) {
    return `div[name=invoice_line_ids] .o_selected_row div[name=${field}]`;
}

function confirmAndWaitPosted() {
    return [
        { content: "README: Confirm", trigger: ".o_form_view button[name=action_post]:enabled", run: "click" },
        { content: "posted", trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Posted')" },
    ];
}

function billDate() {
    return [
        { content: 'README: Bill Date "today"', trigger: "div[name=invoice_date] input",
          run: `edit ${formatDate(DateTime.now())}` },
        { content: "leave the date", trigger: "div[name=ref] input, div[name=partner_id] input", run: "click" },
    ];
}

// 1. Settings → Xero → Connect to Xero (the browser then goes to the harness's consent page)
tours.add("psa_xero_demo_1_connect", {
    steps: () => [
        { content: "home menu", trigger: ".o_navbar_apps_menu button:enabled", run: "click" },
        { content: "README: Settings", trigger: ".o_app[data-menu-xmlid='base.menu_administration']", run: "click" },
        { content: "README: Xero", trigger: ".settings_tab .tab[data-key='psa_xero_connector']", run: "click" },
        { content: "README: Connect to Xero", trigger: "button.o_xero_connect", run: "click" },
    ],
});

// 3–5. back on the organisations list: companies, import, switches
tours.add("psa_xero_demo_3_organisations", {
    steps: () => [
        { content: "both organisations listed",
          trigger: ".o_data_row:contains('Contoso Managed Services') .badge:contains('Connected')" },
        { content: "open the company switcher", trigger: ".o_switch_company_menu button", run: "click" },
        { content: "README: Contoso Managed Services",
          trigger: ".o_switch_company_item:contains('Contoso Managed Services') [role=menuitemcheckbox]",
          run: "click" },
        { content: "mark the page, to know when it has reloaded", trigger: "body",
          run: () => document.body.classList.add("o_psa_before_switch") },
        { content: "README: Confirm", trigger: ".o_switch_company_menu_buttons button:contains('Confirm')",
          run: "click" },
        { content: "reloaded with both companies",
          trigger: "body:not(.o_psa_before_switch) .o_data_row:contains('Contoso Managed Services')" },
        { content: "Northwind's company cell",
          trigger: ".o_data_row:contains('Northwind IT Services') td[name=company_id]", run: "click" },
        ...many2one("Odoo company", "company_id", "Northwind IT Services", "Northwind",
                    ".o_selected_row:contains('Northwind IT Services')"),
        { content: "Contoso's company cell",
          trigger: ".o_data_row:contains('Contoso Managed Services') td[name=company_id]", run: "click" },
        ...many2one("Odoo company", "company_id", "Contoso Managed Services", "Contoso",
                    ".o_selected_row:contains('Contoso Managed Services')"),
        { content: "README: Save", trigger: ".o_list_button_save", run: "click" },
        { content: "saved", trigger: ".o_list_renderer:not(:has(.o_selected_row))" },
        { content: "both assigned",
          trigger: ".o_data_row:contains('Contoso Managed Services') td[name=company_id]:contains('Contoso Managed Services')" },
        { content: "README: Northwind IT Services", trigger: ".o_data_row:contains('Northwind IT Services')" },
        { content: "README: View",
          trigger: ".o_data_row:contains('Northwind IT Services') .o_list_record_open_form_view button",
          run: "click" },
        { content: "README: Import from Xero", trigger: ".o_form_view button[name=action_open_import]",
          run: "click" },
        { content: "README: Import", trigger: ".modal button.o_xero_import", run: "click" },
        { content: "the summary", trigger: ".modal .o_ledger_import_summary", timeout: 60000 },
        { content: "README: Close", trigger: ".modal .modal-footer button:contains('Close')", run: "click" },
        { content: "the dialog closed", trigger: "body:not(:has(.modal))" },
        // closing the dialog reloads the organisation's form: a click before that reload
        // lands is undone by it (the step after the switches checks they all stayed on)
        { content: "the form reloaded", trigger: ".o_form_view",
          run: () => new Promise((resolve) => setTimeout(resolve, 2000)) },
        ...[["Customers", "customers"], ["Suppliers", "suppliers"], ["Invoices", "invoices"],
            ["Vendor bills", "bills"], ["Credit notes", "credit_notes"], ["Purchase orders", "purchase_orders"]].map(
            ([label, field]) => ({
                content: `README: ${label}`,
                trigger: `.o_form_view .o_field_widget[name=sync_${field}] input:not(:checked)`,
                run: "click",
            })),
        { content: "all six on",
          trigger: ".o_form_view" + ["customers", "suppliers", "invoices", "bills", "credit_notes", "purchase_orders"]
              .map((field) => `:has(.o_field_widget[name=sync_${field}] input:checked)`).join("") },
        { content: "README: Save", trigger: ".o_form_view .o_form_button_save", run: "click" },
        { content: "saved", trigger: ".o_form_status_indicator:has(.o_form_status_indicator_buttons.invisible)" },
    ],
});

// 6. an invoice for a customer Odoo has and Xero does not yet
tours.add("psa_xero_demo_6_invoice", {
    steps: () => [
        ...menu("Invoicing", "Customers", "Invoices"),
        { content: "README: New", trigger: ".o_list_button_add", run: "click" },
        ...many2one("Customer", "partner_id", "Greenfield Veterinary Practice", "Greenfield"),
        { content: "README: Add a line", trigger: "div[name=invoice_line_ids] .o_field_x2many_list_row_add a",
          run: "click" },
        ...many2one("Product", "product_id", "Remote Support (1hr)", "Remote Support",
                    "div[name=invoice_line_ids] .o_selected_row"),
        { content: "README: Quantity \"2\"", trigger: `${line("quantity")} input`, run: "edit 2" },
        ...confirmAndWaitPosted(),
    ],
});

// 7. a credit note
tours.add("psa_xero_demo_7_credit_note", {
    steps: () => [
        ...menu("Invoicing", "Customers", "Credit Notes"),
        { content: "README: New", trigger: ".o_list_button_add", run: "click" },
        ...many2one("Customer", "partner_id", "Acme Dental Group", "Acme"),
        { content: "README: Add a line", trigger: "div[name=invoice_line_ids] .o_field_x2many_list_row_add a",
          run: "click" },
        ...many2one("Product", "product_id", "Onsite Visit", "Onsite",
                    "div[name=invoice_line_ids] .o_selected_row"),
        ...confirmAndWaitPosted(),
    ],
});

// 8. a vendor bill without a product
tours.add("psa_xero_demo_8_bill", {
    steps: () => [
        ...menu("Invoicing", "Vendors", "Bills"),
        { content: "README: New", trigger: ".o_list_button_add", run: "click" },
        ...many2one("Vendor", "partner_id", "Pax8 UK", "Pax8"),
        ...billDate(),
        { content: "README: Add a line", trigger: "div[name=invoice_line_ids] .o_field_x2many_list_row_add a",
          run: "click" },
        { content: "README: ≡", trigger: `${line("product_id")} button#labelVisibilityButtonId`, run: "click" },
        { content: 'README: Description "Cloud backup storage, November"', trigger: `${line("product_id")} textarea`,
          run: "edit Cloud backup storage, November" },
        { content: "the description typed in", trigger: `${line("product_id")} textarea`,
          run() {
              // as Odoo's own account tour: "edit" does not fire the textarea's change handler
              this.anchor.dispatchEvent(new InputEvent("input"));
              this.anchor.dispatchEvent(new Event("change"));
          } },
        { content: 'README: Price "240"', trigger: `${line("price_unit")} input`, run: "edit 240" },
        ...confirmAndWaitPosted(),
    ],
});

// 9. a purchase order, then its bill (a bill with a product)
tours.add("psa_xero_demo_9_purchase", {
    steps: () => [
        { content: "home menu", trigger: ".o_navbar_apps_menu button:enabled", run: "click" },
        { content: "README: Purchase", trigger: ".o_app:contains('Purchase')", run: "click" },
        { content: "Purchase opened", trigger: ".o_control_panel .o_breadcrumb:contains('Requests for Quotation')" },
        { content: "README: New", trigger: ".o_list_button_add", run: "click" },
        ...many2one("Vendor", "partner_id", "Dell Technologies UK", "Dell"),
        { content: "README: Add a product", trigger: "div[name=order_line] .o_field_x2many_list_row_add a",
          run: "click" },
        ...many2one("Product", "product_id", "Microsoft 365 Business Premium", "Microsoft 365",
                    "div[name=order_line] .o_selected_row"),
        { content: 'README: Quantity "10"', trigger: "div[name=order_line] .o_selected_row div[name=product_qty] input",
          run: "edit 10" },
        { content: "README: Confirm Order", trigger: ".o_form_view button#draft_confirm", run: "click" },
        { content: "README: Create Bill", trigger: ".o_form_view button[name=action_create_invoice]:enabled",
          run: "click" },
        { content: "the draft bill", trigger: ".o_form_view div[name=invoice_line_ids] .o_data_row" },
        ...billDate(),
        ...confirmAndWaitPosted(),
    ],
});

// 10. after Record payment on the harness page: the invoice is paid in Odoo
tours.add("psa_xero_demo_10_paid", {
    steps: () => [
        ...menu("Invoicing", "Customers", "Invoices"),
        { content: "README: Paid",
          trigger: ".o_data_row:contains('Greenfield Veterinary Practice') .badge:contains('Paid')",
          timeout: 30000 },
    ],
});
