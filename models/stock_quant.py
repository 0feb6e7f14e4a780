# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.osv import expression


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def _get_removal_strategy(self, product_id, location_id):
        # perishable food leaves first-expiry-first-out, unless another
        # strategy than the default FIFO is configured (R10)
        strategy = super()._get_removal_strategy(product_id, location_id)
        if strategy == "fifo" and product_id.sudo().use_expiration_date:
            return "fefo"
        return strategy

    def _get_gather_domain(
        self,
        product_id,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
    ):
        domain = super()._get_gather_domain(
            product_id,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )
        if strict:
            # the quants of a held lot themselves (moves, unreservation)
            return domain
        # lots on quality hold are never reserved
        return expression.AND(
            [
                domain,
                self.env["stock.lot"]._food_not_held_domain(),
            ]
        )
