# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _get_food_tz(self):
        """The time zone of the days the stock check compares (removal and
        receipt days): the one of ``fields.Date.context_today``."""
        return self.env.context.get("tz") or self.env.user.tz or "UTC"

    def _get_food_stock(self, warehouses):
        """Free stock of the products in the warehouses, by removal date.

        One query for any number of products and warehouses. Quants of lots
        on quality hold and returned goods in quarantine (the warehouses' RMA
        locations, until their inspection) are left out: they can't be
        delivered.

        :return: {(product_id, warehouse_id): [(removal_date or None, free_qty)]}
            quantities in the product's unit of measure
        """
        result = defaultdict(list)
        if not self or not warehouses:
            return result
        # only quantities come out: the order center needs them whatever
        # the user's inventory rights (receivers, API users)
        groups = (
            self.env["stock.quant"]
            .sudo()
            .with_context(tz=self._get_food_tz())
            ._read_group(
                [
                    ("product_id", "in", self.ids),
                    ("location_id.usage", "=", "internal"),
                    ("location_id.warehouse_id", "in", warehouses.ids),
                    ("location_id", "not in", warehouses.sudo().rma_loc_id.ids),
                    *self.env["stock.lot"]._food_not_held_domain(),
                ],
                ["product_id", "location_id", "removal_date:day"],
                ["quantity:sum", "reserved_quantity:sum"],
            )
        )
        for product, location, removal_day, quantity, reserved in groups:
            key = (product.id, location.warehouse_id.id)
            result[key].append((removal_day, quantity - reserved))
        return result

    def _get_food_receipts(self, warehouses):
        """Quantities still to be received, by day, in the warehouses.

        :return: {(product_id, warehouse_id): [(date, qty)]} sorted by date
        """
        result = defaultdict(list)
        if not self or not warehouses:
            return result
        # only quantities and dates come out (see _get_food_stock)
        groups = (
            self.env["stock.move"]
            .sudo()
            .with_context(tz=self._get_food_tz())
            ._read_group(
                [
                    ("product_id", "in", self.ids),
                    ("picking_type_id.code", "=", "incoming"),
                    ("picking_type_id.warehouse_id", "in", warehouses.ids),
                    ("state", "not in", ("draft", "done", "cancel")),
                ],
                ["product_id", "picking_type_id", "date:day"],
                ["product_qty:sum"],
            )
        )
        for product, picking_type, day, qty in groups:
            result[(product.id, picking_type.warehouse_id.id)].append(
                (fields.Date.to_date(day), qty)
            )
        for entries in result.values():
            entries.sort()
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
