# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class FoodOrderConfirmWizard(models.TransientModel):
    """The manager confirms orders that are not verified, with a reason."""

    _name = "food.order.confirm.wizard"
    _description = "Confirm Orders Without Verification"

    order_ids = fields.Many2many(
        "sale.order",
        string="Orders",
        required=True,
        default=lambda self: self.env.context.get("active_ids"),
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.order_ids.action_confirm_unverified(self.reason)
        return {"type": "ir.actions.act_window_close"}
