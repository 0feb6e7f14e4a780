# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from .common import OrderCenterTourCommon


@tagged("post_install", "-at_install")
class TestIntakeTour(OrderCenterTourCommon):
    """Intake by the order receiver in the browser: a phone order with its
    read-back, and the clarification of an incomplete order
    (static/tests/tours/food_order_center_intake_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = cls._create_tour_user("tour_intake_receiver", "receiver")
        cls.product = cls.env["product.product"].create(
            {
                "name": "Tour Intake Spring Rolls",
                "type": "consu",
                "sale_ok": True,
                "list_price": 8.0,
            }
        )
        # the caller of the phone order, found by the number
        cls.caller = cls._create_tour_customer(
            "Tour Caller Li 李先生",
            phone="+86 139 1234 5678",
            street="南山路 8 号",
            city="杭州",
            zip="310002",
        )
        # an e-mail order whose delivery address misses the street
        cls.clarify_partner = cls._create_tour_customer(
            "Tour Clarify Restaurant 待澄清餐厅",
            phone="+86 139 8765 4321",
            city="杭州",
            zip="310013",
        )
        cls.clarify_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.clarify_partner.id,
                "intake_channel": "email",
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 2})
                ],
            }
        )

    def test_phone_order_with_read_back(self):
        self.start_tour(
            "/odoo", "food_order_center_phone_order", login="tour_intake_receiver"
        )
        order = self.env["sale.order"].search([("partner_id", "=", self.caller.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.intake_channel, "phone")
        self.assertTrue(order.phone_confirmed_date)
        self.assertEqual(order.phone_confirmed_by_id, self.receiver)
        self.assertEqual(order.verification_state, "verified")
        self.assertFalse(order.verification_problem_ids)
        self.assertEqual(order.order_line.product_id, self.product)
        self.assertEqual(order.order_line.product_uom_qty, 3)
        self.assertIn("500g/box", order.order_line.name)

    def test_clarification_resolved(self):
        order = self.clarify_order
        self.assertEqual(order.verification_state, "needs_clarification")
        self.assertEqual(order.verification_problem_ids.problem_type, "address")
        self.assertEqual(order.clarification_count, 1)
        # the customer took two hours to answer
        order._write_food_trusted(
            {"clarification_start": order.clarification_start - timedelta(hours=2)}
        )
        self.start_tour(
            "/odoo", "food_order_center_clarification", login="tour_intake_receiver"
        )
        self.env.invalidate_all()
        self.assertEqual(self.clarify_partner.street, "文三路 90 号")
        self.assertEqual(order.verification_state, "verified")
        self.assertFalse(order.verification_problem_ids)
        self.assertFalse(order.clarification_start)
        self.assertAlmostEqual(order.clarification_hours, 2, delta=0.1)
        self.assertEqual(order.clarification_count, 1)
