# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import OrderCenterCommon


@tagged("post_install", "-at_install")
class TestIntakeApi(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dumplings.barcode = "6921573000019"
        cls.api_user = new_test_user(
            cls.env,
            login="foc_api",
            groups="food_order_center.group_order_intake",
        )

    def _payload(self, ref="TM-1", **kwargs):
        payload = {
            "channel": "online_platform",
            "platform": self.platform.code,
            "external_ref": ref,
            "customer": {
                "name": "李娜",
                "phone": "+86 139 0000 1111",
                "email": "lina@example.com",
                "street": "人民路 8 号",
                "city": "杭州",
                "zip": "310000",
                "country_code": "CN",
            },
            "lines": [
                {"product_code": "FOC-T-001", "qty": 2},
                {"barcode": "6921573000019", "qty": 1, "note": "少辣"},
            ],
        }
        payload.update(kwargs)
        return payload

    def _intake(self, orders, user=None):
        return (
            self.env["sale.order"]
            .with_user(user or self.api_user)
            .intake_orders(orders)
        )

    def test_created_and_verified(self):
        [result] = self._intake(
            [self._payload(urgent=True, requested_date="2099-01-05")]
        )
        self.assertEqual(result["result"], "created", result)
        self.assertEqual(result["verification_state"], "verified")
        self.assertEqual(result["problems"], [])
        self.assertEqual(result["errors"], [])
        order = self.env["sale.order"].browse(result["order_id"])
        self.assertEqual(order.name, result["order_name"])
        self.assertEqual(order.platform_id, self.platform)
        self.assertEqual(order.intake_channel, "online_platform")
        self.assertEqual(order.urgency, "urgent")
        self.assertEqual(order.commitment_date.date().isoformat(), "2099-01-05")
        self.assertEqual(len(order.order_line), 2)
        self.assertIn("少辣", order.order_line[1].name)
        self.assertEqual(order.partner_id.city, "杭州")
        self.assertEqual(order.create_uid, self.api_user)

    def test_idempotent(self):
        [first] = self._intake([self._payload()])
        [again] = self._intake([self._payload()])
        self.assertEqual(again["result"], "duplicate")
        self.assertEqual(again["order_id"], first["order_id"])
        self.assertEqual(
            self.env["sale.order"].search_count([("external_ref", "=", "TM-1")]), 1
        )

    def test_batch_orders_are_independent(self):
        results = self._intake(
            [
                self._payload("A"),
                self._payload("B", lines=[{"product_code": "NOPE", "qty": 1}]),
                self._payload("C"),
            ]
        )
        self.assertEqual(
            [r["result"] for r in results], ["created", "rejected", "created"]
        )
        self.assertEqual([r["external_ref"] for r in results], ["A", "B", "C"])
        self.assertFalse(self.env["sale.order"].search([("external_ref", "=", "B")]))

    def test_order_failing_at_creation_does_not_stop_the_batch(self):
        """Orders are created together; one failing sends each on its own."""
        sale_order = type(self.env["sale.order"])
        prepare = sale_order._prepare_intake_order_vals

        def prepare_with_a_bad_order(model, parsed, partner):
            vals = prepare(model, parsed, partner)
            if parsed["external_ref"] == "BAD":
                vals["platform_id"] = False  # breaks _check_platform_channel
            return vals

        with patch.object(
            sale_order, "_prepare_intake_order_vals", prepare_with_a_bad_order
        ):
            results = self._intake(
                [self._payload("OK-1"), self._payload("BAD"), self._payload("OK-2")]
            )
        self.assertEqual(
            [r["result"] for r in results], ["created", "rejected", "created"]
        )
        self.assertIn("sales platform", results[1]["errors"][0])
        self.assertFalse(self.env["sale.order"].search([("external_ref", "=", "BAD")]))
        self.assertEqual(len({r["order_id"] for r in results if r["order_id"]}), 2)

    def test_rejections(self):
        cases = {
            "unknown platform": self._payload(platform="nope"),
            "missing ref": self._payload(ref=None),
            "no lines": self._payload(lines=[]),
            "unknown product": self._payload(lines=[{"barcode": "000", "qty": 1}]),
            "zero quantity": self._payload(
                lines=[{"product_code": "FOC-T-001", "qty": 0}]
            ),
            "negative quantity": self._payload(
                lines=[{"product_code": "FOC-T-001", "qty": -2}]
            ),
            "quantity type": self._payload(
                lines=[{"product_code": "FOC-T-001", "qty": "2"}]
            ),
            "unknown channel": self._payload(channel="pigeon"),
            "urgent type": self._payload(urgent="yes"),
            "date": self._payload(requested_date="next monday"),
            "customer type": self._payload(customer="李娜"),
            "not a dict": "TM-9",
            "platform on phone": self._payload(channel="phone"),
        }
        partners_before = self.env["res.partner"].search_count([])
        results = self._intake(list(cases.values()))
        for label, result in zip(cases, results, strict=True):
            self.assertEqual(result["result"], "rejected", label)
            self.assertTrue(result["errors"], label)
            self.assertFalse(result["order_id"], label)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)

    def test_duplicate_ref_in_batch(self):
        results = self._intake([self._payload("X"), self._payload("X")])
        self.assertEqual([r["result"] for r in results], ["created", "rejected"])
        self.assertIn("twice", results[1]["errors"][0])

    def test_incomplete_orders_are_captured_in_clarification(self):
        payload = self._payload(
            customer={"name": "王先生", "phone": "12", "country_code": "CN"},
            custom=True,
        )
        [result] = self._intake([payload])
        self.assertEqual(result["result"], "created")
        self.assertEqual(result["verification_state"], "needs_clarification")
        types = {problem["type"] for problem in result["problems"]}
        self.assertEqual(types, {"contact", "address", "custom"})

    def test_customers_matched_not_duplicated(self):
        self._intake([self._payload("1")])
        partner = self.env["res.partner"].search([("email", "=", "lina@example.com")])
        self.assertEqual(len(partner), 1)
        # same phone written differently
        customer = dict(self._payload()["customer"], phone="13900001111", email=None)
        [by_phone] = self._intake([self._payload("2", customer=customer)])
        self.assertEqual(
            self.env["sale.order"].browse(by_phone["order_id"]).partner_id, partner
        )
        customer = {"name": "Lina", "email": "LINA@example.com", "country_code": "CN"}
        [by_email] = self._intake([self._payload("3", customer=customer)])
        self.assertEqual(
            self.env["sale.order"].browse(by_email["order_id"]).partner_id, partner
        )
        # the platform's customer id wins over contact data
        other = self.customer
        self.env["food.platform.customer"].create(
            {
                "platform_id": self.platform.id,
                "external_id": "u-42",
                "partner_id": other.id,
            }
        )
        customer = dict(self._payload()["customer"], platform_customer_id="u-42")
        [by_id] = self._intake([self._payload("4", customer=customer)])
        self.assertEqual(
            self.env["sale.order"].browse(by_id["order_id"]).partner_id, other
        )

    def test_other_channels(self):
        payload = self._payload(channel="phone", platform=None, external_ref=None)
        [result] = self._intake([payload])
        self.assertEqual(result["result"], "created")
        self.assertEqual(result["verification_state"], "to_verify")  # not read back yet

    def test_access(self):
        self._intake([self._payload("R")], user=self.users["receiver"])
        for role in ("processor", "inventory", "logistics", "aftersales"):
            with self.assertRaises(AccessError, msg=role):
                self._intake([self._payload(role)], user=self.users[role])
        self.assertFalse(
            self.env["sale.order"].search(
                [("external_ref", "in", ["processor", "inventory"])]
            )
        )

    def test_api_user_can_only_intake(self):
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.api_user).search([])
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.api_user).create(
                {"partner_id": self.customer.id}
            )

    def test_query_cost_grows_with_lines_like_plain_creation(self):
        def lines(count):
            return [{"product_code": "FOC-T-001", "qty": 1}] * count

        def plain(count, ref):
            return self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        (0, 0, {"product_id": self.dumplings.id, "product_uom_qty": 1})
                    ]
                    * count,
                }
            )

        def count_queries(func):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            func()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        # warm up caches
        self._intake([self._payload("warm", lines=lines(1))])
        plain(1, "warm")
        intake_1 = count_queries(
            lambda: self._intake([self._payload("i1", lines=lines(1))])
        )
        intake_10 = count_queries(
            lambda: self._intake([self._payload("i10", lines=lines(10))])
        )
        plain_1 = count_queries(lambda: plain(1, "p1"))
        plain_10 = count_queries(lambda: plain(10, "p10"))
        # verifying a line (its price-list price) may cost one query more
        # than creating it; nothing else grows with the lines
        self.assertLessEqual(intake_10 - intake_1, plain_10 - plain_1 + 9)


