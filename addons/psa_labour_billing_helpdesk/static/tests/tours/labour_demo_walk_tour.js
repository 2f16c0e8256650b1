/** @odoo-module **/
// The README's demo walk, labour billing (steps 11–13), against `./run demo`'s database: time
// logged on a ticket, the month invoiced, the invoice confirmed. Run after psa_xero_connector's
// demo_walk_tour.js (steps 1–10) by tests/repo/test_demo_command.py; a step whose content starts
// with "README: " is one the README names in bold, in the same order (the test checks it).
import { registry } from "@web/core/registry";
import { formatDateTime } from "@web/core/l10n/dates";

const { DateTime } = luxon;
const tours = registry.category("web_tour.tours");
const TICKET = "Replace failed switch in surgery 2";

function menu(app, section, item) {
    return [
        { content: "home menu", trigger: ".o_navbar_apps_menu button:enabled", run: "click" },
        { content: `README: ${app}`, trigger: `.o_app:contains('${app}')`, run: "click" },
        { content: `README: ${section}`, trigger: `.o_main_navbar .o_menu_sections button:contains('${section}')`,
          run: "click" },
        { content: `README: ${item}`, trigger: `.o-dropdown--menu .dropdown-item:contains('${item}')`, run: "click" },
    ];
}

function many2one(label, field, value, typed, scope) {
    return [
        { content: `README: ${label} "${value}"`, trigger: `${scope} div[name=${field}] input`, run: `edit ${typed}` },
        { content: `pick ${value}`, trigger: `.o-autocomplete--dropdown-item:contains('${value}')`, run: "click" },
    ];
}

const ROW = "div[name=timesheet_ids] .o_selected_row";

// 11. time on a ticket, on the last day of last month, as an onsite visit
tours.add("psa_xero_demo_11_ticket_time", {
    steps: () => [
        ...menu("Helpdesk", "Tickets", "All Tickets"),
        { content: "switch to the list", trigger: ".o_control_panel .o_switch_view.o_list", run: "click" },
        { content: "the ticket", trigger: `.o_data_row:contains('${TICKET}') td.o_data_cell`, run: "click" },
        { content: "README: Timesheets", trigger: ".o_notebook .nav-link:contains('Timesheets')", run: "click" },
        { content: "README: Add a line", trigger: "div[name=timesheet_ids] .o_field_x2many_list_row_add a",
          run: "click" },
        { content: 'README: Date "the last day of last month"', trigger: `${ROW} div[name=date_time] input`,
          run: `edit ${formatDateTime(DateTime.now().startOf("month").minus({ days: 1 }).set({ hour: 10 }))}` },
        ...many2one("Employee", "employee_id", "Sam Patel", "Sam", ROW),
        { content: 'README: Description "Replaced the UPS"', trigger: `${ROW} div[name=name] input`,
          run: "edit Replaced the UPS" },
        { content: 'README: Duration (Hour(s)) "0:45"', trigger: `${ROW} div[name=unit_amount] input`,
          run: "edit 0:45" },
        ...many2one("Charge Type", "charge_type_id", "Onsite Visit", "Onsite", ROW),
        { content: "README: Save", trigger: ".o_form_view .o_form_button_save", run: "click" },
        { content: "saved", trigger: ".o_form_status_indicator:has(.o_form_status_indicator_buttons.invisible)" },
        { content: "the line saved, billed an hour",
          trigger: "div[name=timesheet_ids] .o_data_row:contains('Replaced the UPS') td[name=billable_hours]:contains('01:00')" },
    ],
});

// 12–13. the month invoiced: one invoice for Acme Dental, one line per charge type → Confirm
tours.add("psa_xero_demo_12_invoice_labour", {
    steps: () => [
        ...menu("Sales", "To Invoice", "Invoice Labour"),
        { content: "README: From", trigger: ".modal div[name=date_from] input" },
        { content: "README: To", trigger: ".modal div[name=date_to] input" },
        { content: 'README: Invoice Lines "One line per charge type"',
          trigger: ".modal div[name=grouping] .o_radio_item:contains('One line per charge type') input",
          run: "click" },
        { content: "README: Create Invoices", trigger: ".modal button[name=action_create_invoices]", run: "click" },
        { content: "README: Acme Dental Group",
          trigger: "body:not(:has(.modal)) .o_data_row:contains('Acme Dental Group') td.o_data_cell", run: "click" },
        { content: "two labour lines",
          trigger: ".o_form_view div[name=invoice_line_ids]" +
              ":has(.o_data_row:contains('Remote Support (1hr)')):has(.o_data_row:contains('Onsite Visit'))",
          run() {
              // each line's description (a textarea: its value, not its text) lists its tickets
              const rows = [...this.anchor.querySelectorAll(".o_data_row")].map((row) =>
                  row.innerText + [...row.querySelectorAll("textarea")].map((area) => area.value).join("\n"));
              const listed = (product, texts) => rows.some((row) => row.includes(product) &&
                  texts.every((text) => row.includes(text)));
              if (!listed("Remote Support (1hr)", ["Email not syncing on reception PC"]) ||
                  !listed("Onsite Visit", [TICKET, "Replaced the UPS"])) {
                  throw new Error(`the labour lines do not list the tickets: ${rows.join(" | ")}`);
              }
          } },
        { content: "README: Confirm", trigger: ".o_form_view button[name=action_post]:enabled", run: "click" },
        { content: "posted", trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Posted')" },
    ],
});
