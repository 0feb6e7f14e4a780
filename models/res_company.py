# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    food_price_tolerance = fields.Float(
        string="Price Tolerance (%)",
        default=5.0,
        help="An order line whose unit price differs from the price list by "
        "more than this percentage needs clarification.",
    )
    food_duplicate_window_hours = fields.Integer(
        string="Duplicate Window (hours)",
        default=24,
        help="Orders of the same customer with the same products entered "
        "within this time are reported as possible duplicates (0: no check).",
    )
    food_clarification_hours = fields.Integer(
        string="Clarification Deadline (hours)",
        default=24,
        help="Time the receiver has to clarify an order with the customer.",
    )
    food_urgent_notify_user_ids = fields.Many2many(
        "res.users",
        "res_company_food_urgent_notify_rel",
        "company_id",
        "user_id",
        string="Notify of Urgent Orders",
        help="People (e.g. the warehouse) told of every urgent order on entry.",
    )
    food_custom_notify_user_ids = fields.Many2many(
        "res.users",
        "res_company_food_custom_notify_rel",
        "company_id",
        "user_id",
        string="Notify of Custom Orders",
        help="People (e.g. production) told of every custom order on entry.",
    )
    food_order_alias_id = fields.Many2one(
        "mail.alias",
        string="Order E-mail Alias",
        help="E-mails sent to this alias become draft e-mail orders.",
    )
