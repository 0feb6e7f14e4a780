# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

# stages in which an order counts in the workload of its processor
OPEN_STAGES = ("verified", "assigned", "picking", "packed", "exception")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    food_line_count = fields.Integer(
        string="Number of Lines",
        compute="_compute_food_line_count",
        store=True,
        help="Product lines of the order: the weight of the order in the "
        "workload of its processor.",
    )
    food_can_auto_assign = fields.Boolean(
        compute="_compute_food_can_auto_assign",
        help="The current user may run the automatic assignment on the order.",
    )

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

    @api.depends_context("uid")
    @api.depends(
        "intake_channel",
        "processor_id",
        "state",
        "verification_state",
        "company_id.food_auto_assign",
    )
    def _compute_food_can_auto_assign(self):
        assignable = self._get_food_allowed("assign")._get_auto_assignable()
        for order in self:
            order.food_can_auto_assign = order in assignable

    @api.model
    def _get_food_protected_fields(self):
        return super()._get_food_protected_fields() | {"food_line_count"}

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

    def _get_auto_assignable(self):
        """The orders the automatic assignment may give to a processor:
        order-center orders without processor, verified (or confirmed), in a
        company that assigns automatically."""
        return self.filtered(
            lambda o: (
                o.intake_channel
                and not o.processor_id
                and o.company_id.food_auto_assign
                and (
                    o.state == "sale"
                    or (
                        o.state in ("draft", "sent")
                        and o.verification_state == "verified"
                    )
                )
            )
        )

    def _assign_processors(self):
        """Give the orders to processors by the assignment rules."""
        orders = self._get_auto_assignable()
        if orders:
            self.env["food.assignment.rule"]._assign_orders(orders)

    def action_assign_processor(self):
        """Run the automatic assignment again (after the rules, the team or
        the qualifications changed)."""
        self._check_food_allowed("assign")
        not_assignable = self - self._get_auto_assignable()
        if not_assignable:
            raise UserError(
                self.env._(
                    "Automatic assignment is for verified order-center orders "
                    "without a processor, in a company that assigns "
                    "automatically (Settings): %(orders)s",
                    orders=", ".join(not_assignable.mapped("display_name")),
                )
            )
        self._assign_processors()
        return True

    def action_reassign_processor(self, processor, reason):
        """Manager: give the orders to another processor, recording why."""
        self._check_food_allowed("assign")
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
