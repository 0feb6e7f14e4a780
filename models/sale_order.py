# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import datetime, time, timedelta

from markupsafe import Markup
from psycopg2 import IntegrityError
from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_normalize

from .food_order_problem import PROBLEM_TYPES
from .sale_order_line import STOCK_STATUSES

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

URGENCY_LEVELS = [("normal", "Normal"), ("urgent", "Urgent")]

URGENT_PRIORITY = "1"

# changes that make the verification of an order-center quotation run again
VERIFICATION_TRIGGERS = {
    "partner_id",
    "partner_shipping_id",
    "order_line",
    "commitment_date",
    "pricelist_id",
    "intake_channel",
    "is_custom_order",
    "custom_requirements",
    "original_document_ids",
    "date_order",
}
VERIFICATION_RESULT_FIELDS = {
    "verification_state",
    "verification_date",
    "verification_override_reason",
    "clarification_start",
    "clarification_hours",
    "clarification_count",
    "phone_confirmed_date",
    "phone_confirmed_by_id",
}
# set by the stock check and the inventory manager's confirmation
STOCK_RESULT_FIELDS = {
    "stock_status",
    "stock_check_date",
    "expected_restock_date",
    "stock_confirmation",
    "stock_confirmed_by_id",
    "stock_confirmed_date",
    "stock_recheck_date",
}
STOCK_CONFIRMATION_STATES = [("to_confirm", "To Confirm"), ("confirmed", "Confirmed")]
# stages in which an order counts in the workload of its processor
OPEN_STAGES = ("verified", "assigned", "picking", "packed", "exception")


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

    verification_state = fields.Selection(
        [
            ("to_verify", "To Verify"),
            ("needs_clarification", "Needs Clarification"),
            ("verified", "Verified"),
        ],
        index=True,
        tracking=True,
        copy=False,
        readonly=True,
        help="Result of the verification of the order on entry: the customer, "
        "contact, address, products, quantities, prices and dates.",
    )
    verification_problem_ids = fields.One2many(
        "food.order.problem", "order_id", string="Verification Problems", readonly=True
    )
    verification_date = fields.Datetime(copy=False, readonly=True)
    verification_override_reason = fields.Text(
        string="Confirmed Without Verification Because",
        tracking=True,
        copy=False,
        readonly=True,
        help="Reason recorded by the order center manager who confirmed the "
        "order before it was verified.",
    )
    clarification_start = fields.Datetime(
        string="In Clarification Since", copy=False, readonly=True
    )
    clarification_hours = fields.Float(
        string="Time in Clarification (h)",
        copy=False,
        readonly=True,
        aggregator="sum",
        help="Total time the order spent waiting for the customer's clarification.",
    )
    clarification_count = fields.Integer(
        string="Clarifications", copy=False, readonly=True, aggregator="sum"
    )
    phone_confirmed_date = fields.Datetime(
        string="Read Back On", tracking=True, copy=False, readonly=True
    )
    phone_confirmed_by_id = fields.Many2one(
        "res.users", string="Read Back By", copy=False, readonly=True
    )
    original_document_ids = fields.Many2many(
        "ir.attachment",
        "sale_order_original_document_rel",
        "order_id",
        "attachment_id",
        string="Original Documents",
        copy=False,
        help="The order as the customer sent it: fax scan, e-mail and its "
        "attachments, platform payload.",
    )
    original_document_count = fields.Integer(compute="_compute_original_document_count")
    food_line_count = fields.Integer(
        string="Number of Lines",
        compute="_compute_food_line_count",
        store=True,
        help="Product lines of the order: the weight of the order in the "
        "workload of its processor.",
    )
    # not tracked: checked on every correction; shortages are notified,
    # confirmed and re-checked in the chatter instead
    stock_status = fields.Selection(
        STOCK_STATUSES,
        readonly=True,
        copy=False,
        index=True,
        help="Result of the last stock check of the order's lines.",
    )
    stock_check_date = fields.Datetime(
        string="Stock Checked On", readonly=True, copy=False
    )
    expected_restock_date = fields.Date(
        readonly=True,
        copy=False,
        tracking=True,
        help="When the missing goods are expected: proposed by the stock check "
        "(next receipt, else supplier lead time), confirmed or corrected by "
        "the inventory manager.",
    )
    stock_confirmation = fields.Selection(
        STOCK_CONFIRMATION_STATES,
        string="Stock Check Confirmation",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Shortages are confirmed by an inventory manager, with the "
        "expected restock date.",
    )
    stock_confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    stock_confirmed_date = fields.Datetime(
        string="Stock Confirmed On", readonly=True, copy=False
    )
    stock_recheck_date = fields.Datetime(
        string="Re-checked On",
        readonly=True,
        copy=False,
        help="Last re-check of the order against the stock by its processor.",
    )
    food_exception_ids = fields.One2many(
        "food.order.exception", "order_id", string="Exceptions", readonly=True
    )
    quality_hold = fields.Boolean(
        string="On Quality Hold",
        compute="_compute_quality_hold",
        store=True,
        index=True,
        help="An open quality exception holds the order: it cannot be shipped.",
    )
    food_exception_count = fields.Integer(compute="_compute_food_exception_count")

    @api.depends("original_document_ids")
    def _compute_original_document_count(self):
        for order in self:
            order.original_document_count = len(order.original_document_ids)

    @api.depends("order_line.display_type")
    def _compute_food_line_count(self):
        groups = self.env["sale.order.line"]._read_group(
            [("order_id", "in", self.ids), ("display_type", "=", False)],
            ["order_id"],
            ["__count"],
        )
        counts = {order.id: count for order, count in groups}
        for order in self:
            if order.id:
                order.food_line_count = counts.get(order.id, 0)
            else:
                order.food_line_count = len(
                    order.order_line.filtered(lambda line: not line.display_type)
                )

    @api.depends("food_exception_ids.state", "food_exception_ids.exception_type")
    def _compute_quality_hold(self):
        for order in self:
            order.quality_hold = any(
                exception.exception_type == "quality" and exception.state == "open"
                for exception in order.food_exception_ids
            )

    def _compute_food_exception_count(self):
        # a count only, for every user who reads the order
        groups = (
            self.env["food.order.exception"]
            .sudo()
            ._read_group([("order_id", "in", self.ids)], ["order_id"], ["__count"])
        )
        counts = {order.id: count for order, count in groups}
        for order in self:
            order.food_exception_count = counts.get(order.id, 0)

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

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("processor_id") for vals in vals_list):
            self._check_can_assign_processor()
        self._check_protected_fields(vals_list)
        skip_verification = self.env.context.get("food_skip_verification")
        # lines created with their order are verified once, with the order
        orders = super(
            SaleOrder, self.with_context(food_skip_verification=True)
        ).create(vals_list)
        orders = orders.with_env(self.env)
        if not skip_verification:
            orders._run_verification()
        special = {order: order._get_special_kinds() for order in orders}
        orders._notify_special_orders({o: k for o, k in special.items() if k})
        return orders

    def write(self, vals):
        self._check_order_center_write_access(vals)
        self._check_protected_fields([vals])
        kinds_before = (
            {order: order._get_special_kinds() for order in self}
            if {"urgency", "is_custom_order", "intake_channel"} & set(vals)
            else None
        )
        res = super(SaleOrder, self.with_context(food_skip_verification=True)).write(
            vals
        )
        if "urgency" in vals:
            self._sync_picking_priority()
        if vals.get("processor_id"):
            # assigned: the managers' notice is done (through sudo: the
            # automatic assignment runs for receivers and API users)
            self.sudo().activity_feedback(
                ["food_order_center.mail_activity_type_assignment"],
                feedback=self.env._("Processor assigned."),
            )
        if not self.env.context.get("food_skip_verification") and (
            VERIFICATION_TRIGGERS & set(vals)
        ):
            self._run_verification()
        if kinds_before is not None:
            new_kinds = {
                order: order._get_special_kinds() - kinds_before[order]
                for order in self
            }
            self._notify_special_orders({o: k for o, k in new_kinds.items() if k})
        return res

    def _check_protected_fields(self, vals_list):
        """Verification results are set by the verification itself, the
        phone read-back by its action: never directly (RPC, import)."""
        if self.env.su:
            return
        protected = {
            name
            for vals in vals_list
            for name in vals
            if name in VERIFICATION_RESULT_FIELDS | STOCK_RESULT_FIELDS
        }
        if protected:
            raise AccessError(
                self.env._(
                    "These fields are set by the order verification and the stock "
                    "check and cannot be written directly: %(fields)s",
                    fields=", ".join(sorted(protected)),
                )
            )

    def _write_check_results(self, vals):
        """Write what only the order checks (verification, stock check) and
        their actions may write (see _check_protected_fields), without
        verifying the orders again."""
        return super(SaleOrder, self.with_context(food_skip_verification=True)).write(
            vals
        )

    # ------------------------------------------------------------------
    # Verification (R2, R6)
    # ------------------------------------------------------------------

    def _run_verification(self):
        """Verify the order-center quotations of ``self`` and store the
        problems found and the resulting verification state."""
        orders = self.filtered(
            lambda o: o.intake_channel and o.state in ("draft", "sent") and o.id
        )
        if not orders:
            return
        now = fields.Datetime.now()
        duplicates = orders._find_possible_duplicates()
        problem_vals = []
        new_states = {}
        for order in orders:
            problems = order._get_verification_problems(duplicates.get(order.id))
            problem_vals += [dict(vals, order_id=order.id) for vals in problems]
            if any(vals["needs_customer"] for vals in problems):
                new_states[order] = "needs_clarification"
            elif problems or not order.order_line:
                new_states[order] = "to_verify"
            else:
                new_states[order] = "verified"
        problems_model = self.env["food.order.problem"].sudo()
        problems_model.search([("order_id", "in", orders.ids)]).unlink()
        problems_model.create(problem_vals)
        for state in ("to_verify", "needs_clarification", "verified"):
            to_update = orders.filtered(
                lambda o, s=state: new_states[o] == s and o.verification_state != s
            )
            if not to_update:
                continue
            leaving = to_update.filtered(
                lambda o: o.verification_state == "needs_clarification"
            )
            leaving._end_clarification(now)
            vals = {"verification_state": state, "verification_date": now}
            if state == "needs_clarification":
                vals["clarification_start"] = now
            to_update._write_check_results(vals)
            if state == "needs_clarification":
                to_update._start_clarification()
        orders.invalidate_recordset(["verification_problem_ids"])
        orders.filtered(
            lambda o: o.verification_state == "verified" and not o.processor_id
        )._assign_processors()
        orders._run_stock_check()

    def _get_verification_problems(self, duplicate=None):
        """Return the problems of one order as values of food.order.problem
        (their message is written in the language of whoever reads it)."""
        self.ensure_one()
        problems = []

        def problem(code, line=None, **args):
            problems.append(
                {
                    "problem_type": code,
                    "needs_customer": PROBLEM_TYPES[code][1],
                    "line_id": line.id if line else False,
                    "args": args,
                    "sequence": len(problems),
                }
            )

        partner = self.partner_id
        shipping = self.partner_shipping_id or partner
        if not partner.name or partner.name.strip() in (
            partner.phone,
            partner.mobile,
            partner.email,
        ):
            problem("customer_name")
        if not self._has_reachable_contact(partner, shipping):
            problem(
                "contact", country_id=(shipping.country_id or partner.country_id).id
            )
        missing = shipping._get_missing_address_fields()
        if missing:
            problem("address", fields=missing)
        lines = self.order_line.filtered(lambda line: not line.display_type)
        if not lines:
            problem("no_lines")
        tolerance = self.company_id.food_price_tolerance
        for line in lines:
            reason = line._get_quantity_problem()
            if reason:
                problem("quantity", line, reason=reason)
            list_price = line._get_order_center_list_price()
            if (
                list_price
                and abs(line.price_unit - list_price)
                > abs(list_price) * tolerance / 100
            ):
                problem(
                    "price",
                    line,
                    price=line.price_unit,
                    list_price=list_price,
                    tolerance=tolerance,
                )
        if self.commitment_date and self.commitment_date < fields.Datetime.now():
            problem("date_past")
        if duplicate:
            problem("duplicate", order=duplicate.name)
        if self.is_custom_order and not (self.custom_requirements or "").strip():
            problem("custom")
        if self.intake_channel == "fax" and not self.original_document_ids:
            problem("fax_original")
        if self.intake_channel == "phone" and not self.phone_confirmed_date:
            problem("phone_readback")
        return problems

    def _has_reachable_contact(self, partner, shipping):
        for contact in shipping | partner:
            country = (
                contact.country_id or partner.country_id or self.company_id.country_id
            )
            for number in (contact.phone, contact.mobile):
                if number and contact._phone_format_number(number, country):
                    return True
            if email_normalize(contact.email or ""):
                return True
        return False

    def _find_possible_duplicates(self):
        """Map order id -> an earlier order of the same customer with the same
        products within the configured window (one query for all orders)."""
        result = {}
        orders = self.filtered(lambda o: o.order_line and o.date_order)
        if not orders:
            return result
        hours = max(orders.company_id.mapped("food_duplicate_window_hours") or [0])
        if not hours:
            return result
        window = timedelta(hours=hours)
        candidates = (
            self.search(
                [
                    ("id", "not in", orders.ids),
                    ("state", "!=", "cancel"),
                    (
                        "partner_id.commercial_partner_id",
                        "in",
                        orders.partner_id.commercial_partner_id.ids,
                    ),
                    ("date_order", ">=", min(orders.mapped("date_order")) - window),
                    ("date_order", "<=", max(orders.mapped("date_order")) + window),
                ]
            )
            | orders
        )

        def key(order):
            return (
                order.partner_id.commercial_partner_id.id,
                frozenset(order.order_line.product_id.ids),
            )

        by_key = defaultdict(list)
        for order in candidates.sorted("id"):
            by_key[key(order)].append(order)
        for order in orders:
            window_order = timedelta(hours=order.company_id.food_duplicate_window_hours)
            # only an earlier order makes a later one a possible duplicate
            twins = [
                twin
                for twin in by_key[key(order)]
                if twin.id < order.id
                and abs(twin.date_order - order.date_order) <= window_order
            ]
            if twins:
                result[order.id] = twins[0]
        return result

    def action_verify(self):
        """Verify again (after corrections made outside the order)."""
        self._run_verification()
        return True

    # ------------------------------------------------------------------
    # Clarification loop (R2)
    # ------------------------------------------------------------------

    def _start_clarification(self):
        activity_type = self.env.ref(
            "food_order_center.mail_activity_type_clarification"
        )
        for order in self:
            order._write_check_results(
                {"clarification_count": order.clarification_count + 1}
            )
            deadline = fields.Datetime.now() + timedelta(
                hours=order.company_id.food_clarification_hours
            )
            order.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=fields.Date.context_today(order, deadline),
                user_id=(order.user_id or order.create_uid or self.env.user).id,
                note=order._get_problems_html(customer_only=True),
            )

    def _end_clarification(self, now):
        for order in self:
            if order.clarification_start:
                spent = (now - order.clarification_start).total_seconds() / 3600
                order._write_check_results(
                    {
                        "clarification_hours": order.clarification_hours + spent,
                        "clarification_start": False,
                    }
                )
        self.activity_feedback(
            ["food_order_center.mail_activity_type_clarification"],
            feedback=self.env._("Clarified: the order passed verification again."),
        )

    def _get_problems_html(self, customer_only=False):
        self.ensure_one()
        problems = self.verification_problem_ids
        if customer_only:
            problems = problems.filtered("needs_customer")
        return Markup("<ul>%s</ul>") % Markup().join(
            Markup("<li>%s</li>") % problem.name for problem in problems
        )

    def action_send_clarification_request(self):
        """Open the e-mail to the customer listing what must be confirmed."""
        self.ensure_one()
        if self.verification_state != "needs_clarification":
            raise UserError(self.env._("This order does not need any clarification."))
        template = self.env.ref("food_order_center.mail_template_order_clarification")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }

    # ------------------------------------------------------------------
    # Confirmation (R2)
    # ------------------------------------------------------------------

    def action_confirm(self):
        blocked = self.filtered(
            lambda o: (
                o.intake_channel
                and o.verification_state != "verified"
                and not o.verification_override_reason
            )
        )
        if blocked:
            raise UserError(
                self.env._(
                    "These orders are not verified and cannot be confirmed: "
                    "%(orders)s. Clear their verification problems, or ask the "
                    "order center manager to confirm them with a reason.",
                    orders=", ".join(blocked.mapped("display_name")),
                )
            )
        res = super().action_confirm()
        # again on confirmation, with the stock now reserved for the order
        self._run_stock_check()
        return res

    def action_confirm_unverified(self, reason):
        """Manager override: confirm orders that are not verified, recording why."""
        if not self.env.user.has_group("food_order_center.group_order_center_manager"):
            raise AccessError(
                self.env._(
                    "Only the order center manager can confirm an order that "
                    "is not verified."
                )
            )
        if not (reason or "").strip():
            raise UserError(
                self.env._("Give the reason for confirming without verification.")
            )
        for order in self:
            order._write_check_results({"verification_override_reason": reason.strip()})
            order.message_post(
                body=self.env._(
                    "Confirmed without verification by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason.strip(),
                )
            )
        res = self.action_confirm()
        self.filtered(lambda o: not o.processor_id)._assign_processors()
        return res

    # ------------------------------------------------------------------
    # E-mail and fax orders (R4, R5, R6)
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to the order alias becomes a draft e-mail order of the
        customer who sent it; the receiver completes its lines."""
        values = dict(custom_values or {})
        if not values.get("intake_channel"):
            return super().message_new(msg_dict, custom_values)
        if not values.get("partner_id"):
            partner = self._mail_find_partner_from_emails(
                [msg_dict.get("email_from")], force_create=True
            )[0]
            if partner:
                values["partner_id"] = partner.id
        # without a name, mail.thread would name the order after the subject
        values.setdefault("name", self.env["ir.sequence"].next_by_code("sale.order"))
        values.setdefault("origin", (msg_dict.get("subject") or "")[:250])
        return super().message_new(msg_dict, values)

    def _message_post_after_hook(self, message, msg_values):
        """Keep the e-mail that brought an e-mail or fax order, and its
        attachments, as the original documents of the order."""
        res = super()._message_post_after_hook(message, msg_values)
        if (
            message.message_type == "email"
            and self.intake_channel in ("email", "fax")
            and not self.original_document_ids
        ):
            body = self.env["ir.attachment"].create(
                {
                    "name": self.env._("Original e-mail - %(subject)s.html")
                    % {"subject": message.subject or self.name},
                    "raw": (message.body or "").encode(),
                    "mimetype": "text/html",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
            self.original_document_ids = [
                Command.link(att.id) for att in body | message.attachment_ids
            ]
        return res

    def action_view_original_documents(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Original Documents"),
            "res_model": "ir.attachment",
            "view_mode": "kanban,list,form",
            "domain": [("id", "in", self.original_document_ids.ids)],
            "context": {"create": False},
        }

    def action_record_phone_confirmation(self):
        """The receiver read the order back and the customer confirmed it (R3)."""
        if not self.env.user.has_group("food_order_center.group_order_receiver"):
            raise AccessError(
                self.env._("Only order receivers record the customer's confirmation.")
            )
        for order in self.filtered(lambda o: o.intake_channel == "phone"):
            order._write_check_results(
                {
                    "phone_confirmed_date": fields.Datetime.now(),
                    "phone_confirmed_by_id": self.env.user.id,
                }
            )
            order.message_post(
                body=self.env._(
                    "Order read back to the customer on the phone and confirmed "
                    "by the customer (recorded by %(user)s).",
                    user=self.env.user.name,
                )
            )
        self._run_verification()
        return True

    # ------------------------------------------------------------------
    # Special orders (R7)
    # ------------------------------------------------------------------

    def _notify_special_orders(self, kinds):
        """Tell the people configured for urgent and custom orders.

        :param dict kinds: order -> set of kinds ("urgent", "custom") to notify
        """
        activity_type = self.env.ref(
            "food_order_center.mail_activity_type_special_order"
        )
        labels = {
            "urgent": self.env._("Urgent order"),
            "custom": self.env._("Custom order"),
        }
        for order, order_kinds in kinds.items():
            company = order.company_id
            for kind in sorted(order_kinds):
                users = (
                    company.food_urgent_notify_user_ids
                    if kind == "urgent"
                    else company.food_custom_notify_user_ids
                )
                summary = labels[kind]
                note = order.custom_requirements if kind == "custom" else False
                for user in users:
                    order.activity_schedule(
                        activity_type_id=activity_type.id,
                        summary=summary,
                        note=note,
                        user_id=user.id,
                    )
                order.message_post(
                    body=self.env._(
                        "%(kind)s: %(people)s notified.",
                        kind=summary,
                        people=", ".join(users.mapped("name"))
                        or self.env._("nobody is configured to be notified"),
                    ),
                    partner_ids=users.partner_id.ids,
                    subtype_xmlid="mail.mt_note",
                )

    def _get_special_kinds(self):
        self.ensure_one()
        kinds = set()
        if self.intake_channel and self.urgency == "urgent":
            kinds.add("urgent")
        if self.intake_channel and self.is_custom_order:
            kinds.add("custom")
        return kinds

    # ------------------------------------------------------------------
    # Integration API (R1)
    # ------------------------------------------------------------------

    @api.model
    def intake_orders(self, orders):
        """Create order-center orders sent by an integration (sales platform,
        call-center tool, e-mail parser). Contract: README, "Integration API".

        Each order is independent: it is created (and verified), recognised
        as a duplicate of an order already received, or rejected with the
        reasons; a rejected order writes nothing.

        :param list orders: one dict per order
        :return: one result dict per order, in the same order
        """
        if not self.env.user.has_group("food_order_center.group_order_intake"):
            raise AccessError(
                self.env._(
                    "Only order receivers and order intake integrations can "
                    "send orders."
                )
            )
        if not isinstance(orders, list | tuple):
            raise UserError(self.env._("intake_orders expects a list of orders."))
        # the caller's rights were checked above; partners and orders are
        # created with the intake's own rules, not the caller's ACLs
        intake = self.sudo().with_company(self.env.company)
        seen_refs = set()
        results, todo = [], []
        for payload in orders:
            result = {
                "external_ref": payload.get("external_ref")
                if isinstance(payload, dict)
                else None,
                "result": "rejected",
                "order_id": False,
                "order_name": False,
                "verification_state": False,
                "problems": [],
                "errors": [],
            }
            parsed, errors = intake._intake_parse(payload, seen_refs)
            result["errors"] = errors
            results.append(result)
            if parsed:
                todo.append((result, parsed))
        existing = intake._intake_find_existing(
            [parsed for _result, parsed in todo if parsed["platform"]]
        )
        to_create = []
        for result, parsed in todo:
            order = existing.get((parsed["platform"].id, parsed["external_ref"]))
            if order:
                result.update(result="duplicate", **order._intake_result_values())
            else:
                to_create.append((result, parsed))
        # all orders at once; should one of them fail, each on its own
        orders = intake._intake_create([parsed for _result, parsed in to_create])
        if orders is not None:
            for (result, _parsed), order in zip(to_create, orders, strict=True):
                result.update(result="created", **order._intake_result_values())
        else:
            for result, parsed in to_create:
                result.update(intake._intake_create_one(parsed))
        return results

    def _intake_create(self, parsed_orders):
        """Create the orders in one savepoint; None if any of them fails."""
        if not parsed_orders:
            return self.browse()
        try:
            with self.env.cr.savepoint():
                vals_list = [
                    self._prepare_intake_order_vals(
                        parsed, self._intake_customer(parsed)
                    )
                    for parsed in parsed_orders
                ]
                orders = self.create(vals_list)
                self.env.flush_all()
        except (UserError, ValidationError, IntegrityError):
            return None
        return orders

    def _intake_create_one(self, parsed):
        """Create one order in its own savepoint: the result values."""
        try:
            with self.env.cr.savepoint():
                partner = self._intake_customer(parsed)
                order = self.create(self._prepare_intake_order_vals(parsed, partner))
                self.env.flush_all()
        except pg_errors.UniqueViolation:
            # the same platform order was committed by a concurrent request
            # after this transaction started: report the committed order
            committed = self._intake_find_committed(
                parsed["platform"], parsed["external_ref"]
            )
            if committed:
                return dict(result="duplicate", **committed)
            raise
        except (UserError, ValidationError) as error:
            return {"errors": [str(error.args[0] if error.args else error)]}
        return dict(result="created", **order._intake_result_values())

    def _intake_result_values(self):
        self.ensure_one()
        return {
            "order_id": self.id,
            "order_name": self.name,
            "verification_state": self.verification_state,
            "problems": [
                {"type": problem.problem_type, "message": problem.name}
                for problem in self.verification_problem_ids
            ],
        }

    def _intake_find_existing(self, parsed_orders):
        """Orders already received, by (platform id, external ref)."""
        if not parsed_orders:
            return {}
        orders = self.with_context(active_test=False).search(
            [
                ("platform_id", "in", list({p["platform"].id for p in parsed_orders})),
                ("external_ref", "in", [p["external_ref"] for p in parsed_orders]),
                ("company_id", "=", self.env.company.id),
            ]
        )
        return {(order.platform_id.id, order.external_ref): order for order in orders}

    def _intake_find_committed(self, platform, external_ref):
        """Look the order up in a new transaction, which sees what concurrent
        requests committed after this one started."""
        with self.env.registry.cursor() as cr:
            cr.execute(
                "SELECT id, name, verification_state FROM sale_order"
                " WHERE platform_id = %s AND external_ref = %s AND company_id = %s",
                (platform.id, external_ref, self.env.company.id),
            )
            row = cr.fetchone()
        if not row:
            return None
        return {
            "order_id": row[0],
            "order_name": row[1],
            "verification_state": row[2],
            "problems": [],
        }

    def _intake_parse(self, payload, seen_refs):
        """Check the types and references of one order; return the parsed
        order and the list of reasons to reject it."""
        _ = self.env._
        if not isinstance(payload, dict):
            return None, [_("Each order must be a JSON object (dict).")]
        parsed, errors = self._intake_parse_source(payload, seen_refs)
        customer = payload.get("customer")
        if not isinstance(customer, dict):
            errors.append(_("customer must be an object with the customer's data."))
            customer = {}
        for key, value in customer.items():
            if value is not None and not isinstance(value, str | int):
                errors.append(_("customer.%(key)s must be a string.") % {"key": key})
        parsed["customer"] = {
            key: str(value).strip()
            for key, value in customer.items()
            if value not in (None, "")
        }
        parsed["lines"], line_errors = self._intake_parse_lines(payload.get("lines"))
        errors += line_errors
        errors += self._intake_parse_options(payload, parsed)
        return (None, errors) if errors else (parsed, [])

    def _intake_parse_source(self, payload, seen_refs):
        """Channel, platform and platform order reference of one order."""
        _ = self.env._
        errors = []
        channels = dict(INTAKE_CHANNELS)
        channel = payload.get("channel")
        if channel not in channels:
            errors.append(
                _("Unknown channel %(channel)r: use one of %(channels)s.")
                % {"channel": channel, "channels": ", ".join(channels)}
            )
        external_ref = payload.get("external_ref")
        if external_ref is not None and not isinstance(external_ref, str | int):
            errors.append(_("external_ref must be a string."))
            external_ref = None
        external_ref = (
            str(external_ref).strip() if external_ref not in (None, "") else ""
        )
        platform = self.env["food.sales.platform"]
        platform_code = payload.get("platform")
        if channel == "online_platform":
            if platform_code:
                platform = platform.search(
                    [
                        ("code", "=", str(platform_code)),
                        ("company_id", "=", self.env.company.id),
                    ],
                    limit=1,
                )
            if not platform:
                errors.append(_("Unknown platform %(code)r.") % {"code": platform_code})
            if not external_ref:
                errors.append(_("Platform orders need their external_ref."))
            elif (platform_code, external_ref) in seen_refs:
                errors.append(
                    _("external_ref %(ref)r is sent twice in this batch.")
                    % {"ref": external_ref}
                )
            seen_refs.add((platform_code, external_ref))
        elif platform_code:
            errors.append(
                _("A platform is only allowed with the online_platform channel.")
            )
        parsed = {
            "channel": channel,
            "platform": platform,
            "external_ref": external_ref or False,
        }
        return parsed, errors

    def _intake_parse_options(self, payload, parsed):
        """Urgent and custom flags, requested date and notes of one order."""
        _ = self.env._
        errors = []
        for key in ("urgent", "custom"):
            value = payload.get(key, False)
            if not isinstance(value, bool):
                errors.append(_("%(key)s must be true or false.") % {"key": key})
            parsed[key] = bool(value)
        requested_date = payload.get("requested_date")
        parsed["requested_date"] = False
        if requested_date:
            try:
                parsed["requested_date"] = self._intake_parse_date(requested_date)
            except (TypeError, ValueError):
                errors.append(
                    _("requested_date %(date)r is not a date (YYYY-MM-DD[ HH:MM:SS]).")
                    % {"date": requested_date}
                )
        for key in ("note", "custom_requirements"):
            value = payload.get(key)
            if value is not None and not isinstance(value, str):
                errors.append(_("%(key)s must be a string.") % {"key": key})
            parsed[key] = value if isinstance(value, str) and value.strip() else False
        return errors

    @api.model
    def _intake_parse_date(self, value):
        if not isinstance(value, str):
            raise TypeError(value)
        if len(value.strip()) <= 10:
            # a date alone: deliver during the day (noon avoids time-zone shifts)
            return datetime.combine(fields.Date.to_date(value.strip()), time(12))
        return fields.Datetime.to_datetime(value.strip().replace("T", " ")[:19])

    def _intake_parse_lines(self, lines):
        _ = self.env._
        if not isinstance(lines, list) or not lines:
            return [], [_("The order has no lines.")]
        errors = []
        codes = {line.get("product_code") for line in lines if isinstance(line, dict)}
        barcodes = {line.get("barcode") for line in lines if isinstance(line, dict)}
        products = self.env["product.product"].search(
            [
                ("sale_ok", "=", True),
                "|",
                ("default_code", "in", [c for c in codes if isinstance(c, str) and c]),
                ("barcode", "in", [b for b in barcodes if isinstance(b, str) and b]),
            ]
        )
        by_code = {p.default_code: p for p in products if p.default_code}
        by_barcode = {p.barcode: p for p in products if p.barcode}
        parsed = []
        for index, line in enumerate(lines, start=1):
            if not isinstance(line, dict):
                errors.append(_("Line %(index)s must be an object.") % {"index": index})
                continue
            code, barcode = line.get("product_code"), line.get("barcode")
            product = by_code.get(code) if code else by_barcode.get(barcode)
            if not product:
                errors.append(
                    _("Line %(index)s: unknown product %(product)r.")
                    % {"index": index, "product": code or barcode}
                )
            qty = line.get("qty")
            if isinstance(qty, bool) or not isinstance(qty, int | float):
                errors.append(
                    _("Line %(index)s: qty must be a number.") % {"index": index}
                )
            elif qty <= 0:
                errors.append(
                    _("Line %(index)s: the quantity must be greater than 0.")
                    % {"index": index}
                )
            price = line.get("price_unit")
            if price is not None and (
                isinstance(price, bool)
                or not isinstance(price, int | float)
                or price < 0
            ):
                errors.append(
                    _("Line %(index)s: price_unit must be a positive number.")
                    % {"index": index}
                )
            note = line.get("note")
            if note is not None and not isinstance(note, str):
                errors.append(
                    _("Line %(index)s: note must be a string.") % {"index": index}
                )
            parsed.append(
                {"product": product, "qty": qty, "price_unit": price, "note": note}
            )
        return parsed, errors

    def _intake_customer(self, parsed):
        """Find the customer (platform customer id, then phone, then e-mail),
        or create it with the address given."""
        data = parsed["customer"]
        partners = self.env["res.partner"].with_context(active_test=False)
        platform = parsed["platform"]
        partner = partners.browse()
        link_model = self.env["food.platform.customer"]
        platform_customer_id = data.get("platform_customer_id")
        if platform and platform_customer_id:
            partner = link_model.search(
                [
                    ("platform_id", "=", platform.id),
                    ("external_id", "=", platform_customer_id),
                ],
                limit=1,
            ).partner_id
        country = (
            self.env["res.country"].search(
                [("code", "=ilike", data.get("country_code") or "")], limit=1
            )
            or self.env.company.country_id
        )
        if not partner and data.get("phone"):
            partner = partners._find_by_phone(data["phone"], country)
        email = email_normalize(data.get("email") or "")
        if not partner and email:
            partner = partners.search([("email_normalized", "=", email)], limit=1)
        if not partner:
            partner = partners.create(self._prepare_intake_partner_vals(data, country))
        if platform and platform_customer_id:
            link_model._link(platform, platform_customer_id, partner)
        return partner

    def _prepare_intake_partner_vals(self, data, country):
        state = self.env["res.country.state"]
        if data.get("state_code") and country:
            state = state.search(
                [
                    ("country_id", "=", country.id),
                    ("code", "=ilike", data["state_code"]),
                ],
                limit=1,
            )
        return {
            "name": data.get("name") or data.get("phone") or data.get("email"),
            "phone": data.get("phone"),
            "email": data.get("email"),
            "street": data.get("street"),
            "street2": data.get("street2"),
            "city": data.get("city"),
            "zip": data.get("zip"),
            "state_id": state.id,
            "country_id": country.id,
            "customer_rank": 1,
        }

    def _prepare_intake_order_vals(self, parsed, partner):
        return {
            "partner_id": partner.id,
            "intake_channel": parsed["channel"],
            "platform_id": parsed["platform"].id,
            "external_ref": parsed["external_ref"],
            "client_order_ref": parsed["external_ref"],
            "urgency": "urgent" if parsed["urgent"] else "normal",
            "is_custom_order": parsed["custom"],
            "custom_requirements": parsed["custom_requirements"],
            "commitment_date": parsed["requested_date"],
            "note": parsed["note"],
            "order_line": [
                Command.create(
                    {
                        "product_id": line["product"].id,
                        "product_uom_qty": line["qty"],
                        **(
                            {"price_unit": line["price_unit"]}
                            if line["price_unit"] is not None
                            else {}
                        ),
                        **(
                            {"name": f"{line['product'].display_name}\n{line['note']}"}
                            if line["note"]
                            else {}
                        ),
                    }
                )
                for line in parsed["lines"]
            ],
        }

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

    # ------------------------------------------------------------------
    # Stock check (R8)
    # ------------------------------------------------------------------

    def _get_stock_check_date(self):
        """Day the goods must be delivered: lots removed by then don't count."""
        self.ensure_one()
        moment = self.commitment_date or self.expected_date or fields.Datetime.now()
        return fields.Date.context_today(self, moment)

    def _run_stock_check(self):
        """Check the order-center orders of ``self`` against the stock of
        their warehouse, line by line, and tell the processor and the
        inventory managers of new shortages."""
        orders = self.filtered(
            lambda o: o.intake_channel and o.state != "cancel" and o.id
        )
        if not orders:
            return
        changed_lines = orders.order_line._run_stock_check()
        now = fields.Datetime.now()
        short_orders = self.browse()
        available_orders = self.browse()
        to_write = defaultdict(lambda: self.browse())
        for order in orders:
            checked = order.order_line._get_stock_checked_lines()
            statuses = set(checked.mapped("stock_status"))
            if not checked:
                status = False
            elif statuses == {"available"}:
                status = "available"
            elif statuses == {"shortage"}:
                status = "shortage"
            else:
                status = "partial"
            vals = {"stock_status": status, "stock_check_date": now}
            if status in ("partial", "shortage"):
                proposed = max(
                    (date for date in checked.mapped("stock_restock_date") if date),
                    default=False,
                )
                if order.stock_status in (False, "available") or (
                    changed_lines & order.order_line
                ):
                    vals.update(
                        stock_confirmation="to_confirm",
                        expected_restock_date=proposed,
                        stock_confirmed_by_id=False,
                        stock_confirmed_date=False,
                    )
                    short_orders |= order
                elif (
                    order.stock_confirmation != "confirmed"
                    and order.expected_restock_date != proposed
                ):
                    # not confirmed yet: the date follows the proposal
                    vals["expected_restock_date"] = proposed
            elif order.stock_confirmation or order.expected_restock_date:
                vals.update(stock_confirmation=False, expected_restock_date=False)
                available_orders |= order
            to_write[tuple(sorted(vals.items()))] |= order
        for vals, same_orders in to_write.items():
            same_orders._write_check_results(dict(vals))
        if available_orders:
            available_orders.activity_feedback(
                ["food_order_center.mail_activity_type_stock_shortage"],
                feedback=self.env._("The goods are available again."),
            )
        if short_orders:
            short_orders._notify_stock_shortage()

    def _get_inventory_staff(self):
        """Inventory managers to tell of shortages: the dedicated ones, the
        order center managers only where there is none."""
        inventory = self.env.ref("food_order_center.group_inventory_manager").users
        managers = self.env.ref("food_order_center.group_order_center_manager").users
        users = (inventory - managers) or managers
        return users.filtered(lambda u: u.active and not u.share)

    def _notify_stock_shortage(self):
        # a new shortage replaces the notices of the previous check
        self.activity_unlink(["food_order_center.mail_activity_type_stock_shortage"])
        staff = self._get_inventory_staff()
        notes, users = {}, {}
        for order in self:
            lines = order.order_line.filtered(
                lambda line: line.stock_status in ("partial", "shortage")
            )
            notes[order] = Markup("<ul>%s</ul>") % Markup().join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(product)s: %(qty)s %(uom)s ordered, %(free)s free, "
                    "expected restock %(date)s",
                    product=line.product_id.display_name,
                    qty=line.product_uom_qty,
                    uom=line.product_uom.name,
                    free=line.stock_available_qty,
                    date=line.stock_restock_date or self.env._("unknown"),
                )
                for line in lines
            )
            users[order] = order.processor_id | staff.filtered_domain(
                [("company_ids", "in", order.company_id.ids)]
            )
        # closed by the stock check and its confirmation
        self._create_notices(
            "food_order_center.mail_activity_type_stock_shortage",
            self.env._("Stock shortage"),
            notes,
            users,
        )

    def _create_notices(self, activity_xmlid, summary, notes, users):
        """Schedule automated activities (closed by code, see activity_feedback)
        on the orders, whoever triggered them: one per order and person.

        :param dict notes: order -> note
        :param dict users: order -> users to notify
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
                    "date_deadline": today,
                    "automated": True,
                }
                for order in self
                for user in users[order]
            ]
        )

    def action_confirm_stock_check(self, restock_date=None):
        """Inventory manager: confirm the stock check of the orders, with
        the expected restock date (corrected if given)."""
        if not self.env.user.has_group("food_order_center.group_inventory_manager"):
            raise AccessError(
                self.env._("Only inventory managers can confirm a stock check.")
            )
        pending = self.filtered(lambda o: o.stock_confirmation == "to_confirm")
        if pending != self:
            raise UserError(
                self.env._(
                    "These orders have no stock check to confirm: %(orders)s",
                    orders=", ".join((self - pending).mapped("display_name")),
                )
            )
        vals = {
            "stock_confirmation": "confirmed",
            "stock_confirmed_by_id": self.env.user.id,
            "stock_confirmed_date": fields.Datetime.now(),
        }
        if restock_date:
            vals["expected_restock_date"] = restock_date
        self._write_check_results(vals)
        # the inventory notices are done; the processor keeps theirs
        for order in self:
            notices = order.activity_search(
                ["food_order_center.mail_activity_type_stock_shortage"]
            ).filtered(lambda a, o=order: a.user_id != o.processor_id)
            notices.action_feedback(
                feedback=self.env._(
                    "Stock check confirmed, restock expected %(date)s.",
                    date=order.expected_restock_date or self.env._("unknown"),
                ),
            )
        return True

    # ------------------------------------------------------------------
    # Assignment (R9)
    # ------------------------------------------------------------------

    def _is_complex_order(self):
        """Custom, urgent, long or large orders need an experienced processor."""
        self.ensure_one()
        company = self.company_id
        amount = self.currency_id._convert(
            self.amount_total, company.currency_id, company, self.date_order
        )
        return bool(
            self.is_custom_order
            or self.urgency == "urgent"
            or (
                company.food_complex_line_count
                and self.food_line_count > company.food_complex_line_count
            )
            or (company.food_complex_amount and amount > company.food_complex_amount)
        )

    def _assign_processors(self):
        """Give the orders to processors by the assignment rules."""
        orders = self.filtered(
            lambda o: (
                o.intake_channel
                and not o.processor_id
                and o.state != "cancel"
                and o.company_id.food_auto_assign
            )
        )
        if orders:
            self.env["food.assignment.rule"]._assign_orders(orders)

    def action_assign_processor(self):
        """Run the automatic assignment again (after the rules, the team or
        the qualifications changed)."""
        self._check_can_assign_processor()
        unassigned = self.filtered(lambda o: not o.processor_id)
        unassigned._assign_processors()
        return True

    def action_reassign_processor(self, processor, reason):
        """Manager: give the orders to another processor, recording why."""
        self._check_can_assign_processor()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for the reassignment."))
        processor = (
            self.env["res.users"].browse(processor)
            if isinstance(processor, int)
            else processor
        )
        if not processor:
            raise UserError(self.env._("Choose the processor who takes the orders."))
        for order in self:
            previous = order.processor_id
            order.processor_id = processor
            order.message_post(
                body=self.env._(
                    "Reassigned from %(old)s to %(new)s by %(user)s: %(reason)s",
                    old=previous.name or self.env._("nobody"),
                    new=processor.name,
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # Processing (R10)
    # ------------------------------------------------------------------

    def action_recheck(self):
        """Processor: check the order against the stock again (and its
        verification while it is a quotation) and show what changed since
        the order was entered."""
        self._check_processor_owns_orders()
        self._check_can_process()
        before = {
            line: line.stock_status
            for line in self.order_line._get_stock_checked_lines()
        }
        drafts = self.filtered(lambda o: o.state in ("draft", "sent"))
        drafts._run_verification()
        (self - drafts)._run_stock_check()
        self._write_check_results({"stock_recheck_date": fields.Datetime.now()})
        texts = []
        found = False
        for order in self:
            findings = order._get_recheck_findings(before)
            found = found or bool(findings)
            if findings:
                body = Markup("%s<ul>%s</ul>") % (
                    self.env._("Re-check:"),
                    Markup().join(Markup("<li>%s</li>") % text for text in findings),
                )
            else:
                body = self.env._(
                    "Re-check: no change since entry, the stock covers the order."
                )
            order.message_post(body=body, subtype_xmlid="mail.mt_note")
            detail = "; ".join(findings) if findings else body
            texts.append(f"{order.name}: {detail}")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Order re-checked"),
                "message": "\n".join(texts),
                "type": "warning" if found else "info",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _get_recheck_findings(self, before):
        """What the processor must know after a re-check: the lines short of
        stock or whose status changed since entry (or since the last check),
        and the verification problems."""
        self.ensure_one()
        labels = dict(
            self.env["sale.order.line"]
            ._fields["stock_status"]
            ._description_selection(self.env)
        )
        findings = []
        for line in self.order_line._get_stock_checked_lines():
            entry = line.stock_entry_status
            if (
                line.stock_status != "available"
                or line.stock_status != entry
                or before.get(line) != line.stock_status
            ):
                findings.append(
                    self.env._(
                        "%(product)s: %(entry)s at entry, %(now)s now",
                        product=line.product_id.display_name,
                        entry=labels.get(entry, self.env._("not checked")),
                        now=labels.get(line.stock_status, self.env._("not checked")),
                    )
                )
        return findings + self.verification_problem_ids.mapped("name")

    def _check_can_process(self):
        user = self.env.user
        if (
            self.env.su
            or user.has_group("food_order_center.group_order_processor")
            or user.has_group("food_order_center.group_inventory_manager")
        ):
            return
        raise AccessError(
            self.env._("Only order processors and inventory managers can do this.")
        )

    # ------------------------------------------------------------------
    # Exceptions (R11)
    # ------------------------------------------------------------------

    def action_view_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "food_order_center.food_order_exception_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"default_order_id": self.id}
        return action

    def action_quality_hold(self, reason, line_id=False, lot_id=False):
        """Put the order (or one of its lines, or a lot) on quality hold.
        Callable over RPC with ids; the wizard uses it too."""
        self.ensure_one()
        line = self.env["sale.order.line"].browse(line_id or [])
        lot = self.env["stock.lot"].browse(lot_id or [])
        return (
            self.env["food.order.exception"]
            ._open_quality_hold(self, reason, line=line, lot=lot)
            .id
        )

    def _action_cancel(self):
        res = super()._action_cancel()
        # a cancelled order needs no stock any more
        pending = self.filtered("stock_confirmation")
        pending._write_check_results({"stock_confirmation": False})
        pending.activity_unlink(["food_order_center.mail_activity_type_stock_shortage"])
        return res

    def _set_delivery_policy(self, policy):
        """Ship everything at once ("one") or what is there now ("direct",
        the rest in a backorder), for the order and its open transfers."""
        self.picking_policy = policy
        self.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel") and p.move_type != policy
        ).write({"move_type": policy})

    def _postpone_commitment(self, date):
        """Promise the delivery no earlier than ``date``."""
        for order in self:
            if not order.commitment_date or order.commitment_date.date() < date:
                order.commitment_date = datetime.combine(date, time(12))

    @api.model
    def _get_open_stages(self):
        """Stages in which an order counts in its processor's workload."""
        return list(OPEN_STAGES)

    def _notify_no_processor(self):
        """Tell the order center managers that nobody could take the orders
        (once: not again while they have not assigned them)."""
        notified = (
            self.sudo()
            .activity_search(["food_order_center.mail_activity_type_assignment"])
            .mapped("res_id")
        )
        orders = self.filtered(lambda o: o.id not in notified)
        if not orders:
            return
        managers = self.env.ref(
            "food_order_center.group_order_center_manager"
        ).users.filtered(lambda u: u.active and not u.share and u.id != SUPERUSER_ID)
        note = self.env._(
            "No processor can take this order: nobody in the matching teams is "
            "available, qualified, experienced enough and under capacity."
        )
        # closed when the order is assigned
        orders._create_notices(
            "food_order_center.mail_activity_type_assignment",
            self.env._("Assign a processor"),
            dict.fromkeys(orders, note),
            {
                order: managers.filtered_domain(
                    [("company_ids", "in", order.company_id.ids)]
                )
                for order in orders
            },
        )
        for order in orders:
            order.sudo().message_post(body=note, subtype_xmlid="mail.mt_note")
