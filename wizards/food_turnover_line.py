# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class FoodTurnoverLine(models.TransientModel):
    """One group (product, category or warehouse) of an inventory turnover
    computed by ``food.turnover.wizard``; lives as long as its wizard."""

    _name = "food.turnover.line"
    _description = "Inventory Turnover Line"
    _order = "turnover desc, name, id"

    wizard_id = fields.Many2one(
        "food.turnover.wizard", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="wizard_id.company_id")
    currency_id = fields.Many2one(related="wizard_id.company_id.currency_id")
    name = fields.Char(string="Group", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    cogs = fields.Monetary(
        string="Cost of Goods Delivered",
        readonly=True,
        help="Stock value of the goods delivered to customers in the period, "
        "less that of the goods customers returned.",
    )
    opening_value = fields.Monetary(
        readonly=True, help="Stock value at the start of the first day."
    )
    closing_value = fields.Monetary(
        readonly=True, help="Stock value at the end of the last day."
    )
    average_value = fields.Monetary(
        string="Average Stock Value",
        readonly=True,
        help="(Opening value + closing value) / 2.",
    )
    turnover = fields.Float(
        digits=(16, 2),
        readonly=True,
        aggregator=None,
        help="Cost of goods delivered / average stock value (0 without "
        "average stock value).",
    )
    days_of_cover = fields.Float(
        digits=(16, 1),
        readonly=True,
        aggregator=None,
        help="Days the average stock lasts at the period's daily cost of "
        "goods delivered: average stock value / (cost of goods delivered / "
        "days of the period). Empty without deliveries.",
    )
    has_days_of_cover = fields.Boolean(readonly=True)
