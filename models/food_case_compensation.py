# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Compensation of a customer where the company is at fault (R19): asked
by the after-sales staff, approved by them up to the company's threshold
and by an order center manager above it, then given (a draft credit note
for a refund or a credit note)."""

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from .helpdesk_ticket_complaint import COMPLAINT_CASE_TYPES

COMPENSATION_KINDS = [
    ("refund", "Refund"),
    ("credit_note", "Credit Note"),
    ("voucher", "Voucher"),
    ("gift", "Gift"),
]
COMPENSATION_STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("done", "Done"),
    ("refused", "Refused"),
]
# kinds given as a credit note to the customer
CREDIT_NOTE_KINDS = ("refund", "credit_note")
# what the request is about: frozen once requested
REQUEST_FIELDS = {"case_id", "kind", "amount", "description"}


class FoodCaseCompensation(models.Model):
    _name = "food.case.compensation"
    _description = "After-sales Compensation"
    _inherit = ["mail.thread", "mail.activity.mixin", "food.guarded.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _sql_constraints = [
        (
            "amount_positive",
            "CHECK (amount > 0)",
            "The amount of a compensation must be positive.",
        ),
    ]

    case_id = fields.Many2one(
        "helpdesk.ticket",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
        domain="[('food_case_type', 'in', ('complaint', 'quality')), "
        "('food_company_at_fault', '=', True)]",
    )
    company_id = fields.Many2one(
        related="case_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(
        related="company_id.currency_id", store=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="case_id.partner_id",
        string="Customer",
        store=True,
        index="btree_not_null",
    )
    kind = fields.Selection(
        COMPENSATION_KINDS, string="Compensation", required=True, tracking=True
    )
    amount = fields.Monetary(required=True, tracking=True)
    description = fields.Text(
        help="What is given and why; the line of the credit note."
    )
    state = fields.Selection(
        COMPENSATION_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    requested_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, tracking=True
    )
    approved_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, tracking=True
    )
    approval_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    done_date = fields.Datetime(string="Given On", readonly=True, copy=False)
    move_id = fields.Many2one(
        "account.move",
        string="Credit Note",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    needs_approval = fields.Boolean(
        compute="_compute_needs_approval",
        help="Above the company's threshold: an order center manager approves.",
    )

    @api.depends("case_id.number", "kind")
    def _compute_display_name(self):
        for compensation in self:
            kind = dict(self._fields["kind"]._description_selection(self.env)).get(
                compensation.kind, ""
            )
            compensation.display_name = self.env._(
                "%(case)s: %(kind)s",
                case=compensation.case_id.number or "",
                kind=kind,
            )

    @api.depends("amount", "company_id.food_compensation_approval_amount")
    def _compute_needs_approval(self):
        for compensation in self:
            threshold = compensation.company_id.food_compensation_approval_amount
            compensation.needs_approval = (
                compensation.currency_id.compare_amounts(compensation.amount, threshold)
                > 0
            )

    @api.model
    def _get_food_protected_fields(self):
        # the workflow's actions write them
        return super()._get_food_protected_fields() | {
            "state",
            "requested_by_id",
            "approved_by_id",
            "approval_date",
            "done_date",
            "move_id",
        }

    @api.model_create_multi
    def create(self, vals_list):
        self._check_food_protected_fields(vals_list)
        compensations = super().create(vals_list)
        compensations._check_food_case()
        return compensations

    def write(self, vals):
        self._check_food_protected_fields([vals])
        if REQUEST_FIELDS & set(vals):
            requested = self.filtered(lambda c: c.state != "draft")
            if requested:
                raise UserError(
                    self.env._(
                        "A compensation cannot be changed once requested: "
                        "%(compensations)s",
                        compensations=", ".join(requested.mapped("display_name")),
                    )
                )
        result = super().write(vals)
        if "case_id" in vals:
            self._check_food_case()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_requested(self):
        requested = self.filtered(lambda c: c.state != "draft")
        if requested:
            raise UserError(
                self.env._(
                    "Only draft compensations can be deleted: %(compensations)s",
                    compensations=", ".join(requested.mapped("display_name")),
                )
            )

    def _check_food_case(self):
        wrong = self.filtered(
            lambda c: c.case_id.food_case_type not in COMPLAINT_CASE_TYPES
        )
        if wrong:
            raise UserError(
                self.env._(
                    "Compensations are given on complaint and quality cases "
                    "only: %(cases)s",
                    cases=", ".join(wrong.case_id.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def action_request(self):
        """After-sales staff: request the compensations. Up to the company's
        threshold they are approved at once (the customer is told); above it
        the order center managers are asked to approve."""
        self._check_food_aftersales()
        self._check_food_state("draft")
        not_at_fault = self.filtered(lambda c: not c.case_id.food_company_at_fault)
        if not_at_fault:
            raise UserError(
                self.env._(
                    "A customer is compensated only where the company is at "
                    "fault: the investigation of %(cases)s does not say so.",
                    cases=", ".join(not_at_fault.case_id.mapped("display_name")),
                )
            )
        no_customer = self.filtered(lambda c: not c.case_id.partner_id)
        if no_customer:
            raise UserError(
                self.env._(
                    "Enter the customer of the case first: %(cases)s",
                    cases=", ".join(no_customer.case_id.mapped("display_name")),
                )
            )
        to_approve = self.filtered("needs_approval")
        approved = self - to_approve
        to_approve._write_food_trusted(
            {"state": "to_approve", "requested_by_id": self.env.uid}
        )
        to_approve._food_ask_managers()
        approved._write_food_trusted(
            {
                "state": "approved",
                "requested_by_id": self.env.uid,
                "approved_by_id": self.env.uid,
                "approval_date": fields.Datetime.now(),
            }
        )
        approved._food_inform_customer()
        return True

    def action_approve(self):
        """Order center managers: approve compensations above the
        threshold; the customer is told."""
        self._check_food_manager()
        self._check_food_state("to_approve")
        self._write_food_trusted(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "approval_date": fields.Datetime.now(),
            }
        )
        self._food_close_approval_activities()
        self._food_inform_customer()
        return True

    def action_refuse(self):
        """Order center managers: refuse compensations above the threshold."""
        self._check_food_manager()
        self._check_food_state("to_approve")
        self._write_food_trusted({"state": "refused"})
        self._food_close_approval_activities()
        return True

    def action_done(self):
        """After-sales staff: the compensation was given. A refund or a
        credit note makes a draft credit note of the customer for the
        accountants; a voucher or a gift is recorded."""
        self._check_food_aftersales()
        self._check_food_state("approved")
        credit = self.filtered(lambda c: c.kind in CREDIT_NOTE_KINDS)
        if credit:
            moves = credit._food_create_credit_notes()
            for compensation, move in zip(credit, moves, strict=True):
                compensation._write_food_trusted({"move_id": move.id})
        self._write_food_trusted({"state": "done", "done_date": fields.Datetime.now()})
        return True

    def action_view_credit_note(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _check_food_aftersales(self):
        if not self.env.user.has_group("food_order_center.group_aftersales"):
            raise AccessError(
                self.env._("Only after-sales staff can request and give compensations.")
            )

    def _check_food_manager(self):
        if not self.env.user.has_group("food_order_center.group_order_center_manager"):
            raise AccessError(
                self.env._(
                    "Only order center managers can approve or refuse a "
                    "compensation above the approval threshold."
                )
            )

    def _check_food_state(self, state):
        wrong = self.filtered(lambda c: c.state != state)
        if wrong:
            label = dict(self._fields["state"]._description_selection(self.env))[state]
            raise UserError(
                self.env._(
                    "This needs compensations in state %(state)s: %(compensations)s",
                    state=label,
                    compensations=", ".join(wrong.mapped("display_name")),
                )
            )

    def _food_ask_managers(self):
        """An activity for each order center manager of the company."""
        if not self:
            return
        # reading the members of the group
        managers = (
            self.env.ref("food_order_center.group_order_center_manager")
            .sudo()
            .users.filtered(lambda u: u.active and not u.share)
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        activities = [
            {
                "res_model_id": model_id,
                "res_id": compensation.id,
                "activity_type_id": todo.id,
                "user_id": manager.id,
                "summary": self.env._("Approve or refuse this compensation"),
                "automated": True,
                "date_deadline": fields.Date.context_today(self),
            }
            for compensation in self
            for manager in managers
            if compensation.company_id in manager.company_ids
        ]
        self.env["mail.activity"].create(activities)

    def _food_close_approval_activities(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.activity_ids.filtered(
            lambda a: a.automated and a.activity_type_id == todo
        ).unlink()

    def _food_inform_customer(self):
        """Tell the customers, on their case and in their language, of the
        compensation granted."""
        template = self.env.ref("food_order_center.mail_template_case_compensation")
        for compensation in self:
            compensation.case_id._food_post_customer_template(
                template, source=compensation
            )

    def _food_create_credit_notes(self):
        """One draft customer credit note per compensation, in order."""
        vals_list = [c._prepare_food_credit_note_vals() for c in self]
        # after-sales staff have no accounting rights: the draft credit note
        # is made by this action only, for the accountants to check and post
        return self.env["account.move"].sudo().create(vals_list).sudo(False)

    def _prepare_food_credit_note_vals(self):
        self.ensure_one()
        case = self.case_id
        label = self.description or self.env._(
            "Compensation for case %(case)s", case=case.number
        )
        return {
            "move_type": "out_refund",
            "company_id": self.company_id.id,
            "partner_id": case.partner_id.id,
            "currency_id": self.currency_id.id,
            "invoice_origin": case.number,
            "ref": self.env._("Compensation for case %(case)s", case=case.number),
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": label,
                        "quantity": 1.0,
                        "price_unit": self.amount,
                        # a compensation is not a sale: no tax on it
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
