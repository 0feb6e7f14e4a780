# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

# code: (label, the customer must clarify it)
PROBLEM_TYPES = {
    "customer_name": ("Customer name missing", True),
    "contact": ("No reachable contact", True),
    "address": ("Incomplete delivery address", True),
    "no_lines": ("No product", False),
    "quantity": ("Wrong quantity", True),
    "price": ("Price differs from the price list", True),
    "date_past": ("Requested delivery date in the past", True),
    "duplicate": ("Possible duplicate order", True),
    "custom": ("Custom requirements missing", True),
    "fax_original": ("Fax scan missing", False),
    "phone_readback": ("Not read back to the customer", False),
}


class FoodOrderProblem(models.Model):
    """A problem found when verifying an order (R2, R6)."""

    _name = "food.order.problem"
    _description = "Order Verification Problem"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one(
        "sale.order", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    problem_type = fields.Selection(
        [(code, label) for code, (label, _customer) in PROBLEM_TYPES.items()],
        required=True,
    )
    name = fields.Char(string="Problem", required=True)
    needs_customer = fields.Boolean(
        help="Only the customer can clear this problem: the order needs clarification."
    )
    line_id = fields.Many2one("sale.order.line", ondelete="cascade")
