# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import ROLE_GROUPS, OrderCenterTourCommon


@tagged("post_install", "-at_install")
class TestOrderCenterTour(OrderCenterTourCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            role: cls._create_tour_user(f"tour_{role}", role) for role in ROLE_GROUPS
        }
        product = cls.env["product.product"].create(
            {"name": "Tour dumplings", "type": "consu", "list_price": 12}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls._create_tour_customer("Tour Customer 巡游客户").id,
                "intake_channel": "phone",
                "urgency": "urgent",
                "is_custom_order": True,
                "custom_requirements": "Tour requirements: no MSG",
                "commitment_date": "2026-12-01 10:00:00",
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 2})
                ],
            }
        )

    def _tour(self, name, role):
        self.start_tour("/odoo", name, login=f"tour_{role}")

    def test_manager_views(self):
        self._tour("food_order_center_manager_views", "manager")

    def test_menus_per_role(self):
        for role in ROLE_GROUPS:
            with self.subTest(role=role):
                self._tour(f"food_order_center_menus_{role}", role)
