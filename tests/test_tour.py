# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import ROLE_GROUPS


@tagged("post_install", "-at_install")
class TestOrderCenterTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {}
        for role, group in ROLE_GROUPS.items():
            cls.users[role] = cls.env["res.users"].create(
                {
                    "name": f"Tour {role}",
                    "login": f"tour_{role}",
                    "lang": "en_US",
                    "password": f"tour_{role}",
                    "groups_id": [
                        (
                            6,
                            0,
                            [cls.env.ref("base.group_user").id, cls.env.ref(group).id],
                        )
                    ],
                }
            )
        product = cls.env["product.product"].create(
            {"name": "Tour dumplings", "type": "consu", "list_price": 12}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.env["res.partner"]
                .create({"name": "Tour Customer 巡游客户"})
                .id,
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
