# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Internal communication (9.1): the order center's Discuss channel."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import OrderCenterCommon


@tagged("post_install", "-at_install")
class TestOrderCenterChannel(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel = cls.env.ref("food_order_center.discuss_channel_order_center")
        cls.env.company.partner_id.lang = "en_US"
        cls.api_user = new_test_user(
            cls.env,
            login="foc_channel_api",
            groups="food_order_center.group_order_intake",
        )
        cls.employee = new_test_user(
            cls.env, login="foc_channel_employee", groups="base.group_user"
        )

    def _posts(self):
        return self.channel.message_ids.filtered(lambda m: m.message_type == "comment")

    def test_every_role_joins(self):
        members = self.channel.channel_member_ids.partner_id
        for role, user in self.users.items():
            self.assertIn(user.partner_id, members, role)
        self.assertNotIn(self.api_user.partner_id, members)
        self.assertNotIn(self.employee.partner_id, members)
        # a user who gets a role later joins then
        self.employee.groups_id = [
            (4, self.env.ref("food_order_center.group_logistics_coordinator").id)
        ]
        self.assertIn(
            self.employee.partner_id, self.channel.channel_member_ids.partner_id
        )

    def test_exceptions_are_posted_with_a_link_to_the_order(self):
        order = self._create_order()
        order.action_confirm()
        before = self._posts()
        order.with_user(self.manager).action_quality_hold("Torn packaging")
        post = self._posts() - before
        self.assertEqual(len(post), 1)
        self.assertIn(f'data-oe-id="{order.id}"', post.body)
        self.assertIn(order.name, post.body)
        self.assertIn("Quality Problem", post.body)
        self.assertIn("Torn packaging", post.body)
        self.assertEqual(post.author_id, self.manager.partner_id)

    def test_only_staff_read_the_channel(self):
        self.channel.with_user(self.users["logistics"]).read(["name"])
        for user in (self.api_user, self.employee):
            with self.assertRaises(AccessError):
                self.channel.with_user(user).read(["name"])
