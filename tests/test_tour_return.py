# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import OrderCenterTourCommon, deliver_order


@tagged("post_install", "-at_install")
class TestReturnTour(OrderCenterTourCommon):
    """A return from the hotline call to the refund, in the browser
    (static/tests/tours/food_order_center_return_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.food_auto_assign = False
        cls.env.company.food_duplicate_window_hours = 0
        cls.aftersales = cls._create_tour_user("tour_return_aftersales", "aftersales")
        cls.inventory = cls._create_tour_user("tour_return_inventory", "inventory")
        cls.logistics = cls._create_tour_user("tour_return_logistics", "logistics")
        cls.manager = cls._create_tour_user("tour_return_manager", "manager")
        cls.customer = cls._create_tour_customer(
            "Tour Return Canteen 退货测试餐厅",
            phone="+86 138 0013 8188",
            street="漕溪北路 99 号",
            city="上海",
            zip="200030",
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Tour Return Noodles",
                "is_storable": True,
                "list_price": 9.0,
                "categ_id": cls.env["product.category"]
                .create({"name": "Tour dry food", "food_return_days": 7})
                .id,
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 10
        )
        cls.order = cls.env["sale.order"].create(
            {
                "name": "SO-TOUR-RETURN-01",
                "partner_id": cls.customer.id,
                "intake_channel": "other",
                "warehouse_id": cls.warehouse.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 4})
                ],
            }
        )
        cls.order.with_user(cls.manager).action_confirm_unverified("Tour")
        deliver_order(cls.order, cls.manager, cls.logistics)
        cls.order._create_invoices().action_post()

    def test_return_from_call_to_refund(self):
        self.start_tour(
            "/odoo/action-food_order_center.food_case_call_wizard_action",
            "food_order_center_return_request",
            login="tour_return_aftersales",
        )
        rma = self.env["rma"].search([("order_id", "=", self.order.id)])
        self.assertEqual(len(rma), 1)
        self.assertEqual(rma.state, "confirmed")
        self.assertEqual(rma.product_uom_qty, 2)
        self.assertEqual(rma.food_return_reason, "wrong_item")
        self.assertEqual(rma.food_case_id.food_case_channel, "hotline")
        # the goods arrive: the warehouse validates the RMA receipt
        receipt = rma.reception_move_id.picking_id.with_user(self.inventory)
        receipt.move_ids.quantity = 2
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(rma.food_inspection_state, "pending")

        self.start_tour(
            "/odoo/action-food_order_center.food_return_inspection_action",
            "food_order_center_return_inspection",
            login="tour_return_inventory",
        )
        inspection = rma.food_inspection_ids
        self.assertEqual(inspection.state, "done")
        self.assertEqual(inspection.inspector_id, self.inventory)
        self.assertEqual(inspection.result, "resaleable")
        self.assertEqual(
            inspection.move_ids.location_dest_id, self.warehouse.lot_stock_id
        )

        self.start_tour(
            f"/odoo/action-food_order_center.rma_action_order_center/{rma.id}",
            "food_order_center_return_refund",
            login="tour_return_aftersales",
        )
        self.assertEqual(rma.state, "refunded")
        self.assertEqual(rma.refund_id.move_type, "out_refund")
        self.assertEqual(rma.refund_id.amount_untaxed, 18.0)
