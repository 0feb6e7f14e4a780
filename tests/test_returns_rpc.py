# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Returns over real XML-RPC: what a call-center tool or a warehouse app
sends, and what each role gets back."""

import xmlrpc.client

from odoo import Command, fields
from odoo.tests import HttpCase, get_db_name, tagged
from odoo.tests.common import Transport
from odoo.tools import mute_logger

from .common import create_role_users, deliver_order
from .test_intake import find_none


@tagged("post_install", "-at_install")
class TestReturnsRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.food_auto_assign = False
        cls.env.company.food_duplicate_window_hours = 0
        cls.users = create_role_users(cls.env, "foc_rpc_ret", password=True)
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "RPC Return Canteen",
                "phone": "+86 138 0013 8199",
                "street": "漕溪北路 1 号",
                "city": "上海",
                "zip": "200030",
                "country_id": cls.env.ref("base.cn").id,
            }
        )
        category = cls.env["product.category"].create(
            {"name": "RPC chilled", "food_return_days": 2, "food_perishable": True}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "RPC Tofu", "is_storable": True, "categ_id": category.id}
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, warehouse.lot_stock_id, 10
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "intake_channel": "other",
                "warehouse_id": warehouse.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 3})
                ],
            }
        )
        cls.order.with_user(cls.users["manager"]).action_confirm_unverified("RPC")
        deliver_order(cls.order, cls.users["manager"], cls.users["logistics"])
        invoice = cls.order._create_invoices()
        invoice.action_post()
        cls.case = cls.env["helpdesk.ticket"].create(
            {
                "name": "Tofu sour",
                "description": "<p>The tofu smells sour</p>",
                "food_case_type": "quality",
                "food_case_channel": "hotline",
                "partner_id": cls.customer.id,
                "food_order_id": cls.order.id,
                "food_line_ids": [
                    Command.create({"product_id": cls.product.id, "quantity": 1})
                ],
            }
        )

    def setUp(self):
        super().setUp()
        self.rpc = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self.cr), allow_none=True
        )

    def _call(self, role, model, method, *args):
        user = self.users[role]
        result = self.rpc.execute_kw(
            get_db_name(), user.id, user.login, model, method, list(args)
        )
        self.assertFalse(find_none(result), f"None in the answer: {result}")
        return result

    def _fault(self, code, role, model, method, *args):
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as ctx:
            self._call(role, model, method, *args)
        self.assertEqual(ctx.exception.faultCode, code, ctx.exception.faultString)
        return ctx.exception.faultString

    def _request_return(self):
        action = self._call(
            "aftersales",
            "helpdesk.ticket",
            "action_food_create_returns",
            [self.case.id],
        )
        return self.env["rma"].browse(action["res_id"])

    def test_return_over_rpc(self):
        rma = self._request_return()
        self.assertEqual(rma.food_return_reason, "quality")
        # outside the window: a clear UserError, nothing changed
        rma.picking_id._write_food_trusted(
            {
                "food_delivered_date": fields.Datetime.subtract(
                    fields.Datetime.now(), days=3
                )
            }
        )
        message = self._fault(2, "aftersales", "rma", "action_confirm", [rma.id])
        self.assertIn("RPC Tofu", message)
        self.assertEqual(rma.state, "draft")
        # the inventory manager neither accepts nor creates returns
        self._fault(4, "inventory", "rma", "write", [rma.id], {"state": "cancelled"})
        self._fault(
            4,
            "inventory",
            "rma",
            "create",
            {"partner_id": self.customer.id, "product_id": self.product.id},
        )
        self._fault(4, "processor", "rma", "read", [rma.id], ["state"])
        # the replacement order is the one its action creates: not written
        # by hand, not even by a manager
        for role in ("aftersales", "manager"):
            message = self._fault(
                4,
                role,
                "rma",
                "write",
                [rma.id],
                {"food_replacement_order_id": self.order.id},
            )
            self.assertIn("Replacement Order", message)
        self._fault(
            4,
            "aftersales",
            "rma",
            "create",
            {
                "partner_id": self.customer.id,
                "product_id": self.product.id,
                "food_replacement_order_id": self.order.id,
            },
        )
        self.assertFalse(rma.food_replacement_order_id)
        # nor through a context default
        defaulted = (
            self.env["rma"]
            .with_user(self.users["aftersales"])
            .with_context(default_food_replacement_order_id=self.order.id)
            .create({"partner_id": self.customer.id, "product_id": self.product.id})
        )
        self.assertFalse(defaulted.food_replacement_order_id)
        # refused: the answer can be sent
        self.assertTrue(self._call("aftersales", "rma", "action_food_refuse", [rma.id]))
        self.assertEqual(rma.state, "cancelled")

    def test_accept_inspect_refund_over_rpc(self):
        rma = self._request_return()
        self.assertTrue(self._call("aftersales", "rma", "action_confirm", [rma.id]))
        self.assertEqual(rma.state, "confirmed")
        # refund before the goods came back and were inspected: refused
        self._fault(2, "aftersales", "rma", "action_refund", [rma.id])
        receipt = rma.reception_move_id.picking_id
        receipt.move_ids.quantity = 1
        receipt.move_ids.picked = True
        receipt.with_user(self.users["inventory"]).button_validate()
        inspection = rma.food_inspection_ids
        self._fault(
            4,
            "aftersales",
            "food.return.inspection",
            "write",
            [inspection.id],
            {"result": "resaleable"},
        )
        self._call(
            "inventory",
            "food.return.inspection",
            "write",
            [inspection.id],
            {"result": "contaminated", "disposition": "stock"},
        )
        self._fault(
            2, "inventory", "food.return.inspection", "action_done", [inspection.id]
        )
        self._call(
            "inventory",
            "food.return.inspection",
            "write",
            [inspection.id],
            {"disposition": "scrap", "scrap_reason": "Sour smell"},
        )
        self.assertTrue(
            self._call(
                "inventory", "food.return.inspection", "action_done", [inspection.id]
            )
        )
        self.assertTrue(self._call("aftersales", "rma", "action_refund", [rma.id]))
        self.assertEqual(rma.state, "refunded")
