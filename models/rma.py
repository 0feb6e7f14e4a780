# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

# Why the customer sends the goods back (R18)
RETURN_REASONS = [
    ("quality", "Quality Problem"),
    ("wrong_item", "Wrong Item Delivered"),
    ("damaged", "Damaged in Transport"),
    ("unwanted", "No Longer Wanted"),
    ("other", "Other"),
]
# the reason a return gets from the type of its case
CASE_TYPE_REASONS = {"quality": "quality", "complaint": "quality"}
INSPECTION_STATES = [
    ("none", "Not Received"),
    ("pending", "To Inspect"),
    ("done", "Inspected"),
]


class Rma(models.Model):
    """Returns and exchanges of the order center (R18) are OCA RMAs. An RMA
    of an order-center order, or of an after-sales case, is checked against
    the return policy of its product's category when it is confirmed, its
    goods wait in the warehouse's RMA location (outside the sellable stock:
    the quarantine) until an inventory manager inspects them, and it is
    refunded or exchanged only after that inspection."""

    _name = "rma"
    _inherit = ["rma", "food.guarded.mixin"]

    food_case_id = fields.Many2one(
        "helpdesk.ticket",
        string="After-sales Case",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('food_case_type', '!=', False), "
        "('partner_id', 'child_of', commercial_partner_id)]",
    )
    food_is_order_center = fields.Boolean(
        string="Order-center Return",
        compute="_compute_food_is_order_center",
        store=True,
        index=True,
        help="Returns of order-center orders and after-sales cases follow the "
        "return policy and are inspected before any refund or replacement.",
    )
    food_return_reason = fields.Selection(
        RETURN_REASONS,
        string="Return Reason",
        compute="_compute_food_return_reason",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
    )
    food_delivery_date = fields.Datetime(
        string="Delivered On",
        compute="_compute_food_delivery_date",
        help="When the goods returned were delivered to the customer.",
    )
    food_policy_issue = fields.Text(
        string="Outside the Return Policy",
        compute="_compute_food_policy_issue",
        help="Why the return policy does not accept this return.",
    )
    food_refusal_reason = fields.Text(
        string="Refusal Reason",
        copy=False,
        tracking=True,
        help="Sent to the customer when the return is refused.",
    )
    food_inspection_ids = fields.One2many(
        "food.return.inspection", "rma_id", string="Inspections"
    )
    food_inspection_state = fields.Selection(
        INSPECTION_STATES,
        string="Inspection",
        compute="_compute_food_inspection_state",
        store=True,
        index=True,
    )
    food_inspection_result = fields.Selection(
        related="food_inspection_ids.result", string="Inspection Result"
    )
    food_replacement_order_id = fields.Many2one(
        "sale.order",
        string="Replacement Order",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The order that ships the replacement through the order center.",
    )

    @api.model
    def _get_food_protected_fields(self):
        # the replacement order is the one its action created
        return super()._get_food_protected_fields() | {"food_replacement_order_id"}

    @api.model_create_multi
    def create(self, vals_list):
        self._check_food_protected_fields(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_food_protected_fields([vals])
        return super().write(vals)

    @api.depends("order_id.intake_channel", "food_case_id")
    def _compute_food_is_order_center(self):
        for rma in self:
            rma.food_is_order_center = bool(
                rma.food_case_id or rma.sudo().order_id.intake_channel
            )

    @api.depends("food_case_id.food_case_type")
    def _compute_food_return_reason(self):
        for rma in self:
            if not rma.food_return_reason and rma.food_case_id:
                rma.food_return_reason = CASE_TYPE_REASONS.get(
                    rma.food_case_id.food_case_type
                )

    @api.depends(
        "picking_id.food_delivered_date",
        "picking_id.date_done",
        "move_id.picking_id.food_delivered_date",
        "move_id.date",
        "move_id.state",
    )
    def _compute_food_delivery_date(self):
        for rma in self:
            # dates only: after-sales staff may not read every transfer
            move = rma.sudo().move_id
            picking = move.picking_id or rma.sudo().picking_id
            # reported by the carrier or the driver, else when it left
            rma.food_delivery_date = (
                picking.food_delivered_date
                or (move.date if move.state == "done" else False)
                or picking.date_done
            )

    @api.depends(
        "food_is_order_center",
        "food_return_reason",
        "food_delivery_date",
        "product_id.categ_id",
        "food_case_id",
    )
    def _compute_food_policy_issue(self):
        issues = self._food_get_policy_issues()
        for rma in self:
            rma.food_policy_issue = "\n".join(issues.get(rma.id, [])) or False

    @api.depends("state", "food_inspection_ids.state")
    def _compute_food_inspection_state(self):
        for rma in self:
            inspections = rma.food_inspection_ids
            if inspections and all(i.state == "done" for i in inspections):
                rma.food_inspection_state = "done"
            elif inspections:
                rma.food_inspection_state = "pending"
            else:
                rma.food_inspection_state = "none"

    # rma's own dependencies, and the inspection
    @api.depends(
        "state",
        "operation_id",
        "operation_id.action_create_refund",
        "food_inspection_state",
    )
    def _compute_can_be_refunded(self):
        res = super()._compute_can_be_refunded()
        self._food_filter_not_inspected().can_be_refunded = False
        return res

    @api.depends(
        "state",
        "operation_id",
        "operation_id.action_create_delivery",
        "food_inspection_state",
    )
    def _compute_can_be_replaced(self):
        res = super()._compute_can_be_replaced()
        self._food_filter_not_inspected().can_be_replaced = False
        return res

    def action_confirm(self):
        self._food_check_policy()
        drafts = self.filtered(lambda r: r.state == "draft" and r.food_is_order_center)
        res = super().action_confirm()
        drafts.filtered(lambda r: r.state == "confirmed")._food_notify_customer(
            "food_order_center.mail_template_return_accepted"
        )
        # rma's buttons answer nothing, which XML-RPC cannot send
        return True if res is None else res

    def action_food_refuse(self):
        """Refuse returns outside the policy (or for the reason written):
        cancel them and tell the customers why."""
        _ = self.env._
        if any(rma.state != "draft" for rma in self):
            raise UserError(_("Only returns not yet accepted can be refused."))
        # the reasons go to the customers: in their language
        issues = {}
        for lang, rmas in self.grouped(lambda r: r.partner_id.lang).items():
            issues.update(
                rmas.with_context(lang=lang or self.env.lang)._food_get_policy_issues()
            )
        for rma in self:
            reason = (rma.food_refusal_reason or "").strip() or "\n".join(
                issues.get(rma.id, [])
            )
            if not reason:
                raise UserError(
                    _(
                        "Return %(rma)s is within the return policy: write the "
                        "reason for refusing it.",
                        rma=rma.name,
                    )
                )
            rma.write({"food_refusal_reason": reason, "state": "cancelled"})
        self._food_notify_customer("food_order_center.mail_template_return_refused")
        return True

    def action_refund(self):
        self._food_check_inspected()
        refunded_before = self.filtered("refund_id")
        res = super().action_refund()
        (self.filtered("refund_id") - refunded_before).filtered(
            "food_is_order_center"
        )._food_notify_customer("food_order_center.mail_template_return_refunded")
        return True if res is None else res

    def action_refund_without_invoice(self):
        """Orders not invoiced yet: the goods returned are taken off what the
        customer will be invoiced (rma_sale), after the inspection."""
        self._food_check_inspected()
        refundable = self.filtered(
            lambda r: r.can_be_refunded and r.food_is_order_center
        )
        res = super().action_refund_without_invoice()
        refundable.filtered(lambda r: r.state == "refunded")._food_notify_customer(
            "food_order_center.mail_template_return_refunded"
        )
        return True if res is None else res

    def action_replace(self):
        """Order-center replacements are orders of their own: they go
        through verification, stock check, assignment, the pre-shipment
        check and tracking like any order."""
        if not self.food_is_order_center:
            return super().action_replace()
        self.ensure_one()
        self._food_check_inspected()
        self._ensure_can_be_replaced()
        order = self._food_create_replacement_order()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_food_replacement_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.food_replacement_order_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_food_inspection(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "food.return.inspection",
            "res_id": self.food_inspection_ids[:1].id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def update_received_state_on_reception(self):
        """The goods are in quarantine: an inspection is waiting for them."""
        res = super().update_received_state_on_reception()
        received = self.filtered(
            lambda r: r.food_is_order_center and not r.food_inspection_ids
        )
        if received:
            received._food_create_inspections()
            received._food_notify_customer(
                "food_order_center.mail_template_return_received"
            )
        return res

    # ------------------------------------------------------------------
    # Policy
    # ------------------------------------------------------------------

    def _food_get_policy_issues(self):
        """Map rma id -> the reasons, in words, why the return policy of its
        product's category does not accept it (empty when it does)."""
        _ = self.env._
        result = {}
        rmas = self.filtered("food_is_order_center")
        if not rmas:
            return result
        evidence = rmas._food_with_evidence()
        now = fields.Datetime.now()
        for rma in rmas:
            issues = []
            category = rma.product_id.categ_id
            if not rma.food_return_reason:
                issues.append(_("Give the reason of the return."))
            elif category.food_perishable and rma.food_return_reason != "quality":
                issues.append(
                    _(
                        "%(product)s is perishable food: it is taken back only "
                        "for a quality problem.",
                        product=rma.product_id.display_name,
                    )
                )
            if not rma.food_delivery_date:
                issues.append(
                    _(
                        "No delivery of %(product)s to this customer is "
                        "recorded: choose the delivery it came with.",
                        product=rma.product_id.display_name,
                    )
                )
            elif not category.food_return_days:
                issues.append(
                    _(
                        "Food of the category %(category)s is not taken back.",
                        category=category.display_name,
                    )
                )
            elif now - rma.food_delivery_date > timedelta(
                days=category.food_return_days
            ):
                issues.append(
                    _(
                        "%(product)s was delivered on %(date)s: the return "
                        "window of %(category)s (%(days)s days) is over.",
                        product=rma.product_id.display_name,
                        date=fields.Date.to_string(rma.food_delivery_date),
                        category=category.display_name,
                        days=category.food_return_days,
                    )
                )
            if category.food_return_evidence and rma not in evidence:
                issues.append(
                    _(
                        "Returns of %(category)s need evidence: attach photos "
                        "of the goods to the return or to its case.",
                        category=category.display_name,
                    )
                )
            if issues:
                result[rma.id] = issues
        return result

    def _food_with_evidence(self):
        """The returns with a picture attached to them or to their case (one
        query)."""
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            ._read_group(
                [
                    ("mimetype", "=like", "image/%"),
                    "|",
                    "&",
                    ("res_model", "=", "rma"),
                    ("res_id", "in", self.ids),
                    "&",
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "in", self.food_case_id.ids),
                ],
                ["res_model", "res_id"],
            )
        )
        with_images = set(attachments)
        return self.filtered(
            lambda r: (
                ("rma", r.id) in with_images
                or ("helpdesk.ticket", r.food_case_id.id) in with_images
            )
        )

    def _food_check_policy(self):
        """Confirming a return outside the policy fails with the reasons (and
        changes nothing)."""
        drafts = self.filtered(lambda r: r.state == "draft")
        issues = drafts._food_get_policy_issues()
        if issues:
            raise UserError(
                self.env._(
                    "The return policy does not accept these returns; refuse "
                    "them or correct them:\n%(issues)s",
                    issues="\n".join(
                        f"{rma.name}: {' '.join(issues[rma.id])}"
                        for rma in drafts
                        if rma.id in issues
                    ),
                )
            )

    # ------------------------------------------------------------------
    # Inspection and remedy
    # ------------------------------------------------------------------

    def _food_filter_not_inspected(self):
        return self.filtered(
            lambda r: r.food_is_order_center and r.food_inspection_state != "done"
        )

    def _food_check_inspected(self):
        not_inspected = self._food_filter_not_inspected()
        if not_inspected:
            raise UserError(
                self.env._(
                    "The returned goods of %(rmas)s must be received and "
                    "inspected before any refund or replacement.",
                    rmas=", ".join(not_inspected.mapped("name")),
                )
            )

    def _food_create_inspections(self):
        """One inspection per return received, on the to-do list of whoever
        received the goods (an inventory manager)."""
        inspections = (
            self.env["food.return.inspection"]
            .sudo()
            ._food_trusted()
            .create([{"rma_id": rma.id} for rma in self])
        )
        for inspection in inspections:
            inspection.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.env.user.id,
                summary=self.env._("Inspect the returned goods"),
            )
        return inspections

    def _food_create_replacement_order(self):
        """A new order-center order, free of charge, for the goods of the
        return."""
        self.ensure_one()
        origin = self.sudo().order_id
        # after-sales staff send the replacement; the order then follows the
        # order-center flow of any order (receivers verify it, processors
        # prepare it)
        order = (
            self.env["sale.order"]
            .sudo()
            .with_company(self.company_id)
            .create(self._prepare_food_replacement_order_vals(origin))
        )
        self._write_food_trusted(
            {"food_replacement_order_id": order.id, "state": "waiting_replacement"}
        )
        order.message_post_with_source(
            "mail.message_origin_link",
            render_values={"self": order, "origin": self},
            subtype_xmlid="mail.mt_note",
        )
        self._food_notify_customer("food_order_center.mail_template_return_exchange")
        return order

    def _prepare_food_replacement_order_vals(self, origin):
        vals = {
            "partner_id": self.partner_id.id,
            "partner_invoice_id": self.partner_invoice_id.id,
            "partner_shipping_id": self.partner_shipping_id.id,
            "company_id": self.company_id.id,
            "intake_channel": "exchange",
            "origin": self.name,
            "client_order_ref": origin.client_order_ref or origin.name,
            "order_line": [
                Command.create(
                    {
                        "product_id": self.product_id.id,
                        "product_uom_qty": self.product_uom_qty,
                        "product_uom": self.product_uom.id,
                        "discount": 100.0,
                    }
                )
            ],
        }
        if origin:
            vals["warehouse_id"] = origin.warehouse_id.id
            vals["pricelist_id"] = origin.pricelist_id.id
        return vals

    def _food_replacement_delivered(self):
        """The replacement order of these returns was delivered."""
        self.filtered(lambda r: r.state == "waiting_replacement").write(
            {"state": "replaced"}
        )

    # ------------------------------------------------------------------
    # Customer notices
    # ------------------------------------------------------------------

    def _food_notify_customer(self, template_xmlid):
        """Tell each customer, in their language, where their return stands
        (on the return, which the customer follows, and on its case)."""
        # the addon's own template, whoever moves the return on
        template = self.env.ref(template_xmlid).sudo()
        rmas = self.filtered("partner_id")
        if not rmas:
            return
        subjects = template._render_field("subject", rmas.ids, compute_lang=True)
        bodies = template._render_field(
            "body_html", rmas.ids, compute_lang=True, options={"post_process": True}
        )
        for rma in rmas:
            rma.message_post(
                body=bodies[rma.id],
                subject=subjects[rma.id],
                partner_ids=rma.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
            )
            if rma.food_case_id:
                rma.food_case_id.sudo()._message_log(body=bodies[rma.id])
