# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class FoodCaseLine(models.Model):
    """A product (and lot) an after-sales case is about."""

    _name = "food.case.line"
    _description = "After-sales Case Product"
    _order = "case_id, id"
    _check_company_auto = True

    case_id = fields.Many2one(
        "helpdesk.ticket", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    product_id = fields.Many2one("product.product", required=True, check_company=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
        help="The lot the customer reports (printed on the package).",
    )
    quantity = fields.Float(
        digits="Product Unit of Measure",
        help="Quantity concerned; 0 when the customer did not say.",
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")

    @api.constrains("product_id", "lot_id")
    def _check_lot_id(self):
        for line in self:
            if line.lot_id and line.lot_id.product_id != line.product_id:
                raise ValidationError(
                    self.env._(
                        "Lot %(lot)s is not a lot of %(product)s.",
                        lot=line.lot_id.name,
                        product=line.product_id.display_name,
                    )
                )

    @api.constrains("quantity")
    def _check_quantity(self):
        if any(line.quantity < 0 for line in self):
            raise ValidationError(
                self.env._("The quantity of a case product cannot be negative.")
            )
