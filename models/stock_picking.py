# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def button_validate(self):
        self._check_can_ship()
        self._check_quality_hold()
        return super().button_validate()

    def _check_can_ship(self):
        """Processors validate the deliveries of their own orders; logistics
        coordinators and inventory managers those of every order (R22)."""
        # the orders' processors, whoever may read the orders
        orders = self.sudo().sale_id.with_env(self.env)
        orders._check_food_allowed("ship")

    def _action_done(self):
        self._check_quality_hold()
        return super()._action_done()

    def _check_quality_hold(self):
        """A delivery of an order on quality hold, or with goods of a lot on
        quality hold, cannot leave (R11)."""
        # hold flags only: whoever validates may not read the sale order
        held = self.sudo().filtered(
            lambda p: (
                p.picking_type_code == "outgoing"
                and (
                    p.sale_id.quality_hold
                    or any(p.move_line_ids.lot_id.mapped("food_quality_hold"))
                )
            )
        )
        if held:
            raise UserError(
                self.env._(
                    "These deliveries hold goods on quality hold and cannot be "
                    "shipped until an inventory manager releases the hold: "
                    "%(pickings)s",
                    pickings=", ".join(held.mapped("name")),
                )
            )
