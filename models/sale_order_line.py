# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._check_processor_owns_orders()
        return lines

    def write(self, vals):
        self.order_id._check_processor_owns_orders()
        return super().write(vals)

    def unlink(self):
        self.order_id._check_processor_owns_orders()
        return super().unlink()
