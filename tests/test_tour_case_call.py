# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import OrderCenterTourCommon


@tagged("post_install", "-at_install")
class TestCaseCallTour(OrderCenterTourCommon):
    """The after-sales staff records a hotline call as a case
    (static/tests/tours/food_order_center_case_call_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.food_auto_assign = False
        cls.env.company.food_duplicate_window_hours = 0
        cls.aftersales = cls._create_tour_user("tour_case_aftersales", "aftersales")
        cls.customer = cls._create_tour_customer(
            "Tour Case Canteen 售后测试餐厅",
            phone="+86 138 0013 8177",
            street="漕溪北路 88 号",
            city="上海",
            zip="200030",
        )
        product = cls.env["product.product"].create(
            {"name": "Tour Case Dumplings", "type": "consu", "list_price": 12.0}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "name": "SO-TOUR-CASE-01",
                "partner_id": cls.customer.id,
                "intake_channel": "other",
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 4})
                ],
            }
        )
        cls.order.action_confirm()

    def test_aftersales_takes_a_call(self):
        self.assertEqual(self.order.state, "sale")
        self.start_tour(
            "/odoo/action-food_order_center.food_case_call_wizard_action",
            "food_order_center_case_call",
            login="tour_case_aftersales",
        )
        case = self.env["helpdesk.ticket"].search(
            [("food_order_id", "=", self.order.id)]
        )
        self.assertEqual(len(case), 1)
        self.assertEqual(case.food_case_type, "complaint")
        self.assertEqual(case.food_case_channel, "hotline")
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.user_id, self.aftersales)
        self.assertEqual(
            case.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        )
        self.assertIn("饺子解冻后破皮", case.description)
