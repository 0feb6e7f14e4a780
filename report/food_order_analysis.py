# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.food_order_exception_delay import LATE_TYPES
from ..models.sale_order import INTAKE_CHANNELS, ORDER_CENTER_STAGES, URGENCY_LEVELS

# amounts of an order in its company's currency (the way sale.report does)
COMPANY_RATE = (
    "CASE COALESCE(o.currency_rate, 0) WHEN 0 THEN 1.0 ELSE o.currency_rate END"
)


def hours_between(start, end):
    return f"EXTRACT(EPOCH FROM {end} - {start}) / 3600.0"


class FoodOrderAnalysis(models.Model):
    """Order facts (R20), one row per order-center order: the time of each
    step and the hours between them, on-time delivery, clarifications,
    exceptions and complaints, amounts and logistics cost, for the pivot and
    graph views, the dashboard and BI tools over RPC (``read_group``).

    Everything is read from columns of ``sale_order`` stored when the step
    happens (see ``sale_order_analysis.py``), so a pivot over a million orders
    scans one table; the flags that look at other tables, and the customers'
    first orders, are evaluated only when a query asks for them."""

    _name = "food.order.analysis"
    _description = "Order Center Analysis"
    _auto = False
    _rec_name = "order_id"
    _order = "date desc"
    # what a search flushes first, so that it reads what was just written
    _depends = {
        "sale.order": [
            "amount_total",
            "amount_untaxed",
            "carrier_id",
            "clarification_count",
            "clarification_hours",
            "commitment_date",
            "company_id",
            "create_date",
            "create_uid",
            "currency_rate",
            "food_assigned_date",
            "food_delivered_date",
            "food_line_count",
            "food_logistics_cost",
            "food_shipped_date",
            "intake_channel",
            "order_center_stage",
            "partner_id",
            "partner_shipping_id",
            "platform_id",
            "processor_id",
            "state",
            "urgency",
            "verification_date",
            "verification_state",
            "warehouse_id",
        ],
        "res.partner": ["city", "country_id", "state_id"],
        "food.order.exception": ["exception_type", "order_id"],
        "helpdesk.ticket": ["food_case_type", "food_order_id"],
    }

    order_id = fields.Many2one("sale.order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
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
    urgency = fields.Selection(URGENCY_LEVELS, readonly=True)
    stage = fields.Selection(ORDER_CENTER_STAGES, readonly=True)
    is_cancelled = fields.Boolean(string="Cancelled", readonly=True)
    receiver_id = fields.Many2one("res.users", string="Entered By", readonly=True)
    processor_id = fields.Many2one("res.users", readonly=True)
    carrier_id = fields.Many2one("delivery.carrier", readonly=True)
    date = fields.Datetime(string="Received On", readonly=True)
    verified_date = fields.Datetime(string="Verified On", readonly=True)
    assigned_date = fields.Datetime(string="Assigned On", readonly=True)
    shipped_date = fields.Datetime(string="Shipped On", readonly=True)
    delivered_date = fields.Datetime(string="Delivered On", readonly=True)
    promised_date = fields.Datetime(
        readonly=True,
        help="The delivery date promised to the customer.",
    )
    verify_hours = fields.Float(
        string="Hours to Verify",
        readonly=True,
        aggregator="avg",
        help="From receipt to verification, in hours (calendar time).",
    )
    assign_hours = fields.Float(
        string="Hours to Assign",
        readonly=True,
        aggregator="avg",
        help="From verification to assignment to a processor, in hours.",
    )
    ship_hours = fields.Float(
        string="Hours to Ship",
        readonly=True,
        aggregator="avg",
        help="From assignment to the first hand-over to the carrier, in hours.",
    )
    deliver_hours = fields.Float(
        string="Hours in Transport",
        readonly=True,
        aggregator="avg",
        help="From the first hand-over to delivery, in hours.",
    )
    lead_hours = fields.Float(
        string="Lead Time (h)",
        readonly=True,
        aggregator="avg",
        help="From receipt to delivery, in hours.",
    )
    shipped_on_time = fields.Float(
        string="Shipped on Time (%)",
        readonly=True,
        aggregator="avg",
        help="100 for an order handed over to the carrier by its promised "
        "date, 0 for one handed over later or not yet shipped past it; "
        "averaged, the rate of orders shipped on time (orders without a "
        "promised date, or still before it, are left out).",
    )
    delivered_on_time = fields.Float(
        string="Delivered on Time (%)",
        readonly=True,
        aggregator="avg",
        help="100 for an order delivered by its promised date, 0 for one "
        "delivered later or not yet delivered past it; averaged, the rate of "
        "orders delivered on time (orders without a promised date, or still "
        "before it, are left out).",
    )
    clarification_count = fields.Integer(
        string="Clarification Rounds", readonly=True, aggregator="sum"
    )
    clarification_hours = fields.Float(
        string="Hours in Clarification", readonly=True, aggregator="sum"
    )
    stock_out = fields.Integer(
        string="Stock-outs",
        readonly=True,
        help="1 for an order that had a stock-out; summed, the orders that had one.",
    )
    exception = fields.Integer(
        string="Exceptions",
        readonly=True,
        help="1 for an order that had an exception of any kind; summed, the "
        "orders that had one.",
    )
    delayed = fields.Integer(
        string="Delays",
        readonly=True,
        help="1 for an order that had a delay or a failed delivery; summed, "
        "the orders that had one.",
    )
    complaint = fields.Integer(
        string="Complaints",
        readonly=True,
        help="1 for an order with a complaint; summed, the orders with one.",
    )
    new_customer = fields.Integer(
        string="New Customers",
        readonly=True,
        help="1 for the first order-center order of a customer (cancelled "
        "orders and exchanges left out); summed, the new customers of the "
        "period.",
    )
    line_count = fields.Integer(
        string="Lines",
        readonly=True,
        aggregator="avg",
        help="Product lines of the order; averaged, the basket size in lines.",
    )
    amount_untaxed = fields.Monetary(
        string="Untaxed Amount",
        readonly=True,
        help="In the company's currency, at the rate of the order.",
    )
    amount_total = fields.Monetary(
        string="Total",
        readonly=True,
        help="In the company's currency, at the rate of the order.",
    )
    basket = fields.Monetary(
        string="Basket Size",
        readonly=True,
        aggregator="avg",
        help="Untaxed amount of the order; averaged, the average basket.",
    )
    logistics_cost = fields.Monetary(
        readonly=True,
        help="What the carriers charge for the order's deliveries.",
    )

    @property
    def _table_query(self):
        late_types = ", ".join(f"'{code}'" for code in LATE_TYPES)
        return f"""
            SELECT
                o.id AS id,
                o.id AS order_id,
                o.company_id AS company_id,
                c.currency_id AS currency_id,
                o.partner_id AS partner_id,
                ship.country_id AS country_id,
                ship.state_id AS state_id,
                ship.city AS city,
                o.warehouse_id AS warehouse_id,
                o.intake_channel AS channel,
                o.platform_id AS platform_id,
                o.urgency AS urgency,
                o.order_center_stage AS stage,
                o.state = 'cancel' AS is_cancelled,
                o.create_uid AS receiver_id,
                o.processor_id AS processor_id,
                o.carrier_id AS carrier_id,
                o.create_date AS date,
                CASE WHEN o.verification_state = 'verified'
                    THEN o.verification_date END AS verified_date,
                o.food_assigned_date AS assigned_date,
                o.food_shipped_date AS shipped_date,
                o.food_delivered_date AS delivered_date,
                o.commitment_date AS promised_date,
                CASE WHEN o.verification_state = 'verified' THEN
                    {hours_between("o.create_date", "o.verification_date")}
                    END AS verify_hours,
                CASE WHEN o.verification_state = 'verified' THEN
                    {hours_between("o.verification_date", "o.food_assigned_date")}
                    END AS assign_hours,
                {hours_between("o.food_assigned_date", "o.food_shipped_date")}
                    AS ship_hours,
                {hours_between("o.food_shipped_date", "o.food_delivered_date")}
                    AS deliver_hours,
                {hours_between("o.create_date", "o.food_delivered_date")}
                    AS lead_hours,
                CASE
                    WHEN o.state = 'cancel' OR o.commitment_date IS NULL THEN NULL
                    WHEN o.food_shipped_date IS NOT NULL THEN
                        CASE WHEN o.food_shipped_date <= o.commitment_date
                            THEN 100.0 ELSE 0.0 END
                    WHEN o.commitment_date < (NOW() AT TIME ZONE 'UTC') THEN 0.0
                END AS shipped_on_time,
                CASE
                    WHEN o.state = 'cancel' OR o.commitment_date IS NULL THEN NULL
                    WHEN o.food_delivered_date IS NOT NULL THEN
                        CASE WHEN o.food_delivered_date <= o.commitment_date
                            THEN 100.0 ELSE 0.0 END
                    WHEN o.commitment_date < (NOW() AT TIME ZONE 'UTC') THEN 0.0
                END AS delivered_on_time,
                COALESCE(o.clarification_count, 0) AS clarification_count,
                COALESCE(o.clarification_hours, 0) AS clarification_hours,
                CASE WHEN EXISTS (
                    SELECT 1 FROM food_order_exception e
                     WHERE e.order_id = o.id AND e.exception_type = 'stock_out'
                ) THEN 1 ELSE 0 END AS stock_out,
                CASE WHEN EXISTS (
                    SELECT 1 FROM food_order_exception e WHERE e.order_id = o.id
                ) THEN 1 ELSE 0 END AS exception,
                CASE WHEN EXISTS (
                    SELECT 1 FROM food_order_exception e
                     WHERE e.order_id = o.id
                       AND e.exception_type IN ({late_types})
                ) THEN 1 ELSE 0 END AS delayed,
                CASE WHEN EXISTS (
                    SELECT 1 FROM helpdesk_ticket t
                     WHERE t.food_order_id = o.id
                       AND t.food_case_type = 'complaint'
                ) THEN 1 ELSE 0 END AS complaint,
                CASE WHEN first_order.order_id = o.id THEN 1 ELSE 0 END AS new_customer,
                COALESCE(o.food_line_count, 0) AS line_count,
                o.amount_untaxed / {COMPANY_RATE} AS amount_untaxed,
                o.amount_total / {COMPANY_RATE} AS amount_total,
                CASE WHEN o.state != 'cancel'
                    THEN o.amount_untaxed / {COMPANY_RATE} END AS basket,
                COALESCE(o.food_logistics_cost, 0) AS logistics_cost
            FROM sale_order o
            LEFT JOIN res_company c ON c.id = o.company_id
            LEFT JOIN res_partner ship ON ship.id = o.partner_shipping_id
            LEFT JOIN (
                -- each customer's first order (cancellations and exchanges
                -- are no orders of the customer)
                SELECT partner_id, MIN(id) AS order_id
                  FROM sale_order
                 WHERE intake_channel IS NOT NULL
                   AND intake_channel != 'exchange'
                   AND state != 'cancel'
              GROUP BY partner_id
            ) first_order ON first_order.partner_id = o.partner_id
            WHERE o.intake_channel IS NOT NULL
        """
