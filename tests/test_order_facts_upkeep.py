# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The facts tables of the analysis are kept by the orders' own writes:
after any flow their rows are what a rebuild from the orders gives; a
customer's first order, a delivery address, a product's category and the
passing of a promised date reach them; writing them costs the same few
queries for one order as for many; an order entered over XML-RPC is in the
facts read over XML-RPC."""

import xmlrpc.client
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, get_db_name, tagged
from odoo.tests.common import Transport
from odoo.tools import SQL

from .common import create_role_users, deliver_order


@tagged("post_install", "-at_install")
class TestOrderFactsUpkeep(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env.company.food_auto_assign = False
        cls.users = create_role_users(env, "foc_fu", password=True)
        china = env.ref("base.cn")
        cls.zhejiang = env["res.country.state"].create(
            {"name": "FU Zhejiang", "code": "FUZJ", "country_id": china.id}
        )
        cls.jiangsu = env["res.country.state"].create(
            {"name": "FU Jiangsu", "code": "FUJS", "country_id": china.id}
        )
        cls.customer = env["res.partner"].create(
            {
                "name": "FU Canteen",
                "phone": "+86 138 0013 9001",
                "street": "延安路 1 号",
                "city": "杭州",
                "zip": "310000",
                "state_id": cls.zhejiang.id,
                "country_id": china.id,
            }
        )
        cls.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id)], limit=1
        )
        cls.frozen = env["product.category"].create({"name": "FU Frozen"})
        cls.chilled = env["product.category"].create({"name": "FU Chilled"})
        cls.buns = env["product.product"].create(
            {
                "name": "FU Buns",
                "is_storable": True,
                "categ_id": cls.frozen.id,
                "list_price": 5.0,
                "taxes_id": False,
            }
        )
        env["stock.quant"]._update_available_quantity(
            cls.buns, cls.warehouse.lot_stock_id, 100
        )

    def _order(self, qty=2, customer=None, **vals):
        return self.env["sale.order"].create(
            {
                "partner_id": (customer or self.customer).id,
                "intake_channel": "other",
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.buns.id,
                            "product_uom_qty": qty,
                            "price_unit": 5.0,
                        },
                    )
                ],
                **vals,
            }
        )

    def _rows(self, table, orders):
        """The rows of a facts table for ``orders``, as they are stored."""
        self.env["food.order.analysis"].flush_model()
        column = "id" if table == "food_order_analysis" else "order_id"
        self.env.cr.execute(
            SQL(
                "SELECT * FROM %s WHERE %s = ANY(%s) ORDER BY id",
                SQL.identifier(table),
                SQL.identifier(column),
                orders.ids,
            )
        )
        return self.env.cr.dictfetchall()

    def _assert_rebuild_gives_the_same(self, orders):
        kept = {
            table: self._rows(table, orders)
            for table in ("food_order_analysis", "food_order_line_analysis")
        }
        self.env["food.order.analysis"]._food_rebuild()
        for table, rows in kept.items():
            with self.subTest(table=table):
                self.assertEqual(rows, self._rows(table, orders))
        return kept

    def _fact(self, order):
        return self.env["food.order.analysis"].search([("order_id", "=", order.id)])

    def test_rows_after_a_flow_are_those_of_a_rebuild(self):
        manager, processor = self.users["manager"], self.users["processor"]
        # three customers: the same customer and products would be held as
        # a possible duplicate
        first = self._order(commitment_date=fields.Datetime.now() + timedelta(days=2))
        second = self._order(qty=3, customer=self.customer.copy({"name": "FU Two"}))
        third = self._order(qty=1, customer=self.customer.copy({"name": "FU Three"}))
        (first | second | third).action_confirm()
        first.with_user(manager).processor_id = processor
        first.order_line.product_uom_qty = 4
        self.env["food.order.exception"].create(
            {
                "order_id": second.id,
                "line_id": second.order_line.id,
                "exception_type": "stock_out",
            }
        )
        self.env["helpdesk.ticket"].create(
            {
                "name": "FU complaint",
                "description": "<p>late</p>",
                "food_case_type": "complaint",
                "food_case_channel": "hotline",
                "food_order_id": first.id,
                "partner_id": self.customer.id,
            }
        )
        deliver_order(first, manager, self.users["logistics"])
        third.with_user(manager)._action_cancel()
        kept = self._assert_rebuild_gives_the_same(first | second | third)
        rows = {row["id"]: row for row in kept["food_order_analysis"]}
        self.assertEqual(rows[first.id]["processor_id"], processor.id)
        self.assertEqual(rows[first.id]["complaint"], 1)
        self.assertEqual(rows[first.id]["shipped_on_time"], 100.0)
        self.assertEqual(rows[second.id]["stock_out"], 1)
        self.assertTrue(rows[third.id]["is_cancelled"])
        self.assertEqual(
            [row["product_uom_qty"] for row in kept["food_order_line_analysis"]],
            [4.0, 3.0],
        )

    def test_first_order_of_a_customer(self):
        first, second = self._order(), self._order()
        self.assertEqual(self._fact(first).new_customer, 1)
        self.assertEqual(self._fact(second).new_customer, 0)
        first._action_cancel()
        self.assertEqual(self._fact(first).new_customer, 0)
        self.assertEqual(self._fact(second).new_customer, 1)
        second._action_cancel()
        second.action_draft()
        second.unlink()
        self.assertFalse(self._fact(second))
        first.action_draft()
        self.assertEqual(self._fact(first).new_customer, 1)

    def test_first_order_among_orders_new_to_the_facts(self):
        """Orders created in the transaction and written together: their
        customer's first order is the first of them that counts (neither
        cancelled nor an exchange), as a rebuild finds it."""
        Analysis = self.env["food.order.analysis"]
        customer = self.customer.copy({"name": "FU Newcomer"})
        regular = self.customer.copy({"name": "FU Regular"})
        before = self._order(customer=regular)
        Analysis.flush_model()
        cancelled = self._order(customer=customer)
        cancelled._action_cancel()
        exchange = self._order(customer=customer, intake_channel="exchange")
        first, second = (self._order(customer=customer) for _ in range(2))
        third = self._order(customer=regular)
        new = cancelled | exchange | first | second | third
        self.env.flush_all()
        self.assertFalse(Analysis.search_count([("id", "in", new.ids)]))
        Analysis._food_write_pending()
        self.assertEqual(
            [self._fact(order).new_customer for order in new | before],
            [0, 0, 1, 0, 0, 1],
        )
        self._assert_rebuild_gives_the_same(new | before)

    def test_address_and_category_reach_the_rows(self):
        order = self._order()
        self.assertEqual(self._fact(order).state_id, self.zhejiang)
        self.customer.write({"state_id": self.jiangsu.id, "city": "南京"})
        self.assertEqual(self._fact(order).state_id, self.jiangsu)
        self.assertEqual(self._fact(order).city, "南京")
        lines = self.env["food.order.line.analysis"].search(
            [("order_id", "=", order.id)]
        )
        self.assertEqual(lines.categ_id, self.frozen)
        self.buns.categ_id = self.chilled
        self.assertEqual(
            self.env["food.order.line.analysis"]
            .search([("order_id", "=", order.id)])
            .categ_id,
            self.chilled,
        )
        self._assert_rebuild_gives_the_same(order)

    def test_promised_date_passing_by(self):
        promised = fields.Datetime.now() + timedelta(hours=5)
        order = self._order(commitment_date=promised)
        order.action_confirm()
        fact = self._fact(order)
        self.assertFalse(fact.shipped_on_time)
        self.assertFalse(fact.delivered_on_time)
        # five hours later, nothing has left: the order is late on both
        past = fields.Datetime.now() - timedelta(hours=1)
        self.env.cr.execute(
            "UPDATE sale_order SET commitment_date = %s WHERE id = %s",
            [past, order.id],
        )
        self.env.cr.execute(
            "UPDATE food_order_analysis SET promised_date = %s WHERE id = %s",
            [past, order.id],
        )
        self.env.invalidate_all()
        self.env["food.order.analysis"]._cron_food_write_overdue()
        self.assertEqual(fact.shipped_on_time, 0.0)
        self.assertEqual(fact.delivered_on_time, 0.0)
        (row,) = self.env["food.order.analysis"].read_group(
            [("order_id", "=", order.id)], ["delivered_on_time:avg"], []
        )
        self.assertEqual(row["delivered_on_time"], 0.0)

    def test_writing_the_facts_costs_the_same_for_many_orders(self):
        # counted without the flush before (flush=False): that flush would
        # write the pending facts itself, and leave nothing to count
        Analysis = self.env["food.order.analysis"]
        one = self._order()
        many = self.env["sale.order"].concat(*(self._order() for _ in range(20)))
        Analysis.flush_model()
        for orders in (one, many):
            orders.write({"urgency": "urgent"})
            self.env.flush_all()
            # delete and insert the order rows and the product rows, and
            # look for the customers' first orders again
            with (
                self.subTest(orders=len(orders)),
                self.assertQueryCount(5, flush=False),
            ):
                Analysis._food_write_pending()
            self.assertEqual(
                set(Analysis.search([("id", "in", orders.ids)]).mapped("urgency")),
                {"urgent"},
            )
        # orders created in the transaction have no rows to delete yet, and
        # their first orders are marked as they are inserted
        new = self.env["sale.order"].concat(*(self._order() for _ in range(20)))
        self.env.flush_all()
        with self.assertQueryCount(2, flush=False):
            Analysis._food_write_pending()
        self.assertEqual(Analysis.search_count([("id", "in", new.ids)]), 20)
        # written once, they are rewritten as any other
        new.write({"urgency": "urgent"})
        self.env.flush_all()
        with self.assertQueryCount(5, flush=False):
            Analysis._food_write_pending()
        self.assertEqual(
            set(Analysis.search([("id", "in", new.ids)]).mapped("urgency")),
            {"urgent"},
        )

    def test_order_entered_over_xmlrpc_is_in_the_facts(self):
        models = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self.cr)
        )
        db = get_db_name()

        def call(role, model, method, *args, **kwargs):
            user = self.users[role]
            return models.execute_kw(
                db, user.id, user.login, model, method, list(args), kwargs
            )

        domain = [("partner_id", "=", self.customer.id)]
        self.assertEqual(
            call("manager", "food.order.analysis", "search_count", domain), 0
        )
        order_id = call(
            "receiver",
            "sale.order",
            "create",
            {
                "partner_id": self.customer.id,
                "intake_channel": "other",
                "order_line": [
                    (0, 0, {"product_id": self.buns.id, "product_uom_qty": 6})
                ],
            },
        )
        (row,) = call(
            "manager",
            "food.order.analysis",
            "read_group",
            domain,
            ["new_customer:sum", "line_count:avg"],
            ["channel"],
            lazy=False,
        )
        self.assertEqual(row["channel"], "other")
        self.assertEqual(row["new_customer"], 1)
        self.assertEqual(row["line_count"], 1)
        (line,) = call(
            "manager",
            "food.order.line.analysis",
            "search_read",
            [("order_id", "=", order_id)],
            ["product_uom_qty", "categ_id"],
        )
        self.assertEqual(line["product_uom_qty"], 6)
        self.assertEqual(line["categ_id"][0], self.frozen.id)

    def test_groups_in_the_order_of_their_model(self):
        """Groups by a many-to-one come in the order of its model (products
        by reference and name), whatever their ids, and the aggregation
        leaves the transaction's PostgreSQL settings as they were."""
        zucchini = self.env["product.product"].create(
            {"name": "FU Zucchini", "default_code": "FU-B", "list_price": 5.0}
        )
        apples = self.env["product.product"].create(
            {"name": "FU Apples", "default_code": "FU-A", "list_price": 5.0}
        )
        customers = [
            self.customer.copy({"name": f"FU Customer {index}"}) for index in range(3)
        ]
        for customer, product in zip(
            customers, (zucchini, apples, self.buns), strict=True
        ):
            self._order(customer=customer).order_line.product_id = product
        cr = self.env.cr
        cr.execute("SHOW jit")
        [jit] = cr.fetchone()
        groups = (
            self.env["food.order.line.analysis"]
            .with_user(self.users["manager"])
            .read_group(
                [("partner_id", "in", [c.id for c in customers])],
                ["product_uom_qty:sum"],
                ["product_id"],
            )
        )
        products = (zucchini | apples | self.buns).sorted()
        self.assertEqual(products[:2], apples | zucchini)
        self.assertEqual([group["product_id"][0] for group in groups], products.ids)
        cr.execute("SHOW jit")
        self.assertEqual(cr.fetchone()[0], jit)
