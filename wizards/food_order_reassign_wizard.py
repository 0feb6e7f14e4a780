# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class FoodOrderReassignWizard(models.TransientModel):
    """The manager gives orders to another processor, with a reason."""

    _name = "food.order.reassign.wizard"
    _description = "Reassign Orders"

    order_ids = fields.Many2many(
        "sale.order",
        string="Orders",
        required=True,
        default=lambda self: self.env.context.get("active_ids"),
    )
    processor_id = fields.Many2one(
        "res.users",
        string="New Processor",
        required=True,
        domain=lambda self: [
            (
                "groups_id",
                "in",
                self.env.ref("food_order_center.group_order_processor").ids,
            )
        ],
    )
    reason = fields.Text(required=True)

    def action_reassign(self):
        self.ensure_one()
        self.order_ids.action_reassign_processor(self.processor_id, self.reason)
        return {"type": "ir.actions.act_window_close"}
