# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SaleOrder(models.Model):
    """Replacement orders of returns (R18): exchanges ship through the
    order center like any order."""

    _inherit = "sale.order"

    food_exchange_rma_ids = fields.One2many(
        "rma",
        "food_replacement_order_id",
        string="Replaces Returns",
        readonly=True,
        help="The returns whose goods this order replaces.",
    )
