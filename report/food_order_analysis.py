# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.food_order_exception_delay import LATE_TYPES
from ..models.sale_order import INTAKE_CHANNELS, ORDER_CENTER_STAGES, URGENCY_LEVELS
from .food_analysis_mixin import FactMany2one, hours_between

# amounts of an order in its company's currency (the way sale.report does)
COMPANY_RATE = (
    "CASE COALESCE(o.currency_rate, 0) WHEN 0 THEN 1.0 ELSE o.currency_rate END"
)

# who ordered, where it goes and how it came in: the columns that the order
# facts and the product facts both take from the order (``sale_order o``,
# its delivery address ``res_partner ship``)
ORDER_DIMENSION_COLUMNS = (
    "partner_id",
    "partner_shipping_id",
    "country_id",
    "state_id",
    "city",
    "warehouse_id",
    "channel",
    "platform_id",
)
ORDER_DIMENSIONS = SQL(
    "o.partner_id, o.partner_shipping_id, ship.country_id, ship.state_id, "
    "ship.city, o.warehouse_id, o.intake_channel, o.platform_id"
)

# what is waiting, in the transaction, to be written into the facts tables
# (cr.precommit.data keys): orders whose facts are rebuilt, customers whose
# first order is looked for again, delivery addresses and products whose
# region or category changed
PENDING_ORDERS = "food_order_analysis.orders"
PENDING_CUSTOMERS = "food_order_analysis.customers"
PENDING_ADDRESSES = "food_order_analysis.addresses"
PENDING_PRODUCTS = "food_order_analysis.products"
PENDING_KEYS = (PENDING_ORDERS, PENDING_CUSTOMERS, PENDING_ADDRESSES, PENDING_PRODUCTS)
# orders created in the transaction whose facts were not written yet: they
# have no rows to delete
NEW_ORDERS = "food_order_analysis.new_orders"


def mark_pending(env, key, ids):
    """Note that the facts of ``ids`` (order, customer, address or product
    ids, by ``key``) must be written again before the transaction commits or
    the facts are read, whichever comes first."""
    ids = {id_ for id_ in ids if id_}
    if not ids:
        return
    data = env.cr.precommit.data
    if not data.get("food_order_analysis.registered"):
        data["food_order_analysis.registered"] = True
        env.cr.precommit.add(env["food.order.analysis"].sudo()._food_write_pending)
    data.setdefault(key, set()).update(ids)


def on_time(done):
    """SQL: 100 for an order done (``done``: its shipping or delivery date)
    by its promised date, 0 for one done later or not done past it; nothing
    for a cancelled order, one without a promised date or still before it."""
    return SQL(
        """CASE
            WHEN o.state = 'cancel' OR o.commitment_date IS NULL THEN NULL
            WHEN %(done)s IS NOT NULL THEN
                CASE WHEN %(done)s <= o.commitment_date THEN 100.0 ELSE 0.0 END
            WHEN o.commitment_date < (NOW() AT TIME ZONE 'UTC') THEN 0.0
        END""",
        done=SQL(done),
    )


def counts_as_order(cancelled, channel):
    """SQL: whether an order is one of its customer's orders, for their
    first order (``new_customer``): neither cancelled (``cancelled``, SQL
    of a boolean) nor an exchange (``channel``, SQL of its intake
    channel)."""
    return SQL("(NOT %s AND %s != 'exchange')", cancelled, channel)


def order_counts(alias):
    """``counts_as_order`` of the order ``alias`` (``sale_order``)."""
    return counts_as_order(
        SQL("%s.state = 'cancel'", SQL(alias)), SQL("%s.intake_channel", SQL(alias))
    )


def fact_counts(alias):
    """``counts_as_order`` of the order of the fact ``alias``."""
    return counts_as_order(
        SQL("%s.is_cancelled", SQL(alias)), SQL("%s.channel", SQL(alias))
    )


def set_day_statistics(cr, table):
    """Tell PostgreSQL's planner that the ``date`` of ``table`` has about as
    many values as a year has days (its statistics from the next ANALYZE).
    A pivot groups by month, week or day of that date: without this, the
    planner expects as many groups as rows (the date is nearly unique) and
    sorts a million rows, on disk, instead of hashing them into a few dozen
    groups in parallel. Expecting too few groups costs little: the hash
    table grows (measured with ``make bench-kpi``: the pivot of a million
    orders in 0.9 s instead of 1.3 s)."""
    cr.execute(
        SQL(
            "ALTER TABLE %s ALTER COLUMN date SET (n_distinct = 365)",
            SQL.identifier(table),
        )
    )


