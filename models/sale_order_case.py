# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    food_case_count = fields.Integer(
        string="After-sales Cases", compute="_compute_food_case_count"
    )

    def _get_mail_message_access(self, res_ids, operation, model_name=None):
        """After-sales staff read orders without changing them, and write to
        the customer about them (a return requested from the order posts on
        it): reading the order is enough for them to post."""
        if (
            operation == "create"
            and (model_name or self._name) == self._name
            and self.env.user.has_group("food_order_center.group_aftersales")
        ):
            return "read"
        return super()._get_mail_message_access(res_ids, operation, model_name)

    def _compute_food_case_count(self):
        """The cases of each order the user may read, in one query."""
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("food_order_id", "in", self.ids)],
                ["food_order_id"],
                ["__count"],
            )
        )
        for order in self:
            order.food_case_count = counts.get(order._origin, 0)

    def action_view_food_cases(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("After-sales Cases"),
            "res_model": "helpdesk.ticket",
            "view_mode": "list,form",
            "domain": [("food_order_id", "=", self.id)],
            "context": {
                "default_food_order_id": self.id,
                "default_partner_id": self.partner_id.id,
            },
        }
