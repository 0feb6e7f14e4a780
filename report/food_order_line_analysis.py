# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.sale_order import INTAKE_CHANNELS
from .food_order_analysis import COMPANY_RATE


class FoodOrderLineAnalysis(models.Model):
    """What customers buy (R20, buying behaviour), one row per product line
    of an order-center order that was not cancelled: the top products and
    categories per channel, platform and region over any period."""

    _name = "food.order.line.analysis"
    _description = "Order Center Product Analysis"
    _auto = False
    _rec_name = "product_id"
    _order = "date desc"
    _depends = {
        "sale.order.line": [
            "display_type",
            "is_delivery",
            "order_id",
            "price_subtotal",
            "product_id",
            "product_uom_qty",
            "qty_delivered",
        ],
        "sale.order": [
            "company_id",
            "create_date",
            "currency_rate",
            "intake_channel",
            "partner_id",
            "partner_shipping_id",
            "platform_id",
            "state",
            "warehouse_id",
        ],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
        "res.partner": ["city", "country_id", "state_id"],
    }

    order_id = fields.Many2one("sale.order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, aggregator="count_distinct"
    )
    country_id = fields.Many2one("res.country", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Region", readonly=True)
    city = fields.Char(readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    channel = fields.Selection(INTAKE_CHANNELS, readonly=True)
    platform_id = fields.Many2one(
        "food.sales.platform", string="Sales Platform", readonly=True
    )
    date = fields.Datetime(string="Received On", readonly=True)
    product_uom_qty = fields.Float(string="Quantity Ordered", readonly=True)
    qty_delivered = fields.Float(string="Quantity Delivered", readonly=True)
    amount_untaxed = fields.Monetary(
        string="Untaxed Amount",
        readonly=True,
        help="In the company's currency, at the rate of the order.",
    )
    order_count = fields.Many2one(
        "sale.order",
        string="Orders",
        readonly=True,
        aggregator="count_distinct",
        help="Orders with the product; grouped, the distinct orders.",
    )

    @property
    def _table_query(self):
        return f"""
            SELECT
                l.id AS id,
                o.id AS order_id,
                o.id AS order_count,
                o.company_id AS company_id,
                c.currency_id AS currency_id,
                l.product_id AS product_id,
                t.categ_id AS categ_id,
                o.partner_id AS partner_id,
                ship.country_id AS country_id,
                ship.state_id AS state_id,
                ship.city AS city,
                o.warehouse_id AS warehouse_id,
                o.intake_channel AS channel,
                o.platform_id AS platform_id,
                o.create_date AS date,
                l.product_uom_qty AS product_uom_qty,
                l.qty_delivered AS qty_delivered,
                l.price_subtotal / {COMPANY_RATE} AS amount_untaxed
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
        """
