# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class FoodStockCheckWizard(models.TransientModel):
    """The inventory manager confirms a stock check and its restock date."""

    _name = "food.stock.check.wizard"
    _description = "Confirm Stock Check"

    order_ids = fields.Many2many(
        "sale.order",
        string="Orders",
        required=True,
        default=lambda self: self.env.context.get("active_ids"),
    )
    proposed_restock_date = fields.Date(
        compute="_compute_proposed_restock_date",
        help="Latest restock date the stock check proposed for these orders.",
    )
    expected_restock_date = fields.Date(
        help="Leave empty to keep the date the stock check proposed.",
    )

    @api.depends("order_ids")
    def _compute_proposed_restock_date(self):
        for wizard in self:
            dates = [d for d in wizard.order_ids.mapped("expected_restock_date") if d]
            wizard.proposed_restock_date = max(dates, default=False)

    def action_confirm(self):
        self.ensure_one()
        self.order_ids.action_confirm_stock_check(self.expected_restock_date)
        return {"type": "ir.actions.act_window_close"}
