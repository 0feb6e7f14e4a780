# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    food_price_tolerance = fields.Float(
        related="company_id.food_price_tolerance", readonly=False
    )
    food_duplicate_window_hours = fields.Integer(
        related="company_id.food_duplicate_window_hours", readonly=False
    )
    food_clarification_hours = fields.Integer(
        related="company_id.food_clarification_hours", readonly=False
    )
    food_urgent_notify_user_ids = fields.Many2many(
        related="company_id.food_urgent_notify_user_ids", readonly=False
    )
    food_custom_notify_user_ids = fields.Many2many(
        related="company_id.food_custom_notify_user_ids", readonly=False
    )
    food_order_alias_name = fields.Char(
        string="Order E-mail Alias",
        related="company_id.food_order_alias_id.alias_name",
        readonly=False,
    )
    food_order_alias_domain = fields.Char(
        related="company_id.food_order_alias_id.alias_domain", readonly=True
    )
    food_auto_assign = fields.Boolean(
        related="company_id.food_auto_assign", readonly=False
    )
    food_complex_line_count = fields.Integer(
        related="company_id.food_complex_line_count", readonly=False
    )
    food_complex_amount = fields.Monetary(
        related="company_id.food_complex_amount", readonly=False
    )
    food_complex_experience_level = fields.Selection(
        related="company_id.food_complex_experience_level", readonly=False
    )
    food_qualification_reminder_days = fields.Integer(
        related="company_id.food_qualification_reminder_days", readonly=False
    )
    food_substitute_price_tolerance = fields.Float(
        related="company_id.food_substitute_price_tolerance", readonly=False
    )
    food_carrier_silence_hours = fields.Integer(
        related="company_id.food_carrier_silence_hours", readonly=False
    )
    food_compensation_approval_amount = fields.Monetary(
        related="company_id.food_compensation_approval_amount", readonly=False
    )
    food_management_report_period = fields.Selection(
        related="company_id.food_management_report_period", readonly=False
    )
    food_management_report_user_ids = fields.Many2many(
        related="company_id.food_management_report_user_ids", readonly=False
    )
