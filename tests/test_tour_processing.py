# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import OrderCenterTourCommon


@tagged("post_install", "-at_install")
class TestProcessingTour(OrderCenterTourCommon):
    """The processor's day in the browser: My Orders, re-check of an order,
    a stock-out solved with a substitute, and the delivery validated
    (static/tests/tours/food_order_center_processing_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.food_auto_assign = False
        cls.processor = cls._create_tour_user("tour_processor", "processor")
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        category = cls.env["product.category"].create({"name": "Tour Steamed Buns"})

        def product(name, price, qty):
            record = cls.env["product.product"].create(
                {
                    "name": name,
                    "is_storable": True,
                    "list_price": price,
                    "categ_id": category.id,
                }
            )
            if qty:
                cls.env["stock.quant"]._update_available_quantity(
                    record, warehouse.lot_stock_id, qty
                )
            return record

        cls.pork_buns = product("Tour Pork Buns", 12.0, 0)
        cls.veggie_buns = product("Tour Veggie Buns", 11.0, 50)
        cls.soy_milk = cls.env["product.product"].create(
            {"name": "Tour Soy Milk", "is_storable": True, "list_price": 4.0}
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.soy_milk, warehouse.lot_stock_id, 20
        )
        cls.customer = cls._create_tour_customer(
            "Tour Processing Canteen",
            phone="+86 138 0013 8123",
            street="中山北路 3663 号",
            city="上海",
            zip="200062",
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "intake_channel": "other",
                "warehouse_id": warehouse.id,
                "processor_id": cls.processor.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.pork_buns.id, "product_uom_qty": 4}
                    ),
                    Command.create(
                        {"product_id": cls.soy_milk.id, "product_uom_qty": 2}
                    ),
                ],
            }
        )
        cls.order.action_confirm()

    def test_processor_handles_stock_out(self):
        order = self.order
        self.assertEqual(order.stock_status, "partial")
        self.start_tour("/odoo", "food_order_center_processing", login="tour_processor")
        self.env.invalidate_all()
        self.assertTrue(order.stock_recheck_date)
        self.assertEqual(order.food_exception_ids.customer_option, "substitute")
        self.assertEqual(
            order.food_exception_ids.substitute_product_id, self.veggie_buns
        )
        delivered = order.order_line.filtered(lambda line: line.qty_delivered)
        self.assertEqual(delivered.product_id, self.veggie_buns | self.soy_milk)
        self.assertEqual(order.order_center_stage, "shipped")
