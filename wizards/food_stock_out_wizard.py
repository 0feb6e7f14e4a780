# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..models.food_order_exception import CUSTOMER_OPTIONS


class FoodStockOutWizard(models.TransientModel):
    """The processor records which option the customer chose for a line
    short of stock: wait for the goods, split the delivery, or a substitute."""

    _name = "food.stock.out.wizard"
    _description = "Handle Stock-out"

    line_id = fields.Many2one("sale.order.line", string="Order Line", required=True)
    order_id = fields.Many2one(related="line_id.order_id")
    product_id = fields.Many2one(related="line_id.product_id")
    product_uom_qty = fields.Float(related="line_id.product_uom_qty")
    stock_available_qty = fields.Float(related="line_id.stock_available_qty")
    option = fields.Selection(
        CUSTOMER_OPTIONS,
        string="Customer's Choice",
        required=True,
        default="deliver_later",
    )
    expected_date = fields.Date(
        string="Expected Arrival",
        compute="_compute_expected_date",
        store=True,
        readonly=False,
    )
    proposal_ids = fields.One2many(
        "food.stock.out.wizard.line", "wizard_id", string="Proposed Substitutes"
    )
    substitute_id = fields.Many2one(
        "product.product",
        domain="[('id', 'in', proposal_product_ids)]",
    )
    proposal_product_ids = fields.Many2many(
        "product.product", compute="_compute_proposal_product_ids"
    )
    note = fields.Text(help="What the customer said.")

    @api.depends("line_id")
    def _compute_expected_date(self):
        for wizard in self:
            wizard.expected_date = (
                wizard.line_id.stock_restock_date
                or wizard.line_id.order_id.expected_restock_date
            )

    @api.depends("proposal_ids.product_id")
    def _compute_proposal_product_ids(self):
        for wizard in self:
            wizard.proposal_product_ids = wizard.proposal_ids.product_id

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        line = self.env["sale.order.line"].browse(values.get("line_id"))
        if line and "proposal_ids" in fields_list:
            proposals = line._get_substitute_products()
            values["proposal_ids"] = [
                fields.Command.create(
                    {
                        "product_id": proposal["product"].id,
                        "free_qty": proposal["free_qty"],
                        "price": proposal["price"],
                    }
                )
                for proposal in proposals
            ]
            if proposals and "substitute_id" in fields_list:
                values["substitute_id"] = proposals[0]["product"].id
        return values

    def action_apply(self):
        self.ensure_one()
        self.line_id.action_resolve_stock_out(
            self.option,
            expected_date=self.expected_date,
            substitute=self.substitute_id,
            note=self.note,
        )
        return {"type": "ir.actions.act_window_close"}


class FoodStockOutWizardLine(models.TransientModel):
    _name = "food.stock.out.wizard.line"
    _description = "Proposed Substitute"
    _order = "id"

    wizard_id = fields.Many2one(
        "food.stock.out.wizard", required=True, ondelete="cascade"
    )
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    free_qty = fields.Float(
        string="Free Stock", digits="Product Unit of Measure", readonly=True
    )
    price = fields.Float(string="Sales Price", digits="Product Price", readonly=True)
