# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import OrderCenterCommon


@tagged("post_install", "-at_install")
class TestStockCheck(OrderCenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the test orders look alike: no duplicate warnings
        cls.env.company.food_duplicate_window_hours = 0
        cls.cake = cls.env["product.product"].create(
            {"name": "Birthday cake", "is_storable": True, "list_price": 100.0}
        )
        cls.today = fields.Date.context_today(cls.env["sale.order"])

    def _order(self, lines, **vals):
        return self._create_order(lines=lines, intake_channel="other", **vals)

    def _receipt(self, product, qty, days):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.warehouse.lot_stock_id.id,
                "scheduled_date": datetime.now() + timedelta(days=days),
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": self.env.ref(
                                "stock.stock_location_suppliers"
                            ).id,
                            "location_dest_id": self.warehouse.lot_stock_id.id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    def test_line_and_order_statuses(self):
        order = self._order([(self.dumplings, 2), (self.noodles, 100), (self.cake, 1)])
        dumplings, noodles, cake = order.order_line
        self.assertEqual(dumplings.stock_status, "available")
        self.assertEqual(noodles.stock_status, "partial")
        self.assertEqual(noodles.stock_available_qty, 80)
        self.assertEqual(cake.stock_status, "shortage")
        self.assertEqual(order.stock_status, "partial")
        self.assertEqual(order.stock_confirmation, "to_confirm")
        self.assertEqual(self._order([(self.dumplings, 50)]).stock_status, "available")
        self.assertEqual(self._order([(self.cake, 2)]).stock_status, "shortage")
        # lines of one order share the free stock of a product
        shared = self._order([(self.dumplings, 30), (self.dumplings, 30)])
        self.assertEqual(
            shared.order_line.mapped("stock_status"), ["available", "partial"]
        )

    def test_entry_status_kept_and_recheck_after_correction(self):
        order = self._order([(self.noodles, 100)])
        line = order.order_line
        self.assertEqual(line.stock_entry_status, "partial")
        line.product_uom_qty = 10
        self.assertEqual(line.stock_status, "available")
        self.assertEqual(line.stock_entry_status, "partial")
        self.assertFalse(order.stock_confirmation)

    def test_lots_past_removal_date_not_available(self):
        milk = self.env["product.product"].create(
            {
                "name": "Fresh milk",
                "is_storable": True,
                "tracking": "lot",
                "use_expiration_date": True,
                "list_price": 8.0,
            }
        )
        soon = self.env["stock.lot"].create(
            {"name": "MILK-SOON", "product_id": milk.id}
        )
        later = self.env["stock.lot"].create(
            {"name": "MILK-LATER", "product_id": milk.id}
        )
        soon.removal_date = datetime.now() + timedelta(days=1)
        later.removal_date = datetime.now() + timedelta(days=20)
        quants = self.env["stock.quant"]
        quants._update_available_quantity(
            milk, self.warehouse.lot_stock_id, 10, lot_id=soon
        )
        quants._update_available_quantity(
            milk, self.warehouse.lot_stock_id, 5, lot_id=later
        )
        today_order = self._order([(milk, 12)])
        self.assertEqual(today_order.order_line.stock_status, "available")
        late_order = self._order(
            [(milk, 8)], commitment_date=datetime.now() + timedelta(days=3)
        )
        line = late_order.order_line
        self.assertEqual(line.stock_status, "partial")
        self.assertEqual(line.stock_available_qty, 5)
        # a lot on quality hold does not count either
        later.sudo().food_quality_hold = True
        late_order.action_recheck()
        self.assertEqual(line.stock_status, "shortage")

    def test_stock_days_in_the_users_time_zone(self):
        """The removal and receipt days are the user's days, as
        ``fields.Date.context_today`` counts them (an invalid time zone
        counts as UTC): 20:00 UTC on the 10th is the 11th in Shanghai."""
        milk = self.env["product.product"].create(
            {
                "name": "Evening milk",
                "is_storable": True,
                "tracking": "lot",
                "use_expiration_date": True,
            }
        )
        lot = self.env["stock.lot"].create({"name": "MILK-EVE", "product_id": milk.id})
        lot.removal_date = datetime(2026, 12, 10, 20, 0)
        self.env["stock.quant"]._update_available_quantity(
            milk, self.warehouse.lot_stock_id, 4, lot_id=lot
        )
        receipt = self._receipt(milk, 6, days=3)
        receipt.move_ids.date = datetime(2026, 12, 12, 17, 30)
        key = (milk.id, self.warehouse.id)
        for tz, removal_day, receipt_day in [
            ("Asia/Shanghai", date(2026, 12, 11), date(2026, 12, 13)),
            ("UTC", date(2026, 12, 10), date(2026, 12, 12)),
            ("Mars/Olympus_Mons", date(2026, 12, 10), date(2026, 12, 12)),
        ]:
            with self.subTest(tz=tz):
                product = milk.with_context(tz=tz)
                self.assertEqual(
                    product._get_food_stock(self.warehouse)[key], [(removal_day, 4)]
                )
                self.assertEqual(
                    product._get_food_receipts(self.warehouse)[key],
                    [(receipt_day, 6)],
                )

    def test_restock_date_from_next_receipt(self):
        self._receipt(self.cake, 5, days=4)
        self._receipt(self.cake, 5, days=9)
        order = self._order(
            [(self.cake, 2)], commitment_date=datetime.now() + timedelta(days=6)
        )
        line = order.order_line
        self.assertEqual(line.stock_restock_date, self.today + timedelta(days=4))
        self.assertEqual(order.expected_restock_date, self.today + timedelta(days=4))
        # the forecast counts what arrives by the requested date only
        self.assertEqual(line.stock_forecast_qty, 5)

    def test_restock_date_from_supplier_lead_time(self):
        supplier = self.env["res.partner"].create({"name": "Bakery supplier"})
        self.env["product.supplierinfo"].create(
            {
                "partner_id": supplier.id,
                "product_tmpl_id": self.cake.product_tmpl_id.id,
                "delay": 7,
            }
        )
        order = self._order([(self.cake, 2)])
        self.assertEqual(
            order.order_line.stock_restock_date, self.today + timedelta(days=7)
        )

    def test_restock_date_follows_proposal_until_confirmed(self):
        order = self._order([(self.cake, 2)])
        self.assertFalse(order.expected_restock_date)
        supplier = self.env["res.partner"].create({"name": "Cake supplier"})
        seller = self.env["product.supplierinfo"].create(
            {
                "partner_id": supplier.id,
                "product_tmpl_id": self.cake.product_tmpl_id.id,
                "delay": 3,
            }
        )
        order.action_recheck()
        self.assertEqual(order.expected_restock_date, self.today + timedelta(days=3))
        order.with_user(self.users["inventory"]).action_confirm_stock_check()
        seller.delay = 5
        order.action_recheck()
        self.assertEqual(
            order.order_line.stock_restock_date, self.today + timedelta(days=5)
        )
        # what the inventory manager confirmed stays
        self.assertEqual(order.expected_restock_date, self.today + timedelta(days=3))
        self.assertEqual(order.stock_confirmation, "confirmed")

    def test_restock_date_unknown_without_receipt_or_supplier(self):
        order = self._order([(self.cake, 2)])
        self.assertFalse(order.order_line.stock_restock_date)
        self.assertFalse(order.expected_restock_date)

    def test_shortage_notifies_processor_and_inventory(self):
        activity_type = self.env.ref(
            "food_order_center.mail_activity_type_stock_shortage"
        )
        order = self._order([(self.cake, 2)], processor_id=self.processor.id)
        # verified after the processor was set: check again with them known
        order.action_recheck()
        activities = order.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertIn(self.processor, activities.user_id)
        self.assertIn(self.users["inventory"], activities.user_id)
        self.assertEqual(len(activities), len(activities.user_id), "one notice each")
        # a new shortage replaces the notices instead of adding to them
        order.order_line.product_uom_qty = 3
        activities = order.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(len(activities), len(activities.user_id))
        # confirmed: the inventory notices are done, the processor keeps theirs
        order.with_user(self.users["inventory"]).action_confirm_stock_check()
        activities = order.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(activities.user_id, self.processor)
        order._action_cancel()
        self.assertFalse(
            order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        )

    def test_inventory_manager_confirms_and_corrects_restock_date(self):
        order = self._order([(self.cake, 2)])
        new_date = self.today + timedelta(days=10)
        with self.assertRaises(AccessError):
            order.with_user(self.processor).action_confirm_stock_check(new_date)
        with self.assertRaises(AccessError):
            order.with_user(self.users["receiver"]).write(
                {"expected_restock_date": new_date}
            )
        wizard = (
            self.env["food.stock.check.wizard"]
            .with_user(self.users["inventory"])
            .with_context(active_ids=order.ids)
            .create({"expected_restock_date": new_date})
        )
        wizard.action_confirm()
        self.env.cr.precommit.run()  # tracking is written on commit
        self.assertEqual(order.stock_confirmation, "confirmed")
        self.assertEqual(order.stock_confirmed_by_id, self.users["inventory"])
        self.assertEqual(order.expected_restock_date, new_date)
        tracked = order.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "expected_restock_date"
        )
        self.assertTrue(tracked, "the corrected date is tracked")
        with self.assertRaises(UserError):
            order.with_user(self.users["inventory"]).action_confirm_stock_check()
        self.assertIn(
            order,
            self.env["sale.order"].search([("stock_confirmation", "=", "confirmed")]),
        )

    def test_checked_again_on_confirmation_with_own_reservation(self):
        order = self._order([(self.dumplings, 50)])
        self.assertEqual(order.order_line.stock_status, "available")
        order.action_confirm()
        self.assertEqual(order.order_line.move_ids.quantity, 50)
        # the order's own reservation still counts for it
        self.assertEqual(order.order_line.stock_status, "available")
        other = self._order([(self.dumplings, 1)])
        self.assertEqual(other.order_line.stock_status, "shortage")

    def test_inventory_manager_rechecks_confirmed_order(self):
        order = self._order([(self.cake, 2)], processor_id=self.processor.id)
        order.action_confirm()
        order.with_user(self.users["inventory"]).action_recheck()
        self.assertTrue(order.stock_recheck_date)
        self.assertEqual(
            order.message_ids[0].author_id, self.users["inventory"].partner_id
        )
        with self.assertRaises(AccessError):
            order.with_user(self.users["aftersales"]).action_recheck()

    def test_inventory_manager_rechecks_a_quotation_whose_verification_changes(self):
        order = self._order([(self.dumplings, 2)])
        self.assertEqual(order.verification_state, "verified")
        # the line's price no longer matches the price list
        self.dumplings.list_price = 30
        order.with_user(self.users["inventory"]).action_recheck()
        self.assertNotEqual(order.verification_state, "verified")
        self.assertTrue(order.stock_recheck_date)

    def test_cancel_clears_pending_confirmation(self):
        order = self._order([(self.cake, 2)])
        self.assertEqual(order.stock_confirmation, "to_confirm")
        order._action_cancel()
        self.assertFalse(order.stock_confirmation)

    def test_results_not_writable_directly(self):
        order = self._order([(self.dumplings, 2)])
        with self.assertRaises(AccessError):
            order.with_user(self.users["receiver"]).write({"stock_status": "available"})
        with self.assertRaises(AccessError):
            order.order_line.with_user(self.users["receiver"]).write(
                {"stock_status": "shortage"}
            )

    def _measure(self, method, records):
        self.env.flush_all()
        self.env.invalidate_all()
        # as the records come from a search: prefetched together
        records = records.browse(records.ids)
        before = self.env.cr.sql_log_count
        method(records)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_stock_check_looks_up_the_held_lots_only(self):
        """The goods of a lot on quality hold don't count: the check leaves
        out the lots on hold, which PostgreSQL looks up, rather than keeping
        every other lot, which it read whole for each order (50 to 80 ms
        with 100,000 lots)."""
        rice = self.env["product.product"].create(
            {"name": "Rice by lot", "is_storable": True, "tracking": "lot"}
        )
        lots = self.env["stock.lot"].create(
            [
                {"name": f"RICE-{index:03d}", "product_id": rice.id}
                for index in range(40)
            ]
        )
        for lot in lots[:3]:
            self.env["stock.quant"]._update_available_quantity(
                rice, self.warehouse.lot_stock_id, 10, lot_id=lot
            )
        lots[0].sudo().food_quality_hold = True
        self.env.flush_all()
        queries = []
        execute = type(self.env.cr).execute

        def record(cr, query, params=None, log_exceptions=True):
            queries.append(query)
            return execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", record):
            stock = rice._get_food_stock(self.warehouse)
        self.assertEqual(
            sum(qty for _day, qty in stock[(rice.id, self.warehouse.id)]), 20
        )
        [query] = [
            q for q in queries if "stock_quant" in str(q) and "stock_lot" in str(q)
        ]
        self.env.cr.execute(SQL("EXPLAIN (ANALYZE, FORMAT JSON) %s", query))
        [[plan]] = self.env.cr.fetchone()

        def lot_rows(node):
            rows = 0
            if node.get("Relation Name") == "stock_lot":
                rows += node["Actual Rows"] * node["Actual Loops"]
            return rows + sum(lot_rows(child) for child in node.get("Plans", []))

        self.assertEqual(lot_rows(plan["Plan"]), 1)

    def test_stock_check_batched(self):
        def orders(count, product):
            return (
                self.env["sale.order"]
                ._food_deferred()
                .create(
                    [
                        {
                            "partner_id": self.customer.id,
                            "intake_channel": "other",
                            "order_line": [
                                (
                                    0,
                                    0,
                                    {
                                        "product_id": self.dumplings.id,
                                        "product_uom_qty": 1,
                                    },
                                ),
                                (
                                    0,
                                    0,
                                    {"product_id": product.id, "product_uom_qty": 1},
                                ),
                            ],
                        }
                        for _i in range(count)
                    ]
                )
            )

        # warm the caches (references, translations) first
        orders(1, self.cake)._run_stock_check()
        # orders: what the check costs does not grow with the orders
        order_check = type(self.env["sale.order"])._run_stock_check
        small = self._measure(order_check, orders(2, self.noodles))
        large = self._measure(order_check, orders(12, self.noodles))
        self.assertEqual(small, large, "orders all in stock")
        # lines short of stock: the same for the check itself (the notices
        # of new shortages are activities, one per order and person)
        line_check = type(self.env["sale.order.line"])._run_stock_check
        small = self._measure(line_check, orders(2, self.cake).order_line)
        large = self._measure(line_check, orders(12, self.cake).order_line)
        self.assertEqual(small, large, "lines short of stock")
