# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import OrderCenterCommon

INCOMING_ORDER_MAIL = """Return-Path: <chef@shanghai-restaurant.example.com>
To: orders@example.com
From: "Chef Wang" <chef@shanghai-restaurant.example.com>
Subject: 订单 / Order for Friday
Message-ID: <order-mail-1@shanghai-restaurant.example.com>
Date: Sun, 29 Nov 2026 08:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset="utf-8"

Please deliver 20 bags of frozen dumplings on Friday.

--BOUNDARY
Content-Type: application/pdf; name="order.pdf"
Content-Disposition: attachment; filename="order.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK
--BOUNDARY--
"""


@tagged("post_install", "-at_install")
class TestPhoneOrderWizard(OrderCenterCommon):
    def _wizard(self, user=None):
        return Form(
            self.env["food.phone.order.wizard"].with_user(
                user or self.users["receiver"]
            )
        )

    def test_customer_found_by_phone_and_read_back(self):
        # found by its phone even though its mobile is the number Odoo keeps
        self.customer.write(
            {"phone": "+86 138 0013 8000", "mobile": "+86 135 0000 1111"}
        )
        with self._wizard() as wizard:
            wizard.phone = "138 0013 8000"
            self.assertEqual(wizard.partner_id, self.customer)
            self.assertEqual(wizard.city, "上海")
            wizard.special_requests = "上午十点前送达"
            with wizard.line_ids.new() as line:
                line.product_id = self.dumplings
                line.spec = "1kg/袋"
                line.quantity = 3
        record = wizard.record
        record.action_readback()
        self.assertEqual(record.step, "readback")
        for text in ("Frozen dumplings", "1kg/袋", "上海测试餐厅", "上午十点前送达"):
            self.assertIn(text, record.readback_text)
        action = record.action_create_confirmed()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.intake_channel, "phone")
        self.assertEqual(order.partner_id, self.customer)
        self.assertTrue(order.phone_confirmed_date)
        self.assertEqual(order.phone_confirmed_by_id, self.users["receiver"])
        self.assertEqual(order.verification_state, "verified")
        self.assertIn("1kg/袋", order.order_line.name)
        self.assertEqual(order.note and order.note.striptags(), "上午十点前送达")

    def test_new_customer_and_no_confirmation(self):
        with self._wizard() as wizard:
            wizard.phone = "+86 139 1234 5678"
            wizard.customer_name = "新客户刘女士"
            wizard.street = "中山路 1 号"
            wizard.city = "南京"
            wizard.zip = "210000"
            with wizard.line_ids.new() as line:
                line.product_id = self.noodles
                line.quantity = 2
        record = wizard.record
        record.action_readback()
        order = self.env["sale.order"].browse(
            record.action_create_unconfirmed()["res_id"]
        )
        self.assertEqual(order.partner_id.name, "新客户刘女士")
        self.assertEqual(order.partner_id.country_id, self.env.company.country_id)
        self.assertEqual(order.verification_state, "to_verify")
        self.assertEqual(order.verification_problem_ids.problem_type, "phone_readback")

    def test_read_back_needs_products(self):
        wizard = self._wizard()
        wizard.phone = "+86 137 0000 1234"
        wizard.customer_name = "x"
        with self.assertRaises(UserError):
            wizard.save().action_readback()

    def test_only_receivers_take_phone_orders(self):
        with self.assertRaises(AccessError):
            self.env["food.phone.order.wizard"].with_user(
                self.users["inventory"]
            ).create({"phone": "1"})


@tagged("post_install", "-at_install")
class TestMailAndFaxOrders(OrderCenterCommon):
    def test_mail_to_alias_creates_email_order_with_originals(self):
        alias = self.env.company.food_order_alias_id
        self.assertEqual(alias.alias_model_id.model, "sale.order")
        self.env["mail.thread"].message_process(
            "sale.order",
            INCOMING_ORDER_MAIL,
            custom_values={"intake_channel": "email"},
        )
        order = self.env["sale.order"].search(
            [("origin", "=", "订单 / Order for Friday")], limit=1
        )
        self.assertTrue(order)
        self.assertEqual(order.intake_channel, "email")
        self.assertTrue(order.name.startswith("S"))
        self.assertEqual(order.partner_id.email, "chef@shanghai-restaurant.example.com")
        names = order.original_document_ids.mapped("name")
        self.assertIn("order.pdf", names)
        self.assertEqual(len(names), 2)  # the e-mail itself and its attachment
        # the receiver completes the lines; the new customer's address is
        # to be asked for
        self.assertEqual(order.order_center_stage, "received")
        problems = order.verification_problem_ids.mapped("problem_type")
        self.assertIn("no_lines", problems)
        self.assertIn("address", problems)

    def test_known_sender_is_matched(self):
        self.customer.email = "chef@shanghai-restaurant.example.com"
        self.env["mail.thread"].message_process(
            "sale.order", INCOMING_ORDER_MAIL, custom_values={"intake_channel": "email"}
        )
        order = self.env["sale.order"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(order), 1)

    def test_original_documents_action(self):
        order = self._create_order(intake_channel="fax")
        scan = self.env["ir.attachment"].create({"name": "fax.png", "raw": b"\x89PNG"})
        order.original_document_ids = scan
        action = order.action_view_original_documents()
        self.assertEqual(self.env["ir.attachment"].search(action["domain"]), scan)
