# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The intake API over real XML-RPC: what a platform's integration sends."""

import xmlrpc.client

from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tests.common import Transport
from odoo.tools import mute_logger

from ..models.sale_order_intake_parse import (
    MAX_LINES_PER_ORDER,
    MAX_ORDERS_PER_CALL,
    MAX_TEXT_LENGTH,
)
from .test_intake import find_none

PLATFORM = "rpc_fresh_mall"
LOGIN = "foc_rpc_api"
OMIT = object()  # a key left out of the order


def order(ref, **values):
    """A valid platform order, changed by ``values``."""
    payload = {
        "channel": "online_platform",
        "platform": PLATFORM,
        "external_ref": ref,
        "customer": customer(f"RPC rejected {ref}"),
        "lines": [line()],
    }
    payload.update(values)
    return {key: value for key, value in payload.items() if value is not OMIT}


def customer(name, **values):
    data = {
        "name": name,
        "phone": "+86 139 0000 2222",
        "email": "rpc-rejected@example.com",
        "street": "人民路 8 号",
        "city": "杭州",
        "zip": "310000",
        "country_code": "CN",
    }
    data.update(values)
    return data


def line(**values):
    data = {"product_code": "FOC-RPC-1", "qty": 2}
    data.update(values)
    return data


# (label, order sent, part of the error expected): sent over XML-RPC, with
# allow_none, doubles for NaN and infinities (1e400 is read as infinity)
BAD_ORDERS = [
    ("order is a string", "TM-1", "must be an object"),
    ("order is a list", ["online_platform"], "must be an object"),
    ("order is None", None, "must be an object"),
    ("order is a number", 42, "must be an object"),
    ("no channel", order("B-01", channel=OMIT), "channel is missing"),
    ("channel is None", order("B-01b", channel=None), "channel is missing"),
    ("unknown channel", order("B-02", channel="pigeon"), "Unknown channel"),
    ("channel is a list", order("B-03", channel=["phone"]), "Unknown channel"),
    ("channel is a dict", order("B-04", channel={"a": 1}), "Unknown channel"),
    (
        "platform order without external_ref",
        order(OMIT),
        "Platform orders need their external_ref",
    ),
    ("external_ref is None", order(None), "Platform orders need their external_ref"),
    ("external_ref blank", order("   "), "Platform orders need their external_ref"),
    ("external_ref is a list", order(["B-05"]), "external_ref must be a string"),
    ("external_ref is a dict", order({"id": 5}), "external_ref must be a string"),
    ("external_ref is a boolean", order(True), "external_ref must be a string"),
    ("external_ref is a float", order(6.5), "external_ref must be a string"),
    ("external_ref too long", order("R" * 129), "external_ref is too long"),
    ("unknown platform", order("B-07", platform="nope"), "Unknown platform"),
    (
        "platform order without platform",
        order("B-08", platform=""),
        "need the code of their platform",
    ),
    ("platform is a list", order("B-09", platform=[PLATFORM]), "platform must be"),
    (
        "platform on a phone order",
        order("B-10", channel="phone"),
        "only allowed with the online_platform channel",
    ),
    ("no customer", order("B-11", customer=OMIT), "customer must be an object"),
    ("customer is None", order("B-11b", customer=None), "customer must be an object"),
    ("customer is a string", order("B-12", customer="李娜"), "customer must be"),
    ("customer is a list", order("B-13", customer=["李娜"]), "customer must be"),
    ("empty customer", order("B-14", customer={}), "needs a name, a phone or"),
    (
        "customer's name, phone and e-mail are None",
        order("B-14b", customer={"name": None, "phone": None, "email": None}),
        "needs a name, a phone or",
    ),
    (
        "customer with an address only",
        order("B-15", customer={"street": "人民路 8 号", "city": "杭州"}),
        "needs a name, a phone or",
    ),
    (
        "customer name is a list",
        order("B-16", customer=customer(["李娜"])),
        "customer.name must be a string",
    ),
    (
        "customer name is a dict",
        order("B-17", customer=customer({"zh": "李娜"})),
        "customer.name must be a string",
    ),
    (
        "customer phone is a boolean",
        order("B-18", customer=customer("B-18", phone=True)),
        "customer.phone must be a string",
    ),
    (
        "customer e-mail is a float",
        order("B-19", customer=customer("B-19", email=1.5)),
        "customer.email must be a string",
    ),
    (
        "customer country is a list",
        order("B-20", customer=customer("B-20", country_code=["CN"])),
        "customer.country_code must be a string",
    ),
    (
        "customer name too long",
        order("B-21", customer=customer("名" * 129)),
        "customer.name is too long",
    ),
    (
        "customer street too long",
        order("B-22", customer=customer("B-22", street="路" * 257)),
        "customer.street is too long",
    ),
    (
        "platform customer id is a dict",
        order("B-23", customer=customer("B-23", platform_customer_id={"id": 1})),
        "customer.platform_customer_id must be a string",
    ),
    ("no lines", order("B-24", lines=OMIT), "has no lines"),
    ("lines is None", order("B-24b", lines=None), "has no lines"),
    ("empty lines", order("B-25", lines=[]), "has no lines"),
    ("lines is a dict", order("B-26", lines={"qty": 1}), "lines must be a list"),
    ("lines is a string", order("B-27", lines="FOC-RPC-1"), "lines must be a list"),
    (
        "too many lines",
        order("B-28", lines=[line()] * (MAX_LINES_PER_ORDER + 1)),
        f"at most {MAX_LINES_PER_ORDER}",
    ),
    ("line is a string", order("B-29", lines=["FOC-RPC-1"]), "Line 1 must be an"),
    (
        "unknown product",
        order("B-30", lines=[line(), line(product_code="NOPE")]),
        "Line 2: unknown product",
    ),
    (
        "line without product",
        order("B-31", lines=[{"qty": 1}]),
        "product_code or barcode is required",
    ),
    (
        "product code is a list",
        order("B-32", lines=[line(product_code=["FOC-RPC-1"])]),
        "product_code must be a string",
    ),
    (
        "barcode is a dict",
        order("B-33", lines=[{"barcode": {"ean": "1"}, "qty": 1}]),
        "barcode must be a string",
    ),
    (
        "no quantity",
        order("B-34", lines=[{"product_code": "FOC-RPC-1"}]),
        "qty must be a number",
    ),
    ("quantity is text", order("B-35", lines=[line(qty="2")]), "qty must be a number"),
    ("quantity is a boolean", order("B-36", lines=[line(qty=True)]), "qty must be a"),
    ("quantity is a list", order("B-37", lines=[line(qty=[2])]), "qty must be a"),
    ("quantity NaN", order("B-38", lines=[line(qty=float("nan"))]), "finite"),
    ("quantity infinity", order("B-39", lines=[line(qty=float("inf"))]), "finite"),
    ("quantity -infinity", order("B-40", lines=[line(qty=float("-inf"))]), "finite"),
    ("quantity 1e400", order("B-41", lines=[line(qty=1e400)]), "finite"),
    ("quantity 0", order("B-42", lines=[line(qty=0)]), "greater than 0"),
    ("quantity negative", order("B-43", lines=[line(qty=-2)]), "greater than 0"),
    ("quantity absurd", order("B-44", lines=[line(qty=1e7)]), "between 0 and"),
    ("price NaN", order("B-45", lines=[line(price_unit=float("nan"))]), "finite"),
    ("price infinity", order("B-46", lines=[line(price_unit=1e400)]), "finite"),
    ("price negative", order("B-47", lines=[line(price_unit=-1)]), "between 0 and"),
    ("price absurd", order("B-48", lines=[line(price_unit=1e15)]), "between 0 and"),
    ("price is text", order("B-49", lines=[line(price_unit="9.9")]), "price_unit"),
    ("price is a boolean", order("B-50", lines=[line(price_unit=False)]), "number"),
    (
        "line note is a list",
        order("B-51", lines=[line(note=["少辣"])]),
        "Line 1: note must be a string",
    ),
    (
        "line note too long",
        order("B-52", lines=[line(note="辣" * (MAX_TEXT_LENGTH + 1))]),
        "note is too long",
    ),
    ("urgent is text", order("B-53", urgent="yes"), "urgent must be true or false"),
    ("custom is a number", order("B-54", custom=1), "custom must be true or false"),
    (
        "requested date is text",
        order("B-55", requested_date="next monday"),
        "is not a date",
    ),
    (
        "requested date out of range",
        order("B-56", requested_date="2026-13-45"),
        "is not a date",
    ),
    (
        "requested date is a number",
        order("B-57", requested_date=20260105),
        "requested_date must be a string",
    ),
    (
        "requested date is a list",
        order("B-58", requested_date=["2026-01-05"]),
        "requested_date must be a string",
    ),
    ("note is a dict", order("B-59", note={"text": "x"}), "note must be a string"),
    (
        "note too long",
        order("B-60", note="x" * (MAX_TEXT_LENGTH + 1)),
        "note is too long",
    ),
    (
        "custom requirements is a list",
        order("B-61", custom=True, custom_requirements=["no salt"]),
        "custom_requirements must be a string",
    ),
    ("same external_ref twice in the batch", order("OK-1"), "sent twice"),
]


