# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the customer portal shows of an order-center order's transport
(R12): the deliveries on their way with their tracking links, and the
carriers' events (views/sale_portal_templates.xml)."""

from odoo import models

# the newest events only: a long journey must not make a huge page
PORTAL_EVENT_LIMIT = 50
PORTAL_EVENT_FIELDS = [
    "tracking_ref",
    "status",
    "event_time",
    "location",
    "note",
    "source",
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _food_portal_deliveries(self):
        """Deliveries of the order the customer can follow: shipped and
        handed over to a carrier (or the company's own van), or with a
        tracking number.

        Called on the order as the portal renders it (sudo, after the
        portal's access check on this order).
        """
        self.ensure_one()
        return self._food_done_deliveries().filtered(
            lambda p: p.food_handover_date or p.carrier_tracking_ref
        )

    def _food_portal_tracking_events(self):
        """Transport events of the deliveries the customer follows, newest
        first (the last PORTAL_EVENT_LIMIT), read at once.

        Called on the order as the portal renders it (sudo, after the
        portal's access check on this order).
        """
        self.ensure_one()
        deliveries = self._food_portal_deliveries()
        if not deliveries:
            return self.env["food.tracking.event"]
        return self.env["food.tracking.event"].search_fetch(
            [("picking_id", "in", deliveries.ids)],
            PORTAL_EVENT_FIELDS,
            limit=PORTAL_EVENT_LIMIT,
        )
