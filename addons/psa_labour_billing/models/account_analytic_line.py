from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .. import labour
from ..const import CHARGE_TYPE_DOMAIN

# fields whose change moves a time entry's billable quantity (its own or its day group's)
TRIGGERS = ("unit_amount", "charge_type_id", "date", "task_id", "project_id", "labour_billable", "so_line")
# fields an invoiced entry keeps (Odoo already locks time, project, task, sales line and date)
LOCKED = ("charge_type_id", "labour_billable", "billable_hours")
UNBILLED = ["|", ("timesheet_invoice_id", "=", False), ("timesheet_invoice_id.state", "=", "cancel")]


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    charge_type_id = fields.Many2one(
        "product.product",
        compute="_compute_charge_type_id",
        store=True,
        readonly=False,
        domain=CHARGE_TYPE_DOMAIN,
        index="btree_not_null",
        help="What this time is billed as (Remote Support, Onsite…): its price, minimum charge and "
        "increment. Defaults to the ticket's or task's; the time lands on the customer's sales line "
        "of this charge type.",
    )
    labour_billable = fields.Boolean(
        string="Bill This Time",
        default=True,
        help="Non-billable time never reaches an invoice.",
    )
    billable_hours = fields.Float(
        digits=(16, 2),
        readonly=True,
        copy=False,
        help="The time billed after the charge type's minimum charge and increment; the time "
        "logged (the cost) is unchanged.",
    )

    @api.depends("task_id", "project_id")
    def _compute_charge_type_id(self):
        for line in self:
            if line.project_id and line._is_not_billed():
                line.charge_type_id = line._labour_default_charge_type()

    def _labour_default_charge_type(self):
        """The ticket's (glue module), else the task's, else the project's charge type."""
        return self.task_id.charge_type_id or self.project_id.charge_type_id

    # --- routing to the customer's sales line of the charge type ---------------------------------
    @api.depends("charge_type_id", "labour_billable", "task_id.partner_id", "project_id.partner_id")
    def _compute_so_line(self):
        # the customers' sales lines of the entries' charge types in one search, not one per entry
        found = self._labour_sale_lines_found()
        return super(AccountAnalyticLine, self.with_context(labour_sale_lines=found))._compute_so_line()

    def _labour_company(self):
        return self.company_id or self.project_id.company_id or self.env.company

    def _labour_sale_lines_found(self):
        """{(charge type, customer, company): the newest confirmed, unlocked sales line} for these
        entries (None: the customer has none yet)."""
        keys = set()
        for line in self:
            # the entries sale_timesheet routes (see its _compute_so_line)
            if (not line.is_so_line_edited and line._is_not_billed() and line.labour_billable
                    and line.charge_type_id and line.project_id.allow_billable):
                customer = line._labour_customer()
                if customer:
                    keys.add((line.charge_type_id.id, customer.id, line._labour_company().id))
        found = dict.fromkeys(keys)
        if not keys:
            return found
        products, customers, companies = (list({key[i] for key in keys}) for i in range(3))
        candidates = self.env["sale.order.line"].sudo().search([
            ("product_id", "in", products),
            ("order_partner_id.commercial_partner_id", "in", customers),
            ("state", "=", "sale"),
            ("order_id.locked", "=", False),
            ("company_id", "in", companies),
        ], order="id desc")
        for sol in candidates:
            key = (sol.product_id.id, sol.order_partner_id.commercial_partner_id.id, sol.company_id.id)
            if key in found and found[key] is None:
                found[key] = sol
        return found

    def _labour_customer(self):
        return (self.task_id.partner_id or self.project_id.partner_id).commercial_partner_id

    def _timesheet_determine_sale_line(self):
        self.ensure_one()
        if not self.labour_billable:
            return False
        if self.charge_type_id:
            customer = self._labour_customer()
            if customer:
                return self._labour_sale_line(customer)
        return super()._timesheet_determine_sale_line()

    def _labour_sale_line(self, customer):
        """The customer's confirmed sales line of this entry's charge type: the task's own line if it
        is one, else the newest, else a new line on the customer's labour order (made if missing),
        priced by the customer's price list."""
        charge_type = self.charge_type_id
        task_line = self.task_id.sale_line_id
        if (task_line.product_id == charge_type and task_line.state == "sale"
                and task_line.order_partner_id.commercial_partner_id == customer):
            return task_line
        company = self._labour_company()
        # sudo: called while the technician's own time entry is written (hr_timesheet checked that
        # write); technicians have no sales rights, and the sales line is theirs only to bill through
        sale_lines = self.env["sale.order.line"].sudo().with_company(company)
        found = self.env.context.get("labour_sale_lines")
        key = (charge_type.id, customer.id, company.id)
        if found is not None and key in found:
            line = found[key]  # looked up for the whole batch (_compute_so_line)
        else:
            line = sale_lines.search([
                ("product_id", "=", charge_type.id),
                ("order_partner_id.commercial_partner_id", "=", customer.id),
                ("state", "=", "sale"),
                ("order_id.locked", "=", False),
                ("company_id", "=", company.id),
            ], order="id desc", limit=1)
        if line:
            return line.with_company(company)
        line = self._labour_new_sale_line(customer, company, sale_lines)
        if found is not None:
            found[key] = line  # the batch's next entries of this customer and charge type land on it too
        return line

    def _labour_new_sale_line(self, customer, company, sale_lines):
        charge_type = self.charge_type_id
        orders = self.env["sale.order"].sudo().with_company(company)
        order = orders.search([
            ("partner_id", "=", customer.id),
            ("labour_order", "=", True),
            ("state", "=", "sale"),
            ("locked", "=", False),
            ("company_id", "=", company.id),
        ], order="id desc", limit=1)
        if order:
            return sale_lines.create({"order_id": order.id, "product_id": charge_type.id, "product_uom_qty": 0})
        order = orders.create({
            "partner_id": customer.id,
            "company_id": company.id,
            "labour_order": True,
            "order_line": [(0, 0, {"product_id": charge_type.id, "product_uom_qty": 0})],
        })
        order.action_confirm()
        return order.order_line[:1]

    # --- billable quantity ------------------------------------------------------------------------
    def _labour_rules_product(self):
        return self.charge_type_id or self.so_line.product_id

    def _labour_group_key(self):
        """What "per ticket or task and day" groups by (the helpdesk glue puts the ticket first)."""
        return ("task", self.task_id.id) if self.task_id else ("project", self.project_id.id)

    def _labour_group_domain(self, key):
        kind, res_id = key
        if kind == "task":
            return [("task_id", "=", res_id)]
        return [("project_id", "=", res_id), ("task_id", "=", False)]

    def _labour_day_siblings(self):
        """The unbilled entries rounded together with these ones (charge types applied per day)."""
        days = defaultdict(set)  # (ticket or task, charge type) -> dates
        for line in self:
            product = line.charge_type_id
            if not line.project_id or not product or product.labour_scope != "day":
                continue
            days[(line._labour_group_key(), product.id)].add(line.date)
        if not days:
            return self.browse()
        # one search for all the groups, not one per ticket or task and day
        groups = expression.OR([self._labour_group_domain(key) + [
            ("charge_type_id", "=", product_id), ("date", "in", sorted(dates))]
            for (key, product_id), dates in days.items()])
        return self.browse() | self.sudo().search(expression.AND([groups, UNBILLED, [("project_id", "!=", False)]]))

    def _labour_refresh(self):
        """Store each unbilled entry's billable quantity from its charge type's rules."""
        lines = (self | self._labour_day_siblings()).sudo()
        values = {}
        groups = defaultdict(list)
        for line in lines:
            if not line.project_id or not line._is_not_billed():
                continue
            product = line._labour_rules_product()
            if not line.labour_billable:
                values[line.id] = 0.0
            elif not product:
                values[line.id] = round(line.unit_amount, 2)
            elif product.labour_scope == "day" and line.charge_type_id:
                groups[(line._labour_group_key(), line.date, product.id)].append(line)
            else:
                values[line.id] = labour.billable_hours(line.unit_amount, product.labour_minimum,
                                                        product.labour_increment, product.labour_rounding)
        for (_key, _day, product_id), members in groups.items():
            product = self.env["product.product"].browse(product_id)
            members.sort(key=lambda m: m.id)
            total = labour.billable_hours(sum(m.unit_amount for m in members), product.labour_minimum,
                                          product.labour_increment, product.labour_rounding)
            for member, share in zip(members, labour.share(total, [m.unit_amount for m in members]), strict=True):
                values[member.id] = share
        by_value = defaultdict(list)
        for line_id, value in values.items():
            if lines.browse(line_id).billable_hours != value:
                by_value[value].append(line_id)
        # sudo: the entries of one day group may be other technicians' (hr_timesheet lets a user write
        # only their own); the caller's own write has already been checked
        for value, ids in by_value.items():
            self.env["account.analytic.line"].sudo().browse(ids).write({"billable_hours": value})

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered("project_id")._labour_refresh()
        return lines

    def _labour_triggers(self):
        return TRIGGERS

    def write(self, vals):
        if not any(name in vals for name in self._labour_triggers()):
            return super().write(vals)
        before = self._labour_day_siblings()
        res = super().write(vals)
        (self | before).exists()._labour_refresh()
        return res

    def unlink(self):
        siblings = self._labour_day_siblings() - self
        res = super().unlink()
        siblings.exists()._labour_refresh()
        return res

    def _check_can_write(self, values):
        if any(name in values for name in LOCKED):
            billed = self.sudo().filtered(lambda t: t.timesheet_invoice_id and t.timesheet_invoice_id.state != "cancel")
            if billed:
                raise UserError(self.env._(
                    "Time entry “%(entry)s” is on invoice %(invoice)s: its charge type and billable time "
                    "are locked. Cancel or credit the invoice (Invoicing → Customers → Invoices) to change them.",
                    entry=billed[0].name or billed[0].date, invoice=billed[0].timesheet_invoice_id.display_name))
        return super()._check_can_write(values)

    # --- the invoice line's description ----------------------------------------------------------
    def _labour_ref(self):
        """The ticket's number and title (glue module), else the task's."""
        if self.task_id:
            return "#%d %s" % (self.task_id.id, self.task_id.name)
        return self.project_id.name or ""

    def _labour_entry(self):
        return {
            "date": self.date,
            "ref": self._labour_ref(),
            "initials": labour.initials(self.employee_id.name or self.user_id.name),
            "hours": self.billable_hours,
            "summary": self.name if self.name and self.name != "/" else "",
        }
