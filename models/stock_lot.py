# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import AccessError


class StockLot(models.Model):
    _inherit = "stock.lot"

    food_quality_hold = fields.Boolean(
        string="On Quality Hold",
        index=True,
        copy=False,
        tracking=True,
        help="A quality problem was found in this lot: it is neither counted "
        "as available nor reserved for any order until released.",
    )

    def write(self, vals):
        if (
            "food_quality_hold" in vals
            and not self.env.su
            and not self.env.user.has_group("food_order_center.group_inventory_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only inventory managers can put lots on quality hold "
                    "or release them."
                )
            )
        return super().write(vals)
