# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from odoo.addons.base.models.ir_actions_report import IrActionsReport

from .common import OrderCenterTourCommon


@tagged("post_install", "-at_install")
class TestHandoverTour(OrderCenterTourCommon):
    """A logistics coordinator hands a checked delivery over to the carrier
    with its tracking number and prints both shipping documents
    (static/tests/tours/food_order_center_handover_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.food_auto_assign = False
        cls.env.company.food_duplicate_window_hours = 0
        processor = cls._create_tour_user("tour_handover_processor", "processor")
        cls.logistics = cls._create_tour_user("tour_handover_logistics", "logistics")
        # the coordinator works in Chinese: the print menu shows the
        # documents' Chinese names
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.logistics.lang = "zh_CN"
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        carton = cls.env["stock.package.type"].create({"name": "Tour carton"})
        category = cls.env["product.category"].create(
            {
                "name": "Tour Dry Goods",
                "food_storage_condition": "ambient",
                "food_package_type_ids": [Command.set(carton.ids)],
            }
        )
        noodles = cls.env["product.product"].create(
            {"name": "Tour Dried Noodles", "is_storable": True, "categ_id": category.id}
        )
        cls.env["stock.quant"]._update_available_quantity(
            noodles, warehouse.lot_stock_id, 20
        )
        shipping = cls.env["product.product"].create(
            {"name": "Tour SF shipping", "type": "service"}
        )
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Tour SF Express",
                "delivery_type": "fixed",
                "product_id": shipping.id,
                "tracking_url": "https://sf.example.com/track/<shipmenttrackingnumber>",
            }
        )
        customer = cls._create_tour_customer(
            "Tour Handover Canteen",
            phone="+86 138 0013 8125",
            street="中山北路 3663 号",
            city="上海",
            zip="200062",
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "intake_channel": "other",
                "warehouse_id": warehouse.id,
                "processor_id": processor.id,
                "order_line": [
                    Command.create({"product_id": noodles.id, "product_uom_qty": 4})
                ],
            }
        )
        order.action_confirm()
        cls.picking = order.picking_ids
        cls.picking.carrier_id = cls.carrier
        cls.picking.move_ids.picked = True
        cls.picking.move_line_ids.result_package_id = cls.env[
            "stock.quant.package"
        ].create({"package_type_id": carton.id})
        cls.picking.with_user(processor).action_food_preship_check()

    def test_logistics_hands_over_and_prints(self):
        self.assertEqual(self.picking.food_preship_state, "passed")
        rendered = []
        render = IrActionsReport._render_qweb_pdf

        def spy(report, report_ref, res_ids=None, data=None):
            rendered.append((report._get_report(report_ref).report_name, res_ids))
            return render(report, report_ref, res_ids=res_ids, data=data)

        with patch.object(IrActionsReport, "_render_qweb_pdf", spy):
            self.start_tour(
                f"/odoo/action-stock.action_picking_tree_all/{self.picking.id}",
                "food_order_center_handover",
                login="tour_handover_logistics",
            )
        self.env.invalidate_all()
        self.assertEqual(self.picking.state, "done")
        self.assertEqual(self.picking.carrier_tracking_ref, "SF7788990011")
        self.assertEqual(self.picking.food_handover_by_id, self.logistics)
        self.assertTrue(self.picking.food_handover_date)
        self.assertEqual(self.picking.sale_id.order_center_stage, "shipped")
        # both documents of this transfer were printed
        printed = {name for name, ids in rendered if self.picking.id in (ids or [])}
        self.assertEqual(
            printed,
            {
                "food_order_center.report_delivery_note",
                "food_order_center.report_packing_list",
            },
        )
