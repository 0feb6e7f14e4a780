# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The case intake API over real XML-RPC: what a platform's or a call-center
tool's integration sends."""

import xmlrpc.client

from odoo import fields
from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tests.common import Transport
from odoo.tools import mute_logger

from ..models.helpdesk_ticket_intake_parse import (
    MAX_CASES_PER_CALL,
    MAX_LINES_PER_CASE,
)
from ..models.sale_order_intake_parse import MAX_TEXT_LENGTH
from .common import create_open_cases
from .test_intake import find_none

PLATFORM = "rpc_case_mall"
LOGIN = "foc_rpc_cases"
OMIT = object()  # a key left out of the case
RESULT_KEYS = {
    "external_ref",
    "result",
    "case_id",
    "case_number",
    "response_deadline",
    "resolution_deadline",
    "errors",
}


def case(ref, **values):
    """A valid platform case, changed by ``values``."""
    payload = {
        "channel": "platform",
        "platform": PLATFORM,
        "external_ref": ref,
        "order_ref": "RPC-ORDER-1",
        "customer": {"name": "李娜", "phone": "+86 139 0000 7777"},
        "case_type": "complaint",
        "description": f"RPC rejected {ref}",
        "lines": [line()],
    }
    payload.update(values)
    return {key: value for key, value in payload.items() if value is not OMIT}


def line(**values):
    data = {"product_code": "FOC-RPC-C1", "lot": "RPC-LOT-1", "qty": 2}
    data.update(values)
    return data


# (label, case sent, part of the error expected)
BAD_CASES = [
    ("case is a string", "C-1", "must be an object"),
    ("case is None", None, "must be an object"),
    ("case is a list", ["platform"], "must be an object"),
    ("no channel", case("B-01", channel=OMIT), "channel is missing"),
    ("unknown channel", case("B-02", channel="pigeon"), "Unknown channel"),
    ("channel of the orders", case("B-03", channel="online_platform"), "Unknown"),
    ("channel is a list", case("B-04", channel=["email"]), "Unknown channel"),
    ("platform case without ref", case(OMIT), "Platform cases need their"),
    ("external_ref blank", case("  "), "Platform cases need their external_ref"),
    ("external_ref is a dict", case({"id": 1}), "external_ref must be a string"),
    ("external_ref too long", case("R" * 129), "external_ref is too long"),
    ("platform case without platform", case("B-05", platform=OMIT), "code of"),
    ("unknown platform", case("B-06", platform="nope"), "Unknown platform"),
    ("platform is a list", case("B-07", platform=[PLATFORM]), "platform must be"),
    (
        "external_ref without platform",
        case("B-08", channel="hotline", platform=OMIT),
        "only accepted with the platform",
    ),
    ("no order_ref", case("B-09", order_ref=OMIT), "order_ref is missing"),
    ("order_ref is a list", case("B-10", order_ref=["S1"]), "order_ref must be a"),
    ("unknown order", case("B-11", order_ref="NOPE-1"), "Unknown order"),
    ("customer is a string", case("B-12", customer="李娜"), "customer must be an"),
    (
        "customer phone is a boolean",
        case("B-13", customer={"phone": True}),
        "customer.phone must be a string",
    ),
    (
        "customer name too long",
        case("B-14", customer={"name": "名" * 129}),
        "customer.name is too long",
    ),
    ("no case_type", case("B-15", case_type=OMIT), "case_type is missing"),
    ("unknown case_type", case("B-16", case_type="praise"), "Unknown case_type"),
    ("case_type is a number", case("B-17", case_type=3), "Unknown case_type"),
    ("no description", case("B-18", description=OMIT), "description of the case"),
    ("description blank", case("B-19", description="  "), "description of the"),
    ("description is a dict", case("B-20", description={"a": 1}), "must be a"),
    (
        "description too long",
        case("B-21", description="x" * (MAX_TEXT_LENGTH + 1)),
        "description is too long",
    ),
    ("lines is a string", case("B-22", lines="FOC-RPC-C1"), "lines must be a list"),
    (
        "too many lines",
        case("B-23", lines=[line()] * (MAX_LINES_PER_CASE + 1)),
        f"at most {MAX_LINES_PER_CASE}",
    ),
    ("line is a number", case("B-24", lines=[7]), "Line 1 must be an object"),
    (
        "line without product",
        case("B-25", lines=[{"qty": 1}]),
        "product_code or barcode is required",
    ),
    (
        "unknown product",
        case("B-26", lines=[line(), line(product_code="NOPE")]),
        "Line 2: unknown product",
    ),
    (
        "unknown lot",
        case("B-27", lines=[line(lot="NO-SUCH-LOT")]),
        "Line 1: unknown lot",
    ),
    ("lot is a list", case("B-28", lines=[line(lot=["L"])]), "lot must be a string"),
    ("qty is text", case("B-29", lines=[line(qty="2")]), "qty must be a number"),
    ("qty NaN", case("B-30", lines=[line(qty=float("nan"))]), "finite"),
    ("qty negative", case("B-31", lines=[line(qty=-1)]), "greater than 0"),
    ("qty absurd", case("B-32", lines=[line(qty=1e9)]), "between 0 and"),
    ("same external_ref twice in the batch", case("OK-1"), "sent twice"),
]