@tagged("post_install", "-at_install")
class TestIntakeConcurrency(TransactionCase):
    """Two requests sending the same platform order at the same time.

    Each request runs in its own database connection and transaction, as
    over RPC (the registry's cursors are shared by the test in test mode)."""

    def _cursor(self):
        return sql_db.db_connect(self.env.cr.dbname).cursor()

    def _in_new_cursor(self, func):
        with self._cursor() as cr:
            return func(api.Environment(cr, SUPERUSER_ID, {}))

    def test_concurrent_same_external_ref_creates_one_order(self):
        ref = "CONCURRENT-1"

        def setup(env):
            env["food.sales.platform"].create(
                {"name": "Concurrent", "code": "concurrent"}
            )
            env["product.product"].create(
                {
                    "name": "Concurrent product",
                    "default_code": "FOC-CONC",
                    "type": "consu",
                }
            )

        def cleanup(env):
            orders = env["sale.order"].search([("external_ref", "=", ref)])
            partners = orders.partner_id
            orders.unlink()
            partners.unlink()
            env["food.sales.platform"].search([("code", "=", "concurrent")]).unlink()
            env["product.product"].search([("default_code", "=", "FOC-CONC")]).unlink()

        payload = {
            "channel": "online_platform",
            "platform": "concurrent",
            "external_ref": ref,
            "customer": {"name": "并发客户", "email": "concurrent@example.com"},
            "lines": [{"product_code": "FOC-CONC", "qty": 1}],
        }
        admin = self.env.ref("base.user_admin").id
        self._in_new_cursor(setup)
        try:
            with self._cursor() as cr_a, self._cursor() as cr_b:
                # request B started (its snapshot is taken) before request A
                # committed the same platform order: B cannot see A's order
                cr_b.execute("SELECT 1")
                env_a = api.Environment(cr_a, admin, {})
                [created] = env_a["sale.order"].intake_orders([payload])
                cr_a.commit()
                env_b = api.Environment(cr_b, admin, {})
                self.assertFalse(
                    env_b["sale.order"].search([("external_ref", "=", ref)])
                )
                with mute_logger("odoo.sql_db"):
                    [again] = env_b["sale.order"].intake_orders([payload])
                cr_b.commit()
            self.assertEqual(created["result"], "created")
            self.assertEqual(again["result"], "duplicate")
            self.assertEqual(again["order_id"], created["order_id"])
            self.assertEqual(again["order_name"], created["order_name"])
            count = self._in_new_cursor(
                lambda env: env["sale.order"].search_count([("external_ref", "=", ref)])
            )
            self.assertEqual(count, 1)
        finally:
            self._in_new_cursor(cleanup)
