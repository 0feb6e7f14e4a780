# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

import pytz

from odoo import fields, models
from odoo.tools import SQL


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _get_food_tz(self):
        """The time zone of the days the stock check compares (removal and
        receipt days): the one of ``fields.Date.context_today``."""
        tz = self.env.context.get("tz") or self.env.user.tz
        return tz if tz in pytz.all_timezones_set else "UTC"

    def _food_day(self, column):
        """SQL: the day of the UTC datetime ``column`` in ``_get_food_tz``,
        as ``read_group`` gives it (``column:day``)."""
        return SQL(
            "(timezone(%s, timezone('UTC', %s)))::date", self._get_food_tz(), column
        )

    def _get_food_stock(self, warehouses):
        """Free stock of the products in the warehouses, by removal date.

        One query for any number of products and warehouses, on the stock
        check's hot path (every order received): plain SQL, as the ORM's
        grouping would read each quant's location and lot through
        subqueries, then the locations again to find their warehouses. Quants
        of lots on quality hold and returned goods in quarantine (the
        warehouses' RMA locations, until their inspection) are left out:
        they can't be delivered. Only quantities come out: the order center
        needs them whatever the user's inventory rights (receivers, API
        users).

        :return: {(product_id, warehouse_id): [(removal date or None, free_qty)]}
            quantities in the product's unit of measure
        """
        result = defaultdict(list)
        if not self or not warehouses:
            return result
        self.env["stock.quant"].flush_model(
            [
                "product_id",
                "location_id",
                "lot_id",
                "quantity",
                "reserved_quantity",
                "removal_date",
            ]
        )
        self.env["stock.location"].flush_model(["usage", "warehouse_id"])
        self.env["stock.lot"].flush_model(["food_quality_hold"])
        # the lots on hold, few, are found by their index; keeping the lots
        # not on hold instead made PostgreSQL read every lot (50 to 80 ms
        # with 100,000 lots)
        self.env.cr.execute(
            SQL(
                """
                SELECT q.product_id, loc.warehouse_id, %(day)s,
                       SUM(COALESCE(q.quantity, 0) - COALESCE(q.reserved_quantity, 0))
                  FROM stock_quant q
                  JOIN stock_location loc ON loc.id = q.location_id
                 WHERE q.product_id = ANY(%(products)s)
                   AND loc.usage = 'internal'
                   AND loc.warehouse_id = ANY(%(warehouses)s)
                   AND loc.id != ALL(%(quarantine)s)
                   AND (q.lot_id IS NULL OR q.lot_id NOT IN (
                       SELECT id FROM stock_lot WHERE food_quality_hold
                   ))
              GROUP BY 1, 2, 3
                """,
                day=self._food_day(SQL("q.removal_date")),
                products=self.ids,
                warehouses=warehouses.ids,
                quarantine=warehouses.sudo().rma_loc_id.ids,
            )
        )
        for product_id, warehouse_id, removal_day, free_qty in self.env.cr.fetchall():
            result[(product_id, warehouse_id)].append((removal_day, free_qty))
        return result

    def _get_food_receipts(self, warehouses):
        """Quantities still to be received, by day, in the warehouses (one
        query, see ``_get_food_stock``).

        :return: {(product_id, warehouse_id): [(date, qty)]} sorted by date
        """
        result = defaultdict(list)
        if not self or not warehouses:
            return result
        self.env["stock.move"].flush_model(
            ["product_id", "picking_type_id", "state", "date", "product_qty"]
        )
        self.env["stock.picking.type"].flush_model(["code", "warehouse_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT m.product_id, t.warehouse_id, %(day)s,
                       COALESCE(SUM(m.product_qty), 0)
                  FROM stock_move m
                  JOIN stock_picking_type t ON t.id = m.picking_type_id
                 WHERE m.product_id = ANY(%(products)s)
                   AND t.code = 'incoming'
                   AND t.warehouse_id = ANY(%(warehouses)s)
                   AND m.state NOT IN ('draft', 'done', 'cancel')
              GROUP BY 1, 2, 3
              ORDER BY 3
                """,
                day=self._food_day(SQL("m.date")),
                products=self.ids,
                warehouses=warehouses.ids,
            )
        )
        for product_id, warehouse_id, day, qty in self.env.cr.fetchall():
            result[(product_id, warehouse_id)].append((day, qty))
        return result

    def _get_food_supplier_delay(self, company):
        """Supplier lead time of the product in days, or None without supplier."""
        self.ensure_one()
        # supplier prices stay hidden: only the lead time comes out
        delays = [
            seller.delay
            for seller in self.sudo().seller_ids
            if not seller.company_id or seller.company_id == company
            if not seller.product_id or seller.product_id == self
        ]
        return min(delays) if delays else None

    @staticmethod
    def _food_usable_qty(entries, delivery_date):
        """Free quantity of ``entries`` (see _get_food_stock) that is not past
        its removal date on ``delivery_date``."""
        return sum(
            qty
            for removal_day, qty in entries
            if not removal_day or fields.Date.to_date(removal_day) > delivery_date
        )
