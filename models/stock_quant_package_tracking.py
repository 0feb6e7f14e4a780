# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class StockQuantPackage(models.Model):
    _inherit = "stock.quant.package"

    # set by the hand-over when the carrier gives one tracking number per
    # package (stock.picking.action_food_handover)
    food_tracking_ref = fields.Char(
        string="Carrier Tracking Number",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="Tracking number the carrier gave this package at hand-over.",
    )

    @api.model
    def _get_food_protected_fields(self):
        # the carriers' events find the delivery by it: the hand-over only
        return super()._get_food_protected_fields() | {"food_tracking_ref"}
