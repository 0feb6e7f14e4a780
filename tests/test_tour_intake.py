# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestIntakeTour(HttpCase):
    """Intake by the order receiver in the browser: a phone order with its
    read-back, and the clarification of an incomplete order
    (static/tests/tours/food_order_center_intake_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        china = cls.env.ref("base.cn")
        cls.receiver = cls.env["res.users"].create(
            {
                "name": "Tour Intake Receiver",
                "login": "tour_intake_receiver",
                "password": "tour_intake_receiver",
                # the read-back is posted in the chatter of the order by the user
                "email": "tour_intake_receiver@example.com",
                "lang": "en_US",
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("food_order_center.group_order_receiver").id,
                        ]
                    )
                ],
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Tour Intake Spring Rolls",
                "type": "consu",
                "sale_ok": True,
                "list_price": 8.0,
            }
        )
        # the caller of the phone order, found by the number
        cls.caller = cls.env["res.partner"].create(
            {
                "name": "Tour Caller Li 李先生",
                "phone": "+86 139 1234 5678",
                "street": "南山路 8 号",
                "city": "杭州",
                "zip": "310002",
                "country_id": china.id,
            }
        )
        # an e-mail order whose delivery address misses the street
        cls.clarify_partner = cls.env["res.partner"].create(
            {
                "name": "Tour Clarify Restaurant 待澄清餐厅",
                "phone": "+86 139 8765 4321",
                "city": "杭州",
                "zip": "310013",
                "country_id": china.id,
            }
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
        self.start_tour(
            "/odoo", "food_order_center_clarification", login="tour_intake_receiver"
        )
        self.env.invalidate_all()
        self.assertEqual(self.clarify_partner.street, "文三路 90 号")
        self.assertEqual(order.verification_state, "verified")
        self.assertFalse(order.verification_problem_ids)
        self.assertFalse(order.clarification_start)
        self.assertGreaterEqual(order.clarification_hours, 0)
        self.assertEqual(order.clarification_count, 1)
