"""An analytic account is mapped to an option of the tracking category its root plan is mapped
to (the Tracking mapping screen), per organisation; document lines carry it as tracking."""

from odoo import fields, models
from odoo.exceptions import ValidationError

from .ledger_mapped_mixin import MAPPING_STATES


class AccountAnalyticAccount(models.Model):
    _name = "account.analytic.account"
    _inherit = ["account.analytic.account", "ledger.mapped.mixin"]
    _ledger_catalog = "ledger.tracking.option"
    _ledger_key = "tracking_option_id"
    _ledger_code_field = "tracking_category_id"

    ledger_entry_id = fields.Many2one("ledger.tracking.option", string="Tracking option in the ledger",
                                      compute="_compute_ledger_entry", inverse="_inverse_ledger_entry",
                                      domain="[('tenant_id.company_id', '=', company_id or current_company_id)]")
    ledger_mapping_state = fields.Selection(MAPPING_STATES, string="Ledger mapping", compute="_compute_ledger_entry")
    ledger_plan_category_id = fields.Many2one("ledger.tracking.category", string="Plan's tracking category",
                                              compute="_compute_ledger_plan_category")

    def _compute_ledger_plan_category(self):
        for account in self:
            account.ledger_plan_category_id = account.root_plan_id.ledger_entry_id

    def _ledger_tracking_screen(self):
        """Where a plan is mapped to a category (named in the message that asks for it)."""
        return self.env._("Tracking categories")

    def _inverse_ledger_entry(self):
        for account in self.filtered("ledger_entry_id"):
            category = account.root_plan_id.ledger_entry_id
            if account.ledger_entry_id.category_id != category:
                raise ValidationError(self.env._(
                    "%(option)s is not an option of the tracking category the plan %(plan)s is mapped to (%(cat)s): "
                    "map the plan first in %(screen)s.", option=account.ledger_entry_id.display_name,
                    plan=account.root_plan_id.name, cat=category.display_name or "-",
                    screen=self._ledger_tracking_screen()))
        return super()._inverse_ledger_entry()
