# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

TRANSPORT_STATUSES = [
    ("in_transit", "In Transit"),
    ("out_for_delivery", "Out for Delivery"),
    ("delivered", "Delivered"),
    ("failed", "Delivery Failed"),
    ("returned", "Returned to Sender"),
]


class FoodTrackingEvent(models.Model):
    """One transport status event of a delivery, as the carrier reported it
    (``stock.picking.record_tracking_events``) or as the logistics coordinator
    recorded it for the company's own vans. A fact: never edited."""

    _name = "food.tracking.event"
    _description = "Transport Tracking Event"
    _order = "event_time desc, id desc"
    _rec_name = "tracking_ref"

    _sql_constraints = [
        (
            "event_uniq",
            "unique (picking_id, tracking_ref, event_id)",
            "This carrier event was already recorded for this tracking number.",
        ),
    ]

    picking_id = fields.Many2one(
        "stock.picking",
        string="Transfer",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    order_id = fields.Many2one(
        related="picking_id.sale_id",
        string="Order",
        store=True,
        index="btree_not_null",
    )
    carrier_id = fields.Many2one(related="picking_id.carrier_id", string="Carrier")
    company_id = fields.Many2one(
        related="picking_id.company_id", store=True, index=True
    )
    tracking_ref = fields.Char(
        string="Tracking Number", required=True, index=True, readonly=True
    )
    status = fields.Selection(
        TRANSPORT_STATUSES, required=True, index=True, readonly=True
    )
    event_time = fields.Datetime(required=True, index=True, readonly=True)
    event_id = fields.Char(
        string="Carrier Event ID",
        required=True,
        readonly=True,
        help="The carrier's id of the event; when the carrier sends none, "
        "'<status>@<time>'. The same event sent again is recognised by it.",
    )
    location = fields.Char(readonly=True)
    note = fields.Text(readonly=True)
    received_date = fields.Datetime(
        string="Received On",
        default=fields.Datetime.now,
        required=True,
        readonly=True,
    )
    source = fields.Selection(
        [("carrier", "Carrier"), ("manual", "Recorded by Hand")],
        default="carrier",
        required=True,
        readonly=True,
    )
    proof_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Proof of Delivery",
        readonly=True,
        help="Signature or photo of a delivery by the company's own van.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # events are facts recorded by the tracking API and the Mark
        # Delivered action only
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Tracking events come from the carriers' tracking API or "
                    "from Mark Delivered on the transfer."
                )
            )
        return super().create(vals_list)
