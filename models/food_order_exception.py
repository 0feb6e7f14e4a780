# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

EXCEPTION_TYPES = [
    ("stock_out", "Stock-out"),
    ("quality", "Quality Problem"),
    ("preship", "Pre-shipment Check Failed"),
    ("delivery_failed", "Delivery Failed"),
    ("delay", "Delay"),
]

CUSTOMER_OPTIONS = [
    ("deliver_later", "Deliver Everything Later"),
    ("split", "Deliver Now, Rest Later (Backorder)"),
    ("substitute", "Substitute Product"),
]

QUALITY_RESOLUTIONS = [
    ("released", "Released: the goods are fine"),
    ("replaced", "Replaced with other goods"),
]


class FoodOrderException(models.Model):
    _name = "food.order.exception"
    _description = "Order Exception"
    _order = "state, create_date desc, id desc"

    order_id = fields.Many2one(
        "sale.order", required=True, index=True, ondelete="cascade", readonly=True
    )
    line_id = fields.Many2one(
        "sale.order.line",
        string="Order Line",
        ondelete="set null",
        readonly=True,
    )
    product_id = fields.Many2one(
        "product.product", index="btree_not_null", readonly=True
    )
    lot_id = fields.Many2one("stock.lot", readonly=True)
    exception_type = fields.Selection(
        EXCEPTION_TYPES, string="Type", required=True, index=True, readonly=True
    )
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")],
        string="Status",
        default="open",
        required=True,
        index=True,
        readonly=True,
    )
    reason = fields.Text(readonly=True)
    customer_option = fields.Selection(
        CUSTOMER_OPTIONS,
        string="Customer's Choice",
        readonly=True,
        help="Option of a stock-out the customer chose.",
    )
    expected_date = fields.Date(
        string="Expected Arrival", readonly=True, help="Date offered to the customer."
    )
    substitute_product_id = fields.Many2one(
        "product.product", string="Substitute", readonly=True
    )
    resolution = fields.Selection(QUALITY_RESOLUTIONS, readonly=True)
    resolution_note = fields.Text(readonly=True)
    resolved_by_id = fields.Many2one("res.users", readonly=True)
    resolved_date = fields.Datetime(string="Resolved On", readonly=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    processor_id = fields.Many2one(
        related="order_id.processor_id", store=True, index="btree_not_null"
    )

    @api.depends("order_id", "exception_type", "product_id")
    def _compute_display_name(self):
        types = dict(self._fields["exception_type"]._description_selection(self.env))
        for exception in self:
            parts = [exception.order_id.name, types.get(exception.exception_type)]
            if exception.product_id:
                parts.append(exception.product_id.display_name)
            exception.display_name = " - ".join(p for p in parts if p)

    @api.constrains("exception_type", "customer_option", "substitute_product_id")
    def _check_stock_out_option(self):
        for exception in self.filtered(lambda e: e.customer_option == "substitute"):
            if not exception.substitute_product_id:
                raise ValidationError(self.env._("Choose the substitute product."))

    @api.model_create_multi
    def create(self, vals_list):
        # exceptions are opened by the order actions, not directly
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Exceptions are recorded from the order: Stock-out on a "
                    "line or Quality Hold."
                )
            )
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Quality hold (R11)
    # ------------------------------------------------------------------

    @api.model
    def _open_quality_hold(self, order, reason, line=None, lot=None):
        """Put an order (or one of its lines, or a lot) on quality hold."""
        order.ensure_one()
        order._check_food_allowed("process")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Describe the quality problem."))
        if line and line.order_id != order:
            raise UserError(self.env._("The line is not a line of this order."))
        if lot and line and lot.product_id != line.product_id:
            raise UserError(self.env._("The lot is not a lot of the line's product."))
        if lot and (
            lot.product_id not in order.order_line.product_id
            or lot.company_id not in (order.company_id, self.env["res.company"])
        ):
            raise UserError(
                self.env._("The lot is not a lot of a product of this order.")
            )
        if order.state == "cancel" or (
            order.picking_ids
            and all(p.state in ("done", "cancel") for p in order.picking_ids)
        ):
            raise UserError(
                self.env._(
                    "Order %(order)s is no longer in the warehouse.", order=order.name
                )
            )
        # holds are recorded by the processor's action only (create is closed)
        exception = self.sudo().create(
            {
                "order_id": order.id,
                "line_id": line.id if line else False,
                "product_id": (line.product_id or lot.product_id).id
                if (line or lot)
                else False,
                "lot_id": lot.id if lot else False,
                "exception_type": "quality",
                "reason": reason,
            }
        )
        if lot:
            lot.sudo().food_quality_hold = True
        order.message_post(
            body=self.env._(
                "Quality hold by %(user)s: %(reason)s",
                user=self.env.user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        exception.with_env(self.env)._inform_customer()
        return exception.with_env(self.env)

    def action_release(self, resolution, note=None):
        """Inventory manager: end the quality hold, releasing the goods or
        recording that they were replaced."""
        if not self.env.user.has_group("food_order_center.group_inventory_manager"):
            raise AccessError(
                self.env._("Only inventory managers can release a quality hold.")
            )
        if resolution not in dict(QUALITY_RESOLUTIONS):
            raise UserError(self.env._("Choose how the quality hold ends."))
        not_open = self.filtered(
            lambda e: e.exception_type != "quality" or e.state != "open"
        )
        if not_open:
            raise UserError(
                self.env._(
                    "Only open quality holds can be released: %(holds)s",
                    holds=", ".join(not_open.mapped("display_name")),
                )
            )
        # the hold's outcome is written by this action only (fields readonly)
        self.sudo().write(
            {
                "state": "resolved",
                "resolution": resolution,
                "resolution_note": (note or "").strip() or False,
                "resolved_by_id": self.env.user.id,
                "resolved_date": fields.Datetime.now(),
            }
        )
        lots = self.lot_id
        if resolution == "released":
            still_held = (
                self.sudo()
                .search(
                    [
                        ("lot_id", "in", lots.ids),
                        ("state", "=", "open"),
                        ("exception_type", "=", "quality"),
                    ]
                )
                .lot_id
            )
            (lots - still_held).sudo().food_quality_hold = False
        else:
            self._replace_held_goods()
        labels = dict(QUALITY_RESOLUTIONS)
        for exception in self:
            exception.order_id.message_post(
                body=self.env._(
                    "Quality hold ended by %(user)s: %(resolution)s",
                    user=self.env.user.name,
                    resolution=labels[resolution],
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._inform_customer()
        return True

    def _replace_held_goods(self):
        """Reserve other goods than the held lots for the open transfers."""
        for exception in self.filtered("lot_id"):
            pickings = exception.order_id.picking_ids.filtered(
                lambda p: p.state not in ("done", "cancel")
            )
            move_lines = pickings.move_line_ids.filtered(
                lambda ml, lot=exception.lot_id: ml.lot_id == lot
            )
            moves = move_lines.move_id
            if moves:
                moves._do_unreserve()
                moves._action_assign()

    # ------------------------------------------------------------------
    # Customer information
    # ------------------------------------------------------------------

    def _inform_customer(self):
        """E-mail the customer about the exception, in the customer's language."""
        templates = {
            "stock_out": "food_order_center.mail_template_stock_out",
            "quality": "food_order_center.mail_template_quality_hold",
            "delay": "food_order_center.mail_template_delay",
            "delivery_failed": "food_order_center.mail_template_delay",
        }
        for exception in self:
            template = self.env.ref(templates[exception.exception_type])
            subject = template._render_field(
                "subject", exception.ids, compute_lang=True
            )[exception.id]
            body = template._render_field(
                "body_html",
                exception.ids,
                compute_lang=True,
                options={"post_process": True},
            )[exception.id]
            exception.order_id.message_post(
                body=body,
                subject=subject,
                partner_ids=exception.order_id.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
            )
