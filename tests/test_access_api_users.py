# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""API users (R21): an integration reads no customer and no order beyond
what its calls answer, over real XML-RPC."""

from xmlrpc.client import Fault

from odoo.tests import HttpCase, new_test_user, tagged

from .common import ROLE_GROUPS, execute_kw


@tagged("post_install", "-at_install")
class TestApiUsersReadNothingElse(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.env.company.food_auto_assign = False
        cls.users = {
            name: new_test_user(
                cls.env,
                login=f"foc_api_{name}",
                password=f"foc_api_{name}",
                groups=group,
            )
            for name, group in (
                ("intake", "food_order_center.group_order_intake"),
                ("carrier", "food_order_center.group_carrier_integration"),
                ("receiver", f"base.group_user,{ROLE_GROUPS['receiver']}"),
            )
        }
        cls.customer = cls.env["res.partner"].create(
            {"name": "常州老顾客", "phone": "+86 139 0000 7777", "city": "常州"}
        )
        cls.env["food.sales.platform"].create({"name": "API Mall", "code": "api_mall"})
        cls.env["product.product"].create(
            {"name": "API 汤圆", "default_code": "FOC-API-1", "list_price": 9.0}
        )

    def _call(self, name, model, method, *args, **kwargs):
        return execute_kw(
            self, self.users[name], f"foc_api_{name}", model, method, *args, **kwargs
        )

    def test_integrations_read_no_customer_or_order(self):
        results = self._call(
            "intake",
            "sale.order",
            "intake_orders",
            [
                {
                    "channel": "online_platform",
                    "platform": "api_mall",
                    "external_ref": "API-1",
                    "customer": {
                        "name": "扬州新顾客",
                        "phone": "+86 139 0000 8888",
                        "street": "文昌路 1 号",
                        "city": "扬州",
                        "zip": "225000",
                        "country_code": "CN",
                    },
                    "lines": [{"product_code": "FOC-API-1", "qty": 2}],
                }
            ],
        )
        self.assertEqual(results[0]["result"], "created", results)
        order_id = results[0]["order_id"]
        for name in ("intake", "carrier"):
            own = self.users[name].partner_id.id
            found = self._call(name, "res.partner", "search_read", [], fields=["phone"])
            self.assertNotIn(self.customer.id, {p["id"] for p in found}, name)
            self.assertIn(own, {p["id"] for p in found}, name)
            self.assertFalse(
                self._call(name, "res.partner", "search", [("name", "ilike", "扬州")]),
                name,
            )
            with self.assertRaises(Fault, msg=name) as caught:
                self._call(name, "res.partner", "read", [self.customer.id], ["phone"])
            self.assertEqual(caught.exception.faultCode, 4)
            with self.assertRaises(Fault, msg=name) as caught:
                self._call(name, "sale.order", "read", [order_id], ["partner_id"])
            self.assertEqual(caught.exception.faultCode, 4)
        # the staff still read the customers (the receiver brings the
        # intake group with its role)
        self.assertEqual(
            self._call(
                "receiver", "res.partner", "read", [self.customer.id], ["phone"]
            )[0]["phone"],
            "+86 139 0000 7777",
        )
