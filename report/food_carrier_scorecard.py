# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.food_tracking_event import TRANSPORT_STATUSES


class FoodCarrierScorecard(models.Model):
    """Carrier scorecard (regulation 9.2), one row per delivery handed over
    to a carrier: on-time delivery against the date promised to the
    customer, failed deliveries and shipping cost, per carrier and region,
    for the pivot and graph views and for BI tools over RPC
    (``read_group``)."""

    _name = "food.carrier.scorecard"
    _description = "Carrier Scorecard"
    _auto = False
    _rec_name = "picking_id"
    _order = "date desc"
    # flushed before the view is read
    _depends = {
        "stock.picking": [
            "carrier_id",
            "carrier_price",
            "company_id",
            "food_delivered_date",
            "food_handover_date",
            "food_transport_status",
            "partner_id",
            "picking_type_id",
            "sale_id",
        ],
        "stock.picking.type": ["code"],
        "res.company": ["currency_id"],
        "res.partner": ["city", "country_id", "state_id"],
        "sale.order": ["commitment_date"],
        "food.tracking.event": ["picking_id", "status"],
    }

    carrier_id = fields.Many2one("delivery.carrier", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Delivery", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Delivery Address", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Datetime(string="Handed Over On", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Region", readonly=True)
    city = fields.Char(readonly=True)
    transport_status = fields.Selection(TRANSPORT_STATUSES, readonly=True)
    commitment_date = fields.Datetime(string="Promised For", readonly=True)
    delivered_date = fields.Datetime(string="Delivered On", readonly=True)
    delivery_count = fields.Integer(string="Deliveries", readonly=True)
    on_time = fields.Float(
        string="Delivered on Time (%)",
        readonly=True,
        aggregator="avg",
        help="100 for a delivery that reached the customer by the date "
        "promised on the order, 0 for one delivered later or not delivered "
        "past that date; averaged, the rate of deliveries on time (deliveries "
        "without a promised date, or still before it, are left out).",
    )
    failed = fields.Integer(
        string="Failed Deliveries",
        readonly=True,
        help="1 when the carrier reported the delivery failed or returned to "
        "the sender.",
    )
    failure_rate = fields.Float(
        string="Failure Rate (%)",
        readonly=True,
        aggregator="avg",
        help="100 for a failed or returned delivery, 0 otherwise; averaged, "
        "the rate of failed deliveries.",
    )
    cost = fields.Monetary(
        string="Shipping Cost",
        readonly=True,
        help="The carrier's price of the delivery (transfers without one are "
        "left out of the cost per delivery).",
    )
    cost_per_delivery = fields.Monetary(
        string="Cost per Delivery", readonly=True, aggregator="avg"
    )

    @property
    def _table_query(self):
        return """
            SELECT
                p.id AS id,
                p.id AS picking_id,
                p.carrier_id AS carrier_id,
                p.sale_id AS order_id,
                p.partner_id AS partner_id,
                p.company_id AS company_id,
                c.currency_id AS currency_id,
                p.food_handover_date AS date,
                rp.country_id AS country_id,
                rp.state_id AS state_id,
                rp.city AS city,
                p.food_transport_status AS transport_status,
                so.commitment_date AS commitment_date,
                p.food_delivered_date AS delivered_date,
                1 AS delivery_count,
                CASE
                    WHEN so.commitment_date IS NULL THEN NULL
                    WHEN p.food_delivered_date IS NOT NULL THEN
                        CASE WHEN p.food_delivered_date <= so.commitment_date
                            THEN 100.0 ELSE 0.0 END
                    WHEN so.commitment_date < (NOW() AT TIME ZONE 'UTC') THEN 0.0
                END AS on_time,
                CASE WHEN failed.picking_id IS NULL THEN 0 ELSE 1 END AS failed,
                CASE WHEN failed.picking_id IS NULL THEN 0.0 ELSE 100.0 END
                    AS failure_rate,
                p.carrier_price AS cost,
                p.carrier_price AS cost_per_delivery
            FROM stock_picking p
            JOIN stock_picking_type pt ON pt.id = p.picking_type_id
            JOIN res_company c ON c.id = p.company_id
            LEFT JOIN res_partner rp ON rp.id = p.partner_id
            LEFT JOIN sale_order so ON so.id = p.sale_id
            LEFT JOIN (
                SELECT DISTINCT picking_id
                  FROM food_tracking_event
                 WHERE status IN ('failed', 'returned')
            ) failed ON failed.picking_id = p.id
            WHERE pt.code = 'outgoing'
              AND p.food_handover_date IS NOT NULL
              AND p.carrier_id IS NOT NULL
        """
