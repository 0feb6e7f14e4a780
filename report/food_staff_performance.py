# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, fields, models

STAFF_ROLES = [
    ("receiver", "Order Receiver"),
    ("processor", "Order Processor"),
    ("logistics", "Logistics"),
    ("aftersales", "After-sales"),
]

# channels of the orders a person enters (platform orders come in by
# themselves, exchanges are sent by after-sales)
ENTERED_CHANNELS = ("phone", "fax", "email", "other")

# stages of the orders a processor has shipped
SHIPPED_STAGES = ("shipped", "delivered", "closed")

# rows of each kind have ids ``source id * ID_FACTOR + kind``: stable ids,
# unique over the UNION ALL
ID_FACTOR = 8


class FoodStaffPerformance(models.Model):
    """Staff performance (regulation 8.3, R23): one row per person, role and
    fact (an order entered, an order shipped, a stock-out handled, a delivery
    handed over, an after-sales case), with the measures of that role only
    (the others are empty), for the pivot and graph views, the staff
    evaluations and BI tools over RPC (``read_group``)."""

    _name = "food.staff.performance"
    _description = "Staff Performance"
    _auto = False
    _rec_name = "user_id"
    _order = "date desc"
    # flushed before each read of the view
    _depends = {
        "sale.order": [
            "create_uid",
            "create_date",
            "company_id",
            "intake_channel",
            "verification_state",
            "verification_date",
            "clarification_count",
            "processor_id",
            "order_center_stage",
            "commitment_date",
        ],
        "stock.picking": [
            "company_id",
            "sale_id",
            "picking_type_id",
            "state",
            "date_done",
            "food_handover_date",
            "food_handover_by_id",
        ],
        "stock.picking.type": ["code"],
        "food.order.exception": [
            "order_id",
            "exception_type",
            "create_date",
            "resolved_date",
        ],
        "helpdesk.ticket": [
            "user_id",
            "company_id",
            "create_date",
            "food_order_id",
            "food_case_type",
            "food_first_response_date",
            "food_resolved_date",
            "rating_last_value",
        ],
        "food.staff.qualification": ["user_id", "company_id", "date_expiry"],
        "res.company": ["food_qualification_reminder_days"],
    }

    date = fields.Datetime(
        readonly=True,
        help="When the fact happened: order entered, order shipped, stock-out "
        "resolved, delivery handed over, case received.",
    )
    user_id = fields.Many2one("res.users", string="Staff Member", readonly=True)
    role = fields.Selection(STAFF_ROLES, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Delivery", readonly=True)
    case_id = fields.Many2one("helpdesk.ticket", readonly=True)
    training_valid = fields.Boolean(
        string="Valid Training",
        readonly=True,
        help="The person has a training record that is valid today (not "
        "expired nor expiring soon).",
    )
    # receivers
    orders_entered = fields.Integer(
        readonly=True,
        help="Orders entered by the person (phone, fax, e-mail or other "
        "channel; platform orders and exchanges are left out).",
    )
    verify_hours = fields.Float(
        string="Hours to Verify",
        readonly=True,
        aggregator="avg",
        help="From the entry of a verified order to its verification, in "
        "hours (calendar time).",
    )
    clarification_rounds = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Times an entered order waited for the customer's clarification; "
        "averaged over the entered orders.",
    )
    # processors
    orders_processed = fields.Integer(
        readonly=True,
        help="Orders of the processor that were shipped or delivered.",
    )
    on_time_rate = fields.Float(
        string="Orders on Time (%)",
        readonly=True,
        aggregator="avg",
        help="100 for an order first handed over by its commitment date, 0 "
        "for one handed over later; averaged, the rate of orders shipped on "
        "time (orders without a commitment date are left out).",
    )
    stockout_hours = fields.Float(
        string="Hours to Handle Stock-outs",
        readonly=True,
        aggregator="avg",
        help="From a stock-out on an order of the processor to its "
        "resolution, in hours (calendar time).",
    )
    # logistics
    deliveries_handed_over = fields.Integer(
        readonly=True, help="Deliveries handed over to the carrier by the person."
    )
    shipped_on_time_rate = fields.Float(
        string="Shipped on Time (%)",
        readonly=True,
        aggregator="avg",
        help="100 for a delivery handed over by its order's commitment date, "
        "0 for one handed over later; averaged, the rate of deliveries "
        "shipped on time (orders without a commitment date are left out).",
    )
    # after-sales
    case_count = fields.Integer(string="Cases", readonly=True)
    response_hours = fields.Float(
        string="Hours to First Response",
        readonly=True,
        aggregator="avg",
        help="From the case's receipt to the first message sent to the "
        "customer, in hours (calendar time).",
    )
    resolution_hours = fields.Float(
        string="Hours to Solution",
        readonly=True,
        aggregator="avg",
        help="From the case's receipt to its solution, in hours (calendar time).",
    )
    satisfaction = fields.Float(
        readonly=True,
        aggregator="avg",
        help="The customer's last rating of the case (1 to 5); averaged over "
        "the rated cases.",
    )

    @property
    def _table_query(self):
        return f"""
            WITH facts AS (
                -- receivers: the orders they entered
                SELECT
                    so.id * {ID_FACTOR} + 1 AS id,
                    'receiver'::varchar AS role,
                    so.create_uid AS user_id,
                    so.company_id AS company_id,
                    so.create_date AS date,
                    so.id AS order_id,
                    NULL::integer AS picking_id,
                    NULL::integer AS case_id,
                    1 AS orders_entered,
                    CASE WHEN so.verification_state = 'verified' THEN
                        EXTRACT(EPOCH FROM so.verification_date - so.create_date)
                            / 3600.0
                    END::double precision AS verify_hours,
                    COALESCE(so.clarification_count, 0)::double precision
                        AS clarification_rounds,
                    NULL::integer AS orders_processed,
                    NULL::double precision AS on_time_rate,
                    NULL::double precision AS stockout_hours,
                    NULL::integer AS deliveries_handed_over,
                    NULL::double precision AS shipped_on_time_rate,
                    NULL::integer AS case_count,
                    NULL::double precision AS response_hours,
                    NULL::double precision AS resolution_hours,
                    NULL::double precision AS satisfaction
                FROM sale_order so
                WHERE so.intake_channel IN {ENTERED_CHANNELS}
                  -- orders the system created (mail gateway, API as
                  -- superuser, data files) were entered by nobody
                  AND so.create_uid != {SUPERUSER_ID}

                UNION ALL

                -- processors: the orders they shipped, on time or not
                SELECT
                    so.id * {ID_FACTOR} + 2,
                    'processor',
                    so.processor_id,
                    so.company_id,
                    shipped.date,
                    so.id,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    1,
                    CASE
                        WHEN so.commitment_date IS NULL OR shipped.date IS NULL
                            THEN NULL
                        WHEN shipped.date <= so.commitment_date THEN 100.0
                        ELSE 0.0
                    END,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL
                FROM sale_order so
                LEFT JOIN LATERAL (
                    -- the first hand-over (or, for deliveries validated
                    -- without one, the first validation)
                    SELECT COALESCE(
                               MIN(sp.food_handover_date),
                               MIN(sp.date_done) FILTER (WHERE sp.state = 'done')
                           ) AS date
                      FROM stock_picking sp
                      JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                     WHERE sp.sale_id = so.id
                       AND spt.code = 'outgoing'
                       AND sp.state != 'cancel'
                ) shipped ON TRUE
                WHERE so.processor_id IS NOT NULL
                  AND so.order_center_stage IN {SHIPPED_STAGES}

                UNION ALL

                -- processors: the stock-outs of their orders they resolved
                SELECT
                    e.id * {ID_FACTOR} + 3,
                    'processor',
                    so.processor_id,
                    so.company_id,
                    e.resolved_date,
                    so.id,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    EXTRACT(EPOCH FROM e.resolved_date - e.create_date) / 3600.0,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL
                FROM food_order_exception e
                JOIN sale_order so ON so.id = e.order_id
                WHERE e.exception_type = 'stock_out'
                  AND e.resolved_date IS NOT NULL
                  AND so.processor_id IS NOT NULL

                UNION ALL

                -- logistics: the deliveries they handed over
                SELECT
                    sp.id * {ID_FACTOR} + 4,
                    'logistics',
                    sp.food_handover_by_id,
                    sp.company_id,
                    sp.food_handover_date,
                    sp.sale_id,
                    sp.id,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    1,
                    CASE
                        WHEN so.commitment_date IS NULL THEN NULL
                        WHEN sp.food_handover_date <= so.commitment_date THEN 100.0
                        ELSE 0.0
                    END,
                    NULL,
                    NULL,
                    NULL,
                    NULL
                FROM stock_picking sp
                JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                LEFT JOIN sale_order so ON so.id = sp.sale_id
                WHERE sp.food_handover_by_id IS NOT NULL
                  AND sp.food_handover_date IS NOT NULL
                  AND spt.code = 'outgoing'

                UNION ALL

                -- after-sales: the cases assigned to them
                SELECT
                    t.id * {ID_FACTOR} + 5,
                    'aftersales',
                    t.user_id,
                    t.company_id,
                    t.create_date,
                    t.food_order_id,
                    NULL,
                    t.id,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    1,
                    EXTRACT(EPOCH FROM t.food_first_response_date - t.create_date)
                        / 3600.0,
                    EXTRACT(EPOCH FROM t.food_resolved_date - t.create_date)
                        / 3600.0,
                    NULLIF(t.rating_last_value, 0)
                FROM helpdesk_ticket t
                WHERE t.food_case_type IS NOT NULL
                  AND t.user_id IS NOT NULL
            )
            SELECT
                facts.*,
                EXISTS (
                    -- the training record's state 'valid' (the day after the
                    -- company's reminder period or later)
                    SELECT 1
                      FROM food_staff_qualification q
                      JOIN res_company qc ON qc.id = q.company_id
                     WHERE q.user_id = facts.user_id
                       AND q.date_expiry > (NOW() AT TIME ZONE 'UTC')::date
                           + COALESCE(qc.food_qualification_reminder_days, 0)
                ) AS training_valid
            FROM facts
        """
