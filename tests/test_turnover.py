# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Inventory turnover (R20, chapter 7): cost of goods delivered, opening,
closing and average stock value, turnover and days of cover per product,
category and warehouse, worked out by hand on crafted valued stock moves,
in process and over XML-RPC.

The period is 1-30 March 2025 (30 days) in the company's time zone
(Asia/Shanghai, UTC+8); every move is dated by SQL after it is done (its
valuation layer and its date). Standard costs: A 10, B 4, C 2.5, D 1.

=====  ==  ===========================================  ======  ========
prod   wh  move (UTC)                                   layer   counted
=====  ==  ===========================================  ======  ========
A      W1  receipt 100, 10 Feb                          +1000   opening
A      W1  receipt 50, 5 Mar                            +500
A      W1  delivery 60, 10 Mar                          -600    COGS
A      W1  customer return 10, 15 Mar                   +100    COGS -
A      W1  delivery 20, 30 Mar 16:30 (31 Mar in CN)     -200    after
A      W2  receipt 40, 20 Feb                           +400    opening
A      W2  delivery 30, 20 Mar                          -300    COGS
B      W1  receipt 200, 15 Jan                          +800    opening
B      W1  delivery 50, 25 Feb                          -200    opening
B      W1  inventory loss 10, 12 Mar                    -40     not COGS
B      W1  delivery 75, 28 Feb 18:00 (1 Mar in CN)      -300    COGS
B      W2  receipt 100, 2 Mar                           +400
C      W2  receipt 80, 1 Feb                            +200    opening
C      W2  delivery 40, 8 Mar                           -100    COGS
D      W1  receipt 10, 5 Jan; delivery 10, 6 Jan        0       left out
=====  ==  ===========================================  ======  ========

