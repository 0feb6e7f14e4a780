# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The regulation's controls, role by role: each rule allowed and refused."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import OrderCenterCommon

ROLES = ("receiver", "processor", "inventory", "logistics", "aftersales", "manager")


@tagged("post_install", "-at_install")
class TestControls(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.food_duplicate_window_hours = 0

    def _confirmed_order(self, processor=None):
        order = self._create_order(intake_channel="other")
        order.action_confirm()
        order.processor_id = processor or self.processor
        return order

    def _check(self, role, allowed, operation, error=AccessError):
        """Run ``operation`` as ``role``: it must pass when ``allowed``,
        else raise ``error`` and change nothing."""
        user = self.users[role]
        if allowed:
            with self.env.cr.savepoint():
                operation(user)
            return
        with self.assertRaises(error, msg=f"{role} must be refused"):
            with self.env.cr.savepoint():
                operation(user)
        self.env.invalidate_all()

    # ---- fields that only the addon's actions write ----------------------------

    def test_protected_fields_never_written_directly(self):
        order = self._confirmed_order()
        order.action_quality_hold("包装破损")
        self.assertTrue(order.quality_hold)
        protected = {
            "quality_hold": False,
            "order_center_stage": "shipped",
            "verification_state": "verified",
            "verification_override_reason": "no",
            "phone_confirmed_date": "2026-01-01 10:00:00",
            "stock_status": "available",
            "stock_confirmation": "confirmed",
            "food_line_count": 0,
        }
        for role in ROLES:
            for name, value in protected.items():
                with self.subTest(role=role, field=name):
                    self._check(
                        role,
                        False,
                        lambda user, n=name, v=value: order.with_user(user).write(
                            {n: v}
                        ),
                    )
        # not even the superuser's code, unless through the addon's writer
        with self.assertRaises(AccessError):
            order.sudo().write({"quality_hold": False})
        self.assertTrue(order.quality_hold)
        self.assertEqual(order.order_center_stage, "exception")
        line = order.order_line[0]
        for role in ROLES:
            with self.subTest(role=role, field="line stock_status"):
                self._check(
                    role,
                    False,
                    lambda user: line.with_user(user).write(
                        {"stock_status": "available"}
                    ),
                )

    def test_deliveries_stay_blocked_while_on_hold(self):
        order = self._confirmed_order()
        order.action_quality_hold("异味")
        with self.assertRaises(AccessError):
            order.with_user(self.processor).write({"quality_hold": False})
        picking = order.picking_ids.with_user(self.users["logistics"])
        picking.move_ids.write({"quantity": 2, "picked": True})
        with self.assertRaisesRegex(UserError, "quality hold"):
            picking.button_validate()

    def test_context_defaults_of_protected_fields_ignored(self):
        receiver = self.users["receiver"]
        orders = self.env["sale.order"].with_user(receiver)
        order = orders.with_context(
            default_verification_override_reason="客户已电话确认",
            default_phone_confirmed_date="2026-01-01 10:00:00",
            default_verification_state="verified",
            default_processor_id=self.processor.id,
            default_quality_hold=True,
        ).create(
            {
                "partner_id": self.customer.id,
                "intake_channel": "phone",
                "order_line": [(0, 0, {"product_id": self.dumplings.id})],
            }
        )
        self.assertFalse(order.verification_override_reason)
        self.assertFalse(order.phone_confirmed_date)
        self.assertFalse(order.processor_id)
        self.assertFalse(order.quality_hold)
        self.assertEqual(order.verification_state, "to_verify")
        with self.assertRaisesRegex(UserError, "not verified"):
            order.action_confirm()
        # the manager's own defaults do assign
        managed = (
            self.env["sale.order"]
            .with_user(self.manager)
            .with_context(default_processor_id=self.processor.id)
            .create({"partner_id": self.customer.id, "intake_channel": "other"})
        )
        self.assertEqual(managed.processor_id, self.processor)

    def test_skip_context_from_callers_does_not_skip_the_checks(self):
        order = (
            self.env["sale.order"]
            .with_user(self.users["receiver"])
            .with_context(
                food_skip_verification=True, food_order_center_guard="trusted"
            )
            .create(
                {
                    "partner_id": self.customer.id,
                    "intake_channel": "phone",
                    "order_line": [(0, 0, {"product_id": self.dumplings.id})],
                }
            )
        )
        self.assertEqual(order.verification_state, "to_verify")
        self.assertEqual(order.stock_status, "available")
        with self.assertRaises(AccessError):
            order.with_context(food_order_center_guard="trusted").write(
                {"verification_state": "verified"}
            )

    def test_intake_channel_kept(self):
        order = self._create_order(intake_channel="phone")
        self.assertEqual(order.verification_state, "to_verify")
        for role in ("receiver", "manager"):
            with self.subTest(role=role):
                self._check(
                    role,
                    False,
                    lambda user: order.with_user(user).write({"intake_channel": False}),
                    UserError,
                )
        self._check(
            "receiver",
            False,
            lambda user: order.with_user(user).write({"intake_channel": "other"}),
        )
        self.assertEqual(order.intake_channel, "phone")
        order.with_user(self.manager).intake_channel = "other"
        self.assertEqual(order.verification_state, "verified")

    # ---- who edits, creates, confirms and cancels orders -------------------------

    def test_create_orders(self):
        allowed = {"receiver", "manager"}
        for role in ROLES:
            with self.subTest(role=role):
                self._check(
                    role,
                    role in allowed,
                    lambda user: (
                        self.env["sale.order"]
                        .with_user(user)
                        .create(
                            {"partner_id": self.customer.id, "intake_channel": "phone"}
                        )
                    ),
                )

    def test_edit_orders(self):
        own = self._confirmed_order(self.processor)
        foreign = self._confirmed_order(self.processor_2)
        edits = {
            "note": lambda order: order.write({"note": "上午送达"}),
            "customer": lambda order: order.write(
                {"partner_shipping_id": self.env.user.partner_id.id}
            ),
            "quantity": lambda order: order.order_line[0].write({"product_uom_qty": 5}),
            "price": lambda order: order.order_line[0].write({"price_unit": 1.0}),
            "new line": lambda order: order.order_line.create(
                {"order_id": order.id, "product_id": self.noodles.id}
            ),
        }
        expected = {
            "receiver": (True, True),
            "processor": (True, False),
            "inventory": (False, False),
            "logistics": (False, False),
            "aftersales": (False, False),
            "manager": (True, True),
        }
        for role, (on_own, on_foreign) in expected.items():
            for name, edit in edits.items():
                for order, allowed in ((own, on_own), (foreign, on_foreign)):
                    with self.subTest(role=role, edit=name, order=order.name):
                        self._check(
                            role,
                            allowed,
                            lambda user, e=edit, o=order: e(o.with_user(user)),
                        )

    def test_confirm_orders(self):
        allowed = {"receiver", "manager"}
        for role in ROLES:
            order = self._create_order(intake_channel="other")
            order.processor_id = self.processor
            self.assertEqual(order.verification_state, "verified")
            with self.subTest(role=role):
                self._check(
                    role,
                    role in allowed,
                    lambda user, o=order: o.with_user(user).action_confirm(),
                    UserError,
                )

    def test_cancel_orders(self):
        allowed = {"receiver", "manager"}
        for role in ROLES:
            order = self._confirmed_order()
            with self.subTest(role=role):
                self._check(
                    role,
                    role in allowed,
                    lambda user, o=order: o.with_user(user)._action_cancel(),
                )

    def test_assign_orders(self):
        order = self._create_order(intake_channel="other")
        for role in ROLES:
            with self.subTest(role=role):
                self._check(
                    role,
                    role == "manager",
                    lambda user: order.with_user(user).write(
                        {"processor_id": self.processor.id}
                    ),
                )

    # ---- processing, stock checks, shipping --------------------------------------

    def test_process_orders(self):
        own = self._confirmed_order(self.processor)
        foreign = self._confirmed_order(self.processor_2)
        expected = {
            "receiver": (False, False),
            "processor": (True, False),
            "inventory": (True, True),
            "logistics": (False, False),
            "aftersales": (False, False),
            "manager": (True, True),
        }
        for role, (on_own, on_foreign) in expected.items():
            for order, allowed in ((own, on_own), (foreign, on_foreign)):
                with self.subTest(role=role, order=order.name):
                    self._check(
                        role,
                        allowed,
                        lambda user, o=order: o.with_user(user).action_recheck(),
                    )
                    self._check(
                        role,
                        allowed,
                        lambda user, o=order: o.with_user(user).action_quality_hold(
                            "温度异常"
                        ),
                    )
                    self.assertEqual(
                        order.with_user(self.users[role]).food_can_process, allowed
                    )

    def test_validate_deliveries(self):
        expected = {
            "processor": (True, False),
            "inventory": (True, True),
            "logistics": (True, True),
            "aftersales": (False, False),
            "receiver": (False, False),
        }
        for role, (on_own, on_foreign) in expected.items():
            own = self._confirmed_order(self.processor)
            foreign = self._confirmed_order(self.processor_2)
            for order, allowed in ((own, on_own), (foreign, on_foreign)):
                order.picking_ids.move_ids.write({"quantity": 2, "picked": True})
                order.picking_ids.move_ids.filtered(
                    lambda m: m.product_id == self.noodles
                ).quantity = 3
                order.picking_ids.action_food_preship_check()
                with self.subTest(role=role, order=order.name):
                    self._check(
                        role,
                        allowed,
                        lambda user, o=order: o.picking_ids.with_user(
                            user
                        ).button_validate(),
                    )

    # ---- buttons follow the same rules -------------------------------------------

    def test_form_read_only_for_roles_that_only_read(self):
        order = self._confirmed_order(self.processor)
        for role in ("inventory", "logistics", "aftersales"):
            with self.subTest(role=role):
                form = Form(order.with_user(self.users[role]))
                self.assertFalse(form.food_can_edit)
                for name in ("order_line", "urgency", "note"):
                    self.assertTrue(
                        form._get_modifier(name, "readonly"), f"{role}: {name}"
                    )
        form = Form(order.with_user(self.processor))
        self.assertFalse(form._get_modifier("order_line", "readonly"))
        form.urgency = "urgent"
        form.save()
        self.assertEqual(order.urgency, "urgent")

    def test_auto_assign_button_follows_the_rule(self):
        self.env.company.food_auto_assign = False
        quotation = self._create_order(intake_channel="phone")
        verified = self._create_order(intake_channel="other").with_user(self.manager)
        self.assertEqual(quotation.verification_state, "to_verify")
        as_manager = quotation.with_user(self.manager)
        self.assertFalse(as_manager.food_can_auto_assign)
        with self.assertRaises(UserError):
            as_manager.action_assign_processor()
        self.env.company.food_auto_assign = True
        self.assertFalse(as_manager.food_can_auto_assign, "not verified")
        with self.assertRaises(UserError):
            as_manager.action_assign_processor()
        self.assertTrue(verified.food_can_auto_assign)
        self.assertFalse(
            verified.with_user(self.users["receiver"]).food_can_auto_assign
        )

    # ---- smaller holes ---------------------------------------------------------

    def test_clarification_of_api_orders_goes_to_receivers(self):
        api_user = new_test_user(
            self.env,
            login="foc_api_clarify",
            groups="food_order_center.group_order_intake",
        )
        receiver = self.users["receiver"]
        [result] = (
            self.env["sale.order"]
            .with_user(api_user)
            .intake_orders(
                [
                    {
                        "channel": "other",
                        "customer": {"name": "无地址客户", "phone": "13800001111"},
                        "lines": [{"product_code": "FOC-T-001", "qty": 1}],
                    }
                ]
            )
        )
        order = self.env["sale.order"].browse(result["order_id"])
        self.assertEqual(order.verification_state, "needs_clarification")
        activities = order.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("food_order_center.mail_activity_type_clarification")
            )
        )
        self.assertIn(receiver, activities.user_id)
        self.assertNotIn(api_user, activities.user_id)
        # the receivers can open the order they must clarify
        self.assertTrue(order.with_user(receiver).name)

    def test_raised_quantity_of_confirmed_order_checked_again(self):
        order = self._confirmed_order()
        line = order.order_line.filtered(lambda ln: ln.product_id == self.dumplings)
        self.assertEqual(line.stock_status, "available")
        line.with_user(self.users["receiver"]).product_uom_qty = 500
        self.assertEqual(line.stock_status, "partial")
        self.assertEqual(line.stock_available_qty, 50)
        self.assertEqual(order.stock_status, "partial")
        self.assertEqual(order.stock_confirmation, "to_confirm")

    def test_confirm_stock_checks_and_end_holds(self):
        allowed = {"inventory", "manager"}
        for role in ROLES:
            order = self._confirmed_order()
            order.order_line[0].product_uom_qty = 500
            self.assertEqual(order.stock_confirmation, "to_confirm")
            hold = self.env["food.order.exception"].browse(
                order.action_quality_hold("冷链中断")
            )
            with self.subTest(role=role):
                self._check(
                    role,
                    role in allowed,
                    lambda user, o=order: o.with_user(
                        user
                    ).action_confirm_stock_check(),
                )
                self._check(
                    role,
                    role in allowed,
                    lambda user, h=hold: h.with_user(user).action_release("released"),
                )
