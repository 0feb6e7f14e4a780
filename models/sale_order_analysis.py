# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Facts of an order that the analysis reads (R20): when the order was
assigned and shipped, and what its deliveries cost. Stored on the order when
the step happens, so that ``food.order.analysis`` reads one row per order
without aggregating transfers at query time (a million orders, see
``make bench-kpi``)."""

from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    food_assigned_date = fields.Datetime(
        string="Assigned On",
        compute="_compute_food_assigned_date",
        store=True,
        copy=False,
        help="When the current processor was assigned to the order.",
    )
    food_shipped_date = fields.Datetime(
        string="Shipped On",
        compute="_compute_food_shipped_date",
        store=True,
        copy=False,
        help="When the first delivery of the order was handed over to the carrier.",
    )
    food_logistics_cost = fields.Float(
        string="Logistics Cost",
        compute="_compute_food_logistics_cost",
        store=True,
        copy=False,
        digits="Product Price",
        help="What the carriers charge for the order's deliveries: the "
        "shipping cost of its delivered transfers.",
    )

    @api.depends("processor_id")
    def _compute_food_assigned_date(self):
        now = fields.Datetime.now()
        for order in self:
            order.food_assigned_date = now if order.processor_id else False

    @api.depends(
        "picking_ids.state",
        "picking_ids.picking_type_code",
        "picking_ids.food_handover_date",
    )
    def _compute_food_shipped_date(self):
        for order in self:
            # a hand-over validates the delivery: only done ones have a date
            dates = order._food_done_deliveries().mapped("food_handover_date")
            order.food_shipped_date = min(filter(None, dates), default=False)

    @api.depends(
        "picking_ids.state",
        "picking_ids.picking_type_code",
        "picking_ids.carrier_price",
    )
    def _compute_food_logistics_cost(self):
        for order in self:
            order.food_logistics_cost = sum(
                order._food_done_deliveries().mapped("carrier_price")
            )

    @api.model
    def _get_food_protected_fields(self):
        return super()._get_food_protected_fields() | {
            "food_assigned_date",
            "food_shipped_date",
            "food_logistics_cost",
        }
