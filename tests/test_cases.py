# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""After-sales cases (R17): the hotline wizard, the mailbox, the roles."""

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import OrderCenterCommon


def case_mail(to, subject, body, sender="chef@shanghai-restaurant.example.com"):
    """A raw RFC 822 e-mail with a plain text body."""
    return f"""Return-Path: <{sender}>
To: {to}
From: "Chef Wang" <{sender}>
Subject: {subject}
Message-ID: <case-{abs(hash((subject, body, sender)))}@example.com>
Date: Sun, 29 Nov 2026 08:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""


@tagged("post_install", "-at_install")
class TestCases(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "chef@shanghai-restaurant.example.com"
        cls.order = cls._create_order()
        cls.order.action_confirm()
        cls.order.processor_id = cls.processor
        cls.other_order = cls._create_order(lines=[(cls.noodles, 1)])
        cls.other_order.processor_id = cls.processor_2
        cls.platform_order = cls._create_order(
            intake_channel="online_platform",
            platform_id=cls.platform.id,
            external_ref="TFM-20261130-7",
        )
        cls.sauce = cls.env["product.product"].create(
            {
                "name": "Chili sauce",
                "default_code": "FOC-T-C01",
                "is_storable": True,
                "tracking": "lot",
            }
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "LOT-2611", "product_id": cls.sauce.id}
        )
        cls.alias = cls.env.ref("food_order_center.mail_alias_aftersales")
        if not cls.alias.alias_domain_id:  # a database without demo data
            domain = cls.env.company.alias_domain_id or cls.env[
                "mail.alias.domain"
            ].create({"name": "test.example.com"})
            cls.alias.alias_domain_id = domain

    def _case(self, user=None, **vals):
        return (
            self.env["helpdesk.ticket"]
            .with_user(user or self.users["aftersales"])
            .create(
                {
                    "name": "Complaint",
                    "description": "<p>Cold chain broken</p>",
                    "food_case_type": "complaint",
                    "food_case_channel": "hotline",
                    "partner_id": self.customer.id,
                    "food_order_id": self.order.id,
                    **vals,
                }
            )
        )

    # ------------------------------------------------------------------
    # hotline wizard
    # ------------------------------------------------------------------

    def _wizard(self, user=None):
        return Form(
            self.env["food.case.call.wizard"].with_user(
                user or self.users["aftersales"]
            )
        )

    def test_call_by_phone_and_order_number(self):
        with self._wizard() as wizard:
            wizard.phone = "138 0013 8000"
            self.assertEqual(wizard.partner_id, self.customer)
            wizard.order_ref = self.order.name
            self.assertEqual(wizard.order_id, self.order)
            wizard.case_type = "quality"
            wizard.description = "饺子有异味"
            with wizard.line_ids.new() as line:
                line.product_id = self.sauce
                line.lot_id = self.lot
                line.quantity = 2
        action = wizard.record.action_create_case()
        case = self.env["helpdesk.ticket"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        self.assertEqual(case.food_case_channel, "hotline")
        self.assertEqual(case.food_case_type, "quality")
        self.assertEqual(case.food_order_id, self.order)
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.user_id, self.users["aftersales"])
        self.assertIn("饺子有异味", case.description)
        self.assertEqual(
            case.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        )
        self.assertTrue(case.number and case.number != "/")
        # the deliveries of the order, all of them until narrowed
        self.assertTrue(self.order.picking_ids)
        self.assertEqual(case.food_picking_ids, self.order.picking_ids)
        self.assertEqual(case.food_line_ids.product_id, self.sauce)
        self.assertEqual(case.food_line_ids.lot_id, self.lot)
        self.assertEqual(case.food_line_ids.quantity, 2)
        self.assertEqual(self.order.food_case_count, 1)
        self.assertEqual(
            self.order.action_view_food_cases()["domain"],
            [("food_order_id", "=", self.order.id)],
        )

    def test_call_by_platform_reference(self):
        with self._wizard() as wizard:
            wizard.order_ref = "TFM-20261130-7"
            self.assertEqual(wizard.order_id, self.platform_order)
            self.assertEqual(wizard.partner_id, self.customer)
            wizard.case_type = "inquiry"
            wizard.description = "When does it arrive?"
        case = self.env["helpdesk.ticket"].browse(
            wizard.record.action_create_case()["res_id"]
        )
        self.assertEqual(case.food_order_id, self.platform_order)
        self.assertEqual(case.food_case_type, "inquiry")
        self.assertFalse(case.food_picking_ids)

    def test_call_needs_customer_or_order(self):
        hotline = [("food_case_channel", "=", "hotline")]
        before = self.env["helpdesk.ticket"].search_count(hotline)
        wizard = self._wizard()
        wizard.phone = "+86 137 0000 9999"  # nobody's number
        wizard.description = "?"
        record = wizard.save()
        self.assertFalse(record.partner_id)
        with self.assertRaises(UserError):
            record.action_create_case()
        self.assertEqual(self.env["helpdesk.ticket"].search_count(hotline), before)

    def test_only_aftersales_take_calls(self):
        for role in ("inventory", "processor", "receiver"):
            with self.subTest(role), self.assertRaises(AccessError):
                self.env["food.case.call.wizard"].with_user(self.users[role]).create(
                    {"description": "x"}
                )
        self.assertTrue(
            self.env["food.case.call.wizard"]
            .with_user(self.users["manager"])
            .create({"description": "x"})
        )

    # ------------------------------------------------------------------
    # the case and its constraints
    # ------------------------------------------------------------------

    def test_deliveries_of_the_case_belong_to_its_order(self):
        case = self._case()
        self.assertEqual(case.food_picking_ids, self.order.picking_ids)
        foreign = self._create_order(lines=[(self.noodles, 1)])
        foreign.action_confirm()
        with self.assertRaises(ValidationError):
            case.food_picking_ids = foreign.picking_ids
        case.food_order_id = foreign
        self.assertEqual(case.food_picking_ids, foreign.picking_ids)

    def test_lot_of_the_product(self):
        with self.assertRaises(ValidationError):
            self._case(
                food_line_ids=[
                    (0, 0, {"product_id": self.dumplings.id, "lot_id": self.lot.id})
                ]
            )

    def test_platform_case_reference_unique(self):
        self._case(food_platform_id=self.platform.id, food_external_ref="C-1")
        with self.assertRaises(ValidationError):
            self._case(food_external_ref="C-2")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._case(food_platform_id=self.platform.id, food_external_ref="C-1")

    def test_ticket_without_case_type_unchanged(self):
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Printer broken", "description": "<p>again</p>"}
        )
        self.assertFalse(ticket.food_case_type)
        self.assertFalse(ticket.food_case_channel)
        self.assertFalse(ticket.channel_id)
        self.assertFalse(ticket.food_picking_ids)

    # ------------------------------------------------------------------
    # roles
    # ------------------------------------------------------------------

    def test_processor_reads_the_cases_of_their_orders(self):
        case = self._case(
            food_line_ids=[(0, 0, {"product_id": self.sauce.id, "quantity": 1})]
        )
        other = self._case(food_order_id=self.other_order.id)
        as_processor = case.with_user(self.processor)
        self.assertEqual(as_processor.food_order_id, self.order)
        self.assertEqual(as_processor.food_line_ids.product_id, self.sauce)
        self.assertEqual(self.order.with_user(self.processor).food_case_count, 1)
        with self.assertRaises(AccessError):
            other.with_user(self.processor).read(["name"])
        with self.assertRaises(AccessError):
            as_processor.write({"food_case_type": "feedback"})
        with self.assertRaises(AccessError):
            case.food_line_ids.with_user(self.processor).quantity = 5
        with self.assertRaises(AccessError):
            case.with_user(self.processor_2).read(["name"])
        self.assertEqual(
            self.env["helpdesk.ticket"]
            .with_user(self.processor)
            .search([("food_case_type", "!=", False)]),
            case,
        )

    def test_aftersales_and_manager_handle_all_cases(self):
        case = self._case(food_order_id=self.other_order.id)
        for role in ("aftersales", "manager"):
            with self.subTest(role):
                as_user = case.with_user(self.users[role])
                as_user.write(
                    {
                        "food_line_ids": [
                            (0, 0, {"product_id": self.sauce.id, "quantity": 1})
                        ]
                    }
                )
                as_user.food_line_ids[-1:].unlink()

    def test_others_cannot_create_cases(self):
        with self.assertRaises(AccessError):
            self._case(user=self.users["inventory"])

    # ------------------------------------------------------------------
    # after-sales mailbox
    # ------------------------------------------------------------------

    def _receive(self, subject, body, **kwargs):
        self.env["mail.thread"].message_process(
            None, case_mail(self.alias.alias_full_name, subject, body, **kwargs)
        )
        case = self.env["helpdesk.ticket"].search([("name", "=", subject)])
        self.assertEqual(len(case), 1)
        return case

    def test_mail_from_customer_with_order_number(self):
        case = self._receive(
            f"投诉 订单 {self.order.name.lower()}",
            "Your driver was rude and the box was open.",
        )
        self.assertEqual(case.food_case_channel, "email")
        self.assertEqual(case.food_case_type, "complaint")
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.food_order_id, self.order)
        self.assertIn("chef@shanghai-restaurant.example.com", case.partner_email)
        self.assertEqual(
            case.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        )
        self.assertIn("rude", case.description)

    def test_mail_platform_reference_and_type_guess(self):
        case = self._receive(
            "饺子变质", "平台订单 TFM-20261130-7 的饺子变质了，请处理。"
        )
        self.assertEqual(case.food_case_type, "quality")
        self.assertEqual(case.food_order_id, self.platform_order)

    def test_mail_of_unknown_sender_is_conservative(self):
        # the words of two types: feedback; an order of another customer is
        # linked only when it is the only one named; no customer is made up
        case = self._receive(
            "Complaint and exchange",
            f"I want an exchange, this is a complaint about {self.order.name} "
            f"and {self.other_order.name}.",
            sender="stranger@example.net",
        )
        self.assertEqual(case.food_case_type, "feedback")
        self.assertFalse(case.food_order_id)
        self.assertFalse(case.partner_id)
        self.assertIn("stranger@example.net", case.partner_email)
        self.assertEqual(case.partner_name, "Chef Wang")
        partners = self.env["res.partner"].search(
            [("email", "ilike", "stranger@example.net")]
        )
        self.assertFalse(partners)
        case = self._receive(
            "Thanks", f"Order {self.order.name} was perfect.", sender="x@example.net"
        )
        self.assertEqual(case.food_case_type, "feedback")
        self.assertEqual(case.food_order_id, self.order)

    def test_mail_of_customer_ignores_orders_of_others(self):
        stranger = self.env["res.partner"].create(
            {"name": "Other customer", "email": "other@example.net"}
        )
        case = self._receive(
            "咨询 about my order",
            f"Where is {self.order.name}?",
            sender=stranger.email,
        )
        self.assertEqual(case.partner_id, stranger)
        self.assertEqual(case.food_case_type, "inquiry")
        self.assertFalse(case.food_order_id)

    def test_mail_to_the_helpdesk_alias_stays_a_ticket(self):
        alias = self.env.ref("helpdesk_mgmt.mail_alias_lead_info_helpdesk")
        alias.alias_domain_id = self.alias.alias_domain_id
        self.env["mail.thread"].message_process(
            None, case_mail(alias.alias_full_name, "投诉 VPN", "退货 S00001")
        )
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "投诉 VPN")])
        self.assertEqual(len(ticket), 1)
        self.assertFalse(ticket.food_case_type)
        self.assertFalse(ticket.food_case_channel)
        self.assertFalse(ticket.food_order_id)
