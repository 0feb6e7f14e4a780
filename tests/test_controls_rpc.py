# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The holes a tester found over XML-RPC, tried again over XML-RPC."""

from xmlrpc.client import Fault

from odoo.tests import HttpCase, new_test_user, tagged

from .common import ROLE_GROUPS, create_role_users, execute_kw


@tagged("post_install", "-at_install")
class TestControlsRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.food_duplicate_window_hours = 0
        cls.env.company.food_auto_assign = False
        cls.users = create_role_users(cls.env, "foc_rpc")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "杭州测试餐厅",
                "phone": "+86 139 1234 5678",
                "street": "人民路 8 号",
                "city": "杭州",
                "zip": "310000",
                "country_id": cls.env.ref("base.cn").id,
            }
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "速冻汤圆",
                "default_code": "FOC-RPC-1",
                "is_storable": True,
                "list_price": 12.0,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, warehouse.lot_stock_id, 5
        )

    def _call(self, role, model, method, *args, **kwargs):
        return execute_kw(
            self, self.users[role], f"foc_rpc_{role}", model, method, *args, **kwargs
        )

    def _order(self, **vals):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "intake_channel": "other",
                "order_line": [
                    (0, 0, {"product_id": self.product.id, "product_uom_qty": 8})
                ],
                **vals,
            }
        )

    def test_quality_hold_not_lifted_by_a_write(self):
        order = self._order()
        order.action_confirm()
        order.processor_id = self.users["processor"]
        order.action_quality_hold("温度记录缺失")
        for role in ("processor", "receiver", "inventory", "manager"):
            with self.subTest(role=role), self.assertRaises(Fault):
                self._call(
                    role, "sale.order", "write", [order.id], {"quality_hold": False}
                )
            with self.subTest(role=role), self.assertRaises(Fault):
                self._call(
                    role,
                    "sale.order",
                    "write",
                    [order.id],
                    {"order_center_stage": "assigned"},
                )
        order.invalidate_recordset()
        self.assertTrue(order.quality_hold)
        self.assertEqual(order.order_center_stage, "exception")

    def test_verification_gate_not_bypassed_by_context(self):
        context = {
            "default_verification_override_reason": "客户已确认",
            "default_phone_confirmed_date": "2026-01-01 10:00:00",
            "default_processor_id": self.users["processor"].id,
            "food_skip_verification": True,
        }
        order_id = self._call(
            "receiver",
            "sale.order",
            "create",
            {
                "partner_id": self.customer.id,
                "intake_channel": "phone",
                "order_line": [[0, 0, {"product_id": self.product.id}]],
            },
            context=context,
        )
        order = self.env["sale.order"].browse(order_id)
        self.assertFalse(order.verification_override_reason)
        self.assertFalse(order.phone_confirmed_date)
        self.assertFalse(order.processor_id)
        self.assertEqual(order.verification_state, "to_verify")
        with self.assertRaises(Fault) as error:
            self._call("receiver", "sale.order", "action_confirm", [order_id])
        self.assertIn("not verified", error.exception.faultString)
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        # switching the channel to drop the read-back check is refused
        with self.assertRaises(Fault):
            self._call(
                "receiver",
                "sale.order",
                "write",
                [order_id],
                {"intake_channel": "other"},
            )
        with self.assertRaises(Fault):
            self._call(
                "receiver", "sale.order", "write", [order_id], {"intake_channel": False}
            )

    def test_read_only_roles_cannot_change_orders(self):
        order = self._order()
        order.action_confirm()
        line = order.order_line
        for role in ("inventory", "logistics", "aftersales"):
            for model, ids, vals in (
                ("sale.order.line", line.ids, {"price_unit": 0.5}),
                ("sale.order.line", line.ids, {"product_uom_qty": 1}),
                ("sale.order", order.ids, {"partner_id": self.customer.id}),
                ("sale.order", order.ids, {"intake_channel": "phone"}),
            ):
                with self.subTest(role=role, vals=vals), self.assertRaises(Fault):
                    self._call(role, model, "write", ids, vals)
            with self.subTest(role=role), self.assertRaises(Fault):
                self._call(
                    role,
                    "sale.order",
                    "action_cancel",
                    order.ids,
                    context={"disable_cancel_warning": True},
                )
        quotation = self._order()
        for role in ("inventory", "logistics", "aftersales", "processor"):
            with self.subTest(role=role), self.assertRaises(Fault):
                self._call(role, "sale.order", "action_confirm", quotation.ids)
            with self.subTest(role=role), self.assertRaises(Fault):
                self._call(
                    role,
                    "sale.order",
                    "create",
                    {"partner_id": self.customer.id, "intake_channel": "phone"},
                )
        order.invalidate_recordset()
        quotation.invalidate_recordset()
        self.assertEqual(line.price_unit, 12.0)
        self.assertEqual(line.product_uom_qty, 8)
        self.assertEqual(order.state, "sale")
        self.assertEqual(quotation.state, "draft")
        # the receiver does what they are allowed to
        self._call("receiver", "sale.order", "action_confirm", quotation.ids)
        quotation.invalidate_recordset()
        self.assertEqual(quotation.state, "sale")

    def test_processor_validates_own_deliveries_only(self):
        processor = self.users["processor"]
        other = new_test_user(
            self.env, login="foc_rpc_processor_2", groups=ROLE_GROUPS["processor"]
        )
        own, foreign = self._order(), self._order()
        (own | foreign).action_confirm()
        own.processor_id, foreign.processor_id = processor, other
        pickings = (own | foreign).picking_ids
        pickings.move_ids.write({"quantity": 5, "picked": True})
        with self.assertRaises(Fault) as error:
            self._call(
                "processor", "stock.picking", "button_validate", foreign.picking_ids.ids
            )
        self.assertIn(foreign.name, error.exception.faultString)
        self.assertEqual(foreign.picking_ids.state, "assigned")

    def test_stock_out_answer_is_an_id(self):
        order = self._order()
        order.action_confirm()
        order.processor_id = self.users["processor"]
        line = order.order_line
        self.assertEqual(line.stock_status, "partial")
        exception_id = self._call(
            "processor",
            "sale.order.line",
            "action_resolve_stock_out",
            line.ids,
            "split",
            expected_date="2026-12-31",
        )
        exception = self.env["food.order.exception"].browse(exception_id)
        self.assertEqual(exception.order_id, order)
        self.assertEqual(exception.customer_option, "split")
