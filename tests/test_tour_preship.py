# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import OrderCenterTourCommon


@tagged("post_install", "-at_install")
class TestPreshipTour(OrderCenterTourCommon):
    """A processor completes the pre-shipment check of their packed delivery
    and ships it (static/tests/tours/food_order_center_preship_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.food_auto_assign = False
        cls.env.company.food_duplicate_window_hours = 0
        cls.processor = cls._create_tour_user("tour_preship_processor", "processor")
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        insulated = cls.env["stock.package.type"].create({"name": "Tour insulated box"})
        category = cls.env["product.category"].create(
            {
                "name": "Tour Frozen",
                "food_storage_condition": "frozen",
                "food_package_type_ids": [Command.set(insulated.ids)],
            }
        )
        dumplings = cls.env["product.product"].create(
            {
                "name": "Tour Frozen Dumplings",
                "is_storable": True,
                "categ_id": category.id,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            dumplings, warehouse.lot_stock_id, 10
        )
        customer = cls._create_tour_customer(
            "Tour Preship Canteen",
            phone="+86 138 0013 8124",
            street="中山北路 3663 号",
            city="上海",
            zip="200062",
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "intake_channel": "other",
                "warehouse_id": warehouse.id,
                "processor_id": cls.processor.id,
                "order_line": [
                    Command.create({"product_id": dumplings.id, "product_uom_qty": 3})
                ],
            }
        )
        order.action_confirm()
        cls.picking = order.picking_ids
        cls.picking.move_ids.picked = True
        cls.picking.move_line_ids.result_package_id = cls.env[
            "stock.quant.package"
        ].create({"package_type_id": insulated.id})

    def test_processor_checks_and_ships(self):
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{self.picking.id}",
            "food_order_center_preship",
            login="tour_preship_processor",
        )
        self.env.invalidate_all()
        self.assertEqual(self.picking.food_preship_state, "passed")
        self.assertEqual(self.picking.food_preship_checked_by_id, self.processor)
        self.assertEqual(self.picking.state, "done")
