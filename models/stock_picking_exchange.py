# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        self._food_update_replaced_returns()
        return res

    def _food_update_replaced_returns(self):
        """A return is replaced once every delivery of its replacement order
        is done (or cancelled)."""
        # channel and deliveries only: whoever ships may not read the order
        orders = (
            self.sudo()
            .filtered(
                lambda p: (
                    p.picking_type_code == "outgoing"
                    and p.sale_id.intake_channel == "exchange"
                )
            )
            .sale_id
        )
        delivered = orders.filtered(
            lambda o: all(
                p.state in ("done", "cancel")
                for p in o.picking_ids
                if p.picking_type_code == "outgoing"
            )
        )
        delivered.food_exchange_rma_ids._food_replacement_delivered()
