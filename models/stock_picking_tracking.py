# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hand-over to the carrier (R16) and transport status up to Delivered (R12).

The carrier's tracking numbers live where Odoo keeps them: the transfer's
``carrier_tracking_ref`` (stock_delivery) and, when the carrier gives one
number per package, each package's ``food_tracking_ref`` (the transfer then
shows them all, comma-separated, as stock_delivery does for several numbers).
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .food_tracking_event import TRANSPORT_STATUSES
from .stock_picking_tracking_events import MAX_LENGTHS, TRACKING_REF_PATTERN

TRACKING_LINK = Markup('<a href="%s" target="_blank" rel="noopener">%s</a>')


# fixed by the hand-over
HANDOVER_FIELDS = {"carrier_id", "carrier_tracking_ref"}


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "food.guarded.mixin"]

    food_handover_date = fields.Datetime(
        string="Handed Over On", readonly=True, copy=False, index="btree_not_null"
    )
    food_handover_by_id = fields.Many2one(
        "res.users", string="Handed Over By", readonly=True, copy=False
    )
    food_transport_status = fields.Selection(
        TRANSPORT_STATUSES,
        string="Transport Status",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Last status reported by the carrier (or recorded by hand for "
        "the company's own vans). It only moves forward.",
    )
    food_transport_date = fields.Datetime(
        string="Status Time",
        readonly=True,
        copy=False,
        help="Time of the event that set the transport status.",
    )
    food_delivered_date = fields.Datetime(
        string="Delivered On", readonly=True, copy=False
    )
    food_tracking_event_ids = fields.One2many(
        "food.tracking.event", "picking_id", string="Tracking Events", readonly=True
    )
    food_tracking_event_count = fields.Integer(
        compute="_compute_food_tracking_event_count"
    )
    food_tracking_links = fields.Html(
        string="Tracking Links",
        compute="_compute_food_tracking_links",
        sanitize=False,
        help="The carrier's tracking page of each tracking number.",
    )
    food_tracking_urls = fields.Text(
        string="Tracking URLs", compute="_compute_food_tracking_links"
    )
    food_can_handover = fields.Boolean(compute="_compute_food_can_handover")
    food_can_mark_delivered = fields.Boolean(compute="_compute_food_can_handover")

    def _compute_food_tracking_event_count(self):
        counts = dict(
            self.env["food.tracking.event"]._read_group(
                [("picking_id", "in", self.ids)], ["picking_id"], ["__count"]
            )
        )
        for picking in self:
            picking.food_tracking_event_count = counts.get(picking, 0)

    @api.depends(
        "carrier_id",
        "carrier_tracking_ref",
        "move_line_ids.result_package_id.food_tracking_ref",
    )
    def _compute_food_tracking_links(self):
        for picking in self:
            links = picking._food_get_tracking_links()
            picking.food_tracking_links = Markup(", ").join(
                TRACKING_LINK % (url, ref) if url else ref for ref, url in links
            )
            picking.food_tracking_urls = "\n".join(url or ref for ref, url in links)

    @api.depends_context("uid")
    @api.depends(
        "state",
        "picking_type_code",
        "food_handover_date",
        "carrier_tracking_ref",
        "food_transport_status",
    )
    def _compute_food_can_handover(self):
        allowed = self._food_may_handover()
        for picking in self:
            open_delivery = (
                picking.picking_type_code == "outgoing"
                and picking.state not in ("draft", "cancel")
                and allowed
            )
            picking.food_can_handover = open_delivery and not picking.food_handover_date
            picking.food_can_mark_delivered = bool(
                open_delivery
                and picking.food_handover_date
                and not picking.carrier_tracking_ref
                and picking.food_transport_status not in ("delivered", "returned")
            )

    @api.model
    def _get_food_protected_fields(self):
        # written by the hand-over and the tracking events only
        return super()._get_food_protected_fields() | {
            "food_handover_date",
            "food_handover_by_id",
            "food_transport_status",
            "food_transport_date",
            "food_delivered_date",
        }

    # the protected fields (these and the pre-shipment check's) are checked
    # once, by create and write in stock_picking_preship.py

    def write(self, vals):
        if HANDOVER_FIELDS & set(vals) and not self._is_food_trusted():
            handed_over = self.filtered("food_handover_date")
            if handed_over:
                # the carriers' events find the delivery by its numbers
                raise UserError(
                    self.env._(
                        "The carrier and the tracking numbers of a delivery "
                        "handed over to the carrier do not change: %(pickings)s",
                        pickings=", ".join(handed_over.mapped("name")),
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Hand-over to the carrier (R16)
    # ------------------------------------------------------------------

    def action_food_handover(self, carrier_id=None, tracking_refs=None):
        """Logistics coordinator: hand the delivery over to the carrier.

        Validates the delivery if it is still open, records the carrier, its
        tracking number(s) (one per package when the carrier gives several),
        when and by whom, and sends the customer the tracking link(s).
        Without a carrier, the delivery leaves in the company's own van: no
        tracking number, Mark Delivered with a proof at the door.

        :param int carrier_id: delivery.carrier (default: the transfer's)
        :param tracking_refs: a tracking number or a list of them (default:
            the comma-separated numbers entered on the transfer)
        """
        self._food_ensure_one_delivery()
        self._check_food_may_handover()
        if self.picking_type_code != "outgoing" or self.state in ("draft", "cancel"):
            raise UserError(
                self.env._(
                    "Only deliveries to customers are handed over to a carrier: "
                    "%(picking)s",
                    picking=self.name,
                )
            )
        if self.food_handover_date:
            raise UserError(
                self.env._(
                    "%(picking)s was already handed over on %(date)s.",
                    picking=self.name,
                    date=fields.Datetime.to_string(self.food_handover_date),
                )
            )
        carrier = self._food_handover_carrier(carrier_id)
        if tracking_refs is None:
            # the button: the numbers entered on the transfer
            tracking_refs = [
                ref for ref in (self.carrier_tracking_ref or "").split(",") if ref
            ]
        refs = self._food_parse_tracking_refs(tracking_refs, carrier)
        packages = self.move_line_ids.result_package_id.sorted("name")
        if len(refs) > 1 and len(refs) != len(packages):
            raise UserError(
                self.env._(
                    "%(picking)s has %(packages)s package(s) and %(refs)s "
                    "tracking numbers were given: give one number for the "
                    "whole delivery or one per package.",
                    picking=self.name,
                    packages=len(packages),
                    refs=len(refs),
                )
            )
        self._food_check_refs_unused(refs)
        if self.state != "done":
            # skip_sms: stock_sms's one-time SMS question and its validation
            # SMS; the hand-over sends its own, with the tracking link. A
            # print action (auto-printed documents) may come back.
            self.with_context(skip_sms=True).button_validate()
            if self.state != "done":
                raise UserError(
                    self.env._(
                        "%(picking)s cannot be validated in one step (quantities "
                        "to confirm or a backorder to decide): validate it, "
                        "then hand it over.",
                        picking=self.name,
                    )
                )
        self._write_food_trusted(
            {
                "carrier_id": carrier.id,
                "carrier_tracking_ref": ", ".join(refs) or False,
                "food_handover_date": fields.Datetime.now(),
                "food_handover_by_id": self.env.user.id,
            }
        )
        if len(refs) > 1:
            for package, ref in zip(packages, refs, strict=True):
                package._write_food_trusted({"food_tracking_ref": ref})
        self.message_post(
            body=self.env._(
                "Handed over to %(carrier)s by %(user)s. Tracking: %(refs)s",
                carrier=carrier.name or self.env._("own van"),
                user=self.env.user.name,
                refs=", ".join(refs) or "-",
            ),
            subtype_xmlid="mail.mt_note",
        )
        if refs:
            self._food_send_tracking_notice()
        return True

    def action_view_food_tracking_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "food_order_center.food_tracking_event_action"
        )
        action["domain"] = [("picking_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _food_ensure_one_delivery(self):
        if len(self) != 1:
            raise UserError(
                self.env._(
                    "Hand over and mark delivered one delivery at a time "
                    "(%(count)s given).",
                    count=len(self),
                )
            )

    def _food_may_handover(self):
        return self.env["sale.order"]._get_food_scope("handover") == "all"

    def _check_food_may_handover(self):
        if not self._food_may_handover():
            raise AccessError(
                self.env._(
                    "Only logistics coordinators hand deliveries over to the "
                    "carrier and record their delivery."
                )
            )

    def _food_handover_carrier(self, carrier_id):
        if carrier_id is None or carrier_id is False:
            return self.carrier_id
        if not isinstance(carrier_id, int) or isinstance(carrier_id, bool):
            raise UserError(self.env._("carrier_id must be the id of a carrier."))
        carrier = self.env["delivery.carrier"].browse(carrier_id).exists()
        if not carrier or carrier.company_id not in (
            self.company_id,
            self.env["res.company"],
        ):
            raise UserError(self.env._("Carrier %(id)s does not exist.", id=carrier_id))
        return carrier

    def _food_parse_tracking_refs(self, tracking_refs, carrier):
        if tracking_refs in (None, False, ""):
            tracking_refs = []
        elif isinstance(tracking_refs, str):
            tracking_refs = [tracking_refs]
        if not isinstance(tracking_refs, list | tuple) or not all(
            isinstance(ref, str) for ref in tracking_refs
        ):
            raise UserError(
                self.env._("Tracking numbers must be a text or a list of texts.")
            )
        refs = [ref.strip() for ref in tracking_refs]
        bad = [
            ref
            for ref in refs
            if len(ref) > MAX_LENGTHS["tracking_ref"]
            or not TRACKING_REF_PATTERN.match(ref)
        ]
        if bad:
            raise UserError(
                self.env._(
                    "Invalid tracking numbers (letters, digits and . _ / - only, "
                    "at most %(max)s characters): %(refs)s",
                    max=MAX_LENGTHS["tracking_ref"],
                    refs=", ".join(repr(ref) for ref in bad),
                )
            )
        # carriers' numbers are not case-sensitive
        if len({ref.upper() for ref in refs}) != len(refs):
            raise UserError(self.env._("A tracking number was given twice."))
        if carrier and not refs:
            raise UserError(
                self.env._(
                    "Enter the tracking number(s) %(carrier)s gave for %(picking)s.",
                    carrier=carrier.name,
                    picking=self.name,
                )
            )
        if refs and not carrier:
            raise UserError(
                self.env._(
                    "Choose the carrier of the tracking numbers of %(picking)s.",
                    picking=self.name,
                )
            )
        return refs

    def _food_check_refs_unused(self, refs):
        if not refs:
            return
        # tracking numbers identify the delivery for the carriers' events:
        # they must be unique among the deliveries of every company
        used = self.sudo().search(
            [
                ("id", "!=", self.id),
                ("picking_type_code", "=", "outgoing"),
                "|",
                ("carrier_tracking_ref", "in", refs),
                ("move_line_ids.result_package_id.food_tracking_ref", "in", refs),
            ],
            limit=1,
        )
        if used:
            raise UserError(
                self.env._(
                    "These tracking numbers are already used by another "
                    "delivery: %(refs)s",
                    refs=", ".join(refs),
                )
            )

    def _food_get_tracking_links(self):
        """[(tracking number, carrier's tracking URL or False)] of the delivery."""
        self.ensure_one()
        if not self.carrier_tracking_ref:
            return []
        package_refs = self.move_line_ids.result_package_id.sorted("name").mapped(
            "food_tracking_ref"
        )
        package_refs = [ref for ref in package_refs if ref]
        carrier = self.carrier_id
        if len(package_refs) < 2:
            ref = self.carrier_tracking_ref
            url = carrier.get_tracking_link(self) if carrier else False
            return [(ref, url if isinstance(url, str) else False)]
        template = carrier.tracking_url or ""
        return [
            (
                ref,
                template.replace("<shipmenttrackingnumber>", ref)
                if "<shipmenttrackingnumber>" in template
                else False,
            )
            for ref in package_refs
        ]

    def _food_send_tracking_notice(self):
        """E-mail (and SMS when a mobile number is known) the tracking
        link(s) to the customer, in the customer's language, on the order."""
        self.ensure_one()
        thread = self.sale_id or self
        customer = thread.partner_id
        if not customer:
            return
        # the addon's own templates, whoever hands over (the SMS templates'
        # record rules follow the user's rights on the templates' models)
        template = self.env.ref("food_order_center.mail_template_tracking_link").sudo()
        subject = template._render_field("subject", self.ids, compute_lang=True)[
            self.id
        ]
        body = template._render_field(
            "body_html", self.ids, compute_lang=True, options={"post_process": True}
        )[self.id]
        thread.message_post(
            body=body,
            subject=subject,
            partner_ids=customer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
        )
        if customer.mobile:
            sms_template = self.env.ref(
                "food_order_center.sms_template_tracking_link"
            ).sudo()
            sms_body = sms_template._render_field("body", self.ids, compute_lang=True)[
                self.id
            ]
            # queued: the SMS gateway never holds up the hand-over
            thread._message_sms(
                sms_body,
                partner_ids=customer.ids,
                sms_pid_to_number={customer.id: customer.mobile},
                put_in_queue=True,
            )

    # ------------------------------------------------------------------
    # Own vans: delivered by hand, with a proof
    # ------------------------------------------------------------------

    def action_food_mark_delivered(self):
        """Logistics coordinator: a delivery by the company's own van reached
        the customer. Needs a proof on the transfer: the customer's signature
        or a photo attached to it."""
        self._food_ensure_one_delivery()
        self._check_food_may_handover()
        if not self.food_can_mark_delivered:
            raise UserError(
                self.env._(
                    "%(picking)s cannot be marked delivered by hand: only "
                    "deliveries handed over to the company's own van (no "
                    "carrier tracking number) and not yet delivered can.",
                    picking=self.name,
                )
            )
        proof = self.env["ir.attachment"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                "|",
                ("res_field", "=", "signature"),
                "&",
                ("res_field", "=", False),
                ("mimetype", "=like", "image/%"),
            ],
            order="id desc",
            limit=1,
        )
        if not proof:
            raise UserError(
                self.env._(
                    "Attach a proof of delivery to %(picking)s first: the "
                    "customer's signature or a photo.",
                    picking=self.name,
                )
            )
        now = fields.Datetime.now()
        # events are facts written by this action and the tracking API only
        events = (
            self.env["food.tracking.event"]
            .sudo()
            .create(
                {
                    "picking_id": self.id,
                    "tracking_ref": self.name,
                    "status": "delivered",
                    "event_time": now,
                    "event_id": f"manual@{fields.Datetime.to_string(now)}",
                    "source": "manual",
                    "proof_attachment_id": proof.id,
                    "note": self.env._(
                        "Delivered by own van, recorded by %(user)s.",
                        user=self.env.user.name,
                    ),
                }
            )
        )
        self._food_apply_tracking_events(events)
        return True
