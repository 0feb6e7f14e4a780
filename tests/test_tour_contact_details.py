# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import OrderCenterTourCommon


@tagged("post_install", "-at_install")
class TestContactDetailsTour(OrderCenterTourCommon):
    """The inventory manager reads an order and its customer in the web
    client without the customer's phone and e-mail (the other roles: see
    test_customer_contact_details.py;
    static/tests/tours/food_order_center_contact_details_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.food_auto_assign = False
        cls._create_tour_user("tour_cd_inventory", "inventory")
        cls.customer = cls._create_tour_customer(
            "Tour Contact Canteen",
            phone="+86 138 0013 8277",
            email="tour.contact.old@example.com",
            street="TOUR-CONTACT-STREET 1",
            city="上海",
            zip="200030",
        )
        # a tracked change of its e-mail, in the customer's chatter (a
        # contact created in the same transaction is not tracked)
        cls.env.cr.flush()
        cls.customer.email = "tour.contact.canteen@example.com"
        cls.env.cr.flush()
        product = cls.env["product.product"].create(
            {"name": "Tour Contact Rice", "type": "consu", "list_price": 30.0}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "intake_channel": "other",
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        cls.order.message_post(
            body="TOUR-CONTACT-MESSAGE",
            author_id=cls.customer.id,
            message_type="email",
        )

    def test_inventory_manager_reads_no_contact_details(self):
        self.start_tour(
            "/odoo/action-food_order_center.sale_order_action_order_center/"
            f"{self.order.id}",
            "food_order_center_contact_details_order",
            login="tour_cd_inventory",
        )
        self.start_tour(
            f"/odoo/action-base.action_partner_form/{self.customer.id}",
            "food_order_center_contact_details_customer",
            login="tour_cd_inventory",
        )
