# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

INTAKE_CHANNELS = [
    ("online_platform", "Online Platform"),
    ("phone", "Phone"),
    ("fax", "Fax"),
    ("email", "E-mail"),
    ("other", "Other"),
]

ORDER_CENTER_STAGES = [
    ("received", "Received"),
    ("to_verify", "To Verify"),
    ("needs_clarification", "Needs Clarification"),
    ("verified", "Verified"),
    ("assigned", "Assigned"),
    ("picking", "Picking"),
    ("packed", "Packed"),
    ("shipped", "Shipped"),
    ("delivered", "Delivered"),
    ("closed", "Closed"),
    ("exception", "Exception"),
    ("cancelled", "Cancelled"),
]

URGENT_PRIORITY = "1"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    _sql_constraints = [
        (
            "external_ref_platform_uniq",
            "unique (platform_id, external_ref, company_id)",
            "This platform order reference already exists: "
            "an order of a platform can only be entered once.",
        ),
    ]

    # intake_channel and urgency always get their default (and are required
    # in the views) but are no NOT NULL columns: code that does not know this
    # addon (another module's tests run at install, SQL inserts) must still
    # be able to create orders.
    intake_channel = fields.Selection(
        INTAKE_CHANNELS,
        default="other",
        index=True,
        tracking=True,
        help="How the order reached the order center.",
    )
    platform_id = fields.Many2one(
        "food.sales.platform",
        string="Sales Platform",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    external_ref = fields.Char(
        string="Platform Order Reference",
        index="btree_not_null",
        tracking=True,
        copy=False,
        help="The order number given by the sales platform.",
    )
    urgency = fields.Selection(
        [("normal", "Normal"), ("urgent", "Urgent")],
        default="normal",
        index=True,
        tracking=True,
        help="Urgent orders are handled first and their deliveries get "
        "the picking priority 'Urgent'.",
    )
    is_custom_order = fields.Boolean(
        string="Custom Order",
        index=True,
        tracking=True,
        help="Custom-made food prepared to the customer's requirements.",
    )
    custom_requirements = fields.Text(tracking=True)
    processor_id = fields.Many2one(
        "res.users",
        string="Order Processor",
        index="btree_not_null",
        tracking=True,
        copy=False,
        domain=lambda self: [
            (
                "groups_id",
                "in",
                self.env.ref("food_order_center.group_order_processor").ids,
            )
        ],
        help="Order processor in charge of picking, packing and shipping "
        "this order. Only the order center manager changes it.",
    )
    order_center_stage = fields.Selection(
        ORDER_CENTER_STAGES,
        compute="_compute_order_center_stage",
        store=True,
        index=True,
        tracking=True,
        group_expand="_group_expand_order_center_stage",
        help="Where the order stands in the order center, derived from "
        "the order and its transfers.",
    )

    @api.depends(
        "state",
        "order_line",
        "invoice_status",
        "processor_id",
        "picking_ids.state",
        "picking_ids.picking_type_code",
        "picking_ids.move_ids.picked",
        "picking_ids.move_line_ids.result_package_id",
    )
    def _compute_order_center_stage(self):
        # fetch the moves and move lines of all the orders at once
        pickings = self.picking_ids
        pickings.move_ids.mapped("picked")
        pickings.move_line_ids.mapped("result_package_id")
        for order in self:
            order.order_center_stage = order._get_order_center_stage()

    def _get_order_center_stage(self):
        """Return the order-center stage of one order from its real state.

        Hook for later steps of the workflow (verification, exceptions,
        carrier delivery confirmation) to refine the stage.
        """
        self.ensure_one()
        if self.state == "cancel":
            return "cancelled"
        if self.state in ("draft", "sent"):
            return "to_verify" if self.order_line else "received"
        pickings = self.picking_ids.filtered(lambda p: p.state != "cancel")
        if pickings and all(p.state == "done" for p in pickings):
            return "closed" if self.invoice_status == "invoiced" else "shipped"
        open_pickings = pickings.filtered(lambda p: p.state != "done")
        started = (
            open_pickings != pickings
            or any(open_pickings.move_ids.mapped("picked"))
            or open_pickings.move_line_ids.result_package_id
        )
        if started:
            last_steps = open_pickings.filtered(
                lambda p: p.picking_type_code == "outgoing"
            )
            goods_ready = open_pickings == last_steps and (
                open_pickings != pickings or last_steps.move_line_ids.result_package_id
            )
            return "packed" if goods_ready else "picking"
        return "assigned" if self.processor_id else "verified"

    def _group_expand_order_center_stage(self, stages, domain):
        return [
            key
            for key, _label in ORDER_CENTER_STAGES
            if key not in ("received", "closed", "cancelled")
        ]

    @api.constrains("intake_channel", "platform_id", "external_ref")
    def _check_platform_channel(self):
        for order in self:
            if order.platform_id and order.intake_channel != "online_platform":
                raise ValidationError(
                    self.env._(
                        "Order %(order)s has a sales platform, so its intake "
                        "channel must be 'Online Platform'.",
                        order=order.display_name,
                    )
                )
            if order.intake_channel == "online_platform" and not order.platform_id:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s comes from an online platform: "
                        "set its sales platform.",
                        order=order.display_name,
                    )
                )
            if order.external_ref and not order.platform_id:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s has a platform order reference "
                        "but no sales platform.",
                        order=order.display_name,
                    )
                )

    @api.constrains("processor_id")
    def _check_processor_id(self):
        processor_group = self.env.ref("food_order_center.group_order_processor")
        for order in self.filtered("processor_id"):
            if processor_group not in order.processor_id.groups_id:
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot process order %(order)s: "
                        "only users with the Order Processor role can.",
                        user=order.processor_id.name,
                        order=order.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("processor_id") for vals in vals_list):
            self._check_can_assign_processor()
        return super().create(vals_list)

    def write(self, vals):
        self._check_order_center_write_access(vals)
        res = super().write(vals)
        if "urgency" in vals:
            self._sync_picking_priority()
        return res

    def _check_can_assign_processor(self):
        if self.env.su or self.env.user.has_group(
            "food_order_center.group_order_center_manager"
        ):
            return
        raise AccessError(
            self.env._("Only the order center manager can assign order processors.")
        )

    def _check_order_center_write_access(self, vals):
        """Processors edit the orders assigned to them, others read-only;
        only the manager changes the assignment (R22)."""
        if self.env.su:
            return
        if "processor_id" in vals and any(
            order.processor_id.id != (vals["processor_id"] or False) for order in self
        ):
            self._check_can_assign_processor()
        self._check_processor_owns_orders()

    def _check_processor_owns_orders(self):
        user = self.env.user
        if self.env.su or not user.has_group("food_order_center.group_order_processor"):
            return
        # receivers and managers edit every order, processors only theirs
        if user.has_group("food_order_center.group_order_receiver"):
            return
        foreign = self.filtered(lambda o: o.processor_id != user)
        if foreign:
            raise AccessError(
                self.env._(
                    "You can only modify the orders assigned to you. "
                    "Not assigned to you: %(orders)s",
                    orders=", ".join(foreign.mapped("display_name")),
                )
            )

    def _sync_picking_priority(self):
        """Give the open transfers of the orders the priority of their urgency."""
        pickings = self.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        for urgency in ("normal", "urgent"):
            to_update = pickings.filtered(lambda p, u=urgency: p.sale_id.urgency == u)
            priority = URGENT_PRIORITY if urgency == "urgent" else "0"
            to_update.filtered(lambda p, prio=priority: p.priority != prio).write(
                {"priority": priority}
            )
