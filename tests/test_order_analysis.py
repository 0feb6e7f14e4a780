# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Order facts (food.order.analysis) and product facts
(food.order.line.analysis): each measure against numbers worked out by hand
on a crafted set of orders (a backorder, a cancelled order, an order in
another currency, an order outside the order center), in process and over
XML-RPC; the step dates stored on the order by the real flow."""

import xmlrpc.client
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, get_db_name, tagged
from odoo.tests.common import Transport

from ..report.food_analysis_mixin import FactMany2one
from .common import ROLE_GROUPS, create_role_users, deliver_order

T0 = datetime(2026, 10, 5, 8, 0, 0)


def at(hours):
    return T0 + timedelta(hours=hours)


@tagged("post_install", "-at_install")
class TestOrderAnalysis(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.users = create_role_users(env, "foc_oa", password=True)
        china = env.ref("base.cn")
        cls.shanghai = env["res.country.state"].create(
            {"name": "OA Shanghai", "code": "OASH", "country_id": china.id}
        )
        cls.beijing = env["res.country.state"].create(
            {"name": "OA Beijing", "code": "OABJ", "country_id": china.id}
        )
        cls.alpha = env["res.partner"].create(
            {"name": "OA Alpha Canteen", "city": "上海", "state_id": cls.shanghai.id}
        )
        cls.beta = env["res.partner"].create(
            {"name": "OA Beta Hotel", "city": "北京", "state_id": cls.beijing.id}
        )
        frozen = env["product.category"].create({"name": "OA Frozen"})
        dry = env["product.category"].create({"name": "OA Dry"})
        cls.dumplings = env["product.product"].create(
            {"name": "OA Dumplings", "categ_id": frozen.id, "taxes_id": False}
        )
        cls.noodles = env["product.product"].create(
            {"name": "OA Noodles", "categ_id": dry.id, "taxes_id": False}
        )
        cls.platform = env["food.sales.platform"].create(
            {"name": "OA Mall", "code": "oa_mall"}
        )
        cls.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id)], limit=1
        )

        def order(partner, channel, lines, **vals):
            return env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "intake_channel": channel,
                    "warehouse_id": cls.warehouse.id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": product.id,
                                "product_uom_qty": qty,
                                "price_unit": price,
                                "tax_id": False,
                            },
                        )
                        for product, qty, price in lines
                    ],
                    **vals,
                }
            )

        # O1: Alpha's first order, by e-mail: verified after 2 h, assigned
        # 1 h later, shipped 4 h later, delivered 24 h later, by its promised
        # date; 2 lines, 50.00; carriers charged 12.50; one clarification
        # round of 1.5 h
        cls.o1 = order(
            cls.alpha,
            "email",
            [(cls.dumplings, 2, 10.0), (cls.noodles, 3, 10.0)],
        )
        # O2: Alpha again, from the platform: verified after 1 h, assigned
        # 2 h later, shipped 26 h later (after its promised date: a
        # backorder is still to go, so it is not delivered); a stock-out
        cls.o2 = order(
            cls.alpha,
            "online_platform",
            [(cls.dumplings, 1, 10.0)],
            platform_id=cls.platform.id,
        )
        # O3: Beta's first order, by phone, in another currency (100.00 at
        # the order's rate of 0.5: 200.00 for the company); not verified;
        # a complaint
        cls.o3 = order(cls.beta, "phone", [(cls.noodles, 10, 10.0)])
        # O4: Beta, cancelled: no new customer, no basket, no on-time
        cls.o4 = order(cls.beta, "fax", [(cls.noodles, 1, 10.0)])
        # not an order-center order: left out
        cls.other = env["sale.order"].create(
            {
                "partner_id": cls.beta.id,
                "order_line": [(0, 0, {"product_id": cls.noodles.id})],
            }
        )
        env.flush_all()
        facts = {
            cls.o1: {
                "create_date": at(0),
                "verification_state": "verified",
                "verification_date": at(2),
                "food_assigned_date": at(3),
                "food_shipped_date": at(7),
                "food_delivered_date": at(31),
                "commitment_date": at(48),
                "food_logistics_cost": 12.5,
                "clarification_count": 1,
                "clarification_hours": 1.5,
                "processor_id": cls.users["processor"].id,
            },
            cls.o2: {
                "create_date": at(24),
                "verification_state": "verified",
                "verification_date": at(25),
                "food_assigned_date": at(27),
                "food_shipped_date": at(53),
                "food_delivered_date": None,
                "commitment_date": at(48),
                "clarification_count": 0,
                "clarification_hours": 0,
                "processor_id": cls.users["processor"].id,
            },
            cls.o3: {
                "create_date": at(48),
                "verification_state": "needs_clarification",
                "verification_date": at(49),
                "clarification_count": 0,
                "clarification_hours": 0,
                "currency_rate": 0.5,
                "amount_untaxed": 100.0,
                "amount_total": 100.0,
            },
            cls.o4: {
                "create_date": at(50),
                "state": "cancel",
                "clarification_count": 0,
                "clarification_hours": 0,
                "order_center_stage": "cancelled",
                "commitment_date": at(51),
            },
        }
        for record, vals in facts.items():
            columns = ", ".join(f"{name} = %s" for name in vals)
            env.cr.execute(
                f"UPDATE sale_order SET {columns} WHERE id = %s",  # noqa: S608
                [*vals.values(), record.id],
            )
        env["food.order.exception"].create(
            {
                "order_id": cls.o2.id,
                "line_id": cls.o2.order_line.id,
                "exception_type": "stock_out",
            }
        )
        env["helpdesk.ticket"].create(
            {
                "name": "OA complaint",
                "description": "<p>cold</p>",
                "food_case_type": "complaint",
                "food_case_channel": "hotline",
                "food_order_id": cls.o3.id,
                "partner_id": cls.beta.id,
            }
        )
        env.invalidate_all()
        cls.Analysis = env["food.order.analysis"].with_user(cls.users["manager"])
        cls.ours = [
            ("order_id", "in", (cls.o1 | cls.o2 | cls.o3 | cls.o4 | cls.other).ids)
        ]

    def _one(self, domain, fields_):
        (row,) = self.Analysis.read_group(self.ours + domain, fields_, [])
        return row

    def test_rows_are_the_order_center_orders(self):
        rows = self.Analysis.search(self.ours)
        self.assertEqual(rows.order_id, self.o1 | self.o2 | self.o3 | self.o4)
        row = rows.filtered(lambda r: r.order_id == self.o1)
        self.assertEqual(row.date, at(0))
        self.assertEqual(row.verified_date, at(2))
        self.assertEqual(row.assigned_date, at(3))
        self.assertEqual(row.shipped_date, at(7))
        self.assertEqual(row.delivered_date, at(31))
        self.assertEqual(row.state_id, self.shanghai)
        self.assertEqual(row.city, "上海")
        self.assertEqual(row.channel, "email")
        self.assertEqual(row.processor_id, self.users["processor"])
        self.assertEqual(row.line_count, 2)
        # a verification that is still waiting gives no verification date
        self.assertFalse(rows.filtered(lambda r: r.order_id == self.o3).verified_date)

    def test_lead_times_and_on_time(self):
        row = self._one(
            [("is_cancelled", "=", False)],
            [
                "verify_hours:avg",
                "assign_hours:avg",
                "ship_hours:avg",
                "deliver_hours:avg",
                "lead_hours:avg",
                "shipped_on_time:avg",
                "delivered_on_time:avg",
            ],
        )
        self.assertEqual(row["__count"], 3)
        self.assertAlmostEqual(row["verify_hours"], (2 + 1) / 2)
        self.assertAlmostEqual(row["assign_hours"], (1 + 2) / 2)
        self.assertAlmostEqual(row["ship_hours"], (4 + 26) / 2)
        self.assertAlmostEqual(row["deliver_hours"], 24)
        self.assertAlmostEqual(row["lead_hours"], 31)
        # O1 on time, O2 shipped late and not delivered past its date, O3
        # without a promised date: left out
        self.assertAlmostEqual(row["shipped_on_time"], 50)
        self.assertAlmostEqual(row["delivered_on_time"], 50)
        # the cancelled order never counts as late
        cancelled = self._one([("is_cancelled", "=", True)], ["delivered_on_time:avg"])
        self.assertFalse(cancelled["delivered_on_time"])

    def test_flags_amounts_and_customers(self):
        row = self._one(
            [("is_cancelled", "=", False)],
            [
                "stock_out:sum",
                "exception:sum",
                "delayed:sum",
                "complaint:sum",
                "clarification_count:sum",
                "clarification_hours:sum",
                "partner_id:count_distinct",
                "new_customer:sum",
                "amount_untaxed:sum",
                "basket:avg",
                "line_count:avg",
                "logistics_cost:sum",
            ],
        )
        self.assertEqual(row["stock_out"], 1)
        self.assertEqual(row["exception"], 1)
        self.assertEqual(row["delayed"], 0)
        self.assertEqual(row["complaint"], 1)
        self.assertEqual(row["clarification_count"], 1)
        self.assertAlmostEqual(row["clarification_hours"], 1.5)
        self.assertEqual(row["partner_id"], 2)
        # Alpha's first order and Beta's first one; O2 is a repeat order
        self.assertEqual(row["new_customer"], 2)
        # 50 + 10 + 100 / 0.5
        self.assertAlmostEqual(row["amount_untaxed"], 260.0)
        self.assertAlmostEqual(row["basket"], 260.0 / 3)
        self.assertAlmostEqual(row["line_count"], (2 + 1 + 1) / 3)
        self.assertAlmostEqual(row["logistics_cost"], 12.5)

    def test_month_by_channel(self):
        rows = self.Analysis.read_group(
            self.ours,
            ["lead_hours:avg", "delivered_on_time:avg"],
            ["date:month", "channel"],
            lazy=False,
        )
        by_channel = {row["channel"]: row for row in rows}
        self.assertEqual(set(by_channel), {"email", "online_platform", "phone", "fax"})
        self.assertEqual(
            rows[0]["date:month"],
            self.Analysis.read_group(self.ours, ["lead_hours:avg"], ["date:month"])[0][
                "date:month"
            ],
        )
        self.assertAlmostEqual(by_channel["email"]["lead_hours"], 31)
        self.assertEqual(by_channel["online_platform"]["delivered_on_time"], 0)

    def test_products_per_channel_and_region(self):
        Lines = self.env["food.order.line.analysis"].with_user(self.users["manager"])
        rows = Lines.read_group(
            [("order_id", "in", (self.o1 | self.o2 | self.o3 | self.o4).ids)],
            ["product_uom_qty:sum", "amount_untaxed:sum", "order_count:count_distinct"],
            ["product_id", "state_id"],
            lazy=False,
        )
        got = {
            (row["product_id"][0], row["state_id"][0]): (
                row["product_uom_qty"],
                row["amount_untaxed"],
                row["order_count"],
            )
            for row in rows
        }
        # the cancelled O4 is left out; O3's line is 100 at the rate 0.5
        self.assertEqual(
            got,
            {
                (self.dumplings.id, self.shanghai.id): (3.0, 30.0, 2),
                (self.noodles.id, self.shanghai.id): (3.0, 30.0, 1),
                (self.noodles.id, self.beijing.id): (10.0, 200.0, 1),
            },
        )

    def test_only_managers_read_the_facts(self):
        for role in ROLE_GROUPS:
            if role == "manager":
                continue
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.env["food.order.analysis"].with_user(self.users[role]).read_group(
                    [], ["amount_untaxed:sum"], []
                )
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.env["food.order.line.analysis"].with_user(self.users[role]).search(
                    []
                )

    def _foreign_keys(self, *tables):
        """{(table, column): ON DELETE action} of the tables' foreign keys."""
        self.env.cr.execute(
            """
            SELECT c.conrelid::regclass::text, a.attname, c.confdeltype
              FROM pg_constraint c
              JOIN pg_attribute a
                ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
             WHERE c.contype = 'f' AND c.conrelid::regclass::text IN %s
            """,
            [tables],
        )
        return {
            (table, column): action for table, column, action in self.env.cr.fetchall()
        }

    def test_facts_foreign_keys(self):
        """The facts keep a foreign key to their order (deleted with it) and
        to what can be deleted while the order stays (set null on both); the
        other records they show cannot be deleted while an order or line
        refers to them, which the orders' and lines' own keys ensure."""
        keys = self._foreign_keys("food_order_analysis", "food_order_line_analysis")
        self.assertEqual(
            keys,
            {
                ("food_order_analysis", "order_id"): "c",
                ("food_order_analysis", "warehouse_id"): "n",
                ("food_order_analysis", "receiver_id"): "n",
                ("food_order_analysis", "processor_id"): "n",
                ("food_order_analysis", "carrier_id"): "n",
                ("food_order_line_analysis", "order_id"): "c",
                ("food_order_line_analysis", "warehouse_id"): "n",
            },
        )
        sources = self._foreign_keys(
            "sale_order",
            "sale_order_line",
            "res_partner",
            "res_company",
            "product_template",
        )
        for source in [
            ("sale_order", "company_id"),
            ("sale_order", "partner_id"),
            ("sale_order", "partner_shipping_id"),
            ("sale_order", "platform_id"),
            ("sale_order_line", "product_id"),
            ("res_company", "currency_id"),
            ("res_partner", "country_id"),
            ("res_partner", "state_id"),
            ("product_template", "categ_id"),
        ]:
            with self.subTest(source=source):
                self.assertEqual(sources[source], "r")

    def test_facts_foreign_keys_dropped_on_upgrade(self):
        """A database installed before the facts lost these keys: the
        upgrade (the facts' ``init``) drops them and their records, and
        alters nothing when there is none left to drop."""
        facts = self.env["food.order.analysis"]
        self.env.cr.execute(
            "ALTER TABLE food_order_analysis ADD CONSTRAINT "
            "food_order_analysis_partner_id_fkey FOREIGN KEY (partner_id) "
            "REFERENCES res_partner(id) ON DELETE RESTRICT"
        )
        self.env["ir.model.constraint"]._reflect_constraint(
            facts, "food_order_analysis_partner_id_fkey", "f", None, "food_order_center"
        )
        FactMany2one.drop_foreign_keys(facts)
        keys = self._foreign_keys("food_order_analysis")
        self.assertNotIn(("food_order_analysis", "partner_id"), keys)
        self.assertIn(("food_order_analysis", "order_id"), keys)
        self.assertFalse(
            self.env["ir.model.constraint"].search(
                [("name", "=", "food_order_analysis_partner_id_fkey")]
            )
        )
        with self.assertLogs("odoo.sql_db", "DEBUG") as logs:
            FactMany2one.drop_foreign_keys(facts)
        self.assertFalse([line for line in logs.output if "ALTER TABLE" in line])

    def test_read_group_over_xmlrpc(self):
        models = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self.cr)
        )
        db = get_db_name()
        uid = self.users["manager"].id
        rows = models.execute_kw(
            db,
            uid,
            "foc_oa_manager",
            "food.order.analysis",
            "read_group",
            [
                self.ours + [("is_cancelled", "=", False)],
                ["lead_hours:avg", "delivered_on_time:avg", "new_customer:sum"],
                ["date:month", "channel"],
            ],
            {"lazy": False},
        )
        by_channel = {row["channel"]: row for row in rows}
        self.assertEqual(by_channel["email"]["lead_hours"], 31)
        self.assertEqual(by_channel["email"]["new_customer"], 1)
        self.assertIs(by_channel["phone"]["delivered_on_time"], False)
        with self.assertRaises(xmlrpc.client.Fault) as denied:
            models.execute_kw(
                db,
                self.users["processor"].id,
                "foc_oa_processor",
                "food.order.analysis",
                "read_group",
                [[], ["amount_untaxed:sum"], ["channel"]],
            )
        self.assertEqual(denied.exception.faultCode, 4)


