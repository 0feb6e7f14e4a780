# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Delay and anomaly notices (R13): the delay job, the customer's notice
(once per date), the expected date confirmed or changed by the processor,
the Late badge and the Exception stage."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import OrderCenterCommon


def hours_ago(hours):
    return fields.Datetime.now() - timedelta(hours=hours)


@tagged("post_install", "-at_install")
class TestDelay(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # "today" is the acting user's: one time zone for every user of the
        # tests (the superuser's and the test users' differ), so that the
        # dates compared do not depend on the hour the tests run at
        cls.env = cls.env(context=dict(cls.env.context, tz="Asia/Shanghai"))
        # the test orders look alike: no duplicate warnings
        cls.env.company.food_duplicate_window_hours = 0
        cls.env.company.food_carrier_silence_hours = 48
        cls.logistics = cls.users["logistics"]
        product = cls.env["product.product"].create(
            {"name": "Test SF shipping", "type": "service"}
        )
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Test SF Express",
                "delivery_type": "fixed",
                "product_id": product.id,
                "tracking_url": "https://sf.example.com/track/<shipmenttrackingnumber>",
            }
        )
        cls.customer.email = "shanghai.restaurant@example.com"
        cls.rice = cls._create_stocked_product("Rice 5 kg", "FOC-T-DLY", 1000)
        cls.pork = cls.env["product.product"].create(
            {"name": "Pork buns", "is_storable": True, "list_price": 10.0}
        )
        cls.today = fields.Date.context_today(cls.env["sale.order"])
        cls.delay_activity = cls.env.ref("food_order_center.mail_activity_type_delay")

    # ---- helpers -------------------------------------------------------------

    def _confirmed(self, product=None, requested_in_days=None):
        order = self._create_order(
            lines=[(product or self.rice, 1)],
            intake_channel="other",
            processor_id=self.processor.id,
        )
        order.action_confirm()
        if requested_in_days is not None:
            order._write_food_trusted(
                {
                    "commitment_date": fields.Datetime.now()
                    + timedelta(days=requested_in_days)
                }
            )
        return order

    def _run(self):
        self.env["sale.order"]._cron_food_detect_delays()

    def _late(self, order):
        return order.food_exception_ids.filtered(
            lambda e: e.exception_type in ("delay", "delivery_failed")
        )

    def _notices(self, order):
        """The delay notices the customer got."""
        template = self.env.ref("food_order_center.mail_template_delay")
        # in the customer's language, as sent
        subject = template._render_field(
            "subject", self._late(order)[:1].ids, compute_lang=True
        )
        return order.message_ids.filtered(
            lambda m: (
                self.customer in m.partner_ids
                and m.message_type == "comment"
                and m.subject in subject.values()
            )
        )

    def _handover(self, order, ref):
        """Pick, pass the pre-shipment check and hand over to the carrier."""
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.with_user(self.processor).action_food_preship_check()
        self.assertEqual(
            picking.food_preship_state, "passed", picking.food_preship_result
        )
        picking.with_user(self.logistics).action_food_handover(
            carrier_id=self.carrier.id, tracking_refs=[ref]
        )
        return order.picking_ids

    def _events(self, events):
        return (
            self.env["stock.picking"]
            .with_user(self.logistics)
            .record_tracking_events(events)
        )

    # ---- detection rules -----------------------------------------------------

    def test_not_shipped_by_the_promised_date(self):
        late = self._confirmed(requested_in_days=-2)
        on_time = self._confirmed(requested_in_days=3)
        self._run()
        self.assertFalse(self._late(on_time))
        exception = self._late(late)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.exception_type, "delay")
        self.assertEqual(exception.delay_cause, "not_shipped")
        self.assertEqual(exception.state, "open")
        self.assertEqual(exception.expected_date, self.today + timedelta(days=1))
        self.assertEqual(exception.informed_expected_date, exception.expected_date)
        self.assertTrue(exception.reason)
        self.assertEqual(len(self._notices(late)), 1)
        self.assertIn(
            fields.Date.to_string(exception.expected_date).split("-")[0],
            self._notices(late).body,
        )
        # the processor and the managers get an activity
        activities = late.activity_ids.filtered(
            lambda a: a.activity_type_id == self.delay_activity
        )
        self.assertIn(self.processor, activities.user_id)
        self.assertIn(self.manager, activities.user_id)
        # shipped: the delay is over
        self._handover(late, "SF-DLY-1")
        self._run()
        self.assertEqual(exception.state, "resolved")
        self.assertFalse(late.food_is_late)

    def test_restock_after_the_promised_date(self):
        order = self._confirmed(product=self.pork, requested_in_days=2)
        self.assertIn(order.stock_status, ("partial", "shortage"))
        order._write_food_trusted(
            {"expected_restock_date": self.today + timedelta(days=5)}
        )
        in_time = self._confirmed(product=self.pork, requested_in_days=10)
        in_time._write_food_trusted(
            {"expected_restock_date": self.today + timedelta(days=5)}
        )
        self._run()
        self.assertFalse(self._late(in_time))
        exception = self._late(order)
        self.assertEqual(exception.delay_cause, "restock")
        # the restock date and a day to reach the customer
        self.assertEqual(exception.expected_date, self.today + timedelta(days=6))
        self.assertEqual(len(self._notices(order)), 1)
        # the goods arrive: the delay is over, and the date told holds
        order._write_food_trusted(
            {"stock_status": "available", "expected_restock_date": False}
        )
        self._run()
        self.assertEqual(exception.state, "resolved")
        self.assertFalse(self._late(order) - exception, "promised date not passed")

    def test_no_news_from_the_carrier(self):
        silent = self._confirmed()
        picking = self._handover(silent, "SF-DLY-2")
        picking._write_food_trusted({"food_handover_date": hours_ago(50)})
        recent = self._confirmed()
        self._handover(recent, "SF-DLY-3")
        # an event 50 hours ago counts as silence too
        old_event = self._confirmed()
        self._handover(old_event, "SF-DLY-4")
        self._events(
            [
                {
                    "tracking_ref": "SF-DLY-4",
                    "status": "in_transit",
                    "time": fields.Datetime.to_string(hours_ago(0.5)),
                }
            ]
        )
        old_event.picking_ids._write_food_trusted(
            {"food_transport_date": hours_ago(50)}
        )
        self._run()
        self.assertFalse(self._late(recent))
        for order in (silent, old_event):
            exception = self._late(order)
            self.assertEqual(exception.delay_cause, "no_carrier_news")
            self.assertIn("SF-DLY", exception.reason)
        # the setting: more hours allowed, no delay
        self.env.company.food_carrier_silence_hours = 72
        self._run()
        self.assertEqual(self._late(silent).state, "resolved")

    def test_no_carrier_news_check_can_be_turned_off(self):
        order = self._confirmed()
        self._handover(order, "SF-DLY-5")._write_food_trusted(
            {"food_handover_date": hours_ago(500)}
        )
        self.env.company.food_carrier_silence_hours = 0
        self._run()
        self.assertFalse(self._late(order))

    def test_failed_delivery_gets_a_date_a_notice_and_activities(self):
        order = self._confirmed()
        self._handover(order, "SF-DLY-6")
        self._events(
            [
                {
                    "tracking_ref": "SF-DLY-6",
                    "status": "failed",
                    "time": fields.Datetime.to_string(hours_ago(0.2)),
                    "note": "客户不在",
                }
            ]
        )
        exception = self._late(order)
        self.assertEqual(exception.exception_type, "delivery_failed")
        self.assertEqual(exception.expected_date, self.today + timedelta(days=2))
        self.assertEqual(len(self._notices(order)), 1)
        self.assertIn(
            self.processor,
            order.activity_ids.filtered(
                lambda a: a.activity_type_id == self.delay_activity
            ).user_id,
        )
        self.assertTrue(order.food_is_late)
        self.assertEqual(order.order_center_stage, "exception")
        # the job: the same failure, no second notice nor exception
        self._run()
        self.assertEqual(self._late(order), exception)
        self.assertEqual(len(self._notices(order)), 1)
        # delivered at the second attempt: over
        self._events(
            [
                {
                    "tracking_ref": "SF-DLY-6",
                    "status": "delivered",
                    "time": fields.Datetime.to_string(hours_ago(0.1)),
                }
            ]
        )
        self._run()
        self.assertEqual(exception.state, "resolved")
        self.assertFalse(order.food_is_late)
        self.assertEqual(order.order_center_stage, "delivered")

    # ---- notices -------------------------------------------------------------

    def test_customer_told_once_per_delay(self):
        order = self._confirmed(requested_in_days=-2)
        self._run()
        self._run()
        self.assertEqual(len(self._late(order)), 1)
        self.assertEqual(len(self._notices(order)), 1)
        activities = order.activity_ids.filtered(
            lambda a: a.activity_type_id == self.delay_activity
        )
        self._run()
        self.assertEqual(
            order.activity_ids.filtered(
                lambda a: a.activity_type_id == self.delay_activity
            ),
            activities,
        )

    def test_missed_expected_date_is_a_new_delay(self):
        order = self._confirmed(requested_in_days=-3)
        self._run()
        exception = self._late(order)
        exception.with_user(self.processor).action_confirm_expected_date()
        # the expected date passes, the order is still not shipped
        yesterday = self.today - timedelta(days=1)
        exception.sudo().write(
            {"expected_date": yesterday, "informed_expected_date": yesterday}
        )
        self._run()
        self.assertEqual(self._late(order), exception)
        self.assertEqual(exception.expected_date, self.today + timedelta(days=1))
        self.assertFalse(exception.date_confirmed_by_id, "to be confirmed again")
        self.assertEqual(len(self._notices(order)), 2)

    def test_new_delay_after_resolution_new_notice(self):
        order = self._confirmed()
        picking = self._handover(order, "SF-DLY-7")
        picking._write_food_trusted({"food_handover_date": hours_ago(50)})
        self._run()
        first = self._late(order)
        self.assertEqual(len(self._notices(order)), 1)
        # the carrier reports: over
        self._events(
            [
                {
                    "tracking_ref": "SF-DLY-7",
                    "status": "in_transit",
                    "time": fields.Datetime.to_string(hours_ago(0.5)),
                }
            ]
        )
        self._run()
        self.assertEqual(first.state, "resolved")
        self.assertTrue(first.resolution_note)
        self.assertFalse(order.food_is_late)
        # silent again: a new delay, a new notice
        picking._write_food_trusted({"food_transport_date": hours_ago(60)})
        self._run()
        second = self._late(order) - first
        self.assertEqual(len(second), 1)
        self.assertEqual(second.state, "open")
        self.assertEqual(len(self._notices(order)), 2)

    def test_notice_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.customer.lang = "zh_CN"
        template = self.env.ref("food_order_center.mail_template_delay")
        template.with_context(
            lang="zh_CN"
        ).subject = "您的订单 {{ object.order_id.name }} 延迟"
        order = self._confirmed(requested_in_days=-2)
        self._run()
        notice = order.message_ids.filtered(
            lambda m: self.customer in m.partner_ids and m.message_type == "comment"
        )
        self.assertEqual(notice.subject, f"您的订单 {order.name} 延迟")

    # ---- the expected date: confirmed or changed -----------------------------

    def test_processor_confirms_or_changes_the_date(self):
        order = self._confirmed(requested_in_days=-2)
        self._run()
        exception = self._late(order).with_user(self.processor)
        self.assertTrue(exception.food_can_confirm_date)
        exception.action_confirm_expected_date()
        self.assertEqual(exception.date_confirmed_by_id, self.processor)
        self.assertEqual(len(self._notices(order)), 1, "same date: not told again")
        self.assertFalse(
            order.activity_ids.filtered(
                lambda a: a.activity_type_id == self.delay_activity
            ),
            "the notices are done",
        )
        new_date = self.today + timedelta(days=4)
        exception.action_confirm_expected_date(fields.Date.to_string(new_date))
        self.assertEqual(exception.expected_date, new_date)
        self.assertEqual(exception.informed_expected_date, new_date)
        self.assertEqual(len(self._notices(order)), 2, "a new date is told")
        exception.action_confirm_expected_date(new_date)
        self.assertEqual(len(self._notices(order)), 2, "once")

    def test_change_date_wizard(self):
        order = self._confirmed(requested_in_days=-2)
        self._run()
        exception = self._late(order)
        action = exception.with_user(self.processor).action_open_delay_date_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.processor)
            .with_context(**action["context"])
        )
        self.assertEqual(wizard.expected_date, exception.expected_date)
        wizard.expected_date = self.today + timedelta(days=3)
        wizard.save().action_confirm()
        self.assertEqual(exception.expected_date, self.today + timedelta(days=3))
        self.assertEqual(exception.date_confirmed_by_id, self.processor)
        self.assertEqual(len(self._notices(order)), 2)

    def test_manager_confirms_any_order_others_refused(self):
        order = self._confirmed(requested_in_days=-2)
        self._run()
        exception = self._late(order)
        for user in (
            self.processor_2,
            self.users["receiver"],
            self.users["inventory"],
            self.users["logistics"],
            self.users["aftersales"],
        ):
            with self.subTest(user=user.login):
                self.assertFalse(exception.with_user(user).food_can_confirm_date)
                with self.assertRaises(AccessError):
                    exception.with_user(user).action_confirm_expected_date(
                        self.today + timedelta(days=9)
                    )
        self.assertEqual(exception.expected_date, self.today + timedelta(days=1))
        self.assertFalse(exception.date_confirmed_by_id)
        exception.with_user(self.manager).action_confirm_expected_date(
            self.today + timedelta(days=2)
        )
        self.assertEqual(exception.date_confirmed_by_id, self.manager)
        # the fields are not written directly
        with self.assertRaises(AccessError):
            exception.with_user(self.manager).write(
                {"expected_date": self.today + timedelta(days=8)}
            )

    def test_confirm_date_input_is_checked(self):
        order = self._confirmed(requested_in_days=-2)
        self._run()
        exception = self._late(order).with_user(self.processor)
        for bad in ("yesterday", self.today - timedelta(days=1), 42):
            with self.subTest(date=bad), self.assertRaises(UserError):
                exception.action_confirm_expected_date(bad)
        self.assertFalse(exception.date_confirmed_by_id)
        self.assertEqual(len(self._notices(order)), 1)
        # only delays and failed deliveries have a date to confirm
        exception.sudo().state = "resolved"
        with self.assertRaises(UserError):
            exception.action_confirm_expected_date()

    # ---- stage, badge, filters -----------------------------------------------

    def test_stage_badge_and_filter(self):
        order = self._confirmed(requested_in_days=-2)
        self.assertNotEqual(order.order_center_stage, "exception")
        self.assertFalse(order.food_is_late)
        self._run()
        self.assertTrue(order.food_is_late)
        self.assertEqual(order.order_center_stage, "exception")
        self.assertIn(
            order, self.env["sale.order"].search([("food_is_late", "=", True)])
        )
        late_exceptions = self.env["food.order.exception"].search(
            [("exception_type", "in", ("delay", "delivery_failed"))]
        )
        self.assertIn(order, late_exceptions.order_id)
        with self.assertRaises(AccessError):
            order.with_user(self.manager).write({"food_is_late": False})
        self._handover(order, "SF-DLY-8")
        self._run()
        self.assertFalse(order.food_is_late)
        self.assertEqual(order.order_center_stage, "shipped")

    # ---- performance ---------------------------------------------------------

    def test_constant_queries_whatever_the_number_of_orders(self):
        def late_orders(count):
            orders = self.env["sale.order"]
            for _i in range(count):
                orders |= self._create_order(
                    lines=[(self.rice, 1)],
                    intake_channel="other",
                    processor_id=self.processor.id,
                )
            orders.action_confirm()
            orders._write_food_trusted(
                {"commitment_date": fields.Datetime.now() - timedelta(days=2)}
            )
            return orders

        def queries():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._run()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        small_batch = late_orders(10)
        self._run()
        self.assertTrue(all(small_batch.mapped("food_is_late")))
        small = queries()
        large_batch = late_orders(90)
        self._run()
        self.assertTrue(all(large_batch.mapped("food_is_late")))
        large = queries()
        self.assertEqual(large, small)
