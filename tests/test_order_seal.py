# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tamper evidence (R21): confirmed orders are sealed in a hash chain; the
integrity check finds what was changed around the application; original
documents stay as they came."""

import base64
from xmlrpc.client import Fault

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged

from ..models.food_order_seal import GENESIS_HASH
from .common import OrderCenterCommon, create_role_users, execute_kw


@tagged("post_install", "-at_install")
class TestOrderSeal(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the same customer orders the same products several times here
        cls.env.company.food_duplicate_window_hours = 0

    def _confirmed(self, **vals):
        order = self._create_order(intake_channel="other", **vals)
        order.action_confirm()
        return order

    def _check(self):
        self.env.flush_all()
        return self.env["food.order.seal"].check_integrity()

    def _problems(self, order):
        return [
            p["kind"] for p in self._check()["problems"] if p["order_id"] == order.id
        ]

    def test_confirmation_seals_and_chains(self):
        first = self._confirmed()
        second = self._confirmed()
        seal_1, seal_2 = first.food_seal_ids, second.food_seal_ids
        self.assertEqual((seal_1.reason, seal_2.reason), ("confirm", "confirm"))
        self.assertEqual(seal_2.sequence, seal_1.sequence + 1)
        self.assertEqual(seal_2.previous_hash, seal_1.hash)
        self.assertEqual(seal_1.content_hash, first._food_seal_contents()[first.id])
        self.assertEqual(seal_1.user_id, self.env.user)
        first_ever = self.env["food.order.seal"].search([], order="sequence", limit=1)
        self.assertEqual(first_ever.previous_hash, GENESIS_HASH)
        self.assertEqual(self._check()["problems"], [])
        # orders outside the order center are not sealed
        plain = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.noodles.id})],
            }
        )
        plain.action_confirm()
        self.assertFalse(plain.food_seal_ids)

    def test_changes_through_the_application_seal_again(self):
        order = self._confirmed()
        order.order_line[0].product_uom_qty = 1
        self.assertEqual(order.food_seal_ids.mapped("reason"), ["change", "confirm"])
        # what is not sealed content (delivered quantities, notes) does not
        order.note = "after"
        self.assertEqual(len(order.food_seal_ids), 2)
        self.assertEqual(self._check()["problems"], [])
        # a line added, in the transaction that confirmed it as in another
        order.write(
            {
                "order_line": [
                    Command.create({"product_id": order.order_line[0].product_id.id})
                ]
            }
        )
        self.assertEqual(
            order.food_seal_ids.mapped("reason"), ["change", "change", "confirm"]
        )
        self.assertEqual(self._check()["problems"], [])

    def test_changes_around_the_application_are_found(self):
        order = self._confirmed()
        other = self._confirmed()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order_line SET price_unit = 0.01 WHERE id = %s",
            [order.order_line[0].id],
        )
        self.assertEqual(self._problems(order), ["content"])
        self.assertEqual(self._problems(other), [])

        # a seal changed or removed breaks the chain at the next link
        self.env.cr.execute(
            "UPDATE food_order_seal SET content_hash = %s WHERE order_id = %s",
            ["f" * 64, other.id],
        )
        self.assertIn("chain", self._problems(other))
        with self.assertRaises(AccessError):
            other.food_seal_ids.unlink()
        with self.assertRaises(AccessError):
            other.food_seal_ids.with_user(self.manager).write({"hash": "x"})

    def test_originals_stay_as_they_came(self):
        scan = self.env["ir.attachment"].create(
            {
                "name": "fax.pdf",
                "raw": b"%PDF-1.4 original order",
                "res_model": "sale.order",
            }
        )
        order = self._confirmed(original_document_ids=[(4, scan.id)])
        self.assertEqual(self._problems(order), [])
        manager_scan = scan.with_user(self.manager)
        with self.assertRaises(UserError):
            manager_scan.unlink()
        with self.assertRaises(UserError):
            manager_scan.write({"datas": base64.b64encode(b"%PDF-1.4 forged")})
        with self.assertRaises(UserError):
            order.with_user(self.manager).original_document_ids = [(3, scan.id)]
        # a new original may come (a customer's later fax): sealed with it
        later = self.env["ir.attachment"].create(
            {"name": "fax-2.pdf", "raw": b"%PDF-1.4 later", "res_model": "sale.order"}
        )
        order.original_document_ids = [(4, later.id)]
        self.assertEqual(order.food_seal_ids[0].reason, "change")
        self.assertEqual(self._problems(order), [])

        # the file replaced in the file store is found
        if scan.store_fname:
            path = scan._full_path(scan.store_fname)
            with open(path, "rb") as file:
                content = file.read()
            try:
                with open(path, "wb") as file:
                    file.write(b"%PDF-1.4 forged")
                self.assertEqual(self._problems(order), ["content"])
            finally:
                with open(path, "wb") as file:
                    file.write(content)
        # as its row in the database
        self.env.cr.execute(
            "DELETE FROM sale_order_original_document_rel WHERE attachment_id = %s",
            [later.id],
        )
        self.assertEqual(self._problems(order), ["content"])

    def test_sealed_orders_are_not_deleted(self):
        order = self._confirmed()
        order._action_cancel()
        with self.assertRaises(UserError):
            order.unlink()

    def test_access_and_screen(self):
        order = self._confirmed()
        self.assertTrue(order.with_user(self.manager).food_seal_ids)
        for role in ("receiver", "processor", "aftersales"):
            with self.assertRaises(AccessError, msg=role):
                self.env["food.order.seal"].with_user(
                    self.users[role]
                ).check_integrity()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order_line SET product_uom_qty = 99 WHERE id = %s",
            [order.order_line[0].id],
        )
        wizard = Form(
            self.env["food.order.integrity.check"].with_user(self.manager)
        ).save()
        wizard.action_check()
        self.assertEqual(wizard.line_ids.order_id, order)
        self.assertEqual(wizard.problem_count, 1)
        self.assertGreaterEqual(wizard.order_count, 1)


@tagged("post_install", "-at_install")
class TestOrderSealRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = create_role_users(cls.env, "foc_seal", password=True)
        product = cls.env["product.product"].create({"name": "桂花糕"})
        customer = cls.env["res.partner"].create(
            {
                "name": "无锡茶楼",
                "phone": "+86 139 1234 5678",
                "street": "中山路 8 号",
                "city": "无锡",
                "zip": "214000",
                "country_id": cls.env.ref("base.cn").id,
            }
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "intake_channel": "other",
                "order_line": [(0, 0, {"product_id": product.id})],
            }
        )
        cls.order.action_confirm()

    def _call(self, role, model, method, *args, **kwargs):
        return execute_kw(
            self, self.users[role], f"foc_seal_{role}", model, method, *args, **kwargs
        )

    def test_integrity_check_over_rpc(self):
        result = self._call("manager", "food.order.seal", "check_integrity")
        self.assertEqual(set(result), {"seals", "orders", "problems"})
        self.assertEqual(result["problems"], [])
        with self.assertRaises(Fault) as caught:
            self._call("processor", "food.order.seal", "check_integrity")
        self.assertEqual(caught.exception.faultCode, 4)
        seals = self._call(
            "manager", "food.order.seal", "search", [("order_id", "=", self.order.id)]
        )
        self.assertEqual(len(seals), 1)
        for method, args in (("unlink", (seals,)), ("write", (seals, {"hash": "x"}))):
            with self.assertRaises(Fault) as caught:
                self._call("manager", "food.order.seal", method, *args)
            self.assertEqual(caught.exception.faultCode, 4)
        # a sealed order is not deleted over the wire either (cancelled first)
        with self.assertRaises(Fault) as caught:
            self._call("manager", "sale.order", "unlink", [self.order.id])
        self.assertTrue(self.order.exists())
