# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Delay and anomaly notices (R13): the scheduled job that finds the
order-center orders that missed or will miss their promised date, and the
Late flag it leaves on them."""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from .food_order_exception_delay import LATE_TYPES, PROPOSAL_DAYS

# transfers that have not left the warehouse
NOT_SHIPPED_DOMAIN = [
    ("picking_type_code", "=", "outgoing"),
    ("state", "not in", ("done", "cancel")),
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    food_is_late = fields.Boolean(
        string="Late",
        compute="_compute_food_is_late",
        store=True,
        index=True,
        help="An open delay or failed delivery: the order misses the date "
        "promised to the customer.",
    )

    @api.depends("food_exception_ids.state", "food_exception_ids.exception_type")
    def _compute_food_is_late(self):
        for order in self:
            order.food_is_late = any(
                exception.state == "open" and exception.exception_type in LATE_TYPES
                for exception in order.food_exception_ids
            )

    # a late order is an exception until it reaches the customer
    # (dependencies of an overridden compute are merged with the original's)
    @api.depends("food_is_late")
    def _compute_order_center_stage(self):
        return super()._compute_order_center_stage()

    def _get_order_center_stage(self):
        stage = super()._get_order_center_stage()
        if self.food_is_late and stage not in ("delivered", "closed", "cancelled"):
            return "exception"
        return stage

    @api.model
    def _get_food_protected_fields(self):
        # follows the delays, never set by hand
        return super()._get_food_protected_fields() | {"food_is_late"}

    # ------------------------------------------------------------------
    # The delay job
    # ------------------------------------------------------------------

    @api.model
    def _cron_food_detect_delays(self):
        """Scheduled job: open a delay for each order that newly misses (or
        will miss) its promised date, tell the customer and the staff;
        renew the delays whose expected date passed; end the delays whose
        cause is gone. A constant number of queries for the detection,
        whatever the number of orders."""
        # the job looks at the orders of every company, whoever runs it
        orders = self.sudo()
        orders._food_report_delays(orders._food_find_delays())
        return True

    @api.model
    def _food_find_delays(self):
        """{(order, cause): reason} of the orders late today, cause being a
        delay cause or "delivery_failed"."""
        today = fields.Date.context_today(self)
        found = {}
        found.update(self._food_find_late_restocks())
        for (order, _cause), reason in self._food_find_late_shipments(today).items():
            # the missing goods explain the delay better
            if (order, "restock") not in found:
                found[order, "not_shipped"] = reason
        found.update(self._food_find_silent_carriers())
        found.update(self._food_find_failed_deliveries())
        return found

    def _food_get_promised_dates(self):
        """{order: the last delivery date promised to the customer}: the
        requested date (else the expected date), or a later date agreed for
        a stock-out or told for a delay that is over."""
        promised = {}
        for order in self:
            moment = order.commitment_date or order.expected_date
            dates = [fields.Date.context_today(order, moment)] if moment else []
            for exception in order.food_exception_ids:
                if exception.exception_type == "stock_out" and exception.expected_date:
                    dates.append(exception.expected_date)
                elif (
                    exception.exception_type in LATE_TYPES
                    and exception.state == "resolved"
                    and exception.informed_expected_date
                ):
                    dates.append(exception.informed_expected_date)
            promised[order] = max(dates, default=False)
        return promised

    @api.model
    def _food_find_late_shipments(self, today):
        """Confirmed orders not shipped by the date promised."""
        orders = self.search(
            [
                ("intake_channel", "!=", False),
                ("state", "=", "sale"),
                ("picking_ids", "any", NOT_SHIPPED_DOMAIN),
                "|",
                ("commitment_date", "=", False),
                ("commitment_date", "<", fields.Datetime.now()),
            ]
        )
        result = {}
        for order, promised in orders._food_get_promised_dates().items():
            if promised and promised < today:
                _ = order._food_staff_gettext()
                result[order, "not_shipped"] = _(
                    "Not shipped by the promised date %(date)s.", date=promised
                )
        return result

    @api.model
    def _food_find_late_restocks(self):
        """Confirmed orders short of goods expected after the promised date."""
        orders = self.search(
            [
                ("intake_channel", "!=", False),
                ("state", "=", "sale"),
                ("stock_status", "in", ("partial", "shortage")),
                ("expected_restock_date", "!=", False),
                ("picking_ids", "any", NOT_SHIPPED_DOMAIN),
            ]
        )
        result = {}
        for order, promised in orders._food_get_promised_dates().items():
            if promised and order.expected_restock_date > promised:
                _ = order._food_staff_gettext()
                result[order, "restock"] = _(
                    "The missing goods are expected on %(restock)s, after the "
                    "promised date %(date)s.",
                    restock=order.expected_restock_date,
                    date=promised,
                )
        return result

    @api.model
    def _food_find_silent_carriers(self):
        """Orders handed over to a carrier that has not reported for longer
        than the company allows (not delivered, failed nor returned)."""
        hours = {
            company: company.food_carrier_silence_hours
            for company in self.env["res.company"].search([])
            if company.food_carrier_silence_hours > 0
        }
        if not hours:
            return {}
        now = fields.Datetime.now()
        limit = now - timedelta(hours=min(hours.values()))
        pickings = self.env["stock.picking"].search(
            [
                ("picking_type_code", "=", "outgoing"),
                ("state", "=", "done"),
                ("company_id", "in", [company.id for company in hours]),
                ("sale_id.intake_channel", "!=", False),
                ("food_handover_date", "!=", False),
                ("carrier_tracking_ref", "!=", False),
                (
                    "food_transport_status",
                    "in",
                    (False, "in_transit", "out_for_delivery"),
                ),
                "|",
                ("food_transport_date", "<", limit),
                "&",
                ("food_transport_date", "=", False),
                ("food_handover_date", "<", limit),
            ]
        )
        result = {}
        for picking in pickings:
            last_news = picking.food_transport_date or picking.food_handover_date
            allowed = hours[picking.company_id]
            if last_news >= now - timedelta(hours=allowed):
                continue
            order = picking.sale_id
            _ = order._food_staff_gettext()
            result[order, "no_carrier_news"] = _(
                "No news from the carrier for %(ref)s since %(time)s UTC (more "
                "than %(hours)s hours).",
                ref=picking.carrier_tracking_ref,
                time=fields.Datetime.to_string(last_news),
                hours=allowed,
            )
        return result

    @api.model
    def _food_find_failed_deliveries(self):
        """Orders whose delivery failed or came back (reported by the
        carrier): their exception is opened with the event; the job renews
        its expected date and ends it once the carrier delivers."""
        pickings = self.env["stock.picking"].search(
            [
                ("picking_type_code", "=", "outgoing"),
                ("state", "=", "done"),
                ("sale_id.intake_channel", "!=", False),
                ("food_transport_status", "in", ("failed", "returned")),
            ]
        )
        result = {}
        for picking in pickings:
            order = picking.sale_id
            _ = order._food_staff_gettext()
            result[order, "delivery_failed"] = _(
                "The carrier could not deliver %(ref)s.",
                ref=picking.carrier_tracking_ref or picking.name,
            )
        return result

    @api.model
    def _food_report_delays(self, found):
        """Open, renew and end the delays after ``found`` (see
        _food_find_delays)."""
        exceptions = self.env["food.order.exception"].sudo()
        today = fields.Date.context_today(self)
        open_late = exceptions.search(
            [
                ("exception_type", "in", LATE_TYPES),
                ("state", "=", "open"),
                ("order_id.intake_channel", "!=", False),
            ]
        )
        covered = {
            (exception.order_id, exception.delay_cause or exception.exception_type): (
                exception
            )
            for exception in open_late
        }
        ended = open_late.filtered(
            lambda e: (e.order_id, e.delay_cause or e.exception_type) not in found
        )
        if ended:
            # the job ends the delays it follows (fields readonly)
            ended.write(
                {
                    "state": "resolved",
                    "resolved_date": fields.Datetime.now(),
                    "resolution_note": self.env._("The cause of the delay is gone."),
                }
            )
            ended._food_close_late_notices(self.env._("The delay is over."))
        # a delay whose expected date passed is a new delay; a failed
        # delivery opened without a notice gets one
        renewed_by_date = defaultdict(lambda: exceptions.browse())
        uninformed = exceptions.browse()
        for (order, cause), exception in covered.items():
            if exception in ended:
                continue
            if exception.expected_date and exception.expected_date < today:
                new_date = order._food_propose_delay_date(cause, today)
                renewed_by_date[new_date] |= exception
            elif not exception.informed_expected_date:
                uninformed |= exception
        for new_date, late in renewed_by_date.items():
            # proposed again by the order center, to be confirmed again
            late.write(
                {
                    "expected_date": new_date,
                    "date_confirmed_by_id": False,
                    "date_confirmed_on": False,
                }
            )
        vals_list = [
            {
                "order_id": order.id,
                "exception_type": "delivery_failed"
                if cause == "delivery_failed"
                else "delay",
                "delay_cause": cause if cause != "delivery_failed" else False,
                "reason": reason,
                "expected_date": order._food_propose_delay_date(cause, today),
            }
            for (order, cause), reason in found.items()
            if (order, cause) not in covered
        ]
        # the order center's own job opens them (create is closed)
        new = exceptions.create(vals_list)
        renewed = exceptions.union(*renewed_by_date.values())
        (new | renewed | uninformed)._food_report_late()

    def _food_propose_delay_date(self, cause, today):
        """The expected date the order center proposes: the day the cause
        ends (today, or the restock date) plus the days to the customer."""
        self.ensure_one()
        start = today
        if cause == "restock" and self.expected_restock_date:
            start = max(today, self.expected_restock_date)
        return start + timedelta(days=PROPOSAL_DAYS[cause])

    def _food_staff_env(self):
        """The environment in the language of the order center's staff (the
        company's): reasons and notes are read by them, whoever runs the job
        or calls the API."""
        self.ensure_one()
        return self.with_context(lang=self.company_id.partner_id.lang).env

    def _food_staff_gettext(self):
        """env._ in the staff's language (see _food_staff_env)."""
        return self._food_staff_env()._
