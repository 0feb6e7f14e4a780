# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The records whose changes go to the audit trail (R21): orders and their
lines, the shipping data of transfers, exceptions, after-sales cases and
what belongs to them, the order center's rules and its settings."""

from odoo import api, models

SETTINGS_PREFIX = "food_order_center."
# what a transfer says of its shipping (with the addon's own food_* fields)
PICKING_SHIPPING_FIELDS = frozenset(
    {
        "carrier_id",
        "carrier_tracking_ref",
        "date_done",
        "partner_id",
        "priority",
        "scheduled_date",
        "shipping_weight",
    }
)


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "food.audited.mixin"]

    def _food_audit_order(self):
        self.ensure_one()
        return self

    def action_view_food_audit_log(self):
        """The order's history: the order, its lines, transfers, exceptions
        and cases. For those who may read the trail: managers and
        administrators."""
        self.ensure_one()
        self.env["food.audit.log"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "food_order_center.food_audit_log_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "food.audited.mixin"]
    _food_audit_order_field = "order_id"


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "food.audited.mixin"]
    _food_audit_order_field = "sale_id"

    @api.model
    def _is_food_audited_field(self, field):
        return super()._is_food_audited_field(field) and (
            field.name in PICKING_SHIPPING_FIELDS or field.name.startswith("food_")
        )


class FoodOrderException(models.Model):
    _name = "food.order.exception"
    _inherit = ["food.order.exception", "food.audited.mixin"]
    _food_audit_order_field = "order_id"


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "food.audited.mixin"]
    _food_audit_order_field = "food_order_id"


class FoodCaseCompensation(models.Model):
    _name = "food.case.compensation"
    _inherit = ["food.case.compensation", "food.audited.mixin"]
    _food_audit_order_field = "case_id.food_order_id"


class Rma(models.Model):
    _name = "rma"
    _inherit = ["rma", "food.audited.mixin"]
    _food_audit_order_field = "order_id"


class FoodReturnInspection(models.Model):
    _name = "food.return.inspection"
    _inherit = ["food.return.inspection", "food.audited.mixin"]
    _food_audit_order_field = "rma_id.order_id"


class FoodAssignmentRule(models.Model):
    _name = "food.assignment.rule"
    _inherit = ["food.assignment.rule", "food.audited.mixin"]


class FoodCaseDeadlinePolicy(models.Model):
    _name = "food.case.deadline.policy"
    _inherit = ["food.case.deadline.policy", "food.audited.mixin"]


class FoodSalesPlatform(models.Model):
    _name = "food.sales.platform"
    _inherit = ["food.sales.platform", "food.audited.mixin"]


class ResCompany(models.Model):
    """The order center's settings kept on the company."""

    _name = "res.company"
    _inherit = ["res.company", "food.audited.mixin"]

    @api.model
    def _is_food_audited_field(self, field):
        return super()._is_food_audited_field(field) and field.name.startswith("food_")

    def _food_audit_company(self):
        self.ensure_one()
        return self


class IrConfigParameter(models.Model):
    """The order center's settings kept as system parameters."""

    _name = "ir.config_parameter"
    _inherit = ["ir.config_parameter", "food.audited.mixin"]

    def _food_audited_records(self):
        return self.filtered(lambda p: p.key.startswith(SETTINGS_PREFIX))
