# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .sale_order import URGENT_PRIORITY


class StockMove(models.Model):
    _inherit = "stock.move"

    def _get_new_picking_values(self):
        vals = super()._get_new_picking_values()
        if "urgent" in self.group_id.sale_id.mapped("urgency"):
            vals["priority"] = URGENT_PRIORITY
        return vals
