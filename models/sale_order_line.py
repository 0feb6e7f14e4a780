# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import float_compare, float_round


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._check_processor_owns_orders()
        lines._reverify_orders()
        return lines

    def write(self, vals):
        self.order_id._check_processor_owns_orders()
        res = super().write(vals)
        if {"product_id", "product_uom_qty", "product_uom", "price_unit"} & set(vals):
            self._reverify_orders()
        return res

    def unlink(self):
        orders = self.order_id
        orders._check_processor_owns_orders()
        res = super().unlink()
        if not self.env.context.get("food_skip_verification"):
            orders.exists()._run_verification()
        return res

    def _reverify_orders(self):
        # lines changed through their order are verified once, by the order
        if not self.env.context.get("food_skip_verification"):
            self.order_id._run_verification()

    def _get_quantity_problem(self):
        """Why the quantity of the line is wrong ("not_positive", "uom",
        "fraction"), or False."""
        self.ensure_one()
        product, uom, qty = self.product_id, self.product_uom, self.product_uom_qty
        if float_compare(qty, 0, precision_rounding=uom.rounding or 0.01) <= 0:
            return "not_positive"
        if uom and product.uom_id and uom.category_id != product.uom_id.category_id:
            return "uom"
        unit_category = self.env.ref(
            "uom.product_uom_categ_unit", raise_if_not_found=False
        )
        if uom.category_id == unit_category and float_compare(
            qty, float_round(qty, precision_digits=0), precision_digits=6
        ):
            return "fraction"
        return False

    def _get_order_center_list_price(self):
        """Unit price the price list gives the line (0 when not applicable)."""
        self.ensure_one()
        product = self.product_id
        if not product or self.display_type:
            return 0.0
        if self.order_id.pricelist_id:
            return self._get_pricelist_price()
        return product.uom_id._compute_price(product.lst_price, self.product_uom)
