# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What keeps the facts tables of the analysis (``food.order.analysis``,
``food.order.line.analysis``) up to date: each record the facts are read
from notes the orders it touches when one of the columns the facts read is
written. The hooks sit on ``_create`` and ``_write_multi``, where every
stored value goes to the database (``create``, ``write`` and the stored
computed fields alike), and on ``unlink``."""

from odoo import api, models

from ..report.food_order_analysis import (
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
        mark_pending(self.env, PENDING_ORDERS, _order_center(orders))
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


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model
    def _create(self, data_list):
        lines = super()._create(data_list)
        mark_pending(self.env, PENDING_ORDERS, _order_center(lines.order_id))
        return lines

    def _write_multi(self, vals_list):
        if _writes_any(vals_list, LINE_COLUMNS):
            mark_pending(self.env, PENDING_ORDERS, _order_center(self.order_id))
        return super()._write_multi(vals_list)

    def unlink(self):
        mark_pending(self.env, PENDING_ORDERS, _order_center(self.order_id))
        return super().unlink()


class FoodOrderException(models.Model):
    _inherit = "food.order.exception"

    @api.model
    def _create(self, data_list):
        exceptions = super()._create(data_list)
        mark_pending(self.env, PENDING_ORDERS, exceptions.order_id.ids)
        return exceptions

    def _write_multi(self, vals_list):
        if _writes_any(vals_list, EXCEPTION_COLUMNS):
            order_ids = set(self.order_id.ids)
            order_ids.update(vals.get("order_id") for vals in vals_list)
            mark_pending(self.env, PENDING_ORDERS, order_ids)
        return super()._write_multi(vals_list)

    def unlink(self):
        mark_pending(self.env, PENDING_ORDERS, self.order_id.ids)
        return super().unlink()


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _create(self, data_list):
        cases = super()._create(data_list)
        mark_pending(self.env, PENDING_ORDERS, cases.food_order_id.ids)
        return cases

    def _write_multi(self, vals_list):
        if _writes_any(vals_list, CASE_COLUMNS):
            order_ids = set(self.food_order_id.ids)
            order_ids.update(vals.get("food_order_id") for vals in vals_list)
            mark_pending(self.env, PENDING_ORDERS, order_ids)
        return super()._write_multi(vals_list)

    def unlink(self):
        mark_pending(self.env, PENDING_ORDERS, self.food_order_id.ids)
        return super().unlink()


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
