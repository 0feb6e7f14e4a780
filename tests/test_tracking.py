# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hand-over to the carrier (R16), carriers' transport events and the
Delivered stage (R12)."""

import base64
import math
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.models import INSERT_BATCH_SIZE
from odoo.tests import new_test_user, tagged

from .common import OrderCenterCommon

# a 1x1 PNG: the photo proof of a delivery
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
)


def t(minutes):
    """A UTC time string, ``minutes`` before now."""
    return fields.Datetime.to_string(fields.Datetime.now() - timedelta(minutes=minutes))


@tagged("post_install", "-at_install")
class TestTracking(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.logistics = cls.users["logistics"]
        cls.carrier_user = new_test_user(
            cls.env,
            login="foc_carrier_api",
            groups="food_order_center.group_carrier_integration",
        )
        product = cls.env["product.product"].create(
            {"name": "Test SF shipping", "type": "service"}
        )
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Test SF Express",
                "delivery_type": "fixed",
                "product_id": product.id,
                "tracking_url": "https://sf.example.com/track/<shipmenttrackingnumber>",
            }
        )
        cls.customer.mobile = "+86 139 0000 1111"
        cls.customer.email = "shanghai.restaurant@example.com"
        cls.Picking = cls.env["stock.picking"]
        cls.rice = cls._create_stocked_product("Rice 5 kg", "FOC-T-TRK", 1000)

    def _confirmed(self):
        order = self._create_order()
        order.action_confirm()
        return order

    def _handover(self, order, refs=("SF1001",), user=None, carrier=True):
        picking = order.picking_ids
        picking.with_user(user or self.logistics).action_food_handover(
            carrier_id=self.carrier.id if carrier else None,
            tracking_refs=list(refs),
        )
        return picking

    def _events(self, events, user=None):
        return self.Picking.with_user(user or self.logistics).record_tracking_events(
            events
        )

    # ---- hand-over -----------------------------------------------------------

    def test_handover_ships_and_sends_the_tracking_link(self):
        order = self._confirmed()
        picking = self._handover(order, ["SF1001"])
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.carrier_id, self.carrier)
        self.assertEqual(picking.carrier_tracking_ref, "SF1001")
        self.assertEqual(picking.food_handover_by_id, self.logistics)
        self.assertTrue(picking.food_handover_date)
        self.assertEqual(order.order_center_stage, "shipped")
        self.assertIn("https://sf.example.com/track/SF1001", order.food_tracking_links)
        notice = order.message_ids.filtered(
            lambda m: self.customer in m.partner_ids and m.message_type == "comment"
        )
        self.assertTrue(notice)
        self.assertIn("https://sf.example.com/track/SF1001", notice[0].body)
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(sms), 1)
        self.assertIn("https://sf.example.com/track/SF1001", sms.body)

    def test_handover_notice_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.customer.lang = "zh_CN"
        template = self.env.ref("food_order_center.mail_template_tracking_link")
        template.with_context(
            lang="zh_CN"
        ).subject = "您的订单 {{ object.sale_id.name }}"
        order = self._confirmed()
        self._handover(order)
        notice = order.message_ids.filtered(
            lambda m: self.customer in m.partner_ids and m.message_type == "comment"
        )
        self.assertEqual(notice.subject, f"您的订单 {order.name}")

    def test_no_sms_without_a_mobile_number(self):
        self.customer.mobile = False
        self._handover(self._confirmed())
        self.assertFalse(
            self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        )

    def test_only_logistics_hands_over(self):
        for role in ("processor", "inventory", "receiver", "aftersales"):
            order = self._confirmed()
            order.processor_id = self.processor
            with self.subTest(role=role), self.assertRaises(AccessError):
                self._handover(order, user=self.users[role])
            self.assertFalse(order.picking_ids.food_handover_date)
            self.assertNotEqual(order.picking_ids.state, "done")
        picking = self._handover(self._confirmed(), ["SF2001"], user=self.manager)
        self.assertEqual(picking.food_handover_by_id, self.manager)

    def test_handover_input_is_checked(self):
        order = self._confirmed()
        picking = order.picking_ids
        bad_inputs = [
            [],  # a carrier needs a tracking number
            ["SF 1001"],
            ["SF1001", "SF1001"],
            ["x" * 65],
            [42],
            ["SF1", "SF2"],  # two numbers, no packages
        ]
        for refs in bad_inputs:
            with self.subTest(refs=refs), self.assertRaises(UserError):
                picking.with_user(self.logistics).action_food_handover(
                    carrier_id=self.carrier.id, tracking_refs=refs
                )
        with self.assertRaises(UserError):
            picking.with_user(self.logistics).action_food_handover(
                carrier_id=999999, tracking_refs=["SF1001"]
            )
        self.assertFalse(picking.food_handover_date)
        self._handover(order, ["SF1001"])
        with self.assertRaises(UserError):  # once only
            self._handover(order, ["SF1002"])
        with self.assertRaises(UserError):  # numbers identify one delivery
            self._handover(self._confirmed(), ["SF1001"])

    def test_one_tracking_number_per_package(self):
        order = self._confirmed()
        picking = order.picking_ids
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
            picking.action_put_in_pack()
        packages = picking.move_line_ids.result_package_id.sorted("name")
        self.assertEqual(len(packages), 2)
        self._handover(order, ["SF3001", "SF3002"])
        self.assertEqual(packages.mapped("food_tracking_ref"), ["SF3001", "SF3002"])
        self.assertEqual(picking.carrier_tracking_ref, "SF3001, SF3002")
        self.assertIn("track/SF3002", picking.food_tracking_links)
        result = self._events(
            [{"tracking_ref": "SF3002", "status": "in_transit", "time": t(5)}]
        )
        self.assertEqual(result[0]["result"], "applied")
        self.assertEqual(result[0]["picking_id"], picking.id)

    def test_handover_fields_are_not_written_directly(self):
        picking = self._handover(self._confirmed())
        for vals in (
            {"food_transport_status": "delivered"},
            {"food_delivered_date": fields.Datetime.now()},
            {"food_handover_by_id": self.manager.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                picking.with_user(self.manager).write(vals)
        self.assertFalse(picking.food_transport_status)

    # ---- transport events ----------------------------------------------------

    def test_status_moves_forward_only_and_events_are_idempotent(self):
        order = self._confirmed()
        picking = self._handover(order, ["SF4001"])
        result = self._events(
            [
                {
                    "tracking_ref": "SF4001",
                    "status": "in_transit",
                    "time": t(60),
                    "event_id": "e1",
                    "location": "上海",
                },
                {
                    "tracking_ref": "SF4001",
                    "status": "out_for_delivery",
                    "time": t(30),
                    "event_id": "e2",
                },
            ]
        )
        self.assertEqual([r["result"] for r in result], ["applied", "applied"])
        self.assertEqual(picking.food_transport_status, "out_for_delivery")
        self.assertEqual(result[1]["order_name"], order.name)
        self.assertEqual(result[1]["order_center_stage"], "shipped")
        # the same event again, and a late older one
        result = self._events(
            [
                {
                    "tracking_ref": "SF4001",
                    "status": "out_for_delivery",
                    "time": t(30),
                    "event_id": "e2",
                },
                {
                    "tracking_ref": "SF4001",
                    "status": "in_transit",
                    "time": t(90),
                    "event_id": "e0",
                },
            ]
        )
        self.assertEqual([r["result"] for r in result], ["duplicate", "applied"])
        self.assertEqual(picking.food_transport_status, "out_for_delivery")
        self.assertEqual(len(picking.food_tracking_event_ids), 3)
        self.assertEqual(order.food_tracking_event_count, 3)
        # events without a carrier id are recognised by status and time
        event = {"tracking_ref": "SF4001", "status": "in_transit", "time": t(20)}
        self.assertEqual(self._events([event, event])[1]["result"], "duplicate")
        self.assertEqual(self._events([event])[0]["result"], "duplicate")
        self.assertEqual(picking.food_transport_status, "out_for_delivery")

    def test_delivered_moves_the_order_to_delivered(self):
        order = self._confirmed()
        self._handover(order, ["SF5001"])
        when = t(10)
        result = self._events(
            [{"tracking_ref": "SF5001", "status": "delivered", "time": when}]
        )
        self.assertEqual(result[0]["order_center_stage"], "delivered")
        self.assertEqual(order.order_center_stage, "delivered")
        self.assertEqual(fields.Datetime.to_string(order.food_delivered_date), when)
        # delivered is final
        self._events([{"tracking_ref": "SF5001", "status": "failed", "time": t(1)}])
        self.assertEqual(order.picking_ids.food_transport_status, "delivered")
        order._create_invoices()
        self.assertEqual(order.order_center_stage, "closed")

    def test_invoiced_order_closes_once_delivered(self):
        order = self._confirmed()
        self._handover(order, ["SF5101"])
        order._create_invoices()
        self.assertEqual(order.order_center_stage, "shipped")
        self._events([{"tracking_ref": "SF5101", "status": "delivered", "time": t(1)}])
        self.assertEqual(order.order_center_stage, "closed")

    def test_failed_delivery_opens_one_exception(self):
        order = self._confirmed()
        self._handover(order, ["SF6001"])
        self._events(
            [
                {
                    "tracking_ref": "SF6001",
                    "status": "failed",
                    "time": t(20),
                    "note": "客户不在",
                    "location": "杭州",
                },
            ]
        )
        exception = order.food_exception_ids.filtered(
            lambda e: e.exception_type == "delivery_failed"
        )
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.state, "open")
        self.assertIn("客户不在", exception.reason)
        self.assertEqual(order.order_center_stage, "exception")
        # the carrier tries again, fails again: still one open exception
        self._events(
            [
                {"tracking_ref": "SF6001", "status": "out_for_delivery", "time": t(10)},
                {"tracking_ref": "SF6001", "status": "returned", "time": t(5)},
            ]
        )
        self.assertEqual(order.picking_ids.food_transport_status, "returned")
        self.assertEqual(
            len(
                order.food_exception_ids.filtered(
                    lambda e: e.exception_type == "delivery_failed"
                )
            ),
            1,
        )

    def test_unknown_and_rejected_events(self):
        self._handover(self._confirmed(), ["SF7001"])
        result = self._events(
            [
                {"tracking_ref": "NOPE", "status": "in_transit", "time": t(5)},
                {"tracking_ref": "SF7001", "status": "lost", "time": t(5)},
                {"tracking_ref": "SF7001", "status": "in_transit", "time": "yesterday"},
                "not a dict",
                {"tracking_ref": "SF7001", "status": "in_transit", "time": t(5)},
            ]
        )
        self.assertEqual(
            [r["result"] for r in result],
            ["unknown", "rejected", "rejected", "rejected", "applied"],
        )
        self.assertEqual(result[0]["tracking_ref"], "NOPE")
        self.assertTrue(all(r["errors"] for r in result[:4]))
        self.assertEqual(result[4]["errors"], [])
        for r in result:
            self.assertNotIn(None, r.values())
        with self.assertRaises(UserError):
            self._events("not a list")
        with self.assertRaises(UserError):
            self._events([{}] * 1001)

    def test_who_records_events(self):
        self._handover(self._confirmed(), ["SF8001"])
        event = [{"tracking_ref": "SF8001", "status": "in_transit", "time": t(5)}]
        self.assertEqual(self._events(event, self.carrier_user)[0]["result"], "applied")
        for role in ("processor", "inventory", "receiver", "aftersales"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self._events(event, self.users[role])
        # the integration does nothing else
        for model in ("sale.order", "stock.picking", "food.tracking.event"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.carrier_user).search([])
        with self.assertRaises(AccessError):
            self.env["food.tracking.event"].with_user(self.logistics).create(
                {
                    "picking_id": self.env["stock.picking"].search([], limit=1).id,
                    "tracking_ref": "X",
                    "status": "delivered",
                    "event_time": fields.Datetime.now(),
                    "event_id": "x",
                }
            )
        # staff read the timeline
        events = self.env["food.tracking.event"].with_user(self.users["aftersales"])
        self.assertEqual(len(events.search([("tracking_ref", "=", "SF8001")])), 1)

    def test_staff_without_a_role_open_the_timeline(self):
        """Warehouse users and salesmen without an order-center role open the
        transfer and the order forms, which show the timeline, and record
        nothing."""
        order = self._confirmed()
        picking = self._handover(order, ["SF8101"])
        event = [{"tracking_ref": "SF8101", "status": "in_transit", "time": t(5)}]
        self._events(event, self.carrier_user)
        for groups, record in (
            ("stock.group_stock_user", picking),
            ("sales_team.group_sale_salesman_all_leads,stock.group_stock_user", order),
        ):
            with self.subTest(groups=groups):
                user = new_test_user(
                    self.env, login=f"foc_timeline_{record._name}", groups=groups
                )
                as_user = record.with_user(user)
                views = as_user.get_views([(False, "form")])
                self.assertIn("food_tracking_event_count", str(views))
                data = as_user.web_read(
                    {
                        "food_tracking_event_count": {},
                        "food_tracking_links": {},
                    }
                )
                self.assertEqual(data[0]["food_tracking_event_count"], 1)
                self.assertIn("SF8101", data[0]["food_tracking_links"])
                timeline = self.env["food.tracking.event"].with_user(user)
                domain = [("order_id", "=", order.id)]
                self.assertEqual(timeline.search_count(domain), 1)
                with self.assertRaises(AccessError):
                    self._events(event, user)

    # ---- own vans --------------------------------------------------------------

    def test_own_van_delivered_by_hand_with_a_proof(self):
        order = self._confirmed()
        picking = self._handover(order, [], carrier=False)
        self.assertTrue(picking.with_user(self.logistics).food_can_mark_delivered)
        with self.assertRaises(UserError):
            picking.with_user(self.logistics).action_food_mark_delivered()
        with self.assertRaises(AccessError):
            picking.with_user(self.processor).action_food_mark_delivered()
        self.env["ir.attachment"].create(
            {
                "name": "receipt.png",
                "datas": PNG,
                "res_model": "stock.picking",
                "res_id": picking.id,
            }
        )
        picking.with_user(self.logistics).action_food_mark_delivered()
        self.assertEqual(picking.food_transport_status, "delivered")
        self.assertEqual(order.order_center_stage, "delivered")
        self.assertTrue(order.food_delivered_date)
        event = picking.food_tracking_event_ids
        self.assertEqual(event.source, "manual")
        self.assertEqual(event.proof_attachment_id.name, "receipt.png")
        with self.assertRaises(UserError):  # once
            picking.with_user(self.logistics).action_food_mark_delivered()

    def test_carrier_delivery_not_marked_delivered_by_hand(self):
        picking = self._handover(self._confirmed(), ["SF9001"])
        self.env["ir.attachment"].create(
            {
                "name": "p.png",
                "datas": PNG,
                "res_model": "stock.picking",
                "res_id": picking.id,
            }
        )
        self.assertFalse(picking.with_user(self.logistics).food_can_mark_delivered)
        with self.assertRaises(UserError):
            picking.with_user(self.logistics).action_food_mark_delivered()

    # ---- found by the outside tests ------------------------------------------

    def test_events_that_cannot_be_stored_are_rejected(self):
        self._handover(self._confirmed(), ["SF9101"])
        good = {"tracking_ref": "SF9101", "status": "in_transit", "time": t(5)}
        bad = [
            {**good, "status": ["in_transit"]},
            {**good, "status": {"a": 1}},
            {**good, "note": "a\x00b"},
            {**good, "location": "\udc80"},
            {**good, "time": "0001-01-01 00:00:00"},
            {**good, "time": "\uff12\uff10\uff12\uff16-11-29 08:00:00"},
        ]
        results = self._events([*bad, good])
        self.assertEqual([r["result"] for r in results], ["rejected"] * 6 + ["applied"])
        for result in results[:6]:
            self.assertTrue(result["errors"])

    def test_events_only_for_the_callers_companies(self):
        other = self.env["res.company"].create({"name": "Other Food Co"})
        self.env.user.company_ids |= other
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", other.id)], limit=1
        )
        rice = self.rice.with_company(other)
        self.env["stock.quant"].with_company(other)._update_available_quantity(
            rice, warehouse.lot_stock_id, 10
        )
        order = (
            self.env["sale.order"]
            .with_company(other)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": other.id,
                    "warehouse_id": warehouse.id,
                    "order_line": [
                        (0, 0, {"product_id": rice.id, "product_uom_qty": 1})
                    ],
                }
            )
        )
        order.action_confirm()
        carrier = self.carrier.copy({"company_id": other.id})
        order.picking_ids.with_company(other).action_food_handover(
            carrier_id=carrier.id, tracking_refs=["OTHER001"]
        )
        event = [{"tracking_ref": "OTHER001", "status": "in_transit", "time": t(5)}]
        # the logistics coordinator works for the first company only
        try:
            results = (
                self.Picking.with_user(self.logistics)
                .with_context(allowed_company_ids=[other.id])
                .record_tracking_events(event)
            )
        except AccessError:
            results = [{"result": "refused"}]
        self.assertIn(results[0]["result"], ("unknown", "refused"))
        self.assertFalse(order.picking_ids.food_tracking_event_ids)

    def test_handed_over_tracking_numbers_do_not_change(self):
        order = self._create_order(lines=[(self.rice, 2)])
        order.action_confirm()
        picking = order.picking_ids
        package_ids = []
        for move in picking.move_ids:
            move.quantity = 2
            package = self.env["stock.quant.package"].create({})
            move.move_line_ids.result_package_id = package
            package_ids.append(package.id)
        picking.with_user(self.logistics).action_food_handover(
            carrier_id=self.carrier.id, tracking_refs=["SF9201"]
        )
        for user in (self.logistics, self.users["inventory"], self.env.user):
            for vals in ({"carrier_tracking_ref": "HIJACK"}, {"carrier_id": False}):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaises(UserError):
                        picking.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            self.env["stock.quant.package"].browse(package_ids).write(
                {"food_tracking_ref": "SF9201"}
            )
        self.assertEqual(picking.carrier_tracking_ref, "SF9201")

    def test_context_defaults_never_reach_the_guarded_fields(self):
        out_type = self.warehouse.out_type_id
        picking = (
            self.env["stock.picking"]
            .with_user(self.users["inventory"])
            .with_context(
                default_food_preship_state="passed",
                default_food_handover_date="2026-11-27 15:00:00",
                default_food_transport_status="delivered",
            )
            .create(
                {
                    "picking_type_id": out_type.id,
                    "location_id": out_type.default_location_src_id.id,
                    "location_dest_id": self.customer.property_stock_customer.id,
                    "partner_id": self.customer.id,
                }
            )
        )
        self.assertEqual(picking.food_preship_state, "to_check")
        self.assertFalse(picking.food_handover_date)
        self.assertFalse(picking.food_transport_status)

    def test_handover_input_edge_cases(self):
        picking = self._confirmed().picking_ids
        second = self._confirmed().picking_ids
        as_logistics = self.Picking.with_user(self.logistics)
        for records in (as_logistics, (picking | second).with_user(self.logistics)):
            with self.subTest(ids=records.ids), self.assertRaises(UserError):
                records.action_food_handover()
        with self.assertRaises(UserError):  # 0 is not "the transfer's carrier"
            picking.with_user(self.logistics).action_food_handover(
                carrier_id=0, tracking_refs=["SF9301"]
            )
        with self.assertRaises(UserError):  # the same number twice
            picking.with_user(self.logistics).action_food_handover(
                carrier_id=self.carrier.id, tracking_refs=["sf9302", "SF9302"]
            )
        self.assertFalse(picking.food_handover_date)
        with self.assertRaises(UserError):
            as_logistics.action_food_mark_delivered()
        with self.assertRaises(UserError):
            self.Picking.with_user(self.users["processor"]).action_food_preship_check()

    # ---- performance -----------------------------------------------------------

    def test_constant_queries_whatever_the_number_of_events(self):
        statuses = ["in_transit", "out_for_delivery"]

        def batch(prefix, count):
            refs = []
            for i in range(10):
                ref = f"{prefix}{i:03d}"
                order = self._create_order(lines=[(self.rice, 1)])
                order.action_confirm()
                self._handover(order, [ref])
                refs.append(ref)
            return [
                {
                    "tracking_ref": refs[n % 10],
                    "status": statuses[(n // 10) % 2]
                    if n < count - 10
                    else "out_for_delivery",
                    "time": t(2000 - n),
                    "event_id": f"{prefix}-{n}",
                    "location": "上海转运中心",
                }
                for n in range(count)
            ]

        def queries(events):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            result = self._events(events)
            self.env.flush_all()
            self.assertTrue(all(r["result"] == "applied" for r in result))
            return self.env.cr.sql_log_count - before

        queries(batch("QW", 10))  # warm-up: the caches of the first call
        small = queries(batch("QA", 10))
        large = queries(batch("QB", 1000))
        # the same queries, but the ORM inserts new rows 100 at a time
        insert_statements = math.ceil(1000 / INSERT_BATCH_SIZE)
        self.assertLessEqual(large, small + insert_statements)
