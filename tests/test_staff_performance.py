# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Staff performance (food.staff.performance) and evaluations
(food.staff.evaluation): each measure against numbers worked out by hand on
a crafted set of orders, deliveries, stock-outs and cases (dates set in
SQL), who sees which rows, the freezing of evaluations, and the figures a
manager reads over XML-RPC."""

import xmlrpc.client
from datetime import date, datetime, timedelta
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tests.common import Transport
from odoo.tools import mute_logger

from .common import ROLE_GROUPS, create_role_users, deliver_order
from .test_intake import find_none

# a Monday; every fact below happens in March 2025 unless said otherwise
T0 = datetime(2025, 3, 3, 9, 0, 0)
MARCH = (date(2025, 3, 1), date(2025, 3, 31))


def at(hours):
    return T0 + timedelta(hours=hours)


MEASURES = [
    "orders_entered:sum",
    "verify_hours:avg",
    "clarification_rounds:avg",
    "orders_processed:sum",
    "on_time_rate:avg",
    "stockout_hours:avg",
    "deliveries_handed_over:sum",
    "shipped_on_time_rate:avg",
    "case_count:sum",
    "response_hours:avg",
    "resolution_hours:avg",
    "satisfaction:avg",
]


@tagged("post_install", "-at_install")
class TestStaffPerformance(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env.company.food_auto_assign = False
        cls.users = create_role_users(env, "foc_perf", password=True)
        cls.receiver = cls.users["receiver"]
        cls.processor = cls.users["processor"]
        cls.logistics = cls.users["logistics"]
        cls.aftersales = cls.users["aftersales"]
        cls.manager = cls.users["manager"]
        cls.processor_2 = new_test_user(
            env,
            login="foc_perf_processor_2",
            groups=f"base.group_user,{ROLE_GROUPS['processor']}",
        )
        cls.people = cls.env["res.users"].union(*cls.users.values()) | cls.processor_2
        cls.customer = env["res.partner"].create(
            {
                "name": "Perf Canteen",
                "phone": "+86 138 0013 8001",
                "street": "南京西路 200 号",
                "city": "上海",
                "zip": "200041",
                "country_id": env.ref("base.cn").id,
            }
        )
        cls.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id)], limit=1
        )
        cls.rice = env["product.product"].create(
            {"name": "Perf Rice", "is_storable": True, "list_price": 10.0}
        )
        env["stock.quant"]._update_available_quantity(
            cls.rice, cls.warehouse.lot_stock_id, 1000
        )

        def order():
            return env["sale.order"].create(
                {
                    "partner_id": cls.customer.id,
                    "warehouse_id": cls.warehouse.id,
                    "order_line": [
                        (0, 0, {"product_id": cls.rice.id, "product_uom_qty": 1})
                    ],
                }
            )

        # -- what the ORM creates; the facts' dates and owners are set in
        # SQL below
        cls.entered = {key: order() for key in ("o1", "o2", "o3", "o4", "o5", "o6")}
        cls.shipped = {key: order() for key in ("p1", "p2", "p3", "p4", "p6")}
        for key in ("p1", "p2", "p4", "p6"):
            cls.shipped[key].action_confirm()

        def delivery(order):
            return order.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing"
            )

        cls.deliveries = {key: delivery(cls.shipped[key]) for key in ("p2", "p4", "p6")}
        cls.deliveries["p1a"] = delivery(cls.shipped["p1"])
        cls.deliveries["p1b"] = cls.deliveries["p1a"].copy()
        Exception_ = env["food.order.exception"].sudo()
        cls.exceptions = {
            key: Exception_.create(
                {"order_id": cls.shipped[order_key].id, "exception_type": kind}
            )
            for key, order_key, kind in (
                ("s1", "p1", "stock_out"),
                ("s2", "p2", "stock_out"),
                ("s3", "p3", "stock_out"),
                ("s_open", "p1", "stock_out"),
                ("q1", "p2", "quality"),
            )
        }
        Ticket = env["helpdesk.ticket"]
        cls.cases = {
            key: Ticket.create(
                {
                    "name": f"Perf {key}",
                    "description": "<p>perf</p>",
                    "food_case_type": "complaint",
                    "food_case_channel": "hotline",
                    "partner_id": cls.customer.id,
                }
            )
            for key in ("c1", "c2", "c3")
        }
        cls.cases["printer"] = Ticket.create(
            {"name": "Printer", "description": "<p>not a case</p>"}
        )
        Qualification = env["food.staff.qualification"]
        today = fields.Date.context_today(Qualification)
        Qualification.create(
            [
                {
                    # valid: well beyond the reminder period
                    "name": "Food safety",
                    "user_id": cls.processor.id,
                    "date_obtained": today - timedelta(days=10),
                    "date_expiry": today + timedelta(days=400),
                },
                {
                    # expiring soon: not 'valid'
                    "name": "Food safety",
                    "user_id": cls.logistics.id,
                    "date_obtained": today - timedelta(days=300),
                    "date_expiry": today + timedelta(days=5),
                },
            ]
        )
        env.flush_all()

        # -- the facts
        cr = env.cr
        # receivers: (order, channel, created, state, verified on, rounds)
        for key, channel, created, state, verified, rounds in (
            ("o1", "phone", T0, "verified", at(2), 0),
            ("o2", "email", T0, "verified", at(6), 2),
            # in April, still waiting for the customer: no verification time
            ("o3", "fax", datetime(2025, 4, 7, 9), "needs_clarification", None, 1),
            # not entered by a person
            ("o4", "online_platform", T0, "verified", at(1), 0),
            ("o5", "exchange", T0, "verified", at(1), 0),
        ):
            cr.execute(
                """UPDATE sale_order
                      SET intake_channel = %s, create_uid = %s, create_date = %s,
                          verification_state = %s, verification_date = %s,
                          clarification_count = %s
                    WHERE id = %s""",
                (
                    channel,
                    cls.receiver.id,
                    created,
                    state,
                    verified,
                    rounds,
                    cls.entered[key].id,
                ),
            )
        # entered by the system (superuser), not by a person
        cr.execute(
            "UPDATE sale_order SET intake_channel = 'phone' WHERE id = %s",
            (cls.entered["o6"].id,),
        )
        # processors: (order, processor, stage, commitment date)
        for key, processor, stage, commitment in (
            # first hand-over at 24 h (the second one, at 60 h, is late)
            ("p1", cls.processor, "shipped", at(48)),
            # handed over at 72 h: late
            ("p2", cls.processor, "delivered", at(48)),
            # not shipped yet: no order processed
            ("p3", cls.processor, "picking", at(48)),
            # no commitment date: not on time nor late
            ("p4", cls.processor, "closed", None),
            ("p6", cls.processor_2, "shipped", at(48)),
        ):
            cr.execute(
                """UPDATE sale_order
                      SET processor_id = %s, order_center_stage = %s,
                          commitment_date = %s
                    WHERE id = %s""",
                (processor.id, stage, commitment, cls.shipped[key].id),
            )
        # and on their exceptions, what the ORM stores from the orders: the
        # processor
        cr.execute(
            """UPDATE food_order_exception e
                  SET processor_id = so.processor_id
                 FROM sale_order so
                WHERE so.id = e.order_id AND e.id IN %s""",
            (tuple(exception.id for exception in cls.exceptions.values()),),
        )
        # deliveries: (delivery, order, handed over at, by)
        for key, order_key, handover, user in (
            ("p1a", "p1", at(24), cls.logistics),
            ("p1b", "p1", at(60), cls.logistics),
            ("p2", "p2", at(72), cls.logistics),
            ("p4", "p4", at(30), cls.logistics),
            ("p6", "p6", at(10), cls.manager),
        ):
            cr.execute(
                """UPDATE stock_picking
                      SET state = 'done', date_done = %s, food_handover_date = %s,
                          food_handover_by_id = %s, sale_id = %s
                    WHERE id = %s""",
                (
                    handover,
                    handover,
                    user.id,
                    cls.shipped[order_key].id,
                    cls.deliveries[key].id,
                ),
            )
        # and on the orders, what the ORM stores from them: the first
        # hand-over (the staff performance reads it from the order)
        cr.execute(
            """UPDATE sale_order so
                  SET food_shipped_date = (
                      SELECT MIN(sp.food_handover_date)
                        FROM stock_picking sp
                       WHERE sp.sale_id = so.id
                  )
                WHERE so.id IN %s""",
            (tuple(order.id for order in cls.shipped.values()),),
        )
        # exceptions: (exception, opened at, resolved at)
        for key, opened, resolved in (
            ("s1", at(1), at(4)),
            ("s2", at(2), at(7)),
            ("s3", at(3), at(10)),
            ("s_open", at(3), None),
            ("q1", at(1), at(2)),
        ):
            cr.execute(
                """UPDATE food_order_exception
                      SET create_date = %s, resolved_date = %s, state = %s
                    WHERE id = %s""",
                (
                    opened,
                    resolved,
                    "resolved" if resolved else "open",
                    cls.exceptions[key].id,
                ),
            )
        # cases: (case, first response at, solved at, rating)
        for key, response, solved, rating in (
            ("c1", at(2), at(30), 5),
            ("c2", at(6), None, 3),
            ("c3", None, None, 0),
            ("printer", at(1), at(1), 5),
        ):
            cr.execute(
                """UPDATE helpdesk_ticket
                      SET user_id = %s, create_date = %s,
                          food_first_response_date = %s, food_resolved_date = %s,
                          rating_last_value = %s
                    WHERE id = %s""",
                (cls.aftersales.id, T0, response, solved, rating, cls.cases[key].id),
            )
        env.invalidate_all()
        cls.domain = [("user_id", "in", cls.people.ids)]

    def _phone_order(self, qty, **vals):
        """An order of ``qty`` rice entered by the receiver from a call."""
        return (
            self.env["sale.order"]
            .with_user(self.receiver)
            .create(
                {
                    "partner_id": self.customer.id,
                    "intake_channel": "phone",
                    "warehouse_id": self.warehouse.id,
                    "order_line": [
                        (0, 0, {"product_id": self.rice.id, "product_uom_qty": qty})
                    ],
                    **vals,
                }
            )
        )

    def _totals(self, user, domain=None, as_user=None):
        """The measures of ``user``'s rows, by name."""
        Performance = self.env["food.staff.performance"].with_user(
            as_user or self.manager
        )
        [totals] = Performance._read_group(
            [("user_id", "=", user.id)] + (domain or []), [], ["__count"] + MEASURES
        )
        return dict(
            zip(["count"] + [m.split(":")[0] for m in MEASURES], totals, strict=True)
        )

    def _evaluation(self, user, period=MARCH, **vals):
        return (
            self.env["food.staff.evaluation"]
            .with_user(self.manager)
            .create(
                {
                    "user_id": user.id,
                    "date_start": period[0],
                    "date_end": period[1],
                    **vals,
                }
            )
        )

    # ------------------------------------------------------------------
    # The measures
    # ------------------------------------------------------------------

    def test_receiver_measures(self):
        rows = self.env["food.staff.performance"].search(
            [("user_id", "=", self.receiver.id)]
        )
        # o1, o2 and o3; the platform order, the exchange and the order the
        # system entered are left out
        self.assertEqual(self.entered["o6"].create_uid.id, SUPERUSER_ID)
        self.assertFalse(
            self.env["food.staff.performance"].search(
                [("order_id", "=", self.entered["o6"].id)]
            )
        )
        self.assertEqual(
            rows.order_id, self.entered["o1"] | self.entered["o2"] | self.entered["o3"]
        )
        self.assertEqual(set(rows.mapped("role")), {"receiver"})
        totals = self._totals(self.receiver)
        self.assertEqual(totals["count"], 3)
        self.assertEqual(totals["orders_entered"], 3)
        # verified orders only: (2 + 6) / 2
        self.assertAlmostEqual(totals["verify_hours"], 4.0)
        # (0 + 2 + 1) / 3
        self.assertAlmostEqual(totals["clarification_rounds"], 1.0)
        # other roles' measures are empty
        self.assertEqual(totals["orders_processed"], False)
        self.assertEqual(totals["on_time_rate"], False)
        self.assertEqual(totals["case_count"], False)
        # by month: two in March, one in April
        groups = self.env["food.staff.performance"]._read_group(
            [("user_id", "=", self.receiver.id)], ["date:month"], ["orders_entered:sum"]
        )
        self.assertEqual(
            [(month.date(), total) for month, total in groups],
            [(date(2025, 3, 1), 2), (date(2025, 4, 1), 1)],
        )

    def test_processor_measures(self):
        rows = self.env["food.staff.performance"].search(
            [("user_id", "=", self.processor.id)]
        )
        self.assertEqual(set(rows.mapped("role")), {"processor"})
        shipped = rows.filtered("orders_processed")
        # p3 is not shipped yet
        self.assertEqual(
            shipped.order_id,
            self.shipped["p1"] | self.shipped["p2"] | self.shipped["p4"],
        )
        by_order = {row.order_id: row for row in shipped}
        # each order dated by its first hand-over
        self.assertEqual(by_order[self.shipped["p1"]].date, at(24))
        self.assertEqual(by_order[self.shipped["p1"]].on_time_rate, 100.0)
        self.assertEqual(by_order[self.shipped["p2"]].on_time_rate, 0.0)
        totals = self._totals(self.processor)
        # 3 orders shipped + 3 stock-outs resolved
        self.assertEqual(totals["count"], 6)
        self.assertEqual(totals["orders_processed"], 3)
        # p1 on time, p2 late, p4 without a commitment date left out
        self.assertAlmostEqual(totals["on_time_rate"], 50.0)
        # (3 + 5 + 7) / 3: the open stock-out and the quality problem left out
        self.assertAlmostEqual(totals["stockout_hours"], 5.0)
        self.assertEqual(totals["orders_entered"], False)
        self.assertEqual(totals["deliveries_handed_over"], False)
        self.assertTrue(all(rows.mapped("training_valid")))

    def test_logistics_measures(self):
        rows = self.env["food.staff.performance"].search(
            [("user_id", "=", self.logistics.id)]
        )
        self.assertEqual(set(rows.mapped("role")), {"logistics"})
        self.assertEqual(
            rows.picking_id,
            self.deliveries["p1a"]
            | self.deliveries["p1b"]
            | self.deliveries["p2"]
            | self.deliveries["p4"],
        )
        totals = self._totals(self.logistics)
        self.assertEqual(totals["deliveries_handed_over"], 4)
        # 24 h on time; 60 h and 72 h late; p4 without a commitment date
        self.assertAlmostEqual(totals["shipped_on_time_rate"], 100.0 / 3)
        # expiring soon is not a valid training
        self.assertFalse(any(rows.mapped("training_valid")))

    def test_aftersales_measures(self):
        rows = self.env["food.staff.performance"].search(
            [("user_id", "=", self.aftersales.id)]
        )
        # the ticket that is no after-sales case is left out
        self.assertEqual(
            rows.case_id, self.cases["c1"] | self.cases["c2"] | self.cases["c3"]
        )
        totals = self._totals(self.aftersales)
        self.assertEqual(totals["case_count"], 3)
        # answered: 2 h and 6 h
        self.assertAlmostEqual(totals["response_hours"], 4.0)
        # solved: c1 only
        self.assertAlmostEqual(totals["resolution_hours"], 30.0)
        # rated: 5 and 3
        self.assertAlmostEqual(totals["satisfaction"], 4.0)

    def test_read_group_order(self):
        """Groups by person come in the order of the people's names (then
        logins), whatever their ids, as read_group orders them."""
        # created last, first by name
        self.processor_2.name = "AAA Perf Processor"
        Performance = self.env["food.staff.performance"].with_user(self.manager)
        # the people with rows (one role each), in the order of res.users
        people = (
            Performance.search(self.domain)
            .user_id.with_context(active_test=False)
            .sorted()
        )
        self.assertEqual(len(people), 6)
        self.assertEqual(people[0], self.processor_2)
        self.assertNotEqual(people.ids, sorted(people.ids))
        groups = Performance.read_group(
            self.domain, ["orders_processed:sum"], ["user_id", "role"], lazy=False
        )
        self.assertEqual([group["user_id"][0] for group in groups], people.ids)
        groups = Performance.read_group(
            self.domain, ["orders_processed:sum"], ["user_id"]
        )
        self.assertEqual([group["user_id"][0] for group in groups], people.ids)
        self.assertEqual(groups[0]["orders_processed"], 1)
        # an order asked for is left to the database
        groups = Performance.read_group(
            self.domain, ["orders_processed:sum"], ["user_id"], orderby="user_id desc"
        )
        self.assertEqual([group["user_id"][0] for group in groups], people.ids[::-1])

    def test_read_group_without_jit(self):
        """The view's aggregations run without PostgreSQL's JIT compilation
        (it costs more than it saves on them), and leave the setting of the
        rest of the transaction as it was."""
        cr = self.env.cr
        cr.execute("SHOW jit")
        [before] = cr.fetchone()
        during = []

        def read_group(model, *args, **kwargs):
            model.env.cr.execute("SHOW jit")
            during.append(model.env.cr.fetchone()[0])
            return []

        with patch.object(models.BaseModel, "_read_group", read_group):
            self.env["food.staff.performance"]._read_group(
                self.domain, ["role"], ["__count"]
            )
        self.assertEqual(during, ["off"])
        cr.execute("SHOW jit")
        self.assertEqual(cr.fetchone()[0], before)
        # and the real one
        self.env["food.staff.performance"]._read_group(
            self.domain, ["role"], ["__count"]
        )
        cr.execute("SHOW jit")
        self.assertEqual(cr.fetchone()[0], before)

    def test_row_ids_are_unique_and_stable(self):
        Performance = self.env["food.staff.performance"]
        rows = Performance.search(self.domain)
        # 3 receiver, 6 processor, 1 processor_2, 4 + 1 logistics (the
        # manager handed p6 over), 3 after-sales
        self.assertEqual(len(rows), 18)
        self.assertEqual(Performance.search_count(self.domain), 18)
        self.env.invalidate_all()
        self.assertEqual(
            Performance.browse(rows.ids).mapped("role").count("processor"), 7
        )

    def test_shipped_without_handover(self):
        """A delivery validated without a hand-over to a carrier: the order
        counts as shipped on its validation."""
        order = self._phone_order(
            3, commitment_date=fields.Datetime.now() + timedelta(days=2)
        )
        order.with_user(self.manager).action_confirm_unverified("test")
        order.with_user(self.manager).processor_id = self.processor
        picking = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.with_user(self.manager).action_food_preship_check()
        picking.with_user(self.manager).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.food_handover_date)
        self.assertFalse(order.food_shipped_date)
        self.assertEqual(order.order_center_stage, "shipped")
        row = self.env["food.staff.performance"].search(
            [("order_id", "=", order.id), ("role", "=", "processor")]
        )
        self.assertEqual(row.user_id, self.processor)
        self.assertEqual(row.orders_processed, 1)
        self.assertEqual(row.date, picking.date_done)
        self.assertEqual(row.on_time_rate, 100.0)
        # no hand-over, no logistics row
        self.assertFalse(
            self.env["food.staff.performance"].search(
                [("order_id", "=", order.id), ("role", "=", "logistics")]
            )
        )

    def test_real_workflow(self):
        """Entered by a receiver, confirmed, assigned, handed over: a row for
        each of them, from the real records."""
        order = self._phone_order(2)
        order.with_user(self.manager).action_confirm_unverified("test")
        order.with_user(self.manager).processor_id = self.processor
        picking = deliver_order(order, self.manager, self.logistics)
        rows = self.env["food.staff.performance"].search([("order_id", "=", order.id)])
        self.assertEqual(
            {(row.role, row.user_id) for row in rows},
            {
                ("receiver", self.receiver),
                ("processor", self.processor),
                ("logistics", self.logistics),
            },
        )
        processor_row = rows.filtered(lambda r: r.role == "processor")
        self.assertEqual(processor_row.date, picking.food_handover_date)
        self.assertEqual(processor_row.orders_processed, 1)
        logistics_row = rows.filtered(lambda r: r.role == "logistics")
        self.assertEqual(logistics_row.picking_id, picking)

    # ------------------------------------------------------------------
    # Who sees what
    # ------------------------------------------------------------------

    def test_own_rows_only(self):
        for role in ("receiver", "processor", "logistics", "aftersales"):
            user = self.users[role]
            rows = (
                self.env["food.staff.performance"].with_user(user).search(self.domain)
            )
            self.assertTrue(rows, role)
            self.assertEqual(rows.user_id, user, role)
        # the inventory manager has no figures of their own
        self.assertFalse(
            self.env["food.staff.performance"]
            .with_user(self.users["inventory"])
            .search(self.domain)
        )
        # the processor sees their 6 rows, not processor_2's
        rows = (
            self.env["food.staff.performance"]
            .with_user(self.processor)
            .search(self.domain)
        )
        self.assertEqual(len(rows), 6)
        self.assertEqual(rows.user_id, self.processor)
        other = self.env["food.staff.performance"].search(
            [("user_id", "=", self.processor_2.id)]
        )
        with self.assertRaises(AccessError):
            other.with_user(self.processor).read(["role"])
        # the manager sees everyone's
        self.assertEqual(
            self.env["food.staff.performance"]
            .with_user(self.manager)
            .search_count(self.domain),
            18,
        )
        # someone without any order-center role sees nothing
        outsider = new_test_user(self.env, login="foc_perf_outsider")
        with self.assertRaises(AccessError):
            self.env["food.staff.performance"].with_user(outsider).search([])

    def test_evaluation_access(self):
        evaluation = self._evaluation(self.processor)
        other = self._evaluation(self.processor_2)
        Evaluation = self.env["food.staff.evaluation"]
        # staff read their own evaluations only
        self.assertEqual(
            Evaluation.with_user(self.processor).search(
                [("id", "in", (evaluation | other).ids)]
            ),
            evaluation,
        )
        with self.assertRaises(AccessError):
            other.with_user(self.processor).read(["user_id"])
        # and neither create, change nor validate them
        with self.assertRaises(AccessError):
            Evaluation.with_user(self.processor).create(
                {
                    "user_id": self.processor.id,
                    "date_start": MARCH[0],
                    "date_end": MARCH[1],
                }
            )
        with self.assertRaises(AccessError):
            evaluation.with_user(self.processor).write({"score_results": "5"})
        with self.assertRaises(AccessError):
            evaluation.with_user(self.processor).action_compute_kpis()
        with self.assertRaises(AccessError):
            evaluation.with_user(self.processor).action_done()
        with self.assertRaises(AccessError):
            evaluation.with_user(self.processor).unlink()
        # the figures come from the staff performance, never typed in
        with self.assertRaises(AccessError):
            evaluation.with_user(self.manager).write({"kpi_orders_processed": 99})
        with self.assertRaises(AccessError):
            self._evaluation(self.processor, kpi_on_time_rate=100.0)
        with self.assertRaises(AccessError):
            evaluation.with_user(self.manager).write({"state": "done"})
        # nor through context defaults
        defaulted = (
            self.env["food.staff.evaluation"]
            .with_user(self.manager)
            .with_context(default_state="done", default_kpi_orders_processed=99)
            .create(
                {
                    "user_id": self.processor.id,
                    "date_start": MARCH[0],
                    "date_end": MARCH[1],
                }
            )
        )
        self.assertEqual(defaulted.state, "draft")
        self.assertFalse(defaulted.kpi_orders_processed)
        # the manager reads and changes everyone's
        evaluation.with_user(self.manager).write({"score_results": "4"})
        self.assertEqual(evaluation.score_results, "4")

    # ------------------------------------------------------------------
    # Evaluations
    # ------------------------------------------------------------------

    def test_evaluation_kpis(self):
        processor_eval = self._evaluation(self.processor)
        receiver_eval = self._evaluation(self.receiver)
        both = (processor_eval | receiver_eval).with_user(self.manager)
        both.action_compute_kpis()
        self.assertTrue(processor_eval.kpi_date)
        self.assertEqual(processor_eval.kpi_orders_processed, 3)
        self.assertAlmostEqual(processor_eval.kpi_on_time_rate, 50.0)
        self.assertEqual(processor_eval.kpi_stockouts_handled, 3)
        self.assertAlmostEqual(processor_eval.kpi_stockout_hours, 5.0)
        self.assertEqual(processor_eval.kpi_orders_entered, 0)
        self.assertTrue(processor_eval.kpi_training_valid)
        # March only: o3 was entered in April
        self.assertEqual(receiver_eval.kpi_orders_entered, 2)
        self.assertAlmostEqual(receiver_eval.kpi_verify_hours, 4.0)
        # (0 + 2) / 2
        self.assertAlmostEqual(receiver_eval.kpi_clarification_rounds, 1.0)
        self.assertFalse(receiver_eval.kpi_training_valid)
        # April: the one order entered then
        april = self._evaluation(self.receiver, (date(2025, 4, 1), date(2025, 4, 30)))
        april.action_compute_kpis()
        self.assertEqual(april.kpi_orders_entered, 1)
        self.assertAlmostEqual(april.kpi_clarification_rounds, 1.0)
        self.assertEqual(april.kpi_verify_hours, 0.0)
        # logistics and after-sales
        logistics_eval = self._evaluation(self.logistics)
        aftersales_eval = self._evaluation(self.aftersales)
        (logistics_eval | aftersales_eval).action_compute_kpis()
        self.assertEqual(logistics_eval.kpi_deliveries_handed_over, 4)
        self.assertAlmostEqual(logistics_eval.kpi_shipped_on_time_rate, 100.0 / 3)
        self.assertEqual(aftersales_eval.kpi_case_count, 3)
        self.assertAlmostEqual(aftersales_eval.kpi_response_hours, 4.0)
        self.assertAlmostEqual(aftersales_eval.kpi_resolution_hours, 30.0)
        self.assertAlmostEqual(aftersales_eval.kpi_satisfaction, 4.0)
        # another period: the figures must be read again before validating
        receiver_eval.date_end = date(2025, 3, 15)
        self.assertFalse(receiver_eval.kpi_date)
        receiver_eval.write(
            {"score_results": "3", "score_attitude": "3", "score_teamwork": "3"}
        )
        with self.assertRaisesRegex(UserError, "Compute KPIs"):
            receiver_eval.action_done()

    def test_evaluation_frozen_when_done(self):
        evaluation = self._evaluation(self.processor).with_user(self.manager)
        evaluation.action_compute_kpis()
        evaluation.write({"score_results": "4", "score_attitude": "5"})
        with self.assertRaisesRegex(UserError, "Teamwork"):
            evaluation.action_done()
        evaluation.write({"score_teamwork": "3", "outcome": "bonus"})
        self.assertAlmostEqual(evaluation.score_average, 4.0)
        evaluation.action_done()
        self.assertEqual(evaluation.state, "done")
        self.assertEqual(evaluation.evaluator_id, self.manager)
        # a new fact of the period: a fourth stock-out, handled in 1 h
        late = (
            self.env["food.order.exception"]
            .sudo()
            .create({"order_id": self.shipped["p1"].id, "exception_type": "stock_out"})
        )
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE food_order_exception
                  SET create_date = %s, resolved_date = %s, state = 'resolved'
                WHERE id = %s""",
            (at(20), at(21), late.id),
        )
        self.env.invalidate_all()
        # the staff performance shows it, the evaluation does not
        totals = self._totals(self.processor)
        self.assertAlmostEqual(totals["stockout_hours"], 4.0)
        self.assertEqual(evaluation.kpi_stockouts_handled, 3)
        self.assertAlmostEqual(evaluation.kpi_stockout_hours, 5.0)
        # and it cannot be changed, computed again or deleted
        with self.assertRaisesRegex(UserError, "validated"):
            evaluation.action_compute_kpis()
        with self.assertRaisesRegex(UserError, "validated"):
            evaluation.write({"comment": "<p>changed</p>"})
        with self.assertRaisesRegex(UserError, "validated"):
            evaluation.write({"date_end": date(2025, 3, 20)})
        with self.assertRaisesRegex(UserError, "validated"):
            evaluation.action_done()
        with self.assertRaisesRegex(UserError, "validated"):
            evaluation.unlink()
        self.assertEqual(evaluation.kpi_stockouts_handled, 3)
        # the evaluated person reads it
        self.assertEqual(
            evaluation.with_user(self.processor).read(["kpi_orders_processed"])[0][
                "kpi_orders_processed"
            ],
            3,
        )
        # the chatter still works on it
        evaluation.message_post(body="Discussed with the processor.")

    def test_development_plan_needs_a_plan(self):
        with self.assertRaises(ValidationError):
            self._evaluation(self.processor, outcome="development_plan")
        evaluation = self._evaluation(
            self.processor,
            outcome="development_plan",
            development_plan="Stock-out handling course",
        )
        with self.assertRaises(ValidationError):
            evaluation.with_user(self.manager).development_plan = " "
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._evaluation(self.processor, period=(MARCH[1], MARCH[0]))
            self.env.flush_all()

    # ------------------------------------------------------------------
    # Over XML-RPC
    # ------------------------------------------------------------------

    def _rpc(self, user, model, method, args, kwargs=None):
        proxy = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self.cr), allow_none=True
        )
        return proxy.execute_kw(
            get_db_name(), user.id, user.login, model, method, args, kwargs or {}
        )

    def test_read_group_over_xmlrpc(self):
        """What a manager's BI tool reads: the figures per person and role,
        no None."""
        groups = self._rpc(
            self.manager,
            "food.staff.performance",
            "read_group",
            [self.domain, MEASURES, ["user_id", "role"]],
            {"lazy": False},
        )
        self.assertFalse(find_none(groups), groups)
        by_key = {(g["user_id"][0], g["role"]): g for g in groups}
        self.assertEqual(
            set(by_key),
            {
                (self.receiver.id, "receiver"),
                (self.processor.id, "processor"),
                (self.processor_2.id, "processor"),
                (self.logistics.id, "logistics"),
                (self.manager.id, "logistics"),
                (self.aftersales.id, "aftersales"),
            },
        )
        receiver = by_key[(self.receiver.id, "receiver")]
        self.assertEqual(receiver["orders_entered"], 3)
        self.assertAlmostEqual(receiver["verify_hours"], 4.0)
        self.assertAlmostEqual(receiver["clarification_rounds"], 1.0)
        processor = by_key[(self.processor.id, "processor")]
        self.assertEqual(processor["__count"], 6)
        self.assertEqual(processor["orders_processed"], 3)
        self.assertAlmostEqual(processor["on_time_rate"], 50.0)
        self.assertAlmostEqual(processor["stockout_hours"], 5.0)
        self.assertEqual(processor["orders_entered"], 0)
        logistics = by_key[(self.logistics.id, "logistics")]
        self.assertEqual(logistics["deliveries_handed_over"], 4)
        self.assertAlmostEqual(logistics["shipped_on_time_rate"], 100.0 / 3)
        aftersales = by_key[(self.aftersales.id, "aftersales")]
        self.assertEqual(aftersales["case_count"], 3)
        self.assertAlmostEqual(aftersales["response_hours"], 4.0)
        self.assertAlmostEqual(aftersales["resolution_hours"], 30.0)
        self.assertAlmostEqual(aftersales["satisfaction"], 4.0)
        # by month
        months = self._rpc(
            self.manager,
            "food.staff.performance",
            "read_group",
            [
                [("user_id", "=", self.receiver.id)],
                ["orders_entered:sum"],
                ["date:month"],
            ],
        )
        self.assertFalse(find_none(months), months)
        self.assertEqual([g["orders_entered"] for g in months], [2, 1])
        # a processor reads their own rows only
        rows = self._rpc(
            self.processor,
            "food.staff.performance",
            "search_read",
            [self.domain, ["user_id", "role"]],
        )
        self.assertEqual(len(rows), 6)
        self.assertEqual({row["user_id"][0] for row in rows}, {self.processor.id})
