# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import OrderCenterTourCommon


@tagged("post_install", "-at_install")
class TestDashboardTour(OrderCenterTourCommon):
    """The order center manager opens the Order Center dashboard in the
    Dashboards app: its figures are drawn, no cell is in error, the KPIs and
    the volume chart count the order of the period
    (static/tests/tours/food_order_center_dashboard_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the Dashboards app formats numbers and dates the way the user's
        # language does: it must be active (the test database may have
        # Chinese only); the manager works in Chinese
        cls.env["res.lang"]._activate_lang("zh_CN")
        manager = cls._create_tour_user("tour_dashboard_manager", "manager")
        manager.lang = "zh_CN"
        # an order received today, for the figures of the period
        customer = cls._create_tour_customer("Tour Dashboard Canteen")
        product = cls.env["product.product"].create({"name": "Tour Dashboard Rice"})
        cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "intake_channel": "phone",
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 2})
                ],
            }
        )

    def test_manager_opens_the_dashboard(self):
        self.start_tour(
            "/odoo",
            "food_order_center_dashboard",
            login="tour_dashboard_manager",
        )
