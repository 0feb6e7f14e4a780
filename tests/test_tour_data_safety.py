# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import OrderCenterTourCommon


@tagged("post_install", "-at_install")
class TestDataSafetyTour(OrderCenterTourCommon):
    """The manager finds an order changed in the database with the integrity
    check, and a change made through the order center in the audit trail
    (static/tests/tours/food_order_center_data_safety_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.food_auto_assign = False
        cls.env.company.food_duplicate_window_hours = 0
        cls.manager = cls._create_tour_user("tour_seal_manager", "manager")
        customer = cls._create_tour_customer(
            "Tour Seal Canteen 封存测试餐厅",
            phone="+86 138 0013 8199",
            street="虹桥路 1 号",
            city="上海",
            zip="200030",
        )
        product = cls.env["product.product"].create(
            {"name": "Tour Seal Rice", "type": "consu", "list_price": 30.0}
        )
        cls.orders = cls.env["sale.order"].create(
            [
                {
                    "name": name,
                    "partner_id": customer.id,
                    "intake_channel": "other",
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 4})
                    ],
                }
                for name in ("SO-TOUR-SEAL-01", "SO-TOUR-SEAL-02")
            ]
        )
        cls.orders.action_confirm()
        # corrected through the order center by the manager: sealed again
        cls.orders[0].order_line.with_user(cls.manager).product_uom_qty = 3
        # changed in the database: the seal no longer matches
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE sale_order_line SET price_unit = 1 WHERE order_id = %s",
            [cls.orders[1].id],
        )
        cls.env.invalidate_all()

    def test_manager_checks_integrity_and_reads_the_trail(self):
        self.start_tour(
            "/odoo/action-food_order_center.food_order_integrity_check_action",
            "food_order_center_data_safety",
            login="tour_seal_manager",
        )
        problems = self.env["food.order.seal"].check_integrity()["problems"]
        self.assertEqual(
            [p["order_id"] for p in problems if p["order_id"] in self.orders.ids],
            [self.orders[1].id],
        )
