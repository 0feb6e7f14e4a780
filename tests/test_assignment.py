# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import ROLE_GROUPS, OrderCenterCommon


@tagged("post_install", "-at_install")
class TestAssignment(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the test orders look alike: no duplicate warnings
        cls.env.company.food_duplicate_window_hours = 0
        company = cls.env.company
        company.write(
            {
                "food_auto_assign": True,
                "food_complex_line_count": 5,
                "food_complex_amount": 1000,
                "food_complex_experience_level": "experienced",
            }
        )
        # these tests use their own rules and processors only
        cls.env["food.assignment.rule"].search([]).active = False
        cls.today = fields.Date.context_today(cls.env["sale.order"])
        cls.senior = cls._profile(cls.processor, "senior")
        cls.junior = cls._profile(cls.processor_2, "junior")
        cls.rule = cls.env["food.assignment.rule"].create(
            {
                "name": "Everything",
                "sequence": 50,
                "processor_ids": [(6, 0, (cls.senior | cls.junior).ids)],
            }
        )
        cls.frozen = cls.env["product.category"].create({"name": "Frozen"})
        cls.frozen_fish = cls.env["product.category"].create(
            {"name": "Frozen fish", "parent_id": cls.frozen.id}
        )

    @classmethod
    def _profile(cls, user, level, capacity=40, qualified=True):
        if qualified:
            cls._train(user, expiry_days=200)
        return cls.env["food.processor"].create(
            {"user_id": user.id, "experience_level": level, "capacity": capacity}
        )

    @classmethod
    def _train(cls, user, expiry_days, kind="food_safety"):
        today = fields.Date.context_today(cls.env["sale.order"])
        return cls.env["food.staff.qualification"].create(
            {
                "name": "Food handler training",
                "user_id": user.id,
                "qualification_type": kind,
                "date_obtained": today - timedelta(days=300),
                "date_expiry": today + timedelta(days=expiry_days),
            }
        )

    def _order(self, lines=None, **vals):
        return self._create_order(lines=lines, intake_channel="other", **vals)

    def _load(self, user, lines):
        """Give ``user`` an open order of ``lines`` lines."""
        products = [self.dumplings, self.noodles] * lines
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "intake_channel": "other",
                "state": "sale",
                "processor_id": user.id,
                "order_line": [
                    (0, 0, {"product_id": p.id, "product_uom_qty": 1})
                    for p in products[:lines]
                ],
            }
        )

    def test_verified_order_goes_to_lowest_workload(self):
        self._load(self.processor, 3)
        order = self._order()
        self.assertEqual(order.verification_state, "verified")
        self.assertEqual(order.processor_id, self.processor_2)
        self.assertEqual(order.order_center_stage, "assigned")
        self._load(self.processor_2, 5)
        self.assertEqual(self._order().processor_id, self.processor)

    def test_unverified_order_not_assigned(self):
        self.customer.phone = False
        order = self._order()
        self.assertNotEqual(order.verification_state, "verified")
        self.assertFalse(order.processor_id)

    def test_rule_by_product_category(self):
        fish = self.env["product.product"].create(
            {"name": "Frozen cod", "is_storable": True, "categ_id": self.frozen_fish.id}
        )
        self.env["food.assignment.rule"].create(
            {
                "name": "Frozen",
                "sequence": 1,
                "category_ids": [(6, 0, self.frozen.ids)],
                "processor_ids": [(6, 0, self.junior.ids)],
            }
        )
        self._load(self.processor_2, 10)
        # sub-category of the rule's category: its team, despite the workload
        self.assertEqual(self._order([(fish, 1)]).processor_id, self.processor_2)
        # a product outside the category: the next rule
        self.assertEqual(
            self._order([(fish, 1), (self.noodles, 1)]).processor_id, self.processor
        )

    def test_rule_by_warehouse(self):
        cold = self.env["stock.warehouse"].create({"name": "Cold store", "code": "TCS"})
        self.env["food.assignment.rule"].create(
            {
                "name": "Cold store",
                "sequence": 1,
                "warehouse_id": cold.id,
                "processor_ids": [(6, 0, self.senior.ids)],
            }
        )
        self._load(self.processor, 10)
        self.assertEqual(self._order(warehouse_id=cold.id).processor_id, self.processor)
        self.assertEqual(self._order().processor_id, self.processor_2)

    def test_capacity_never_exceeded(self):
        self.junior.capacity = 3
        self._load(self.processor, 6)
        # 2 lines fit in the junior's capacity of 3, then nothing more does
        self.assertEqual(self._order().processor_id, self.processor_2)
        self.assertEqual(self._order().processor_id, self.processor)

    def test_complex_orders_need_experience(self):
        self._load(self.processor, 4)
        cases = {
            "urgent": {"urgency": "urgent"},
            "custom": {"is_custom_order": True, "custom_requirements": "Cut in cubes"},
        }
        for name, vals in cases.items():
            with self.subTest(name):
                order = self._order(**vals)
                self.assertTrue(order._is_complex_order())
                self.assertEqual(order.processor_id, self.processor)
        many_lines = self._order([(self.dumplings, 1)] * 6)
        self.assertEqual(many_lines.processor_id, self.processor)
        self.dumplings.list_price = 600
        large = self._order([(self.dumplings, 2)])
        self.assertEqual(large.processor_id, self.processor)
        self.dumplings.list_price = 10
        self.assertEqual(self._order().processor_id, self.processor_2)

    def test_expired_qualification_skipped(self):
        self.env["food.staff.qualification"].search(
            [("user_id", "=", self.processor_2.id)]
        ).date_expiry = self.today - timedelta(days=1)
        self._load(self.processor, 10)
        self.assertFalse(self.junior.qualified)
        self.assertEqual(self._order().processor_id, self.processor)

    def test_other_training_does_not_qualify(self):
        user = new_test_user(
            self.env,
            login="foc_untrained",
            groups=f"base.group_user,{ROLE_GROUPS['processor']}",
        )
        self._train(user, expiry_days=100, kind="customer_service")
        profile = self._profile(user, "senior", qualified=False)
        self.rule.processor_ids = profile
        order = self._order()
        self.assertFalse(order.processor_id)

    def test_unavailable_processor_skipped(self):
        self._load(self.processor, 10)
        self.junior.available = False
        self.assertEqual(self._order().processor_id, self.processor)

    def test_nobody_qualifies_manager_notified(self):
        (self.senior | self.junior).write({"available": False})
        order = self._order()
        self.assertFalse(order.processor_id)
        self.assertEqual(order.order_center_stage, "verified")
        activity_type = self.env.ref("food_order_center.mail_activity_type_assignment")
        activities = order.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertIn(self.manager, activities.user_id)
        # corrections verify the order again: the managers are told once
        order.order_line.product_uom_qty = 2
        self.assertEqual(
            order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type),
            activities,
        )
        # once someone is back, the manager assigns automatically
        self.junior.available = True
        with self.assertRaises(AccessError):
            order.with_user(self.users["receiver"]).action_assign_processor()
        order.with_user(self.manager).action_assign_processor()
        self.assertEqual(order.processor_id, self.processor_2)
        # the manager's notice is done
        self.assertFalse(
            order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        )

    def test_auto_assignment_can_be_turned_off(self):
        self.env.company.food_auto_assign = False
        self.assertFalse(self._order().processor_id)

    def test_no_rule_no_assignment_and_no_notice(self):
        self.env["food.assignment.rule"].search([]).active = False
        order = self._order()
        self.assertFalse(order.processor_id)
        self.assertFalse(order.activity_ids)

    def test_receiver_verifying_assigns_without_assignment_right(self):
        order = (
            self.env["sale.order"]
            .with_user(self.users["receiver"])
            .create(
                {
                    "partner_id": self.customer.id,
                    "intake_channel": "other",
                    "order_line": [(0, 0, {"product_id": self.noodles.id})],
                }
            )
        )
        self.assertTrue(order.processor_id)

    def test_reassign_with_reason(self):
        order = self._order()
        previous = order.processor_id
        other = self.processor if previous == self.processor_2 else self.processor_2
        wizard = Form(
            self.env["food.order.reassign.wizard"]
            .with_user(self.manager)
            .with_context(active_ids=order.ids)
        )
        wizard.processor_id = other
        wizard.reason = "On leave tomorrow"
        wizard.save().action_reassign()
        self.assertEqual(order.processor_id, other)
        self.assertTrue(
            any(
                "On leave tomorrow" in body for body in order.message_ids.mapped("body")
            )
        )

    def test_reassign_needs_reason_and_manager(self):
        order = self._order()
        with self.assertRaises(UserError):
            order.with_user(self.manager).action_reassign_processor(
                self.processor, "  "
            )
        with self.assertRaises(AccessError):
            order.with_user(self.processor).action_reassign_processor(
                self.processor, "I take it"
            )
        with self.assertRaises(AccessError):
            self.env["food.order.reassign.wizard"].with_user(self.processor).create(
                {
                    "order_ids": order.ids,
                    "processor_id": self.processor.id,
                    "reason": "x",
                }
            )

    def test_profile_needs_processor_role(self):
        with self.assertRaises(ValidationError):
            self.env["food.processor"].create({"user_id": self.users["receiver"].id})

    def test_only_manager_edits_rules_and_profiles(self):
        self.rule.with_user(self.processor).read(["name"])
        with self.assertRaises(AccessError):
            self.rule.with_user(self.processor).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.junior.with_user(self.processor_2).write({"capacity": 99})
        self.junior.with_user(self.manager).write({"capacity": 30})

    def test_training_records_private(self):
        mine = self.env["food.staff.qualification"].with_user(self.processor).search([])
        self.assertEqual(mine.user_id, self.processor)
        everyone = (
            self.env["food.staff.qualification"].with_user(self.manager).search([])
        )
        self.assertIn(self.processor_2, everyone.user_id)
        with self.assertRaises(AccessError):
            mine.with_user(self.processor).write(
                {"date_expiry": self.today + timedelta(days=900)}
            )

    def test_expiry_reminder(self):
        record = self._train(self.processor, expiry_days=10)
        self.assertEqual(record.state, "expiring")
        model = self.env["food.staff.qualification"]
        model._cron_remind_expiry()
        activity_type = self.env.ref(
            "food_order_center.mail_activity_type_qualification_expiry"
        )
        self.assertEqual(record.activity_ids.activity_type_id, activity_type)
        self.assertEqual(record.activity_ids.user_id, self.processor)
        self.assertEqual(record.activity_ids.date_deadline, record.date_expiry)
        model._cron_remind_expiry()
        self.assertEqual(len(record.activity_ids), 1, "reminded once")
        self.assertIn(record, model.search([("state", "=", "expiring")]))
        self.assertNotIn(record, model.search([("state", "=", "valid")]))

    def test_assignment_cost_independent_of_open_orders(self):
        def load(count):
            self.env["sale.order"].create(
                [
                    {
                        "partner_id": self.customer.id,
                        "state": "sale",
                        "processor_id": (self.processor, self.processor_2)[i % 2].id,
                        "order_line": [(0, 0, {"product_id": self.noodles.id})],
                    }
                    for i in range(count)
                ]
            )

        def measure():
            orders = (
                self.env["sale.order"]
                ._food_deferred()
                .create(
                    [
                        {
                            "partner_id": self.customer.id,
                            "intake_channel": "other",
                            "order_line": [(0, 0, {"product_id": self.noodles.id})],
                        }
                        for _i in range(3)
                    ]
                )
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            orders._assign_processors()
            self.env.flush_all()
            self.assertTrue(all(orders.mapped("processor_id")))
            return self.env.cr.sql_log_count - before

        (self.senior | self.junior).capacity = 100000
        measure()  # warm the caches (references, translations)
        load(10)
        with_10 = measure()
        load(990)
        with_1000 = measure()
        self.assertEqual(with_10, with_1000)