@tagged("post_install", "-at_install")
class TestCasesRpc(HttpCase):
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
        cls.aftersales = new_test_user(
            cls.env,
            login="foc_rpc_aftersales",
            password="foc_rpc_aftersales",
            groups="base.group_user,food_order_center.group_aftersales",
        )
        cls.inventory = new_test_user(
            cls.env,
            login="foc_rpc_inventory",
            password="foc_rpc_inventory",
            groups="base.group_user,food_order_center.group_inventory_manager",
        )
        cls.platform = cls.env["food.sales.platform"].create(
            {"name": "RPC Case Mall", "code": PLATFORM}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "RPC chili sauce",
                "default_code": "FOC-RPC-C1",
                "barcode": "6900000000994",
                "type": "consu",
                "is_storable": True,
                "tracking": "lot",
            }
        )
        cls.env["stock.lot"].create({"name": "RPC-LOT-1", "product_id": cls.product.id})
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "杭州测试餐厅",
                "phone": "+86 139 0000 8888",
                "email": "rpc-case@example.com",
                "country_id": cls.env.ref("base.cn").id,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "李娜",
                "parent_id": cls.customer.id,
                "phone": "+86 139 0000 7777",
            }
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "platform_id": cls.platform.id,
                "intake_channel": "online_platform",
                "external_ref": "RPC-ORDER-1",
                "order_line": [
                    (0, 0, {"product_id": cls.product.id, "product_uom_qty": 3})
                ],
            }
        )

    def setUp(self):
        super().setUp()
        # allow_none: to send None (the server must never answer None)
        self.rpc = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self.cr), allow_none=True
        )

    def _intake(self, cases, login=LOGIN, user=None):
        results = self.rpc.execute_kw(
            get_db_name(),
            (user or self.api_user).id,
            login,
            "helpdesk.ticket",
            "intake_cases",
            [cases],
        )
        self.env.invalidate_all()
        return results

    def test_bad_cases_are_rejected_the_others_created(self):
        self.assertGreaterEqual(len(BAD_CASES), 30)
        valid = [
            case("OK-1"),
            {
                "channel": "hotline",
                "order_ref": self.order.name,
                "case_type": "inquiry",
                "description": "When will it arrive?",
                "customer": None,
                "lines": None,
            },
        ]
        batch = valid[:1] + [payload for _label, payload, _error in BAD_CASES]
        batch += valid[1:]
        cases_before = self.env["helpdesk.ticket"].search_count([])
        lines_before = self.env["food.case.line"].search_count([])
        results = self._intake(batch)

        self.assertEqual(len(results), len(batch))
        self.assertEqual(find_none(results), [])
        for result in results:
            self.assertEqual(set(result), RESULT_KEYS)
        created = [results[0], results[-1]]
        for result in created:
            self.assertEqual(result["result"], "created", result)
            # the deadlines of the case's policy, as UTC texts
            ticket = self.env["helpdesk.ticket"].browse(result["case_id"])
            self.assertEqual(
                result["response_deadline"],
                fields.Datetime.to_string(ticket.food_response_deadline) or False,
            )
            self.assertEqual(
                result["resolution_deadline"],
                fields.Datetime.to_string(ticket.food_resolution_deadline) or False,
            )
            self.assertEqual(result["errors"], [])
            self.assertIsInstance(result["case_id"], int)
            self.assertTrue(result["case_number"])
        self.assertEqual(created[0]["external_ref"], "OK-1")
        self.assertEqual(created[1]["external_ref"], "")
        for (label, _payload, error), result in zip(
            BAD_CASES, results[1:-1], strict=True
        ):
            with self.subTest(label):
                self.assertEqual(result["result"], "rejected")
                self.assertTrue(
                    any(error in message for message in result["errors"]),
                    f"{label}: {error!r} not in {result['errors']}",
                )
                self.assertIs(result["case_id"], False)
                self.assertIs(result["case_number"], False)
                self.assertIsInstance(result["external_ref"], str)
        # nothing was written for the rejected cases
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), cases_before + 2)
        self.assertEqual(self.env["food.case.line"].search_count([]), lines_before + 1)
        self.assertFalse(
            self.env["helpdesk.ticket"].search(
                [("description", "ilike", "RPC rejected B")]
            )
        )
        platform_case = self.env["helpdesk.ticket"].browse(created[0]["case_id"])
        self.assertEqual(platform_case.food_case_channel, "platform")
        self.assertEqual(platform_case.food_case_type, "complaint")
        self.assertEqual(platform_case.food_order_id, self.order)
        self.assertEqual(platform_case.food_platform_id, self.platform)
        self.assertEqual(platform_case.food_external_ref, "OK-1")
        # the contact who called is the customer's, found by phone
        self.assertEqual(platform_case.partner_id, self.contact)
        self.assertEqual(platform_case.food_line_ids.lot_id.name, "RPC-LOT-1")
        self.assertEqual(platform_case.food_line_ids.quantity, 2)
        self.assertFalse(platform_case.user_id)
        hotline_case = self.env["helpdesk.ticket"].browse(created[1]["case_id"])
        self.assertEqual(hotline_case.food_case_channel, "hotline")
        self.assertEqual(hotline_case.partner_id, self.customer)
        self.assertFalse(hotline_case.food_line_ids)

    def test_duplicates_and_integration_reads_nothing(self):
        first = self._intake([case("DUP-1"), case("DUP-2", lines=[])])
        self.assertEqual([r["result"] for r in first], ["created", "created"])
        again = self._intake([case("DUP-2", description="sent again"), case("DUP-3")])
        self.assertEqual(find_none(again), [])
        self.assertEqual([r["result"] for r in again], ["duplicate", "created"])
        self.assertEqual(again[0]["case_id"], first[1]["case_id"])
        self.assertEqual(again[0]["case_number"], first[1]["case_number"])
        self.assertEqual(again[0]["errors"], [])
        self.assertEqual(
            self.env["helpdesk.ticket"].search_count(
                [("food_external_ref", "=", "DUP-2")]
            ),
            1,
        )
        # the integration sends cases, it reads none of them
        case_id = first[0]["case_id"]
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as caught:
            self.rpc.execute_kw(
                get_db_name(),
                self.api_user.id,
                LOGIN,
                "helpdesk.ticket",
                "read",
                [[case_id], ["name", "description"]],
            )
        self.assertEqual(caught.exception.faultCode, 4)  # AccessError
        self.assertFalse(
            self.env["helpdesk.ticket"].browse(case_id).message_partner_ids
            & self.api_user.partner_id
        )

    def test_platform_order_reference_of_several_platforms(self):
        other_platform = self.env["food.sales.platform"].create(
            {"name": "RPC Other Mall", "code": "rpc_other_mall"}
        )
        other_order = self.order.copy(
            {"platform_id": other_platform.id, "external_ref": "RPC-ORDER-1"}
        )
        hotline = {
            "channel": "hotline",
            "order_ref": "RPC-ORDER-1",
            "case_type": "return",
            "description": "Wrong product delivered",
        }
        results = self._intake([hotline, dict(hotline, platform="rpc_other_mall")])
        self.assertEqual(find_none(results), [])
        self.assertEqual(results[0]["result"], "rejected")
        self.assertIn("several platforms", results[0]["errors"][0])
        self.assertEqual(results[1]["result"], "created", results[1])
        created = self.env["helpdesk.ticket"].browse(results[1]["case_id"])
        self.assertEqual(created.food_order_id, other_order)
        self.assertEqual(created.food_platform_id, other_platform)
        self.assertFalse(created.food_external_ref)

    def test_who_may_send_cases(self):
        [result] = self._intake(
            [case("STAFF-1")], login="foc_rpc_aftersales", user=self.aftersales
        )
        self.assertEqual(result["result"], "created", result)
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as caught:
            self._intake(
                [case("INV-1")], login="foc_rpc_inventory", user=self.inventory
            )
        self.assertIn("after-sales staff", caught.exception.faultString)
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("food_external_ref", "=", "INV-1")])
        )

    def test_too_many_cases_in_one_call(self):
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as caught:
            self._intake([case(f"M-{i}") for i in range(MAX_CASES_PER_CALL + 1)])
        self.assertIn(
            f"at most {MAX_CASES_PER_CALL} cases per call", caught.exception.faultString
        )
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault):
            self._intake({"channel": "platform"})

    def _open_cases(self, count, prefix):
        create_open_cases(self.env, count, prefix, self.order, self.platform)
        # what a commit does with them is not the next call's work
        self.env.cr.flush()

    def _count_queries(self, cases):
        before = self.cr.sql_log_count
        results = self._intake(cases)
        count = self.cr.sql_log_count - before
        self.assertEqual(
            [r["result"] for r in results], ["created"] * len(cases), results
        )
        return count

    def test_queries_do_not_grow_with_open_cases(self):
        def batch(prefix):
            return [
                case(f"{prefix}-{index}", lines=[line(), line(barcode="6900000000994")])
                for index in range(5)
            ] + [case(f"{prefix}-DUP")]

        self._open_cases(10, "OPEN-A")
        self._count_queries(batch("WARM"))  # caches of the first call
        few = self._count_queries(batch("FEW"))
        self._open_cases(990, "OPEN-B")
        many = self._count_queries(batch("MANY"))
        self.assertEqual(many, few)
