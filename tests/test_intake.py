# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from ..models.sale_order_intake_parse import MAX_ORDERS_PER_CALL
from .common import OrderCenterCommon

INTAKE_LOGGER = "odoo.addons.food_order_center.models.sale_order_intake"


def find_none(value, path="result"):
    """The paths of the None values in a result of intake_orders."""
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [
            found
            for key, item in value.items()
            for found in find_none(item, f"{path}[{key!r}]")
        ]
    if isinstance(value, list | tuple):
        return [
            found
            for index, item in enumerate(value)
            for found in find_none(item, f"{path}[{index}]")
        ]
    return []


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

        def prepare_with_a_bad_order(model, parsed, partner, shipping=None):
            vals = prepare(model, parsed, partner, shipping)
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

    def test_results_have_no_none(self):
        """Every value can be sent back over XML-RPC (which has no None)."""
        results = self._intake(
            [
                self._payload("N-1"),
                self._payload("N-1"),
                self._payload(channel="phone", platform=None, external_ref=None),
                self._payload(ref=None),
                "not an order",
                None,
                self._payload("N-2", customer={}),
            ]
        )
        self.assertEqual(
            [r["result"] for r in results],
            ["created", "rejected", "created"] + ["rejected"] * 4,
        )
        self.assertEqual(find_none(results), [])
        self.assertEqual(
            [r["external_ref"] for r in results], ["N-1", "N-1", "", "", "", "", "N-2"]
        )
        for result in results:
            self.assertEqual(
                set(result),
                {
                    "external_ref",
                    "result",
                    "order_id",
                    "order_name",
                    "verification_state",
                    "problems",
                    "errors",
                },
            )

    def test_customer_needs_name_phone_or_email(self):
        for customer in ({}, {"street": "人民路 8 号", "city": "杭州"}, {"name": "  "}):
            [result] = self._intake([self._payload("C-0", customer=customer)])
            self.assertEqual(result["result"], "rejected", customer)
            self.assertIn("needs a name, a phone or an e-mail", result["errors"][0])

    def test_too_many_orders_in_one_call(self):
        orders_before = self.env["sale.order"].search_count([])
        payloads = [self._payload(f"L-{i}") for i in range(MAX_ORDERS_PER_CALL + 1)]
        with self.assertRaisesRegex(UserError, "at most 500 orders per call"):
            self._intake(payloads)
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before)

    def test_unexpected_error_rejects_the_order_only(self):
        """A programming error while creating one order is logged and rejects
        that order; what was created for it (its new customer) is rolled
        back, the other orders of the batch are created."""
        sale_order = type(self.env["sale.order"])
        prepare = sale_order._prepare_intake_order_vals

        def prepare_failing(model, parsed, partner, shipping=None):
            if parsed["external_ref"] == "BUG":
                raise ZeroDivisionError("a bug")
            return prepare(model, parsed, partner, shipping)

        new_customer = {"name": "新客户", "email": "bug-customer@example.com"}
        with (
            patch.object(sale_order, "_prepare_intake_order_vals", prepare_failing),
            self.assertLogs(INTAKE_LOGGER, "ERROR") as logs,
        ):
            results = self._intake(
                [
                    self._payload("OK-1"),
                    self._payload("BUG", customer=new_customer),
                    self._payload("OK-2"),
                ]
            )
        self.assertEqual(
            [r["result"] for r in results], ["created", "rejected", "created"]
        )
        self.assertIn("unexpected error", results[1]["errors"][0])
        self.assertIn("ZeroDivisionError", "\n".join(logs.output))
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "bug-customer@example.com")])
        )
        self.assertFalse(self.env["sale.order"].search([("external_ref", "=", "BUG")]))

    def test_known_customer_other_delivery_address(self):
        """A known customer sending another address gets it as the delivery
        address of the order (a delivery contact, reused for that address)."""
        [first] = self._intake([self._payload("D-1")])
        customer = self.env["sale.order"].browse(first["order_id"]).partner_id
        self.assertEqual(
            self.env["sale.order"].browse(first["order_id"]).partner_shipping_id,
            customer,
        )
        other = dict(self._payload()["customer"], street="延安路 100 号", zip="310006")
        [second] = self._intake([self._payload("D-2", customer=other)])
        order = self.env["sale.order"].browse(second["order_id"])
        self.assertEqual(order.partner_id, customer)
        delivery = order.partner_shipping_id
        self.assertNotEqual(delivery, customer)
        self.assertEqual(delivery.parent_id, customer)
        self.assertEqual(delivery.type, "delivery")
        self.assertEqual(delivery.street, "延安路 100 号")
        self.assertEqual(delivery.zip, "310006")
        self.assertEqual(customer.street, "人民路 8 号")  # not overwritten
        self.assertNotIn("address", {p["type"] for p in second["problems"]})
        # the same address written differently: the same delivery contact
        again = dict(other, street="  延安路100号 ", city=" 杭州")
        [third] = self._intake([self._payload("D-3", customer=again)])
        self.assertEqual(
            self.env["sale.order"].browse(third["order_id"]).partner_shipping_id,
            delivery,
        )
        # the customer's own address again: delivered to the customer
        [fourth] = self._intake([self._payload("D-4")])
        self.assertEqual(
            self.env["sale.order"].browse(fourth["order_id"]).partner_shipping_id,
            customer,
        )
        self.assertEqual(
            self.env["res.partner"].search_count([("parent_id", "=", customer.id)]), 1
        )
        # an incomplete other address is kept, for the verification to ask
        partial = dict(self._payload()["customer"], street="", city="宁波", zip="")
        [fifth] = self._intake([self._payload("D-5", customer=partial)])
        self.assertIn("address", {p["type"] for p in fifth["problems"]})
        shipping = self.env["sale.order"].browse(fifth["order_id"]).partner_shipping_id
        self.assertEqual(shipping.city, "宁波")
        self.assertFalse(shipping.street)

    def test_context_defaults_do_not_reach_orders(self):
        """Called from code already running as superuser (a controller, a
        cron), whose sudo() keeps the context: the caller's defaults do not
        reach the customers and orders either."""
        other_user = self.users["manager"]
        payload = self._payload("CTX-1")
        [result] = (
            self.env["sale.order"]
            .with_user(self.api_user)
            .sudo()
            .with_context(
                default_user_id=other_user.id,
                default_note="from the context",
                default_partner_shipping_id=self.customer.id,
                default_client_order_ref="CTX",
                default_discount=50,
                default_type="invoice",
                default_comment="from the context",
            )
            .intake_orders([payload])
        )
        self.assertEqual(result["result"], "created", result)
        order = self.env["sale.order"].browse(result["order_id"])
        self.assertNotEqual(order.user_id, other_user)
        self.assertFalse(order.note)
        self.assertEqual(order.client_order_ref, "CTX-1")
        self.assertEqual(order.partner_shipping_id, order.partner_id)
        self.assertEqual(order.order_line.mapped("discount"), [0, 0])
        self.assertEqual(order.partner_id.type, "contact")
        self.assertFalse(order.partner_id.comment)

    def test_phone_wizard_uses_the_intake(self):
        """The phone wizard finds or creates the customer like the intake and
        builds the order with it, without the context's defaults."""
        receiver = self.users["receiver"]
        wizard = Form(
            self.env["food.phone.order.wizard"]
            .with_user(receiver)
            .with_context(default_origin="from the context", default_type="invoice")
        )
        wizard.phone = "+86 139 5555 0000"
        wizard.customer_name = "电话新客户"
        wizard.street = "中山路 1 号"
        wizard.city = "南京"
        with wizard.line_ids.new() as line:
            line.product_id = self.noodles
            line.spec = "5kg"
            line.quantity = 2
        record = wizard.save()
        sale_order = type(self.env["sale.order"])
        with patch.object(
            sale_order,
            "_intake_customer",
            autospec=True,
            side_effect=sale_order._intake_customer,
        ) as intake_customer:
            action = record.action_create_unconfirmed()
        intake_customer.assert_called_once()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.partner_id.name, "电话新客户")
        self.assertEqual(order.partner_id.street, "中山路 1 号")
        self.assertEqual(order.partner_id.country_id, self.env.company.country_id)
        self.assertEqual(order.partner_id.type, "contact")
        self.assertEqual(order.intake_channel, "phone")
        self.assertFalse(order.origin)
        self.assertIn("5kg", order.order_line.name)
        self.assertEqual(order.order_line.product_uom_qty, 2)

    def test_references_looked_up_once_per_batch(self):
        """Platforms, products, countries and states are looked up for the
        whole batch: as many queries for 20 orders as for one."""
        intake = self.env["sale.order"].with_user(self.api_user).sudo()

        def parse(count, prefix):
            seen_refs, todo = set(), []
            for index in range(count):
                customer = dict(self._payload()["customer"], state_code="浙")
                parsed, errors = intake._intake_parse(
                    self._payload(f"{prefix}-{index}", customer=customer), seen_refs
                )
                self.assertFalse(errors)
                todo.append(({}, parsed))
            return todo

        def count_queries(todo):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            resolved = intake._intake_resolve(todo)
            self.assertEqual(len(resolved), len(todo))
            return self.env.cr.sql_log_count - before, resolved

        count_queries(parse(1, "warm"))
        one, _resolved = count_queries(parse(1, "Q1"))
        twenty, resolved = count_queries(parse(20, "Q20"))
        self.assertEqual(twenty, one)
        parsed = resolved[-1][1]
        self.assertEqual(parsed["platform"], self.platform)
        self.assertEqual(parsed["country"], self.env.ref("base.cn"))
        self.assertEqual(parsed["state"], self.env.ref("base.state_cn_ZJ"))
        self.assertEqual(parsed["lines"][1]["product"], self.dumplings)

    def test_customers_looked_up_once_per_batch(self):
        """The customers of a batch are looked up together: as many queries
        for 20 known customers as for one; a new customer sending two orders
        of the batch is created once."""
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"批量客户 {index}",
                    "phone": f"+86 139 1000 {index:04d}",
                    "email": f"batch{index}@example.com",
                }
                for index in range(20)
            ]
        )
        intake = self.env["sale.order"].with_user(self.api_user).sudo()

        def customers(refs, **values):
            todo = [
                (
                    {},
                    intake._intake_parse(
                        self._payload(
                            ref,
                            customer={
                                "name": f"批量客户 {index}",
                                "phone": f"+86 139 1000 {index:04d}",
                                "email": f"batch{index}@example.com",
                                **values,
                            },
                        ),
                        set(),
                    )[0],
                )
                for index, ref in enumerate(refs)
            ]
            parsed_orders = [parsed for _result, parsed in intake._intake_resolve(todo)]
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            known = intake._intake_known_customers(parsed_orders)
            found = [intake._intake_customer(p, known)[0] for p in parsed_orders]
            return self.env.cr.sql_log_count - before, found

        one, [found] = customers(["K1"])
        self.assertEqual(found, partners[0])
        twenty, found = customers([f"K20-{index}" for index in range(20)])
        self.assertEqual(twenty, one)
        self.assertEqual(found, list(partners))

        new = {
            "name": "新批量客户",
            "phone": "+86 139 2000 0001",
            "email": "new.batch@example.com",
            "street": "人民路 8 号",
            "city": "杭州",
            "country_code": "CN",
        }
        results = self._intake(
            [self._payload("N1", customer=new), self._payload("N2", customer=new)]
        )
        orders = self.env["sale.order"].browse([r["order_id"] for r in results])
        self.assertEqual(len(orders.partner_id), 1)
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("phone_sanitized", "=", "+8613920000001")]
            ),
            1,
        )

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

    def test_customer_found_by_either_number(self):
        """The sanitized number (indexed) finds the customer in one query; a
        customer's other number (its phone, when it has a mobile too) is
        found as well."""
        partners = self.env["res.partner"]
        both = partners.create(
            {
                "name": "王芳",
                "mobile": "+86 137 0000 2222",
                "phone": "+86 571 8888 6666",
            }
        )
        country = self.env.ref("base.cn")
        self.assertEqual(both.phone_sanitized, "+8613700002222")
        partners._find_by_phone("13700002222", country)  # warm the caches
        with self.assertQueryCount(1):
            self.assertEqual(partners._find_by_phone("137 0000 2222", country), both)
        self.assertEqual(partners._find_by_phone("+86 571 8888 6666", country), both)
        self.assertFalse(partners._find_by_phone("+86 571 8888 0000", country))

    def test_customers_are_looked_up_by_index(self):
        """The customer of every order is searched by sanitized number and by
        normalized e-mail: both are indexed (a scan of the contacts
        otherwise, 17 ms an order with 100,000 of them)."""
        partners = self.env["res.partner"].with_context(active_test=False)
        # with no index, PostgreSQL has to scan anyway
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.addCleanup(self.env.cr.execute, "RESET enable_seqscan")
        for domain in (
            [("phone_sanitized", "in", ["+8613700002222"])],
            [("email_normalized", "in", ["wang.fang@example.com"])],
        ):
            query = partners._search(domain)
            self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
            plan = "\n".join(line for (line,) in self.env.cr.fetchall())
            self.assertNotIn("Seq Scan", plan, domain)

    def test_country_created_later_is_found(self):
        """The countries are read once per server; a country created since
        is found all the same."""
        self._intake([self._payload("C1")])
        self.env["res.country"].create({"name": "Foodland", "code": "QF"})
        customer = dict(
            self._payload()["customer"],
            phone="+44 20 7946 0000",
            email="foodland@example.com",
            country_code="qf",
        )
        [result] = self._intake([self._payload("C2", customer=customer)])
        order = self.env["sale.order"].browse(result["order_id"])
        self.assertEqual(order.partner_id.country_id.code, "QF")

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
