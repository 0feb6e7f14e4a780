# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io

from PIL import Image

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import OrderCenterCommon

PDF_ATTACHMENT = (
    "JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK"
)


def order_mail(to, body, sender="chef@shanghai-restaurant.example.com", ref="1"):
    """A raw RFC 822 e-mail, as the mail gateway receives it: a plain text
    body and a PDF attachment."""
    return f"""Return-Path: <{sender}>
To: {to}
From: "Chef Wang" <{sender}>
Subject: 订单 / Order {ref}
Message-ID: <order-mail-{ref}@shanghai-restaurant.example.com>
Date: Sun, 29 Nov 2026 08:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
--BOUNDARY
Content-Type: application/pdf; name="order.pdf"
Content-Disposition: attachment; filename="order.pdf"
Content-Transfer-Encoding: base64

{PDF_ATTACHMENT}
--BOUNDARY--
"""


# every form of the grammar (README, "Fax and e-mail orders")
FULL_ORDER_BODY = """您好，周五请送货：

FOC-T-001 x 3
6900000000017 × 2
速冻水饺 5 袋
2 x Sesame oil
产品：Rice vinegar
数量：4
神秘调料 x 2

送货地址：上海市徐汇区漕溪北路 88 号 200030
联系电话：139 1234 5678
Please deliver before 10:00 on 2026-12-04.
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
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias = cls.env.company.food_order_alias_id
        if not cls.alias.alias_domain_id:  # a database without demo data
            domain = cls.env["mail.alias.domain"].create({"name": "test.example.com"})
            cls.env.company.alias_domain_id = domain
            cls.alias.alias_domain_id = domain
        cls.noodles.barcode = "6900000000017"
        cls.frozen_cn = cls._create_stocked_product("速冻水饺 1kg", "FOC-T-003", 50)
        cls.oil = cls._create_stocked_product("Sesame oil", "FOC-T-004", 50)
        cls.vinegar = cls._create_stocked_product("Rice vinegar", "FOC-T-005", 50)

    def _receive(self, body, ref, **kwargs):
        """Send an e-mail to the order alias through the mail gateway (no
        model, no channel: the alias routes it) and return the order."""
        self.env["mail.thread"].message_process(
            None, order_mail(self.alias.alias_full_name, body, ref=ref, **kwargs)
        )
        order = self.env["sale.order"].search([("origin", "=", f"订单 / Order {ref}")])
        self.assertEqual(len(order), 1)
        return order

    def _in_chatter(self, order, text):
        return any(text in (message.body or "") for message in order.message_ids)

    def _problems(self, order):
        return order.verification_problem_ids.mapped("problem_type")

    def test_demo_alias_address(self):
        # make test installs the demo data: a missing demo domain fails
        domain = self.env.ref("food_order_center.mail_alias_domain_demo")
        company = self.env.ref("base.main_company")
        self.assertEqual(company.alias_domain_id, domain)
        alias = company.food_order_alias_id
        self.assertEqual(alias.alias_full_name, "orders@hexian-food.example.com")
        self.assertEqual(alias.alias_contact, "everyone")
        self.assertEqual(alias.alias_model_id.model, "sale.order")

    def test_demo_email_order(self):
        order = self.env["sale.order"].search([("origin", "=", "订货 - 春风面馆")])
        self.assertEqual(len(order), 1, "the demo e-mail order (demo data)")
        self.assertEqual(order.intake_channel, "email")
        self.assertEqual(
            sorted(order.order_line.mapped("product_id.default_code")),
            ["CH-001", "DG-003", "FZ-001"],
        )
        self.assertEqual(order.partner_id.phone, "+86 139 1688 2020")
        self.assertEqual(order.partner_id.city, "上海市")
        self.assertEqual(order.partner_id.zip, "200040")
        self.assertEqual(order.email_unmatched_products, "桂花酒酿 3 瓶")
        self.assertEqual(order.verification_state, "to_verify")

    def test_mail_to_alias_creates_email_order_with_originals(self):
        order = self._receive("Please deliver 20 bags of frozen dumplings.", "A")
        # the alias' defaults made it an e-mail order
        self.assertEqual(order.intake_channel, "email")
        self.assertTrue(order.name.startswith("S"))
        self.assertEqual(order.partner_id.email, "chef@shanghai-restaurant.example.com")
        names = order.original_document_ids.mapped("name")
        self.assertIn("order.pdf", names)
        self.assertEqual(len(names), 2)  # the e-mail itself and its attachment
        # nothing recognised: the receiver enters the lines and asks for the
        # new customer's address
        self.assertFalse(order.order_line)
        self.assertEqual(order.order_center_stage, "received")
        problems = self._problems(order)
        self.assertIn("no_lines", problems)
        self.assertIn("address", problems)
        self.assertIn("email_check", problems)
        # an address that is no alias reaches no order
        with self.assertRaises(ValueError):
            self.env["mail.thread"].message_process(
                None,
                order_mail(
                    f"nobody@{self.alias.alias_domain_id.name}",
                    "FOC-T-001 x 1",
                    ref="B",
                ),
            )

    def test_known_sender_is_matched(self):
        self.customer.email = "chef@shanghai-restaurant.example.com"
        partners = self.env["res.partner"].search_count([])
        order = self._receive("FOC-T-001 x 1", "C")
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_extraction_new_customer(self):
        order = self._receive(FULL_ORDER_BODY, "D")
        lines = {line.product_id: line.product_uom_qty for line in order.order_line}
        self.assertEqual(
            lines,
            {
                self.dumplings: 3,  # by internal reference
                self.noodles: 2,  # by barcode
                self.frozen_cn: 5,  # by (part of) its name, "<product> <qty> <unit>"
                self.oil: 2,  # "<qty> x <product>"
                self.vinegar: 4,  # "产品: <product>" then "数量: <qty>"
            },
        )
        customer = order.partner_id
        self.assertEqual(customer.phone, "+86 139 1234 5678")
        self.assertFalse(customer.mobile, "the date is no phone number")
        self.assertEqual(customer.city, "上海市")
        self.assertEqual(customer.state_id, self.env.ref("base.state_cn_SH"))
        self.assertEqual(customer.zip, "200030")
        self.assertEqual(customer.street, "徐汇区漕溪北路 88 号")
        self.assertEqual(customer.country_id, self.env.ref("base.cn"))
        self.assertEqual(order.partner_shipping_id, customer)
        # proposals, never trusted: checked by a receiver, unknown products listed
        self.assertEqual(order.email_extraction_state, "to_check")
        self.assertEqual(order.email_unmatched_products, "神秘调料 x 2")
        self.assertIn("139 1234 5678", order.email_extraction)
        self.assertIn("Rice vinegar", order.email_extraction)
        self.assertEqual(order.verification_state, "to_verify")
        self.assertEqual(
            sorted(self._problems(order)), ["email_check", "email_unknown_product"]
        )
        unknown = order.verification_problem_ids.filtered(
            lambda p: p.problem_type == "email_unknown_product"
        )
        self.assertIn("神秘调料 x 2", unknown.name)
        self.assertTrue(self._in_chatter(order, "check them against the original"))

    def test_products_match_only_sale_products_and_codes_first(self):
        self.noodles.sale_ok = False
        # a product whose name is another product's code: the code wins
        self._create_stocked_product("FOC-T-004", "FOC-T-099", 5)
        order = self._receive("Dried noodles x 2\nFOC-T-004 x 1", "E")
        self.assertEqual(order.order_line.product_id, self.oil)
        self.assertEqual(order.email_unmatched_products, "Dried noodles x 2")

    def test_existing_customer_is_never_overwritten(self):
        self.customer.email = "chef@shanghai-restaurant.example.com"
        body = "FOC-T-001 x 1\n地址: 北京市朝阳区建国路 1 号\n电话: 139 0000 1111"
        order = self._receive(body, "F")
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(self.customer.phone, "+86 138 0013 8000")
        self.assertEqual(self.customer.street, "南京西路 100 号")
        self.assertEqual(self.customer.city, "上海")
        # the other address is a delivery contact of the customer, with the phone
        delivery = order.partner_shipping_id
        self.assertNotEqual(delivery, self.customer)
        self.assertEqual(delivery.parent_id, self.customer)
        self.assertEqual(delivery.type, "delivery")
        self.assertEqual(delivery.city, "北京市")
        self.assertEqual(delivery.street, "朝阳区建国路 1 号")
        self.assertEqual(delivery.phone, "+86 139 0000 1111")
        # the same address again: the same delivery contact
        order_2 = self._receive(body.replace("1 x", "2 x"), "G")
        self.assertEqual(order_2.partner_shipping_id, delivery)

    def test_existing_customer_other_phone_in_note(self):
        self.customer.email = "chef@shanghai-restaurant.example.com"
        body = "FOC-T-001 x 1\n地址: 上海南京西路100号\nTel 139 0000 2222"
        order = self._receive(body, "H")
        self.assertEqual(order.partner_shipping_id, self.customer)
        self.assertEqual(self.customer.phone, "+86 138 0013 8000")
        self.assertFalse(self.customer.child_ids)
        self.assertIn("+86 139 0000 2222", order.note)

    def test_confirmed_only_once_the_extraction_is_checked(self):
        self.customer.email = "chef@shanghai-restaurant.example.com"
        order = self._receive("FOC-T-001 x 2\n3 x Dried noodles", "I")
        receiver = self.users["receiver"]
        self.assertEqual(self._problems(order), ["email_check"])
        self.assertEqual(order.verification_state, "to_verify")
        self.assertFalse(order.processor_id)
        with self.assertRaises(UserError):
            order.with_user(receiver).action_confirm()
        # the check is recorded by the receiver's action only
        with self.assertRaises(AccessError):
            order.with_user(receiver).write({"email_extraction_state": "checked"})
        order.with_user(receiver).action_confirm_email_extraction()
        self.assertEqual(order.email_extraction_state, "checked")
        self.assertEqual(order.email_checked_by_id, receiver)
        self.assertTrue(order.email_checked_date)
        self.assertTrue(self._in_chatter(order, receiver.name))
        self.assertEqual(order.verification_state, "verified")
        order.with_user(receiver).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_check_clears_unknown_products(self):
        self.customer.email = "chef@shanghai-restaurant.example.com"
        order = self._receive("FOC-T-001 x 2\n神秘调料 x 2", "J")
        self.assertIn("email_unknown_product", self._problems(order))
        order.with_user(self.users["receiver"]).action_confirm_email_extraction()
        self.assertFalse(order.email_unmatched_products)
        self.assertFalse(self._problems(order))
        self.assertTrue(self._in_chatter(order, "not recognised: 神秘调料 x 2"))

    def test_only_receivers_check_the_extraction(self):
        order = self._receive("FOC-T-001 x 2", "K")
        for role in ("processor", "inventory", "logistics", "aftersales"):
            with self.assertRaises(AccessError):
                order.with_user(self.users[role]).action_confirm_email_extraction()
        self.assertEqual(order.email_extraction_state, "to_check")

    def _fax_problems(self, name, raw):
        order = self._create_order(intake_channel="fax")
        order.original_document_ids = self.env["ir.attachment"].create(
            {"name": name, "raw": raw}
        )
        return self._problems(order)

    def test_fax_scan_must_be_a_readable_image_or_pdf(self):
        self.assertIn(
            "fax_original", self._problems(self._create_order(intake_channel="fax"))
        )
        self.assertIn("fax_original", self._fax_problems("fax.png", b""))
        self.assertIn("fax_original", self._fax_problems("fax.txt", b"FOC-T-001 x 3"))
        # a text file named as an image
        self.assertIn("fax_original", self._fax_problems("fax.png", b"FOC-T-001 x 3"))
        png = io.BytesIO()
        Image.new("RGB", (8, 8), "white").save(png, format="PNG")
        self.assertNotIn("fax_original", self._fax_problems("fax.png", png.getvalue()))
        pdf = base64.b64decode(PDF_ATTACHMENT)
        self.assertNotIn("fax_original", self._fax_problems("fax.pdf", pdf))

    def test_original_documents_action(self):
        order = self._create_order(intake_channel="fax")
        scan = self.env["ir.attachment"].create({"name": "fax.png", "raw": b"\x89PNG"})
        order.original_document_ids = scan
        action = order.action_view_original_documents()
        self.assertEqual(self.env["ir.attachment"].search(action["domain"]), scan)
