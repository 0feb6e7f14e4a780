# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

INTAKE_CHANNELS = [
    ("online_platform", "Online Platform"),
    ("phone", "Phone"),
    ("fax", "Fax"),
    ("email", "E-mail"),
    ("other", "Other"),
    # a replacement sent for a return (R18), never an intake channel
    ("exchange", "After-sales Exchange"),
]
# the channels an order can be sent or entered through
ORDER_INTAKE_CHANNELS = [c for c in INTAKE_CHANNELS if c[0] != "exchange"]

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

URGENCY_LEVELS = [("normal", "Normal"), ("urgent", "Urgent")]

URGENT_PRIORITY = "1"

# stages in which an order counts in the workload of its processor
OPEN_STAGES = ("verified", "assigned", "picking", "packed", "exception")

# Who does what on order-center orders (R22), written once: for each action,
# the first of the user's roles listed gives the scope ("all", "own": the
# orders assigned to the user); other order-center staff get "none"; users
# without any order-center role get the last value (Odoo's own rights when
# "all"). The server checks and the form's buttons (food_can_*) read it.
FOOD_PERMISSIONS = {
    "create": ([("order_receiver", "all")], "all"),
    "edit": ([("order_receiver", "all"), ("order_processor", "own")], "all"),
    "confirm": ([("order_receiver", "all")], "all"),
    "cancel": ([("order_receiver", "all")], "all"),
    "assign": ([("order_center_manager", "all")], "none"),
    "confirm_stock": ([("inventory_manager", "all")], "none"),
    "process": (
        [("inventory_manager", "all"), ("order_processor", "own")],
        "none",
    ),
    "preship": (
        [("order_center_manager", "all"), ("order_processor", "own")],
        "all",
    ),
    "ship": (
        [
            ("inventory_manager", "all"),
            ("logistics_coordinator", "all"),
            ("order_processor", "own"),
        ],
        "all",
    ),
    "handover": ([("logistics_coordinator", "all")], "none"),
    "delay": (
        [("order_center_manager", "all"), ("order_processor", "own")],
        "none",
    ),
}
STAFF_ROLES = (
    "order_intake",
    "order_processor",
    "inventory_manager",
    "logistics_coordinator",
    "aftersales",
)


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "food.guarded.mixin"]

    _sql_constraints = [
        (
            "external_ref_platform_uniq",
            "unique (platform_id, external_ref, company_id)",
            "This platform order reference already exists: "
            "an order of a platform can only be entered once.",
        ),
    ]

    # An order with an intake channel is an order-center order: it is
    # verified on entry and confirmed only once verified. Orders of other
    # flows (Sales app, e-commerce...) have none and are left as they are.
    # urgency gets its default but is no NOT NULL column: code that does not
    # know this addon (another module's tests, SQL inserts) still creates
    # orders.
    intake_channel = fields.Selection(
        INTAKE_CHANNELS,
        index=True,
        tracking=True,
        copy=True,
        help="How the order reached the order center. Orders with a channel "
        "are verified on entry and confirmed only once verified.",
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
        URGENCY_LEVELS,
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

    food_can_edit = fields.Boolean(
        compute="_compute_food_permissions",
        help="The current user may modify the order (receivers: every order, "
        "processors: the orders assigned to them).",
    )
    food_can_process = fields.Boolean(
        compute="_compute_food_permissions",
        help="The current user may re-check the order, handle its stock-outs "
        "and put it on quality hold.",
    )
    food_can_assign = fields.Boolean(
        compute="_compute_food_permissions",
        help="The current user may assign the order to a processor.",
    )

    @api.depends_context("uid")
    @api.depends("processor_id", "company_id")
    def _compute_food_permissions(self):
        editable = self._get_food_allowed("edit")
        processable = self._get_food_allowed("process")
        assignable = self._get_food_allowed("assign")
        for order in self:
            order.food_can_edit = order in editable
            order.food_can_process = order in processable
            order.food_can_assign = order in assignable

    @api.depends(
        "state",
        "order_line",
        "quality_hold",
        "verification_state",
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
        if self.quality_hold:
            return "exception"
        if self.state in ("draft", "sent"):
            if not self.order_line:
                return "received"
            if self.verification_state == "verified" and self.processor_id:
                return "assigned"
            return self.verification_state or "to_verify"
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

    @api.model
    def _get_food_protected_fields(self):
        # derived from the order and its transfers, never set by hand
        return super()._get_food_protected_fields() | {"order_center_stage"}

    @api.model
    def _get_food_check_triggers(self):
        """Fields whose change makes the order-center checks run again."""
        return set()

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        # default_processor_id in the context assigns nobody: only the
        # manager assigns (whatever sudo the caller's code runs in)
        if "processor_id" in defaults and not self.env.user.has_group(
            "food_order_center.group_order_center_manager"
        ):
            del defaults["processor_id"]
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        trusted = self._is_food_trusted()
        if not trusted:
            self._check_food_protected_fields(vals_list)
            self._check_food_allowed("create")
            if any(vals.get("processor_id") for vals in vals_list):
                self._check_food_allowed("assign")
        # lines created with their order are checked once, with the order
        orders = super(SaleOrder, self if trusted else self._food_deferred()).create(
            vals_list
        )
        orders = orders.with_env(self.env)
        if not self._are_food_checks_deferred():
            orders._run_order_center_checks()
        orders._notify_special_orders(
            {order: order._get_special_kinds() for order in orders}
        )
        return orders

    def write(self, vals):
        trusted = self._is_food_trusted()
        if not trusted:
            self._check_food_protected_fields([vals])
            self._check_food_allowed("edit")
            if "processor_id" in vals and any(
                order.processor_id.id != (vals["processor_id"] or False)
                for order in self
            ):
                self._check_food_allowed("assign")
            if "intake_channel" in vals:
                self._check_intake_channel_change(vals["intake_channel"])
        kinds_before = (
            {order: order._get_special_kinds() for order in self}
            if {"urgency", "is_custom_order", "intake_channel"} & set(vals)
            else None
        )
        res = super(SaleOrder, self if trusted else self._food_deferred()).write(vals)
        if "urgency" in vals:
            self._sync_picking_priority()
        if vals.get("processor_id"):
            # assigned: the managers' notice is done (through sudo: the
            # automatic assignment runs for receivers and API users)
            self.sudo().activity_feedback(
                ["food_order_center.mail_activity_type_assignment"],
                feedback=self.env._("Processor assigned."),
            )
        # a change of state runs the checks in its own hook (_action_confirm,
        # once the transfers exist), not twice
        if (
            not self._are_food_checks_deferred()
            and "state" not in vals
            and self._get_food_check_triggers() & set(vals)
        ):
            self._run_order_center_checks()
        if kinds_before is not None:
            self._notify_special_orders(
                {
                    order: order._get_special_kinds() - kinds_before[order]
                    for order in self
                }
            )
        return res

    def _check_intake_channel_change(self, channel):
        """The channel decides which checks an order passes: an order-center
        order keeps one, and only the manager corrects it."""
        changed = self.filtered(
            lambda o: o.intake_channel and o.intake_channel != channel
        )
        if not changed:
            return
        if not channel:
            raise UserError(
                self.env._(
                    "An order-center order keeps its intake channel: %(orders)s",
                    orders=", ".join(changed.mapped("display_name")),
                )
            )
        changed._check_food_allowed("assign", "channel")

    def _action_confirm(self):
        res = super()._action_confirm()
        # again on confirmation: the stock is now reserved for the order
        self._run_order_center_checks()
        return res

    def _run_order_center_checks(self):
        """The order center's checks, in order, for orders that changed:
        verification (quotations), stock check, automatic assignment."""
        orders = self.filtered(lambda o: o.intake_channel and o.id)
        if not orders:
            return
        orders._run_verification()
        orders._run_stock_check()
        orders._assign_processors()

    # ------------------------------------------------------------------
    # Who does what (R22): one place for the roles' rules, read by the
    # buttons (food_can_* fields) and by the server-side checks
    # ------------------------------------------------------------------

    @api.model
    def _get_food_scope(self, action):
        """On which orders the current user may do ``action``: "all", "own"
        (the orders assigned to them) or "none" (see FOOD_PERMISSIONS).
        """
        if self.env.su or self._is_food_trusted():
            return "all"
        user = self.env.user
        rules, outsiders = FOOD_PERMISSIONS[action]
        for role, scope in rules:
            if user.has_group(f"food_order_center.group_{role}"):
                return scope
        staff = any(
            user.has_group(f"food_order_center.group_{role}") for role in STAFF_ROLES
        )
        return "none" if staff else outsiders

    def _get_food_allowed(self, action):
        """The orders of ``self`` on which the current user may do ``action``."""
        scope = self._get_food_scope(action)
        if scope == "all":
            return self
        if scope == "own":
            return self.filtered(lambda o: o.processor_id == self.env.user)
        return self.browse()

    def _check_food_allowed(self, action, message_key=None):
        """Raise AccessError unless the current user may do ``action`` on
        every order of ``self`` (on some orders, for a new order)."""
        if not self:
            if self._get_food_scope(action) != "none":
                return
        else:
            denied = self - self._get_food_allowed(action)
            if not denied:
                return
        _ = self.env._
        messages = {
            "create": _("Only order receivers enter orders."),
            "edit": _(
                "You cannot modify these orders: order receivers modify "
                "orders, processors the orders assigned to them, other roles "
                "read them."
            ),
            "confirm": _("Only order receivers confirm orders."),
            "cancel": _("Only order receivers cancel orders."),
            "assign": _("Only the order center manager assigns order processors."),
            "channel": _(
                "Only the order center manager changes the intake channel of an order."
            ),
            "process": _(
                "Only the order's processor and inventory managers can do this."
            ),
            "confirm_stock": _("Only inventory managers confirm stock checks."),
            "ship": _(
                "Only logistics coordinators, inventory managers and the "
                "order's processor ship its deliveries."
            ),
            "delay": _(
                "Only the order's processor and the order center manager "
                "confirm the expected date of a delay."
            ),
        }
        message = messages[message_key or action]
        if self:
            message = _(
                "%(message)s Orders: %(orders)s",
                message=message,
                orders=", ".join(denied.mapped("display_name")),
            )
        raise AccessError(message)

    def _create_notices(self, activity_xmlid, summary, notes, users, deadlines=None):
        """Schedule automated activities (closed by code, see activity_feedback)
        on the orders, whoever triggered them: one per order and person. The
        one helper of every automated notice (clarification, special order,
        stock shortage, no processor).

        :param dict notes: order -> note
        :param dict users: order -> users to notify
        :param dict deadlines: order -> due date (default: today)
        """
        activity_type = self.env.ref(activity_xmlid)
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        # automatic notices: whoever triggered the check may not schedule
        # activities for others
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": order.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "note": notes[order],
                    "user_id": user.id,
                    "date_deadline": (deadlines or {}).get(order, today),
                    "automated": True,
                }
                for order in self
                for user in users[order]
            ]
        )
