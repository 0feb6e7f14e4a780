# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The tracking API over real XML-RPC: bad events in a call with good ones,
no None in the answer, and a carrier integration that can do nothing else."""

import xmlrpc.client
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import Transport


def t(minutes):
    return fields.Datetime.to_string(fields.Datetime.now() - timedelta(minutes=minutes))


# (what is wrong, the event) — all in one call with good events
BAD_EVENTS = [
    ("event is a string", "SFRPC1 in_transit"),
    ("event is a list", ["SFRPC1", "in_transit"]),
    ("event is None", None),
    ("no tracking_ref", {"status": "in_transit", "time": t(5)}),
    (
        "tracking_ref is None",
        {"tracking_ref": None, "status": "in_transit", "time": t(5)},
    ),
    (
        "tracking_ref is a dict",
        {"tracking_ref": {"a": 1}, "status": "in_transit", "time": t(5)},
    ),
    (
        "tracking_ref too long",
        {"tracking_ref": "S" * 65, "status": "in_transit", "time": t(5)},
    ),
    ("unknown status", {"tracking_ref": "SFRPC1", "status": "lost", "time": t(5)}),
    ("status is None", {"tracking_ref": "SFRPC1", "status": None, "time": t(5)}),
    ("no time", {"tracking_ref": "SFRPC1", "status": "in_transit"}),
    (
        "time not UTC format",
        {
            "tracking_ref": "SFRPC1",
            "status": "in_transit",
            "time": "2026-01-01T10:00:00Z",
        },
    ),
    (
        "time is a number",
        {"tracking_ref": "SFRPC1", "status": "in_transit", "time": 1767225600},
    ),
    (
        "time in the future",
        {
            "tracking_ref": "SFRPC1",
            "status": "in_transit",
            "time": "2099-01-01 00:00:00",
        },
    ),
    (
        "impossible date",
        {
            "tracking_ref": "SFRPC1",
            "status": "in_transit",
            "time": "2026-02-30 10:00:00",
        },
    ),
    (
        "location too long",
        {
            "tracking_ref": "SFRPC1",
            "status": "in_transit",
            "time": t(5),
            "location": "x" * 129,
        },
    ),
    (
        "note is a list",
        {"tracking_ref": "SFRPC1", "status": "in_transit", "time": t(5), "note": ["a"]},
    ),
    (
        "event_id is a float",
        {
            "tracking_ref": "SFRPC1",
            "status": "in_transit",
            "time": t(5),
            "event_id": 1.5,
        },
    ),
    (
        "unknown field",
        {
            "tracking_ref": "SFRPC1",
            "status": "in_transit",
            "time": t(5),
            "picking_id": 1,
        },
    ),
]


@tagged("post_install", "-at_install")
class TestTrackingRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.food_auto_assign = False
        cls.carrier_user = new_test_user(
            cls.env,
            login="foc_rpc_carrier",
            groups="food_order_center.group_carrier_integration",
        )
        cls.logistics = new_test_user(
            cls.env,
            login="foc_rpc_logistics",
            groups="base.group_user,food_order_center.group_logistics_coordinator",
        )
        customer = cls.env["res.partner"].create(
            {"name": "南京测试餐厅", "country_id": cls.env.ref("base.cn").id}
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        product = cls.env["product.product"].create(
            {"name": "盐水鸭", "is_storable": True, "list_price": 58.0}
        )
        cls.env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 10
        )
        carrier_product = cls.env["product.product"].create(
            {"name": "RPC shipping", "type": "service"}
        )
        carrier = cls.env["delivery.carrier"].create(
            {
                "name": "RPC Express",
                "delivery_type": "fixed",
                "product_id": carrier_product.id,
                "tracking_url": "https://rpc.example.com/<shipmenttrackingnumber>",
            }
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 2})
                ],
            }
        )
        cls.order.action_confirm()
        cls.picking = cls.order.picking_ids
        cls.picking.with_user(cls.logistics).action_food_handover(
            carrier_id=carrier.id, tracking_refs=["SFRPC1"]
        )

    def setUp(self):
        super().setUp()
        # allow_none: to send None (the server must never answer None)
        self.rpc = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self.cr), allow_none=True
        )

    def _call(self, user, model, method, *args):
        return self.rpc.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, list(args), {}
        )

    def _assert_no_none(self, value):
        if isinstance(value, dict):
            for item in value.values():
                self._assert_no_none(item)
        elif isinstance(value, list):
            for item in value:
                self._assert_no_none(item)
        else:
            self.assertIsNotNone(value)

    def test_bad_events_rejected_good_ones_applied(self):
        good_first = {
            "tracking_ref": "SFRPC1",
            "status": "in_transit",
            "time": t(30),
            "event_id": "g1",
        }
        good_last = {
            "tracking_ref": "SFRPC1",
            "status": "delivered",
            "time": t(10),
            "event_id": "g2",
        }
        unknown = {"tracking_ref": "NOT-OURS", "status": "in_transit", "time": t(10)}
        events = (
            [good_first] + [event for _name, event in BAD_EVENTS] + [unknown, good_last]
        )
        results = self._call(
            self.carrier_user, "stock.picking", "record_tracking_events", events
        )
        self._assert_no_none(results)
        self.assertEqual(len(results), len(events))
        self.assertEqual(results[0]["result"], "applied")
        for (name, _event), result in zip(BAD_EVENTS, results[1:-2], strict=True):
            with self.subTest(name):
                self.assertEqual(result["result"], "rejected")
                self.assertTrue(result["errors"])
                self.assertFalse(result["picking_id"])
        self.assertEqual(results[-2]["result"], "unknown")
        self.assertEqual(results[-2]["tracking_ref"], "NOT-OURS")
        self.assertEqual(results[-1]["result"], "applied")
        self.assertEqual(results[-1]["order_name"], self.order.name)
        self.assertEqual(results[-1]["order_center_stage"], "delivered")
        self.assertEqual(
            set(results[-1]),
            {
                "tracking_ref",
                "result",
                "picking_id",
                "order_name",
                "order_center_stage",
                "errors",
            },
        )
        # again: duplicates, nothing moves
        again = self._call(
            self.carrier_user,
            "stock.picking",
            "record_tracking_events",
            [good_first, good_last],
        )
        self.assertEqual([r["result"] for r in again], ["duplicate", "duplicate"])
        self.assertEqual(len(self.picking.food_tracking_event_ids), 2)

    def test_carrier_integration_does_nothing_else(self):
        calls = [
            ("sale.order", "search_read", [], ["name"]),
            ("sale.order", "read", [self.order.id], ["name"]),
            ("stock.picking", "search_read", [], ["name"]),
            (
                "stock.picking",
                "write",
                [self.picking.id],
                {"carrier_tracking_ref": "X"},
            ),
            ("stock.picking", "action_food_handover", [self.picking.id]),
            ("food.tracking.event", "search_read", [], ["tracking_ref"]),
            ("food.tracking.event", "create", {"picking_id": self.picking.id}),
            ("sale.order", "intake_orders", []),
        ]
        for model, method, *args in calls:
            with self.subTest(model=model, method=method):
                with self.assertRaises(xmlrpc.client.Fault):
                    self._call(self.carrier_user, model, method, *args)
        self.assertEqual(self.picking.carrier_tracking_ref, "SFRPC1")

    def test_staff_cannot_forge_the_status(self):
        with self.assertRaises(xmlrpc.client.Fault):
            self._call(
                self.logistics,
                "stock.picking",
                "write",
                [self.picking.id],
                {"food_transport_status": "delivered"},
            )
        self.assertFalse(self.picking.food_transport_status)

    def test_expected_date_of_a_failed_delivery_over_rpc(self):
        processor = new_test_user(
            self.env,
            login="foc_rpc_processor",
            groups="base.group_user,food_order_center.group_order_processor",
        )
        self.order.processor_id = processor
        self._call(
            self.carrier_user,
            "stock.picking",
            "record_tracking_events",
            [{"tracking_ref": "SFRPC1", "status": "failed", "time": t(5)}],
        )
        exception = self.env["food.order.exception"].search(
            [
                ("order_id", "=", self.order.id),
                ("exception_type", "=", "delivery_failed"),
            ]
        )
        self.assertEqual(len(exception), 1)
        proposed = exception.expected_date
        self.assertTrue(proposed)
        past = fields.Date.to_string(fields.Date.today() - timedelta(days=1))
        for bad in (20261205, "2026-13-01", past, ["2026-12-05"], {"d": 1}):
            with self.subTest(bad=bad), self.assertRaises(xmlrpc.client.Fault) as fault:
                self._call(
                    processor,
                    "food.order.exception",
                    "action_confirm_expected_date",
                    exception.ids,
                    bad,
                )
            # a clear refusal (UserError), not a server error
            self.assertEqual(fault.exception.faultCode, 2)
        # the logistics coordinator does not promise dates to the customer
        with self.assertRaises(xmlrpc.client.Fault) as fault:
            self._call(
                self.logistics,
                "food.order.exception",
                "action_confirm_expected_date",
                exception.ids,
            )
        self.assertEqual(fault.exception.faultCode, 4)
        exception.invalidate_recordset()
        self.assertEqual(exception.expected_date, proposed)
        self.assertFalse(exception.date_confirmed_by_id)
        new_date = fields.Date.to_string(fields.Date.today() + timedelta(days=4))
        answer = self._call(
            processor,
            "food.order.exception",
            "action_confirm_expected_date",
            exception.ids,
            new_date,
        )
        self.assertIs(answer, True)
        exception.invalidate_recordset()
        self.assertEqual(fields.Date.to_string(exception.expected_date), new_date)
        self.assertEqual(exception.date_confirmed_by_id, processor)

    def test_documents_and_handover_answer_over_rpc(self):
        # the report action travels over XML-RPC (no None in it)
        for method in ("action_print_delivery_notes", "action_print_packing_lists"):
            with self.subTest(method=method):
                action = self._call(
                    self.logistics, "sale.order", method, [self.order.id]
                )
                self._assert_no_none(action)
                self.assertEqual(action["type"], "ir.actions.report")
        # one delivery at a time: a clear refusal, not a server error
        for ids in ([], [self.picking.id, self.picking.id + 100000]):
            with self.subTest(ids=ids), self.assertRaises(xmlrpc.client.Fault) as fault:
                self._call(self.logistics, "stock.picking", "action_food_handover", ids)
            self.assertEqual(fault.exception.faultCode, 2)
