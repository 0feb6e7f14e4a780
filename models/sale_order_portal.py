# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the customer portal shows of an order-center order's transport
(R12): the deliveries on their way with their tracking links, and the
carriers' events (views/sale_portal_templates.xml)."""

from odoo import models

from .stock_picking_tracking_events import is_storable_text

# what a customer may report from the order page, and how long
PORTAL_CASE_TYPES = (
    "feedback",
    "inquiry",
    "return",
    "exchange",
    "complaint",
    "quality",
)
PORTAL_DESCRIPTION_MAX = 5000

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

    def _food_portal_case_types(self):
        """[(value, label)] of the case types a customer may report, in the
        language of the page."""
        labels = dict(
            self.env["helpdesk.ticket"]
            ._fields["food_case_type"]
            ._description_selection(self.env)
        )
        return [(value, labels[value]) for value in PORTAL_CASE_TYPES]

    def _food_portal_report_problem(self, case_type, description):
        """A problem the customer reports from the order's portal page:
        (the new after-sales case, False), or (empty, an error code the page
        words: "case_type", "description", "order").

        Called on the order as the portal gives it (sudo, after the portal's
        access check on this order)."""
        self.ensure_one()
        cases = self.env["helpdesk.ticket"]
        if not self.intake_channel or self.state != "sale":
            return cases, "order"
        if case_type not in PORTAL_CASE_TYPES:
            return cases, "case_type"
        if (
            not isinstance(description, str)
            or not description.strip()
            or len(description) > PORTAL_DESCRIPTION_MAX
            or not is_storable_text(description)
        ):
            return cases, "description"
        case = cases._food_case_create(
            {
                "order": self,
                "customer": {},
                "case_type": case_type,
                "channel": "portal",
                "platform": self.env["food.sales.platform"],
                "external_ref": False,
                "description": description.strip(),
                "lines": [],
            }
        )
        return case, False
