# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Order side of the hand-over and the transport status (R12, R16): the
Delivered stage, the delivery time, the tracking links and events."""

from markupsafe import Markup

from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    food_delivered_date = fields.Datetime(
        string="Delivered On",
        compute="_compute_food_delivered_date",
        store=True,
        help="When the last delivery of the order reached the customer "
        "(reported by the carrier or recorded by hand).",
    )
    food_tracking_links = fields.Html(
        string="Tracking Links",
        compute="_compute_food_tracking_links",
        sanitize=False,
    )
    food_tracking_event_count = fields.Integer(
        compute="_compute_food_tracking_event_count"
    )

    @api.depends(
        "picking_ids.state",
        "picking_ids.picking_type_code",
        "picking_ids.food_delivered_date",
    )
    def _compute_food_delivered_date(self):
        for order in self:
            deliveries = order._food_done_deliveries()
            dates = deliveries.mapped("food_delivered_date")
            order.food_delivered_date = (
                max(dates) if deliveries and all(dates) else False
            )

    @api.depends("picking_ids.food_tracking_links")
    def _compute_food_tracking_links(self):
        for order in self:
            links = [
                picking.food_tracking_links
                for picking in order.picking_ids
                if picking.food_tracking_links
            ]
            order.food_tracking_links = Markup(", ").join(links) if links else False

    def _compute_food_tracking_event_count(self):
        counts = dict(
            self.env["food.tracking.event"]._read_group(
                [("order_id", "in", self.ids)], ["order_id"], ["__count"]
            )
        )
        for order in self:
            order.food_tracking_event_count = counts.get(order, 0)

    # the stage also follows the transport status of the deliveries
    # (dependencies of an overridden compute are merged with the original's)
    @api.depends(
        "picking_ids.food_transport_status",
        "picking_ids.food_handover_date",
    )
    def _compute_order_center_stage(self):
        return super()._compute_order_center_stage()

    def _get_order_center_stage(self):
        """Shipped orders move on with their deliveries' transport status:
        Delivered once every delivery reached the customer, Exception when
        one failed or came back. Closed (shipped and invoiced) waits for
        the delivery of the deliveries handed over with this addon; orders
        shipped without a hand-over close as before."""
        stage = super()._get_order_center_stage()
        if stage not in ("shipped", "closed"):
            return stage
        deliveries = self._food_done_deliveries()
        statuses = deliveries.mapped("food_transport_status")
        if any(status in ("failed", "returned") for status in statuses):
            return "exception"
        delivered = (
            bool(deliveries)
            and all(status == "delivered" for status in statuses)
            and len(statuses) == len(deliveries)
        )
        if stage == "closed":
            handed_over = any(deliveries.mapped("food_handover_date"))
            return "closed" if delivered or not handed_over else "shipped"
        return "delivered" if delivered else "shipped"

    def _food_done_deliveries(self):
        self.ensure_one()
        return self.picking_ids.filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing"
        )

    def action_view_food_tracking_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "food_order_center.food_tracking_event_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
