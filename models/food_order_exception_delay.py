# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Delays and failed deliveries (R13): the expected resolution date proposed
by the order center, confirmed or changed by the processor, and told to the
customer once per date."""

import datetime
import re
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

# the exceptions that make an order late
LATE_TYPES = ("delay", "delivery_failed")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
# a delay is told in days or weeks, not years
MAX_EXPECTED_DELAY = timedelta(days=365)

DELAY_CAUSES = [
    ("not_shipped", "Not Shipped in Time"),
    ("restock", "Restock After the Promised Date"),
    ("no_carrier_news", "No News from the Carrier"),
]

# days from the end of the cause (today, or the restock date) until the
# goods can reach the customer: the expected date the system proposes
PROPOSAL_DAYS = {
    "not_shipped": 1,
    "restock": 1,
    "no_carrier_news": 1,
    # a new attempt by the carrier, or shipping again after a return
    "delivery_failed": 2,
}


class FoodOrderException(models.Model):
    _inherit = "food.order.exception"

    delay_cause = fields.Selection(
        DELAY_CAUSES,
        readonly=True,
        index="btree_not_null",
        help="Why the order misses its promised date (delays only).",
    )
    date_confirmed_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        help="Processor or manager who confirmed or changed the expected date "
        "proposed by the order center.",
    )
    date_confirmed_on = fields.Datetime(readonly=True)
    customer_informed_date = fields.Datetime(
        string="Customer Told On",
        readonly=True,
        help="When the customer was last told of the delay and its expected date.",
    )
    informed_expected_date = fields.Date(
        string="Date Told to the Customer",
        readonly=True,
        help="The expected date the customer was told: the customer is told "
        "again only when it changes.",
    )
    food_can_confirm_date = fields.Boolean(
        compute="_compute_food_can_confirm_date",
        help="The current user may confirm or change the expected date "
        "(the order's processor, the order center manager).",
    )

    @api.depends_context("uid")
    @api.depends("state", "exception_type", "order_id.processor_id")
    def _compute_food_can_confirm_date(self):
        allowed = self.order_id._get_food_allowed("delay")
        for exception in self:
            exception.food_can_confirm_date = (
                exception.state == "open"
                and exception.exception_type in LATE_TYPES
                and exception.order_id in allowed
            )

    def action_confirm_expected_date(self, expected_date=None):
        """Processor (own orders) or order center manager: confirm the
        expected date the order center proposed for a delay or a failed
        delivery, or change it. The customer is told of a new date (once).
        Callable over RPC; the Change Date wizard uses it.

        :param expected_date: the new date (default: keep the proposal)
        """
        self.order_id._check_food_allowed("delay")
        not_late = self.filtered(
            lambda e: e.exception_type not in LATE_TYPES or e.state != "open"
        )
        if not_late or not self:
            raise UserError(
                self.env._(
                    "Only the expected date of open delays and failed deliveries "
                    "is confirmed: %(exceptions)s",
                    exceptions=", ".join(not_late.mapped("display_name")),
                )
            )
        vals = {
            "date_confirmed_by_id": self.env.user.id,
            "date_confirmed_on": fields.Datetime.now(),
        }
        if expected_date:
            new_date = None
            # a date as the API documents it: "YYYY-MM-DD", ASCII digits only
            if isinstance(expected_date, datetime.date) or (
                isinstance(expected_date, str) and DATE_PATTERN.match(expected_date)
            ):
                try:
                    new_date = fields.Date.to_date(expected_date)
                except (TypeError, ValueError):
                    new_date = None
            if not new_date:
                raise UserError(
                    self.env._("The expected date must be a date as 'YYYY-MM-DD'.")
                )
            today = fields.Date.context_today(self)
            if new_date < today:
                raise UserError(self.env._("The expected date cannot be in the past."))
            if new_date > today + MAX_EXPECTED_DELAY:
                raise UserError(
                    self.env._(
                        "The expected date is more than %(days)s days away: check it.",
                        days=MAX_EXPECTED_DELAY.days,
                    )
                )
            vals["expected_date"] = new_date
        elif any(not e.expected_date for e in self):
            raise UserError(self.env._("Give the expected date."))
        # the date is set by this action and the order center only (readonly)
        self.sudo().write(vals)
        for exception in self:
            exception.order_id.message_post(
                body=self.env._(
                    "%(user)s confirmed the expected date of %(exception)s: %(date)s",
                    user=self.env.user.name,
                    exception=exception.display_name,
                    date=exception.expected_date,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._food_inform_customer_of_date()
        self._food_close_late_notices(self.env._("Expected date confirmed."))
        return True

    def action_open_delay_date_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Expected Date"),
            "res_model": "food.delay.date.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_exception_id": self.id},
        }

    # ------------------------------------------------------------------
    # Reporting a late order: one code path for the delay job and the
    # carriers' failed deliveries
    # ------------------------------------------------------------------

    def _food_report_late(self):
        """New (or renewed) delays and failed deliveries: propose the
        expected date where there is none, tell the customer, and give the
        processor and the order center managers an activity."""
        if not self:
            return
        today = fields.Date.context_today(self)
        undated = defaultdict(lambda: self.browse())
        for exception in self.filtered(lambda e: not e.expected_date):
            cause = exception.delay_cause or exception.exception_type
            undated[today + timedelta(days=PROPOSAL_DAYS[cause])] |= exception
        for date, exceptions in undated.items():
            # proposed by the order center, confirmed by the processor later
            exceptions.sudo().write({"expected_date": date})
        self._food_inform_customer_of_date()
        self._food_notify_late_staff()

    def _food_inform_customer_of_date(self):
        """Tell the customer of the delay and its expected date, once per
        date: never twice the same."""
        to_inform = self.filtered(
            lambda e: (
                e.state == "open"
                and e.expected_date
                and e.informed_expected_date != e.expected_date
            )
        )
        if not to_inform:
            return
        to_inform._inform_customer()
        now = fields.Datetime.now()
        by_date = defaultdict(lambda: self.browse())
        for exception in to_inform:
            by_date[exception.expected_date] |= exception
        for date, exceptions in by_date.items():
            # a record of what the customer was told (readonly, set here only)
            exceptions.sudo().write(
                {"customer_informed_date": now, "informed_expected_date": date}
            )

    def _food_notify_late_staff(self):
        """An activity on the orders for their processor and the order
        center managers: confirm or change the proposed date."""
        orders = self.order_id
        managers = (
            self.env.ref("food_order_center.group_order_center_manager")
            .sudo()
            .users.filtered(lambda u: u.active and not u.share)
        )
        notes, users = {}, {}
        for order in orders:
            exceptions = self.filtered(lambda e, o=order: e.order_id == o)
            # the notes are read by the order center staff, in its language
            _ = self.with_context(lang=order.company_id.partner_id.lang).env._
            notes[order] = Markup("<ul>%s</ul>") % Markup().join(
                Markup("<li>%s</li>")
                % _(
                    "%(reason)s Proposed date: %(date)s. Confirm or change it "
                    "on the exception.",
                    reason=exception.reason or exception.display_name,
                    date=exception.expected_date,
                )
                for exception in exceptions
            )
            users[order] = order.processor_id | managers.filtered_domain(
                [("company_ids", "in", order.company_id.ids)]
            )
        # closed when the date is confirmed or the delay ends
        orders._create_notices(
            "food_order_center.mail_activity_type_delay",
            self.env._("Late order: confirm the expected date"),
            notes,
            users,
        )

    def _food_close_late_notices(self, feedback):
        """Close the late-order activities of the orders whose delays all
        have a confirmed date or are over."""
        orders = self.order_id
        pending = (
            self.sudo()
            .search(
                [
                    ("order_id", "in", orders.ids),
                    ("exception_type", "in", LATE_TYPES),
                    ("state", "=", "open"),
                    ("date_confirmed_by_id", "=", False),
                ]
            )
            .order_id
        )
        done = orders - pending
        if done:
            # automated notices, whoever closes them (see _create_notices)
            done.sudo().activity_feedback(
                ["food_order_center.mail_activity_type_delay"], feedback=feedback
            )
