# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, fields, models
from odoo.tools.sql import create_index

from .food_analysis_mixin import hours_between

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

# when an order was shipped: its first hand-over to a carrier or, for
# deliveries validated without one, its first validation (indexed, see init)
SHIPPED_DATE = "COALESCE({alias}food_shipped_date, {alias}effective_date)"

# the columns of the facts and their SQL types, the same in every branch of
# the UNION ALL (see _table_query)
FACT_COLUMNS = {
    "id": "integer",
    "role": "varchar",
    "user_id": "integer",
    "company_id": "integer",
    "date": "timestamp",
    "order_id": "integer",
    "picking_id": "integer",
    "case_id": "integer",
    "orders_entered": "integer",
    "verify_hours": "double precision",
    "clarification_rounds": "double precision",
    "orders_processed": "integer",
    "on_time_rate": "double precision",
    "stockout_hours": "double precision",
    "deliveries_handed_over": "integer",
    "shipped_on_time_rate": "double precision",
    "case_count": "integer",
    "response_hours": "double precision",
    "resolution_hours": "double precision",
    "satisfaction": "double precision",
}


class FoodStaffPerformance(models.Model):
    """Staff performance (regulation 8.3, R23): one row per person, role and
    fact (an order entered, an order shipped, a stock-out handled, a delivery
    handed over, an after-sales case), with the measures of that role only
    (the others are empty), for the pivot and graph views, the staff
    evaluations and BI tools over RPC (``read_group``)."""

    _name = "food.staff.performance"
    _inherit = ["food.analysis.mixin"]
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
            "food_shipped_date",
            "effective_date",
        ],
        "stock.picking": [
            "company_id",
            "sale_id",
            "food_handover_date",
            "food_handover_by_id",
        ],
        "food.order.exception": [
            "order_id",
            "processor_id",
            "company_id",
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

    def init(self):
        res = super().init()
        # The processors' rows are dated by the order's shipping date; the
        # views open on the current month and evaluations read a period, so
        # that date is indexed, or each read would scan all the orders. An
        # order gets an entry once shipped: order intake writes nothing to
        # it (NULL is left out).
        create_index(
            self.env.cr,
            "sale_order_food_shipped_or_effective_date_index",
            "sale_order",
            [SHIPPED_DATE.format(alias="")],
            where=f"{SHIPPED_DATE.format(alias='')} IS NOT NULL",
        )
        return res

    @property
    def _table_query(self):
        # One branch per kind of fact, each a plain scan of the table the
        # fact lives in (or a join by primary key), with every column of the
        # exact type of the view's: PostgreSQL then flattens the UNION ALL
        # into an append of the branches, pushes the filters of a query
        # (company, person, dates) down into each of them and leaves out the
        # columns the query does not read. No transfer is aggregated per
        # order: the order's first hand-over is stored on it.
        verify_hours = hours_between("so.create_date", "so.verification_date")
        shipped = SHIPPED_DATE.format(alias="so.")
        branches = [
            # receivers: the orders they entered; orders the system created
            # (mail gateway, API as superuser, data files) were entered by
            # nobody
            (
                {
                    "id": f"so.id * {ID_FACTOR} + 1",
                    "role": "'receiver'",
                    "user_id": "so.create_uid",
                    "company_id": "so.company_id",
                    "date": "so.create_date",
                    "order_id": "so.id",
                    "orders_entered": "1",
                    "verify_hours": f"""CASE
                        WHEN so.verification_state = 'verified' THEN {verify_hours}
                    END""",
                    "clarification_rounds": "COALESCE(so.clarification_count, 0)",
                },
                f"""sale_order so
                WHERE so.intake_channel IN {ENTERED_CHANNELS}
                  AND so.create_uid != {SUPERUSER_ID}""",
            ),
            # processors: the orders they shipped, dated by the first
            # hand-over (or, for deliveries validated without one, the
            # first validation), on time or not
            (
                {
                    "id": f"so.id * {ID_FACTOR} + 2",
                    "role": "'processor'",
                    "user_id": "so.processor_id",
                    "company_id": "so.company_id",
                    "date": shipped,
                    "order_id": "so.id",
                    "orders_processed": "1",
                    "on_time_rate": f"""CASE
                        WHEN so.commitment_date IS NULL THEN NULL
                        WHEN {shipped} <= so.commitment_date THEN 100
                        WHEN {shipped} IS NOT NULL THEN 0
                    END""",
                },
                f"""sale_order so
                WHERE so.processor_id IS NOT NULL
                  AND so.order_center_stage IN {SHIPPED_STAGES}""",
            ),
            # processors: the stock-outs of their orders they resolved (the
            # exception stores its order's processor and company)
            (
                {
                    "id": f"e.id * {ID_FACTOR} + 3",
                    "role": "'processor'",
                    "user_id": "e.processor_id",
                    "company_id": "e.company_id",
                    "date": "e.resolved_date",
                    "order_id": "e.order_id",
                    "stockout_hours": hours_between("e.create_date", "e.resolved_date"),
                },
                """food_order_exception e
                WHERE e.exception_type = 'stock_out'
                  AND e.resolved_date IS NOT NULL
                  AND e.processor_id IS NOT NULL""",
            ),
            # logistics: the deliveries they handed over (only deliveries to
            # customers are handed over, see action_food_handover)
            (
                {
                    "id": f"sp.id * {ID_FACTOR} + 4",
                    "role": "'logistics'",
                    "user_id": "sp.food_handover_by_id",
                    "company_id": "sp.company_id",
                    "date": "sp.food_handover_date",
                    "order_id": "sp.sale_id",
                    "picking_id": "sp.id",
                    "deliveries_handed_over": "1",
                    "shipped_on_time_rate": """CASE
                        WHEN so.commitment_date IS NULL THEN NULL
                        WHEN sp.food_handover_date <= so.commitment_date THEN 100
                        ELSE 0
                    END""",
                },
                """stock_picking sp
                LEFT JOIN sale_order so ON so.id = sp.sale_id
                WHERE sp.food_handover_by_id IS NOT NULL
                  AND sp.food_handover_date IS NOT NULL""",
            ),
            # after-sales: the cases assigned to them
            (
                {
                    "id": f"t.id * {ID_FACTOR} + 5",
                    "role": "'aftersales'",
                    "user_id": "t.user_id",
                    "company_id": "t.company_id",
                    "date": "t.create_date",
                    "order_id": "t.food_order_id",
                    "case_id": "t.id",
                    "case_count": "1",
                    "response_hours": hours_between(
                        "t.create_date", "t.food_first_response_date"
                    ),
                    "resolution_hours": hours_between(
                        "t.create_date", "t.food_resolved_date"
                    ),
                    "satisfaction": "NULLIF(t.rating_last_value, 0)",
                },
                """helpdesk_ticket t
                WHERE t.food_case_type IS NOT NULL
                  AND t.user_id IS NOT NULL""",
            ),
        ]
        facts = "\n                UNION ALL\n".join(
            "SELECT {columns}\n                  FROM {source}".format(
                columns=",\n                       ".join(
                    f"({values.get(name, 'NULL')})::{sql_type} AS {name}"
                    for name, sql_type in FACT_COLUMNS.items()
                ),
                source=source,
            )
            for values, source in branches
        )
        return f"""
            SELECT
                facts.*,
                EXISTS (
                    -- the training record's state 'valid' (the day after the
                    -- company's reminder period or later); evaluated only
                    -- when a query reads it
                    SELECT 1
                      FROM food_staff_qualification q
                      JOIN res_company qc ON qc.id = q.company_id
                     WHERE q.user_id = facts.user_id
                       AND q.date_expiry > (NOW() AT TIME ZONE 'UTC')::date
                           + COALESCE(qc.food_qualification_reminder_days, 0)
                ) AS training_valid
            FROM (
                {facts}
            ) AS facts
        """