class FoodOrderAnalysis(models.Model):
    """Order facts (R20), one row per order-center order: the time of each
    step and the hours between them, on-time delivery, clarifications,
    exceptions and complaints, amounts and logistics cost, for the pivot and
    graph views, the dashboard and BI tools over RPC (``read_group``).

    The facts are a table, not a view, so that a pivot over a million orders
    scans one narrow table with every measure ready (see ``make bench-kpi``).
    The table is kept by the orders' own writes: a change of an order, its
    lines, exceptions or after-sales cases notes the order
    (``mark_pending``), and its row is written again, from the same SQL,
    before the transaction commits or before the facts are read in it,
    whichever comes first; a change of a delivery address or of a product's
    category updates the rows that show it. The on-time rates change with
    time alone for orders past their promised date and not yet shipped or
    delivered: an hourly job writes those again. ``_food_rebuild`` writes the
    whole table (on install and upgrade)."""

    _name = "food.order.analysis"
    _inherit = ["food.analysis.mixin"]
    _description = "Order Center Analysis"
    _log_access = False
    _rec_name = "order_id"
    _order = "date desc, id desc"

    order_id = fields.Many2one(
        "sale.order", readonly=True, required=True, ondelete="cascade"
    )
    company_id = FactMany2one("res.company", readonly=True)
    currency_id = FactMany2one("res.currency", readonly=True)
    partner_id = FactMany2one(
        "res.partner",
        string="Customer",
        readonly=True,
        index=True,
        aggregator="count_distinct",
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
    urgency = fields.Selection(URGENCY_LEVELS, readonly=True)
    stage = fields.Selection(ORDER_CENTER_STAGES, readonly=True)
    is_cancelled = fields.Boolean(string="Cancelled", readonly=True)
    receiver_id = fields.Many2one("res.users", string="Entered By", readonly=True)
    processor_id = fields.Many2one("res.users", readonly=True)
    carrier_id = fields.Many2one("delivery.carrier", readonly=True)
    date = fields.Datetime(string="Received On", readonly=True, index=True)
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

    def init(self):
        FactMany2one.drop_foreign_keys(self)
        # the orders that wait for their shipment or delivery: the hourly
        # job looks for those whose promised date has passed
        tools.create_index(
            self.env.cr,
            "food_order_analysis_waiting_index",
            self._table,
            ["promised_date"],
            where="NOT is_cancelled AND delivered_date IS NULL",
        )
        set_day_statistics(self.env.cr, self._table)
        # once every table of the module has its columns
        self.pool.post_init(self._food_rebuild)

    @api.model
    def _food_select(self, condition, batch=None):
        """The facts of the order-center orders that meet ``condition``
        (an SQL condition on ``sale_order o``), in the columns of
        ``FACT_COLUMNS``. ``new_customer`` compares a customer's orders
        (``_food_write_first_orders``): without ``batch`` it is 0, to be
        set apart; with ``batch`` (the ids of the orders written together)
        it is the order's own, right for orders that are new to the facts
        (see ``_food_write_orders``)."""
        return SQL(
            """
            SELECT
                o.id,
                o.id,
                o.company_id,
                c.currency_id,
                %(dimensions)s,
                o.urgency,
                o.order_center_stage,
                o.state = 'cancel',
                o.create_uid,
                o.processor_id,
                o.carrier_id,
                o.create_date,
                CASE WHEN o.verification_state = 'verified'
                    THEN o.verification_date END,
                o.food_assigned_date,
                o.food_shipped_date,
                o.food_delivered_date,
                o.commitment_date,
                CASE WHEN o.verification_state = 'verified'
                    THEN %(verify_hours)s END,
                CASE WHEN o.verification_state = 'verified'
                    THEN %(assign_hours)s END,
                %(ship_hours)s,
                %(deliver_hours)s,
                %(lead_hours)s,
                %(shipped_on_time)s,
                %(delivered_on_time)s,
                COALESCE(o.clarification_count, 0),
                COALESCE(o.clarification_hours, 0),
                CASE WHEN EXISTS (
                    SELECT 1 FROM food_order_exception e
                     WHERE e.order_id = o.id AND e.exception_type = 'stock_out'
                ) THEN 1 ELSE 0 END,
                CASE WHEN EXISTS (
                    SELECT 1 FROM food_order_exception e WHERE e.order_id = o.id
                ) THEN 1 ELSE 0 END,
                CASE WHEN EXISTS (
                    SELECT 1 FROM food_order_exception e
                     WHERE e.order_id = o.id AND e.exception_type IN %(late_types)s
                ) THEN 1 ELSE 0 END,
                CASE WHEN EXISTS (
                    SELECT 1 FROM helpdesk_ticket t
                     WHERE t.food_order_id = o.id
                       AND t.food_case_type = 'complaint'
                ) THEN 1 ELSE 0 END,
                %(new_customer)s,
                COALESCE(o.food_line_count, 0),
                o.amount_untaxed / %(rate)s,
                o.amount_total / %(rate)s,
                CASE WHEN o.state != 'cancel' THEN o.amount_untaxed / %(rate)s END,
                COALESCE(o.food_logistics_cost, 0)
            FROM sale_order o
            LEFT JOIN res_company c ON c.id = o.company_id
            LEFT JOIN res_partner ship ON ship.id = o.partner_shipping_id
            WHERE o.intake_channel IS NOT NULL AND %(condition)s
            """,
            dimensions=ORDER_DIMENSIONS,
            verify_hours=SQL(hours_between("o.create_date", "o.verification_date")),
            assign_hours=SQL(
                hours_between("o.verification_date", "o.food_assigned_date")
            ),
            ship_hours=SQL(
                hours_between("o.food_assigned_date", "o.food_shipped_date")
            ),
            deliver_hours=SQL(
                hours_between("o.food_shipped_date", "o.food_delivered_date")
            ),
            lead_hours=SQL(hours_between("o.create_date", "o.food_delivered_date")),
            shipped_on_time=on_time("o.food_shipped_date"),
            delivered_on_time=on_time("o.food_delivered_date"),
            late_types=tuple(LATE_TYPES),
            rate=SQL(COMPANY_RATE),
            condition=condition,
            new_customer=SQL("0") if batch is None else self._food_first(batch),
        )

    @api.model
    def _food_first(self, batch):
        """SQL: 1 if the order ``o`` is its customer's first (neither
        cancelled nor an exchange, and no such order of the customer before
        it, in the facts or among the orders of ``batch``), else 0. Exact
        for an order whose customer has no later order in the facts: one
        created in this transaction (its id comes after those of every
        order the transaction sees)."""
        return SQL(
            """
            CASE WHEN %(counts)s
                  AND NOT EXISTS (
                      SELECT 1 FROM food_order_analysis f
                       WHERE f.partner_id = o.partner_id
                         AND f.id < o.id
                         AND %(fact_counts)s
                  )
                  %(in_batch)s
            THEN 1 ELSE 0 END
            """,
            counts=order_counts("o"),
            fact_counts=fact_counts("f"),
            in_batch=SQL(
                """
                AND NOT EXISTS (
                    SELECT 1 FROM sale_order b
                     WHERE b.id = ANY(%s)
                       AND b.id < o.id
                       AND b.partner_id = o.partner_id
                       AND %s
                )
                """,
                list(batch),
                order_counts("b"),
            )
            # an order alone (the intake's usual call): nothing to plan
            if len(batch) > 1
            else SQL(),
        )

    @api.model
    def _food_insert(self, condition, batch=None):
        """Write the facts of the orders that meet ``condition`` (``batch``:
        see ``_food_select``); return the (id, customer) of each."""
        self.env.cr.execute(
            SQL(
                "INSERT INTO food_order_analysis (%s) %s RETURNING id, partner_id",
                SQL(", ").join(map(SQL.identifier, FACT_COLUMNS)),
                self._food_select(condition, batch),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _food_write_first_orders(self, partner_ids=None):
        """Mark each customer's first order (cancelled orders and exchanges
        are no orders of the customer): ``new_customer`` is 1 on it, 0 on
        the others; for the given customers, or all of them."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE food_order_analysis f
                   SET new_customer = CASE WHEN f.id = first.order_id
                                           THEN 1 ELSE 0 END
                  FROM (
                      SELECT g.partner_id,
                             MIN(g.id) FILTER (WHERE %s) AS order_id
                        FROM food_order_analysis g
                       WHERE %s
                    GROUP BY g.partner_id
                  ) first
                 WHERE f.partner_id = first.partner_id
                   AND f.new_customer IS DISTINCT FROM
                       CASE WHEN f.id = first.order_id THEN 1 ELSE 0 END
                """,
                fact_counts("g"),
                SQL("TRUE")
                if partner_ids is None
                else SQL("g.partner_id = ANY(%s)", sorted(partner_ids)),
            )
        )

    @api.model
    def _food_rebuild(self):
        """Write the facts of every order-center order again (the order
        facts and the product lines)."""
        self.env.flush_all()
        for key in (*PENDING_KEYS, NEW_ORDERS):
            self.env.cr.precommit.data.pop(key, None)
        self.env.cr.execute("TRUNCATE food_order_analysis, food_order_line_analysis")
        self._food_insert(SQL("TRUE"))
        self._food_write_first_orders()
        self.env["food.order.line.analysis"]._food_insert(SQL("TRUE"))
        self.env.cr.execute("ANALYZE food_order_analysis, food_order_line_analysis")
        self.env.invalidate_all()

    @api.model
    def _food_write_pending(self):
        """Write the facts noted by ``mark_pending``, after the ORM has
        written what it holds: its writes are what notes the orders."""
        data = self.env.cr.precommit.data
        if data.get("food_order_analysis.writing"):
            return
        data["food_order_analysis.writing"] = True
        try:
            # the ORM writes what it holds (and notes the orders it changes)
            self.env.flush_all()
            while any(data.get(key) for key in PENDING_KEYS):
                orders, customers, addresses, products = (
                    data.pop(key, set()) for key in PENDING_KEYS
                )
                if orders:
                    customers |= self._food_write_orders(orders)
                if customers:
                    self._food_write_first_orders(customers)
                if addresses:
                    self._food_write_addresses(addresses)
                if products:
                    self.env["food.order.line.analysis"]._food_write_categories(
                        products
                    )
                self.env["food.order.analysis"].invalidate_model()
                self.env["food.order.line.analysis"].invalidate_model()
                self.env.flush_all()
        finally:
            data.pop("food_order_analysis.writing", None)

    @api.model
    def _food_write_orders(self, order_ids):
        """Write the facts of ``order_ids`` again; return the customers whose
        first order may have changed (before and after)."""
        order_ids = sorted(order_ids)
        cr = self.env.cr
        new = cr.precommit.data.get(NEW_ORDERS, set())
        written = [id_ for id_ in order_ids if id_ not in new]
        new.difference_update(order_ids)
        customers = set()
        if written:
            cr.execute(
                SQL(
                    "DELETE FROM food_order_analysis WHERE id = ANY(%s) "
                    "RETURNING partner_id",
                    written,
                )
            )
            customers = {partner_id for (partner_id,) in cr.fetchall()}
        # the orders new to the facts have their first order marked as they
        # are written; those written again may change their customer's
        rows = self._food_insert(SQL("o.id = ANY(%s)", order_ids), order_ids)
        again = set(written)
        customers.update(partner_id for id_, partner_id in rows if id_ in again)
        self.env["food.order.line.analysis"]._food_write_orders(order_ids, written)
        return customers - {None}

    @api.model
    def _food_write_addresses(self, partner_ids):
        """The region and city of the orders delivered to ``partner_ids``."""
        for table in ("food_order_analysis", "food_order_line_analysis"):
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE %(table)s f
                       SET country_id = p.country_id,
                           state_id = p.state_id,
                           city = p.city
                      FROM res_partner p
                     WHERE p.id = ANY(%(ids)s)
                       AND f.partner_shipping_id = p.id
                    """,
                    table=SQL.identifier(table),
                    ids=sorted(partner_ids),
                )
            )

    @api.model
    def _cron_food_write_overdue(self):
        """The on-time rates of the orders whose promised date has passed
        while they wait for their shipment or delivery."""
        self.env.cr.execute(
            """
            SELECT id FROM food_order_analysis
             WHERE NOT is_cancelled
               AND delivered_date IS NULL
               AND promised_date < (NOW() AT TIME ZONE 'UTC')
               AND (delivered_on_time IS NULL
                    OR (shipped_date IS NULL AND shipped_on_time IS NULL))
            """
        )
        mark_pending(
            self.env, PENDING_ORDERS, [id_ for (id_,) in self.env.cr.fetchall()]
        )
        self._food_write_pending()

    def flush_model(self, fnames=None):
        # what the transaction changed is written before the facts are read
        self.sudo()._food_write_pending()
        return super().flush_model(fnames)


# the columns that _food_select gives, in its order
FACT_COLUMNS = (
    "id",
    "order_id",
    "company_id",
    "currency_id",
    *ORDER_DIMENSION_COLUMNS,
    "urgency",
    "stage",
    "is_cancelled",
    "receiver_id",
    "processor_id",
    "carrier_id",
    "date",
    "verified_date",
    "assigned_date",
    "shipped_date",
    "delivered_date",
    "promised_date",
    "verify_hours",
    "assign_hours",
    "ship_hours",
    "deliver_hours",
    "lead_hours",
    "shipped_on_time",
    "delivered_on_time",
    "clarification_count",
    "clarification_hours",
    "stock_out",
    "exception",
    "delayed",
    "complaint",
    "new_customer",
    "line_count",
    "amount_untaxed",
    "amount_total",
    "basket",
    "logistics_cost",
)
