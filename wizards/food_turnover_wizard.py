# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

TURNOVER_GROUP = "food_order_center.group_inventory_manager"
GROUP_BY = [
    ("product", "Product"),
    ("category", "Product Category"),
    ("warehouse", "Warehouse"),
]
# the column of the valued layers (``layer`` below) each grouping sums by
GROUP_COLUMNS = {
    "product": "product_id",
    "category": "categ_id",
    "warehouse": "warehouse_id",
}


class FoodTurnoverWizard(models.TransientModel):
    """Inventory turnover (R20, chapter 7) of a period per product,
    category or warehouse, from the stock valuation layers: cost of the
    goods delivered to customers, opening, closing and average stock
    value, turnover and days of cover. ``compute_turnover`` is the API
    (RPC, BI tools); the wizard shows its result as lines."""

    _name = "food.turnover.wizard"
    _description = "Inventory Turnover"

    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - timedelta(days=29),
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=fields.Date.context_today,
        help="Included. Days are counted in the time zone of the company's "
        "working hours.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    group_by = fields.Selection(GROUP_BY, required=True, default="product")
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        domain="[('company_id', '=', company_id)]",
        help="Only the stock and deliveries of this warehouse.",
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        help="Only the products of this category and of its subcategories.",
    )
    line_ids = fields.One2many(
        "food.turnover.line", "wizard_id", string="Results", readonly=True
    )

    def action_compute(self):
        """Compute the turnover of the wizard's period and open the lines."""
        self.ensure_one()
        rows = self.compute_turnover(
            self.date_from,
            self.date_to,
            group_by=self.group_by,
            company_id=self.company_id.id,
            warehouse_id=self.warehouse_id.id,
            categ_id=self.categ_id.id,
        )
        self.line_ids.unlink()
        self.env["food.turnover.line"].create(
            [self._prepare_line_vals(row) for row in rows]
        )
        return self._get_lines_action()

    @api.model
    def compute_turnover(
        self,
        date_from,
        date_to,
        group_by="product",
        company_id=False,
        warehouse_id=False,
        categ_id=False,
    ):
        """The inventory turnover of ``date_from`` to ``date_to`` (dates,
        both included) per ``group_by`` (``product``, ``category`` or
        ``warehouse``) in the company (default: the current one), optionally
        for one warehouse and one product category (with its
        subcategories).

        Returns a list of dicts, highest turnover first, one per group
        with stock or deliveries: ``product_id``, ``categ_id``,
        ``warehouse_id`` (the group's id, ``categ_id`` also for products;
        ``False`` otherwise, and for the stock of no warehouse), ``name``,
        ``currency_id``, ``days`` (of the period), ``cogs`` (cost of the
        goods delivered to customers less the customers' returns),
        ``opening_value``, ``closing_value``, ``average_value``,
        ``turnover`` (COGS ÷ average value, 0 when the average is 0) and
        ``days_of_cover`` (average value ÷ daily COGS, ``False`` without
        COGS); values in the company's currency."""
        company = (
            self.env["res.company"].browse(company_id).exists()
            if company_id
            else self.env.company
        )
        self._check_turnover_access(company)
        if not company:
            raise UserError(
                self.env._("Company %(company)s does not exist.", company=company_id)
            )
        date_from, date_to = self._check_turnover_period(date_from, date_to)
        if group_by not in GROUP_COLUMNS:
            raise UserError(
                self.env._(
                    "Inventory turnover can be grouped by %(choices)s, not "
                    "by %(group_by)s.",
                    choices=", ".join(GROUP_COLUMNS),
                    group_by=group_by,
                )
            )
        warehouse, category = self._check_turnover_filters(
            company, warehouse_id, categ_id
        )
        start, end = company._food_day_bounds(date_from, date_to)
        days = (date_to - date_from).days + 1
        sums = self._read_turnover_sums(
            group_by, company, start, end, warehouse, category
        )
        return self._prepare_turnover_rows(group_by, sums, company, days)

    def _prepare_line_vals(self, row):
        return {
            "wizard_id": self.id,
            "product_id": row["product_id"],
            "categ_id": row["categ_id"],
            "warehouse_id": row["warehouse_id"],
            "name": row["name"],
            "cogs": row["cogs"],
            "opening_value": row["opening_value"],
            "closing_value": row["closing_value"],
            "average_value": row["average_value"],
            "turnover": row["turnover"],
            "days_of_cover": row["days_of_cover"] or 0.0,
            "has_days_of_cover": row["days_of_cover"] is not False,
        }

    def _get_lines_action(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "food_order_center.food_turnover_line_action"
        )
        action.update(
            {
                "name": self.env._(
                    "Inventory Turnover %(date_from)s - %(date_to)s",
                    date_from=self.date_from,
                    date_to=self.date_to,
                ),
                "domain": [("wizard_id", "=", self.id)],
                "context": {"food_turnover_group_by": self.group_by},
            }
        )
        return action

    @api.model
    def _check_turnover_period(self, date_from, date_to):
        """The period's dates, once they make a period."""
        if not date_from or not date_to:
            raise UserError(
                self.env._("Choose the first and the last day of the period.")
            )
        try:
            date_from = fields.Date.to_date(date_from)
            date_to = fields.Date.to_date(date_to)
        except ValueError as error:
            raise UserError(
                self.env._(
                    "Give the dates of the period as YYYY-MM-DD: %(error)s",
                    error=error,
                )
            ) from error
        if date_from > date_to:
            raise UserError(
                self.env._(
                    "The period starts on %(date_from)s, after its end on "
                    "%(date_to)s: choose a start date on or before the end "
                    "date.",
                    date_from=date_from,
                    date_to=date_to,
                )
            )
        return date_from, date_to

    @api.model
    def _check_turnover_access(self, company):
        """Stock values of a whole company: order center managers and
        inventory managers of that company only (the figures are read in
        SQL, past record rules)."""
        if self.env.su:
            return
        user = self.env.user
        if not user.has_group(TURNOVER_GROUP):
            raise AccessError(
                self.env._(
                    "Only order center managers and inventory managers can "
                    "see the inventory turnover."
                )
            )
        if company not in user.company_ids:
            raise AccessError(
                self.env._("You cannot see the inventory turnover of this company.")
            )

    @api.model
    def _check_turnover_filters(self, company, warehouse_id, categ_id):
        """The warehouse and category to filter on (may be empty), once
        they exist (and the warehouse is the company's)."""
        warehouse = self.env["stock.warehouse"].browse(warehouse_id).exists()
        if warehouse_id and (not warehouse or warehouse.company_id != company):
            raise UserError(
                self.env._(
                    "Warehouse %(warehouse)s is not a warehouse of %(company)s.",
                    warehouse=warehouse_id,
                    company=company.name,
                )
            )
        category = self.env["product.category"].browse(categ_id).exists()
        if categ_id and not category:
            raise UserError(
                self.env._(
                    "Product category %(category)s does not exist.",
                    category=categ_id,
                )
            )
        return warehouse, category

    @api.model
    def _read_turnover_sums(self, group_by, company, start, end, warehouse, category):
        """Per group, in one query over the company's valuation layers
        dated before ``end``: the opening value (layers before ``start``),
        the closing value (all of them) and the COGS (minus the layers of
        the moves between an internal location and a customer, in the
        period: deliveries less returns).

        A layer counts in the warehouse of its move's source location when
        that is internal (goods leaving it), else of its destination (goods
        coming in), as the layer's own ``warehouse_id``; layers without a
        move (revaluations) belong to no warehouse."""
        self.env["stock.valuation.layer"].flush_model()
        self.env["stock.move"].flush_model(["location_id", "location_dest_id", "state"])
        self.env["stock.location"].flush_model(["usage", "warehouse_id"])
        self.env["product.category"].flush_model(["parent_path"])
        conditions = [SQL("TRUE")]
        if warehouse:
            conditions.append(SQL("layer.warehouse_id = %s", warehouse.id))
        if category:
            conditions.append(
                SQL(
                    "layer.categ_id IN (SELECT id FROM product_category "
                    "WHERE parent_path LIKE %s)",
                    f"{category.parent_path}%",
                )
            )
        query = SQL(
            """
            WITH layer AS (
                SELECT svl.product_id,
                       svl.categ_id,
                       svl.value,
                       svl.create_date,
                       CASE WHEN src.usage = 'internal' THEN src.warehouse_id
                            ELSE dest.warehouse_id
                       END AS warehouse_id,
                       COALESCE(
                           (src.usage = 'internal' AND dest.usage = 'customer')
                           OR (src.usage = 'customer' AND dest.usage = 'internal'),
                           FALSE
                       ) AS is_sale
                  FROM stock_valuation_layer svl
             LEFT JOIN stock_move move ON move.id = svl.stock_move_id
             LEFT JOIN stock_location src ON src.id = move.location_id
             LEFT JOIN stock_location dest ON dest.id = move.location_dest_id
                 WHERE svl.company_id = %(company)s
                   AND svl.create_date < %(end)s
            )
            SELECT %(key)s AS key,
                   MIN(layer.categ_id) AS categ_id,
                   COALESCE(SUM(layer.value)
                       FILTER (WHERE layer.create_date < %(start)s), 0)
                       AS opening_value,
                   COALESCE(SUM(layer.value), 0) AS closing_value,
                   -COALESCE(SUM(layer.value)
                       FILTER (WHERE layer.is_sale
                                 AND layer.create_date >= %(start)s), 0)
                       AS cogs,
                   COUNT(*) FILTER (WHERE layer.create_date >= %(start)s)
                       AS period_layers
              FROM layer
             WHERE %(conditions)s
          GROUP BY %(key)s
            """,
            company=company.id,
            start=start,
            end=end,
            key=SQL.identifier("layer", GROUP_COLUMNS[group_by]),
            conditions=SQL(" AND ").join(conditions),
        )
        return self.env.execute_query_dict(query)

    @api.model
    def _prepare_turnover_rows(self, group_by, sums, company, days):
        """The RPC-safe rows (no None) of the sums, highest turnover
        first."""
        currency = company.currency_id
        names = self._get_turnover_names(group_by, [row["key"] for row in sums])
        rows = []
        for row in sums:
            opening = currency.round(row["opening_value"])
            closing = currency.round(row["closing_value"])
            cogs = currency.round(row["cogs"])
            if not (row["period_layers"] or opening or closing):
                # neither stock nor movement in the period
                continue
            average = currency.round((opening + closing) / 2)
            key = row["key"] or False
            rows.append(
                {
                    "product_id": key if group_by == "product" else False,
                    "categ_id": (
                        row["categ_id"]
                        if group_by in ("product", "category")
                        else False
                    ),
                    "warehouse_id": key if group_by == "warehouse" else False,
                    "name": names.get(key) or self.env._("No warehouse"),
                    "currency_id": currency.id,
                    "days": days,
                    "cogs": cogs,
                    "opening_value": opening,
                    "closing_value": closing,
                    "average_value": average,
                    "turnover": (0.0 if currency.is_zero(average) else cogs / average),
                    "days_of_cover": (
                        average * days / cogs
                        if currency.compare_amounts(cogs, 0) > 0
                        else False
                    ),
                }
            )
        rows.sort(key=lambda row: (-row["turnover"], row["name"]))
        return rows

    @api.model
    def _get_turnover_names(self, group_by, keys):
        """The display names of the groups, read at once."""
        model = {
            "product": "product.product",
            "category": "product.category",
            "warehouse": "stock.warehouse",
        }[group_by]
        records = (
            self.env[model]
            .with_context(active_test=False)
            .browse([key for key in keys if key])
        )
        return {record.id: record.display_name for record in records}
