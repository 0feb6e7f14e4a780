# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import OrderCenterTourCommon


@tagged("post_install", "-at_install")
class TestAnalysisTour(OrderCenterTourCommon):
    """The order center manager reads the order, buying and product analysis
    (static/tests/tours/food_order_center_analysis_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_tour_user("tour_oa_manager", "manager")
        customer = cls._create_tour_customer("Tour Analysis Canteen 分析测试餐厅")
        product = cls.env["product.product"].create({"name": "Tour Analysis Dumplings"})
        cls.env["sale.order"].create(
            {
                "name": "TOUR-OA-1",
                "partner_id": customer.id,
                "intake_channel": "other",
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 4})
                ],
            }
        )

    def test_manager_reads_the_analysis(self):
        self.start_tour("/odoo", "food_order_center_analysis", login="tour_oa_manager")
