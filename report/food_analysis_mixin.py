# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import fields, models
from odoo.tools import SQL


def hours_between(start, end):
    """SQL text: the hours from ``start`` to ``end`` (columns or
    expressions). date_part() is double precision; EXTRACT() would compute
    in numeric."""
    return f"date_part('epoch', {end} - {start}) / 3600"


class FactMany2one(fields.Many2one):
    """A many-to-one of a facts table without a foreign key of its own.

    Its value is copied from an order or a line whose own column refers to
    the same record with a foreign key that keeps it from being deleted
    (``restrict``, ``required``): the customer, the delivery address and
    its region, the company and its currency, the sales platform, the
    product and its category. A second key on the facts would check each
    of them again for every fact written, that is for every order received
    (about a third of the writing of an order's facts). The facts of a
    record that can be deleted while its orders stay (``set null``: users,
    carriers, warehouses) keep their key, and with it the same ``ondelete``.
    """

    def update_db_foreign_key(self, model, column):
        return

    @staticmethod
    def drop_foreign_keys(model):
        """Remove the foreign keys the fields ``FactMany2one`` of ``model``
        had before they were ones (databases installed earlier), and their
        records in ``ir.model.constraint``. Looks the keys up first, so that
        an upgrade locks the table only when there is one to drop."""
        columns = [
            name
            for name, field in model._fields.items()
            if isinstance(field, FactMany2one) and field.store
        ]
        if not columns:
            return
        cr = model.env.cr
        cr.execute(
            SQL(
                """
                SELECT con.conname
                  FROM pg_constraint con
                  JOIN pg_attribute att
                    ON att.attrelid = con.conrelid
                   AND att.attnum = ANY(con.conkey)
                 WHERE con.contype = 'f'
                   AND con.conrelid = %s::regclass
                   AND att.attname IN %s
                """,
                model._table,
                tuple(columns),
            )
        )
        keys = [name for (name,) in cr.fetchall()]
        if keys:
            cr.execute(
                SQL(
                    "ALTER TABLE %s %s",
                    SQL.identifier(model._table),
                    SQL(", ").join(
                        SQL("DROP CONSTRAINT %s", SQL.identifier(key)) for key in keys
                    ),
                )
            )
        names = [f"{model._table}_{column}_fkey" for column in columns]
        model.env["ir.model.constraint"].sudo().search(
            [
                ("model.model", "=", model._name),
                ("type", "=", "f"),
                ("name", "in", names),
            ]
        ).unlink()


class FoodAnalysisMixin(models.AbstractModel):
    """How the reporting models of the order center aggregate a million
    rows (``make bench-kpi``): the ``read_group`` of the pivot and graph
    views, the dashboard and BI tools.

    - Groups by a many-to-one field come in the order of its model, as
      ``read_group`` orders them, but are made by id: the ORM would join the
      other model's table (customers, products, users) to every row before
      aggregating and add its columns to the GROUP BY, so that PostgreSQL
      could no longer hash the groups in parallel. The few groups are put in
      order here, with one query per such field.
    - The aggregation runs with PostgreSQL settings of its own
      (``_food_pg_settings``), set for the query only; the rest of the
      transaction keeps its own:

      - no JIT compilation, which costs more than it saves on these queries
        (seconds on the staff performance of a million orders);
      - a lower cost of passing rows between parallel workers
        (``parallel_tuple_cost``, 0.1 by default): a count of distinct
        customers cannot be split between workers, but the scan and the
        sort beneath it can, and with the default the planner sorts a
        million rows in one process (the buying behaviour of a million
        orders: 1.6 s instead of 2.1 s).

      A larger ``work_mem`` was measured too: it keeps those sorts in
      memory, but the planner then stops sorting in parallel, and the
      buying behaviour takes 20 % longer.
    """

    _name = "food.analysis.mixin"
    _description = "Order Center Reporting: fast aggregation"

    _food_pg_settings = {"jit": "off", "parallel_tuple_cost": "0.02"}

    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        groupby = list(groupby)
        # read_group's default order: the groups' own order
        by_id = (
            order == ",".join(groupby)
            and not offset
            and not limit
            and any(self._food_is_many2one(spec) for spec in groupby)
        )
        cr = self.env.cr
        names = list(self._food_pg_settings)
        cr.execute(
            SQL(
                "SELECT %s",
                SQL(", ").join(
                    SQL(
                        "current_setting(%s), set_config(%s, %s, true)",
                        name,
                        name,
                        value,
                    )
                    for name, value in self._food_pg_settings.items()
                ),
            )
        )
        before = cr.fetchone()[::2]
        rows = super()._read_group(
            domain,
            groupby,
            aggregates,
            having,
            offset,
            limit,
            None if by_id else order,
        )
        cr.execute(
            SQL(
                "SELECT %s",
                SQL(", ").join(
                    SQL("set_config(%s, %s, true)", name, value)
                    for name, value in zip(names, before, strict=True)
                ),
            )
        )
        if by_id:
            rows.sort(key=self._food_group_sort_key(groupby, rows))
        return rows

    def _food_is_many2one(self, spec):
        field = self._fields.get(spec)
        return field is not None and field.type == "many2one"

    def _food_group_sort_key(self, groupby, rows):
        """The key that sorts ``rows`` (grouped by ``groupby``, ascending)
        as the database would with the many-to-one fields in the order of
        their models; empty groups last, as PostgreSQL puts NULLs."""
        ranks = {}
        booleans = set()
        for index, spec in enumerate(groupby):
            field = self._fields.get(spec)
            if field is not None and field.type == "boolean":
                booleans.add(index)
            if self._food_is_many2one(spec):
                records = self.env[self._fields[spec].comodel_name].union(
                    *(row[index] for row in rows)
                )
                ranks[index] = {
                    id_: rank
                    for rank, id_ in enumerate(
                        records.with_context(active_test=False).sorted()._ids
                    )
                }

        def key(row):
            terms = []
            for index, value in enumerate(row[: len(groupby)]):
                if index in ranks:
                    terms.append(
                        ranks[index].get(value.id, math.inf) if value else math.inf
                    )
                elif index in booleans:
                    terms.append((0, bool(value)))
                elif value is None or value is False:
                    terms.append((1, 0))
                else:
                    terms.append((0, value))
            return terms

        return key
