# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class FoodQualityHoldWizard(models.TransientModel):
    """The processor puts an order, a line or a lot on quality hold."""

    _name = "food.quality.hold.wizard"
    _description = "Quality Hold"

    order_id = fields.Many2one(
        "sale.order",
        required=True,
        default=lambda self: self.env.context.get("active_id"),
    )
    line_id = fields.Many2one(
        "sale.order.line",
        string="Order Line",
        domain="[('order_id', '=', order_id), ('display_type', '=', False)]",
        help="Leave empty to hold the whole order.",
    )
    product_id = fields.Many2one(related="line_id.product_id")
    lot_id = fields.Many2one(
        "stock.lot",
        domain="[('product_id', '=', product_id)]",
        help="The lot with the problem: it is not reserved for any order "
        "until an inventory manager releases it.",
    )
    reason = fields.Text(string="Quality Problem", required=True)

    def action_hold(self):
        self.ensure_one()
        self.order_id.action_quality_hold(self.reason, self.line_id.id, self.lot_id.id)
        return {"type": "ir.actions.act_window_close"}
