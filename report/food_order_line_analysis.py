# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..models.sale_order import INTAKE_CHANNELS
from .food_analysis_mixin import FactMany2one
from .food_order_analysis import (
    COMPANY_RATE,
    ORDER_DIMENSION_COLUMNS,
    ORDER_DIMENSIONS,
    set_day_statistics,
)

# the columns that _food_select gives, in its order
LINE_COLUMNS = (
    "id",
    "order_id",
    "order_count",
    "company_id",
    "currency_id",
    "product_id",
    "categ_id",
    *ORDER_DIMENSION_COLUMNS,
    "date",
    "product_uom_qty",
    "qty_delivered",
    "amount_untaxed",
)


class FoodOrderLineAnalysis(models.Model):
    """What customers buy (R20, buying behaviour), one row per product line
    of an order-center order that was not cancelled: the top products and
    categories per channel, platform and region over any period.

    A table kept with the order facts (see ``food.order.analysis``): the
    lines of an order are written again with the order's facts."""

    _name = "food.order.line.analysis"
    _inherit = ["food.analysis.mixin"]
    _description = "Order Center Product Analysis"
    _log_access = False
    _rec_name = "product_id"
    _order = "date desc, id desc"

    order_id = fields.Many2one(
        "sale.order", readonly=True, required=True, index=True, ondelete="cascade"
    )
    company_id = FactMany2one("res.company", readonly=True)
    currency_id = FactMany2one("res.currency", readonly=True)
    product_id = FactMany2one("product.product", readonly=True, index=True)
    categ_id = FactMany2one(
        "product.category", string="Product Category", readonly=True
    )
    partner_id = FactMany2one(
        "res.partner", string="Customer", readonly=True, aggregator="count_distinct"
    )
    partner_shipping_id = FactMany2one(
        "res.partner", string="Delivery Address", readonly=True, index=True
    )
    country_id = FactMany2one("res.country", readonly=True)
    state_id = FactMany2one("res.country.state", string="Region", readonly=True)
    city = fields.Char(readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    channel = fields.Selection(INTAKE_CHANNELS, readonly=True)
    platform_id = FactMany2one(
        "food.sales.platform", string="Sales Platform", readonly=True
    )
    date = fields.Datetime(string="Received On", readonly=True, index=True)
    product_uom_qty = fields.Float(string="Quantity Ordered", readonly=True)
    qty_delivered = fields.Float(string="Quantity Delivered", readonly=True)
    amount_untaxed = fields.Monetary(
        string="Untaxed Amount",
        readonly=True,
        help="In the company's currency, at the rate of the order.",
    )
    order_count = FactMany2one(
        "sale.order",
        string="Orders",
        readonly=True,
        aggregator="count_distinct",
        help="Orders with the product; grouped, the distinct orders.",
    )

    def init(self):
        FactMany2one.drop_foreign_keys(self)
        set_day_statistics(self.env.cr, self._table)

    @api.model
    def _food_insert(self, condition):
        """Write the product lines of the orders that meet ``condition`` (an
        SQL condition on ``sale_order o``)."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO food_order_line_analysis (%(columns)s)
                SELECT
                    l.id,
                    o.id,
                    o.id,
                    o.company_id,
                    c.currency_id,
                    l.product_id,
                    t.categ_id,
                    %(dimensions)s,
                    o.create_date,
                    l.product_uom_qty,
                    l.qty_delivered,
                    l.price_subtotal / %(rate)s
                FROM sale_order_line l
                JOIN sale_order o ON o.id = l.order_id
                JOIN res_company c ON c.id = o.company_id
                JOIN product_product p ON p.id = l.product_id
                JOIN product_template t ON t.id = p.product_tmpl_id
                LEFT JOIN res_partner ship ON ship.id = o.partner_shipping_id
                WHERE o.intake_channel IS NOT NULL
                  AND o.intake_channel != 'exchange'
                  AND o.state != 'cancel'
                  AND l.display_type IS NULL
                  AND NOT COALESCE(l.is_delivery, FALSE)
                  AND %(condition)s
                """,
                columns=SQL(", ").join(map(SQL.identifier, LINE_COLUMNS)),
                dimensions=ORDER_DIMENSIONS,
                rate=SQL(COMPANY_RATE),
                condition=condition,
            )
        )

    @api.model
    def _food_write_orders(self, order_ids, written=None):
        """Write the product lines of ``order_ids`` again; ``written``: those
        that may have rows already (all if not given)."""
        written = list(order_ids if written is None else written)
        if written:
            self.env.cr.execute(
                SQL(
                    "DELETE FROM food_order_line_analysis WHERE order_id = ANY(%s)",
                    written,
                )
            )
        self._food_insert(SQL("o.id = ANY(%s)", list(order_ids)))

    @api.model
    def _food_write_categories(self, product_ids):
        """The category of the lines of ``product_ids``."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE food_order_line_analysis f
                   SET categ_id = t.categ_id
                  FROM product_product p
                  JOIN product_template t ON t.id = p.product_tmpl_id
                 WHERE p.id = ANY(%s)
                   AND f.product_id = p.id
                   AND f.categ_id IS DISTINCT FROM t.categ_id
                """,
                sorted(product_ids),
            )
        )

    def flush_model(self, fnames=None):
        # what the transaction changed is written before the facts are read
        self.env["food.order.analysis"].sudo()._food_write_pending()
        return super().flush_model(fnames)
