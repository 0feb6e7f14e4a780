# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .food_processor import EXPERIENCE_LEVELS


def utc_day_bounds(tz_name, date_from, date_to):
    """The UTC datetimes (naive, as stored) of the first moment of
    ``date_from`` and of the day after ``date_to``, days counted in the time
    zone ``tz_name`` (UTC when it is not one)."""
    tz = pytz.timezone(tz_name if tz_name in pytz.all_timezones_set else "UTC")
    return tuple(
        tz.localize(datetime.combine(day, time.min))
        .astimezone(pytz.utc)
        .replace(tzinfo=None)
        for day in (date_from, date_to + timedelta(days=1))
    )


# how often the management report (R14) is sent to the managers
MANAGEMENT_REPORT_PERIODS = [
    ("none", "Never"),
    ("weekly", "Weekly"),
    ("monthly", "Monthly"),
]


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
    food_intake_queue_size = fields.Integer(
        string="Queue Intake Batches Above",
        default=0,
        help="Intake calls with more orders than this are queued (OCA "
        "queue_job) and processed by any server; the caller polls their "
        "results with intake_status (0: every batch is processed in the call).",
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
    food_auto_assign = fields.Boolean(
        string="Assign Orders Automatically",
        default=True,
        help="Verified orders go to a processor by the assignment rules.",
    )
    food_complex_line_count = fields.Integer(
        string="Complex Order Lines",
        default=10,
        help="Orders with more lines than this are complex (0: no limit).",
    )
    food_complex_amount = fields.Monetary(
        string="Complex Order Amount",
        currency_field="currency_id",
        default=5000.0,
        help="Orders above this total are complex (0: no limit).",
    )
    food_complex_experience_level = fields.Selection(
        EXPERIENCE_LEVELS,
        string="Experience for Complex Orders",
        default="experienced",
        help="Complex, custom and urgent orders go only to processors of this "
        "level or above.",
    )
    food_qualification_reminder_days = fields.Integer(
        string="Training Reminder (days)",
        default=30,
        help="Staff are reminded this many days before a training record expires.",
    )
    food_substitute_price_tolerance = fields.Float(
        string="Substitute Price Tolerance (%)",
        default=20.0,
        help="Substitutes proposed for a product out of stock cost at most "
        "this percentage more or less.",
    )
    food_carrier_silence_hours = fields.Integer(
        string="Hours Without Carrier News",
        default=48,
        help="A delivery handed over to a carrier that reports no event for "
        "longer than this makes the order late (0: no check).",
    )
    food_compensation_approval_amount = fields.Monetary(
        string="Compensation Approval Above",
        currency_field="currency_id",
        default=500.0,
        help="Compensations above this amount are approved by an order center "
        "manager; up to it the after-sales staff approve them.",
    )
    food_management_report_period = fields.Selection(
        MANAGEMENT_REPORT_PERIODS,
        string="Send the Management Report",
        default="none",
        required=True,
        help="Weekly: every Monday for the previous week (Monday to Sunday); "
        "monthly: on the 1st for the previous month.",
    )
    food_management_report_user_ids = fields.Many2many(
        "res.users",
        "res_company_food_management_report_user_rel",
        "company_id",
        "user_id",
        string="Management Report Recipients",
        domain=lambda self: [
            (
                "groups_id",
                "in",
                self.env.ref("food_order_center.group_order_center_manager").ids,
            )
        ],
        help="Order center managers who receive the periodic management "
        "report, each in their own language.",
    )
    food_management_report_sent_until = fields.Date(
        string="Management Report Sent Up To",
        readonly=True,
        copy=False,
        help="Last day of the last period whose management report was sent: "
        "a period is never sent twice.",
    )

    @api.constrains("food_management_report_user_ids")
    def _check_food_management_report_user_ids(self):
        manager_group = self.env.ref("food_order_center.group_order_center_manager")
        for company in self:
            others = company.food_management_report_user_ids.filtered(
                lambda user: manager_group not in user.groups_id
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "Only order center managers receive the management "
                        "report: %(users)s.",
                        users=", ".join(others.mapped("name")),
                    )
                )

    def _food_report_tz(self):
        """The time zone the days of the company's reports (management
        report, inventory turnover) are counted in: its working hours',
        else UTC."""
        self.ensure_one()
        return self.resource_calendar_id.tz or "UTC"

    def _food_day_bounds(self, date_from, date_to):
        """``utc_day_bounds`` of the period in the company's time zone."""
        return utc_day_bounds(self._food_report_tz(), date_from, date_to)
