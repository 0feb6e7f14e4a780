# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

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
    "fax_original": ("Fax scan missing or unreadable", False),
    "phone_readback": ("Not read back to the customer", False),
    "email_check": ("E-mail extraction not checked", False),
    "email_unknown_product": ("Unknown product in the e-mail", False),
}


class FoodOrderProblem(models.Model):
    """A problem found when verifying an order (R2, R6).

    The problem keeps its facts (``args``); its message is written in the
    language of whoever reads it: the receiver, the API caller, or the
    customer in the clarification e-mail."""

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
    args = fields.Json(string="Facts")
    name = fields.Char(string="Problem", compute="_compute_name")
    needs_customer = fields.Boolean(
        help="Only the customer can clear this problem: the order needs clarification."
    )
    line_id = fields.Many2one("sale.order.line", ondelete="cascade")

    @api.depends("problem_type", "args", "line_id")
    @api.depends_context("lang")
    def _compute_name(self):
        for problem in self:
            problem.name = problem._get_message()

    def _get_message(self):
        self.ensure_one()
        _ = self.env._
        args = self.args or {}
        line = self.line_id
        product = line.product_id.display_name or "-"
        if self.problem_type == "customer_name":
            return _("The customer's name is missing.")
        if self.problem_type == "contact":
            country = self.env["res.country"].browse(args.get("country_id")).exists()
            return _(
                "No valid phone number for %(country)s nor valid e-mail address.",
                country=country.name or "-",
            )
        if self.problem_type == "address":
            partner_fields = self.env["res.partner"]._fields
            return _(
                "The delivery address is incomplete: %(missing)s missing.",
                missing=", ".join(
                    partner_fields[name]._description_string(self.env)
                    for name in args.get("fields", [])
                    if name in partner_fields
                ),
            )
        if self.problem_type == "no_lines":
            return _("The order has no product.")
        if self.problem_type == "quantity":
            reason = args.get("reason")
            if reason == "uom":
                return _(
                    "%(product)s: %(uom)s is not a unit of this product.",
                    product=product,
                    uom=line.product_uom.name,
                )
            if reason == "fraction":
                return _(
                    "%(product)s: %(qty)s %(uom)s is not a whole number of units.",
                    product=product,
                    qty=line.product_uom_qty,
                    uom=line.product_uom.name,
                )
            return _(
                "%(product)s: the quantity must be greater than 0.", product=product
            )
        if self.problem_type == "price":
            currency = line.currency_id or self.order_id.currency_id
            return _(
                "%(product)s: unit price %(price)s differs from the price list "
                "(%(list_price)s) by more than %(tolerance)s%%.",
                product=product,
                price=currency.format(args.get("price", 0.0)),
                list_price=currency.format(args.get("list_price", 0.0)),
                tolerance=args.get("tolerance"),
            )
        if self.problem_type == "date_past":
            return _("The requested delivery date is in the past.")
        if self.problem_type == "duplicate":
            return _(
                "Possible duplicate of %(order)s (same customer and products).",
                order=args.get("order"),
            )
        if self.problem_type == "custom":
            return _("Custom order without custom requirements.")
        if self.problem_type == "fax_original":
            return _(
                "Attach the scan of the fax (an image or a PDF, not empty) as "
                "original document."
            )
        if self.problem_type == "email_check":
            return _(
                "Lines extracted from the e-mail: check them against the "
                "original e-mail, then click Extraction Checked."
            )
        if self.problem_type == "email_unknown_product":
            return _(
                "The e-mail names a product that matches none of ours: %(mention)s",
                mention=args.get("mention") or "-",
            )
        return _("Read the order back to the customer and record the confirmation.")