A and C are in category "Frozen", B and D in "Dry", both under "Turnover
Test"; W1 and W2 are new warehouses.
"""

import xmlrpc.client
from datetime import date, datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, get_db_name, tagged
from odoo.tests.common import Transport

from .common import create_role_users
from .test_intake import find_none

DATE_FROM = "2025-03-01"
DATE_TO = "2025-03-30"


def at(day, hour=12, minute=0):
    return datetime(2025, *day, hour, minute)


@tagged("post_install", "-at_install")
class TestInventoryTurnover(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = create_role_users(cls.env, "foc_turn", password=True)
        cls.company = cls.env.company
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        Category = cls.env["product.category"]
        cls.categ_p = Category.create({"name": "Turnover Test"})
        cls.categ_1 = Category.create(
            {"name": "Turnover Frozen", "parent_id": cls.categ_p.id}
        )
        cls.categ_2 = Category.create(
            {"name": "Turnover Dry", "parent_id": cls.categ_p.id}
        )
        cls.product_a = cls._create_product("Turnover A", cls.categ_1, 10.0)
        cls.product_b = cls._create_product("Turnover B", cls.categ_2, 4.0)
        cls.product_c = cls._create_product("Turnover C", cls.categ_1, 2.5)
        cls.product_d = cls._create_product("Turnover D", cls.categ_2, 1.0)
        Warehouse = cls.env["stock.warehouse"]
        cls.wh_1 = Warehouse.create({"name": "Turnover WH 1", "code": "TWH1"})
        cls.wh_2 = Warehouse.create({"name": "Turnover WH 2", "code": "TWH2"})
        cls.customer = cls.env["res.partner"].create({"name": "Turnover Canteen"})
        supplier = cls.env.ref("stock.stock_location_suppliers")
        customer = cls.env.ref("stock.stock_location_customers")
        loss = cls.product_b.property_stock_inventory
        w1 = cls.wh_1.lot_stock_id
        w2 = cls.wh_2.lot_stock_id
        a, b, c, d = cls.product_a, cls.product_b, cls.product_c, cls.product_d
        # receipts first (in date order per product), then what leaves
        for product, qty, src, dest, when in (
            (a, 100, supplier, w1, at((2, 10))),
            (a, 50, supplier, w1, at((3, 5))),
            (a, 40, supplier, w2, at((2, 20))),
            (b, 200, supplier, w1, at((1, 15))),
            (b, 100, supplier, w2, at((3, 2))),
            (c, 80, supplier, w2, at((2, 1))),
            (d, 10, supplier, w1, at((1, 5))),
            (a, 60, w1, customer, at((3, 10))),
            (a, 10, customer, w1, at((3, 15))),
            (a, 20, w1, customer, at((3, 30), 16, 30)),
            (a, 30, w2, customer, at((3, 20))),
            (b, 50, w1, customer, at((2, 25))),
            (b, 10, w1, loss, at((3, 12))),
            (b, 75, w1, customer, at((2, 28), 18)),
            (c, 40, w2, customer, at((3, 8))),
            (d, 10, w1, customer, at((1, 6))),
        ):
            cls._transfer(product, qty, src, dest, when)
        cls.env.flush_all()

    @classmethod
    def _create_product(cls, name, category, cost):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "is_storable": True,
                "categ_id": category.id,
                "standard_price": cost,
            }
        )

    @classmethod
    def _transfer(cls, product, qty, src, dest, when):
        """Move ``qty`` of ``product`` (a picking of the warehouse's receipt
        or delivery type, a plain move for a loss), valued, dated ``when``."""
        warehouse = (dest.warehouse_id if dest.usage == "internal" else None) or (
            src.warehouse_id
        )
        move_vals = {
            "name": product.name,
            "product_id": product.id,
            "product_uom_qty": qty,
            "product_uom": product.uom_id.id,
            "location_id": src.id,
            "location_dest_id": dest.id,
        }
        if dest.usage == "inventory":
            moves = cls.env["stock.move"].create(move_vals)
            moves._action_confirm()
            moves._action_assign()
            moves.write({"quantity": qty, "picked": True})
            moves._action_done()
        else:
            picking_type = (
                warehouse.in_type_id
                if dest.usage == "internal"
                else warehouse.out_type_id
            )
            picking = cls.env["stock.picking"].create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": cls.customer.id,
                    "location_id": src.id,
                    "location_dest_id": dest.id,
                    "move_ids": [Command.create(move_vals)],
                }
            )
            picking.action_confirm()
            picking.action_assign()
            picking.move_ids.write({"quantity": qty, "picked": True})
            picking.button_validate()
            moves = picking.move_ids
        assert moves.state == "done", moves.state
        assert moves.stock_valuation_layer_ids, "no valuation layer"
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE stock_valuation_layer SET create_date = %s "
            "WHERE stock_move_id = ANY(%s)",
            (when, moves.ids),
        )
        cls.env.cr.execute(
            "UPDATE stock_move SET date = %s WHERE id = ANY(%s)", (when, moves.ids)
        )
        cls.env.invalidate_all()

    def _compute(self, user=None, **kwargs):
        Wizard = self.env["food.turnover.wizard"]
        if user:
            Wizard = Wizard.with_user(user)
        return Wizard.compute_turnover(DATE_FROM, DATE_TO, **kwargs)

    def assertRow(self, row, cogs, opening, closing, turnover, days_of_cover):
        average = (opening + closing) / 2
        self.assertEqual(
            (
                row["cogs"],
                row["opening_value"],
                row["closing_value"],
                row["average_value"],
            ),
            (cogs, opening, closing, average),
            row["name"],
        )
        self.assertAlmostEqual(row["turnover"], turnover, msg=row["name"])
        self.assertEqual(row["days"], 30)
        if days_of_cover is False:
            self.assertIs(row["days_of_cover"], False, row["name"])
        else:
            self.assertAlmostEqual(row["days_of_cover"], days_of_cover, msg=row["name"])

    # ---- figures ------------------------------------------------------------

    def test_per_product(self):
        rows = self._compute(group_by="product", categ_id=self.categ_p.id)
        # highest turnover first; D (no stock, no movement in March) left out
        self.assertEqual(
            [row["product_id"] for row in rows],
            [self.product_c.id, self.product_a.id, self.product_b.id],
        )
        row_c, row_a, row_b = rows
        # A: deliveries 600 (W1) + 300 (W2) less the 100 returned; the
        # delivery of 31 March (in the company's time zone) is not counted
        self.assertRow(row_a, 800.0, 1400.0, 1100.0, 800 / 1250, 1250 * 30 / 800)
        # B: the delivery of 1 March 02:00 in Shanghai counts; the loss of
        # 40 lowers the stock but is no cost of goods delivered
        self.assertRow(row_b, 300.0, 600.0, 660.0, 300 / 630, 630 * 30 / 300)
        self.assertRow(row_c, 100.0, 200.0, 100.0, 100 / 150, 150 * 30 / 100)
        self.assertEqual(
            [row["categ_id"] for row in rows],
            [self.categ_1.id, self.categ_1.id, self.categ_2.id],
        )
        self.assertEqual(row_a["name"], self.product_a.display_name)
        self.assertEqual(
            {(row["warehouse_id"], row["currency_id"]) for row in rows},
            {(False, self.company.currency_id.id)},
        )

    def test_per_category(self):
        rows = self._compute(group_by="category", categ_id=self.categ_p.id)
        by_categ = {row["categ_id"]: row for row in rows}
        self.assertEqual(set(by_categ), {self.categ_1.id, self.categ_2.id})
        # Frozen = A + C
        self.assertRow(
            by_categ[self.categ_1.id],
            900.0,
            1600.0,
            1200.0,
            900 / 1400,
            1400 * 30 / 900,
        )
        # Dry = B (D left nothing)
        self.assertRow(
            by_categ[self.categ_2.id], 300.0, 600.0, 660.0, 300 / 630, 630 * 30 / 300
        )
        self.assertEqual(by_categ[self.categ_1.id]["name"], self.categ_1.display_name)
        self.assertFalse(by_categ[self.categ_1.id]["product_id"])
        # the parent's filter took both subcategories; one category alone
        rows = self._compute(group_by="category", categ_id=self.categ_1.id)
        self.assertEqual([row["categ_id"] for row in rows], [self.categ_1.id])

    def test_per_warehouse(self):
        rows = self._compute(group_by="warehouse", categ_id=self.categ_p.id)
        by_wh = {row["warehouse_id"]: row for row in rows}
        self.assertEqual(set(by_wh), {self.wh_1.id, self.wh_2.id})
        # W1: A (500 delivered net, 1000 to 1000) + B (300, 600 to 260)
        self.assertRow(
            by_wh[self.wh_1.id], 800.0, 1600.0, 1260.0, 800 / 1430, 1430 * 30 / 800
        )
        # W2: A (300, 400 to 100) + B (0, 0 to 400) + C (100, 200 to 100)
        self.assertRow(
            by_wh[self.wh_2.id], 400.0, 600.0, 600.0, 400 / 600, 600 * 30 / 400
        )
        self.assertEqual(by_wh[self.wh_1.id]["name"], self.wh_1.display_name)

    def test_warehouse_filter(self):
        rows = self._compute(group_by="product", warehouse_id=self.wh_2.id)
        by_product = {row["product_id"]: row for row in rows}
        self.assertEqual(
            set(by_product), {self.product_a.id, self.product_b.id, self.product_c.id}
        )
        self.assertRow(by_product[self.product_a.id], 300.0, 400.0, 100.0, 1.2, 25.0)
        # received in March, nothing delivered: turnover 0, no days of cover
        self.assertRow(by_product[self.product_b.id], 0.0, 0.0, 400.0, 0.0, False)
        self.assertRow(
            by_product[self.product_c.id], 100.0, 200.0, 100.0, 100 / 150, 45.0
        )

    def test_no_average_stock(self):
        """Goods received and all delivered within the period: no average
        stock, turnover 0 (not a division by zero), 0 days of cover."""
        category = self.env["product.category"].create({"name": "Turnover Flash"})
        product = self._create_product("Turnover E", category, 3.0)
        stock = self.wh_1.lot_stock_id
        self._transfer(
            product,
            5,
            self.env.ref("stock.stock_location_suppliers"),
            stock,
            at((3, 3)),
        )
        self._transfer(
            product,
            5,
            stock,
            self.env.ref("stock.stock_location_customers"),
            at((3, 4)),
        )
        [row] = self._compute(categ_id=category.id)
        self.assertRow(row, 15.0, 0.0, 0.0, 0.0, 0.0)

    def test_queries_do_not_grow_with_products(self):
        """One query for the figures, then the names in batch: as many
        queries for 3 products as for 13."""

        def count_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            rows = self._compute(categ_id=self.categ_p.id)
            return len(rows), self.env.cr.sql_log_count - before

        count_queries()  # the registry's caches warm
        rows, queries = count_queries()
        self.assertEqual(rows, 3)
        products = self.env["product.product"].create(
            [
                {
                    "name": f"Turnover extra {index}",
                    "is_storable": True,
                    "categ_id": self.categ_2.id,
                    "standard_price": 1.0,
                }
                for index in range(10)
            ]
        )
        stock = self.wh_1.lot_stock_id
        supplier = self.env.ref("stock.stock_location_suppliers")
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.wh_1.in_type_id.id,
                "location_id": supplier.id,
                "location_dest_id": stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "product_uom": product.uom_id.id,
                            "location_id": supplier.id,
                            "location_dest_id": stock.id,
                        }
                    )
                    for product in products
                ],
            }
        )
        receipt.action_confirm()
        receipt.move_ids.write({"quantity": 1, "picked": True})
        receipt.button_validate()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_valuation_layer SET create_date = %s "
            "WHERE stock_move_id = ANY(%s)",
            (at((3, 3)), receipt.move_ids.ids),
        )
        self.assertEqual(count_queries(), (13, queries))

    # ---- input ----------------------------------------------------------------

    def test_bad_input(self):
        with self.assertRaisesRegex(UserError, "after its end"):
            self.env["food.turnover.wizard"].compute_turnover(DATE_TO, DATE_FROM)
        with self.assertRaisesRegex(UserError, "grouped by"):
            self._compute(group_by="customer")
        with self.assertRaisesRegex(UserError, "first and the last day"):
            self.env["food.turnover.wizard"].compute_turnover(False, DATE_TO)
        with self.assertRaisesRegex(UserError, "YYYY-MM-DD"):
            self.env["food.turnover.wizard"].compute_turnover("1 March", DATE_TO)
        other = self.env["res.company"].create({"name": "Turnover Other Co"})
        other_wh = self.env["stock.warehouse"].search(
            [("company_id", "=", other.id)], limit=1
        )
        with self.assertRaisesRegex(UserError, "not a warehouse of"):
            self._compute(warehouse_id=other_wh.id)
        with self.assertRaisesRegex(UserError, "does not exist"):
            self._compute(categ_id=999999999)
        # the wizard says the same, and keeps no lines
        wizard = self.env["food.turnover.wizard"].create(
            {"date_from": DATE_TO, "date_to": DATE_FROM}
        )
        with self.assertRaisesRegex(UserError, "after its end"):
            wizard.action_compute()
        self.assertFalse(wizard.line_ids)

    # ---- wizard ---------------------------------------------------------------

    def test_wizard(self):
        user = self.users["inventory"]
        form = Form(self.env["food.turnover.wizard"].with_user(user))
        today = fields.Date.context_today(form._record)
        # the last 30 days by default
        self.assertEqual(form.date_to, today)
        self.assertEqual(form.date_from, today - timedelta(days=29))
        self.assertEqual(form.group_by, "product")
        form.date_from = date(2025, 3, 1)
        form.date_to = date(2025, 3, 30)
        form.group_by = "warehouse"
        form.categ_id = self.categ_p
        wizard = form.save()
        action = wizard.action_compute()
        self.assertEqual(action["res_model"], "food.turnover.line")
        self.assertEqual(action["context"], {"food_turnover_group_by": "warehouse"})
        lines = self.env["food.turnover.line"].with_user(user).search(action["domain"])
        # highest turnover first: W2 (0.67) then W1 (0.56)
        self.assertEqual([line.warehouse_id for line in lines], [self.wh_2, self.wh_1])
        self.assertEqual(lines[1].cogs, 800.0)
        self.assertEqual(lines[1].average_value, 1430.0)
        # stored as shown: turnover to 2 decimals, days of cover to 1
        self.assertEqual(lines[1].turnover, 0.56)
        self.assertEqual(lines[1].days_of_cover, 53.6)
        self.assertTrue(lines[1].has_days_of_cover)
        # computing again replaces the lines
        wizard.warehouse_id = self.wh_2
        wizard.group_by = "product"
        action = wizard.action_compute()
        lines = self.env["food.turnover.line"].with_user(user).search(action["domain"])
        self.assertEqual(len(lines), 3)
        no_delivery = lines.filtered(lambda line: line.product_id == self.product_b)
        self.assertEqual(no_delivery.closing_value, 400.0)
        self.assertFalse(no_delivery.has_days_of_cover)

    # ---- access ---------------------------------------------------------------

    def test_roles(self):
        for role in ("manager", "inventory"):
            rows = self._compute(self.users[role], categ_id=self.categ_p.id)
            self.assertEqual(len(rows), 3, role)
            self.env["food.turnover.wizard"].with_user(self.users[role]).create({})
        for role in ("receiver", "processor", "logistics", "aftersales"):
            with self.assertRaises(AccessError, msg=role):
                self._compute(self.users[role])
            with self.assertRaises(AccessError, msg=role):
                self.env["food.turnover.wizard"].with_user(self.users[role]).create({})
            with self.assertRaises(AccessError, msg=role):
                self.env["food.turnover.line"].with_user(self.users[role]).search([])

    def test_other_company(self):
        """An inventory manager sees the turnover of their companies only."""
        other = self.env["res.company"].create({"name": "Turnover Other Co"})
        with self.assertRaisesRegex(AccessError, "this company"):
            self._compute(self.users["inventory"], company_id=other.id)
        self.users["inventory"].company_ids |= other
        self.assertEqual(
            self._compute(self.users["inventory"], company_id=other.id), []
        )

    # ---- RPC ------------------------------------------------------------------

    def test_compute_over_xmlrpc(self):
        """What a BI tool reads: the turnover per warehouse, no None."""
        rpc = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self.cr), allow_none=True
        )
        user = self.users["inventory"]
        rows = rpc.execute_kw(
            get_db_name(),
            user.id,
            user.login,
            "food.turnover.wizard",
            "compute_turnover",
            [DATE_FROM, DATE_TO],
            {"group_by": "warehouse", "categ_id": self.categ_p.id},
        )
        self.assertFalse(find_none(rows), rows)
        self.assertEqual(
            [row["warehouse_id"] for row in rows], [self.wh_2.id, self.wh_1.id]
        )
        self.assertEqual(rows[0]["cogs"], 400.0)
        self.assertEqual(rows[0]["average_value"], 600.0)
        self.assertAlmostEqual(rows[0]["turnover"], 400 / 600)
        self.assertAlmostEqual(rows[0]["days_of_cover"], 45.0)
        self.assertIs(rows[0]["product_id"], False)
        receiver = self.users["receiver"]
        with self.assertRaisesRegex(xmlrpc.client.Fault, "inventory turnover"):
            rpc.execute_kw(
                get_db_name(),
                receiver.id,
                receiver.login,
                "food.turnover.wizard",
                "compute_turnover",
                [DATE_FROM, DATE_TO],
            )
