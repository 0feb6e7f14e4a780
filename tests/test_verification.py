# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import OrderCenterCommon


@tagged("post_install", "-at_install")
class TestVerification(OrderCenterCommon):
    def _problems(self, order):
        return set(order.verification_problem_ids.mapped("problem_type"))

    def test_complete_order_is_verified_on_entry(self):
        order = self._create_order(intake_channel="other")
        self.assertEqual(order.verification_state, "verified")
        self.assertFalse(order.verification_problem_ids)
        self.assertEqual(order.order_center_stage, "verified")

    def test_orders_without_channel_are_not_order_center_orders(self):
        order = self._create_order()
        self.assertFalse(order.verification_state)
        order.action_confirm()  # not gated
        self.assertEqual(order.state, "sale")

    def test_each_problem_type(self):
        # named after its (invalid) e-mail: no name, no reachable contact
        partner = self.env["res.partner"].create(
            {"name": "chef-at-example", "email": "chef-at-example"}
        )
        order = self._create_order(
            intake_channel="fax",
            partner_id=partner.id,
            is_custom_order=True,
            commitment_date=fields.Datetime.now() - timedelta(days=1),
        )
        order.order_line[0].product_uom_qty = 1.5
        order.order_line[1].price_unit = 100.0
        problems = self._problems(order)
        self.assertEqual(
            problems,
            {
                "customer_name",
                "contact",
                "address",
                "quantity",
                "price",
                "date_past",
                "custom",
                "fax_original",
            },
        )
        self.assertEqual(order.verification_state, "needs_clarification")
        self.assertEqual(order.order_center_stage, "needs_clarification")

    def test_valid_phone_for_country_or_email(self):
        partner = self.customer.copy({"phone": "12345"})
        order = self._create_order(intake_channel="other", partner_id=partner.id)
        self.assertIn("contact", self._problems(order))
        partner.phone = "+86 139 1234 5678"
        self.assertEqual(order.verification_state, "verified")
        partner.write({"phone": False, "email": "chef@example.com"})
        self.assertEqual(order.verification_state, "verified")

    def test_price_tolerance_is_configurable(self):
        order = self._create_order(intake_channel="other", lines=[(self.dumplings, 1)])
        order.order_line.price_unit = 10.4  # list price 10, default tolerance 5%
        self.assertEqual(order.verification_state, "verified")
        order.order_line.price_unit = 10.6
        self.assertIn("price", self._problems(order))
        self.env.company.food_price_tolerance = 10
        order.action_verify()
        self.assertEqual(order.verification_state, "verified")

    def test_possible_duplicate(self):
        first = self._create_order(intake_channel="phone")
        second = self._create_order(intake_channel="email")
        self.assertNotIn("duplicate", self._problems(first))
        self.assertIn("duplicate", self._problems(second))
        self.assertIn(
            first.name, " ".join(second.verification_problem_ids.mapped("name"))
        )
        self.env.company.food_duplicate_window_hours = 0
        second.action_verify()
        self.assertNotIn("duplicate", self._problems(second))

    def test_phone_order_stays_to_verify_until_read_back(self):
        order = self._create_order(intake_channel="phone")
        self.assertEqual(order.verification_state, "to_verify")
        self.assertEqual(self._problems(order), {"phone_readback"})
        with self.assertRaises(AccessError):
            order.with_user(self.users["logistics"]).action_record_phone_confirmation()
        order.with_user(self.users["receiver"]).action_record_phone_confirmation()
        self.assertEqual(order.verification_state, "verified")
        self.assertEqual(order.phone_confirmed_by_id, self.users["receiver"])

    def test_fax_needs_its_scan(self):
        order = self._create_order(intake_channel="fax")
        self.assertEqual(order.verification_state, "to_verify")
        scan = self.env["ir.attachment"].create(
            {"name": "fax.pdf", "raw": b"%PDF-1.4 fax"}
        )
        order.original_document_ids = [(4, scan.id)]
        self.assertEqual(order.verification_state, "verified")
        self.assertEqual(order.original_document_count, 1)

    def test_correction_reverifies_and_records_clarification_time(self):
        order = self._create_order(intake_channel="other")
        order.order_line[0].product_uom_qty = 0
        self.assertEqual(order.verification_state, "needs_clarification")
        self.assertTrue(order.clarification_start)
        activity = order.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("food_order_center.mail_activity_type_clarification")
            )
        )
        self.assertTrue(activity)
        order._write_food_trusted(
            {"clarification_start": order.clarification_start - timedelta(hours=3)}
        )
        order.order_line[0].product_uom_qty = 2
        self.assertEqual(order.verification_state, "verified")
        self.assertAlmostEqual(order.clarification_hours, 3, delta=0.05)
        self.assertFalse(order.clarification_start)
        self.assertFalse(activity.exists())

    def test_clarification_request_mail(self):
        partner = self.customer.copy(
            {"street": False, "email": "chef@example.com", "lang": "zh_CN"}
        )
        order = self._create_order(intake_channel="email", partner_id=partner.id)
        action = order.action_send_clarification_request()
        composer = Form(
            self.env[action["res_model"]].with_context(**action["context"])
        ).save()
        composer.action_send_mail()
        message = order.message_ids[0]
        self.assertIn(partner, message.partner_ids)
        # the problems are listed in the customer's language
        problem = order.verification_problem_ids[0].with_context(lang=partner.lang)
        self.assertIn(problem.name, message.body)

    def test_problem_messages_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["food_order_center"], ["zh_CN"]
        )
        partner = self.customer.copy({"street": False})
        order = self._create_order(intake_channel="email", partner_id=partner.id)
        problem = order.verification_problem_ids.filtered(
            lambda p: p.problem_type == "address"
        )
        self.assertIn("incomplete", problem.name)
        self.assertIn("收货地址不完整", problem.with_context(lang="zh_CN").name)

    def test_clarification_request_only_when_needed(self):
        order = self._create_order(intake_channel="other")
        with self.assertRaises(UserError):
            order.action_send_clarification_request()

    def test_unverified_order_cannot_be_confirmed(self):
        order = self._create_order(intake_channel="phone")
        with self.assertRaisesRegex(UserError, "not verified"):
            order.with_user(self.users["receiver"]).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_manager_confirms_unverified_with_reason(self):
        order = self._create_order(intake_channel="phone")
        with self.assertRaises(AccessError):
            order.with_user(self.users["receiver"]).action_confirm_unverified("because")
        wizard = Form(
            self.env["food.order.confirm.wizard"]
            .with_user(self.manager)
            .with_context(active_ids=order.ids)
        )
        wizard.reason = "Regular customer, confirmed by WeChat"
        wizard.save().action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(
            order.verification_override_reason, "Regular customer, confirmed by WeChat"
        )
        self.assertIn("Regular customer", order.message_ids.mapped("body")[0])

    def test_verification_results_cannot_be_forged(self):
        order = self._create_order(intake_channel="phone")
        receiver = self.users["receiver"]
        for vals in (
            {"verification_state": "verified"},
            {"phone_confirmed_date": fields.Datetime.now()},
            {"verification_override_reason": "x"},
        ):
            with self.assertRaises(AccessError):
                order.with_user(receiver).write(vals)
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(receiver).create(
                {"partner_id": self.customer.id, "verification_state": "verified"}
            )


@tagged("post_install", "-at_install")
class TestSpecialOrders(OrderCenterCommon):
    def test_urgent_and_custom_orders_notify_configured_people(self):
        warehouse_user = self.users["inventory"]
        production_user = self.users["logistics"]
        self.env.company.write(
            {
                "food_urgent_notify_user_ids": [(6, 0, warehouse_user.ids)],
                "food_custom_notify_user_ids": [(6, 0, production_user.ids)],
            }
        )
        activity_type = self.env.ref(
            "food_order_center.mail_activity_type_special_order"
        )
        order = self._create_order(intake_channel="other", urgency="urgent")
        activities = order.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(activities.user_id, warehouse_user)
        order.write({"is_custom_order": True, "custom_requirements": "无糖"})
        activities = order.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(activities.user_id, warehouse_user | production_user)
        # no second notification when the order stays urgent
        order.urgency = "urgent"
        self.assertEqual(
            len(
                order.activity_ids.filtered(
                    lambda a: a.activity_type_id == activity_type
                )
            ),
            2,
        )

    def test_orders_outside_the_order_center_do_not_notify(self):
        self.env.company.food_urgent_notify_user_ids = self.users["inventory"]
        order = self._create_order(urgency="urgent")
        self.assertFalse(order.activity_ids)
