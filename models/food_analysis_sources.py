# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What keeps the facts tables of the analysis (``food.order.analysis``,
``food.order.line.analysis``) up to date: each record the facts are read
from notes the orders it touches when one of the columns the facts read is
written. The hooks sit on ``_create`` and ``_write_multi``, where every
stored value goes to the database (``create``, ``write`` and the stored
computed fields alike), and on ``unlink``; the records of an order (lines,
exceptions, cases) share theirs (``food.analysis.source``)."""

from odoo import api, models

from ..report.food_order_analysis import (
    NEW_ORDERS,
    PENDING_ADDRESSES,
    PENDING_CUSTOMERS,
    PENDING_ORDERS,
    PENDING_PRODUCTS,
    mark_pending,
)

# the columns of each source that the facts read
ORDER_COLUMNS = frozenset(
    {
        "amount_total",
        "amount_untaxed",
        "carrier_id",
        "clarification_count",
        "clarification_hours",
        "commitment_date",
        "company_id",
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
    }
)
LINE_COLUMNS = frozenset(
    {
        "display_type",
        "is_delivery",
        "order_id",
        "price_subtotal",
        "product_id",
        "product_uom_qty",
        "qty_delivered",
    }
)
EXCEPTION_COLUMNS = frozenset({"exception_type", "order_id"})
CASE_COLUMNS = frozenset({"food_case_type", "food_order_id"})
ADDRESS_COLUMNS = frozenset({"city", "country_id", "state_id"})


def _writes_any(vals_list, columns):
    return any(columns.intersection(vals) for vals in vals_list)


def _order_center(orders):
    """The order-center orders of ``orders`` (the others have no facts)."""
    return orders.filtered("intake_channel").ids


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.model
    def _create(self, data_list):
        orders = super()._create(data_list)
        order_ids = _order_center(orders)
        mark_pending(self.env, PENDING_ORDERS, order_ids)
        # their facts are inserted, with nothing to delete first
        self.env.cr.precommit.data.setdefault(NEW_ORDERS, set()).update(order_ids)
        return orders

    def _write_multi(self, vals_list):
        if _writes_any(vals_list, ORDER_COLUMNS):
            # an order that leaves the order center loses its rows
            leaving = _writes_any(vals_list, {"intake_channel"})
            mark_pending(
                self.env, PENDING_ORDERS, self.ids if leaving else _order_center(self)
            )
        return super()._write_multi(vals_list)

    def unlink(self):
        # the rows go with the orders; the customers' first orders change
        orders = self.filtered("intake_channel")
        mark_pending(self.env, PENDING_CUSTOMERS, orders.partner_id.ids)
        return super().unlink()


class FoodAnalysisSource(models.AbstractModel):
    """A record of an order that the order facts read (a line, an exception,
    an after-sales case): its creation, its deletion and the writes of
    ``_food_analysis_columns`` note its order, if an order-center one."""

    _name = "food.analysis.source"
    _description = "Order Center Analysis: a record of an order"

    # the many-to-one to the order, and the columns the facts read
    _food_analysis_order_field = "order_id"
    _food_analysis_columns = frozenset()

    def _food_note_orders(self):
        mark_pending(
            self.env,
            PENDING_ORDERS,
            _order_center(self[self._food_analysis_order_field]),
        )

    @api.model
    def _create(self, data_list):
        records = super()._create(data_list)
        records._food_note_orders()
        return records

    def _write_multi(self, vals_list):
        # the values written are in the cache: the order noted is the new one
        if _writes_any(vals_list, self._food_analysis_columns):
            self._food_note_orders()
        return super()._write_multi(vals_list)

    def unlink(self):
        self._food_note_orders()
        return super().unlink()


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "food.analysis.source"]
    _food_analysis_columns = LINE_COLUMNS


class FoodOrderException(models.Model):
    _name = "food.order.exception"
    _inherit = ["food.order.exception", "food.analysis.source"]
    _food_analysis_columns = EXCEPTION_COLUMNS


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "food.analysis.source"]
    _food_analysis_order_field = "food_order_id"
    _food_analysis_columns = CASE_COLUMNS


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _write_multi(self, vals_list):
        if _writes_any(vals_list, ADDRESS_COLUMNS):
            mark_pending(self.env, PENDING_ADDRESSES, self.ids)
        return super()._write_multi(vals_list)


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def _write_multi(self, vals_list):
        if _writes_any(vals_list, {"categ_id"}):
            mark_pending(
                self.env,
                PENDING_PRODUCTS,
                self.with_context(active_test=False).product_variant_ids.ids,
            )
        return super()._write_multi(vals_list)