@tagged("post_install", "-at_install")
class TestIntakeRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.env.company.food_auto_assign = False
        cls.api_user = new_test_user(
            cls.env,
            login=LOGIN,
            password=LOGIN,
            groups="food_order_center.group_order_intake",
        )
        cls.manager = new_test_user(
            cls.env,
            login="foc_rpc_manager",
            groups="base.group_user,food_order_center.group_order_center_manager",
        )
        cls.platform = cls.env["food.sales.platform"].create(
            {"name": "RPC Fresh Mall", "code": PLATFORM}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "RPC dumplings",
                "default_code": "FOC-RPC-1",
                "type": "consu",
                "list_price": 10.0,
            }
        )

    def setUp(self):
        super().setUp()
        # allow_none: to send None (the server must never answer None)
        self.rpc = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self.cr), allow_none=True
        )

    def _intake(self, orders, context=None):
        kwargs = {"context": context} if context else {}
        results = self.rpc.execute_kw(
            get_db_name(),
            self.api_user.id,
            LOGIN,
            "sale.order",
            "intake_orders",
            [orders],
            kwargs,
        )
        self.env.invalidate_all()
        return results

    def _valid(self, ref, name, phone):
        return order(
            ref,
            customer=customer(name, phone=phone, email=f"{ref.lower()}@example.com"),
        )

    def test_bad_orders_are_rejected_the_others_created(self):
        self.assertGreaterEqual(len(BAD_ORDERS), 40)
        valid = [
            self._valid("OK-1", "李娜", "+86 139 0000 3333"),
            order(
                "OK-2",
                channel="phone",
                platform=None,
                external_ref=OMIT,
                customer=customer("王先生", phone="+86 139 0000 4444", email=None),
                lines=[line(qty=1.5, price_unit=9.5, note="少辣")],
                urgent=True,
                requested_date="2099-01-05 10:00:00",
            ),
        ]
        batch = valid[:1] + [payload for _label, payload, _error in BAD_ORDERS]
        batch += valid[1:]
        partners_before = self.env["res.partner"].search_count([])
        orders_before = self.env["sale.order"].search_count([])
        results = self._intake(batch)

        self.assertEqual(len(results), len(batch))
        self.assertEqual(find_none(results), [])
        created = [results[0], results[-1]]
        for result in created:
            self.assertEqual(result["result"], "created", result)
            self.assertEqual(result["errors"], [])
            self.assertIsInstance(result["order_id"], int)
        self.assertEqual(created[0]["external_ref"], "OK-1")
        self.assertEqual(created[1]["external_ref"], "")
        for (label, _payload, error), result in zip(
            BAD_ORDERS, results[1:-1], strict=True
        ):
            with self.subTest(label):
                self.assertEqual(result["result"], "rejected")
                self.assertTrue(
                    any(error in message for message in result["errors"]),
                    f"{label}: {error!r} not in {result['errors']}",
                )
                self.assertIs(result["order_id"], False)
                self.assertIs(result["order_name"], False)
                self.assertIs(result["verification_state"], False)
                self.assertEqual(result["problems"], [])
                self.assertIsInstance(result["external_ref"], str)
        # nothing was written for the rejected orders
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before + 2)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before + 2)
        self.assertFalse(
            self.env["res.partner"].search([("name", "like", "RPC rejected")])
        )
        phone_order = self.env["sale.order"].browse(created[1]["order_id"])
        self.assertEqual(phone_order.intake_channel, "phone")
        self.assertEqual(phone_order.urgency, "urgent")
        self.assertEqual(phone_order.order_line.price_unit, 9.5)
        self.assertEqual(phone_order.order_line.product_uom_qty, 1.5)
        # the external_ref of the results: as sent, "" when no string
        by_label = dict(
            zip([label for label, *_rest in BAD_ORDERS], results[1:-1], strict=True)
        )
        self.assertEqual(by_label["external_ref blank"]["external_ref"], "   ")
        self.assertEqual(by_label["unknown platform"]["external_ref"], "B-07")
        for label in (
            "external_ref is a list",
            "external_ref is None",
            "order is None",
        ):
            self.assertEqual(by_label[label]["external_ref"], "", label)

    def test_too_many_orders_in_one_call(self):
        orders_before = self.env["sale.order"].search_count([])
        batch = [
            order(f"MANY-{index}", customer=customer("x", email=None))
            for index in range(MAX_ORDERS_PER_CALL + 1)
        ]
        with (
            mute_logger("odoo.http"),
            self.assertRaises(xmlrpc.client.Fault) as caught,
        ):
            self._intake(batch)
        self.assertIn(
            f"at most {MAX_ORDERS_PER_CALL} orders per call",
            caught.exception.faultString,
        )
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before)

    def test_known_customer_other_delivery_address(self):
        [first] = self._intake([self._valid("ADDR-1", "李娜", "+86 139 0000 5555")])
        partner = self.env["sale.order"].browse(first["order_id"]).partner_id
        moved = order(
            "ADDR-2",
            customer=customer(
                "李娜",
                phone="139 0000 5555",
                email=None,
                street="延安路 100 号",
                zip="310006",
            ),
        )
        again = order(
            "ADDR-3",
            customer=customer(
                "李娜",
                phone="13900005555",
                email=None,
                street="延安路100号 ",
                zip="310006",
            ),
        )
        results = self._intake([moved, again])
        self.assertEqual(find_none(results), [])
        self.assertEqual([r["result"] for r in results], ["created", "created"])
        orders = self.env["sale.order"].browse([r["order_id"] for r in results])
        self.assertEqual(orders.partner_id, partner)
        delivery = orders.partner_shipping_id
        self.assertEqual(len(delivery), 1)
        self.assertEqual(delivery.parent_id, partner)
        self.assertEqual(delivery.type, "delivery")
        self.assertEqual(delivery.street, "延安路 100 号")
        self.assertEqual(partner.street, "人民路 8 号")
        for result in results:
            self.assertNotIn("address", {p["type"] for p in result["problems"]})

    def test_context_defaults_are_ignored(self):
        context = {
            "default_user_id": self.manager.id,
            "default_note": "from the caller's context",
            "default_partner_shipping_id": self.manager.partner_id.id,
            "default_client_order_ref": "FROM-CONTEXT",
            "default_origin": "from the context",
            "default_discount": 50,
            "default_type": "invoice",
            "default_parent_id": self.manager.partner_id.id,
            "default_processor_id": self.manager.id,
            "default_verification_state": "verified",
        }
        [result] = self._intake(
            [self._valid("CTX-1", "赵女士", "+86 139 0000 6666")], context=context
        )
        self.assertEqual(result["result"], "created", result)
        sale = self.env["sale.order"].browse(result["order_id"])
        self.assertNotEqual(sale.user_id, self.manager)
        self.assertFalse(sale.note)
        self.assertFalse(sale.origin)
        self.assertFalse(sale.processor_id)
        self.assertEqual(sale.client_order_ref, "CTX-1")
        self.assertEqual(sale.partner_shipping_id, sale.partner_id)
        self.assertEqual(sale.order_line.discount, 0)
        self.assertEqual(sale.partner_id.type, "contact")
        self.assertFalse(sale.partner_id.parent_id)