@tagged("post_install", "-at_install")
class TestOrderFactsFlow(HttpCase):
    """The step dates and the logistics cost that the facts read are stored
    by the real flow, not set by hand."""

    def test_assignment_shipping_and_cost_are_recorded(self):
        env = self.env
        # assigned by the manager below, not automatically on confirmation
        env.company.food_auto_assign = False
        users = create_role_users(env, "foc_oaf")
        customer = env["res.partner"].create(
            {
                "name": "OA Flow Canteen",
                "phone": "+86 138 0013 8001",
                "street": "南京西路 101 号",
                "city": "上海",
                "zip": "200041",
                "country_id": env.ref("base.cn").id,
            }
        )
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id)], limit=1
        )
        rice = env["product.product"].create(
            {"name": "OA Rice", "is_storable": True, "taxes_id": False}
        )
        env["stock.quant"]._update_available_quantity(rice, warehouse.lot_stock_id, 10)
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "intake_channel": "other",
                "warehouse_id": warehouse.id,
                "order_line": [(0, 0, {"product_id": rice.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        self.assertFalse(order.food_assigned_date)
        before = fields.Datetime.now()
        order.with_user(users["manager"]).processor_id = users["processor"]
        self.assertGreaterEqual(order.food_assigned_date, before)
        self.assertFalse(order.food_shipped_date)
        picking = order.picking_ids
        picking.carrier_price = 8.5
        # not charged before the goods leave
        self.assertEqual(order.food_logistics_cost, 0)
        deliver_order(order, users["manager"], users["logistics"])
        self.assertEqual(order.food_shipped_date, picking.food_handover_date)
        self.assertEqual(order.food_logistics_cost, 8.5)
        row = env["food.order.analysis"].search([("order_id", "=", order.id)])
        self.assertEqual(row.shipped_date, picking.food_handover_date)
        self.assertEqual(row.logistics_cost, 8.5)
        # nobody writes them by hand: not by a write, nor a create, and a
        # context default reaches none of them
        facts = {
            "food_assigned_date": fields.Datetime.now(),
            "food_shipped_date": fields.Datetime.now(),
            "food_logistics_cost": 99.0,
        }
        new_order = {
            "partner_id": customer.id,
            "intake_channel": "other",
            "order_line": [(0, 0, {"product_id": rice.id, "product_uom_qty": 1})],
        }
        Order = env["sale.order"].with_user(users["receiver"])
        for name, value in facts.items():
            with self.subTest(field=name), self.assertRaises(AccessError):
                order.with_user(users["manager"]).write({name: value})
            with self.subTest(field=name), self.assertRaises(AccessError):
                Order.create({**new_order, name: value})
        defaulted = Order.with_context(
            **{f"default_{name}": value for name, value in facts.items()}
        ).create(new_order)
        self.assertFalse(defaulted.food_assigned_date)
        self.assertFalse(defaulted.food_shipped_date)
        self.assertEqual(defaulted.food_logistics_cost, 0)
        self.assertEqual(order.food_logistics_cost, 8.5)
