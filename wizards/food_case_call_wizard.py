# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.helpdesk_ticket import CASE_TYPES


class FoodCaseCallWizard(models.TransientModel):
    """A call to the after-sales hotline recorded as a case (R17)."""

    _name = "food.case.call.wizard"
    _description = "After-sales Call"

    phone = fields.Char(help="Type the caller's number to find the customer.")
    order_ref = fields.Char(
        string="Order Reference",
        help="The order number, or the sales platform's order reference, the "
        "customer gives.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
    )
    order_id = fields.Many2one(
        "sale.order",
        compute="_compute_order_id",
        store=True,
        readonly=False,
        domain="partner_id and [('partner_id', 'child_of', partner_id)] or []",
    )
    case_type = fields.Selection(CASE_TYPES, required=True, default="feedback")
    description = fields.Text(required=True, help="What the customer says.")
    line_ids = fields.One2many(
        "food.case.call.wizard.line", "wizard_id", string="Products Concerned"
    )

    @api.depends("phone", "order_id")
    def _compute_partner_id(self):
        partners = self.env["res.partner"]
        for wizard in self:
            if wizard.partner_id:
                continue
            if wizard.order_id:
                wizard.partner_id = wizard.order_id.partner_id
            elif wizard.phone:
                wizard.partner_id = partners._find_by_phone(
                    wizard.phone, self.env.company.country_id
                )

    @api.depends("order_ref")
    def _compute_order_id(self):
        tickets = self.env["helpdesk.ticket"]
        for wizard in self:
            ref = (wizard.order_ref or "").strip()
            if not ref:
                continue
            orders = tickets._food_find_orders([ref]).get(ref, self.env["sale.order"])
            if wizard.partner_id and len(orders) > 1:
                orders = orders.filtered(
                    lambda order, wizard=wizard: (
                        order.partner_id.commercial_partner_id
                        == wizard.partner_id.commercial_partner_id
                    )
                )
            if len(orders) == 1:
                wizard.order_id = orders

    def _prepare_case_data(self):
        """The case as the intake API parses it, for the shared builder
        (``helpdesk.ticket._prepare_food_case_vals``)."""
        self.ensure_one()
        return {
            "channel": "hotline",
            "platform": self.env["food.sales.platform"],
            "external_ref": False,
            "order": self.order_id,
            "partner": self.partner_id,
            "customer": {"phone": self.phone.strip()} if self.phone else {},
            "case_type": self.case_type,
            "description": self.description or "",
            "user_id": self.env.user.id,
            "lines": [
                {"product": line.product_id, "lot": line.lot_id, "qty": line.quantity}
                for line in self.line_ids
            ],
        }

    def action_create_case(self):
        """Record the call as a case and open it."""
        self.ensure_one()
        if not (self.partner_id or self.order_id):
            raise UserError(
                self.env._("Find the customer (by phone) or the order of the call.")
            )
        case = self.env["helpdesk.ticket"]._food_case_create(self._prepare_case_data())
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": case.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }


class FoodCaseCallWizardLine(models.TransientModel):
    _name = "food.case.call.wizard.line"
    _description = "After-sales Call Product"

    wizard_id = fields.Many2one(
        "food.case.call.wizard", required=True, ondelete="cascade"
    )
    product_id = fields.Many2one("product.product", required=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        domain="[('product_id', '=', product_id)]",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
